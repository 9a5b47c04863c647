"""Supersession slots: (subject entity, normalised predicate).

A new fact supersedes an old one only when both sit in the same slot, the slot's predicate is
single-valued ("we use X" replaces "we use Y"; "Alice likes X" does not replace "Alice likes Y"),
the new one is later, and the objects differ. Pure functions; the facade stores the outcome.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from memory.text import normalise_text, word_set

__all__ = [
    "FUNCTIONAL_PREDICATES",
    "SlotFact",
    "normalise_predicate",
    "slot_key",
    "is_functional",
    "should_supersede",
]

# phrase (after auxiliaries are dropped and words lemmatised) -> canonical predicate
_SYNONYMS = {
    "use": "use", "switch to": "use", "switch over to": "use",
    "migrate to": "use", "change to": "use", "adopt": "use", "choose": "use", "pick": "use",
    "go with": "use", "settle on": "use", "rely on": "use", "run on": "use", "standardise on": "use",
    "standardize on": "use", "work at": "work_at", "work for": "work_at", "join": "work_at",
    "live in": "live_in", "relocate to": "live_in", "lead": "lead", "run": "lead", "head": "lead",
    "manage": "lead", "own": "own", "report to": "report_to", "prefer": "prefer",
    "be": "be", "become": "be", "be now": "be", "cost": "cost", "due": "due", "be due": "due",
    "be in": "be_in", "be at": "be_at", "be based in": "live_in", "plan to": "plan",
    "decide to": "decide", "want to": "want",
}  # fmt: skip
FUNCTIONAL_PREDICATES = frozenset(
    {"use", "work_at", "live_in", "lead", "own", "report_to", "prefer", "be", "cost", "due",
     "be_in", "be_at", "move_to", "status", "deadline", "role"}
)  # fmt: skip
_AUX = word_set(
    "is are was were am be been being has have had do does did will would shall should can could "
    "'s 're 've 'd 'll now just also already finally recently currently still then eventually "
    "actually officially"
)
_IRREGULAR = {
    "chose": "choose", "chosen": "choose", "went": "go", "gone": "go", "led": "lead",
    "ran": "run", "became": "become", "made": "make", "took": "take", "taken": "take",
    "bought": "buy", "built": "build", "began": "begin", "begun": "begin", "wrote": "write",
    "written": "write", "left": "leave", "met": "meet", "saw": "see", "seen": "see",
    "got": "get", "gotten": "get", "felt": "feel", "kept": "keep", "sold": "sell", "paid": "pay",
    "is": "be", "are": "be", "was": "be", "were": "be", "am": "be", "been": "be", "has": "have",
    "had": "have", "does": "do", "did": "do", "done": "do", "uses": "use", "used": "use",
    "using": "use", "moved": "move", "moving": "move", "lives": "live", "lived": "live",
    "living": "live", "prefers": "prefer", "preferred": "prefer", "preferring": "prefer",
}  # fmt: skip
_VOWEL_E = re.compile(r"(?:[^aeiou][aeiou][bcdfgkmptvz]|[uv]|[cs]|dg|at|it|ot|ut|as|iz|yz)$")


def _lemma(word: str) -> str:
    """A light English lemmatiser for verbs: good enough for predicates, not a linguist."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
                return stem[:-1]  # stopped -> stop
            if stem.endswith("i") and suffix == "ed":
                return stem[:-1] + "y"
            return stem + "e" if _needs_e(stem) else stem
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _needs_e(stem: str) -> bool:
    return bool(_VOWEL_E.search(stem)) and not stem.endswith(("ch", "sh", "ck", "ss", "nt", "rd"))


@lru_cache(maxsize=65_536)  # pure; observation refresh normalises every fact of a group
def normalise_predicate(phrase: str) -> str:
    """ "uses"/"used"/"is using"/"switched to"/"went with" -> "use"; unknown verbs -> lemma
    phrase joined by '_' ("finished early" -> "finish_early")."""
    words = normalise_text(phrase).replace("'", " '").split()
    words = [w for w in words if w not in _AUX and not (w.endswith("ly") and len(w) > 4)]
    if not words:
        return "be"
    joined = " ".join(_lemma(w) for w in words)
    return _SYNONYMS.get(joined, joined.replace(" ", "_"))


def slot_key(subject_entity_id: str, predicate: str) -> str:
    """The supersession slot of a fact: subject entity id + normalised predicate."""
    return f"{subject_entity_id}|{normalise_predicate(predicate)}"


def is_functional(predicate: str) -> bool:
    """Single-valued predicates: a new value replaces the old one."""
    return normalise_predicate(predicate) in FUNCTIONAL_PREDICATES


@dataclass(frozen=True)
class SlotFact:
    """What supersession needs to know about a fact."""

    subject: str  # resolved subject entity id
    predicate: str
    object: str | None
    mentioned_at: datetime
    occurred_start: datetime | None = None


def _when(f: SlotFact) -> datetime:
    return f.occurred_start or f.mentioned_at


def should_supersede(old: SlotFact, new: SlotFact) -> bool:
    """True when `new` replaces `old` as the current value of the same single-valued slot."""
    if slot_key(old.subject, old.predicate) != slot_key(new.subject, new.predicate):
        return False
    if not is_functional(new.predicate) or not new.object or not old.object:
        return False
    if normalise_text(old.object) == normalise_text(new.object):
        return False
    return (_when(new), new.mentioned_at) > (_when(old), old.mentioned_at)
