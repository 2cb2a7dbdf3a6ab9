"""Run OCRmyPDF as a child process and turn its exit status into our exceptions.

A child process (not `ocrmypdf.ocr()` in-process) because: OCRmyPDF holds a process-wide lock
(one job per process), its resident memory grows over calls in a long-running service, and a
child can be killed on timeout without taking the watcher down.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import (
    CourrierError,
    DamagedFileError,
    EncryptedFileError,
    InputError,
    MissingDependencyError,
    OcrCrashError,
    OcrTimeoutError,
    StorageError,
    TooLargeError,
)


@dataclass
class OcrRequest:
    """Options for one OCRmyPDF run; built by the OCR stage (policy), executed here."""

    input_pdf: Path
    output_pdf: Path
    languages: list[str]
    jobs: int = 2
    deskew: bool = False
    rotate_pages: bool = False
    clean: bool = False
    skip_text: bool = False
    pdfa_backend: str = "auto"
    output_type: str = "pdfa-2"
    optimize: int = 1
    tesseract_timeout: int = 180
    max_image_mpixels: int = 250
    sidecar: Path | None = None
    extra: list[str] = field(default_factory=list)

    def argv(self) -> list[str]:
        args = [sys.executable, "-m", "ocrmypdf", "-l", "+".join(self.languages),
                "--jobs", str(self.jobs), "--output-type", self.output_type,
                "--optimize", str(self.optimize),
                "--tesseract-timeout", str(self.tesseract_timeout),
                "--max-image-mpixels", str(self.max_image_mpixels)]
        if self.output_type.startswith("pdfa"):
            args += ["--pdfa-backend", self.pdfa_backend]
        if self.deskew:
            args.append("--deskew")
        if self.rotate_pages:
            args += ["--rotate-pages", "--rotate-pages-threshold", "5"]
        if self.clean:
            args.append("--clean")
        if self.skip_text:
            args.append("--skip-text")
        if self.sidecar:
            args += ["--sidecar", str(self.sidecar)]
        return [*args, *self.extra, str(self.input_pdf), str(self.output_pdf)]


PR_SET_PDEATHSIG = 1


class PdfaConversionError(InputError):
    """OCRmyPDF could not make the file PDF/A (the OCR stage may fall back to plain PDF)."""


class GhostscriptError(OcrCrashError):
    """Ghostscript failed on this file; retrying the same way will fail the same way."""

    transient = False


def _last_lines(text: str, count: int = 6) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return " | ".join(lines[-count:])


def _die_with_parent() -> None:
    """In the child: be killed when Courrier dies (kill -9), so no orphan OCR writes into a
    job folder that a restarted Courrier is redoing."""
    # Not Linux (no libc.so.6): the job lock still keeps a second process off the job.
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def run_ocrmypdf(request: OcrRequest, timeout: float) -> None:
    """Run OCRmyPDF; raise one of our exceptions when it does not produce the output."""
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"  # Debian's tesseract is 3-5x slower with OpenMP on 2 cores
    try:
        proc = subprocess.run(
            request.argv(), capture_output=True, text=True, timeout=timeout, env=env,
            check=False, preexec_fn=_die_with_parent,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrTimeoutError(f"OCR did not finish within {timeout:.0f} s") from exc
    if proc.returncode == 0 and request.output_pdf.exists():
        return
    raise _error_for(proc.returncode, proc.stderr)


def _error_for(code: int, stderr: str) -> CourrierError:
    detail = _last_lines(stderr)
    low = stderr.lower()
    if "decompressionbomb" in low or ("image size" in low and "exceeds limit" in low) \
            or "image too large" in low:  # tesseract's own limit (32767 px a side)
        return TooLargeError(f"a page image is too large to OCR safely ({detail})")
    if code == 2:
        return DamagedFileError(f"OCRmyPDF could not read the input: {detail}")
    if code == 3:
        return MissingDependencyError(f"OCRmyPDF is missing a program: {detail}")
    if code == 5:
        return StorageError(f"OCRmyPDF could not write its output: {detail}")
    if code == 8:
        return EncryptedFileError("the PDF is encrypted")
    if code == 7 and "Ghostscript" in stderr:
        return GhostscriptError(f"Ghostscript failed: {detail}")
    if code == 7 or code < 0:
        return OcrCrashError(f"an OCR child process failed (exit {code}): {detail}")
    if code == 10:
        return PdfaConversionError(
            "the file could not be made PDF/A (OCRmyPDF: "
            f"{_last_lines(stderr, 2)[:240]})",
            hint="The file may use features PDF/A forbids; see the log, or convert it to "
            "images and drop it again.",
        )
    return OcrCrashError(f"OCRmyPDF failed (exit {code}): {detail}")
