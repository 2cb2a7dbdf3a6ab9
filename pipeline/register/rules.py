"""Routing rules (`[[register.routes]]`): which department a letter goes to, and by when.

Rules are read once at start (`check_register`, called by `load_config` -> `validate`) so a
typo stops Courrier with a clear message instead of misrouting mail for weeks. The first rule
whose conditions all hold wins; a letter no rule takes goes to `default_department`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from pipeline.errors import ConfigError

if TYPE_CHECKING:
    from pipeline.config import NotifyConfig, RegisterConfig
    from pipeline.document import Document

URGENCY_ORDER = ("normal", "high", "urgent")
CONDITION_KEYS = ("recipient", "sender", "reference", "doc_type", "words", "language")
ACTION_KEYS = ("name", "department", "assignee", "due_in_days", "urgency", "confidential")
_NOTIFY_TARGET_KEYS = ("email", "webhook")


def fold(text: str) -> str:
    """Case- and accent-insensitive form, so 'Service Juridique' matches 'SERVICE JURIDIQUE'."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def max_urgency(*levels: str) -> str:
    """The most pressing of the given levels (unknown levels count as normal)."""
    ranks = [URGENCY_ORDER.index(lv) if lv in URGENCY_ORDER else 0 for lv in levels]
    return URGENCY_ORDER[max(ranks, default=0)]


@dataclass(frozen=True)
class Route:
    """One routing rule, validated; text conditions are stored folded."""

    name: str
    department: str
    recipient: tuple[str, ...] = ()
    sender: tuple[str, ...] = ()
    reference: re.Pattern[str] | None = None
    doc_type: tuple[str, ...] = ()
    words: re.Pattern[str] | None = None
    language: tuple[str, ...] = ()
    assignee: str = ""
    due_in_days: int | None = None
    urgency: str = ""
    confidential: bool = False

    def matches(self, facts: dict[str, str]) -> bool:
        """True when every condition the rule states holds for the letter's facts."""
        checks = [
            not self.recipient or any(r in facts["recipient"] for r in self.recipient),
            not self.sender or any(s in facts["sender"] for s in self.sender),
            self.reference is None or bool(self.reference.search(facts["references"])),
            not self.doc_type or facts["doc_type"] in self.doc_type,
            self.words is None or bool(self.words.search(facts["text"])),
            not self.language or facts["language"] in self.language,
        ]
        return all(checks)


@dataclass
class Routing:
    """What classification decided for one letter."""

    department: str
    assignee: str = ""
    due_date: str = ""
    urgency: str = "normal"
    confidential: bool = False
    rule: str = ""  # name of the rule that matched; empty for the default department
    cues: list[str] = field(default_factory=list)


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(
            isinstance(v, str) and v.strip() for v in items):
        raise ConfigError(f"{where}: '{key}' must be a non-empty text or list of texts")
    return tuple(fold(v) for v in items)


def _regex(pattern: Any, where: str, key: str) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise ConfigError(f"{where}: '{key}' must be a regular expression (text)")
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(f"{where}: '{key}' is not a valid regular expression: {exc}",
                          hint="Check brackets and escape dots as \\\\. in TOML basic strings,"
                               " or use a 'literal string'.") from exc


def parse_route(raw: Any, number: int) -> Route:
    """One `[[register.routes]]` table -> Route, or a ConfigError naming the rule and key."""
    where = f"[[register.routes]] #{number}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table")
    if isinstance(raw.get("name"), str):
        where += f" ({raw['name']})"
    unknown = sorted(set(raw) - set(CONDITION_KEYS) - set(ACTION_KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}",
                          hint=f"Conditions: {', '.join(CONDITION_KEYS)}; "
                               f"actions: {', '.join(ACTION_KEYS)}.")
    department = raw.get("department")
    if not isinstance(department, str) or not department.strip():
        raise ConfigError(f"{where}: 'department' is missing",
                          hint="Every rule says where the mail goes: department = \"legal\".")
    due = raw.get("due_in_days")
    if due is not None and (not isinstance(due, int) or isinstance(due, bool) or due < 0):
        raise ConfigError(f"{where}: 'due_in_days' must be a whole number of days >= 0")
    urgency = raw.get("urgency", "")
    if urgency and urgency not in URGENCY_ORDER:
        raise ConfigError(f"{where}: 'urgency' must be one of {', '.join(URGENCY_ORDER)}")
    if not isinstance(raw.get("confidential", False), bool):
        raise ConfigError(f"{where}: 'confidential' must be true or false")
    words = raw.get("words")
    words_re = None
    if words is not None:
        alternatives = "|".join(re.escape(w) for w in _strings(words, where, "words"))
        words_re = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    return Route(
        name=str(raw.get("name") or f"route {number}"), department=department.strip(),
        recipient=_strings(raw["recipient"], where, "recipient") if "recipient" in raw else (),
        sender=_strings(raw["sender"], where, "sender") if "sender" in raw else (),
        reference=_regex(raw["reference"], where, "reference") if "reference" in raw else None,
        doc_type=_strings(raw["doc_type"], where, "doc_type") if "doc_type" in raw else (),
        words=words_re,
        language=_strings(raw["language"], where, "language") if "language" in raw else (),
        assignee=str(raw.get("assignee") or ""), due_in_days=due, urgency=urgency,
        confidential=bool(raw.get("confidential", False)),
    )


def parse_routes(raws: list[Any]) -> list[Route]:
    return [parse_route(raw, number) for number, raw in enumerate(raws, 1)]


def check_register(cfg: RegisterConfig) -> None:
    """Validate the whole [register] section; raise ConfigError on the first problem."""
    if not cfg.default_department.strip():
        raise ConfigError("[register] default_department must not be empty")
    for key, days in cfg.due_days.items():
        if not isinstance(days, int) or isinstance(days, bool) or days < 0:
            raise ConfigError(f"[register.due_days] '{key}' must be a whole number >= 0")
    if not isinstance(cfg.routes, list):
        raise ConfigError("[register] routes must be written as [[register.routes]] tables")
    parse_routes(cfg.routes)
    for user, departments in cfg.users.items():
        if not isinstance(departments, list) or not all(isinstance(d, str) for d in departments):
            raise ConfigError(f"[register.users] '{user}' must be a list of departments",
                              hint='e.g. alice = ["legal", "accounting"]')
    _check_notify(cfg.notify)


def _check_notify(notify: NotifyConfig) -> None:
    if notify.webhook and not notify.webhook.startswith(("http://", "https://")):
        raise ConfigError("[register.notify] webhook must be an http:// or https:// URL")
    if not 0 < notify.smtp_port < 65536:
        raise ConfigError("[register.notify] smtp_port must be between 1 and 65535")
    for dept, target in notify.departments.items():
        where = f"[register.notify.departments.{dept}]"
        if not isinstance(target, dict):
            raise ConfigError(f"{where} must be a table")
        unknown = sorted(set(target) - set(_NOTIFY_TARGET_KEYS))
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}",
                              hint="Known keys: email, webhook.")
        emails = target.get("email", [])
        emails = [emails] if isinstance(emails, str) else emails
        if not isinstance(emails, list) or not all(isinstance(e, str) and "@" in e
                                                   for e in emails):
            raise ConfigError(f"{where}: 'email' must be an address or a list of addresses")
        if emails and not notify.smtp_host:
            raise ConfigError(f"{where}: e-mail addresses given but smtp_host is not set")
        hook = target.get("webhook", "")
        if hook and not (isinstance(hook, str) and hook.startswith(("http://", "https://"))):
            raise ConfigError(f"{where}: 'webhook' must be an http:// or https:// URL")


def reception_date(doc: Document) -> date:
    """The reception stamp's date when the letter bears one, else the day the scan arrived."""
    stamped = doc.extraction.value("received_on")
    if stamped:
        try:
            return date.fromisoformat(stamped[:10])
        except ValueError:
            pass  # an unreadable stamp: the scan's arrival is the next best
    return date.fromisoformat(doc.received_at[:10])


def due_in(cfg: RegisterConfig, doc_type: str, urgency: str, rule_days: int | None) -> int:
    """Days to handle: the rule's, else the doc_type's, else default; urgency may shorten it."""
    base = rule_days if rule_days is not None else cfg.due_days.get(
        doc_type, cfg.due_days.get("default", 15))
    if urgency != "normal" and urgency in cfg.due_days:
        return min(base, cfg.due_days[urgency])
    return base


def route(doc: Document, cfg: RegisterConfig) -> Routing:
    """Apply the rules to a letter whose fields have been extracted."""
    meta = doc.extraction.metadata()
    facts = {
        "recipient": fold(meta["recipient"] or ""), "sender": fold(meta["sender"] or ""),
        "references": " ".join(v for v in (meta["reference"], meta["their_reference"]) if v),
        "doc_type": fold(meta["doc_type"] or ""), "language": fold(meta["language"] or ""),
        "text": fold(doc.text),
    }
    chosen = next((r for r in parse_routes(cfg.routes) if r.matches(facts)), None)
    urgency = max_urgency(doc.extraction.urgency, chosen.urgency if chosen else "")
    confidential = doc.extraction.confidential or bool(chosen and chosen.confidential)
    days = due_in(cfg, facts["doc_type"], urgency, chosen.due_in_days if chosen else None)
    due = reception_date(doc) + timedelta(days=days)
    cues = []
    if chosen and chosen.urgency and chosen.urgency != "normal":
        cues.append(f"rule:{chosen.name}")
    return Routing(
        department=chosen.department if chosen else cfg.default_department,
        assignee=chosen.assignee if chosen else "", due_date=due.isoformat(),
        urgency=urgency, confidential=confidential, rule=chosen.name if chosen else "",
        cues=cues,
    )
