"""The `courrier` command: arguments -> one library call -> exit status.

Every CourrierError becomes one message and one exit status here, and nowhere else.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline.config import Config, load_config
from pipeline.errors import CourrierError, ExitCode, UsageError
from pipeline.log import setup_logging

Handler = Callable[[argparse.Namespace, Config], int]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="courrier", description="Mailroom pipeline: scans in, registered PDF/A out.")
    parser.add_argument("--config", type=Path, help="TOML configuration file")
    parser.add_argument("--home", type=Path,
                        help="folder holding all state (also COURRIER_HOME)")
    parser.add_argument("--log-level", default="INFO",
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", help="process files or folders once")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--json", action="store_true", help="one JSON object per input per line")

    p = sub.add_parser("watch", help="watch the inbox until stopped (SIGINT/SIGTERM)")
    p.add_argument("--once", action="store_true", help="one full pass over the inbox, then exit")

    p = sub.add_parser("search", help="search the archive (no query: every letter)")
    p.add_argument("query", nargs="*")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=_positive, default=10)
    p.add_argument("--page", type=_positive, default=1)
    p.add_argument("--sort", type=_sort_name,
                   help="relevance (the default with words), oldest (or date) or newest (or "
                   "-date, as --sort=-date; the default without words)")
    p.add_argument("--user", help="search as this user (confidential mail filtering)")

    p = sub.add_parser("reindex", help="rebuild the search index from the archive's sidecars")
    p.add_argument("--re-extract", action="store_true",
                   help="re-run extraction on the archived text first (resumable)")
    p.add_argument("--re-ocr", action="store_true",
                   help="re-run OCR from the originals first, then extraction (resumable)")

    p = sub.add_parser("status", help="counts of inbox, processing, failed, archived, indexed")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("check", help="compare inbox, register, archive and index")
    p.add_argument("--repair", action="store_true", help="fix what can be fixed")
    p.add_argument("--checksums", action="store_true",
                   help="also compare every archived PDF and original with its recorded sha256")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("worker", help="run a Celery worker (scale-out; needs courrier[celery])")
    p.add_argument("--broker", required=True, help="Celery broker URL, or dir:FOLDER")
    p.add_argument("--concurrency", type=int, default=1)

    p = sub.add_parser("enqueue", help="send files to Celery workers")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--broker", required=True, help="Celery broker URL, or dir:FOLDER")
    p.add_argument("--wait", type=float, help="wait up to this many seconds per file")

    p = sub.add_parser("eval", help="measure extraction against ground truth")
    p.add_argument("folder", type=Path)
    p.add_argument("--truth", type=Path, required=True)
    p.add_argument("--json", action="store_true")

    from pipeline.register.commands import add_parser as add_register_parser

    add_register_parser(sub)
    return parser


def _positive(text: str) -> int:
    """argparse type: an integer from 1 (pages and page sizes)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _sort_name(text: str) -> str:
    """argparse type: the sort order; newest/oldest read better than -date/date."""
    names = {"relevance": "relevance", "date": "date", "oldest": "date", "-date": "-date",
             "newest": "-date"}
    if text not in names:
        raise argparse.ArgumentTypeError(
            f"{text!r}: use relevance, oldest (date) or newest (-date)")
    return names[text]


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    setup_logging(args.log_level)
    try:
        config = load_config(args.config, home=args.home)
        handler = _handlers()[args.command]
        return handler(args, config)
    except CourrierError as err:
        print(f"courrier: error: {err.message}\n  what to do: {err.hint}", file=sys.stderr)
        return int(err.exit_code)
    except KeyboardInterrupt:
        print("courrier: interrupted", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:  # `courrier search ... | head`: the reader had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _handlers() -> dict[str, Handler]:
    from pipeline import commands
    from pipeline.register import commands as register_commands

    return {
        "ingest": commands.ingest, "watch": commands.watch, "search": commands.search,
        "reindex": commands.reindex, "status": commands.status, "check": commands.check,
        "eval": commands.evaluate, "worker": commands.worker, "enqueue": commands.enqueue,
        "register": register_commands.main,
    }


def print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=str), flush=True)


def require(condition: bool, message: str) -> None:
    if not condition:
        raise UsageError(message)


if __name__ == "__main__":
    sys.exit(main())
