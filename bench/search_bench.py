"""Measure re-index speed, memory and search latency on a synthetic archive of letters.

    .venv/bin/python bench/search_bench.py --docs 10000
    .venv/bin/python bench/search_bench.py --docs 100000 --queries 400

Writes sidecars in the real format (fr/en/de letters of 250-600 words, Zipf-like vocabulary,
senders, dates, references) under a temporary archive, then, each in a fresh child process so
peak RSS belongs to that step alone: Courrier's rebuild_index, search latency over a mix of
word/phrase/field/date/reference queries, and the same for plain Whoosh (default settings,
one commit at the end). Prints the figures and the ratios.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.config import IndexConfig  # noqa: E402
from pipeline.reindex import iter_sidecar_paths, rebuild_index  # noqa: E402
from pipeline.search import SearchIndex  # noqa: E402

WORDS = {
    "fr": """madame monsieur nous vous votre notre facture réclamation paiement règlement montant
    contrat dossier demande courrier lettre référence date objet suite conformément délai échéance
    relance rappel retard intérêts pénalités avenant résiliation assurance sinistre déclaration
    expertise remboursement indemnisation client fournisseur commande livraison marchandise
    prestation service travaux chantier devis acompte solde virement chèque banque compte
    prélèvement mensualité loyer bail locataire propriétaire charges régularisation impôts taxe
    administration préfecture mairie tribunal avocat huissier mise demeure recommandé accusé
    réception pièce jointe copie original signature cachet veuillez agréer salutations
    distinguées cordialement sentiments respectueux meilleurs disposition renseignement
    complémentaire information précision question réponse délais semaines jours mois année
    justificatif attestation certificat relevé bordereau avis décision notification recours
    contestation litige médiation conciliation accord proposition offre acceptation refus""",
    "en": """dear sir madam we you your our invoice complaint payment settlement amount contract
    file request letter reference date subject regarding accordance deadline overdue reminder
    delay interest penalty amendment termination insurance claim statement assessment refund
    compensation customer supplier order delivery goods service works site quote deposit balance
    transfer cheque bank account direct debit instalment rent lease tenant landlord charges tax
    administration council court solicitor notice formal recorded acknowledgement receipt
    enclosure attachment copy original signature sincerely faithfully regards kind please find
    enclosed further information clarification question answer weeks days months year proof
    certificate report slip decision notification appeal dispute mediation agreement proposal
    offer acceptance refusal outstanding due immediately confirm shipment warranty repair""",
    "de": """sehr geehrte damen herren wir ihnen ihre unsere rechnung beschwerde zahlung betrag
    vertrag akte anfrage schreiben brief bezug datum betreff bezüglich gemäß frist fälligkeit
    mahnung erinnerung verzug zinsen vertragsstrafe nachtrag kündigung versicherung schaden
    meldung gutachten erstattung entschädigung kunde lieferant bestellung lieferung ware
    leistung dienst arbeiten baustelle angebot anzahlung restbetrag überweisung scheck bank konto
    lastschrift rate miete mietvertrag mieter vermieter nebenkosten abrechnung steuer behörde
    gemeinde gericht rechtsanwalt gerichtsvollzieher einschreiben rückschein anlage kopie
    unterschrift stempel freundlichen grüßen hochachtungsvoll verfügung auskunft ergänzende
    information frage antwort wochen tage monate jahr nachweis bescheinigung zertifikat auszug
    bescheid entscheidung widerspruch streit schlichtung einigung vorschlag annahme ablehnung""",
}
SYLLABLES = {"fr": "ra ti on men ré ge la con tre par eau ier que ment",
             "en": "ing er ton ly st ance ment ure ed ble sh th ow",
             "de": "ung sch ei ber ge keit lich ver zu ch au ü ster"}
LANG_SHARE = (("fr", 0.6), ("en", 0.25), ("de", 0.15))
DOC_TYPES = ("invoice", "reminder", "complaint", "contract", "notice", "claim", "letter")


def vocabulary(lang: str, rng: random.Random, size: int = 6000) -> list[str]:
    """Real letter words first (the frequent ones), then made-up words for the long tail."""
    words = WORDS[lang].split()
    syllables = SYLLABLES[lang].split()
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def synthetic_sidecars(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    vocab = {lang: vocabulary(lang, rng) for lang, _ in LANG_SHARE}
    weights = {lang: [1.0 / (rank + 1) for rank in range(len(v))] for lang, v in vocab.items()}
    senders = [f"{rng.choice(['ACME', 'Globex', 'Initech', 'Müller', 'Dupré', 'Hooli'])} "
               f"{rng.choice(['SA', 'SARL', 'GmbH', 'Ltd', 'AG', 'SAS'])} {n}" for n in range(300)]
    for number in range(count):
        lang = rng.choices([lang for lang, _ in LANG_SHARE], [s for _, s in LANG_SHARE])[0]
        words = rng.choices(vocab[lang], weights[lang], k=rng.randint(250, 600))
        text = " ".join(words)
        year, month, day = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
        reference = f"{rng.choice('ABCDXYZ')}{rng.choice('ABCDXYZ')}-{year}/{number:05d}"
        yield {
            "format": "courrier-sidecar/1", "id": f"{number:012x}",
            "registration_number": f"{year}-{number:06d}",
            "original_name": f"scan_{number}.pdf",
            "received_at": f"{year}-{month:02d}-{day:02d}T09:00:00Z",
            "archive_path": f"{year}/{month:02d}/{number:012x}.pdf",
            "page_count": 1 + len(words) // 300,
            "department": rng.choice(["compta", "rh", "juridique", "direction"]),
            "metadata": {"sender": rng.choice(senders), "date": f"{year}-{month:02d}-{day:02d}",
                         "received_on": f"{year}-{month:02d}-{day:02d}", "reference": reference,
                         "their_reference": None, "recipient": "Service courrier",
                         "subject": " ".join(words[:6]), "language": lang,
                         "doc_type": rng.choice(DOC_TYPES)},
            "extraction": {"needs_review": rng.random() < 0.1, "urgency": "normal",
                           "confidential": rng.random() < 0.05},
            "pages": [{"number": 1, "text": text}],
        }


def write_archive(archive: Path, count: int) -> list[dict[str, Any]]:
    """Write the sidecars; keep a sample of documents to build queries from."""
    sample: list[dict[str, Any]] = []
    for number, sidecar in enumerate(synthetic_sidecars(count)):
        folder = archive / sidecar["archive_path"].rsplit("/", 1)[0]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{sidecar['id']}.json").write_text(json.dumps(sidecar), encoding="utf-8")
        if number % max(1, count // 300) == 0:
            sample.append(sidecar)
    return sample


def query_mix(sample: list[dict[str, Any]], count: int) -> list[tuple[str, str, str]]:
    """(kind, Courrier query, plain-Whoosh query) triples."""
    rng = random.Random(11)
    mix: list[tuple[str, str, str]] = []
    for _ in range(count):
        doc = rng.choice(sample)
        words = doc["pages"][0]["text"].split()
        meta = doc["metadata"]
        at = rng.randrange(len(words) - 2)
        year = meta["date"][:4]
        kind = ("word", "words", "phrase", "field", "date", "ref")[len(mix) % 6]
        if kind == "word":
            mix.append((kind, words[at], words[at]))
        elif kind == "words":
            mix.append((kind, f"{words[at]} {words[at + 1]}", f"{words[at]} {words[at + 1]}"))
        elif kind == "phrase":
            phrase = f'"{words[at]} {words[at + 1]}"'
            mix.append((kind, phrase, phrase))
        elif kind == "field":
            mix.append((kind, f'{words[at]} sender:"{meta["sender"]}"', words[at]))
        elif kind == "date":
            mix.append((kind, f"{words[at]} date:{year}-01..{year}-06", words[at]))
        else:
            ref = meta["reference"].replace("-", " ").replace("/", " ")
            mix.append((kind, ref, ref))
    return mix


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_child(job: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run `job` in a fresh process; its dict result gains the child's peak RSS."""
    # A plain Process, not a Pool: pool workers are daemonic and may not start the rebuild's
    # own worker processes.
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=_measured, args=(results, job, *args))
    child.start()
    result = results.get()
    child.join()
    if "error" in result:
        raise RuntimeError(result["error"])
    return dict(result)


def _measured(results: Any, job: Callable[..., dict[str, Any]], *args: Any) -> None:
    base = _peak_mb()
    try:
        result = job(*args)
    except Exception as exc:  # reported by the parent
        results.put({"error": f"{type(exc).__name__}: {exc}"})
        return
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result.update(peak_rss_mb=max(_peak_mb(), children), start_rss_mb=base, **_rss_split())
    results.put(result)


def _rss_split() -> dict[str, float]:
    """Resident memory now, split: anonymous (the heap) and file pages (the memory-mapped index,
    which the kernel can drop and re-read)."""
    found: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("RssAnon:", "RssFile:")):
                found[line.split(":")[0].lower() + "_mb"] = int(line.split()[1]) / 1024
    return found


def _cpu_seconds() -> float:
    """This process and its waited-for children: the machine is shared, wall time is noisy."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def courrier_build(archive: Path, index_dir: Path, batch_size: int, procs: int) -> dict[str, Any]:
    config = IndexConfig(batch_size=batch_size, reindex_procs=procs)
    cpu, load = _cpu_seconds(), os.getloadavg()[0]
    report = rebuild_index(archive, index_dir, config)
    cpu = _cpu_seconds() - cpu
    files = [p for p in (index_dir / report.generation).iterdir() if p.is_file()]
    return {"docs": report.count, "seconds": report.seconds, "docs_per_s": report.docs_per_second,
            "cpu_s": cpu, "docs_per_cpu_s": report.count / cpu,
            "load_before": load, "load_after": os.getloadavg()[0],
            "index_mb": sum(p.stat().st_size for p in files) / 2**20,
            "segments": len({p.name.split(".")[0] for p in files
                             if p.name.startswith("MAIN_") and "." in p.name
                             and not p.name.endswith(".toc")})}


def courrier_search(index_dir: Path, mix: list[tuple[str, str, str]],
                    facets: bool) -> dict[str, Any]:
    index = SearchIndex(index_dir, IndexConfig())
    for _, text, _ in mix[:20]:  # warm the caches, as a long-running server would be
        index.search(text, facets=facets)
    timings: dict[str, list[float]] = {}
    found = 0
    cpu = time.process_time()
    for kind, text, _ in mix:
        start = time.perf_counter()
        result = index.search(text, facets=facets)
        timings.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
        found += result.total > 0
    return _latency(timings, found, len(mix), time.process_time() - cpu)


def whoosh_build(path: Path, sidecars: Iterable[dict[str, Any]]) -> int:
    """Whoosh as documented, default settings: StandardAnalyzer content, one commit at the end."""
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema

    path.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(path), Schema(id=ID(stored=True, unique=True), content=TEXT()))
    writer = ix.writer()
    count = 0
    for sidecar in sidecars:
        text = "\n".join(str(p.get("text") or "") for p in sidecar.get("pages") or [])
        writer.add_document(id=str(sidecar["id"]), content=text)
        count += 1
    writer.commit()
    return count


def whoosh_searcher(path: Path) -> Callable[[str], int]:
    """A function query-string -> number of hits, with Whoosh's default QueryParser."""
    from whoosh import index
    from whoosh.qparser import QueryParser

    ix = index.open_dir(str(path))
    searcher = ix.searcher()
    parser = QueryParser("content", ix.schema)

    def run(text: str) -> int:
        results = searcher.search(parser.parse(text), limit=10)
        return len(results.top_n)

    return run


def baseline_build(archive: Path, index_dir: Path) -> dict[str, Any]:
    start, cpu = time.perf_counter(), _cpu_seconds()
    paths = iter_sidecar_paths(archive)
    docs = (json.loads(Path(p).read_text(encoding="utf-8")) for p in paths)
    count = whoosh_build(index_dir, docs)
    seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    return {"docs": count, "seconds": seconds, "docs_per_s": count / seconds, "cpu_s": cpu,
            "docs_per_cpu_s": count / cpu}


def baseline_search(index_dir: Path, mix: list[tuple[str, str, str]]) -> dict[str, Any]:
    run = whoosh_searcher(index_dir)
    for _, _, text in mix[:20]:
        run(text)
    timings: dict[str, list[float]] = {}
    found = 0
    cpu = time.process_time()
    for kind, _, text in mix:
        start = time.perf_counter()
        found += run(text) > 0
        timings.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
    return _latency(timings, found, len(mix), time.process_time() - cpu)


def _latency(timings: dict[str, list[float]], found: int, total: int,
             cpu_s: float) -> dict[str, Any]:
    every = [t for values in timings.values() for t in values]
    return {"p50_ms": percentile(every, 0.5), "p95_ms": percentile(every, 0.95),
            "cpu_ms_per_query": cpu_s * 1000 / max(1, total),
            "by_kind_p95_ms": {k: round(percentile(v, 0.95), 1) for k, v in timings.items()},
            "found": f"{found}/{total}"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=IndexConfig().batch_size)
    parser.add_argument("--procs", type=int, default=IndexConfig().reindex_procs)
    parser.add_argument("--workdir", type=Path, default=None, help="default: a temp folder")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="search-bench-", dir=args.workdir))
    try:
        start = time.perf_counter()
        sample = write_archive(work / "archive", args.docs)
        print(f"archive: {args.docs} sidecars written in {time.perf_counter() - start:.0f} s")
        mix = query_mix(sample, args.queries)
        rows = {"courrier": _steps(_in_child(courrier_build, work / "archive", work / "index",
                                             args.batch_size, args.procs),
                                   _in_child(courrier_search, work / "index", mix, True))}
        rows["courrier_nofacets"] = _in_child(courrier_search, work / "index", mix, False)
        if not args.no_baseline:
            rows["whoosh"] = _steps(_in_child(baseline_build, work / "archive", work / "baseline"),
                                    _in_child(baseline_search, work / "baseline", mix))
        report(rows, args.docs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _steps(build: dict[str, Any], search: dict[str, Any]) -> dict[str, Any]:
    """One row from the build and search children, each keeping its own peak RSS."""
    build["build_rss_mb"] = build.pop("peak_rss_mb")
    search["search_rss_mb"] = search.pop("peak_rss_mb")
    return {**build, **search}


def report(rows: dict[str, dict[str, Any]], docs: int) -> None:
    print(json.dumps(rows, indent=1, default=str))
    ours = rows["courrier"]
    print(f"\n{docs} documents, 2-core machine")
    print(f"re-index   : {ours['docs_per_s']:.0f} docs/s wall ({ours['docs_per_cpu_s']:.0f} per "
          f"CPU-second), peak RSS {ours['build_rss_mb']:.0f} MB, load {ours['load_before']:.1f}; "
          f"index {ours['index_mb']:.0f} MB in {ours['segments']} segments")
    print(f"search     : p50 {ours['p50_ms']:.1f} ms, p95 {ours['p95_ms']:.1f} ms (with facets); "
          f"without facets p95 {rows['courrier_nofacets']['p95_ms']:.1f} ms; "
          f"{ours['cpu_ms_per_query']:.1f} CPU-ms per query, "
          f"peak RSS {ours['search_rss_mb']:.0f} MB (at the end: heap "
          f"{ours.get('rssanon_mb', 0):.0f} MB, mapped index {ours.get('rssfile_mb', 0):.0f} MB)")
    base = rows.get("whoosh")
    if base:
        print(f"plain Whoosh: {base['docs_per_s']:.0f} docs/s wall "
              f"({base['docs_per_cpu_s']:.0f} per "
              f"CPU-second), peak RSS {base['build_rss_mb']:.0f} MB, search p50 "
              f"{base['p50_ms']:.1f} ms p95 {base['p95_ms']:.1f} ms, "
              f"{base['cpu_ms_per_query']:.1f} CPU-ms per query, "
              f"peak RSS {base['search_rss_mb']:.0f} MB")
        speed = ours["docs_per_s"] / base["docs_per_s"]
        print(f"ratios (Courrier / plain): index speed x{speed:.2f},"
              f" re-index peak RSS x{ours['build_rss_mb'] / base['build_rss_mb']:.2f},"
              f" search p95 x{ours['p95_ms'] / base['p95_ms']:.2f}")


if __name__ == "__main__":
    sys.exit(main())
