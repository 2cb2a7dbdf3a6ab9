"""One exception family for Courrier. Each class carries its exit code and a hint.

The CLI turns these into one message and one exit status in exactly one place
(`pipeline.cli.main`); the failed-folder reason file uses the same fields.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit statuses of the `courrier` command."""

    OK = 0
    INPUT_FAILED = 1  # at least one input could not be archived
    USAGE = 2
    CONFIG = 3
    MISSING_DEPENDENCY = 4
    INDEX = 5
    STORAGE = 6
    REGISTER = 7
    CHECK_FAILED = 8
    INTERNAL = 70
    INTERRUPTED = 130


class CourrierError(Exception):
    """Base of every error Courrier raises on purpose.

    `hint` tells the user what to do; `transient` says whether retrying later may help.
    """

    exit_code: ExitCode = ExitCode.INTERNAL
    transient: bool = False
    default_hint: str = "See the log for details."

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint or self.default_hint

    def to_dict(self) -> dict[str, object]:
        """The error as the JSON object written beside failed inputs and printed by --json."""
        return {
            "error_class": type(self).__name__,
            "message": self.message,
            "hint": self.hint,
            "transient": self.transient,
            "exit_code": int(self.exit_code),
        }


class UsageError(CourrierError):
    exit_code = ExitCode.USAGE
    default_hint = "Run `courrier --help` for the commands and their options."


class ConfigError(CourrierError):
    exit_code = ExitCode.CONFIG
    default_hint = "Fix the configuration file named in the message and start again."


class MissingDependencyError(CourrierError):
    exit_code = ExitCode.MISSING_DEPENDENCY
    default_hint = (
        "Run the README's setup command, which installs every system tool Courrier needs.")


# --- input problems: permanent, the file goes to the failed folder ---------------------------


class InputError(CourrierError):
    """The input itself cannot be archived as it is. Retrying will not help."""

    exit_code = ExitCode.INPUT_FAILED
    default_hint = "Check the file, rescan it if needed, and drop it in the inbox again."


class EmptyFileError(InputError):
    default_hint = "The file is empty (0 bytes). Scan the letter again and drop the new file."


class UnsupportedFormatError(InputError):
    default_hint = (
        "Courrier accepts PDF, TIFF, PNG and JPEG scans. Export the document in one of these "
        "formats and drop it again."
    )


class DamagedFileError(InputError):
    default_hint = (
        "The file is damaged or incomplete (a copy that stopped half-way?). Copy or scan it "
        "again and drop the new file."
    )


class NotARegularFileError(InputError):
    default_hint = (
        "Courrier takes only regular files from the inbox (not links, folders' shortcuts, "
        "pipes or devices). Copy the scan itself into the inbox.")


class EncryptedFileError(InputError):
    default_hint = (
        "The PDF is protected by a password. Open it with the password, save a copy without "
        "protection, and drop that copy."
    )


class TooLargeError(InputError):
    default_hint = (
        "A page image is too large to OCR safely. Rescan at 300 dpi, or raise "
        "[ocr] max_image_mpixels in the configuration if the file is trusted."
    )


class IncompleteFileError(InputError):
    default_hint = (
        "The file never became complete within the waiting limit (still growing or truncated). "
        "Check the scanner or the copy, then drop the file again."
    )


# --- transient problems: retried with backoff --------------------------------------------------


class TransientError(CourrierError):
    """A fault that may go away: retried with backoff before the input is declared failed."""

    transient = True
    exit_code = ExitCode.INPUT_FAILED
    default_hint = "A temporary fault; Courrier retries by itself. If it persists, see the log."


class FileBusyError(TransientError):
    default_hint = "The file is still in use by another program; it will be retried."


class OcrTimeoutError(TransientError):
    default_hint = "OCR took longer than [ocr] timeout_seconds; it will be retried."


class OcrCrashError(TransientError):
    default_hint = "The OCR engine crashed; it will be retried. If it keeps failing, see the log."


class StorageError(CourrierError):
    """Writing to the archive failed (disk full, permissions, ...)."""

    transient = True
    exit_code = ExitCode.STORAGE
    default_hint = "Check free space and permissions of the archive folder; the input is kept."


# --- services --------------------------------------------------------------------------------


class RegisterError(CourrierError):
    exit_code = ExitCode.REGISTER
    default_hint = "The register database could not be used; check its path or URL and permissions."


class TransitionError(CourrierError):
    """A register status change that the mail's current status does not allow."""

    exit_code = ExitCode.USAGE
    default_hint = "`courrier register show NUMBER` prints the letter's status and history."


class NotificationError(CourrierError):
    """A department could not be told of its mail. Queued and retried; never blocks filing."""

    transient = True
    exit_code = ExitCode.REGISTER
    default_hint = (
        "Check [register.notify] (SMTP server, webhook URL); pending notifications are retried "
        "by `courrier register notify --retry` and by the watch loop.")


class IndexUnavailableError(CourrierError):
    """The search index cannot be opened or written. Never blocks archiving."""

    transient = True
    exit_code = ExitCode.INDEX
    default_hint = "Run `courrier reindex` to rebuild the search index from the archive."


class IndexBusyError(IndexUnavailableError):
    """Another Courrier process held an index lock for longer than the timeout: the index is
    busy, not damaged."""

    default_hint = ("The document is archived and recorded as 'to index'; it will be indexed "
                    "on the next run. If it keeps happening, see which process holds the index "
                    "(e.g. a long `courrier reindex`).")


class QuerySyntaxError(CourrierError):
    exit_code = ExitCode.USAGE
    default_hint = (
        'Examples: `facture sender:"ACME"`, `ref:AB-2024-0173`, `date:2024-01..2024-03`, '
        "`type:invoice AND NOT rappel`."
    )


class InternalError(CourrierError):
    exit_code = ExitCode.INTERNAL
    default_hint = (
        "This is a bug in Courrier. The input is kept in the failed folder; please report the "
        "error with the log lines of this document."
    )


class CheckFailedError(CourrierError):
    exit_code = ExitCode.CHECK_FAILED
    default_hint = "Run `courrier check --repair` to fix what can be fixed."
