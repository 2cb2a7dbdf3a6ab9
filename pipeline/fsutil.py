"""Durable file operations: nothing is reported as stored before it is on disk."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any


def fsync_dir(folder: Path) -> None:
    """Persist a folder's entries (a rename or link is durable only after this)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    except OSError:
        pass  # some network filesystems refuse fsync on folders; the file fsync still holds
    finally:
        os.close(fd)


def copy_durably(source: Path, target: Path, mode: int | None = None) -> None:
    """Copy to a temporary name beside `target`, fsync, then move into place.

    Never overwrites: raises FileExistsError if `target` appears meanwhile.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.part")
    with open(source, "rb") as src, open(tmp, "wb") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)
        dst.flush()
        os.fsync(dst.fileno())
    if mode is not None:
        os.chmod(tmp, mode)
    place_no_clobber(tmp, target)


def place_no_clobber(tmp: Path, target: Path) -> None:
    """Move `tmp` to `target` atomically, refusing to replace an existing file."""
    try:
        os.link(tmp, target)  # atomic and fails with EEXIST: no overwrite, ever
        os.unlink(tmp)
    except FileExistsError:
        os.unlink(tmp)
        raise
    except OSError:
        # Filesystems without hard links (some SMB mounts): check, then rename.
        if target.exists():
            os.unlink(tmp)
            raise FileExistsError(target) from None
        os.rename(tmp, target)
    fsync_dir(target.parent)


def sha256_file(path: Path) -> str:
    """The file's sha256 in hex, read a megabyte at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_json_durably(data: Any, target: Path, mode: int | None = None,
                       replace: bool = True) -> None:
    """Write JSON to `target` via a fsynced temporary file and an atomic replace."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.part")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2, sort_keys=False)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        if replace:
            os.replace(tmp, target)
            fsync_dir(target.parent)
        else:
            place_no_clobber(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)  # there only if the write failed: no stray .part left


def unique_path(folder: Path, name: str) -> Path:
    """`folder/name`, or `folder/stem-2.ext`, ... : the first that does not exist."""
    candidate = folder / name
    stem, suffix = os.path.splitext(name)
    counter = 2
    while candidate.exists() or candidate.is_symlink():
        candidate = folder / f"{stem}-{counter}{suffix}"
        counter += 1
    return candidate
