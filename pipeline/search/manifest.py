"""A checksum list of one index generation's files, so damage is found before a search trips.

Whoosh never re-reads a segment file in full: a truncated postings file, a deleted column
file or a flipped byte passes `open_index()` and fails later, in the middle of one query, or
never visibly (wrong results). Segment files are immutable once their commit is done (each
has a fresh random name), so after every commit the engine records, for the commit's table of
contents and every file it refers to, the size and sha256:

    courrier-manifest.json  {"toc": "_MAIN_7.toc", "files": {"MAIN_x.pst": [size, sha256], ...}}

`verify()` compares the folder with it: sizes only (a stat per file, for `courrier status`) or
sizes and checksums (`courrier check`). It must run under the index write lock: a commit
deletes the files a merge replaced.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.fsutil import sha256_file as _sha256
from pipeline.search.store import write_atomic

MANIFEST_FILE = "courrier-manifest.json"


def read(folder: Path) -> dict[str, Any] | None:
    """The manifest of `folder`, or None when there is none or it cannot be read."""
    try:
        data = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return None
    return data


def record(folder: Path, toc: str, segments: Iterable[str], names: Iterable[str], *,
           fresh: bool = False) -> None:
    """Write the manifest for the commit whose table of contents is `toc`.

    `segments`: the file-name prefixes of the commit's segments; `names`: their files on disk.
    An entry of the previous manifest whose segment is still in use is kept as it was, even
    if its file is now missing or of another size: segment files never change, so that is
    damage, and it must stay visible until a rebuild. Only new files are hashed, so a commit
    pays for the bytes it wrote, not for the whole index.

    Without a readable previous manifest (and not `fresh`: a new, empty index), the files on
    disk cannot be vouched for: the new manifest says so ("unverified") and every later one
    repeats it, until a rebuild writes a new generation.
    """
    prefixes = tuple(segments)
    previous = read(folder)
    known = previous["files"] if previous else {}
    if fresh:
        unverified = None
    elif previous is None:
        unverified = "written after its checksum list was lost"
    else:
        unverified = previous.get("unverified")
    files: dict[str, Any] = {name: entry for name, entry in known.items()
                             if prefixes and name.startswith(prefixes)}
    for name in sorted(set(names) | {toc}):
        if name not in files:
            files[name] = [(folder / name).stat().st_size, _sha256(folder / name)]
    manifest: dict[str, Any] = {"toc": toc, "files": files}
    if unverified:
        manifest["unverified"] = str(unverified)
    write_atomic(folder / MANIFEST_FILE, json.dumps(manifest))


@dataclass(frozen=True)
class Verdict:
    problems: list[str]  # damage found: the index must be rebuilt
    unverified: str | None = None  # why the files could not be checked (not damage)


def verify(folder: Path, toc: str, *, deep: bool) -> Verdict:
    """Compare `folder` with its manifest. `toc`: the latest table of contents on disk.

    deep=False compares sizes; deep=True also reads every file and compares its sha256.
    """
    manifest = read(folder)
    if manifest is None:
        return Verdict([], f"{folder / MANIFEST_FILE} is missing or unreadable (an index "
                       "written by an older Courrier?)")
    if manifest.get("toc") != toc:
        # A writer stopped between its commit and its manifest: the files it wrote are not
        # listed; its next commit lists them. Not damage in itself.
        return Verdict([], f"{folder / MANIFEST_FILE} describes {manifest.get('toc')}, not "
                       f"the latest commit {toc}")
    problems = []
    for name, entry in sorted(manifest["files"].items()):
        path = folder / name
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            problems.append(f"{path} is missing")
            continue
        if not isinstance(entry, list) or len(entry) != 2:
            problems.append(f"{folder / MANIFEST_FILE} has a damaged entry for {name}")
        elif size != entry[0]:
            problems.append(f"{path} has {size} bytes, its commit wrote {entry[0]}")
        elif deep and _sha256(path) != entry[1]:
            problems.append(f"{path} has changed since its commit (checksum differs)")
    unverified = manifest.get("unverified")
    return Verdict(problems, f"{folder / MANIFEST_FILE}: {unverified}" if unverified else None)
