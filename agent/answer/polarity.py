"""Opposite qualifiers and negation: "finished a week late" does not answer "who finishes early".

Sentence embeddings put antonyms close together ("early" ~ "late" 0.67 with MiniLM), so a fact
that carries the opposite of a question's qualifier, or negates its verb, is told apart here.
`OPPOSITES` is a general lexical resource (scalar antonym pairs of everyday English), not
fitted to any note set.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["OPPOSITES", "opposite_of", "contradicts", "NEGATIONS"]

_PAIRS = """
early late | early behind | ahead behind | ahead late | before after | fast slow | quick slow | quickly slowly
on-time late | success failure | succeed fail | pass fail | up down | increase decrease
more less | most least | high low | good bad | better worse | best worst | over under
easy hard | simple complex | cheap expensive | small large | big small | long short
often rarely | always never | open closed | start finish | win lose | accept reject
approve reject | add remove | early delay | ahead delay | early slip | ahead slip | gain loss | rise fall | strong weak | safe unsafe | right wrong
true false | likely unlikely | possible impossible | stable unstable | reliable unreliable
"""
NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "n't",
        "cannot",
        "without",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
    ]
)


def _opposites() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for pair in _PAIRS.replace("\n", " ").split("|"):
        words = pair.split()
        if len(words) == 2:
            a, b = words
            out.setdefault(a, set()).add(b)
            out.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in out.items()}


OPPOSITES = _opposites()


def opposite_of(word: str) -> frozenset[str]:
    return OPPOSITES.get(word.lower(), frozenset())


def contradicts(qualifiers: Iterable[str], words: Iterable[str]) -> bool:
    """True when `words` (a fact's lower-cased words) hold the opposite of a qualifier that
    the fact does not also hold itself ("ahead of the deadline" is no contradiction of early)."""
    have = {w.lower() for w in words}
    for q in qualifiers:
        q = q.lower()
        if q not in have and opposite_of(q) & have:
            return True
    return False
