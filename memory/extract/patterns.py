"""Sentence patterns for the offline extractor: opinion cues and subject/predicate/object triples.

Pure regex; a missed pattern costs recall of structure, never the fact itself (the sentence is
still stored as a fact).
"""

from __future__ import annotations

import re

from memory.models import OpinionCue, Stance
from memory.slots import normalise_predicate
from memory.text import word_set

__all__ = ["find_opinion", "find_triple", "Triple"]

Triple = tuple[str, str, str]  # (subject, normalised predicate, object)
_F = re.IGNORECASE
_BE = r"(?:I'm|I am|we're|we are|I was|we were)"
_CUES: list[tuple[str, Stance, float]] = [
    (rf"\b{_BE} not (?:so |too |really |entirely |at all )?(?:sure|convinced|certain)(?: that| if| whether| about)?", "contradict", 0.35),
    (r"\b(?:I|we) (?:really |seriously |strongly )?doubt(?: that| whether| if)?", "contradict", 0.7),
    (r"\b(?:I|we) (?:don't|do not|didn't|did not) (?:really )?(?:think|believe)(?: that)?", "contradict", 0.6),
    (r"\b(?:it's |it is )?(?:highly |very )?unlikely(?: that)?", "contradict", 0.6),
    (r"\bno way(?: that)?", "contradict", 0.8),
    (rf"\b{_BE} (?:absolutely|completely|totally|100%|entirely) (?:sure|certain|convinced|confident)(?: that)?", "support", 0.95),
    (rf"\b{_BE} (?:fairly|pretty|quite|reasonably|rather) (?:sure|confident|certain|convinced)(?: that)?", "support", 0.8),
    (rf"\b{_BE} (?:sure|certain|confident|convinced)(?: that)?", "support", 0.85),
    (r"\b(?:I|we) (?:strongly |firmly |really )?believe(?: that)?", "support", 0.7),
    (r"\b(?:I|we) (?:really |still )?think(?: that)?|\bI feel (?:that|like)|\bin my (?:opinion|view)\b,?|\bIMO\b,?", "support", 0.6),
    (r"\b(?:definitely|certainly|undoubtedly|without a doubt)\b", "support", 0.85),
    (r"\b(?:probably|most likely|likely)\b", "support", 0.6),
    (r"\b(?:I|we) (?:strongly )?(?:suspect|expect|reckon|assume)(?: that)?", "support", 0.55),
    (r"\b(?:I guess|I suppose|maybe|perhaps|possibly)\b,?", "support", 0.4),
    # a possessive and an epistemic noun: "my guess is that", "our hunch is", "my bet is"
    (r"\b(?:my|our) (?:best |gut |working |honest |strong )?(?:guess|hunch|bet|feeling|sense|impression|suspicion|belief|view|take|theory|instinct) (?:is|was)(?: that)?,?", "support", 0.5),
]  # fmt: skip
_CUE_RES = [(re.compile(p, _F), stance, strength) for p, stance, strength in _CUES]
_CLEAN_EDGES = re.compile(r"^[\s,;:-]+|[\s,;:.!?-]+$")


def find_opinion(sentence: str, holder: str | None) -> OpinionCue | None:
    """The first opinion cue in `sentence`: stance, strength, and the proposition without it."""
    for rx, stance, strength in _CUE_RES:
        m = rx.search(sentence)
        if m is None:
            continue
        statement = (sentence[: m.start()] + " " + sentence[m.end() :]).strip()
        statement = _CLEAN_EDGES.sub("", re.sub(r"\s+", " ", statement))
        statement = re.sub(r"^(?:that|and|but|so)\s+", "", statement, flags=_F)
        if len(statement.split()) < 2:
            return None
        return OpinionCue(statement=statement, stance=stance, strength=strength, holder=holder)
    return None


_LEAD = r"^(?:(?:so|and|but|well|now|then|also|actually|anyway|ok|okay|yes|yeah|oh)\b[,\s]+)*"
_SUBJ = (
    r"(?P<s>I|we|(?-i:[A-Z][\w’-]*(?:\s+[A-Z][\w’-]*){0,3})"
    r"|(?:the|our|my|their) [\w-]+(?: [\w-]+)?)"
)
_VERB = (
    r"(?P<v>(?:(?:has|have|had) )?(?:now |just |finally |recently |already )?"
    r"(?:switched|switch|switches|migrated|migrate|migrates|changed|change|moved|move|moves)"
    r" (?:over )?to"
    r"|(?:is|are|was|were|am|['’]m|['’]re) (?:now |currently |still )?using"
    r"|(?:(?:has|have|had) )?(?:chose|chosen|choose|chooses|picked|pick|picks|adopted|adopt|adopts"
    r"|went with|go with|goes with|settled on|settle on|joined|join|joins)"
    r"|uses|use|used|prefers|prefer|preferred|works (?:at|for)|work (?:at|for)|worked (?:at|for)"
    r"|(?:is|are|was|am|['’]m) working (?:at|for)|lives in|live in|lived in|leads|lead|led|owns|own"
    r"|owned|reports to|report to|reported to|decided to|plans to|plan to|planned to"
    r"|(?:is|are|was|were|am|['’]m|['’]re|became|become|becomes)(?: now| still| currently)?)"
)
_TRIPLE = re.compile(
    rf"{_LEAD}{_SUBJ}(?:\s+|(?=['’])){_VERB}\s+(?P<o>[^,;:.!?()\"]{{1,120}})", _F | re.UNICODE
)
_GENERIC = re.compile(
    rf"{_LEAD}{_SUBJ}\s+(?P<v>(?:(?-i:[a-z]+ly)\s+)?(?:(?-i:[a-z]{{3,}}(?:ed|es|s))|went|made|took|got"
    r"|bought|built|began|wrote|left|met|saw|felt|kept|sold|paid|ran|gave|found|told|said|did|had"
    r"|came|brought|spent|won|lost|thought|taught|caught|drove|flew|ate|read|sang|swam)"
    r"(?:\s+(?:to|at|for|with|in|on|into|from|about))?)\s+(?P<o>[^,;:.!?()\"]{1,120})",
    _F | re.UNICODE,
)
_OBJ_CUT = re.compile(
    r"\s(?:with|for|at|on|in|from|by|during|via|using|instead of|over|to)\b.*$", _F
)
_PRONOUNS = word_set("he she it they this that there these those you what who which here")
_OBJ_STOP = re.compile(
    r"\s+(?:because|since|but|which|who|when|while|after|before|until|so|as|and then|if|though)\b.*$",
    _F,
)
_DET = re.compile(r"^(?:the|a|an|our|my|his|her|their|its|your)\b|^[A-Z0-9]", re.UNICODE)


def find_triple(
    sentence: str, speaker: str | None, time_spans: list[tuple[int, int]]
) -> Triple | None:
    """(subject, normalised predicate, object) from "X is/was/became Y", "we switched to Y"...

    `time_spans` are sentence-relative spans of time expressions; the object stops before them.
    "I" becomes the speaker; pronouns other than I/we give no triple (no coreference here).
    """
    if sentence.rstrip().endswith("?"):
        return None
    m = _TRIPLE.match(sentence) or _GENERIC.match(sentence)
    if m is None:
        return None
    subj = m["s"]
    if subj.lower() in _PRONOUNS or subj.split()[0].lower() in ("i'm", "it's"):
        return None
    if subj.lower() in ("i", "i'm"):
        subj = speaker or "I"
    elif subj.lower() == "we":
        subj = "we"
    obj_start = m.start("o")
    obj_end = min([s for s, _ in time_spans if s > obj_start] + [m.end("o")])
    obj = _OBJ_STOP.sub("", sentence[obj_start:obj_end])
    head, _, tail = obj.strip().partition(" ")
    obj = head + " " + _OBJ_CUT.sub("", " " + tail).strip() if tail else head
    obj = re.sub(
        r"\s+(?:in|on|at|since|during|from|by|last|this|until)\s*$", "", obj.strip(), flags=_F
    )
    obj = " ".join(obj.split()[:8]).strip(" -'\"")
    if not obj:
        return None
    pred = _predicate(m["v"], obj)
    if pred in ("be_in", "be_at"):
        obj = re.sub(r"^(?:in|at)\s+|\s+(?:now|today|currently)$", "", obj, flags=_F) or obj
    return subj, pred, obj


def _predicate(verb: str, obj: str) -> str:
    pred = normalise_predicate(verb)
    if pred != "be":
        return pred
    first = obj.split()[0].lower()
    if first in ("in", "at"):
        return f"be_{first}"
    return "be" if _DET.match(obj) else "be_state"
