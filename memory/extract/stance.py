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
    "is unlikely", "it is unlikely", "so that is unlikely", "unlikely to", "argues against",
    "argued against", "speaks against", "spoke against",
)  # fmt: skip
_SUPPORT_PHRASES = (
    "backs up", "back up", "in favour of", "in favor of", "the case for", "is indeed",
    "are indeed", "argues for", "argue for", "argued for", "speaks for", "spoke for",
)  # fmt: skip
# nouns that present what precedes as evidence: "more proof it works", "evidence that ...",
# "a clear sign that ...", "no sign that ..." (negated: against), "evidence against it"
EVIDENCE_NOUNS = frozenset(["evidence", "proof", "sign", "indication", "confirmation"])
_EVIDENCE_LEAD = frozenset(["more", "further", "strong", "good", "clear", "another", "new",
                            "additional", "solid", "real"])  # fmt: skip
_EVIDENCE_LINK = frozenset(["that", "for", "of", "it", "this", "they", "we"])
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


def _evidence_noun(tok: Any) -> tuple[str, str] | None:
    """(bearing, cue): "support"/"contradict" when `tok` presents evidence (an EVIDENCE_NOUNS noun that
    introduces what it is evidence of, or is qualified as evidence), else None."""
    lemma = tok.lemma_.lower()
    if lemma not in EVIDENCE_NOUNS or tok.pos_ != "NOUN":
        return None
    nxt = tok.doc[tok.i + 1].lower_ if tok.i + 1 < len(tok.doc) else ""
    prev = tok.doc[tok.i - 1].lower_ if tok.i > 0 else ""
    if nxt == "against":
        return "contradict", f"{lemma} against"
    if any(c.lower_ in ("no", "little", "scant") and c.dep_ == "det" for c in tok.children) or (
        prev in ("no", "little")
    ):
        return "contradict", f"no {lemma}"
    if _negated(tok) and (nxt in _EVIDENCE_LINK or prev in _EVIDENCE_LEAD):
        return "contradict", f"not {lemma}"
    if nxt in _EVIDENCE_LINK or prev in _EVIDENCE_LEAD:
        return "support", lemma
    return None


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
        elif (found := _evidence_noun(tok)) is not None:
            (support if found[0] == "support" else contra).append(found[1])
        elif lemma in ("unlikely", "wrong", "against") and not contra:
            contra.append(lemma)
    if contra and len(contra) >= len(support):
        return StanceCue("contradict", tuple(dict.fromkeys(contra)))
    if support:
        return StanceCue("support", tuple(dict.fromkeys(support)))
    return None
