"""`courrier status` and `courrier check [--repair]`: do inbox, register, archive, index agree?"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import jobs
from pipeline.config import Config
from pipeline.context import Context
from pipeline.errors import CourrierError, ExitCode, IndexBusyError
from pipeline.fsutil import sha256_file, unique_path
from pipeline.run import resume_pending
from pipeline.stages.index import flush_pending, sync_indexed_flags
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
        index_health = ctx.index.health()[1]  # schema and file sizes against the manifest
    finally:
        ctx.close()
    return {
        "inbox": len(inbox), "processing": len(processing), "failed": len(failed),
        "duplicates": len(duplicates), "archived": counts["archived"],
        "indexed": counts["indexed"], "to_index": counts["archived"] - counts["indexed"],
        "in_index": in_index, "index": index_health,
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
        if isinstance(data, dict) and str(data.get("format", "")).startswith("courrier-sidecar") \
                and data.get("id"):
            out[str(data["id"])] = (path, data)
    return out


def check(ctx: Context, repair: bool, checksums: bool = False) -> CheckReport:
    """Compare processing, failed, register, archive files and index; repair if asked.

    checksums: also read every archived PDF and original and compare it with the sha256 the
    register recorded (slow: the whole archive is read)."""
    cfg = ctx.config
    report = CheckReport()
    _check_jobs(ctx, report, repair)
    _check_inbox(cfg, report, repair)
    sidecars = _sidecars(cfg.paths.archive)
    registered = {row["id"]: row for row in ctx.register.archived()}
    on_disk: set[str] = set()  # unreadable sidecars: not a reason to drop a letter from search
    for doc_id, row in registered.items():
        pdf = _check_files(cfg, row, report, checksums)
        if doc_id not in sidecars:
            sidecar = pdf.with_suffix(".json")
            if sidecar.is_file():  # there, but not JSON of a Courrier sidecar: torn, damaged
                report.add("unreadable_sidecar", f"{row['registration_number']}: {sidecar}")
                on_disk.add(doc_id)
            else:
                report.add("missing_sidecar", f"{row['registration_number']}: {pdf}")
    _check_unregistered(ctx, report, sidecars, registered, repair)
    _check_failed(cfg, report, {row["sha256"] for row in registered.values()}, repair)
    # What the index should hold: registered documents with their files (a repair may just
    # have restored some rows).
    now_registered = {row["id"] for row in ctx.register.archived()} if repair else set(registered)
    _check_index(ctx, report, (set(sidecars) | on_disk) & now_registered, repair)
    return report


def _check_files(cfg: Config, row: dict[str, Any], report: CheckReport, checksums: bool
                 ) -> Path:
    """The archived PDF and the original of one register row are there (and unchanged)."""
    number = row["registration_number"]
    pdf = cfg.paths.archive / (row["archive_path"] or "")
    original = cfg.paths.originals / (row["original_path"] or "")
    for kind, path, recorded, fix in (
            ("archive_file", pdf, row["pdf_sha256"], "restore it from a backup, or rebuild it "
             "from the original with `courrier reindex --re-ocr`"),
            ("original", original, row["sha256"], "restore it from a backup")):
        if not path.is_file():
            report.add(f"missing_{kind}", f"{number}: {path}")
        elif checksums and recorded and sha256_file(path) != recorded:
            report.add(f"{kind}_changed", f"{number}: {path} differs from the file filed "
                       f"(sha256): {fix}")
    return pdf


def _check_jobs(ctx: Context, report: CheckReport, repair: bool) -> None:
    """Job folders no live process holds were interrupted: resume them."""
    root = ctx.config.paths.processing
    left = [d for d in root.iterdir() if d.is_dir() and not jobs.is_held(d)] \
        if root.exists() else []
    found = [report.add("interrupted_job", f"{d.name} was interrupted") for d in left]
    if left and repair:
        resume_pending(ctx)
        for finding in found:
            finding.repaired = not (root / finding.detail.split()[0]).exists()


def _check_inbox(cfg: Config, report: CheckReport, repair: bool) -> None:
    """Files stranded half-way through a claim from another filesystem go back in."""
    staging = cfg.paths.inbox / jobs.STAGING
    processing = cfg.paths.processing
    for path in _files(staging):
        job_id = path.stem
        if (processing / job_id).exists():
            continue  # its job resumes it
        finding = report.add("stranded_in_staging", str(path))
        if repair:
            os.rename(path, unique_path(cfg.paths.inbox, f"recovered-{path.name}"))
            finding.repaired = True


def _check_unregistered(ctx: Context, report: CheckReport,
                        sidecars: dict[str, tuple[Path, dict[str, Any]]],
                        registered: dict[str, dict[str, Any]], repair: bool) -> None:
    """Sidecars without a register row: a lost row (restore) or a leftover (remove)."""
    by_sha = {row["sha256"]: doc_id for doc_id, row in registered.items()}
    numbers = {row["registration_number"]: doc_id for doc_id, row in registered.items()}
    for doc_id, (path, data) in sidecars.items():
        if doc_id in registered or (ctx.config.paths.processing / doc_id).exists():
            continue  # registered, or in flight: its job finishes it
        owner = by_sha.get(data.get("sha256")) or numbers.get(data.get("registration_number"))
        if owner:  # written before a commit that never came; the letter is archived as owner
            finding = report.add("uncommitted_leftover", f"{path} (the letter is {owner})")
            if repair:
                path.with_suffix(".pdf").unlink(missing_ok=True)
                path.unlink()
                finding.repaired = True
            continue
        finding = report.add("unregistered", f"{path} is not in the register")
        if repair:
            finding.repaired = ctx.register.restore_from_sidecar(data)


def _check_failed(cfg: Config, report: CheckReport, archived: set[str], repair: bool) -> None:
    """Every failed input has its reason file, and no reason file lost its input."""
    for path in _files(cfg.paths.failed):
        if path.name.endswith(".error.json"):
            if not path.with_name(path.name[: -len(".error.json")]).exists():
                finding = report.add("reason_without_file", str(path))
                if repair:
                    path.unlink()
                    finding.repaired = True
            continue
        if path.name.endswith(".json") or path.name.startswith("."):
            continue
        if not path.with_name(path.name + ".error.json").exists():
            report.add("failed_without_reason", jobs.display_name(str(path)))
        if archived and sha256_file(path) in archived:
            report.add("failed_but_archived", f"{jobs.display_name(str(path))} was archived "
                       "since (dropped again?); it can be deleted")


def _check_index(ctx: Context, report: CheckReport, archived: set[str], repair: bool) -> None:
    try:
        verdict = ctx.index.verify(deep=True)  # every file against its commit's checksum
        broken = [report.add("index_damaged", problem) for problem in verdict.problems]
        if verdict.unverified and not broken:  # no checksums to compare: a rebuild writes them
            finding = report.add("index_unverified", f"{verdict.unverified}; `courrier "
                                 "reindex` writes an index with checksums")
            broken = [finding] if repair else []
        indexed = ctx.index.ids()
    except IndexBusyError as exc:  # busy is not broken: no rebuild, try again later
        report.add("index_busy", f"{exc.message}; run `courrier check` again later")
        return
    except CourrierError as exc:
        broken = [report.add("index_unavailable", exc.message)]
    if broken:
        if repair:
            _rebuild(ctx)
            for finding in broken:
                finding.repaired = True
        return
    missing, extra = archived - indexed, indexed - archived
    # Letters the register still holds "to index" (a re-extraction or a write that was
    # deferred): in the index perhaps, but with old fields.
    queued = {row["id"] for row in ctx.register.pending_index()} & (archived - missing)
    found = [report.add("not_indexed", doc_id) for doc_id in sorted(missing)]
    found += [report.add("to_index", f"{doc_id} is recorded 'to index'")
              for doc_id in sorted(queued)]
    found += [report.add("indexed_not_archived", doc_id) for doc_id in sorted(extra)]
    if repair and found:
        if extra:
            ctx.index.delete(extra)
        ctx.register.mark_indexed(sorted(missing), indexed=False)
        flush_pending(ctx)
        # Judge by the outcome: a sidecar the index refuses stays "to index".
        left = {row["id"] for row in ctx.register.pending_index()}
        now_indexed = ctx.index.ids()
        for finding in found:
            doc_id = finding.detail.split()[0]
            finding.repaired = doc_id not in left and (
                (doc_id in now_indexed) != (finding.kind == "indexed_not_archived"))


def _rebuild(ctx: Context) -> None:
    from pipeline.reindex import rebuild_index

    cfg = ctx.config
    rebuild_index(cfg.paths.archive, cfg.paths.index, cfg.index)
    sync_indexed_flags(ctx)


def run_check(config: Config, repair: bool, as_json: bool, checksums: bool = False) -> int:
    ctx = Context(config, actor="courrier check")
    try:
        report = check(ctx, repair, checksums)
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
