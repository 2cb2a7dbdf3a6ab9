"""`courrier status` and `courrier check [--repair]`: do inbox, register, archive, index agree?"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import Config
from pipeline.context import Context
from pipeline.errors import CourrierError, ExitCode
from pipeline.run import resume_pending
from pipeline.stages.index import flush_pending
from pipeline.watch import is_ignored


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def gather_status(config: Config) -> dict[str, Any]:
    """Counts of every place a document can be."""
    p = config.paths
    inbox = [f for f in _files(p.inbox)
             if not is_ignored(f, p.inbox, config.watch.ignore_patterns)]
    failed = [f for f in _files(p.failed) if f.name.endswith(".error.json")]
    duplicates = [f for f in _files(p.duplicates) if f.name.endswith(".duplicate.json")]
    processing = [d for d in p.processing.iterdir() if d.is_dir()] if p.processing.exists() \
        else []
    ctx = Context(config, actor="courrier status")
    try:
        counts = ctx.register.counts()
        try:
            in_index: int | str = ctx.index.count()
        except CourrierError as exc:
            in_index = f"unavailable ({exc.message})"
    finally:
        ctx.close()
    return {
        "inbox": len(inbox), "processing": len(processing), "failed": len(failed),
        "duplicates": len(duplicates), "archived": counts["archived"],
        "indexed": counts["indexed"], "to_index": counts["archived"] - counts["indexed"],
        "in_index": in_index,
    }


@dataclass
class Finding:
    kind: str
    detail: str
    repaired: bool = False


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)

    def add(self, kind: str, detail: str) -> Finding:
        finding = Finding(kind, detail)
        self.findings.append(finding)
        return finding


def _sidecars(archive: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    out: dict[str, tuple[Path, dict[str, Any]]] = {}
    for path in archive.rglob("*.json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and data.get("format", "").startswith("courrier-sidecar"):
            out[data["id"]] = (path, data)
    return out


def check(ctx: Context, repair: bool) -> CheckReport:
    """Compare the register with the archive files and the index; repair if asked."""
    cfg = ctx.config
    report = CheckReport()
    jobs_left = [d for d in cfg.paths.processing.iterdir() if d.is_dir()] \
        if cfg.paths.processing.exists() else []
    for folder in jobs_left:
        report.add("interrupted_job", f"{folder.name} was interrupted")
    if jobs_left and repair:
        resume_pending(ctx)
        for finding in report.findings:
            finding.repaired = True
    sidecars = _sidecars(cfg.paths.archive)
    registered = {row["id"]: row for row in ctx.register.archived()}
    for doc_id, row in registered.items():
        pdf = cfg.paths.archive / (row["archive_path"] or "")
        if not pdf.is_file():
            report.add("missing_archive_file", f"{row['registration_number']}: {pdf}")
        original = cfg.paths.originals / (row["original_path"] or "")
        if not original.is_file():
            report.add("missing_original", f"{row['registration_number']}: {original}")
        if doc_id not in sidecars:
            report.add("missing_sidecar", f"{row['registration_number']}: {pdf}")
    for doc_id, (path, data) in sidecars.items():
        if doc_id not in registered:
            finding = report.add("unregistered", f"{path} is not in the register")
            if repair:
                finding.repaired = ctx.register.restore_from_sidecar(data)
    _check_index(ctx, report, set(sidecars), repair)
    return report


def _check_index(ctx: Context, report: CheckReport, archived: set[str], repair: bool) -> None:
    try:
        indexed = ctx.index.ids()
    except CourrierError as exc:
        finding = report.add("index_unavailable", exc.message)
        if repair:
            _rebuild(ctx)
            finding.repaired = True
        return
    missing, extra = archived - indexed, indexed - archived
    for doc_id in sorted(missing):
        report.add("not_indexed", doc_id)
    for doc_id in sorted(extra):
        report.add("indexed_not_archived", doc_id)
    if repair and (missing or extra):
        if extra:
            ctx.index.delete(extra)
        ctx.register.mark_indexed(sorted(missing), indexed=False)
        flush_pending(ctx)
        for finding in report.findings:
            if finding.kind in ("not_indexed", "indexed_not_archived"):
                finding.repaired = True


def _rebuild(ctx: Context) -> None:
    from pipeline.reindex import rebuild_index

    cfg = ctx.config
    rebuild_index(cfg.paths.archive, cfg.paths.index, cfg.index)
    ctx.register.mark_indexed([row["id"] for row in ctx.register.archived()])


def run_check(config: Config, repair: bool, as_json: bool) -> int:
    ctx = Context(config, actor="courrier check")
    try:
        report = check(ctx, repair)
    finally:
        ctx.close()
    open_findings = [f for f in report.findings if not f.repaired]
    if as_json:
        print(json.dumps({"findings": [f.__dict__ for f in report.findings],
                          "ok": not open_findings}, ensure_ascii=False))
    else:
        for f in report.findings:
            print(f"{'repaired' if f.repaired else 'PROBLEM ':<9} {f.kind}: {f.detail}")
        print("all consistent" if not report.findings else
              f"{len(report.findings)} finding(s), {len(open_findings)} left")
    return int(ExitCode.CHECK_FAILED) if open_findings else 0
