"""Slots and change events read from a spaCy dependency parse of one sentence.

`read_clause(sent)` answers: which (subject, attribute) does the sentence give a value to, is
that attribute single-valued by nature, and does the sentence state a change (with the old
and new value when it names them)? The attribute names are normalised so that different
wordings of one attribute meet ("the deadline for Atlas", "Atlas is due", "Atlas was pushed
to June" are all (Atlas, due)).

Functional by nature (one value at a time): who leads/owns/manages X (a role of X), when X is
due or takes place, where X is or lives, whom X reports to and where X works, how many X there
are, the main/primary/default X, X's name, title, status and version. Everything else (use,
like, work on, review, meet, fix, ...) is multi-valued: only an explicit change that names the
old value retires anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from memory.extract.amounts import AMOUNT_WORDS, misread_amount, read_amount, unreal
from memory.extract.changes_named import NAMED_CHANGE_WORDS, named_change
from memory.extract.phrases import (
    ROLE_NOUNS,
)
from memory.extract.phrases import (
    WE as _WE,
)
from memory.extract.phrases import (
    attribute_of as _attribute,
)
from memory.extract.phrases import (
    children as _children,
)
from memory.extract.phrases import (
    definite as _definite,
)
from memory.extract.phrases import (
    instead_of as _instead_of,
)
from memory.extract.phrases import (
    is_role as _is_role,
)
from memory.extract.phrases import (
    is_time as _is_time,
)
from memory.extract.phrases import (
    lemma_of as _lemma,
)
from memory.extract.phrases import (
    owner_of as _owner,
)
from memory.extract.phrases import (
    phrase as _phrase,
)
from memory.extract.phrases import (
    pobj as _pobj,
)
from memory.extract.phrases import (
    pobj_near as _pobj_near,
)
from memory.extract.phrases import (
    value_of as _value,
)
from memory.extract.successions import NO_SLOT, read_succession, unreal_office
from memory.extract.written_changes import (
    ARROW_WORDS,
    arrow_change,
    count_attribute,
    counted_by_of,
    with_written_old,
)
from memory.models import ChangeEvent

__all__ = [
    "Clause",
    "read_clause",
    "needs_parse",
    "expand_contractions",
    "ROLE_NOUNS",
    "CHANGE_VERBS",
]

Token = Any  # spacy.tokens.Token
Span = Any  # spacy.tokens.Span

# verbs that give X a leader/owner: "Alice leads the platform team" is (platform team, lead)
_LEAD_VERBS = {"lead": "lead", "head": "lead", "run": "lead", "direct": "lead", "chair": "chair",
               "manage": "manager", "own": "owner", "oversee": "lead", "captain": "lead"}  # fmt: skip
# nouns whose value is a date: "the deadline for Atlas", "the launch date"
_DUE_NOUNS = frozenset(["deadline", "due", "date", "eta"])
_NAME_NOUNS = frozenset(["name", "codename"])
_TITLE_NOUNS = frozenset(["title", "role", "position"])
_COUNT_NOUNS = frozenset(["headcount", "count", "number", "size"])
_STATUS_WORDS = frozenset(
    [
        "beta",
        "alpha",
        "preview",
        "production",
        "ga",
        "available",
        "deprecated",
        "sunset",
        "live",
        "retired",
    ]
)
# adjectives that make the noun they modify single-valued: "our main database"
_SINGULAR_MODS = frozenset(
    ["main", "primary", "default", "preferred", "current", "official", "only", "sole"]
)
# verbs that state a change of value
CHANGE_VERBS = frozenset(
    [
        "move",
        "switch",
        "migrate",
        "replace",
        "relocate",
        "rename",
        "upgrade",
        "downgrade",
        "promote",
        "push",
        "postpone",
        "delay",
        "transfer",
        "hand",
        "pass",
        "change",
        "convert",
        "port",
        "rebuild",
        "rewrite",
        "reschedule",
        "shift",
        "slip",
        "advance",
        "adjourn",
        "defer",
        "swap",
    ]
)
# "brought the deadline forward", "put the launch back": a time moved by a verb that moves
# nothing else by itself
_MOVED_BY = frozenset(["bring", "put", "pull"])
# "rolled production back to release 8.3": a value moved back (or forward) to another
_ROLLED = "roll"
_MOVED_WAY = frozenset(["forward", "back", "up", "ahead"])
_STAY_VERBS = frozenset(["live", "base", "locate", "reside"])
_PRONOUNS = frozenset(
    [
        "it",
        "this",
        "that",
        "these",
        "those",
        "they",
        "them",
        "he",
        "she",
        "him",
        "her",
        "you",
        "there",
        "which",
        "who",
        "what",
        "one",
    ]
)


class _Unwritten(str):
    """The owner "we" when the sentence does not write one ("the head chef is now Aiko"),
    told apart from a written "our" or UNWRITTEN (`Clause.owner_implicit`)."""


UNWRITTEN = _Unwritten("we")


@dataclass
class Clause:
    subject: str  # the slot's subject as written ("we", "the platform team", "Priya")
    attribute: str  # normalised attribute ("lead", "due", "main database", "use", ...)
    value: str | None
    functional: bool
    change: ChangeEvent | None = None
    cues: tuple[str, ...] = ()  # words that made the attribute functional
    targets: list[str] = field(default_factory=list)  # subjects an explicit change may concern
    owner_implicit: bool = False  # the subject is ours only because no owner is written


# ------------------------------------------------------------------ cues


def _change_cues(root: Token, sent: Span) -> list[str]:
    cues = []
    low = [t.lower_ for t in sent]
    text = " ".join(low)
    if _lemma(root) in CHANGE_VERBS:
        cues.append(_lemma(root))
    way = [
        c.lower_ for c in root.children if c.dep_ in ("advmod", "prt") and c.lower_ in _MOVED_WAY
    ]
    if _lemma(root) in _MOVED_BY and way:
        cues.append(f"{_lemma(root)} {way[0]}")
    if _lemma(root) == _ROLLED and way and way[0] in ("back", "forward"):
        cues.append(f"roll {way[0]}")
    if any(c.dep_ == "prt" and c.lower_ == "over" for c in root.children) and _lemma(root) in (
        "take",
        "hand",
        "pass",
    ):
        cues.append(f"{_lemma(root)} over")
    if _lemma(root) == "take" and _took_reins(root):
        cues.append("take over")
    for phrase in (
        "no longer",
        "instead of",
        "any more",
        "anymore",
        "now",
        "these days",
        "nowadays",
        "going forward",
        "in favour of",
        "in favor of",
    ):
        if f" {phrase} " in f" {text} ":
            cues.append(phrase)
    if _pobj_near(root, "from") is not None and _pobj_near(root, "to") is not None:
        cues.append("from ... to")
    cues += _from_then_on(low)
    return list(dict.fromkeys(cues))


# words that date a value from a time on: "As of January, ...", "Effective Monday, ...",
# "Starting next week ...": the value holds from then, so it changed then
_FROM_THEN_ON = ("as of", "effective", "starting", "beginning", "with effect from")


def _from_then_on(low: list[str]) -> list[str]:
    text = f" {' '.join(low)} "
    lead = " ".join(low[:4])
    return [
        w for w in _FROM_THEN_ON if lead.startswith(w + " ") or f" {w} " in text and w == "as of"
    ]


# ------------------------------------------------------------------ readers


def read_clause(sent: Span, speaker: str | None = None) -> Clause | None:
    """The slot the sentence gives a value to, or None (questions, no subject, no value);
    an old value written beside the new one ("55 lockers, up from 40") is its change's old."""
    if ARROW_WORDS.search(sent.text) and (arrow := arrow_change(sent)) is not None:
        return arrow  # type: ignore[no-any-return]
    return with_written_old(sent, _read_clause(sent, speaker))  # type: ignore[no-any-return]


def _read_clause(sent: Span, speaker: str | None = None) -> Clause | None:
    if sent.text.rstrip().endswith("?"):
        return None
    if (succession := read_succession(sent, speaker)) is not None:
        return None if succession is NO_SLOT else succession  # type: ignore[return-value]
    if (amount := misread_amount(sent, speaker)) is not None:
        return amount  # "A haircut costs £24" with "costs" read as a noun
    found = [(head, c) for head in _heads(sent.root) if (c := _read_head(head, sent, speaker))]
    handed = _departure_then_successor(sent.root, speaker)
    if handed is not None:
        return handed
    if (named := named_change(sent, speaker, found)) is not None:
        return named
    if not found:
        return _after_time_phrase(sent, speaker) or _misread_verb(sent, speaker)
    # a clause naming the value it replaces, then a single-valued one, then a state over an
    # event ("Rosa has been promoted to manager, and Jin is now the shift supervisor": the
    # state is what holds after the event), then the first
    return max(
        found,
        key=lambda c: (
            c[1].change is not None and c[1].change.old is not None,
            c[1].functional,
            c[1].value is not None,  # "Felix was promoted, and Hana is now the manager"
            _lemma(c[0]) == "be" and c[1].value is not None,
        ),
    )[1]


# verbs of leaving an office: "Colm stepped down as head brewer", "Ines resigned as treasurer"
_DEPART_VERBS = frozenset(["step", "resign", "retire", "quit", "leave", "stand"])


def _departure_then_successor(root: Token, speaker: str | None) -> Clause | None:
    """ "Colm stepped down as head brewer, and Aoife took the reins": a departure from the
    office of "as X" joined to a clause whose subject takes over without naming what: X
    passes from the one to the other."""
    if _lemma(root) not in _DEPART_VERBS or root.dep_ != "ROOT":
        return None
    office = _pobj(root, "as")
    leaver = next(iter(_children(root, "nsubj")), None)
    if office is None or office.pos_ != "NOUN" or leaver is None or leaver.lower_ in _PRONOUNS:
        return None
    joined = _heads(root)[1:] + [c for c in root.children if c.dep_ == "advcl"]
    for head in joined:
        taker = next(iter(_children(head, "nsubj")), None) or _stray_subject(head)
        if taker is None or taker.lower_ in _PRONOUNS or _lemma(head) != "take":
            continue
        over = any(c.dep_ == "prt" and c.lower_ == "over" for c in head.children)
        objs = [c for c in head.children if c.dep_ == "dobj"]
        if (over and not objs) or (_took_reins(head) and _pobj(head, "at", "of") is None):
            owner = _owner(office) or UNWRITTEN
            way = [c.lower_ for c in root.children if c.dep_ in ("prt", "advmod")][:1]
            cues = [" ".join([_lemma(root), *way]), "take over"]
            return _clause(owner, _attribute(office), _subject_text(taker, speaker), True,
                           cues, _subject_text(leaver, speaker), ("take over",),
                           [owner])  # fmt: skip
    return None


def _stray_subject(verb: Token) -> Token | None:
    """ "... as programme director and Tariq Aziz took the reins": the small parser hangs the
    verb's subject on the noun before it as a conjunct; the name right before the verb."""
    if verb.i == 0:
        return None
    prev = verb.doc[verb.i - 1]
    return prev if prev.dep_ == "conj" and prev.pos_ == "PROPN" else None


_FROM_NOW = frozenset(["now", "on", "starting", "beginning", "effective", "as", "of", "from"])


def _after_time_phrase(sent: Span, speaker: str | None) -> Clause | None:
    """ "Starting next week, the bus leaves at 8:40": a leading time phrase up to a comma
    (a date, "from now on") often derails the small parser; the rest is read on its own and
    the phrase is a cue that the value changes from then on."""
    comma = next((t.i for t in sent if t.text == ","), None)
    if comma is None or not 1 <= comma - sent.start <= 5 or sent.end - comma < 4:
        return None
    lead = sent.doc[sent.start : comma]
    if not all(t.ent_type_ in ("DATE", "TIME") or t.lower_ in _FROM_NOW for t in lead):
        return None
    from memory.extract.nlp import parse

    rest = parse(sent.doc[comma + 1 : sent.end].text)
    clause = next((c for s in rest.sents if (c := read_clause(s, speaker))), None)
    if clause is not None:
        cue = lead.text.lower()
        if clause.change is None:
            clause.change = ChangeEvent(None, clause.value, (cue,))
        else:
            clause.change = ChangeEvent(clause.change.old, clause.change.new,
                                        (*clause.change.cues, cue))  # fmt: skip
    return clause


def _misread_verb(sent: Span, speaker: str | None) -> Clause | None:
    """ "The night ferry departs at 11:30" parsed as one noun phrase (with "departs" its
    plural head): a sentence without a verb whose root is a plural noun after compound nouns
    is a present-tense verb misread. Read as a schedule when it has one."""
    root, doc = sent.root, sent.doc
    if any(t.pos_ in ("VERB", "AUX") for t in sent):
        return None
    verb = next((t for t in sent if t.tag_ == "NNS" and t.i + 1 < sent.end
                 and doc[t.i + 1].lower_ in ("at", "on") and t.i > sent.start), None)  # fmt: skip
    if verb is None and root.tag_ == "NNS" and root.i + 2 < sent.end:
        # "Stores close at 9 pm" parsed as "stores (that are) close": the adjective after a
        # plural subject, before "at"/"on", is the verb
        nxt = doc[root.i + 1]
        if nxt.tag_ == "JJ" and nxt.dep_ == "amod" and doc[root.i + 2].lower_ in ("at", "on"):
            verb = nxt
    if verb is None:
        return None
    if verb.i == root.i:  # "The night ferry departs": the nouns before it are the subject
        words = [t for t in doc[sent.start : root.i] if t.dep_ != "det" and t.head.i == root.i]
        if not words or any(t.dep_ not in ("compound", "amod") for t in words):
            return None
        who = "".join(t.text_with_ws for t in words).strip()
    elif root.i < verb.i and root.pos_ == "NOUN":  # "The bus to the depot leaves at 8:15"
        # the misread verb took the subject's last words as its modifiers: all words
        # before it are the subject
        toks = [t for t in doc[sent.start : verb.i] if t.dep_ not in ("advmod", "punct")]
        if toks and toks[0].dep_ == "det":
            toks = toks[1:]
        who = "".join(t.text_with_ws for t in toks).strip()
    else:
        return None
    from memory.slots import light_lemma

    preps = [p for p in doc[verb.i + 1 : sent.end] if p.lower_ in ("at", "on") and p.dep_ == "prep"]
    return _schedule_clause(preps, who, light_lemma(verb.lower_), _change_cues(root, sent))


def _heads(root: Token) -> list[Token]:
    """The sentence's main verb and the verbs of clauses joined to it ("We no longer use Jira;
    tickets live in Linear")."""
    return [root] + [
        c
        for c in root.children
        if c.pos_ in ("VERB", "AUX")
        and (
            c.dep_ in ("conj", "parataxis", "ccomp")
            # "..., so it has five engines now": a result clause
            or c.dep_ == "advcl"
            and any(m.dep_ == "mark" and m.lower_ == "so" for m in c.children)
        )
    ]


# modal auxiliaries of a possibility, a wish or an obligation: "may move", "could switch"
_UNREAL_MODALS = frozenset(["may", "might", "could", "would", "should", "must", "ought"])
# adverbs that add a value beside the current one: "also runs on Fridays", "plays Mahler too"
_ADDITIVE = frozenset(["also", "too"])


_CONDITIONS = frozenset(["if", "unless"])


def _unreal_change(root: Token) -> bool:
    """A change verb negated ("did not move") or under a modal of possibility ("may move"), or
    any clause under a condition ("If the budget allows, the station will have five engines"):
    the sentence states no change and no new value."""
    if any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _CONDITIONS for m in c.children)
        for c in root.children
    ):
        return True
    if _lemma(root) not in CHANGE_VERBS | AMOUNT_VERBS | _STAY_VERBS:
        return False
    return any(
        c.dep_ == "neg" or (c.tag_ == "MD" and c.lower_ in _UNREAL_MODALS) for c in root.children
    )


def _additive(root: Token) -> bool:
    """ "The food bank also runs on Fridays": a value added beside the current one."""
    words = [c.lower_ for c in root.children if c.dep_ == "advmod"]
    return bool(_ADDITIVE & set(words)) or "as well" in root.sent.text.lower()


def _shared_subject(root: Token) -> Token | None:
    """ "Sam Eze was sacked and replaced by Luis Prado": a verb conjoined to another without
    a subject of its own shares that verb's."""
    if root.dep_ != "conj" or root.head.pos_ not in ("VERB", "AUX"):
        return None
    return next(iter(_children(root.head, "nsubj", "nsubjpass")), None)


def _read_head(root: Token, sent: Span, speaker: str | None) -> Clause | None:
    if _unreal_change(root) or unreal_office(root):
        return None
    clause = _read_head_value(root, sent, speaker)
    if clause is not None and _additive(root) and (clause.change is None or not clause.change.old):
        return replace(clause, functional=False, change=None, cues=())
    if clause is not None and clause.functional and clause.change is None and _past_state(root):
        # "Leo was the team captain last season": what held once, told as history, says
        # nothing of who holds it now (a change is told with a change word: "was replaced")
        return replace(clause, functional=False, cues=())
    return clause


def _past_state(root: Token) -> bool:
    """A plain past-tense "was"/"were" as the main verb: a state that held then."""
    return root.lemma_.lower() == "be" and root.tag_ == "VBD"


def _read_head_value(root: Token, sent: Span, speaker: str | None) -> Clause | None:
    mods: list[str] = []
    subj = next(iter(_children(root, "nsubj", "nsubjpass")), None) or _shared_subject(root)
    if subj is None:  # "The search cluster runs X" misparsed as a compound: its last noun
        left = [
            c
            for c in root.children
            if c.i < root.i
            and c.dep_ in ("compound", "npadvmod", "nmod")
            and c.pos_ in ("NOUN", "PROPN")
        ]
        subj = left[-1] if left else None
        # "The last ferry leaves at 21:30": "last" is hung on the verb too; the first ferry
        # is another subject
        mods = [c.text for c in root.children if subj is not None and c.i < subj.i
                and c.dep_ == "amod" and c.pos_ == "ADJ"]  # fmt: skip
    if subj is not None and subj.lower_ == "it":
        subj = _antecedent(subj)
    if subj is None or subj.lower_ in _PRONOUNS:  # no coreference here
        return None
    who = _subject_text(subj, speaker)
    if mods:
        who = " ".join([*mods, who])
    cues = _change_cues(root, sent)
    for reader in (read_amount, _appoint, _passive, _have_count, _lead_verb, _take_over, _replace, _hand_over,
                   _copular,
                   _stay, _works, _schedule, _amount_change, _change_verb, _from_to,
                   _in_favour, _generic):  # fmt: skip
        clause = reader(root, subj, who, cues)
        if clause is not None:
            if cues and clause.change is None:
                clause.change = ChangeEvent(None, clause.value, tuple(cues))
            return clause
    return None


def _antecedent(it: Token) -> Token | None:
    """ "The café doesn't open at 8 am anymore; it opens at 7 am": "it" is the one thing
    (a common or proper noun, not a person) that is the subject of a clause before it in the
    sentence; else None."""
    subjects = [
        t
        for t in it.sent
        if t.i < it.i
        and t.dep_ in ("nsubj", "nsubjpass")
        and (t.tag_ == "NN" or t.tag_ == "NNP" and t.ent_type_ != "PERSON")
    ]
    return subjects[-1] if len(subjects) == 1 else None


def _subject_text(subj: Token, speaker: str | None) -> str:
    low = subj.lower_
    if low in ("i", "me"):
        return speaker or "I"
    if low in _WE:
        return "we"
    # `phrase` reads whole written words: "Check-out is at 11 am", parsed as two subjects
    # "Check" and "out", is about "Check-out"
    return _phrase(subj)


def _clause(who: str, attr: str, value: str | None, functional: bool, cues: list[str],
            old: str | None = None, why: tuple[str, ...] = (), targets: list[str] | None = None,
            explicit: bool = False) -> Clause:  # fmt: skip
    change = None
    if old is not None or explicit:
        change = ChangeEvent(old, value, tuple(cues) or why)
    implicit = isinstance(who, _Unwritten)
    return Clause(str(who), attr, value, functional, change, why, [str(t) for t in targets or [who]],
                  implicit)  # fmt: skip


def _passive(root: Token, subj: Token, who: str, cues: list[str]) -> Clause | None:
    """ "The gateway is owned by the infra team": (gateway, owner) = infra team."""
    if subj.dep_ != "nsubjpass":
        return None
    agent = _pobj(root, "by")
    lemma = _lemma(root)
    if lemma == "rename" or (lemma in ("call", "name") and agent is None):
        new = _pobj_near(root, "to") or next(iter(_children(root, "oprd", "attr", "xcomp")), None)
        old = _pobj_near(root, "from")
        return _clause(who, "name", _value(new) if new is not None else None, True, cues,
                       _value(old) if old is not None else None, ("name",),
                       _attribute_targets(subj, who))  # fmt: skip
    if lemma == "promote":
        new, old = _pobj_near(root, "to"), _pobj_near(root, "from")
        return _clause(who, "title", _value(new) if new is not None else None, True, cues,
                       _value(old) if old is not None else None, ("promote",))  # fmt: skip
    if agent is not None and lemma in _LEAD_VERBS:
        return _clause(who, _LEAD_VERBS[lemma], _phrase(agent), True, cues, why=(lemma,))
    office = _agent_office(lemma)
    if agent is not None and office is not None and _holds_now(root):
        # "The newsletter is edited by Clare": the newsletter's editor is Clare
        return _clause(who, office, _phrase(agent), True, cues, why=(lemma,))
    num = _count_of(agent) if agent is not None else None
    if agent is not None and num is not None:  # "staffed by 9 agents": (X, count of agent) = 9
        return _clause(who, f"count of {agent.lemma_.lower()}", num, True, cues,
                       why=("count",))  # fmt: skip
    moved = lemma in _MOVED_BY and any(c.startswith(lemma + " ") for c in cues)
    if moved or lemma in ("plan", "schedule", "set", "push", "postpone", "delay", "move",
                          "reschedule", "shift", "slip", "advance", "change"):  # fmt: skip
        new = _pobj(root, "for", "to", "on", "until")
        if new is None and lemma == "set":  # "Filming is now set to wrap on 3 August"
            new = next((t for x in _children(root, "xcomp") if (t := _pobj(x, "on", "for", "by"))
                        is not None), None)  # fmt: skip
        if new is not None and _is_time(new):
            old = _pobj_near(root, "from")
            if subj.lemma_.lower() in _DUE_NOUNS:  # "The print deadline was brought forward"
                who = _owner(subj) or _compound_owner(subj) or who
            return _clause(who, "due", _value(new), True, cues,
                           _value(old) if old is not None else None, (lemma,))  # fmt: skip
    if lemma in ("base", "locate", "headquarter"):
        place = _pobj(root, "in", "at")
        if place is not None:
            return _clause(who, "location", _phrase(place), True, cues, why=(lemma,))
    if lemma in ("build", "write", "host", "run", "power") and (
        tech := _pobj(root, "with", "on", "in")
    ):
        return _clause(who, "use", _phrase(tech), False, cues)
    return _passive_schedule(root, who, lemma, cues)


def _agent_office(lemma: str) -> str | None:
    """The office whose holder does what the verb says: edit -> editor, host -> host,
    curate -> curator, supervise -> supervisor; None when the doer holds no office."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    return next(
        (w for w in (lemma, stem + "or", stem + "er", lemma + "r") if w in ROLE_NOUNS), None
    )


def _holds_now(root: Token) -> bool:
    """A present (or present perfect) passive without a modal: "is edited by", "has been
    edited by" (not "was edited by", "will be edited by")."""
    if any(c.tag_ == "MD" for c in root.children):
        return False
    aux = [c for c in root.children if c.dep_ in ("aux", "auxpass")]
    return bool(aux) and aux[0].tag_ in ("VBZ", "VBP")


def _passive_schedule(root: Token, who: str, lemma: str, cues: list[str]) -> Clause | None:
    """ "Breakfast is served until 10 am", "Lunch is served at noon": a present passive at a
    clock time or until one states a recurring time, one at a time."""
    aux = [c for c in root.children if c.dep_ == "auxpass"]
    if not aux or aux[0].tag_ not in ("VBZ", "VBP") or any(c.tag_ == "MD" for c in root.children):
        return None
    for prep in ("until", "till", "at"):
        when = _pobj(root, prep)
        if when is not None and _is_time(when):
            attr = f"when {lemma} until" if prep != "at" else f"when {lemma}"
            return _clause(who, attr, _value(when), True, cues, why=("schedule",))
    return None


def _number_text(num: Token) -> str:
    """A number as written, with the parts of a hyphenated one the tokenizer split
    ("twenty-four": the parser takes "four" as the number)."""
    doc, start, end = num.doc, num.i, num.i + 1
    while start >= 2 and doc[start - 1].text == "-" and doc[start - 2].like_num:
        start -= 2
    while end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].like_num:
        end += 2
    return doc[start:end].text


def _count_of(np: Token) -> str | None:
    """The number a noun phrase counts ("9 agents" -> "9"), else None."""
    num = next((c for c in np.children if c.dep_ == "nummod" and c.like_num), None)
    if num is None:
        return None
    return "".join(t.text_with_ws for t in num.subtree).strip()


def _attribute_targets(np: Token, who: str) -> list[str]:
    """The subjects a change of `np` may concern: itself, and when it is a definite common
    noun ("the team channel"), the owner whose attribute it names (ours unless written):
    "Our team channel is #infra" is (we, team channel)."""
    owner = _owner(np)
    if owner is not None and owner.lower() in _PRONOUNS | {"its", "his", "their"}:
        return [who]  # "its records": no coreference here
    if np.pos_ == "NOUN" and (_definite(np) or owner is not None):
        return [who, owner or UNWRITTEN]
    return [who]


def _lead_verb(root: Token, subj: Token, who: str, cues: list[str]) -> Clause | None:
    """ "Alice leads the platform team": (platform team, lead) = Alice."""
    lemma = _lemma(root)
    obj = next(iter(_children(root, "dobj")), None)
    if lemma not in _LEAD_VERBS or obj is None or subj.dep_ != "nsubj":
        return None
    if lemma == "run" and (obj.pos_ != "NOUN" or obj.ent_type_ or _versioned(obj)):
        return None  # "runs firmware 1.8" is software it runs, not a team it leads
    negated = "no longer" in cues or any(c.dep_ == "neg" for c in root.children)
    attr = _LEAD_VERBS[lemma]
    if negated:
        return _clause(_phrase(obj), attr, None, True, cues, who, (lemma,))
    return _clause(_phrase(obj), attr, who, True, cues, why=(lemma,))


def _took_reins(root: Token) -> bool:
    """ "took the reins (of X)": took over (X)."""
    return any(c.dep_ == "dobj" and c.lemma_.lower() == "rein" for c in root.children)


def _take_over(root: Token, subj: Token, who: str, cues: list[str]) -> Clause | None:
    """ "Bob took over the platform team" / "Isabel took over as team lead of Mobile" /
    "Dr. Kowalski took the reins at the observatory from Dr. Anand"."""
    if "take over" not in cues:
        return None
    if _took_reins(root):
        reins = next(c for c in root.children if c.dep_ == "dobj")
        led = _pobj(reins, "of") or _pobj(root, "at", "of")
        if led is None:
            return None  # "and Aoife took the reins": of what the sentence says elsewhere
        old = _pobj_near(root, "from")
        return _clause(_phrase(led), "lead", who, True, cues,
                       _phrase(old) if old is not None else None, ("take over",))  # fmt: skip
    role = _pobj(root, "as")
    if role is not None and role.pos_ == "NOUN":  # "took over as <X>": X is a role by the frame
        owner = _owner(role) or UNWRITTEN
        old = _pobj_near(root, "from")
        return _clause(owner, _attribute(role), who, True, cues,
                       _phrase(old) if old is not None else None, ("take over",))  # fmt: skip
    obj = next(iter(_children(root, "dobj")), None)
    if obj is None:
        return None
    old = _pobj_near(root, "from")
    return _clause(_phrase(obj), "lead", who, True, cues,
                   _phrase(old) if old is not None else None, ("take over",))  # fmt: skip


# verbs that put a person into an office: "Maya was elected treasurer", "The board appointed
# Ravi chair", "Raj Menon succeeded Helen Park as mayor"
_APPOINT_VERBS = frozenset(["elect", "appoint", "name", "nominate", "make", "succeed", "install",
                            "choose", "vote", "hire"])  # fmt: skip


def _replacing(root: Token) -> str | None:
    """ "..., replacing Leo" / "... in place of Leo" / "... after Leo stepped down": the
    previous holder an appointment names."""
    for c in root.children:
        if c.dep_ in ("advcl", "xcomp", "conj") and c.lemma_.lower() in ("replace", "succeed"):
            obj = next(iter(_children(c, "dobj")), None)
            if obj is not None:
                return _phrase(obj)
    place = _pobj(root, "in")
    if place is not None and place.lower_ == "place":
        prev = _pobj(place, "of")
        if prev is not None:
            return _phrase(prev)
    return None


def _appoint(root: Token, subj: Token, who: str, cues: list[str]) -> Clause | None:
    """A person put into a single-holder office: (owner, office) = person, naming the previous
    holder when the sentence does. The office is a role noun, or a noun in the "as X" / object
    complement position of these verbs (the frame makes it a role)."""
    lemma = _lemma(root)
    if lemma not in _APPOINT_VERBS:
        return None
    passive = subj.dep_ == "nsubjpass"
    obj = next(iter(_children(root, "dobj")), None)
    agent = _pobj(root, "by") if passive else None
    office = next(iter(_children(root, "oprd", "attr")), None) or _as_office(root, agent)
    if office is None and not passive and obj is not None and lemma != "succeed":
        office = next(iter(_children(obj, "oprd", "appos")), None)
    if office is None or office.pos_ != "NOUN" or (lemma in ("make", "choose", "hire", "vote")
                                                   and not _is_role(office)):  # fmt: skip
        return None
    if any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in office.children):
        return None  # "was named a fellow": one of many, not the office
    owner = _owner(office) or UNWRITTEN
    attr = _attribute(office)
    if lemma == "succeed":
        if passive:  # "Helen Park was succeeded as mayor by Raj Menon"
            agent = _pobj(root, "by")
            new = _phrase(agent) if agent is not None else None
            return _clause(owner, attr, new, True, [*cues, "succeed"], who, ("succeed",),
                           [owner, who])  # fmt: skip
        if obj is None:
            return None
        return _clause(owner, attr, who, True, [*cues, "succeed"], _phrase(obj), ("succeed",),
                       [owner, _phrase(obj)])  # fmt: skip
    person = who if passive else (_phrase(obj) if obj is not None else None)
    if person is None:
        return None
    prev = _replacing(root)
    return _clause(owner, attr, person, True, [*cues, lemma], prev, (lemma,),
                   [owner] + ([prev] if prev else []), explicit=prev is not None)  # fmt: skip


def _as_office(root: Token, agent: Token | None) -> Token | None:
    """The X of "as X" on the verb, or hung on its agent ("was succeeded by Olsen as chief
    pilot"): the office the verb hands on."""
    office = _pobj(root, "as")
    if office is None and agent is not None:
        office = _pobj(agent, "as")
    return office


def _replace(root: Token, subj: Token, who: str, cues: list[str]) -> Clause | None:
    """ "Mei replaced Kenji as tech lead for Payments"; "We replaced Confluence with Notion";
    "Kenji was replaced as tech lead by Mei"."""
    if _lemma(root) != "replace":
        return None
    obj = _dobj(root)
    role = _pobj(root, "as")
    if obj is not None and role is not None and _is_role(role):
        return _clause(_owner(role) or UNWRITTEN, _attribute(role), who, True, cues, _phrase(obj),
                       ("replace",))  # fmt: skip
    passive = subj.dep_ == "nsubjpass" or any(c.dep_ == "auxpass" for c in root.children)
    agent = _pobj(root, "by") if passive else None
    role = _as_office(root, agent)
    if passive and agent is None and role is not None:  # "replaced as director by Elias"
        agent = _pobj(role, "by")
    if agent is not None and role is not None and _is_role(role):
        owner = _owner(role) or UNWRITTEN
        return _clause(owner, _attribute(role), _phrase(agent), True, cues, who, ("replace",),
                       [owner])  # fmt: skip
    if subj.dep_ == "nsubjpass":  # "X was replaced by/with Y"
        new = _pobj(root, "by", "with")
        return _clause("we", "use", _phrase(new) if new is not None else None, False, cues,
                       who, ("replace",))  # fmt: skip
    new = _pobj_near(root, "with", "by")
    chore = subj.ent_type_ == "PERSON" and obj is not None and obj.ent_type_ != "PERSON"
    if obj is not None and new is None and subj.pos_ != "PRON" and who != "we" and not chore:
        # (a person replacing a thing is a chore: "Priya replaced the batteries")
        # "Model v6 replaced v5 in production": the subject is the new value, the object
        # the old one, in whichever attribute holds it (of the place named, or ours)
        # "in production": only the facts that name the place ("The production model is
        # v5"), not "v5" elsewhere
        place = _pobj(root, "in", "at", "for", "on")
        # "as the game's engine": the owner whose attribute held the old value
        held = _pobj(root, "as") or _pobj(obj, "as")
        held_by = _owner(held) if held is not None else None
        numbered = any(c.dep_ in ("appos", "nummod") and c.like_num for c in subj.children)
        value = "".join(t.text_with_ws for t in subj.subtree).strip() if numbered else who
        targets = ["we"] + ([held_by] if held_by and held_by.lower() not in _PRONOUNS else [])
        clause = _clause("we", "use", value, False, cues, _phrase(obj), ("replace",), targets)
        if place is not None and clause.change is not None:
            clause.change = replace(clause.change, where=_phrase(place))
        return clause
    if obj is None or new is None:
        return None
    return _clause(who, "use", _phrase(new), False, cues, _phrase(obj), ("replace",))


def _dobj(root: Token) -> Token | None:
    """The direct object, or a name right after the verb that the small parser left
    unattached ("replaced RabbitMQ with Kafka" parses RabbitMQ as punctuation)."""
    obj = next(iter(_children(root, "dobj")), None)
    if obj is not None or root.i + 1 >= len(root.doc):
        return obj
    nxt = root.doc[root.i + 1]
    named = nxt.text[:1].isupper() or any(ch.isdigit() for ch in nxt.text)
    if (
        named
        and nxt.text[:1].isalnum()
        and nxt.head.i == root.i
        and nxt.dep_ in ("punct", "dep", "npadvmod")
    ):
        return nxt
    return None


# what the holder of an office does, as a noun: handing it over hands over the office
# ("handed maintenance of the crate to Paulo" = the crate's maintainer is now Paulo)
ROLE_ACTIVITIES = {
    "maintenance": "maintainer", "leadership": "lead", "management": "manager",
    "stewardship": "steward", "captaincy": "captain", "chairmanship": "chair",
    "editorship": "editor", "supervision": "supervisor", "coordination": "coordinator",
    "administration": "admin", "custody": "custodian", "presidency": "president",
    "directorship": "director", "mayoralty": "mayor", "moderation": "moderator",
}  # fmt: skip


# the attribute of "A handed X over to B": whichever office A held of X (`memory.slots` lets it
# meet any single-valued attribute of X)
HOLDER = "holder"


def _hand_over(root: Token, subj: Token, who: str, cues: list[str]) -> Clause | None:
    """ "Felix handed the release manager role over to Zara"; "Kwame passed ownership of the
    ledger service to Sana"."""
    if _lemma(root) not in ("hand", "pass", "transfer", "give"):
        return None
    obj = next(iter(_children(root, "dobj")), None)
    new = _pobj_near(root, "to")
    over = any(c.dep_ == "prt" and c.lower_ == "over" for c in root.children)
    role = _pobj(root, "as")
    if new is not None and role is not None and role.pos_ == "NOUN" and over:
        # "Gareth handed over as watch manager to Siân": the office of "as X" passes on
        owner = _owner(role) or UNWRITTEN
        return _clause(owner, _attribute(role), _phrase(new), True, cues, who, ("hand over",),
                       [owner])  # fmt: skip
    if obj is None or new is None:
        return None
    office = ROLE_ACTIVITIES.get(obj.lemma_.lower())
    if office is None and not _is_role(obj) and obj.lemma_.lower() not in _TITLE_NOUNS:
        of = _pobj(obj, "of") if obj.tag_ == "NN" else None
        bare = of is not None and not any(c.dep_ in ("det", "poss") for c in obj.children)
        if (
            (over or bare)
            and obj.pos_ == "NOUN"
            and subj.text[:1].isupper()
            and subj.pos_ != "PRON"
        ):
            # "Pia handed the shop over to Jonas", "handed over the running of the vineyard
            # to Giulia", "handed command of the MV Aurora to Ingrid": whatever Pia held of
            # the shop, Jonas holds now
            thing = of if of is not None else obj
            return _clause(_phrase(thing), HOLDER, _phrase(new), True, cues, who,
                           ("hand over",), [_phrase(thing)])  # fmt: skip
        return None
    attr = office or _attribute(obj)
    for suffix in (" role", " position", " title"):
        attr = attr.removesuffix(suffix)
    return _clause(_owner(obj) or UNWRITTEN, attr, _phrase(new), True, cues, who, (_lemma(root),))


def _copular(root: Token, subj: Token, who: str, cues: list[str]) -> Clause | None:
    if _lemma(root) not in ("be", "become", "remain", "stay", "call"):
        return None
    comp = next(iter(_children(root, "attr", "acomp", "oprd")), None)
    prep_obj = None if comp is not None else _pobj(root, "in", "at", "on", "to", "from")
    negated = "no longer" in cues or any(c.dep_ == "neg" for c in root.children)
    if comp is not None and comp.lower_ == "due":
        when = _pobj(comp, "on", "by", "in", "for") or _pobj(root, "on", "by", "in", "for")
        return _clause(
            who, "due", _value(when) if when is not None else None, True, cues, why=("due",)
        )
    if subj.lemma_.lower() == "version" and prep_obj is not None:
        target = _owner(subj) or UNWRITTEN
        num = next((c for c in subj.children if c.dep_ in ("nummod", "appos", "npadvmod")), None)
        value = num.text if num is not None else _phrase(subj)
        return _clause(target, f"version in {prep_obj.lemma_.lower()}", value, True, cues,
                       why=("version",))  # fmt: skip
    if (
        prep_obj is not None
        and prep_obj.lemma_.lower() == "version"
        or (
            comp is None
            and _pobj(root, "at") is not None
            and _pobj(root, "at").lemma_.lower() == "version"  # type: ignore[union-attr]
        )
    ):
        v = _pobj(root, "at")
        num = next((c for c in v.children if c.dep_ in ("nummod", "appos", "npadvmod")), None)  # type: ignore[union-attr]
        return _clause(
            who,
            "version",
            num.text if num is not None else _phrase(v),
            True,
            cues,
            why=("version",),
        )  # type: ignore[arg-type]
    if prep_obj is not None:
        return _copular_prep(root, subj, who, cues, prep_obj)
    if comp is None:
        return None
    until = _until(root, comp, who, cues)
    if until is not None:
        return until
    return _copular_np(subj, who, cues, comp, negated, root)


def _until(root: Token, comp: Token, who: str, cues: list[str]) -> Clause | None:
    """ "The box office is open until 11 pm" is when it closes; "Breakfast is served until 10
    am": how long a recurring state lasts each day, one time at a time. Past and future
    ("was open until", "will be") state no schedule."""
    if root.tag_ not in ("VBZ", "VBP") or any(c.tag_ == "MD" for c in root.children):
        return None
    end = _pobj(comp, "until", "till") or _pobj(root, "until", "till")
    if end is None or not _is_time(end):
        return None
    state = comp.lemma_.lower()
    attr = "when close" if state == "open" else f"when {state} until"
    return _clause(who, attr, _value(end), True, cues, why=("until",))


def _copular_prep(root: Token, subj: Token, who: str, cues: list[str], obj: Token) -> Clause | None:
    """ "The office is in Austin", "Standup is at 9:30", "The portal is in beta"."""
    prep = obj.head.lower_
    if obj.lemma_.lower() in _STATUS_WORDS:
        return _clause(who, "status", obj.lemma_.lower(), True, cues, why=("status",))
    if _is_time(obj) or obj.lemma_.lower() in _WEEKDAYS:
        return _clause(who, "when", _value(obj), True, cues, why=("when",))
    if prep in ("in", "at") and (obj.ent_type_ in ("GPE", "LOC", "FAC") or obj.pos_ == "PROPN"):
        return _clause(who, "location", _phrase(obj), True, cues, why=("location",))
    if prep == "on" and _versioned(obj):  # "Production is on release 8.4": runs it
        return Clause(who, "use", _phrase(obj), False, None)
    return None


def _versioned(tok: Token) -> bool:
    """A thing at a version: "release 8.4", "Ubuntu 22.04", "build 1.4.2", "v2"."""
    parts = [tok, *(c for c in tok.children if c.dep_ in ("nummod", "appos", "npadvmod"))]
    return any(re.fullmatch(r"v?\d+(?:\.\d+)+|v\d+", t.lower_) for t in parts) or (
        tok.lemma_.lower() in ("version", "release", "build") and len(parts) > 1
    )


_WEEKDAYS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mondays",
        "tuesdays",
        "wednesdays",
        "thursdays",
        "fridays",
    ]
)


def _copular_np(subj: Token, who: str, cues: list[str], comp: Token, negated: bool,
                root: Token) -> Clause | None:  # fmt: skip
    """ "X is Y" with a noun phrase on either side."""
    s_lemma = subj.lemma_.lower()
    succession = _successor(subj, comp, who, cues) or _successor(comp, subj, _phrase(subj), cues)
    if succession is not None:
        return succession
    if comp.lemma_.lower() in _STATUS_WORDS and comp.pos_ in ("ADJ", "NOUN"):
        return _clause(who, "status", comp.lemma_.lower(), True, cues, why=("status",))
    if (
        comp.pos_ == "ADJ"
        and comp.text.islower()
        and comp.lemma_.lower() not in _SINGULAR_MODS
        and not any(ch.isdigit() for ch in _phrase(comp))  # "release-4.2" names a thing
    ):
        return Clause(who, "state", _phrase(comp), False, None)
    # "The team lead of Mobile is Ravi"; "The chief pilot is Captain Reyes" (a name with a title)
    if _is_role(subj) and (not _is_role(comp) or comp.pos_ == "PROPN" and subj.pos_ == "NOUN"):
        return _clause(
            _owner(subj) or UNWRITTEN, _attribute(subj), _phrase(comp), True, cues, why=("role",)
        )
    noun_attr = _subject_noun_attribute(subj, s_lemma)
    if noun_attr is not None:  # "The deadline for Atlas is ...", "Elena's title is ..."
        owner = _owner(subj) or _compound_owner(subj) or UNWRITTEN
        value = _value(comp) if noun_attr == "due" else _phrase(comp)
        return _clause(owner, noun_attr, value, True, cues, why=(noun_attr,))
    if s_lemma in _COUNT_NOUNS:
        return _clause(
            _owner(subj) or UNWRITTEN, s_lemma, _phrase(comp), True, cues, why=(s_lemma,)
        )
    indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in comp.children)
    if _is_role(comp) and not indefinite:  # "Kenji is the tech lead for Payments"
        owner = _owner(comp) or UNWRITTEN
        if negated:
            new = _next_subject(root)
            return _clause(owner, _attribute(comp), new, True, cues, who, ("role",), explicit=True)
        return _clause(owner, _attribute(comp), who, True, cues, why=("role",))
    mods = {c.lemma_.lower() for c in subj.children if c.dep_ in ("amod", "compound")}
    single = bool(mods & _SINGULAR_MODS)
    if (single or _definite(subj)) and subj.tag_ in ("NN", "NNP"):
        if any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in comp.children):
            return Clause(who, "be_a", _phrase(comp), False, None)
        owner = _owner(subj) or UNWRITTEN
        why = tuple(sorted(mods & _SINGULAR_MODS)) or ("the",)
        return _clause(owner, _attribute(subj), _value(comp), True, cues, why=why)
    return Clause(who, "be", _phrase(comp), False, None)


_SUCCESSOR_NOUNS = frozenset(["successor", "replacement"])


def _successor(np: Token, holder: Token, holder_text: str, cues: list[str]) -> Clause | None:
    """ "Yuki Sato's successor as music director is Anton Berg" (and "Anton Berg is Yuki
    Sato's successor as music director"): the office of "as X" passes from the owner of
    "successor" to the other side."""
    if np.lemma_.lower() not in _SUCCESSOR_NOUNS:
        return None
    office = _pobj(np, "as")
    prev = next((c for c in np.children if c.dep_ == "poss"), None)
    if office is None or prev is None or not _is_role(office) or prev.lower_ in _PRONOUNS:
        return None
    owner = _owner(office) or UNWRITTEN
    new = holder_text if holder.dep_ in ("nsubj", "nsubjpass") else _phrase(holder)
    old = _phrase(prev).removesuffix("'s").strip()
    return _clause(owner, _attribute(office), new, True, [*cues, "successor"], old,
                   ("successor",), [owner])  # fmt: skip


def _owned_attribute(np: Token) -> tuple[str, str] | None:
    """(owner, attribute) of a common noun whose owner is written ("the cutoff for container
    drop-off", "the museum's closing time"), as a copular sentence reads it; else None."""
    if np.pos_ != "NOUN" or np.lemma_.lower() in _DUE_NOUNS:
        return None
    owner = _owner(np)
    if owner is None or owner.lower() in _PRONOUNS | {"its", "his", "their", "her"}:
        return None
    return owner, _attribute(np)


def _subject_noun_attribute(subj: Token, lemma: str) -> str | None:
    """The attribute a subject noun names by itself: due (deadline, due date), name, title."""
    compounds = {c.lemma_.lower() for c in subj.children if c.dep_ == "compound"}
    if lemma in _DUE_NOUNS or compounds & _DUE_NOUNS:
        return "due"
    if lemma in _NAME_NOUNS:
        return "name"
    if lemma in _TITLE_NOUNS:
        return "title"
    return None


def _compound_owner(np: Token) -> str | None:
    """ "The Atlas launch deadline" -> "Atlas launch"."""
    comps = [
        c
        for c in np.children
        if c.dep_ == "compound" and c.lemma_.lower() not in _DUE_NOUNS | _NAME_NOUNS
    ]
    if not comps:
        return None
    toks = sorted(t for c in comps for t in c.subtree)
    return " ".join(t.text for t in toks if t.dep_ != "det")


def _next_subject(root: Token) -> str | None:
    """ "Tessa is no longer the manager; Bruno is." -> "Bruno"."""
    for t in root.doc[root.i + 1 :]:
        if t.dep_ == "nsubj" and t.head.i != root.i and t.head.lemma_ == "be":
            return _phrase(t)
    return None


def _have_count(root: Token, subj: Token, who: str, cues: list[str]) -> Clause | None:
    """ "The support team has 12 engineers": (support team, count of engineer) = 12."""
    if _lemma(root) not in ("have", "run", "employ", "count", "serve", "field"):
        return None
    if unreal(root):
        return None  # "does not have 55 lockers", "could have 55 lockers": no count stated
    obj = next(iter(_children(root, "dobj")), None)
    if obj is None:
        return None
    num = next((c for c in obj.children if c.dep_ == "nummod" and c.like_num), None)
    if num is None or obj.pos_ == "PROPN" or "." in num.text:
        return None  # "runs Ubuntu 22.04": a version, not a count of Ubuntus
    return _clause(who, f"count of {counted_noun(obj)}", _number_text(num), True, cues,
                   why=("count",))  # fmt: skip


def counted_noun(noun: Token) -> str:
    """What a count counts: the noun's lemma, with its "of" complement when it has one ("30
    breeding pairs of avocets" counts pairs of avocets, not pairs: "140 pairs of terns" is
    another count)."""
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    lemma = noun.lemma_.lower()
    return f"{lemma} of {obj.lemma_.lower()}" if obj is not None else lemma


def _stay(root: Token, subj: Token, who: str, cues: list[str]) -> Clause | None:
    """ "Priya lives in Berlin"; "Priya relocated to Lisbon"; "Nora moved to Oslo"."""
    lemma = _lemma(root)
    if lemma in _STAY_VERBS:
        place = _pobj(root, "in", "at")
        if place is not None:
            return _clause(who, "location", _phrase(place), True, cues, why=(lemma,))
    if lemma in ("relocate", "move") and not _children(root, "dobj"):
        place = _pobj_near(root, "to")
        if (
            place is not None
            and (place.ent_type_ in ("GPE", "LOC") or place.pos_ == "PROPN")
            and not _is_time(place)
        ):
            old = _pobj_near(root, "from")
            return _clause(who, "location", _phrase(place), True, cues,
                           _phrase(old) if old is not None else None, (lemma,), explicit=True)  # fmt: skip
    if lemma == "report":
        boss = _pobj_near(root, "to")
        if boss is not None:
            return _clause(who, "manager", _phrase(boss), True, cues, why=("report to",))
    if lemma in ("happen", "meet", "occur", "run") and not _children(root, "dobj"):
        when = _pobj(root, "on", "at")
        if when is not None and (_is_time(when) or when.lower_ in _WEEKDAYS):
            return _clause(who, "when", _value(when), True, cues, why=(lemma,))
    return None


def _schedule(root: Token, subj: Token, who: str, cues: list[str]) -> Clause | None:
    """ "The bakery opens at 7 am", "The newsletter goes out on Mondays": a present-tense
    verb without an object, at a clock time or on a weekday, states when a recurring thing
    happens, one time at a time: (bakery, when open). One-off past events ("The server
    crashed at 3:15") and future ones ("will open at 6") are not schedules."""
    perfect = (
        root.tag_ == "VBN"
        and any(  # "has started at 9:30 since Easter": holds now
            c.dep_ == "aux" and c.lemma_ == "have" and c.tag_ in ("VBZ", "VBP")
            for c in root.children
        )
        and any(t.lower_ == "since" for t in root.subtree)
    )
    if root.tag_ not in ("VBZ", "VBP") and not perfect:
        return None
    if _children(root, "dobj") or subj.pos_ == "PRON" or _children(root, "neg"):
        return None  # "doesn't open at 8 am (anymore)": no schedule now
    if any(c.tag_ == "MD" for c in root.children):
        return None
    verb = " ".join([_lemma(root), *(c.lower_ for c in root.children if c.dep_ == "prt")])
    if subj.pos_ == "NOUN" and _children(subj, "prep"):  # "the bus to the depot"
        who = _phrase(subj, keep_preps=True)
    return _schedule_clause(_children(root, "prep", "npadvmod"), who, verb, cues)


def _schedule_clause(preps: list[Token], who: str, verb: str, cues: list[str]) -> Clause | None:
    """(who, when <verb>) = the clock time or weekday of one of `preps` (the verb's)."""
    times = [
        t
        for p in preps
        if p.lower_ in ("at", "on") and (t := next(iter(_children(p, "pobj")), None)) is not None
        if _is_time(t) or t.lower_ in _WEEKDAYS
    ] + [  # "The vineyard harvests in September": once a year, in one month at a time
        t
        for p in preps
        if p.lower_ == "in" and (t := next(iter(_children(p, "pobj")), None)) is not None
        if t.ent_type_ == "DATE" and re.fullmatch(_MONTHS, t.lower_)
    ]
    if not times:
        return None
    when = next((t for t in times if t.head.lower_ == "at"), times[0])
    # another time on the verb qualifies the schedule ("opens at 10 am on Sundays" is the
    # Sunday opening time, not a new opening time)
    quals = [t.lower_ for t in times if t.i != when.i] + [
        c.lower_ for c in preps if c.dep_ == "npadvmod" and c.lower_ in _WEEKDAYS
    ] + [  # "at 8 am on Sundays" with "on Sundays" hung on the time
        t.lower_
        for t in when.subtree
        if t.dep_ == "pobj" and t.head.lower_ in ("on", "during", "in") and t.i != when.i
        and (t.lower_ in _WEEKDAYS or t.ent_type_ == "DATE")
    ]  # fmt: skip
    attr = " ".join([f"when {verb}", *(f"on {q}" for q in quals)])
    return _clause(who, attr, _value(when), True, cues, why=("schedule",))


def _works(root: Token, subj: Token, who: str, cues: list[str]) -> Clause | None:
    """ "Priya works at Acme" (employer, single-valued); "Diego left Initech and joined Hooli"."""
    lemma = _lemma(root)
    if lemma == "work":
        org = _pobj(root, "at", "for")
        if org is not None:
            return _clause(who, "employer", _phrase(org), True, cues, why=("work at",))
        return None
    if lemma not in ("join", "leave"):
        return None
    obj = next(iter(_children(root, "dobj")), None)
    if obj is None or not _is_org(obj):
        return None
    if lemma == "leave":
        nxt = next((c for c in root.children if c.dep_ == "conj" and c.lemma_ == "join"), None)
        new = next(iter(_children(nxt, "dobj")), None) if nxt is not None else None
        return _clause(who, "employer", _phrase(new) if new is not None else None, True,
                       [*cues, "leave"], _phrase(obj), ("leave",))  # fmt: skip
    return _clause(who, "employer", _phrase(obj), True, cues, why=("join",))


def _is_org(tok: Token) -> bool:
    """A proper-noun organisation ("Acme", "Hooli"), not "the book club" or "the team"."""
    return tok.pos_ == "PROPN" and not any(c.dep_ == "det" for c in tok.children)


# verbs that set an amount, a length or a date to a new value ("expanded to 28 beds", "grew to
# 19 trucks", "was extended to November 15", "shortened the sprint to one week"): with "to" and
# a number or a time they state a change of one value, never an added one
AMOUNT_VERBS = frozenset(
    ["expand", "grow", "shrink", "increase", "decrease", "raise", "lower", "cut", "reduce",
     "extend", "shorten", "lengthen", "revise", "adjust", "bump", "rise", "fall", "climb",
     "drop", "double", "halve", "set", "update", "scale", "trim", "boost", "hike"]
)  # fmt: skip
# units of money: "to 2.5 million euros" is an amount of money, not a count of euros (the small
# NER model tags many amounts of money as CARDINAL only)
CURRENCIES = frozenset(
    ["dollar", "euro", "pound", "yen", "yuan", "franc", "rupee", "peso", "krona", "krone",
     "real", "rand", "won", "ruble", "rouble", "lira", "zloty", "dirham", "shekel", "buck",
     "cent", "usd", "eur", "gbp", "chf", "jpy", "percent", "per cent"]
)  # fmt: skip
_AMOUNT_ENTS = frozenset(["CARDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME"])


def _amount(tok: Token) -> Token | None:
    """The number that makes `tok` an amount ("28 beds" -> 28, "2.5 million euros"), or the
    token itself when it is a number, a date or a time; else None."""
    if tok.like_num or _is_time(tok):
        return tok
    num = next((c for c in tok.children if c.dep_ == "nummod" and c.like_num), None)
    if num is not None:
        return num
    return tok if tok.ent_type_ in _AMOUNT_ENTS else None


def _entity_text(tok: Token) -> str:
    """The whole named entity `tok` is in ("2.5 million euros"), else its phrase."""
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    return ent.text if ent is not None else _phrase(tok)


def _amount_change(root: Token, subj: Token, who: str, cues: list[str]) -> Clause | None:
    """ "Ward 4 was expanded to 28 beds" is (Ward 4, count of bed) = 28; "The grant deadline
    was extended to November 15" is (grant, due); "We shortened the sprint length to one week"
    is (we, sprint length). Only with "to" and an amount, a date or a time: "We expanded the
    team" or "We cut the legacy API" state no value."""
    lemma = _lemma(root)
    way = [c.lower_ for c in root.children if c.dep_ in ("prt", "advmod")]
    if lemma == "go" and {"up", "down"} & set(way):  # "The rent has gone up to 1,250 euros"
        lemma = f"go {'up' if 'up' in way else 'down'}"
    elif lemma not in AMOUNT_VERBS:
        return None
    new_tok = _pobj_near(root, "to")
    if new_tok is None or (num := _amount(new_tok)) is None:
        return None
    old_tok = _pobj_near(root, "from")
    old = _value(old_tok) if old_tok is not None else None
    obj = next(iter(_children(root, "dobj")), None)
    np = obj if obj is not None and subj.dep_ == "nsubj" else subj
    thing = _phrase(np) if np is not subj else who
    targets = [who] + ([thing] if np is not subj else [])
    why = (lemma, "to")
    counted_attr = count_attribute(np) if np is subj else None
    if counted_attr is not None and new_tok.like_num:
        # "The locker count rose from 40 to 55": the count of lockers, as "has 40 lockers"
        owner = (None if counted_by_of(np) else _owner(np)) or UNWRITTEN
        return _clause(owner, counted_attr, _number_text(new_tok), True, cues, old, why,
                       [owner, *targets], explicit=True)  # fmt: skip
    measure = new_tok.ent_type_ in ("MONEY", "PERCENT") or new_tok.lemma_.lower() in CURRENCIES
    counted = _owner(np) if np is subj and np.tag_ == "NNS" and num is new_tok else None
    if counted is not None and new_tok.like_num and counted.lower() not in _PRONOUNS:
        # "The centre's volunteers have dropped to forty-five": the count of its volunteers
        return _clause(counted, f"count of {np.lemma_.lower()}", _number_text(new_tok), True,
                       cues, old, why, [counted, *targets], explicit=True)  # fmt: skip
    owned = _owned_attribute(np) if np is subj and np.tag_ == "NN" else None
    rate = any(c.dep_ == "npadvmod" or c.lower_ == "per" for c in new_tok.children)
    if owned is not None and rate and num is not new_tok and not _is_time(new_tok):
        # "The mine's output has risen to 650 tonnes a day": a rate, not a count of tonnes
        value = "".join(t.text_with_ws for t in new_tok.subtree).strip()
        return _clause(owned[0], owned[1], value, True, cues, old, why, [owned[0], *targets],
                       explicit=True)  # fmt: skip
    if num is not new_tok and new_tok.pos_ == "NOUN" and not _is_time(new_tok) and not measure:
        # "to 28 beds": the count of beds, as "Ward 4 has 20 beds" states it
        return _clause(thing, f"count of {new_tok.lemma_.lower()}", _number_text(num), True, cues,
                       old, why, targets, explicit=True)  # fmt: skip
    noun_attr = _subject_noun_attribute(np, np.lemma_.lower())
    value = _entity_text(new_tok) if measure else _value(new_tok)
    if noun_attr is None and np is subj and _is_time(new_tok) and _owner(np) is None:
        # "The Vermeer exhibition has been extended to February 2": its time, as a change
        # verb moves it (which current time of it, `memory.supersede` decides)
        return _clause(who, "when", value, True, cues, old, why, targets, explicit=True)
    if noun_attr is not None:
        owner = _owner(np) or _compound_owner(np) or UNWRITTEN
        return _clause(owner, noun_attr, value, True, cues, old, why, [owner, *targets],
                       explicit=True)  # fmt: skip
    if np.pos_ in ("NOUN", "PROPN") and (_definite(np) or _owner(np) is not None):
        owner = _owner(np) or UNWRITTEN
        return _clause(owner, _attribute(np), value, True, cues, old, why, [owner, *targets],
                       explicit=True)  # fmt: skip
    return None


def _change_verb(root: Token, subj: Token, who: str, cues: list[str]) -> Clause | None:
    """ "We moved the main database from MySQL to PostgreSQL", "We switched to Buildkite",
    "The deadline moved to April 14", "We renamed the main branch from master to main"."""
    lemma = _lemma(root)
    moved = lemma in _MOVED_BY and any(c.startswith(lemma + " ") for c in cues)
    rolled = lemma == _ROLLED and any(c.startswith("roll ") for c in cues)
    if lemma not in CHANGE_VERBS and not moved and not rolled:
        return None
    obj = next(iter(_children(root, "dobj")), None)
    old_tok = _pobj_near(root, "from", "off") or _instead_of(root)
    new_tok = _pobj_near(root, "to", "in", "into", "onto")
    old = _value(old_tok) if old_tok is not None else None
    new = _value(new_tok) if new_tok is not None else None
    thing = _phrase(obj) if obj is not None else who
    targets = [who] + ([thing] if obj is not None else [])
    if moved and not (new_tok is not None and _is_time(new_tok)) or rolled and new_tok is None:
        return None
    if lemma == "rename":
        return _clause(thing, "name", new, True, cues, old, ("rename",), targets)
    if lemma == "promote":
        return _clause(thing, "title", new, True, cues, old, ("promote",), targets)
    if (
        new_tok is not None
        and _is_time(new_tok)
        or new_tok is not None
        and new_tok.lower_ in _WEEKDAYS
    ):
        owner = thing
        if (
            subj.lemma_.lower() in _DUE_NOUNS
            or obj is not None
            and obj.lemma_.lower() in _DUE_NOUNS
        ):
            np = subj if subj.lemma_.lower() in _DUE_NOUNS else obj
            owner = _owner(np) or _compound_owner(np) or owner
            return _clause(owner, "due", new, True, cues, old, (lemma,), targets)
        if obj is None and (owned := _owned_attribute(subj)) is not None:
            # "The cutoff for container drop-off moved to 2 pm": the cutoff of the drop-off,
            # as "The cutoff for container drop-off is 4 pm" states it
            return _clause(owned[0], owned[1], new, True, cues, old, (lemma,),
                           [owned[0], *targets], explicit=True)  # fmt: skip
        attr = "due" if lemma in ("push", "postpone", "delay") else "when"
        return _clause(owner, attr, new, True, cues, old, (lemma,), targets)
    if obj is not None and _is_role(obj):
        return _clause(
            _owner(obj) or UNWRITTEN, _attribute(obj), new, True, cues, old, (lemma,), targets
        )
    if old is None and new is None:
        return None
    np = obj if obj is not None else subj
    targets = list(dict.fromkeys([*targets, *_attribute_targets(np, thing)]))
    if obj is None and lemma in ("change", "shift") and new is not None and len(targets) > 1:
        # "The conference venue changed to the Marriott": the subject names an attribute
        # (ours unless written) and the verb gives it a new value
        owner = targets[-1]
        return _clause(owner, _attribute(np), new, True, cues, old, (lemma,), targets,
                       explicit=True)  # fmt: skip
    return _clause(thing, "use", new, False, cues, old, (lemma,), targets, explicit=old is not None)


def _from_to(root: Token, subj: Token, who: str, cues: list[str]) -> Clause | None:
    """ "We rolled the routers forward from firmware 1.8 to firmware 2.0": any verb taking
    its object from one value to another of the same kind (the same words at another
    number: versions, amounts) states a change of that object's value. Places ("drove from
    Berlin to Paris") and other unlike pairs state none."""
    obj = next(iter(_children(root, "dobj")), None)
    old_tok = _pobj_near(root, "from")
    if obj is None or old_tok is None:
        return None
    new_tok = _pobj_near(root, "to")
    old = _value(old_tok)
    new = _value(new_tok) if new_tok is not None else _loose_to(old_tok)
    if not new or not _same_kind(old, new):
        return None
    thing = _phrase(obj)
    return _clause(thing, "value", new, False, [*cues, "from ... to"], old, ("from ... to",),
                   [who, thing], explicit=True)  # fmt: skip


def _loose_to(old_tok: Token) -> str | None:
    """The words after the "to" that follows a "from X" when the parser did not read it as a
    preposition ("to firmware 2.0" parsed as an infinitive)."""
    doc = old_tok.doc
    end = max(t.i for t in old_tok.subtree) + 1
    if end + 1 >= len(doc) or doc[end].lower_ != "to":
        return None
    words = []
    for t in doc[end + 1 :]:
        if t.is_punct or t.dep_ in ("cc", "mark") or t.pos_ == "ADP":
            break
        words.append(t.text)
    return " ".join(words) or None


def _same_kind(a: str, b: str) -> bool:
    """Two values of one kind: both carry a number and their other words are the same."""
    wa, wb = a.lower().split(), b.lower().split()
    if not any(any(ch.isdigit() for ch in w) for w in wa) or not any(
        any(ch.isdigit() for ch in w) for w in wb
    ):
        return False
    letters = [[w for w in ws if not any(ch.isdigit() for ch in w)] for ws in (wa, wb)]
    return letters[0] == letters[1] and a.lower() != b.lower()


def _favoured(root: Token) -> Token | None:
    """Y of "in favour of Y" / "in favor of Y" on the verb."""
    for p in _children(root, "prep"):
        fav = next(iter(_children(p, "pobj")), None)
        if p.lower_ == "in" and fav is not None and fav.lower_ in ("favour", "favor"):
            return _pobj(fav, "of")
    return None


def _in_favour(root: Token, subj: Token, who: str, cues: list[str]) -> Clause | None:
    """ "We dropped Mixpanel in favour of Amplitude for analytics": the object is the old
    value, the favoured one the new; the purpose ("for analytics") names what holds it."""
    new = _favoured(root)
    if new is None:
        return None
    passive = subj.dep_ == "nsubjpass"
    old = subj if passive else _dobj(root)
    if old is None:
        return None
    owner = "we" if passive else who
    purpose = _pobj(root, "for")
    where = [_phrase(purpose)] if purpose is not None else []
    cues = list(dict.fromkeys([*cues, "in favour of"]))
    return _clause(owner, "use", _phrase(new), False, cues, _phrase(old),
                   ("in favour of",), [owner, *where])  # fmt: skip


_USE_VERBS = {"use": "use", "host": "use", "deploy": "use", "store": "use", "choose": "use",
              "pick": "use", "adopt": "use", "run": "use", "build": "use", "rely": "use"}  # fmt: skip


def _generic(root: Token, subj: Token, who: str, cues: list[str]) -> Clause | None:
    """Every other relation: multi-valued. "We use Redis for caching" is (we, use) = Redis; an
    explicit "instead of"/"no longer" names the value it retires."""
    lemma = _lemma(root)
    obj = next(iter(_children(root, "dobj")), None)
    if obj is None:  # "runs Elasticsearch 7" misparsed: a proper noun hung on the verb
        obj = next(
            (
                c
                for c in root.children
                if c.dep_ == "npadvmod" and c.pos_ == "PROPN" and c.i > root.i
            ),
            None,
        )
    tech = (
        obj
        if lemma in ("use", "choose", "pick", "adopt")
        else (_pobj_near(root, "on", "in", "with") or obj)
    )
    if tech is None:
        return None
    attr = _USE_VERBS.get(lemma, lemma)
    value = _phrase(tech)
    old_tok = _instead_of(root)
    negated = "no longer" in cues or any(c.dep_ == "neg" for c in root.children)
    stopped = bool({"no longer", "anymore", "any more"} & set(cues))
    if negated and (attr == "use" or stopped):  # "Lena no longer drives a Volvo"
        return _clause(who, attr, None, False, cues, value, ("no longer",))
    if old_tok is not None:
        return _clause(who, attr, value, False, cues, _phrase(old_tok), ("instead of",))
    return Clause(who, attr, value, False, None)


# Cheap gate before parsing: only sentences holding a word of change, of a single-valued
# attribute, of stance or of a copular statement about a definite subject are parsed; the
# rest keep the regex reading (which never supersedes anything).
_NEEDS_PARSE = re.compile(
    # change
    r"\b(?:mov(?:e|es|ed|ing)|switch|migrat|replac|relocat|renam|upgrad|downgrad|promot|push"
    r"|postpon|delay|transfer|hand(?:s|ed)? (?:\w+ )*?over|pass(?:es|ed)?|chang|convert|port(?:ed|s)?\b"
    r"|rebuil|rewr|reschedul|shift|expand|grow|grew|shrank|shrunk|increas|decreas|rais|lower"
    r"|reduc|extend|shorten|lengthen|revis|adjust|bump|rose\b|risen|climb|doubl|halv|\bset to"
    r"|updated? to|scaled?|trimm?ed|boost|hike|cut (?:\w+ )*?to|dropped to|fell to|took over|take over|takes over|taking over|now\b|no longer"
    r"|instead of|anymore|from\b|since\b|left\b|leav|join|elect|appoint|named|nominat|succeed"
    r"|install|hired|chosen|voted|brought (?:\w+ )?(?:forward|back)|slipp|advanced? to|successor"
    r"|(?:go|goes|went|gone) (?:up|down)|adjourn|defer|pull(?:s|ed)? (?:\w+ )?(?:forward|back)|roll(?:s|ed)? (?:\w+ )?(?:back|forward)"
    # single-valued attributes
    r"|lead|led\b|head|manag|owns?\b|owned|owner|chair|direct|oversee|due\b|deadline|eta\b"
    r"|planned for|scheduled|works? (?:at|for)|worked (?:at|for)|based in|lives? in|lived in"
    r"|located|resid|reports? to|reported to|main\b|primary|default|preferred|current|version"
    r"|v\d|headcount|number of|(?:has|have|had|runs?|ran) \d|employ|title|role\b|position"
    r"|status|beta\b|alpha\b|production|available|called|named|codename|happens|takes place"
    r"|runs? on|ran on|runs the|run the"
    r"|(?:is|are|was|were|'s|’s) (?:at|on|in|due|now|no longer|the|our|my|their|his|her|still)\b"
    r"|^(?:the|our|my|their|his|her|its)\b[^.?!]*\b(?:is|are|was|were)\b"
    # stance
    r"|think|thought|believ|sure\b|confident|certain|convinced|suspect|guess|suppos|feel like"
    r"|maybe|perhaps|probabl|(?:un)?likely|doubt|support|confirm|back(?:s|ed)?\b|backs up|strength"
    r"|evidence|prov(?:e|es|ed|en)\b|agree|contradict|against|fail|wrong|ruled? out|rules out"
    r"|argu|undermin|weaken|validat|indeed|in my view|opinion|worth|proof|signs?\b|indicat)",
    re.IGNORECASE,
)


_MONTHS = r"january|february|march|april|may|june|july|august|september|october|november|december"
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|a hundred|a dozen"
)

# more words of change and of single-valued attributes: the office nouns, a clock time or a
# weekday (schedules), a passive count by agent ("is staffed by 9 agents"), a number with a decimal
# point (versions, amounts), "in favour of", "became", "these days"
_NEEDS_PARSE_MORE = re.compile(
    r"\b(?:" + "|".join(sorted(ROLE_NOUNS)) + r")s?\b"
    r"|\bbec[oa]m(?:e|es|ing)\b|\bwork(?:s|ed|ing)? (?:at|for)\b|\bhand(?:s|ed|ing)?\b"
    r"|\bin favou?r of\b|\bthese days\b|\bnowadays\b|\bstarting\b|\bas of\b"
    r"|\b\d{1,2}(?::\d\d)?\s*[ap]\.?m\b|\b\d{1,2}:\d\d\b|\b(?:is|are|was|were|be|been)(?: now)? \w+ed by \d|\b\d+\.\d+\b"
    r"|\b(?:on|every) (?:mon|tues|wednes|thurs|fri|satur|sun)days?\b"
    # a present-tense verb on or in a month: "ends on January 12", "harvests in September"
    r"|\b\w+s (?:on|in) (?:the )?(?:\d{1,2}(?:st|nd|rd|th)? )?(?:of )?(?:" + _MONTHS + r")\b"
    r"|\b(?:runs?|ran|running) (?:\w+ ){0,2}v?\d"
    # a count written out: "has four engines", "runs eighteen routes"
    r"|\b(?:has|have|had|runs?|ran|employs?) (?:" + _NUMBER_WORDS + r")\b",
    re.IGNORECASE,
)


# "'s" before a word no possessed noun phrase starts with is "is" or "has": "the head keeper's
# now Marcus", "Morag's the harbourmaster", "Rin's been benched" (the small parser reads every
# "'s" as a possessive)
_VERB_S = re.compile(
    r"(?<=\w)['’]s (?=(?:been|now|the|a|an|no|not|still|also|just|already|gone|got)\b)",
    re.IGNORECASE,
)


def expand_contractions(sentence: str) -> str:
    """The sentence with a verbal "'s" written out, for the parser (`_VERB_S`)."""
    return _VERB_S.sub(lambda m: " has " if _HAS_NEXT.match(sentence, m.end()) else " is ",
                       sentence)  # fmt: skip


_HAS_NEXT = re.compile(r"(?:been|gone|got)\b", re.IGNORECASE)


# a copula before a name or a number: a value stated in any wording ("This year the
# quartermaster is Kemal"); case matters (capitalised name, digit)
_NAMED_VALUE = re.compile(r"\b(?:is|are|was|were)\s+(?:now\s+|still\s+)?[A-Z0-9]")


def needs_parse(sentence: str) -> bool:
    """True when the sentence may state a slot value, a change or a stance."""
    return (
        _NEEDS_PARSE.search(sentence) is not None
        or _NEEDS_PARSE_MORE.search(sentence) is not None
        or _NAMED_VALUE.search(sentence) is not None
        or NAMED_CHANGE_WORDS.search(sentence) is not None
        or AMOUNT_WORDS.search(sentence) is not None
    )
