"""Hand-overs of an office in wordings `memory.extract.successions`' readers do not read
(issue 11), each naming the office and both holders:

- "Y is our new R, taking over from X" (a copular holder and "take over from X" in the same
  sentence);
- "X stepped down as R in favour of Y" (a departure from an office, for a named person);
- "X retired last month; piano is now taught by Y" (a departure, then the office's activity
  in the passive: "taught" names the piano teacher, "coached" the coach, "run" the lead);
- "X passed the baton/keys/job to Y, the new R" (an office named in apposition to the new
  holder, the thing handed no office by itself).

The same conservative terms as `successions`: people on both sides, a modal, a negation or a
condition gives `NO_SLOT`, and a stand-in ("for the weekend", "covering for X") gives nothing.
"""

from __future__ import annotations

from typing import Any

from memory.extract import successions as su
from memory.extract.phrases import attribute_of as _attribute
from memory.extract.phrases import children as _children
from memory.extract.phrases import lemma_of as _lemma
from memory.extract.phrases import pobj as _pobj

__all__ = ["HANDOVER_READERS"]

Token = Any
Span = Any

# what the holder of an office does, in the passive: "is now taught by Y" -> teacher
_DOERS = {
    "teach": "teacher", "coach": "coach", "train": "trainer", "conduct": "conductor",
    "edit": "editor", "produce": "producer", "host": "host", "present": "presenter",
    "organise": "organiser", "organize": "organizer", "captain": "captain",
}  # fmt: skip
# things handed on that stand for an office only with the office named: "passed the baton"
_TOKENS = frozenset(["baton", "key", "keys", "rein", "reins", "torch", "mantle", "role", "job",
                     "post", "position"])  # fmt: skip


def _took_over_from(sent: Span) -> tuple[Token, Token] | None:
    """(the verb, the old holder) of "taking over from X" / "took over from X"."""
    for verb in sent:
        if _lemma(verb) != "take" or not any(
            c.dep_ == "prt" and c.lower_ == "over" for c in verb.children
        ):
            continue
        old = _pobj(verb, "from")
        if old is not None:
            return verb, old
    return None


def _copular_taking_over(sent: Span, speaker: str | None) -> Any:
    """ "Y is our new R, taking over from X", "Y becomes the R, taking over from X"."""
    root = sent.root
    if _lemma(root) not in ("be", "become") or root.tag_ in ("VBD", "VBN"):
        return None
    subj = next(iter(_children(root, "nsubj")), None)
    attr = next(iter(_children(root, "attr", "oprd")), None)
    found = _took_over_from(sent)
    if found is None or attr is None or not su._office(attr) or su._indefinite(attr):
        return None
    verb, old = found
    if not su._definite_office(attr) or not su._people(subj, old) or verb.head.i != root.i:
        return None
    assert subj is not None
    if su._for_a_while(verb, played=False) or su._for_a_while(root, played=False):
        return su.NO_SLOT  # "taking over from X for the weekend": a stand-in
    cues = su._cues(root, sent, "take over")
    clause = su._holder(attr, su._name(subj), su._name(old), cues, "take over")
    unreal = su._unreal(root) or su._sentence_unreal(sent) or sent.text.rstrip().endswith("?")
    return su._no_slot_if(unreal, clause)


def _in_favour(sent: Span, speaker: str | None) -> Any:
    """ "X stepped down as R in favour of Y", "X resigned as R in favour of Y"."""
    for head in su._heads(sent):
        left = su._departure(head)
        if left is None or left[1] is None or _lemma(head) == "be":
            continue
        leaver, office = left
        favour = _pobj(head, "in") or _pobj(office, "in")  # the parser hangs it on either
        if favour is None or favour.lemma_.lower() not in ("favour", "favor"):
            continue
        new = _pobj(favour, "of")
        if not su._people(leaver, new) or su._name(new) == su._name(leaver):
            continue
        assert new is not None
        cues = su._cues(head, sent, "in favour of")
        clause = su._holder(office, su._name(new), su._name(leaver), cues, "succession")
        unreal = su._unreal(head) or su._sentence_unreal(sent) or sent.text.rstrip().endswith("?")
        return su._no_slot_if(unreal, clause)
    return None


def _passive_doer(head: Token) -> tuple[Token, Token, str] | None:
    """(the new holder, the thing done, the office) of "piano is now taught by Y", "the
    choir is now led by Y"."""
    from memory.extract.clauses import _LEAD_VERBS

    lemma = _lemma(head)
    doer = _DOERS.get(lemma) or _LEAD_VERBS.get(lemma)
    if doer is None or not any(c.dep_ == "auxpass" for c in head.children):
        return None
    if not any(c.lower_ in ("now", "nowadays") for c in head.children if c.dep_ == "advmod"):
        return None
    thing = next(iter(_children(head, "nsubjpass")), None)
    agent = next((c for c in head.children if c.dep_ == "agent"), None)
    new = next(iter(_children(agent, "pobj")), None) if agent is not None else None
    if thing is None or thing.pos_ != "NOUN" or new is None or not su._person(new):
        return None
    if su._definite_office(thing):  # "the youth team is now coached by Y": the team's coach
        return new, thing, doer
    return new, thing, f"{_attribute(thing)} {doer}"  # "piano is taught by": piano teacher


def _departed_then_passive(sent: Span, speaker: str | None) -> Any:
    """ "X retired last month; piano is now taught by Y"."""
    heads = su._heads(sent)
    for d in heads:
        left = su._departure(d)
        if left is None or left[1] is not None or _lemma(d) == "be":
            continue
        leaver = left[0]
        for s in heads:
            took = _passive_doer(s) if s.i != d.i else None
            if took is None:
                continue
            new, thing, office = took
            if not su._people(leaver, new) or su._name(new) == su._name(leaver):
                continue
            cues = su._cues(s, sent, _lemma(d), "now")
            clause = _thing_holder(thing, office, su._name(new), su._name(leaver), cues)
            unreal = su._unreal(s) or su._unreal(d) or su._sentence_when(sent)
            return su._no_slot_if(unreal, clause)
    return None


def _thing_holder(thing: Token, office: str, new: str, old: str, cues: list[str]) -> Any:
    """(the thing done, the office) = new, replacing old: "the youth team" is the owner of
    its coach; "piano" is no owner (the piano teacher is ours, unwritten)."""
    from memory.extract.clauses import UNWRITTEN, Clause
    from memory.models import ChangeEvent

    change = ChangeEvent(old, new, tuple(cues))
    if su._definite_office(thing):
        owner = _owner_phrase(thing)
        return Clause(owner, office, new, True, change, ("succession",), [owner], False)
    who = str(UNWRITTEN)
    return Clause(who, office, new, True, change, ("succession",), [who], True)


def _owner_phrase(thing: Token) -> str:
    from memory.extract.phrases import WE

    poss = next((c for c in thing.children if c.dep_ == "poss"), None)
    if poss is not None and poss.lower_ in WE:
        return "we"
    words = [t for t in thing.subtree if t.i <= thing.i and t.dep_ not in ("det", "poss")]
    return " ".join(t.text for t in words)


def _baton_to_the_new(sent: Span, speaker: str | None) -> Any:
    """ "X passed the baton to Y, the new R", "X handed the keys to Y, our new R"."""
    for verb in sent:
        if verb.pos_ != "VERB" or _lemma(verb) not in su._HAND_VERBS:
            continue
        old = su._subject_of(verb, "nsubj")
        obj = next(iter(_children(verb, "dobj")), None)
        new = su._pobj_near(verb, "to")
        if obj is None or obj.lemma_.lower() not in _TOKENS and obj.lower_ not in _TOKENS:
            continue
        office = next(iter(_children(new, "appos")), None) if new is not None else None
        if office is None or not su._office(office) or not su._people(old, new):
            continue
        if not su._definite_office(office) or su._indefinite(office):
            continue
        assert old is not None and new is not None
        cues = su._cues(verb, sent, _lemma(verb))
        clause = su._holder(office, su._name(new), su._name(old), cues, _lemma(verb))
        unreal = su._unreal(verb) or su._sentence_unreal(sent) or sent.text.rstrip().endswith("?")
        return su._no_slot_if(unreal, clause)
    return None


HANDOVER_READERS = (_copular_taking_over, _in_favour, _baton_to_the_new, _departed_then_passive)
