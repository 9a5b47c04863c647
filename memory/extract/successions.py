"""Successions in an office read from the parse (issue 11): the new holder of an office and the
holder they follow, in wordings the main readers (`memory.extract.clauses`) do not read.

- a successor noun: "Paula Reyes's successor as conductor is Jonas Weber", "Ruth Dale is Ian
  Moss's successor as commodore", "The successor to Ian Moss as commodore is Ruth Dale";
- "succeed" / "replace" between two people with the office in "as R" (or "on R" of a band's
  instrument), active or passive: "Mrs. Kaur succeeded Mr. Amos as headteacher", "Sister Jean
  was replaced by Sister Alma as matron", "Kit Vance was replaced on drums by Joe Pike";
- a departure and a successor in two clauses of one sentence, the office named in either:
  "Dan Frost stood down as coach; Eli Stone coaches the youth team now", "The coach is no
  longer Dan Frost; Eli Stone took over in June", "Beth Kerr retired, and Sean Reid is the
  director now";
- an office handed on by name: "Uma Rao handed over the secretaryship to Ben Cole", "Ola Berg
  handed stage management over to Finn Hale", "passed the secretary post on to";
- copular holders: "The harbour master is Captain Erik Lund" (a title before a name is part of
  the name, not the office), "Farah is our hygienist now" (a person, then an office of ours
  with a change word).

In these frames the office is a role by its position ("as R", "successor as R", "stood down as
R"), whatever the noun; the holders must read as people (a name, a title), so "Kafka replaced
RabbitMQ as the broker" is left to the main readers. Conservative: a modal ("would", "might",
"should"...), a negation or a condition ("if", "when ... will") on a matched shape gives no
slot at all (`NO_SLOT`), and an office named on both sides must be the same office.
"""

from __future__ import annotations

from typing import Any

from memory.extract.phrases import ROLE_NOUNS
from memory.extract.phrases import attribute_of as _attribute
from memory.extract.phrases import children as _children
from memory.extract.phrases import is_role as _is_role
from memory.extract.phrases import is_time as _is_time
from memory.extract.phrases import lemma_of as _lemma
from memory.extract.phrases import owner_of as _owner
from memory.extract.phrases import phrase as _phrase
from memory.extract.phrases import pobj as _pobj
from memory.extract.phrases import pobj_near as _pobj_near
from memory.models import ChangeEvent
from memory.text import PERSON_TITLES

__all__ = ["read_succession", "NO_SLOT", "unreal_office"]

Token = Any  # spacy.tokens.Token
Span = Any  # spacy.tokens.Span
Clause = Any  # memory.extract.clauses.Clause (imported late: clauses imports this module)


class _NoSlot:
    """A succession shape stated as a possibility, a plan, a wish or a negation: the sentence
    gives no slot (`read_clause` returns None), whatever another reader would take from it."""


NO_SLOT = _NoSlot()

# modal auxiliaries of a possibility, a wish or an obligation ("will" states a plan the note
# tells as news: "Y becomes coach next month", "Y will take over in May")
_UNREAL_MODALS = frozenset(["may", "might", "could", "would", "should", "must", "ought", "can"])
_CONDITIONS = frozenset(["if", "unless", "whether"])
# subordinators of a time that is to come when the clause is future or modal ("When X
# retires, Y will take over"; "Once X leaves, Y would be the coach")
_WHEN = frozenset(["when", "once", "after", "before", "until"])
_PRONOUNS = frozenset(["it", "they", "he", "she", "we", "i", "you", "this", "that", "who",
                       "which", "someone", "somebody", "anyone", "nobody", "one"])  # fmt: skip
# (not GPE or ORG: the small model tags many names so, "Megan Hill", "Eli Stone"; `_people`
# wants one side a PERSON or a titled name)
_NOT_PEOPLE = frozenset(["DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT"])
_SUCCESSOR_NOUNS = frozenset(["successor", "replacement"])
_SUCCEED_VERBS = frozenset(["succeed", "replace"])
# verbs of leaving an office: "stood down", "stepped aside", "resigned", "is leaving", "moved up"
_LEAVE_VERBS = frozenset(["resign", "retire", "quit", "leave", "depart"])
_LEAVE_WITH = {"step": ("down", "aside"), "stand": ("down", "aside"), "move": ("up", "on")}
_HAND_VERBS = frozenset(["hand", "pass", "give", "transfer"])
# nouns of an office itself: "the secretary post", "the stage manager job"
_OFFICE_NOUNS = frozenset(["role", "post", "position", "job", "title", "duty", "duties", "seat"])
# what an office's holder does, as a noun, and the office: "stage management" -> stage manager
_ACTIVITIES = {
    "management": "manager", "leadership": "lead", "coordination": "coordinator",
    "supervision": "supervisor", "direction": "director", "administration": "admin",
    "captaincy": "captain", "editorship": "editor", "stewardship": "steward",
}  # fmt: skip
# the player of an instrument a band has one of: "replaced on drums by" is the drummer
_PLAYERS = {
    "drum": "drummer", "drums": "drummer", "bass": "bassist", "guitar": "guitarist",
    "keyboard": "keyboardist", "keyboards": "keyboardist", "keys": "keyboardist",
    "piano": "pianist", "vocals": "singer", "violin": "violinist", "cello": "cellist",
    "trumpet": "trumpeter", "saxophone": "saxophonist", "sax": "saxophonist",
}  # fmt: skip
# nouns of a relation many stand in at once ("our neighbour", "our client"): "Farah is our
# neighbour now" gives no office
_MANY_HOLD = frozenset(["friend", "neighbour", "neighbor", "member", "guest", "client",
                        "customer", "user", "fan", "volunteer", "patient", "student", "colleague",
                        "partner", "tenant", "resident", "supplier", "neighbourhood", "family",
                        "favourite", "favorite", "problem", "priority", "hero", "star", "winner",
                        "responsibility", "contact", "employee", "worker", "staff", "teammate",
                        "player", "regular", "visitor", "pupil", "child", "kid", "son",
                        "daughter", "brother", "sister", "cousin", "mentor"])  # fmt: skip
# offices that lead what their holder leads, runs or heads: "stepped down as director, and Sean
# Reid leads the choir now"
_LEADING = frozenset(["lead", "leader", "head", "director", "manager", "chair", "chairman",
                      "chairwoman", "chairperson", "captain", "president", "chief", "principal",
                      "headteacher", "headmaster", "skipper", "commander", "ceo", "boss",
                      "coach"])  # fmt: skip
# change words of a copular holder: "Farah is our hygienist now"
_NOW = ("now", "these days", "nowadays", "from now on", "going forward")


# ------------------------------------------------------------------ entry points


def read_succession(sent: Span, speaker: str | None = None) -> Clause | _NoSlot | None:
    """The office, its new holder and the old one when `sent` is one of this module's shapes;
    `NO_SLOT` when it is one under a modal, a negation or a condition; else None."""
    from memory.extract.handovers import HANDOVER_READERS

    for reader in (_successor_noun, _succeeded, _handed, *HANDOVER_READERS, _two_clauses,
                   _titled_holder, _holder_now):  # fmt: skip
        found = reader(sent, speaker)
        if found is not None:
            return found
    return None


def unreal_office(root: Token) -> bool:
    """A holder of an office under a modal of possibility or wish: "Omar Said would be the
    choir's director", "Ivan may take over as director" name no holder. (A state under a
    modal, "the audit log should be immutable", is an opinion's claim: not this.)"""
    lemma = _lemma(root)
    if lemma not in ("be", "become", "remain", "take", "succeed", "step"):
        return False
    if not any(c.tag_ == "MD" and c.lower_ in _UNREAL_MODALS for c in root.children):
        return False
    if lemma not in ("be", "become", "remain"):
        return True
    subj = next(iter(_children(root, "nsubj")), None)
    attr = next(iter(_children(root, "attr")), None)
    return any((_person(p) or p is not None and p.ent_type_ == "PERSON")  # "Omar Said"
               and o is not None and o.pos_ == "NOUN" and not _is_time(o)
               for p, o in ((subj, attr), (attr, subj)))  # fmt: skip


# ------------------------------------------------------------------ pieces


def _person(tok: Token | None) -> bool:
    """A holder: a capitalised proper name (the small NER model tags many names ORG)."""
    return (
        tok is not None
        and tok.pos_ == "PROPN"
        and tok.text[:1].isupper()
        and tok.lower_ not in _PRONOUNS
        and tok.ent_type_ not in _NOT_PEOPLE
        and not _is_time(tok)
    )


def _titled(tok: Token) -> bool:
    """A name with a title before it ("Captain Erik Lund", "Dr Maya Roy")."""
    return any(
        c.dep_ == "compound" and c.i < tok.i and c.lower_.rstrip(".") in PERSON_TITLES
        for c in tok.children
    )


def _people(*toks: Token | None) -> bool:
    """All are names and one at least is a person's (a PERSON entity or a titled name)."""
    return all(_person(t) for t in toks) and any(
        t.ent_type_ == "PERSON" or _titled(t) for t in toks if t is not None
    )


def _office(tok: Token | None) -> bool:
    """The R of "as R": a common noun (or one the tagger took for a name: "as headteacher"),
    not a time, a person or a pronoun."""
    if tok is None or _is_time(tok) or tok.lower_ in _PRONOUNS or tok.ent_type_ == "PERSON":
        return False
    if tok.pos_ in ("ADV", "ADJ") and tok.head.lower_ == "as" and tok.dep_ != "pobj":
        return tok.text.isalpha() and tok.text.islower()  # `_as_office`'s orphan
    return (
        tok.pos_ == "NOUN"
        or tok.pos_ == "PROPN"
        and (
            tok.text.islower() or tok.lower_ in ROLE_NOUNS  # "as CTO"
        )
    )


def _as_office(tok: Token | None) -> Token | None:
    """The R of "as R" on `tok`, or the word right after an "as" the small parser left without
    an object ("succeeded Mr. Amos as headteacher." tags "headteacher" an adverb)."""
    if tok is None:
        return None
    found = _pobj(tok, "as")
    if found is not None:
        return found
    for prep in _children(tok, "prep"):
        nxt = prep.doc[prep.i + 1] if prep.lower_ == "as" and prep.i + 1 < len(prep.doc) else None
        if nxt is not None and nxt.head.i == prep.i and nxt.text.isalpha() and nxt.text.islower():
            return nxt
    return None


def _name(tok: Token) -> str:
    return _phrase(tok).removesuffix("'s").strip()


def _unreal(head: Token) -> bool:
    """A modal, a negation or a condition on the clause, or a time to come under "when"."""
    if any(c.dep_ == "neg" or c.tag_ == "MD" and c.lower_ in _UNREAL_MODALS for c in head.children):
        return True
    clauses = [head, *(c for c in head.children if c.dep_ == "advcl")]
    if head.dep_ == "advcl":
        clauses.append(head.head)
    marks = {m.lower_ for c in clauses for m in c.children if m.dep_ in ("mark", "advmod")}
    if marks & _CONDITIONS:
        return True
    future = any(t.tag_ == "MD" for c in clauses for t in c.children)
    return bool(marks & _WHEN) and future


def _sentence_unreal(sent: Span) -> bool:
    return any(_unreal(t) for t in sent if t.pos_ in ("VERB", "AUX") and t.dep_ != "aux")


def _cues(root: Token, sent: Span, *extra: str) -> list[str]:
    from memory.extract.clauses import _change_cues

    return list(dict.fromkeys([*_change_cues(root, sent), *extra]))


def _holder(office: Token, new: str, old: str | None, cues: list[str], why: str,
            attr: str | None = None, owner_tok: Token | None = None) -> Clause:  # fmt: skip
    """The clause: (owner of the office, office) = new, replacing old when named."""
    from memory.extract.clauses import UNWRITTEN, Clause

    owner = _owner(owner_tok if owner_tok is not None else office)
    attr = (attr or _attribute(office)).removeprefix("new ")  # "the new harbour master"
    if attr.startswith("our ") and owner is None:  # "our head baker": the parser hangs
        owner, attr = "we", attr.removeprefix("our ").removeprefix("new ")  # "our" on "head"
    who = owner or UNWRITTEN
    change = ChangeEvent(old, new, tuple(cues) or (why,)) if old or cues else None
    return Clause(str(who), attr, new, True, change, (why,), [str(who)], owner is None)


def _no_slot_if(unreal: bool, clause: Clause) -> Clause | _NoSlot:
    return NO_SLOT if unreal else clause


# ------------------------------------------------------------------ successor nouns


def _successor_noun(sent: Span, speaker: str | None) -> Clause | _NoSlot | None:
    """ "X's successor as R is Y", "Y is X's successor as R", "The successor to X as R is Y"."""
    for np in sent:
        if np.lemma_.lower() not in _SUCCESSOR_NOUNS or np.head.lemma_ != "be":
            continue
        be = np.head
        prev = next((c for c in np.children if c.dep_ == "poss"), None) or _pobj(
            np, "to", "of", "for"
        )
        office = _pobj(np, "as") or (_pobj(prev, "as") if prev is not None else None)
        if np.dep_ in ("nsubj", "nsubjpass"):
            new = next(iter(_children(be, "attr")), None)
        elif np.dep_ == "attr":
            new = next(iter(_children(be, "nsubj")), None)
        else:
            continue
        if not _office(office) or not _people(prev, new):
            continue
        assert office is not None and prev is not None and new is not None
        clause = _holder(office, _name(new), _name(prev), _cues(be, sent, "successor"), "successor")
        return _no_slot_if(_unreal(be), clause)
    return None


# ------------------------------------------------------------------ succeed / replace


def _subject_of(verb: Token, *deps: str) -> Token | None:
    """The verb's subject, or that of the verb it is conjoined to ("was sacked and replaced")."""
    subj = next(iter(_children(verb, *deps)), None)
    if subj is None and verb.dep_ == "conj":
        subj = next(iter(_children(verb.head, *deps)), None)
    return subj


def _succeeded(sent: Span, speaker: str | None) -> Clause | _NoSlot | None:
    """ "Y succeeded/replaced X as R", "X was succeeded/replaced as R by Y", "X was replaced
    by Y as R", "X was replaced on drums by Y" (two people, the office by the frame)."""
    for verb in sent:
        if verb.pos_ != "VERB" or _lemma(verb) not in _SUCCEED_VERBS:
            continue
        passive = any(c.dep_ == "auxpass" for c in verb.children) or (
            _subject_of(verb, "nsubjpass") is not None and _subject_of(verb, "nsubj") is None
        )
        if passive:
            old = _subject_of(verb, "nsubjpass", "nsubj")
            office = _as_office(verb)
            new = _pobj(verb, "by") or (_pobj(office, "by") if office is not None else None)
            if office is None and new is not None:
                office = _as_office(new)
        else:
            new, old = _subject_of(verb, "nsubj"), next(iter(_children(verb, "dobj")), None)
            office = _as_office(verb) or _as_office(old)
        attr = None
        if office is None:  # "replaced on drums": the band's player of drums
            played = _pobj(verb, "on") or (_pobj(old, "on") if old is not None else None)
            if played is not None and played.lower_ in _PLAYERS:
                office, attr = played, _PLAYERS[played.lower_]
                new = new or (_pobj(played, "by") if passive else None)
        if not _office(office) or old is None or new is None or old.i == new.i:
            continue
        qualifiers = [p for p in _children(office, "prep") if p.lower_ not in ("of", "for", "by")]
        if any(not _named_place(p) for p in qualifiers):
            return NO_SLOT  # "as coach in the second half": a stand-in, for a while
        if qualifiers:
            continue  # "as charge nurse on ward 9": the main readers keep the place
        if _for_a_while(verb, played=attr is not None):
            return NO_SLOT  # a stand-in: neither reading may retire
        if not _people(old, new) and not _things_replaced(verb, old, new, office):
            continue
        assert office is not None and old is not None and new is not None
        lemma = _lemma(verb)
        owner = office if attr is None else None
        clause = _holder(office, _name(new), _name(old), _cues(verb, sent, lemma), lemma, attr,
                         owner)  # fmt: skip
        return _no_slot_if(_unreal(verb) or _sentence_unreal(sent), clause)
    return None


def _named_place(prep: Token) -> bool:
    """ "on ward 9", "at Bramble House": a prepositional object that names a place or a unit
    (a name, a number), not an occasion ("in the second half", "at the gala")."""
    obj = next(iter(_children(prep, "pobj")), None)
    if obj is None:
        return False
    return obj.pos_ == "PROPN" or obj.like_num or any(c.dep_ == "nummod" for c in obj.children)


def _for_a_while(verb: Token, played: bool) -> bool:
    """The change qualified by a period or an occasion: "as coach in the second half", "for
    the weekend", "during the tour" (a stand-in, for a while). A date says when ("in
    September"), not for how long."""
    for p in _children(verb, "prep"):
        obj = next(iter(_children(p, "pobj")), None)
        if p.lower_ in ("for", "during", "until", "till", "through"):
            return True
        placed = p.lower_ in ("in", "at", "on") and not (played and p.lower_ == "on")
        if placed and (obj is None or not _is_time(obj)):
            return True
    return False


def _things_replaced(verb: Token, old: Token, new: Token, office: Token | None) -> bool:
    """ "Build 4.3 replaced build 4.2 as the release candidate": things, not people, in an
    attribute written definite ("the release candidate", "our message broker")."""
    if _lemma(verb) != "replace" or office is None or not _definite_office(office):
        return False
    return all(t.pos_ in ("NOUN", "PROPN") and t.lower_ not in _PRONOUNS for t in (old, new))


# ------------------------------------------------------------------ handed on


def _handed_office(obj: Token) -> str | None:
    """The office a handed object names: "the secretary post" -> secretary, "the
    secretaryship" -> secretary, "stage management" -> stage manager; else None."""
    lemma = obj.lemma_.lower()
    words = _attribute(obj).split()[:-1]
    if (
        lemma in _OFFICE_NOUNS and words and not any(c.dep_ == "poss" for c in obj.children)
    ):  # "the secretary post" (a possessive "the bosun's job" is `changes_named`'s)
        return " ".join(words)
    if lemma in _ACTIVITIES and words:
        return " ".join([*words, _ACTIVITIES[lemma]])
    stem = lemma.removesuffix("ship")
    if (
        stem != lemma
        and len(stem) > 3
        and (stem in ROLE_NOUNS or stem.endswith(("ary", "tor", "sor", "ist")))
    ):  # "secretaryship", "curatorship", "directorship"
        return " ".join([*words, stem])
    return None


def _handed(sent: Span, speaker: str | None) -> Clause | _NoSlot | None:
    """ "X handed (over) the R post / the R-ship / R management (over) to Y"."""
    for verb in sent:
        if verb.pos_ != "VERB" or _lemma(verb) not in _HAND_VERBS:
            continue
        old = _subject_of(verb, "nsubj")
        obj = next(iter(_children(verb, "dobj")), None)
        new = _pobj_near(verb, "to")
        if obj is None or not _people(old, new):
            continue
        attr = _handed_office(obj)
        if attr is None:
            continue
        assert old is not None and new is not None
        cues = _cues(verb, sent, _lemma(verb))
        clause = _holder(obj, _name(new), _name(old), cues, _lemma(verb), attr)
        return _no_slot_if(_unreal(verb) or _sentence_unreal(sent), clause)
    return None


# ------------------------------------------------------------------ departure, then successor


def _heads(sent: Span) -> list[Token]:
    return [t for t in sent if t.pos_ in ("VERB", "AUX")
            and t.dep_ in ("ROOT", "conj", "ccomp", "parataxis", "advcl")]  # fmt: skip


def _no_longer(head: Token) -> bool:
    """A negated copula: "is no longer", "is not ... anymore"."""
    return any(c.dep_ == "neg" for c in head.children) or any(
        g.dep_ == "neg" for c in head.children if c.dep_ == "advmod" for g in c.children
    )


def _departure(head: Token) -> tuple[Token, Token | None] | None:
    """(the leaver, the office of "as R" or of a negated copula) of a departure clause: "X
    stood down (as R)", "X resigned", "X is leaving", "X moved up to the first team", "the R
    is no longer X", "X is no longer our R"."""
    lemma = _lemma(head)
    if lemma == "be":
        if not _no_longer(head):
            return None
        subj = next(iter(_children(head, "nsubj")), None)
        attr = next(iter(_children(head, "attr")), None)
        if _person(subj) and _office(attr):
            return subj, attr
        if _person(attr) and _office(subj) and _definite_office(subj):
            return attr, subj
        return None
    prts = {c.lower_ for c in head.children if c.dep_ in ("prt", "advmod")}
    if lemma not in _LEAVE_VERBS and not prts & set(_LEAVE_WITH.get(lemma, ())):
        return None
    if any(c.dep_ == "neg" for c in head.children):
        return None
    subj = next(iter(_children(head, "nsubj")), None)
    if not _person(subj):
        return None
    office = _pobj(head, "as")
    return subj, office if _office(office) else None


def _definite_office(np: Token) -> bool:
    return any(c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an") for c in np.children)


def _does_office(verb: Token, office: Token) -> bool:
    """ "Eli Stone coaches the youth team now" after "stood down as coach": the verb is what
    the office's holder does (coach, conduct -> conductor, edit -> editor), a verb of leading
    for an office that leads, or "plays" for a player's place."""
    from memory.extract.clauses import _LEAD_VERBS

    lemma, head = _lemma(verb), office.lemma_.lower()
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    if head in (lemma, stem + "or", stem + "er", lemma + "r"):
        return True
    if lemma in _LEAD_VERBS:
        return head in _LEADING
    # a player's place: "Ade Bello stood down as striker; Tim Ngu plays for us now" (not an
    # office: "stood down as captain; Y plays for us now"; not another place: "plays in goal")
    plain = not _children(verb, "dobj") and _pobj(verb, "in", "as", "on", "at") is None
    return lemma == "play" and plain and head not in ROLE_NOUNS


def _successor(head: Token, office: Token | None) -> tuple[Token, Token | None, str] | None:
    """(the new holder, the office named here, the cue) of a successor clause: "Y took over
    (as R)", "Y took the reins", "Y stepped in/up", "Y becomes R", "Y is the R now", "the R is
    now Y", or, for an office named in the departure, "Y coaches the team now"."""
    from memory.extract.clauses import _stray_subject

    lemma = _lemma(head)
    # "Lund retired and Astrid Holm is the new harbour master": the parser hangs the subject
    # on the verb before as a conjunct
    subj = next(iter(_children(head, "nsubj")), None) or _stray_subject(head)
    prts = {c.lower_ for c in head.children if c.dep_ == "prt" or c.dep_ == "advmod"
            and c.lower_ in ("in", "up")}  # fmt: skip
    if lemma == "take" and _person(subj):
        objs = [c for c in head.children if c.dep_ == "dobj"]
        reins = any(o.lemma_.lower() == "rein" for o in objs)
        if ("over" in prts and not objs) or reins:
            named = _pobj(head, "as")
            return subj, named if _office(named) else None, "take over"
        return None
    if lemma == "step" and prts & {"in", "up"} and _person(subj):
        named = _pobj(head, "as")
        return subj, named if _office(named) else None, f"step {sorted(prts & {'in', 'up'})[0]}"
    if lemma == "act" and _person(subj):  # "Y is acting CTO", "Y acts as coach"
        named = next(iter(_children(head, "dobj")), None) or _pobj(head, "as")
        return (subj, named, "acting") if _office(named) else None
    if lemma == "be" and head.tag_ not in ("VBZ", "VBP"):
        return None  # "Sean Reid was the director until May": a state that held then
    if lemma in ("be", "become"):
        attr = next(iter(_children(head, "attr", "oprd", "acomp")), None)
        if _person(subj) and _office(attr) and not _indefinite(attr):
            return subj, attr, lemma
        if lemma == "be" and _person(attr) and _office(subj) and _definite_office(subj):
            return attr, subj, "be"
        return None
    now = any(c.lower_ in ("now", "nowadays") for c in head.children if c.dep_ == "advmod")
    if office is not None and now and _person(subj) and _does_office(head, office):
        return subj, None, "now"
    return None


def _indefinite(np: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in np.children)


def _same_office(a: Token, b: Token) -> bool:
    wa, wb = _attribute(a).split(), _attribute(b).split()
    return wa[-1:] == wb[-1:] and (set(wa) <= set(wb) or set(wb) <= set(wa))


def _two_clauses(sent: Span, speaker: str | None) -> Clause | _NoSlot | None:
    """A departure and a successor, in two clauses of the sentence (either order), the office
    named in at least one: the office passes from the leaver to the successor."""
    heads = _heads(sent)
    for d in heads:
        left = _departure(d)
        if left is None:
            continue
        leaver, office = left
        for s in heads:
            if s.i == d.i:
                continue
            took = _successor(s, office)
            if took is None:
                continue
            new, named, cue = took
            if new.i == leaver.i or _name(new) == _name(leaver):
                continue
            if office is not None and named is not None and not _same_office(office, named):
                return None  # "stood down as treasurer; Y is the secretary now"
            where = office if office is not None else named
            if where is None:
                continue
            owner = named if named is not None and _owner(named) else where
            cues = _cues(s, sent, _lemma(d), cue)
            clause = _holder(where, _name(new), _name(leaver), cues, "succession",
                             _attribute(where), owner)  # fmt: skip
            unreal = _unreal(s) or (_unreal(d) and _lemma(d) != "be") or _sentence_when(sent)
            return _no_slot_if(unreal, clause)
    return None


def _sentence_when(sent: Span) -> bool:
    """ "When X retires, Y will take over": a time to come under a subordinator."""
    marked = any(t.lower_ in _CONDITIONS | _WHEN and t.dep_ in ("mark", "advmod")
                 and t.head.dep_ == "advcl" for t in sent)  # fmt: skip
    return marked and any(t.tag_ == "MD" for t in sent)


# ------------------------------------------------------------------ copular holders


def _copula(sent: Span) -> tuple[Token, Token, Token] | None:
    root = sent.root
    if _lemma(root) not in ("be", "become"):
        return None
    subj = next(iter(_children(root, "nsubj")), None)
    attr = next(iter(_children(root, "attr")), None)
    if subj is None or attr is None:
        return None
    return root, subj, attr


def _titled_holder(sent: Span, speaker: str | None) -> Clause | None:
    """ "The harbour master is Captain Erik Lund" / "Captain Erik Lund is the harbour master":
    the title is part of the name; the common noun on the other side is the office."""
    from memory.extract.clauses import Clause

    found = _copula(sent)
    if found is None or any(c.dep_ == "neg" or c.tag_ == "MD" for c in found[0].children):
        return None
    root, subj, attr = found
    pair = [(o, p) for o, p in ((subj, attr), (attr, subj)) if _titled(p) and _person(p)
            and o.pos_ == "NOUN"]  # fmt: skip
    if not pair:
        return None
    office, person = pair[0]
    if _indefinite(office):  # "Captain Lund is a keen sailor": no office
        return Clause(_name(person), "be_a", _phrase(office), False, None)
    if root.tag_ not in ("VBZ", "VBP") or not _definite_office(office):
        return None
    return _holder(office, _name(person), None, _cues(root, sent), "role")


def _holder_now(sent: Span, speaker: str | None) -> Clause | None:
    """ "Farah is our hygienist now": a person, a present copula, an office of ours or the
    office (not one many hold), and a change word."""
    found = _copula(sent)
    if found is None or _unreal(found[0]) or found[0].tag_ not in ("VBZ", "VBP"):
        return None
    root, subj, attr = found
    if not _person(subj) or attr.pos_ != "NOUN" or _is_role(attr) or not _definite_office(attr):
        return None  # a role noun is the main readers'
    if attr.lemma_.lower() in _MANY_HOLD or _pobj(attr, "of", "for") is not None:
        return None
    text = f" {sent.text.lower().rstrip('.!')} "
    if not any(f" {w} " in text for w in _NOW):
        return None  # ("Nathaniel is the new intern": one of many, as often as the one)
    return _holder(attr, _name(subj), None, _cues(root, sent), "role")
