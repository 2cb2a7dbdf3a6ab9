"""The one configuration object. Loaded once by the CLI (TOML file + a few env overrides).

Nothing here is read at import time: `load_config()` is called by the CLI and the result is
passed to everything else.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARCHIVE_TEMPLATE = "{year}/{month}/{sender}/{date}_{reference}_{short_id}.pdf"


@dataclass
class PathsConfig:
    """Where things live. Relative paths are resolved against `home`."""

    home: Path = REPO_ROOT / "watch_dirs"
    inbox: Path = Path("inbox")
    processing: Path = Path("processing")
    failed: Path = Path("failed")
    duplicates: Path = Path("duplicates")
    archive: Path = Path("archive")
    originals: Path = Path("originals")
    index: Path = Path("index")
    database_url: str = ""  # default: sqlite file register.sqlite3 in home
    models: Path = REPO_ROOT / "models"

    def resolve(self) -> None:
        """Make every path absolute (relative ones live under `home`)."""
        self.home = self.home.expanduser().resolve()
        names = ("inbox", "processing", "failed", "duplicates", "archive", "originals", "index")
        for name in names:
            value = getattr(self, name).expanduser()
            setattr(self, name, value if value.is_absolute() else self.home / value)
        self.models = self.models.expanduser().resolve()
        if not self.database_url:
            self.database_url = f"sqlite:///{self.home / 'register.sqlite3'}"


@dataclass
class OcrConfig:
    languages: list[str] = field(default_factory=lambda: ["fra", "eng", "deu"])
    jobs: int = 2
    deskew: bool = True
    rotate_pages: bool = True
    clean: bool = False  # unpaper --clean before OCR (text layer only, image kept)
    timeout_seconds: int = 900  # for one whole document
    tesseract_timeout: int = 180  # per page
    max_image_mpixels: int = 250
    scan_pdfa_backend: str = "ghostscript"  # small JPEG output for pure scans
    image_dpi_fallback: int = 300  # used when an image has no usable DPI
    optimize: int = 1


@dataclass
class StabilityConfig:
    quiet_seconds: float = 5.0  # size and mtime unchanged this long
    max_wait_seconds: float = 3600.0  # then an incomplete file goes to failed
    empty_max_wait_seconds: float = 60.0  # a 0-byte file: scanners create, then fill
    backoff_max_seconds: float = 60.0


@dataclass
class WatchConfig:
    mode: str = "auto"  # auto | native | polling
    polling_interval_seconds: float = 5.0
    rescan_interval_seconds: float = 180.0
    ignore_patterns: list[str] = field(
        default_factory=lambda: [
            ".*", "*.part", "*.tmp", "*.temp", "~$*", "*.filepart", "*.crdownload",
            "Thumbs.db", "desktop.ini", "*.swp", "*.partial", "*.json",
        ]
    )
    network_fs_types: list[str] = field(
        default_factory=lambda: [
            "cifs", "smb3", "smbfs", "nfs", "nfs4", "fuse.sshfs", "9p", "fuse.rclone",
            "davfs", "fuse.gvfsd-fuse", "afpfs", "ncpfs", "glusterfs", "ceph", "fuse",
        ]
    )
    transient_retries: int = 3
    max_observer_restarts: int = 5  # within an hour; then exit non-zero for the supervisor
    keep_duplicates: bool = True  # False: a duplicate input is deleted once recorded


@dataclass
class ArchiveConfig:
    template: str = DEFAULT_ARCHIVE_TEMPLATE
    max_component_length: int = 80
    unknown: str = "unknown"  # placeholder for missing fields in path names
    confidential_mode: int = 0o600


@dataclass
class ExtractConfig:
    review_threshold: float = 0.6  # below this a key field flags needs_review
    default_country: str = "FR"  # decides day/month order when the language is unclear
    use_statistical_ner: bool = True  # fr_core_news_sm when installed


@dataclass
class IndexConfig:
    lock_timeout_seconds: float = 60.0
    batch_size: int = 5000  # documents per commit during reindex (segment merges cost less)
    writer_memory_mb: int = 64  # postings held per commit before spilling to disk (estimate)
    optimize_after_rebuild: bool = False  # one segment: faster searches, but a full extra pass
    reindex_procs: int = 1  # >1: Whoosh's multi-process writer (slower at 100 000: merges)


@dataclass
class NotifyConfig:
    """How departments hear of new mail: e-mail (SMTP) and/or a webhook (HTTP POST)."""

    smtp_host: str = ""  # empty: no e-mail
    smtp_port: int = 25
    smtp_from: str = "courrier@localhost"
    smtp_starttls: bool = False
    smtp_username: str = ""
    smtp_password: str = ""
    webhook: str = ""  # URL POSTed for every department without its own webhook
    timeout_seconds: float = 10.0
    retry_base_seconds: float = 60.0  # then doubled per failed attempt, capped at 1 h
    # department -> {email = [...], webhook = "..."}
    departments: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class RegisterConfig:
    """Numbering, routing, deadlines, users and notifications (see docs/register.md)."""

    number_format: str = "{year}-{seq:06d}"
    default_department: str = "mailroom"
    # Days to handle a letter: "default", then per doc_type and per urgency (the shorter wins).
    due_days: dict[str, int] = field(
        default_factory=lambda: {"default": 15, "urgent": 3, "high": 7}
    )
    routes: list[dict[str, Any]] = field(default_factory=list)  # [[register.routes]]
    users: dict[str, list[str]] = field(default_factory=dict)  # user -> departments
    notify: NotifyConfig = field(default_factory=NotifyConfig)


@dataclass
class Config:
    """Everything Courrier can be told. Build it with `load_config()`."""

    paths: PathsConfig = field(default_factory=PathsConfig)
    ocr: OcrConfig = field(default_factory=OcrConfig)
    stability: StabilityConfig = field(default_factory=StabilityConfig)
    watch: WatchConfig = field(default_factory=WatchConfig)
    archive: ArchiveConfig = field(default_factory=ArchiveConfig)
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    index: IndexConfig = field(default_factory=IndexConfig)
    register: RegisterConfig = field(default_factory=RegisterConfig)
    source: str = "defaults"

    def ensure_dirs(self) -> None:
        """Create the state folders (idempotent)."""
        p = self.paths
        for folder in (p.inbox, p.processing, p.failed, p.duplicates, p.archive, p.originals):
            folder.mkdir(parents=True, exist_ok=True)


def _apply(section: Any, values: dict[str, Any], where: str) -> None:
    """Copy TOML values into a dataclass section, refusing unknown keys with a clear message."""
    known = {f.name: f for f in fields(section)}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(
                f"{where}: unknown setting '{key}'",
                hint=f"Known settings here: {', '.join(sorted(known))}.",
            )
        current = getattr(section, key)
        if is_dataclass(current):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: [{key}] must be a table")
            _apply(current, value, f"{where}.{key}")
            continue
        if isinstance(current, Path):
            value = Path(str(value))
        elif isinstance(current, bool) and not isinstance(value, bool):
            raise ConfigError(f"{where}: '{key}' must be true or false, not {value!r}")
        elif isinstance(current, int | float) and not isinstance(current, bool):
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise ConfigError(f"{where}: '{key}' must be a number, not {value!r}")
            value = type(current)(value)
        setattr(section, key, value)


def load_config(path: Path | None = None, home: Path | None = None,
                env: dict[str, str] | None = None) -> Config:
    """Load the TOML file (if any), then apply overrides: `home` argument, then COURRIER_HOME.

    Order of precedence, highest first: `home` argument (--home), COURRIER_HOME, the file.
    """
    env = dict(os.environ) if env is None else env
    config = Config()
    if path is None and env.get("COURRIER_CONFIG"):
        path = Path(env["COURRIER_CONFIG"])
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"configuration file not found: {path}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        _apply(config, data, str(path))
        config.source = str(path)
        if "paths" in data and "home" in data["paths"]:
            home_value = Path(data["paths"]["home"]).expanduser()
            if not home_value.is_absolute():
                config.paths.home = Path(path).resolve().parent / home_value
    if env.get("COURRIER_HOME"):
        config.paths.home = Path(env["COURRIER_HOME"])
    if home is not None:
        config.paths.home = home
    config.paths.resolve()
    validate(config)
    return config


def validate(config: Config) -> None:
    """Refuse settings that would lose mail or cannot work, with a message that says why."""
    from pipeline.naming import check_template

    p = config.paths
    if p.home.exists() and not p.home.is_dir():
        raise ConfigError(f"the home {p.home} is a file, not a folder",
                          hint="Give --home (or COURRIER_HOME) a folder; it is created if absent.")
    check_template(config.archive.template)
    for section, name in (("stability", "quiet_seconds"), ("stability", "max_wait_seconds"),
                          ("ocr", "timeout_seconds"), ("index", "lock_timeout_seconds")):
        if getattr(getattr(config, section), name) < 0:
            raise ConfigError(f"[{section}] {name} cannot be negative")
    inbox = p.inbox.resolve()
    for name in ("processing", "failed", "duplicates", "archive", "originals", "index"):
        folder = getattr(p, name).resolve()
        if folder == inbox or inbox in folder.parents:
            raise ConfigError(
                f"the {name} folder ({folder}) lies inside the inbox ({inbox})",
                hint="Courrier would pick up its own output as new mail. Move it out of the inbox.",
            )
    if config.watch.mode not in ("auto", "native", "polling"):
        raise ConfigError(
            f"[watch] mode must be auto, native or polling, not {config.watch.mode!r}")
    if not config.ocr.languages:
        raise ConfigError("[ocr] languages must name at least one tesseract language")
    if config.ocr.scan_pdfa_backend not in ("ghostscript", "internal"):
        raise ConfigError("[ocr] scan_pdfa_backend must be ghostscript or internal")
    try:
        config.register.number_format.format(year=2024, seq=1)
    except (KeyError, ValueError, IndexError) as exc:
        raise ConfigError(
            f"[register] number_format {config.register.number_format!r} is invalid: {exc}",
            hint="Use {year} and {seq}, e.g. '{year}-{seq:06d}'.",
        ) from exc
    # Imported here: the register package imports SQLAlchemy, which plain config users skip.
    from pipeline.register.rules import check_register

    check_register(config.register)
