"""Event anchors in a query: "before the reorg", "after the Atlas launch".

The event is found in the bank itself: the keyword index's best facts whose own text holds
every word of the event's name; its time is that fact's occurred time, else its mention time.
"Before" then means strictly before the event's day and "after" strictly after it; the event's
own facts are excluded, and so is everything undated (observations, mental models), which is
before or after nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select

__all__ = ["Anchor", "find_anchor", "EVENT_CANDIDATES"]

EVENT_CANDIDATES = 20  # keyword hits read to find the event's own fact
_ANCHOR = re.compile(
    r"\b(?P<rel>before|after|prior to|since|until)\s+(?:(?:the|our|my|his|her|their|that)\s+)?"
    r"(?P<words>[A-Za-z][\w'-]*(?:\s+[A-Za-z][\w'-]*){0,3})",
    re.IGNORECASE,
)
_STOP = frozenset(
    [
        "and",
        "or",
        "but",
        "when",
        "where",
        "while",
        "with",
        "was",
        "were",
        "is",
        "are",
        "did",
        "do",
        "does",
        "that",
        "which",
        "who",
        "we",
        "i",
        "you",
        "he",
        "she",
        "they",
        "it",
        "in",
        "on",
        "at",
        "to",
        "for",
        "of",
        "so",
        "then",
        "than",
        "because",
        "if",
        "as",
    ]
)


@dataclass
class Anchor:
    relation: str  # "before" | "after"
    event: str
    start: datetime  # the event's day
    end: datetime
    event_ids: set[str] = field(default_factory=set)

    def admits(self, when: datetime | None) -> bool:
        if when is None:
            return False
        return when < self.start if self.relation == "before" else when >= self.end


def _event_words(words: str) -> list[str]:
    out = []
    for w in words.split():
        if w.lower() in _STOP:
            break
        out.append(w.lower().strip("'?.,!"))
    return [w for w in out if w]


def find_anchor(store: Any, bank: str, query: str) -> Anchor | None:
    """The query's event anchor when the bank holds the event, else None."""
    from memory.text import normalise_text
    from storage.schema import Fact

    m = _ANCHOR.search(query)
    if m is None or any(ch.isdigit() for ch in m["words"]):
        return None  # "before October 25" is a date, read by the time layer
    words = _event_words(m["words"])
    if not words:
        return None
    hits = store.keywords.query(" ".join(words), EVENT_CANDIDATES, bank)
    if not hits:
        return None
    ids = [d for d, _ in hits]
    with store.db.session() as s:
        rows = s.exec(
            select(Fact.id, Fact.text, Fact.occurred_start, Fact.mentioned_at).where(
                Fact.bank == bank, col(Fact.id).in_(ids)
            )
        ).all()
    by_id = {r[0]: r for r in rows}
    own = [by_id[d] for d in ids if d in by_id and _holds(normalise_text(by_id[d][1]), words)]
    if not own:
        return None
    t = own[0][2] or own[0][3]
    day = t.replace(hour=0, minute=0, second=0, microsecond=0)
    rel = "before" if m["rel"].lower() in ("before", "prior to", "until") else "after"
    same = {r[0] for r in own if (r[2] or r[3]).date() == t.date()}
    return Anchor(rel, " ".join(words), day, day + timedelta(days=1), same)


def _holds(text: str, words: list[str]) -> bool:
    have = set(text.split())
    return all(w in have or w.rstrip("s") in have or f"{w}s" in have for w in words)
