"""Event anchors in a query: "before the reorg", "after the Atlas launch".

The event is found in the bank itself: the keyword index's best facts whose own text holds
every word of the event's name; its time is that fact's occurred time, else its mention time.
"Before" then means strictly before the event's day and "after" strictly after it; the event's
own facts are excluded, and so is everything undated (observations, mental models), which is
before or after nothing.

Only what the query asks is read for an anchor: in a query of several sentences, the questions
(those ending in "?"). "You said states test wells before drilling. Which state was it?" recites
a statement; its "before drilling" is what was said, not the time the question is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import col, select

__all__ = ["Anchor", "find_anchor", "asked_part", "EVENT_CANDIDATES"]

EVENT_CANDIDATES = 20  # keyword hits read to find the event's own fact
MIN_EVENT_WORDS = 2  # a name shortened to find its fact keeps this many words (one is too vague)
_ANCHOR = re.compile(
    r"\b(?P<rel>before|after|prior to|since|until)\s+(?:(?:the|our|my|his|her|their|that)\s+)?"
    r"(?P<words>[A-Za-z0-9][\w'.-]*(?:\s+[A-Za-z0-9][\w'.-]*){0,3})",
    re.IGNORECASE,
)
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
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


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=\S)")


def asked_part(query: str) -> str:
    """The question sentences of a query of several sentences (see the module doc); the whole
    query when it is one sentence or asks nothing with a question mark."""
    sentences = _SENTENCE_END.split(query.strip())
    asked = [x for x in sentences if x.rstrip().endswith("?")]
    return " ".join(asked) if len(sentences) > 1 and asked else query


def find_anchor(store: Any, bank: str, query: str) -> Anchor | None:
    """The query's event anchor when the bank holds the event, else None."""
    m = _ANCHOR.search(asked_part(query))
    if m is None:
        return None
    words = _event_words(m["words"])
    if not words or _is_date(" ".join(words)):
        return None  # "before October 25" is a date, read by the time layer
    own = _event_facts(store, bank, words)
    if not own and len(words) >= MIN_EVENT_WORDS + 1:
        # "since version 3.0 shipped": the trailing verb may be worded otherwise in the note
        # ("was released"); the shorter name is tried once and must keep two words
        words = words[:-1]
        own = _event_facts(store, bank, words)
    if not own:
        return None
    t = own[0][2] or own[0][3]
    day = t.replace(hour=0, minute=0, second=0, microsecond=0)
    rel = "before" if m["rel"].lower() in ("before", "prior to", "until") else "after"
    same = {r[0] for r in own if (r[2] or r[3]).date() == t.date()}
    return Anchor(rel, " ".join(words), day, day + timedelta(days=1), same)


def _event_facts(store: Any, bank: str, words: list[str]) -> list[Any]:
    """The facts (id, text, occurred, mentioned) whose own text holds every event word, best
    keyword match first."""
    from memory.text import normalise_text
    from storage.schema import Fact

    hits = store.keywords.query(" ".join(words), EVENT_CANDIDATES, bank)
    if not hits:
        return []
    ids = [d for d, _ in hits]
    with store.db.session() as s:
        rows = s.exec(
            select(Fact.id, Fact.text, Fact.occurred_start, Fact.mentioned_at).where(
                Fact.bank == bank, col(Fact.id).in_(ids)
            )
        ).all()
    by_id = {r[0]: r for r in rows}
    return [by_id[d] for d in ids if d in by_id and _holds(normalise_text(by_id[d][1]), words)]


def _is_date(words: str) -> bool:
    """True when the anchor's words are a time phrase ("October 25", "last week", "10am"),
    not an event's name ("the 3.0 release", "the 2024 offsite" name events): the time layer
    reads dates. A phrase is a date when one time expression covers it whole, or when it has
    no word of letters at all."""
    from memory.timeparse import find_time_expressions

    found = find_time_expressions(words, datetime(2000, 1, 1, tzinfo=UTC))
    if any(s == 0 and e >= len(words.rstrip("?.,!")) for (s, e), _ in found):
        return True
    return not any(_LETTERS.fullmatch(w) for w in words.split())


_LETTERS = re.compile(r"[^\W\d_]{2,}(?:['-][^\W\d_]+)*")
_SUFFIXES = ("ing", "ed", "es", "e", "s")


def _stem(word: str) -> str:
    """A crude English stem so an event named by its noun or its verb finds its fact
    ("release" / "released" / "releasing", "launch" / "launched", "move" / "moved")."""
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            return word[: -len(suf)]
    return word


def _holds(text: str, words: list[str]) -> bool:
    have = {_stem(w) for w in text.split()}
    return all(_stem(w) in have for w in words)
