"""Evidence for an answer: recall hits with their provenance, scored for relevance to the question.

Relevance = cosine similarity of the question and the statement (the memory's own embedder)
+ `LEXICAL_WEIGHT` x the share of the question's content words the statement holds. A hit is
kept when it clears `KEEP_FLOOR` and lies within `KEEP_MARGIN` of the best one; when even the
best stays under `ANSWER_FLOOR`, memory has nothing relevant. An observation is evidence only
through its proof facts, which it carries (and cites).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from agent.answer.nlp import parse
from memory.lookup import FactRecord, NamedEntity, fact_records, sibling_ids, similarities
from memory.models import TimeRange

__all__ = [
    "Evidence",
    "gather",
    "keep_relevant",
    "covers",
    "words_of",
    "lemmas_of",
    "LEXICAL_WEIGHT",
    "ANSWER_FLOOR",
    "KEEP_FLOOR",
    "KEEP_MARGIN",
    "RECALL_K",
]

LEXICAL_WEIGHT = 0.3  # a statement holding every content word of the question gains this much
ANSWER_FLOOR = 0.45  # below this, even the best statement does not answer the question
KEEP_FLOOR = 0.35  # no statement under this is shown as evidence
KEEP_MARGIN = 0.2  # nor one further than this below the best
RECALL_K = 24  # hits recalled per question before the floors


@dataclass
class Evidence:
    text: str
    source: str | None = None
    span: tuple[int, int] | None = None
    when: datetime | None = None
    mentioned_at: datetime | None = None
    fact_id: str | None = None
    layer: str = "fact"
    relevance: float = 0.0
    entities: list[NamedEntity] = field(default_factory=list)
    speaker: str | None = None
    invalidated_at: datetime | None = None
    proofs: list[Evidence] = field(default_factory=list)  # an observation's facts
    change: dict[str, Any] | None = None  # the change it states ({"old", "new"}), if any
    superseded_by: str | None = None
    supersession: dict[str, Any] | None = None  # why it was retired ({"old_value", ...})

    @property
    def date(self) -> datetime | None:
        if self.layer == "observation" and self.proofs:
            return max((p.date for p in self.proofs if p.date), default=None)
        return self.when or self.mentioned_at

    @property
    def words(self) -> list[str]:
        return words_of(self.text)

    @property
    def lemmas(self) -> list[str]:
        return lemmas_of(self.text)

    @classmethod
    def of_record(cls, r: FactRecord, relevance: float = 0.0) -> Evidence:
        """The fact as evidence; a sentence hard-wrapped in its source reads as one line."""
        return cls(
            text=" ".join(r.text.split()), source=r.source, span=r.span, when=r.when, mentioned_at=r.mentioned_at,
            fact_id=r.id, relevance=relevance, entities=list(r.entities), speaker=r.speaker,
            invalidated_at=r.invalidated_at, change=r.change, superseded_by=r.superseded_by,
            supersession=r.supersession,
        )  # fmt: skip


def words_of(text: str) -> list[str]:
    out: list[str] = []
    word: list[str] = []
    for ch in text.lower():
        if ch.isalnum() or ch in ".-'" and word:
            word.append(ch)
        elif word:
            out.append("".join(word).strip(".-'"))
            word = []
    if word:
        out.append("".join(word).strip(".-'"))
    return [w for w in out if w]


def lemmas_of(text: str) -> list[str]:
    """Lower-case lemmas of the words of `text` (spaCy; cached per text)."""
    return [t.lemma_.lower() for t in parse(text) if not t.is_punct and not t.is_space]


_SUFFIXES = ("ment", "ments", "s", "es", "ing", "ion", "ions")  # derivations lemmas keep apart


def _matches(lemma: str, words: Iterable[str]) -> bool:
    """Same lemma, or one derived from the other ("deploy" ~ "deployment")."""
    lemma = lemma.lower()
    for w in words:
        if w == lemma:
            return True
        short, long_ = (w, lemma) if len(w) < len(lemma) else (lemma, w)
        if len(short) >= 4 and long_.startswith(short) and long_[len(short) :] in _SUFFIXES:
            return True
    return False


def covers(lemmas: Sequence[str], words: Sequence[str]) -> float:
    """The share of `lemmas` found among `words` (give lemmas: `lemmas_of`)."""
    if not lemmas:
        return 0.0
    return sum(_matches(m, words) for m in lemmas) / len(lemmas)


async def gather(
    memory: Any,
    bank: str,
    question: str,
    content: Sequence[str],
    *,
    query: str | None = None,
    time_range: TimeRange | None = None,
    as_of: datetime | None = None,
    k: int = RECALL_K,
) -> list[Evidence]:
    """Recall for `query` (default: the question) and the other statements of the hits'
    episodes, as Evidence scored against `question`, best first; with `as_of`, what memory
    held true then (facts superseded since included). Markdown headings and hits whose
    provenance is gone are left out."""
    hits = await memory.arecall(
        query or question, bank=bank, k=k, time_range=time_range, as_of=as_of
    )
    ids = [h.fact_id for h in hits if h.fact_id]
    ids += [f for h in hits if h.layer == "observation" for f in h.metadata.get("fact_ids") or []]
    near = sibling_ids(memory, [h.fact_id for h in hits if h.fact_id], bank=bank)
    records = fact_records(memory, [*ids, *near], bank=bank)
    out = [e for e in (_evidence_of(h, records) for h in hits) if e is not None]
    out += [Evidence.of_record(records[f]) for f in near if f in records]
    out = [e for e in out if not e.text.lstrip().startswith("#") and _in_range(e, time_range)]
    _score(memory, question, content, out)
    return _dedupe(sorted(out, key=lambda e: -e.relevance))


def _in_range(e: Evidence, time_range: TimeRange | None) -> bool:
    """Siblings come without recall's filters: superseded facts stay (marked), and a range
    asked for still holds."""
    return time_range is None or (e.date is not None and time_range.contains(e.date))


def _evidence_of(hit: Any, records: dict[str, FactRecord]) -> Evidence | None:
    if hit.layer == "observation":
        proofs = [Evidence.of_record(records[f]) for f in hit.metadata.get("fact_ids") or []
                  if f in records]  # fmt: skip
        if not proofs:
            return None  # never an observation without the facts that prove it
        return Evidence(text=" ".join(hit.text.split()), layer="observation", proofs=proofs)
    if hit.fact_id is None or hit.fact_id not in records:
        return None
    return Evidence.of_record(records[hit.fact_id])


def _score(memory: Any, question: str, content: Sequence[str], items: list[Evidence]) -> None:
    sims = similarities(memory, question, [e.text for e in items])
    for e, sim in zip(items, sims, strict=True):
        e.relevance = round(sim + LEXICAL_WEIGHT * covers(content, e.lemmas), 4)
        for p in e.proofs:
            p.relevance = e.relevance


def _dedupe(items: list[Evidence]) -> list[Evidence]:
    seen: set[str] = set()
    out = []
    for e in items:
        key = " ".join(e.words)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def keep_relevant(
    items: Sequence[Evidence],
    *,
    margin: float = KEEP_MARGIN,
    floor: float = KEEP_FLOOR,
    answer_floor: float = ANSWER_FLOOR,
) -> list[Evidence]:
    """The items that clear the floors (none when the best does not reach `answer_floor`)."""
    if not items or items[0].relevance < answer_floor:
        return []
    bar = max(floor, items[0].relevance - margin)
    return [e for e in items if e.relevance >= bar]
