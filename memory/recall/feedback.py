"""Pseudo-relevance feedback for the keyword channel: a second keyword query from the words
the best first-pass hits share, which the question did not use.

A question and its evidence often share few words ("What activities has Melanie done with her
family?" against "the kids loved the pottery workshop"), while the best first-pass hits are
about the same thing and carry the evidence's words. The feedback terms are words found in
several of the top hits and seldom in the rest of the candidates (the candidates are the
background, so the words every turn uses, names of the speakers included, do not count).
Pure functions; the pipeline runs the query and fuses the ranking.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from storage.keyword import STOPWORDS

__all__ = ["feedback_terms", "words_of"]

_TOKEN = re.compile(r"[^\W\d_]{3,}")


def _stem(word: str) -> str:
    """A crude stem to tell a query word from its inflections (the index stems properly)."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def words_of(text: str) -> set[str]:
    """Distinct lower-case content words (3+ letters, no stopwords) of `text`, stemmed."""
    return {_stem(w) for w in _TOKEN.findall(text.lower()) if w not in STOPWORDS}


def feedback_terms(
    top: Sequence[str],
    background: Iterable[str],
    query: str,
    n_terms: int,
    min_docs: int = 2,
) -> list[str]:
    """Up to `n_terms` words found in at least `min_docs` of the `top` texts, not in `query`,
    best first by (share of top texts holding it) x idf over `background` + `top`."""
    if not top or n_terms <= 0:
        return []
    surface: dict[str, Counter[str]] = {}
    for t in top:
        for w in _TOKEN.findall(t.lower()):
            surface.setdefault(_stem(w), Counter())[w] += 1
    top_sets = [words_of(t) for t in top]
    bg_sets = [words_of(t) for t in background]
    in_top = Counter(w for s in top_sets for w in s)
    df = Counter(w for s in bg_sets for w in s)
    n = len(bg_sets) + len(top_sets)
    asked = words_of(query)
    scored = []
    for w, c in in_top.items():
        if c < min_docs or w in asked:
            continue
        idf = math.log((n + 1) / (df[w] + c + 0.5))
        if idf <= 0:
            continue
        scored.append((c / len(top_sets) * idf, w))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [surface[w].most_common(1)[0][0] for _, w in scored[:n_terms]]
