"""Stance of a sentence toward a claim, from the parse and cue words, negation handled.

"Usage data confirms that ..." supports; "which strongly supports building it next" supports;
"does not support", "cast doubt on", "turned out wrong", "ruled out", "evidence against"
contradict. A negated support cue contradicts and a negated contradiction cue ("did not fail")
supports. The claim the sentence is about is found by `memory.belief_store` (same topic, close
claim); this module only labels the bearing.
"""

from __future__ import annotations

from typing import Any

from memory.models import StanceCue

__all__ = ["read_stance", "SUPPORT_LEMMAS", "CONTRADICT_LEMMAS"]

# verbs/nouns that say the evidence bears for a claim
SUPPORT_LEMMAS = frozenset(
    [
        "support",
        "confirm",
        "strengthen",
        "back",
        "prove",
        "corroborate",
        "validate",
        "vindicate",
        "agree",
        "reinforce",
        "justify",
        "bolster",
        "endorse",
        "favour",
        "favor",
    ]
)
# ... and against it
CONTRADICT_LEMMAS = frozenset(
    [
        "doubt",
        "contradict",
        "refute",
        "disprove",
        "undermine",
        "weaken",
        "fail",
        "disagree",
        "question",
        "dispute",
        "discredit",
        "debunk",
    ]
)
_CONTRA_PHRASES = (
    "evidence against", "argues against", "argue against", "went against", "go against",
    "goes against", "ruled out", "rule out", "rules out", "turned out wrong",
    "turned out to be wrong", "cast doubt", "casts doubt", "no longer", "not the case",
    "is unlikely", "it is unlikely", "so that is unlikely", "unlikely to", "after all",
)  # fmt: skip
_SUPPORT_PHRASES = (
    "more evidence", "strong evidence", "evidence for", "evidence that", "backs up",
    "back up", "in favour of", "in favor of", "the case for", "is indeed", "are indeed",
)  # fmt: skip
_NEGATORS = frozenset({"not", "n't", "never", "no", "hardly", "barely"})


def _negated(tok: Any) -> bool:
    """A negation on the cue word, on its head verb, or just before it ("did not support")."""
    if any(c.dep_ == "neg" or c.lower_ in _NEGATORS for c in tok.children):
        return True
    head = tok.head
    if (
        head.i != tok.i
        and tok.dep_ in ("xcomp", "acomp", "dobj")
        and any(c.dep_ == "neg" for c in head.children)
    ):
        return True
    return any(t.lower_ in _NEGATORS for t in tok.doc[max(tok.i - 2, 0) : tok.i])


def read_stance(doc: Any) -> StanceCue | None:
    """Support or contradict when the sentence carries a stance cue, else None."""
    low = " " + " ".join(t.lower_ for t in doc) + " "
    contra = [p for p in _CONTRA_PHRASES if f" {p} " in low]
    support = [p for p in _SUPPORT_PHRASES if f" {p} " in low]
    for tok in doc:
        lemma = tok.lemma_.lower()
        if lemma in SUPPORT_LEMMAS and tok.pos_ in ("VERB", "NOUN", "AUX"):
            (contra if _negated(tok) else support).append(
                f"not {lemma}" if _negated(tok) else lemma
            )
        elif lemma in CONTRADICT_LEMMAS and tok.pos_ in ("VERB", "NOUN", "AUX"):
            (support if _negated(tok) and lemma != "fail" else contra).append(lemma)
        elif lemma in ("unlikely", "wrong", "against") and not contra:
            contra.append(lemma)
    if contra and len(contra) >= len(support):
        return StanceCue("contradict", tuple(dict.fromkeys(contra)))
    if support:
        return StanceCue("support", tuple(dict.fromkeys(support)))
    return None
