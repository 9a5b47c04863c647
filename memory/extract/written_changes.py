"""Changes written compactly beside the new amount (issue 11).

A careful reader of "The gym has 40 lockers." then "The gym has 55 lockers, up from 40." /
"... (was 40)." / "..., previously 40." takes the count as 55 now, and the sentence as naming
the old value it replaces. The main readers (`memory.extract.clauses`) read the new amount;
this module reads the old one written beside it and puts it on the clause as the change's old
value, so the change is explicit (the old value named) even where the attribute is not
single-valued by nature ("The bakery sells 240 loaves a day, up from 200").

Shapes, after the clause's value: "up from A" / "down from A"; "(was A)", "(previously A)",
"(formerly A)", "(before: A)", "(from A)", "(up from A)"; ", previously A" / ", formerly A" /
", was A" closing the sentence. The old amount is a number or an amount of the new one's kind;
a bare number takes the new value's unit ("240 loaves a day, up from 200" -> "200 loaves a
day"). Conservative: no old value without a number right after the cue ("sales are up from
last year"), of another kind than the new one ("£14, up from 3 hours"), before the new value,
or in parentheses that go on past it ("(was 40 until the fire)"); questions, negations and
modals are the main readers' (no clause, nothing to annotate). A count's attribute names its
noun, so "55 showers, up from 40" never meets the count of lockers.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from memory.extract.amounts import amount_kind, kinds_clash

__all__ = ["with_written_old", "written_old"]

Span = Any  # spacy.tokens.Span

_CUE_WORDS = frozenset(["was", "previously", "formerly", "before", "earlier", "from"])
_APPROX = frozenset(["about", "around", "roughly", "approximately", "only", "just", "nearly"])
_CLOSERS = frozenset([")", ",", ".", ";", "!"])
_NUMBER_RE = re.compile(r"^(\D*?)(\d[\d.,]*)(.*)$")


def _old_amount(doc: Any, i: int, end: int) -> tuple[str, int] | None:
    """The amount written from token `i` up to a closer (")", ",", ".", the sentence's end)
    or a date ("last year", "in 2024"), with the index after it; None without a number."""
    while i < end and doc[i].lower_ in _APPROX:
        i += 1
    if i >= end:
        return None
    j = i
    if doc[j].text in ("$", "£", "€", "¥"):
        j += 1
    digits = j < end and doc[j].like_num and any(ch.isdigit() for ch in doc[j].text)
    if not digits and not (j < end and doc[j].text[:1] in "$£€¥" and doc[j].text[1:2].isdigit()):
        return None
    j += 1
    while j < end and doc[j].text not in _CLOSERS and doc[j].ent_type_ != "DATE":
        if doc[j].lower_ in ("in", "last", "a", "an", "per") and doc[j].ent_type_ != "DATE":
            if doc[j].lower_ in ("a", "an", "per"):  # "200 loaves a day": a rate, its unit
                j += 1
                continue
            break
        if doc[j].pos_ in ("VERB", "AUX", "ADP", "PRON", "DET", "SCONJ", "CCONJ"):
            return None  # "(was 40 until the fire)", "up from 40 to 55": another reading
        j += 1
    return doc[i:j].text, j


def written_old(sent: Span, value: str) -> tuple[str, str] | None:
    """(old value, cue) written beside `value` in `sent` ("up from 40" -> ("40", "up from")),
    the old value given the new one's unit when written as a bare number; else None."""
    doc, end = sent.doc, sent.end
    at = sent.text.find(value)
    if at < 0 or not any(ch.isdigit() for ch in value):
        return None
    after = sent.start_char + at + len(value)
    for t in sent:
        if t.idx < after or t.i + 1 >= end:
            continue
        nxt = doc[t.i + 1]
        cue, start, paren = None, None, False
        if t.lower_ in ("up", "down") and nxt.lower_ == "from":
            cue, start = f"{t.lower_} from", t.i + 2
            paren = t.i > sent.start and doc[t.i - 1].text == "("
        elif t.text == "(" and nxt.lower_ in _CUE_WORDS:
            cue, start, paren = nxt.lower_, t.i + 2, True
            if start < end and doc[start].text == ":":
                start += 1
        elif t.text == "," and nxt.lower_ in ("previously", "formerly", "was", "before"):
            cue, start = nxt.lower_, t.i + 2
        if cue is None or start is None:
            continue
        found = _old_amount(doc, start, end)
        if found is None:
            return None
        old, stop = found
        if paren and (stop >= end or doc[stop].text != ")"):
            return None
        closing = stop >= end or doc[stop].text in (".", "!", ";")
        if not paren and cue not in ("up from", "down from") and not closing:
            return None  # ", previously 40" closes the sentence
        return _with_unit(old, value), cue
    return None


def _with_unit(old: str, new: str) -> str:
    """ "200" beside "240 loaves a day" is "200 loaves a day"; "12" beside "£14" is "£12"."""
    if not old[:1].isdigit() or not old.replace(",", "").replace(".", "").isdigit():
        return old
    m = _NUMBER_RE.match(new)
    return f"{m[1]}{old}{m[3]}" if m else old


def with_written_old(sent: Span, clause: Any) -> Any:
    """`clause` with the old value written beside its value as its change's old value (see
    the module docstring); `clause` unchanged without one, or when it names an old value."""
    if clause is None or clause.value is None or (clause.change and clause.change.old):
        return clause
    from memory.extract.amounts import unreal

    if unreal(sent.root):
        return clause  # "could have 55 lockers, up from 40": no change stated
    found = written_old(sent, clause.value)
    if found is None:
        return clause
    old, cue = found
    if kinds_clash(old, clause.value):
        return None  # "£14, up from 3 hours": one of them is misread
    if amount_kind(old) is None and amount_kind(clause.value) is not None and not old[:1].isdigit():
        return clause
    from memory.extract.clauses import ChangeEvent

    change = ChangeEvent(old, clause.value, (*clause.cues, cue) if clause.cues else (cue,))
    return replace(clause, change=change)


# ------------------------------------------------------------------ counts named by a noun

_COUNT_HEADS = frozenset(["count", "number", "headcount", "tally", "total"])


def counted_by_of(np: Any) -> bool:
    """ "the number of lockers": the counted noun hangs on "of" (no owner written there)."""
    return any(c.dep_ == "prep" and c.lower_ == "of" for c in np.children)


def count_attribute(np: Any) -> str | None:
    """ "The locker count", "the number of lockers", "the gym's locker count": the count of
    a noun ("count of locker"), as "The gym has 40 lockers" names it; else None."""
    if np.lemma_.lower() not in _COUNT_HEADS or np.pos_ != "NOUN":
        return None
    counted = [c for c in np.children if c.dep_ == "compound" and c.pos_ == "NOUN"]
    for prep in (c for c in np.children if c.dep_ == "prep" and c.lower_ == "of"):
        counted += [o for o in prep.children if o.dep_ == "pobj" and o.pos_ == "NOUN"]
    if len(counted) != 1:
        return None
    return f"count of {counted[0].lemma_.lower()}"


# ------------------------------------------------------------------ "Lockers: 40 -> 55"

_ARROW_RE = re.compile(
    r"^\s*(?P<head>[A-Za-z][A-Za-z' -]{0,40}?)\s*:\s*(?P<old>\d[\d,]*)\s*(?:->|→|=>)\s*"
    r"(?P<new>\d[\d,]*)\s*[.!]?\s*$"
)
ARROW_WORDS = re.compile(r"\d\s*(?:->|→|=>)\s*\d")


def arrow_change(sent: Span) -> Any:
    """ "Lockers: 40 -> 55", "Nesting pairs: 140 → 162", "Locker count: 40 -> 55": a
    heading that the parse reads as a noun phrase naming a count (a plural noun, or "X
    count"), then two numbers joined by an arrow: the count goes from the first to the
    second, its owner not written (`memory.supersede` finds the one current holder). Only
    numbers on both sides ("London -> Paris" is a route, "v1 -> v2" a mapping), no verb in
    the heading, the whole sentence of that shape."""
    m = _ARROW_RE.match(sent.text)
    if m is None:
        return None
    head_end = sent.start_char + m.end("head")
    heading = [t for t in sent if t.idx < head_end]
    if not heading or any(t.pos_ not in ("NOUN", "ADJ", "DET") for t in heading):
        return None
    head = heading[-1]
    if head.pos_ != "NOUN":
        return None
    attr = count_attribute(head)
    if attr is None and head.tag_ == "NNS" and not any(t.pos_ == "DET" for t in heading):
        attr = f"count of {head.lemma_.lower()}"
    if attr is None:
        return None
    from memory.extract.clauses import UNWRITTEN, _clause

    old, new = m["old"].replace(",", ""), m["new"].replace(",", "")
    if old == new:
        return None
    return _clause(UNWRITTEN, attr, m["new"], True, ["->"], m["old"], ("->",), [UNWRITTEN],
                   explicit=True)  # fmt: skip
