"""What a letter says: sender, references, recipient, body, cues, stamp, and the truth."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .common import DOC_KINDS, DOC_TYPES, LANGUAGES, REF_PATTERNS, Options, fill, pool_slice
from .texts import TEXT, format_date, money


@dataclass
class Content:
    """Everything printed on the letter, before layout."""

    lang: str
    doc_type: str
    sender: str
    sender_lines: list[str]
    legal: str
    date_line: str
    refs: list[tuple[str, str]]
    address: list[str]
    notes: list[str]  # registered-mail / confidential lines above the address
    heading: str  # URGENT-style cue above the subject, or ""
    subject_label: str
    subject: str
    salutation: str
    paragraphs: list[str]
    closing: str
    signer: tuple[str, str]
    enclosure: str
    stamp: list[str]
    truth: dict[str, Any] = field(default_factory=dict)


def _amount(rng: random.Random, lang: str) -> str:
    currency = {"fr": "€", "en": rng.choice("££€"), "de": rng.choice(["€", "EUR"])}[lang]
    return money(rng.randint(4_000, 2_500_000) / 100, lang, currency)


def _person(rng: random.Random, t: dict[str, Any]) -> tuple[str, str, str]:
    """(gender f/m, first name, last name)."""
    gender = rng.choice("fm")
    return gender, rng.choice(t[f"first_{gender}"]), rng.choice(t["last"])


def _sender(rng: random.Random, lang: str, kind: str, pool: str) -> tuple[str, list[str], str, str]:
    """Sender name, letterhead lines (street, city, phone...), a legal line or "", city name."""
    t = TEXT[lang]
    name = rng.choice(pool_slice(t["senders"][kind], pool))
    city = rng.choice(t["cities"])
    street = rng.choice(t["streets"]).format(n=rng.randint(1, 180))
    phone = t["phone"][0].format(p=fill(rng, t["phone"][1]))
    lines = [street, city if lang != "fr" else city.upper(), phone]
    if rng.random() < 0.4:
        word = next(w for w in [*name.split(), "courrier"] if len(w) > 3).lower()
        for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
            word = word.replace(umlaut, plain)
        word = unicodedata.normalize("NFKD", word)
        domain = "".join(ch for ch in word if ch.isascii() and ch.isalpha())
        lines.append(f"www.{domain}.{ {'fr': 'fr', 'en': 'co.uk', 'de': 'de'}[lang]}")
    legal = ""
    city_name = city.split(" ", 1)[1] if lang != "en" else city.rsplit(" ", 2)[0]
    if kind != "public" and rng.random() < 0.75:
        signer = " ".join(_person(rng, t)[1:])
        legal = fill(rng, rng.choice(t["legal"])).format(name=signer, city=city_name)
    return name, lines, legal, city_name


def _label(rng: random.Random, t: dict[str, Any], key: str, pool: str) -> str:
    """A label from the shared list, or (one time in four) from the pool's own rarer ones."""
    extra = pool_slice(t[key + "_x"], pool)
    return rng.choice(extra if extra and rng.random() < 0.25 else t[key])


def _refs(rng: random.Random, lang: str, doc_type: str, pool: str, year: int) -> dict[str, Any]:
    """The reference block: ordered (label, value) rows plus the true values."""
    t = TEXT[lang]
    patterns = pool_slice(REF_PATTERNS, pool)
    prefixes = t["prefix"]["invoice" if doc_type in ("invoice", "reminder") else "other"]
    ref = fill(rng, rng.choice(patterns), year, rng.choice(prefixes))
    use_inv = doc_type == "invoice" and rng.random() < 0.5
    rows = [(rng.choice(t["inv_labels"]) if use_inv else _label(rng, t, "ref_labels", pool), ref)]
    theirs = None
    if rng.random() < 0.6:
        theirs = fill(rng, rng.choice(patterns), year, rng.choice(t["prefix"]["other"]))
        rows.insert(rng.randint(0, 1), (_label(rng, t, "their_labels", pool), theirs))
    if rng.random() < 0.35:  # a customer / contract number: a distractor, not the reference
        rows.append((rng.choice(t["cust_labels"]), fill(rng, "#" * rng.randint(6, 9))))
    return {"rows": rows, "reference": ref, "their_reference": theirs}


def _recipient(rng: random.Random, lang: str) -> tuple[list[str], str, tuple[str, str], str]:
    """Address lines, the addressee for the truth (person, else department), (gender, last
    name) for the salutation, and the organisation."""
    t = TEXT[lang]
    org = rng.choice(t["orgs"])
    city = rng.choice(t["cities"])
    street = rng.choice(t["streets"]).format(n=rng.randint(1, 90))
    gender, first, last = _person(rng, t)
    has_person, has_dept = rng.random() < 0.7, rng.random() < 0.6
    if not (has_person or has_dept):
        has_dept = True
    person = f"{t['civ'][gender]} {first} {last}"
    dept = rng.choice(t["depts"])
    if lang == "fr":
        top = [org] + ([f"À l'attention de {person}" if rng.random() < 0.4 else person]
                       if has_person else []) + ([dept] if has_dept else [])
        lines = [*top, street, city.upper() if rng.random() < 0.5 else city]
    elif lang == "de":
        who = [person if rng.random() < 0.5 else f"z. Hd. {person}"] if has_person else []
        lines = [org, *([f"Abteilung {dept}"] if has_dept else []), *who, street, city]
    else:
        city_name, postcode = city.rsplit(" ", 2)[0], " ".join(city.rsplit(" ", 2)[1:])
        lines = [*([person] if has_person else []), *([dept] if has_dept else []), org, street,
                 city_name.upper() if rng.random() < 0.3 else city_name, postcode]
    addressee = f"{first} {last}" if has_person else dept
    return lines, addressee, (gender, last) if has_person else ("x", ""), org


def _body(rng: random.Random, lang: str, doc_type: str, d: date, pool: str,
          sender: str) -> dict[str, Any]:
    """Subject, paragraphs (with distractor dates and names) and the searchable words."""
    t = TEXT[lang]
    subjects, p1, p2, word_pool = t["types"][doc_type]
    words = rng.sample(word_pool, rng.randint(3, 4))
    joined = ", ".join(words[:-1]) + f" {t['and']} " + words[-1]
    styles = ["long", "num"] if lang != "en" else ["long", "us", "num"]
    fmt = lambda delta: format_date(d + timedelta(days=delta), lang, rng.choice(styles))  # noqa: E731
    others = [name for kind in ("supplier", "law") for name in pool_slice(t["senders"][kind], pool)
              if name != sender]
    gender, first, last = _person(rng, t)
    values = {
        "prev": fmt(-rng.randint(12, 200)), "due": fmt(rng.randint(10, 45)),
        "start": fmt(rng.randint(15, 120)), "start2": fmt(-rng.randint(400, 1500)),
        "birth": format_date(date(rng.randint(1940, 2004), rng.randint(1, 12),
                                  rng.randint(1, 28)), lang, rng.choice(styles)),
        "amount": _amount(rng, lang), "other": rng.choice(others), "words": joined,
        "person": f"{t['civ'][gender if lang == 'de' else gender + 's']} {first} {last}",
        "cust": fill(rng, "#" * 8), "phone": fill(rng, t["phone"][1]),
    }
    paragraphs = [p1, p2]
    if lang == "de" or rng.random() < 0.75:
        paragraphs.insert(0, rng.choice(t["open"]))
    if rng.random() < 0.6:
        paragraphs.insert(len(paragraphs) - rng.randint(0, 1), rng.choice(t["extra"]))
    if rng.random() < 0.6:
        paragraphs.append(rng.choice(t["end"]))
    paragraphs = [p.format(**values) for p in paragraphs]
    paragraphs = [p if (lang == "de" and i == 0) else p[0].upper() + p[1:]
                  for i, p in enumerate(paragraphs)]
    return {"subject": rng.choice(subjects), "paragraphs": paragraphs, "words": words}


def _stamp_text(rng: random.Random, lang: str, d: date, org: str) -> list[str]:
    """The two lines of a reception stamp, in the recipient's (= the letter's) language."""
    t = TEXT[lang]
    month = t["months"][d.month - 1]
    if lang == "fr":
        when = f"{d.day} {month.upper()} {d.year}"
    elif lang == "en":
        when = f"{d.day:02d} {month[:3].upper()} {d.year}"
    else:
        when = f"{d.day}. {month} {d.year}" if rng.random() < 0.6 else d.strftime("%d.%m.%Y")
    head = org.upper() if rng.random() < 0.5 else t["stamp"][1]
    return [head, t["stamp"][0].format(d=when)]


def _letter_date(rng: random.Random) -> date:
    d = date(2022, 1, 3) + timedelta(days=rng.randint(0, 1440))
    return d + timedelta(days=(7 - d.weekday()) % 7 if d.weekday() >= 5 else 0)


def compose(rng: random.Random, opts: Options) -> Content:
    """Choose everything the letter says, and the truth the extractor should recover."""
    lang = opts.language or rng.choice(LANGUAGES)
    doc_type = opts.doc_type or rng.choice(DOC_TYPES)
    t = TEXT[lang]
    d = _letter_date(rng)
    kind = rng.choice(DOC_KINDS[doc_type])
    sender, sender_lines, legal, city = _sender(rng, lang, kind, opts.pool)
    refs = _refs(rng, lang, doc_type, opts.pool, d.year)
    address, addressee, (gender, last), org = _recipient(rng, lang)
    body = _body(rng, lang, doc_type, d, opts.pool, sender)
    urgency = opts.urgency or rng.choices(["normal", "high", "urgent"], [70, 15, 15])[0]
    confidential = opts.confidential if opts.confidential is not None else rng.random() < 0.15
    subject, notes, heading = body["subject"], [], ""
    if urgency == "high":
        notes.append(rng.choice(t["cues"]["high"]))
    elif urgency == "urgent":
        if doc_type in t["urgent_subject"] and rng.random() < 0.7:
            subject = t["urgent_subject"][doc_type]
        else:
            heading = rng.choice(t["cues"]["urgent"])
        if rng.random() < 0.5:
            notes.append(rng.choice(t["cues"]["high"]))
    if confidential:
        notes.insert(0, rng.choice(t["cues"]["conf"]))
    subject = subject.format(ref=refs["reference"])
    date_line = rng.choice(t["date_lines"]).format(
        city=city, long=format_date(d, lang, "long"), num=format_date(d, lang, "num"),
        iso=d.isoformat(), us=format_date(d, lang, "us"), ord=format_date(d, lang, "ord"))
    stamped = opts.stamp if opts.stamp is not None else rng.random() < 0.35
    received = d + timedelta(days=rng.randint(1, 12)) if stamped else None
    salutation = t["salut"][gender].format(civ=t["civ"].get(gender, ""), last=last)
    short = salutation.rstrip(",")
    _, first_s, last_s = _person(rng, t)
    content = Content(
        lang=lang, doc_type=doc_type, sender=sender, sender_lines=sender_lines, legal=legal,
        date_line=date_line, refs=refs["rows"], address=address, notes=notes, heading=heading,
        subject_label=rng.choice(t["subject_labels"]), subject=subject, salutation=salutation,
        paragraphs=body["paragraphs"], closing=rng.choice(t["close"]).format(s=short),
        signer=(f"{first_s} {last_s}", rng.choice(t["titles"][kind])),
        enclosure=rng.choice(t["encl"]) if rng.random() < 0.3 else "",
        stamp=_stamp_text(rng, lang, received, org) if received else [],
    )
    content.truth = {
        "sender": sender, "date": d.isoformat(),
        "received_on": received.isoformat() if received else None,
        "reference": refs["reference"], "their_reference": refs["their_reference"],
        "recipient": addressee, "subject": subject, "language": lang, "doc_type": doc_type,
        "urgency": urgency, "confidential": confidential, "words": body["words"],
    }
    return content
