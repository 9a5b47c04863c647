"""Slot matching by meaning (issue 11): one attribute written two ways.

"The pool opens at 6 am." is read as `pool|when open`; "The pool opening time has moved to
7 am." as `pool opening time|due`. "The shop manager is Gail." / "The store manager is now
Ravi.": `shop manager` / `store manager`. The exact-slot rules never meet them. A stated change
(a change cue or a named old value) of a single-valued attribute with no current fact in its
exact slot is compared here with the subject's other current single-valued facts by the
meaning of the attribute phrase alone (values and subject left out, so only the attribute is
compared), with structure required as well:

- the same subject entity, or the owner written at the head of the new subject ("the pool
  opening time": the pool's opening time);
- values of one kind (both clock times, both dates, both counts of the same noun, both names
  or things), and another value;
- neither attribute's words a strict part of the other's ("mayor" / "deputy mayor", "president"
  / "vice president": a qualifier names another office);
- one clear best match: a second current attribute within `MEANING_MARGIN` keeps both.

The embedder is the Memory's own (a memo of recent vectors in the Retainer), asked only for
the few facts that reach this point.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from memory.resolve import names_conflict
from memory.slots import CLOCK_TIME, light_lemma
from memory.text import normalise_text, word_set

__all__ = [
    "SAME_ATTRIBUTE_SIMILARITY",
    "MEANING_MARGIN",
    "attribute_phrase",
    "value_kind",
    "best_by_meaning",
]

# Cosine (MiniLM) of two attribute phrases above which they are taken as one attribute.
# Chosen on 30 positive and 30 negative labelled pairs written for it (schedules, offices,
# prices, counts, tools; tests/memory/test_supersede_meaning.py holds a subset): the
# negatives that pass the structural checks reach 0.79 ("head coach" / "assistant coach",
# "choir director" / "choir accompanist", "shop manager" / "shop owner"), so the line sits a
# clear margin above them. It gives up many true pairs (0.60-0.80: "club chairman" / "club
# chair") for precision: MiniLM does not tell roles or opposites apart below that.
SAME_ATTRIBUTE_SIMILARITY = 0.85
# a runner-up this close to the best: two current attributes could be the one meant
MEANING_MARGIN = 0.05

# attributes that name no attribute of their own: nothing to compare
_GENERIC = word_set("be use have do get time")
_MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b\d{4}-\d\d-\d\d\b|"
    r"\b\d{1,2}/\d{1,2}\b|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b",
    re.I,
)
_NUMBER = word_set(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty "
    "forty fifty hundred thousand dozen"
)


def attribute_phrase(predicate: str, subject: str = "", owner: str = "") -> str:
    """The attribute a fact gives a value to, as words: "when open" -> "open time", "count of
    astronomer" -> "number of astronomer", each word in one form ("closing" -> "close"); the part of a written subject after its owner
    ("pool opening time" of owner "pool": "opening time") goes in front."""
    p = predicate.replace("_", " ").strip()
    if p in ("due", "when"):
        p = "time"
    elif p.startswith("when "):
        p = p[5:] + " time"
    elif p.startswith("count of "):
        p = "number of " + p[9:]
    rest = ""
    subj, own = normalise_text(subject), normalise_text(owner)
    if own and subj != own and subj.startswith(own + " "):
        rest = subj[len(own) + 1 :]
        if p == "time" and rest.split()[-1:] in (["time"], ["date"], ["hour"], ["hours"]):
            p = ""  # "closing time" is the whole attribute
    # one form per word ("closing time" / "close time", "opening hours" / "open hour"): the
    # parse writes a verb's attribute as its lemma, a noun phrase keeps the written form
    return " ".join(light_lemma(w) for w in " ".join(x for x in (rest, p) if x).split())


def value_kind(value: str) -> tuple[str, str]:
    """(kind, counted noun): "4:30 pm" -> clock; "June 3" -> date; "4 staff astronomers" ->
    count of "astronomer"; anything else a name or thing."""
    if CLOCK_TIME.search(value):
        return ("clock", "")
    if _MONTH.search(value):
        return ("date", "")
    words = normalise_text(value).split()
    if words and (words[0][:1].isdigit() or words[0] in _NUMBER):
        rest = [w for w in words[1:] if not w[:1].isdigit()]
        return ("count", light_lemma(rest[-1]) if rest else "")
    return ("thing", "")


def _kinds_agree(a: str, b: str) -> bool:
    ka, kb = value_kind(a), value_kind(b)
    if ka[0] != kb[0]:
        return False
    return not (ka[1] and kb[1] and ka[1] != kb[1])


def _narrower(a: str, b: str) -> bool:
    """One attribute's words strictly inside the other's: a qualifier names another office
    or a narrower attribute ("mayor" / "deputy mayor", "rent" / "parking rent")."""
    wa, wb = set(a.split()), set(b.split())
    return wa != wb and (wa < wb or wb < wa)


# words that tell one occasion, period, audience or item of a kind from another: "close on
# thursday time" / "close on saturday time", "first ferry" / "last ferry", "adult ticket" /
# "child ticket", "annual subscription" / "monthly subscription"
_CONTRAST_WORDS = word_set(
    "hourly daily nightly weekly fortnightly monthly quarterly yearly annual biannual "
    "monday tuesday wednesday thursday friday saturday sunday weekday weekend weeknight "
    "january february march april may june july august september october november december "
    "spring summer autumn fall winter morning afternoon evening night first last early late "
    "adult child children kid student senior member nonmember peak off-peak holiday"
)


def _contrasting(a: str, b: str) -> bool:
    """Each attribute has words the other lacks, and those words name another day, season,
    period, audience or one of a series: two attributes of one kind, not one written two
    ways."""
    wa, wb = set(a.split()), set(b.split())
    only_a, only_b = wa - wb, wb - wa
    return bool(only_a and only_b and (only_a | only_b) & _CONTRAST_WORDS)


def best_by_meaning(
    new_attr: str,
    new_value: str,
    olds: Sequence[tuple[str, str]],
    embed: Callable[[list[str]], list[list[float]]],
) -> tuple[int, float] | None:
    """The index of the one old (attribute phrase, value) that names the same attribute as
    `new_attr`, and the similarity; None when none does or two could."""
    if not new_attr or set(new_attr.split()) <= _GENERIC:
        return None
    keep = [
        i
        for i, (attr, value) in enumerate(olds)
        if attr and not set(attr.split()) <= _GENERIC
        and _kinds_agree(value, new_value) and not _narrower(attr, new_attr)
        and not _contrasting(attr, new_attr)
        and not names_conflict(attr, new_attr)  # "under-18 coach" / "under-16 coach"
    ]  # fmt: skip
    if not keep:
        return None
    vecs = embed([new_attr, *(olds[i][0] for i in keep)])
    base = vecs[0]
    sims = sorted(
        ((sum(x * y for x, y in zip(base, v, strict=True)), i) for v, i in zip(vecs[1:], keep, strict=True)),
        reverse=True,
    )  # fmt: skip
    best, idx = sims[0]
    if best < SAME_ATTRIBUTE_SIMILARITY:
        return None
    if len(sims) > 1 and sims[1][0] >= best - MEANING_MARGIN:
        return None  # two current attributes could be the one meant: keep both
    return idx, best
