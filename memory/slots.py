"""Supersession: when a new fact retires an old one, and why.

Conservative: a new fact retires an old one only when it is later and either names the old
value in an explicit change ("moved the main database from MySQL to PostgreSQL") or gives
another value to the same subject's single-valued attribute (who leads X, when X is due, the
main X; see `memory.extract.clauses`). Multi-valued relations ("we use X", "Alice likes X")
never retire anything without an explicit change naming the old value. Pure functions; retain
stores the outcome with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache

from memory.text import normalise_text, word_set

__all__ = [
    "FUNCTIONAL_PREDICATES",
    "CLOCK_TIME",
    "SlotFact",
    "Supersession",
    "supersession",
    "ambiguous_change",
    "values_match",
    "light_lemma",
    "switch_without_old",
    "purpose",
    "normalise_predicate",
    "slot_key",
    "is_functional",
    "should_supersede",
    "learned_later_change",
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
# a clock time in a value: "6:45", "9.30", "7 am", "noon" (a time moved, a value's kind)
CLOCK_TIME = re.compile(r"\d[:.]\d\d|\d\s*[ap]\.?m\b|\bnoon\b|\bmidnight\b", re.I)
_VOWEL_E = re.compile(r"(?:[^aeiou][aeiou][bcdfgkmptvz]|[uv]|[cs]|dg|at|it|ot|ut|as|iz|yz)$")


def light_lemma(word: str) -> str:
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


# words in "-ly" that are no manner adverb: how often (a weekly and a monthly meeting are two
# slots, "paid monthly" is no "paid"), and common nouns and adjectives ("family ticket",
# "supply"); every other "-ly" word of more than four letters is dropped as a manner adverb
# ("quickly finishes" is "finish")
_NOT_MANNER = word_set(
    "hourly daily nightly weekly fortnightly monthly quarterly yearly biweekly bimonthly "
    "semiannually annually early only family supply assembly rally ally belly jelly lily "
    "bully anomaly monopoly july italy reply holly butterfly jolly silly ugly holy elderly "
    "friendly lonely lovely costly deadly likely unlikely"
)


def _manner_adverb(word: str) -> bool:
    return word.endswith("ly") and len(word) > 4 and word not in _NOT_MANNER


@lru_cache(maxsize=65_536)  # pure; observation refresh normalises every fact of a group
def normalise_predicate(phrase: str) -> str:
    """ "uses"/"used"/"is using"/"switched to"/"went with" -> "use"; unknown verbs -> lemma
    phrase joined by '_' ("finished early" -> "finish_early"); manner adverbs dropped."""
    words = normalise_text(phrase).replace("'", " '").split()
    words = [w for w in words if w not in _AUX and not _manner_adverb(w)]
    if not words:
        return "be"
    joined = " ".join(light_lemma(w) for w in words)
    return _SYNONYMS.get(joined, joined.replace(" ", "_"))


def slot_key(subject_entity_id: str, predicate: str) -> str:
    """The supersession slot of a fact: subject entity id + normalised predicate."""
    return f"{subject_entity_id}|{normalise_predicate(predicate)}"


def is_functional(predicate: str) -> bool:
    """Single-valued predicates: a new value replaces the old one."""
    return normalise_predicate(predicate) in FUNCTIONAL_PREDICATES


@dataclass(frozen=True)
class SlotFact:
    """What supersession needs to know about a fact.

    `functional`: the extractor read the attribute as single-valued by nature; `change_old`:
    the old value the fact says it replaces ("from MySQL", "instead of Angular"); `targets`:
    the entity ids such an explicit change may concern (its subject and its object);
    `cues`: the words that made it functional or a change."""

    subject: str  # resolved subject entity id
    predicate: str
    object: str | None
    mentioned_at: datetime
    occurred_start: datetime | None = None
    occurred_end: datetime | None = None
    functional: bool = False
    change_old: str | None = None
    targets: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    explicit_change: bool = False


@dataclass(frozen=True)
class Supersession:
    """Why a fact was retired: the rule, the cue words and the slot."""

    rule: str  # "explicit-change" (the new fact names the old value) | "functional"
    cues: tuple[str, ...]
    slot: str  # "subject entity id|attribute"
    old_value: str | None = None
    new_value: str | None = None
    # the change is dated before the old fact was said but was told after it: the old value
    # holds until the change was told (`--as-of` before then still shows it)
    learned_later: bool = False
    # "same-attribute-by-meaning": the cosine of the two attribute phrases and the new one's
    similarity: float | None = None
    attribute: str | None = None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"rule": self.rule, "cues": list(self.cues), "slot": self.slot,
                                  "old_value": self.old_value, "new_value": self.new_value}  # fmt: skip
        if self.learned_later:
            out["order"] = "learned later"
        if self.similarity is not None:
            out["similarity"] = round(self.similarity, 3)
            out["new_attribute"] = self.attribute
        return out


def _when(f: SlotFact) -> datetime:
    """When the fact holds from: the middle of its occurred span ("relocated last month" is
    mid-last-month), else, or when the span is still running, when it was said."""
    if f.occurred_start is None:
        return f.mentioned_at
    end = f.occurred_end or f.occurred_start
    if f.occurred_start <= f.mentioned_at <= end:
        # a period still running when it was said ("this year", "this season"): the value
        # holds now, as of the telling, not from the middle of the period
        return f.mentioned_at
    return f.occurred_start + (end - f.occurred_start) / 2


# two values are one when their normalised words are equal, or one's words contain the
# other's, or rapidfuzz's token-set ratio reaches this (spelling variants: "Fly.io", "fly io")
VALUE_MATCH_RATIO = 90.0


def values_match(a: str | None, b: str | None) -> bool:
    """Do two values name the same thing? Numbers and identifiers must agree exactly
    ("Python 3.10" is not "Python 3.12", "Elasticsearch 7" is not "Elasticsearch 8")."""
    if not a or not b:
        return False
    from rapidfuzz import fuzz

    from memory.resolve import names_conflict

    na, nb = normalise_text(a), normalise_text(b)
    if not na or not nb or names_conflict(na, nb):
        return False
    if na == nb:
        return True
    wa, wb = set(na.split()) - _ARTICLES, set(nb.split()) - _ARTICLES
    if wa and wb and (wa <= wb or wb <= wa):
        return True
    return fuzz.token_set_ratio(na, nb) >= VALUE_MATCH_RATIO


_ARTICLES = word_set("the a an our my their his her its")


def supersession(old: SlotFact, new: SlotFact) -> Supersession | None:
    """The reason `new` retires `old`, or None (keep both).

    (a) explicit change: `new` names the old value it replaces ("from MySQL to PostgreSQL",
    "instead of Angular", "replaced Kenji") and `old` is about one of its subjects with that
    value; (b) functional: same subject, same single-valued attribute, another value. Either
    way `new` must be later (occurred time, else mention time; for a time-valued attribute the
    occurred time is the value itself, so mention time: "brought forward to April 21"). A
    stated change told after an old fact dated only by when it was said is later too, however
    it is dated (`learned_later_change`)."""
    learned_later = False
    if _time_valued(old.predicate) and _time_valued(new.predicate):
        if new.mentioned_at <= old.mentioned_at:
            return None
    elif (_when(new), new.mentioned_at) <= (_when(old), old.mentioned_at):
        if not learned_later_change(old, new):
            return None
        learned_later = True
    why = _supersession(old, new)
    return replace(why, learned_later=True) if why is not None and learned_later else why


def learned_later_change(old: SlotFact, new: SlotFact) -> bool:
    """ "Ana lives in Bergen." (said in June) then "Ana moved to Oslo in the spring." (said in
    August): the change is dated before the old note, but it is a stated change (a change cue,
    or the old value named) told after it, and the old note is dated only by when it was said:
    it told what its writer knew then. A careful reader takes the change as the news. Without
    a change cue (a functional attribute given another value) the later-occurring fact wins;
    an old fact with an occurred time of its own, or an old change (which happened when it was
    told), keeps the order of the occurred times."""
    return (
        (new.explicit_change or bool(new.change_old))
        and new.mentioned_at > old.mentioned_at
        and old.occurred_start is None
        and not (old.explicit_change or old.change_old)  # a change itself happened when told
    )


def _supersession(old: SlotFact, new: SlotFact) -> Supersession | None:
    if values_match(old.object, new.object) and old.subject == new.subject:
        return None
    slot = slot_key(old.subject, old.predicate)
    named = new.change_old and old.subject in (new.subject, *new.targets)
    if named and _other_attribute(old, new):
        named = False  # "Oona was replaced as secretary" leaves her office of treasurer
    if named and values_match(old.object, new.change_old):
        return Supersession("explicit-change", new.cues or ("from",), slot, old.object, new.object)
    if slot != slot_key(new.subject, new.predicate) or not old.object:
        return None
    if new.functional and old.functional:
        if new.object is None and not new.explicit_change:
            return None
        from memory.extract.amounts import kinds_clash

        if kinds_clash(old.object, new.object):
            return None  # a price and a length of one thing ("$40" / "90 minutes")
        return Supersession("functional", new.cues, slot, old.object, new.object)
    if new.cues and _new_version(old.object, new.object):
        return Supersession("version-change", new.cues, slot, old.object, new.object)
    return None


def _other_attribute(old: SlotFact, new: SlotFact) -> bool:
    """Both name a single-valued attribute of one subject, with no word in common or another
    head word ("treasurer" / "secretary", "practice nurse" / "practice manager"; not "lead" /
    "tech lead")."""
    if not (old.functional and new.functional and old.subject == new.subject):
        return False
    if new.predicate in ("holder", "lead"):
        # "Pia handed the shop over to Jonas", "Thameslink took over the line from Southern
        # Rail": whatever office of it the old value held
        return False
    words = [p.replace("_", " ").split() for p in (old.predicate, new.predicate)]
    if not (words[0] and words[1]):
        return False
    # "practice nurse" / "practice manager": a word in common, but another office;
    # "under-18s coach" / "under-16s coach": another number, another office
    from memory.resolve import names_conflict

    other = not set(words[0]) & set(words[1]) or words[0][-1] != words[1][-1]
    return other or names_conflict(old.predicate, new.predicate)


def _time_valued(predicate: str) -> bool:
    """An attribute whose value is a date or a time ("due", "when", "when_open")."""
    return predicate in ("due", "when") or predicate.startswith(("when_", "when "))


def _new_version(a: str | None, b: str | None) -> bool:
    """ "Kubernetes 1.27" -> "Kubernetes 1.29": the same named thing at another version."""
    if not a or not b:
        return False
    wa, wb = normalise_text(a).split(), normalise_text(b).split()
    name_a = [w for w in wa if not any(c.isdigit() for c in w)]
    name_b = [w for w in wb if not any(c.isdigit() for c in w)]
    return bool(name_a) and name_a == name_b and wa != wb


def ambiguous_change(old: SlotFact, new: SlotFact) -> bool:
    """The band where a careful reader would ask: same slot of a multi-valued relation, a
    change cue ("we now use Redis"), but no old value named. Kept apart unless an LLM says."""
    return (
        bool(new.cues)
        and not new.functional
        and not new.change_old
        and slot_key(old.subject, old.predicate) == slot_key(new.subject, new.predicate)
        and not values_match(old.object, new.object)
        and (_when(new), new.mentioned_at) > (_when(old), old.mentioned_at)
    )


SWITCH_CUES = frozenset({"switch", "migrate", "move", "change", "now", "convert", "port"})
_PURPOSE = re.compile(
    r"\bfor (?:the |our |a |an )?(?P<p>[a-z][\w -]{1,40}?)(?:[.,;!?]|$| because| since| instead| now)",
    re.I,
)


def purpose(text: str) -> str:
    """The "for X" a relation is stated with ("We use Redis for caching" -> "caching")."""
    m = _PURPOSE.search(text)
    return normalise_text(m["p"]) if m else ""


def switch_without_old(
    old: SlotFact, new: SlotFact, old_text: str, new_text: str
) -> Supersession | None:
    """ "We use MySQL for billing." then "We switched to PostgreSQL for billing.": a switch cue
    on the same slot for the same purpose names no old value, but a careful reader takes it
    as replacing the one current value of that purpose (the caller checks it is the only
    one). Different purposes ("We use PostgreSQL." / "We now use Redis for caching.") stay."""
    if not new.cues or not SWITCH_CUES & set(new.cues) or new.change_old or new.functional:
        return None
    if slot_key(old.subject, old.predicate) != slot_key(new.subject, new.predicate):
        return None
    if not old.object or not new.object or values_match(old.object, new.object):
        return None
    later = (_when(new), new.mentioned_at) > (_when(old), old.mentioned_at)
    if not later and not learned_later_change(old, new):
        return None
    if purpose(old_text) != purpose(new_text):
        return None
    cues = tuple(new.cues) + ("same purpose",)
    slot = slot_key(old.subject, old.predicate)
    return Supersession("explicit-change", cues, slot, old.object, new.object, not later)


def should_supersede(old: SlotFact, new: SlotFact) -> bool:
    """True when `new` replaces `old` (see `supersession`)."""
    return supersession(old, new) is not None
