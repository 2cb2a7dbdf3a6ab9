"""Which language a letter is written in, from its function words."""

from __future__ import annotations

from collections import Counter

from pipeline.extract.nlp import fold
from pipeline.extract.patterns import PatternSet


def detect_language(tokens: Counter[str], patterns: PatternSet) -> tuple[str | None, float]:
    """The language whose marker words are most frequent, with a confidence 0..1."""
    scores: dict[str, int] = {}
    for lang, markers in patterns.markers.items():
        folded = {fold(m) for m in markers}
        scores[lang] = sum(count for token, count in tokens.items() if token in folded)
    if not scores:
        return None, 0.0
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best, best_score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if best_score < 3:
        return None, 0.0
    # Sure when well ahead of the next language and seen often enough.
    margin = (best_score - runner_up) / best_score
    confidence = min(1.0, 0.5 + 0.5 * margin) * min(1.0, best_score / 10)
    return best, round(max(confidence, 0.3), 2)
