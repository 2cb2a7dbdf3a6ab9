"""When is a file complete? The tracker on real files with a clock we move by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.errors import ConfigError
from pipeline.stabilise import Decision, StabilityTracker
from pipeline.watch import is_ignored
from tests.ingest_kit import born_digital_pdf, scan_image, scan_pdf_bytes


def tracker() -> StabilityTracker:
    return StabilityTracker(quiet_seconds=5, max_wait_seconds=60, backoff_max_seconds=8,
                            empty_max_wait_seconds=20)


def walk(t: StabilityTracker, path: Path, times: list[float]) -> list[Decision]:
    return [t.observe(path, now) for now in times]


def test_whole_pdf_ready_after_quiet_period_and_confirmed_page_count(tmp_path: Path) -> None:
    path = born_digital_pdf(tmp_path / "a.pdf", "A", pages=2)
    t = tracker()
    assert walk(t, path, [0, 4.9, 5.0]) == [Decision.WAIT] * 3  # first content check: 2 pages
    assert t.observe(path, 9.9) is Decision.WAIT  # confirmed only a quiet period later
    assert t.observe(path, 10.0) is Decision.READY


def test_pdf_that_gains_a_page_is_not_taken(tmp_path: Path) -> None:
    path = born_digital_pdf(tmp_path / "a.pdf", "A", pages=1)
    t = tracker()
    walk(t, path, [0, 5])
    born_digital_pdf(path, "A", pages=2)  # the scanner rewrote it with page 2
    assert walk(t, path, [6, 11, 15.9]) == [Decision.WAIT] * 3
    assert t.observe(path, 16) is Decision.READY


def test_truncated_pdf_waits_with_backoff_then_gives_up_with_reason(tmp_path: Path) -> None:
    raw = scan_pdf_bytes("T", pages=2)
    path = tmp_path / "t.pdf"
    path.write_bytes(raw[: len(raw) // 2])
    t = tracker()
    decisions = walk(t, path, [float(s) for s in range(0, 60)])
    assert Decision.READY not in decisions and set(decisions) == {Decision.WAIT}
    assert "%%EOF" in t.reason(path)
    assert t.observe(path, 60) is Decision.GIVE_UP


def test_growing_file_is_never_taken_while_it_grows(tmp_path: Path) -> None:
    raw = scan_pdf_bytes("G", pages=1)
    path = tmp_path / "g.pdf"
    t = tracker()
    for step, now in enumerate(range(0, 40, 4)):  # a slow copy: a chunk every 4 s < quiet
        path.write_bytes(raw[: min(len(raw), (step + 1) * len(raw) // 12)])
        assert t.observe(path, float(now)) is Decision.WAIT


def test_empty_file_gives_up_after_its_own_shorter_limit(tmp_path: Path) -> None:
    path = tmp_path / "e.pdf"
    path.write_bytes(b"")
    t = tracker()
    assert set(walk(t, path, [0, 5, 10, 19])) == {Decision.WAIT}
    assert t.observe(path, 20) is Decision.GIVE_UP
    assert t.reason(path) == "the file is empty" and t.limit(path) == 20


def test_tiff_frame_count_must_hold(tmp_path: Path) -> None:
    path = tmp_path / "m.tif"
    frames = [scan_image("F", n, size=(400, 200)) for n in (1, 2, 3)]
    frames[0].save(path, save_all=True, append_images=frames[1:2])
    t = tracker()
    walk(t, path, [0, 5])
    frames[0].save(path, save_all=True, append_images=frames[1:])
    assert walk(t, path, [6, 11]) == [Decision.WAIT, Decision.WAIT]
    assert t.observe(path, 16) is Decision.READY


def test_single_image_ready_after_quiet_period(tmp_path: Path) -> None:
    path = tmp_path / "s.png"
    scan_image("S", size=(400, 200)).save(path)
    t = tracker()
    assert walk(t, path, [0, 5]) == [Decision.WAIT, Decision.READY]


def test_vanished_file_is_gone(tmp_path: Path) -> None:
    path = born_digital_pdf(tmp_path / "v.pdf", "V")
    t = tracker()
    t.observe(path, 0)
    path.unlink()
    assert t.observe(path, 1) is Decision.GONE


@pytest.mark.parametrize("name", [
    "scan.pdf.part", "scan.tmp", "~$scan.pdf", "scan.pdf.filepart", ".hidden.pdf", "Thumbs.db",
    "desktop.ini", "scan.pdf.crdownload", "x.pdf.error.json",
])
def test_temporary_and_hidden_names_are_ignored(tmp_path: Path, name: str) -> None:
    assert is_ignored(tmp_path / name, tmp_path, load_config(home=tmp_path, env={})
                      .watch.ignore_patterns)


@pytest.mark.parametrize("name", ["scan.pdf", "Lettre reçue 📬.pdf", "a;b $(c).tif"])
def test_final_names_are_taken(tmp_path: Path, name: str) -> None:
    patterns = load_config(home=tmp_path, env={}).watch.ignore_patterns
    assert not is_ignored(tmp_path / name, tmp_path, patterns)
    assert is_ignored(tmp_path / ".sub" / name, tmp_path, patterns)  # inside a hidden folder


@pytest.mark.parametrize("folder", ["archive", "failed", "duplicates", "originals"])
def test_config_refuses_state_folders_inside_the_inbox(tmp_path: Path, folder: str) -> None:
    config_file = tmp_path / "courrier.toml"
    config_file.write_text(f'[paths]\ninbox = "mail"\n{folder} = "mail/{folder}"\n')
    with pytest.raises(ConfigError, match=f"the {folder} folder .* lies inside the inbox"):
        load_config(config_file, home=tmp_path, env={})


def test_config_accepts_sibling_folders(tmp_path: Path) -> None:
    config_file = tmp_path / "courrier.toml"
    config_file.write_text('[paths]\ninbox = "mail/in"\narchive = "mail/archive"\n')
    config = load_config(config_file, home=tmp_path, env={})
    assert config.paths.archive == tmp_path / "mail" / "archive"
