"""`courrier register ...`: the mailroom's view of the register (list, show, follow, export).

`--user U` applies confidentiality: confidential mail of departments U does not belong to
([register.users]) shows only its number, date and recipient, and cannot be changed by U.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.cli import print_json
from pipeline.config import Config
from pipeline.context import Context
from pipeline.errors import TransitionError, UsageError
from pipeline.register import notify, tracking


def add_parser(sub: Any) -> None:
    """The `register` subcommand group (called from pipeline.cli._parser)."""
    group = sub.add_parser("register", help="the mail register: list, show, follow, export")
    reg = group.add_subparsers(dest="register_command", required=True, metavar="ACTION")

    def action(name: str, help_text: str, user_help: str) -> argparse.ArgumentParser:
        p = reg.add_parser(name, help=help_text)
        p.add_argument("--json", action="store_true", help="JSON output")
        p.add_argument("--user", help=user_help)
        return p

    see = "as this user: confidential mail of other departments is hidden"
    act = "who does it (recorded in the history; default: the login name)"
    p = action("list", "list registered mail", see)
    p.add_argument("--department")
    p.add_argument("--status", choices=tracking.STATUSES)
    p.add_argument("--from", dest="date_from", type=_date, help="received on or after")
    p.add_argument("--to", dest="date_to", type=_date, help="received on or before")
    p = action("show", "one letter, its history and notifications", see)
    p.add_argument("number")
    p = action("assign", "hand a letter to someone", act)
    p.add_argument("number")
    p.add_argument("--to", dest="assignee", required=True, metavar="USER")
    p.add_argument("--note")
    p = action("start", "mark a letter in progress", act)
    p.add_argument("number")
    p.add_argument("--note")
    p = action("close", "mark a letter handled (closed, or answered)", act)
    p.add_argument("number")
    p.add_argument("--answered", action="store_true", help="a reply was sent (else: closed)")
    p.add_argument("--reply-ref", help="reference of the reply (implies --answered)")
    p.add_argument("--note")
    p = action("overdue", "open letters past their due date", see)
    p.add_argument("--department")
    p = action("export", "the chronological register, e.g. the day's, as CSV", see)
    p.add_argument("--from", dest="date_from", type=_date, required=True)
    p.add_argument("--to", dest="date_to", type=_date, required=True)
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument("--output", type=Path, help="write to this file instead of stdout")
    p = action("notify", "pending department notifications; --retry sends them now", act)
    p.add_argument("--retry", action="store_true")


def _date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def main(args: argparse.Namespace, config: Config) -> int:
    """Dispatch `courrier register ACTION`."""
    ctx = Context(config, actor=f"courrier register {args.register_command}")
    try:
        handler = {
            "list": _list, "show": _show, "assign": _change, "start": _change,
            "close": _change, "overdue": _overdue, "export": _export, "notify": _notify,
        }[args.register_command]
        return handler(args, ctx)
    finally:
        ctx.close()


def departments_of(config: Config, user: str | None) -> set[str] | None:
    """The user's departments; None (sees everything) when no user is given."""
    if user is None:
        return None
    if user not in config.register.users:
        known = ", ".join(sorted(config.register.users)) or "none configured"
        raise UsageError(f"unknown user {user!r}",
                         hint=f"Users are listed in [register.users] (known: {known}).")
    return set(config.register.users[user])


def _list(args: argparse.Namespace, ctx: Context) -> int:
    seen = departments_of(ctx.config, args.user)
    rows = tracking.entries(ctx.register, department=args.department, status=args.status,
                            date_from=args.date_from, date_to=args.date_to)
    _print_rows([tracking.redact(r, seen) for r in rows], args.json)
    return 0


def _overdue(args: argparse.Namespace, ctx: Context) -> int:
    seen = departments_of(ctx.config, args.user)
    today = ctx.clock().date().isoformat()
    rows = tracking.entries(ctx.register, department=args.department, overdue_on=today)
    _print_rows([tracking.redact(r, seen) for r in rows], args.json)
    return 0


def _print_rows(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        for row in rows:
            print_json(row)
        return
    for r in rows:
        if r.get("restricted"):
            print(f"{r['number']}  {r['received']}  (confidential) for {r['recipient'] or '?'}")
            continue
        who = f"{r['sender'] or '(sender unknown)'} -> {r['recipient'] or '?'}"
        print(f"{r['number']}  {r['received']}  {r['department'] or '-':<12} "
              f"{r['urgency']:<7} {r['status'] or '-':<11} due {r['due_date'] or '-'}  {who}"
              + (f": {r['subject']}" if r["subject"] else ""))
    sys.stdout.flush()  # the count comes after the rows, also when both go to one terminal
    print(f"{len(rows)} letter(s)", file=sys.stderr)


def _show(args: argparse.Namespace, ctx: Context) -> int:
    entry = tracking.redact(tracking.find(ctx.register, args.number),
                            departments_of(ctx.config, args.user))
    restricted = bool(entry.get("restricted"))
    history = [] if restricted else ctx.register.history(entry["id"])
    sent = [] if restricted else notify.outbox(ctx.register, entry["id"])
    if args.json:
        print_json({**entry, "history": history, "notifications": sent})
        return 0
    for key in tracking.ENTRY_COLUMNS:
        if entry.get(key) not in (None, ""):
            print(f"{key:<13} {entry[key]}")
    if restricted:
        print("(confidential: details are for the addressee's department only)")
    for ev in history:
        print(f"  {ev['at']}  {ev['actor']:<24} {ev['action']}"
              + (f"  {ev['detail']}" if ev["detail"] else ""))
    for n in sent:
        print(f"  notify {n['channel']} {n['target']}: {n['status']}"
              + (f" (attempts {n['attempts']}, last error: {n['last_error']})"
                 if n["status"] != "sent" and n["last_error"] else ""))
    return 0


def _change(args: argparse.Namespace, ctx: Context) -> int:
    actor = args.user or getpass.getuser()
    if args.user is not None:
        entry = tracking.redact(tracking.find(ctx.register, args.number),
                                departments_of(ctx.config, args.user))
        if entry.get("restricted"):
            raise TransitionError(f"{args.number} is confidential mail of another department",
                                  hint="Only its department's users can follow it.")
    verb = args.register_command
    if verb == "close" and (args.answered or args.reply_ref):
        verb = "answer"
    entry = tracking.change(
        ctx.register, args.number, verb, actor=actor, at=notify.stamp(ctx.clock()),
        note=args.note, reply_ref=getattr(args, "reply_ref", None),
        assignee=getattr(args, "assignee", None))
    if args.json:
        print_json(entry)
    else:
        print(f"{entry['number']}: {entry['status']}"
              + (f", assigned to {entry['assignee']}" if entry["assignee"] else ""))
    return 0


def _export(args: argparse.Namespace, ctx: Context) -> int:
    seen = departments_of(ctx.config, args.user)
    rows = [tracking.redact(r, seen) for r in tracking.entries(
        ctx.register, date_from=args.date_from, date_to=args.date_to)]
    json_out = args.json or args.format == "json"
    text = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows) \
        if json_out else tracking.export_csv(rows)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"{len(rows)} letter(s) written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _notify(args: argparse.Namespace, ctx: Context) -> int:
    report = notify.retry_notifications(ctx, force=True) if args.retry \
        else {"pending": notify.pending_count(ctx.register)}
    if args.json:
        print_json(report)
    else:
        print(", ".join(f"{k} {v}" for k, v in report.items()))
    return 0
