"""Command implementations: thin shells over library calls (see cli.py for the arguments)."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from pipeline.cli import print_json
from pipeline.config import Config
from pipeline.context import Context
from pipeline.errors import ExitCode, FileBusyError, UsageError
from pipeline.jobs import display_name
from pipeline.log import get_logger
from pipeline.run import Outcome, catch_up, process_path, resume_pending

SCAN_SUFFIXES = {".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"}


def expand_inputs(paths: list[Path]) -> Iterator[Path]:
    """Files as given; folders walked for files with a scan suffix, sorted, hidden skipped."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (child.is_file() and child.suffix.lower() in SCAN_SUFFIXES
                        and not any(part.startswith(".") for part in child.parts)):
                    yield child
        elif path.is_file():
            yield path
        else:
            raise UsageError(f"no such file or folder: {path}")


def _describe(outcome: Outcome) -> str:
    if outcome.status == "archived":
        m = outcome.metadata
        fields = ", ".join(f"{k}={m.get(k)}" for k in ("sender", "date", "reference") if m.get(k))
        extra = "".join(f"\n    warning: {w}" for w in outcome.warnings)
        return (f"archived   {outcome.registration_number}  {outcome.archive_path}"
                f"\n    from {outcome.input}  ({fields or 'no fields found'}){extra}")
    if outcome.status == "duplicate":
        return (f"duplicate  {outcome.input}: already archived as "
                f"{outcome.registration_number} ({outcome.archive_path})")
    if outcome.status == "failed" and outcome.error:
        return (f"FAILED     {outcome.input}: {outcome.error['message']}\n"
                f"    what to do: {outcome.error['hint']}\n    kept as {outcome.failed_path}")
    reasons = "; ".join(outcome.warnings) or (outcome.error or {}).get("message", "")
    return f"{outcome.status:<10} {outcome.input}" + (f": {reasons}" if reasons else "")


def ingest(args: argparse.Namespace, config: Config) -> int:
    config.ensure_dirs()
    inputs = list(expand_inputs(args.paths))
    ctx = Context(config, actor="courrier ingest")
    try:
        outcomes = resume_pending(ctx)
        for number, path in enumerate(inputs, 1):
            if not args.json:
                print(f"[{number}/{len(inputs)}] {path}", file=sys.stderr, flush=True)
            waiting = _still_arriving(path, config)
            try:
                outcomes.append(
                    Outcome(input=display_name(str(path)), status="waiting",
                            warnings=[f"{waiting}; left in the inbox for the watcher "
                                      "(or run ingest again later)"])
                    if waiting else process_path(path, ctx))
            except FileBusyError as exc:  # left where it is, untouched: a later run takes it
                outcomes.append(Outcome(input=display_name(str(path)), status="busy",
                                        error=exc.to_dict()))
            report = outcomes[-1]
            print_json(report.to_json()) if args.json else print(_describe(report), flush=True)
        catch_up(ctx)
    finally:
        ctx.close()
    return int(ExitCode.INPUT_FAILED) if any(o.status in ("failed", "busy")
                                             for o in outcomes) else 0


def _still_arriving(path: Path, config: Config) -> str | None:
    """Why an inbox file is not complete yet (still being written, truncated), or None.

    Files outside the inbox are the operator's explicit choice and are taken as they are.
    """
    from pipeline.jobs import is_in, special_entry
    from pipeline.tools.wholeness import check_whole

    # Content only (a PDF's end marker, an image's last byte): an operator running ingest
    # by hand right after a drop should not have to wait for the watcher's quiet period.
    if not is_in(path, config.paths.inbox) or special_entry(path):
        return None
    whole = check_whole(path)
    return None if whole.complete else (whole.reason or "incomplete")


def watch(args: argparse.Namespace, config: Config) -> int:
    from pipeline.watch import run_watch

    return run_watch(config, once=args.once)


PROGRESS_EVERY_SECONDS = 5.0  # progress lines between log lines


def search(args: argparse.Namespace, config: Config) -> int:
    ctx = Context(config, actor="courrier search")
    departments = None
    if args.user:
        departments = set(config.register.users.get(args.user, []))
    query = " ".join(args.query)
    # Without words every letter scores the same: newest first is what people expect.
    sort = args.sort or ("relevance" if query.strip() else "-date")
    result = ctx.index.search(query, limit=args.limit, page=args.page, sort=sort,
                              departments=departments)
    if args.json:
        print_json(result.to_dict())
        return 0
    first = (args.page - 1) * args.limit + 1
    shown = f", showing {first}-{first + len(result.hits) - 1}" if result.hits else ""
    more = " (more with --page)" if first + len(result.hits) - 1 < result.total else ""
    print(f"{result.total} document(s) found{shown}{more}")
    if result.total and not result.hits:
        pages = -(-result.total // args.limit)
        print(f"page {args.page} is past the end: {pages} page(s) of {args.limit}")
    for hit in result.hits:
        print(f"- {hit.registration_number or hit.id}  {hit.date or '????-??-??'}  "
              f"{hit.sender or '(sender unknown)'}  ref={hit.reference or '-'}")
        if hit.subject:
            print(f"    {hit.subject}")
        print(f"    {config.paths.archive / hit.archive_path}")
        if hit.snippet:
            print(f"    {hit.snippet}")
    return 0


def reindex(args: argparse.Namespace, config: Config) -> int:
    from pipeline.reindex import rebuild_index
    from pipeline.stages.index import sync_indexed_flags

    ctx = Context(config, actor="courrier reindex")
    failed: list[str] = []
    if args.re_ocr or args.re_extract:
        from pipeline.reextract import re_extract_all, re_ocr_all

        redo = re_ocr_all if args.re_ocr else re_extract_all
        job = "re-ocr" if args.re_ocr else "re-extract"
        with _progress(job) as bar:
            redone = redo(ctx, progress=bar)
        resumed = f" ({redone.resumed} done by the interrupted run)" if redone.resumed else ""
        print(f"{job}: {redone.done} document(s) done, {redone.changed} changed{resumed}",
              file=sys.stderr)
        failed = redone.failed
        _print_some(f"{job} failed for {len(failed)} document(s); they are left as they were "
                    f"and the next `courrier reindex --{job}` tries them again:", failed)
    started = time.monotonic()
    # After rewriting sidecars, an interrupted rebuild must not be resumed: the documents it
    # already holds would keep their old fields.
    with _progress("reindex") as bar:
        report = rebuild_index(config.paths.archive, config.paths.index, config.index,
                               progress=bar, fresh=bool(args.re_ocr or args.re_extract))
    sync_indexed_flags(ctx)
    speed = f"{report.written} added at {report.docs_per_second:.0f} docs/s" \
        if report.written else "nothing left to add"
    resumed = f", {report.resumed} from the interrupted run" if report.resumed else ""
    print(f"reindexed {report.count} document(s) in {time.monotonic() - started:.1f} s "
          f"({speed}{resumed})")
    # Damaged or duplicate sidecars: named, so someone can look at them.
    _print_some(f"skipped {len(report.skipped)} sidecar(s) that could not be indexed:",
                report.skipped)
    return int(ExitCode.INPUT_FAILED) if failed else 0


def _print_some(title: str, lines: list[str], most: int = 20) -> None:
    if not lines:
        return
    print(title, file=sys.stderr)
    for line in lines[:most]:
        print(f"  {line}", file=sys.stderr)
    if len(lines) > most:
        print(f"  ... and {len(lines) - most} more", file=sys.stderr)


@contextlib.contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """Progress on stderr. With the log at WARNING or above nothing else writes there, so one
    line is rewritten in place; at INFO the per-document log lines would run into it, so a
    whole line is printed every few seconds instead. Ends on a new line however the job ends."""
    inline = not get_logger().isEnabledFor(logging.INFO)
    last = -PROGRESS_EVERY_SECONDS
    shown = False

    def show(done: int, total: int) -> None:
        nonlocal last, shown
        now = time.monotonic()
        if not inline and done < total and now - last < PROGRESS_EVERY_SECONDS:
            return
        last, shown = now, True
        percent = 100 * done / total if total else 100
        text = f"{label}: {done}/{total} ({percent:.0f} %)"
        if inline:
            print(f"\r{text}", end="", file=sys.stderr, flush=True)
        else:
            print(text, file=sys.stderr, flush=True)
    try:
        yield show
    finally:
        if shown and inline:
            print(file=sys.stderr)


def status(args: argparse.Namespace, config: Config) -> int:
    from pipeline.check import gather_status

    status_now = gather_status(config)
    if args.json:
        print_json(status_now)
        return 0
    for key, value in status_now.items():
        print(f"{key:<12} {value}")
    return 0


def check(args: argparse.Namespace, config: Config) -> int:
    from pipeline.check import run_check

    return run_check(config, repair=args.repair, as_json=args.json, checksums=args.checksums)


def evaluate(args: argparse.Namespace, config: Config) -> int:
    from pipeline.evaluate import evaluate as run_eval

    # OCR results are cached by checksum under the home, so the scans' folder may be read-only.
    report = run_eval(args.folder, args.truth, cache_dir=config.paths.home / "eval-cache",
                      models_dir=config.paths.models, config=config.extract,
                      progress=lambda name: print(f"  {name}", file=sys.stderr, flush=True))
    print_json(report.to_dict()) if args.json else print(report.format_text())
    return 0


def worker(args: argparse.Namespace, config: Config) -> int:
    from pipeline.distributed import make_app, run_worker

    config.ensure_dirs()
    run_worker(make_app(config, args.broker), concurrency=args.concurrency)
    return 0


def enqueue(args: argparse.Namespace, config: Config) -> int:
    from pipeline.distributed import enqueue as send
    from pipeline.distributed import make_app

    inputs = list(expand_inputs(args.paths))
    outcomes = send(make_app(config, args.broker), inputs, args.wait)
    for outcome in outcomes:
        print_json(outcome)
    failed = any(o.get("status") == "failed" for o in outcomes)
    return int(ExitCode.INPUT_FAILED) if failed else 0
