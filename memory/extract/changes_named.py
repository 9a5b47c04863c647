"""Changes that name the old value in shapes the main readers (`memory.extract.clauses`) do not
read: the new value of a slot and the value it replaces, from the dependency parse.

- "no longer X but Y": the negated value is the old one, its "but" conjunct the new one
  ("The print shop manager is no longer Oskar Lind but Hanna Berg");
- an office named by a possessive role noun and handed on by its holder ("Harriet Vane handed
  the commodore's role to Piers Lowe"; "passed the role of bosun to ...");
- "has a new R, N, replacing X" ("Oakfield Primary has a new head teacher, Mr Adebayo,
  replacing Mrs Pereira"), and "replacing X" / "in place of X" / "succeeding X" on any clause
  that gives a single-valued office a holder without naming the previous one;
- "stopped V-ing X ... V Y instead" / "no longer V X; V Y instead": the stopped arm names the
  old value, the "instead" arm the new one, matched by the same argument (the same preposition,
  or both direct objects);
- "X's term ended; Y now chairs Z" / "X stepped down, and Y is now Z's chair": a departure of
  a named holder joined to a clause giving an office a new holder names that office's old one.

Conservative: each reading needs its whole shape (a negation or a stop verb and the new value,
a role noun, a named old holder), is skipped under a modal, a condition or "also", and only
names an old value; `memory.slots` still retires a fact only when its value is that old value
in the same (or an overlapping single-valued) attribute.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from memory.extract.phrases import attribute_of as _attribute
from memory.extract.phrases import children as _children
from memory.extract.phrases import is_role as _is_role
from memory.extract.phrases import lemma_of as _lemma
from memory.extract.phrases import owner_of as _owner
from memory.extract.phrases import phrase as _phrase
from memory.extract.phrases import pobj as _pobj
from memory.extract.phrases import pobj_near as _pobj_near
from memory.models import ChangeEvent

__all__ = ["named_change", "NAMED_CHANGE_WORDS"]

Token = Any  # spacy.tokens.Token
Span = Any  # spacy.tokens.Span
Clause = Any  # memory.extract.clauses.Clause (imported late: clauses imports this module)

# the words of these shapes the parse gate (`clauses.needs_parse`) does not have already
# (a departure's successor clause has a gate word of its own: "now", an office noun)
NAMED_CHANGE_WORDS = re.compile(r"\b(?:swap(?:s|ped|ping)?|instead)\b", re.I)
# modal auxiliaries of a possibility, a wish or an obligation, and conditions
_UNREAL_MODALS = frozenset(["may", "might", "could", "would", "should", "must", "ought"])
_CONDITIONS = frozenset(["if", "unless", "whether"])
_ADDITIVE = frozenset(["also", "too"])
# verbs that end doing something: "stopped selling to X", "quit using X", "ceased buying X"
_STOP_VERBS = frozenset(["stop", "quit", "cease", "discontinue"])
# nouns of an office itself: "the commodore's role", "the role of bosun", "the treasurer's job"
_OFFICE_NOUNS = frozenset(["role", "post", "position", "job", "office", "seat", "duty", "duties"])
_HAND_VERBS = frozenset(["hand", "pass", "give", "transfer", "cede"])
# a holder's time in an office: "X's term ended", "X's tenure is over"
_TENURE_NOUNS = frozenset(["term", "tenure", "stint", "reign", "mandate", "time"])
_END_VERBS = frozenset(["end", "finish", "expire", "conclude", "close", "lapse", "run"])
# a holder leaving: "X stepped down", "X resigned", "X retired", "X left"
_LEAVE_VERBS = frozenset(["step", "resign", "retire", "quit", "leave", "stand"])
_REPLACING = frozenset(["replace", "succeed"])
# past forms the small model leaves unlemmatised
_PAST_FORMS = {"rewrote": "rewrite", "rebuilt": "rebuild", "swapped": "swap"}
_PRONOUNS = frozenset(["it", "they", "he", "she", "we", "i", "you", "this", "that", "who", "which"])


def named_change(
    sent: Span, speaker: str | None, found: list[tuple[Token, Clause]]
) -> Clause | None:
    """The clause of `sent` with the old value its change names, when the sentence is one of
    this module's shapes; else None (the main readers' clause stands). `found`: the (head,
    clause) pairs the main readers read from the sentence's heads; a change they read from a
    "no longer" that negates another clause is dropped from them in place."""
    found[:] = [(head, _negated_elsewhere(head, clause)) for head, clause in found]
    for head, clause in found:
        better = (_no_longer_but(head, clause) or _replacing_named(head, clause)
                  or _pro_one(head, clause) or _no_longer_then_holder(head)
                  or _held_before(head, clause))  # fmt: skip
        if better is not None:
            return better
    for head in _heads(sent.root):
        if _unreal(head):
            continue
        clause = (_office_handed(head, speaker) or _new_holder_replacing(head, speaker)
                  or _office_went(head) or _instead_arm(head, speaker)
                  or _instead_under_xcomp(head, speaker) or _so_no_longer(head))  # fmt: skip
        if clause is not None:
            return clause
    return _departed_holder(sent.root, found) or _left_office_succeeded(sent.root)


def _negated_elsewhere(head: Token, clause: Clause) -> Clause:
    """ "We rewrote the billing service in Go, so it is no longer Java": the cue "no longer"
    read on a clause it does not negate named that clause's own value (Go) as the old one;
    without a negation of its own the clause states no such change."""
    change = clause.change
    if change is None or not change.old or change.new is not None or "no longer" not in change.cues:
        return clause
    if any(c.dep_ == "neg" or c.lower_ in ("longer", "anymore", "more") for c in head.subtree
           if c.head.i == head.i or c.head.head.i == head.i):  # fmt: skip
        return clause
    return replace(clause, change=None)


def _heads(root: Token) -> list[Token]:
    """The main verb and the verbs of clauses joined to it."""
    return [root] + [c for c in root.children if c.pos_ in ("VERB", "AUX")
                     and c.dep_ in ("conj", "parataxis", "ccomp", "advcl")]  # fmt: skip


def _unreal(head: Token) -> bool:
    """Under a modal of possibility, a condition, a question or "also": no change stated."""
    modal = any(c.tag_ == "MD" and c.lower_ in _UNREAL_MODALS for c in head.children)
    added = any(c.dep_ == "advmod" and c.lower_ in _ADDITIVE for c in head.children)
    clauses = [head] if head.dep_ == "advcl" else []
    clauses += [c for c in head.children if c.dep_ == "advcl"]
    conditional = any(_conditional(c) for c in clauses)
    return modal or added or conditional or "as well" in head.sent.text.lower()


def _conditional(clause: Token) -> bool:
    return any(m.dep_ == "mark" and m.lower_ in _CONDITIONS for m in clause.children)


def _no_longer(head: Token) -> bool:
    """ "is no longer", "does not ... any more": the head's value held before, not now."""
    text = f" {head.sent.text.lower()} "
    negated = any(c.dep_ == "neg" for c in head.children)
    return " no longer " in text or negated and (" any more" in text or " anymore" in text)


def _clause(who: str, attr: str, value: str | None, functional: bool, old: str, cues: tuple[str, ...],
            targets: list[str] | None = None) -> Clause:  # fmt: skip
    from memory.extract.clauses import UNWRITTEN, Clause

    implicit = who is UNWRITTEN
    return Clause(str(who), attr, value, functional, ChangeEvent(old, value, cues),
                  cues if functional else (), [str(t) for t in targets or [who]], implicit)  # fmt: skip


def _name(tok: Token | None) -> str | None:
    """The phrase of a holder or a value, not a pronoun."""
    if tok is None or tok.lower_ in _PRONOUNS or tok.pos_ == "PRON":
        return None
    return _phrase(tok).removesuffix("'s").strip() or None


# ------------------------------------------------------------------ "no longer X but Y"


def _no_longer_but(head: Token, clause: Clause) -> Clause | None:
    """ "The print shop manager is no longer Oskar Lind but Hanna Berg": the main readers took
    the negated value (Oskar Lind) for the value; it is the old one, and the conjunct after
    "but" the new one."""
    if clause.value is None or not _no_longer(head) or _unreal(head):
        return None
    for tok in head.subtree:
        if tok.dep_ not in ("attr", "dobj", "pobj", "oprd") or _phrase(tok) != clause.value:
            continue
        but = any(c.dep_ == "cc" and c.lower_ == "but" for c in tok.children)
        new = next((c for c in tok.children if c.dep_ == "conj" and c.i > tok.i), None)
        if but and (value := _name(new)) is not None:
            cues = (*clause.cues, "no longer ... but")
            change = ChangeEvent(clause.value, value, cues)
            return replace(clause, value=value, change=change)
    return None


# ------------------------------------------------------------------ "replacing X"


def _replaced_holder(tok: Token) -> str | None:
    """X of "..., replacing X" / "..., succeeding X" / "who replaces X" / "in place of X" hung
    on `tok` (a verb, or the noun of the office or of its new holder)."""
    for c in tok.children:
        if c.dep_ in ("advcl", "acl", "relcl", "xcomp", "conj") and _lemma(c) in _REPLACING:
            if _unreal(c) or any(n.dep_ == "neg" for n in c.children):
                continue
            obj = next(iter(_children(c, "dobj")), None)
            if (name := _name(obj)) is not None:
                return name
    place = _pobj(tok, "in")
    if place is not None and place.lower_ == "place":
        return _name(_pobj(place, "of"))
    return None


def _replacing_named(head: Token, clause: Clause) -> Clause | None:
    """A single-valued office given a holder without naming the previous one, with "replacing
    X" on the verb, the office or the holder ("Mr Adebayo is the new head teacher, replacing
    Mrs Pereira"): X is the old holder."""
    if not clause.functional or clause.value is None or _unreal(head):
        return None
    if clause.change is not None and clause.change.old is not None:
        return None
    for tok in [head, *(t for t in head.children if t.dep_ in ("attr", "dobj", "nsubj", "appos"))]:
        old = _replaced_holder(tok)
        if old is not None and old.lower() != clause.value.lower():
            cues = (*(clause.change.cues if clause.change else ()), "replacing")
            return replace(clause, change=ChangeEvent(old, clause.value, cues))
    return None


def _new_holder_replacing(head: Token, speaker: str | None) -> Clause | None:
    """ "Oakfield Primary has a new head teacher, Mr Adebayo, replacing Mrs Pereira": (Oakfield
    Primary, head teacher) = Mr Adebayo, replacing Mrs Pereira. Only with the old holder named
    and a role noun for the office."""
    if _lemma(head) not in ("have", "get") or head.dep_ not in ("ROOT", "conj"):
        return None
    subj = next(iter(_children(head, "nsubj")), None)
    office = next(iter(_children(head, "dobj")), None)
    if subj is None or office is None or not _is_role(office):
        return None
    holder = next((c for c in office.children if c.dep_ == "appos"), None) or next(
        (c for c in head.children if c.dep_ in ("npadvmod", "appos") and c.i > office.i
         and c.pos_ == "PROPN"), None)  # fmt: skip
    new = _name(holder)
    if new is None or not any(c.dep_ == "amod" and c.lower_ == "new" for c in office.children):
        return None
    old = next((o for t in (office, holder, head) if (o := _replaced_holder(t)) is not None), None)
    who = _name(subj) if subj.lower_ not in ("we", "us") else "we"
    if old is None or who is None or old.lower() == new.lower():
        return None
    return _clause(who, _attribute(office), new, True, old, ("new", "replacing"))


# ------------------------------------------------------------------ an office handed on


def _office_of(np: Token) -> Token | None:
    """The role noun an office noun names: "the commodore's role" / "the role of bosun"."""
    if np.lemma_.lower() not in _OFFICE_NOUNS:
        return None
    poss = next((c for c in np.children if c.dep_ == "poss"), None)
    if poss is not None and poss.pos_ == "NOUN":
        return poss
    of = _pobj(np, "of")
    if of is not None and of.pos_ == "NOUN" and not any(c.dep_ == "det" for c in of.children):
        return of
    return None


def _office_handed(head: Token, speaker: str | None) -> Clause | None:
    """ "Harriet Vane handed the commodore's role to Piers Lowe": the office (commodore) passes
    from the subject to the one it is handed to."""
    if _lemma(head) not in _HAND_VERBS or any(c.dep_ == "neg" for c in head.children):
        return None
    subj = next(iter(_children(head, "nsubj")), None)
    obj = next(iter(_children(head, "dobj")), None)
    office = _office_of(obj) if obj is not None else None
    old = _name(subj) if subj is not None and subj.pos_ == "PROPN" else None
    new = _name(_pobj_near(head, "to"))
    if office is None or old is None or new is None or old.lower() == new.lower():
        return None
    from memory.extract.clauses import UNWRITTEN

    owner = _owner(office) or UNWRITTEN
    return _clause(owner, _attribute(office), new, True, old, (_lemma(head), "role"), [owner])


# ------------------------------------------------------------------ "stopped V-ing X ... instead"


def _arguments(verb: Token) -> dict[str, Token]:
    """The verb's direct object and prepositional objects, by "dobj" or the preposition."""
    out: dict[str, Token] = {}
    for c in verb.children:
        if c.dep_ == "dobj":
            out.setdefault("dobj", c)
        elif (
            c.dep_ in ("prep", "dative")
            and (o := next(iter(_children(c, "pobj")), None)) is not None
        ):
            out.setdefault(c.lower_, o)
    return out


def _instead_under_xcomp(head: Token, speaker: str | None) -> Clause | None:
    """ "The clinic quit [ordering from X and orders its gloves from Y instead]": the small
    parser hangs the "instead" arm on the stopped verb's V-ing."""
    for v in head.children:
        if v.dep_ == "xcomp":
            for arm in v.children:
                if arm.dep_ == "conj" and (c := _instead_arm(arm, speaker)) is not None:
                    return c
    return None


def _stopped_arm(verb: Token) -> Token | None:
    """The verb whose arguments held before: the V-ing of "stopped V-ing", or a verb negated
    with "no longer" / "not ... any more"."""
    if _lemma(verb) in _STOP_VERBS:
        return next((c for c in verb.children if c.dep_ == "xcomp" and c.tag_ == "VBG"), None)
    return (
        verb
        if _no_longer(verb) and any(c.dep_ in ("neg", "advmod") for c in verb.children)
        else None
    )


def _instead_arm(head: Token, speaker: str | None) -> Clause | None:
    """ "The co-op stopped selling to Dairy Gold and sells its milk to Greenvale instead":
    (co-op, sell to) = Greenvale, replacing Dairy Gold. The arm with "instead" (and no "of")
    gives the new value; the stopped arm the old one, in the same argument."""
    instead = [c for c in head.children if c.dep_ == "advmod" and c.lower_ in ("instead", "now")]
    if not instead or any(c.lower_ == "of" for c in instead[0].children):
        return None
    joined = [head.head] if head.dep_ in ("conj", "parataxis", "ccomp") else []
    if joined and joined[0].dep_ == "xcomp":  # "quit [ordering from X and orders Y instead]"
        joined.append(joined[0].head)
    joined += [c for c in head.children if c.dep_ in ("conj", "parataxis", "ccomp")]
    for other in joined:
        if (dropped := _dropped_name(other, head, speaker)) is not None:
            return dropped
        if instead[0].lower_ != "instead":
            continue
        stopped = _stopped_arm(other)
        if stopped is None or _unreal(other):
            continue
        if _lemma(stopped) != _lemma(head):
            continue  # "stopped selling to X and buys from Y instead": another relation
        subj = next(iter(_children(other, "nsubj")), None)
        if subj is None or subj.pos_ == "PRON" and subj.lower_ not in ("we", "i"):
            continue  # "it stopped ...": no coreference here
        from memory.extract.clauses import _subject_text

        who = _subject_text(subj, speaker)
        was, now = _arguments(stopped), _arguments(head)
        for key in [k for k in was if k != "dobj"] + ["dobj"]:
            old, new = _name(was.get(key)), _name(now.get(key))
            if old is not None and new is not None and old.lower() != new.lower():
                attr = _lemma(head) if key == "dobj" else f"{_lemma(head)} {key}"
                return _clause(who, attr, new, False, old, (_lemma(other), "instead"))
    return None


# ------------------------------------------------------------------ "X's term ended; Y now ..."


def _leaver(verb: Token) -> str | None:
    """The named holder a verb says has left: "X's term ended", "X stepped down", "X retired"
    (not "X retired from the board as treasurer": an office of its own is `clauses`')."""
    subj = next(iter(_children(verb, "nsubj")), None)
    if subj is None or _unreal(verb) or any(c.dep_ == "neg" for c in verb.children):
        return None
    lemma = _lemma(verb)
    if lemma in _END_VERBS or (lemma == "be" and any(c.lower_ == "over" for c in verb.children)):
        if lemma == "run" and not any(c.lower_ == "out" for c in verb.children):
            return None
        if subj.lemma_.lower() not in _TENURE_NOUNS:
            return None
        poss = next((c for c in subj.children if c.dep_ == "poss"), None)
        return _name(poss) if poss is not None and poss.pos_ == "PROPN" else None
    if lemma in _LEAVE_VERBS and subj.pos_ == "PROPN" and _pobj(verb, "as", "from") is None:
        if lemma in ("step", "stand") and not any(
            c.lower_ in ("down", "aside") for c in verb.children
        ):
            return None
        if lemma == "leave" and any(c.dep_ == "dobj" for c in verb.children):
            return None  # "X left the keys": not an office
        return _name(subj)
    return None


def _departed_holder(root: Token, found: list[tuple[Token, Clause]]) -> Clause | None:
    """ "Ewan Ross's term ended; Fiona Blair now chairs the co-op": a clause giving an office
    a new holder, joined to a clause where a named holder leaves, names the old holder."""
    heads = _heads(root)
    offices = [(h, c) for h, c in found if c.functional and c.value is not None
               and (c.change is None or c.change.old is None)]  # fmt: skip
    if not offices:
        return None
    for head in heads:
        old = _leaver(head)
        if old is None:
            continue
        for other, clause in offices:
            if other.i == head.i or old.lower() == (clause.value or "").lower() or _unreal(other):
                continue
            if not (clause.value or " ")[0].isupper() or old.lower() in clause.attribute:
                continue  # a holder's name, and not one read as the office
            cues = (*(clause.change.cues if clause.change else ()), f"{_lemma(head)} (left)")
            return replace(clause, change=ChangeEvent(old, clause.value, cues))
    return None


# ------------------------------------------------------------------ more shapes of the same


def _pro_one(head: Token, clause: Clause) -> Clause | None:
    """ "The 2 m reflector replaced the 1.2 m one as our main telescope": the old value "the
    1.2 m one" is the subject's noun at another measure ("1.2 m reflector")."""
    if clause.change is None or not clause.change.old:
        return None
    obj = next(iter(_children(head, "dobj")), None)
    subj = next(iter(_children(head, "nsubj")), None)
    if obj is None or subj is None or obj.lower_ != "one" or not subj.text.islower():
        return None
    if not any(c.dep_ in ("nummod", "amod", "compound") for c in obj.children):
        return None
    words = [t.text for t in obj.subtree if t.dep_ != "det" and t.i <= obj.i]
    old = " ".join([*words[:-1], subj.text])
    return replace(clause, change=replace(clause.change, old=old))


def _no_longer_then_holder(head: Token) -> Clause | None:
    """ "Mr. Evans is no longer the choirmaster; Ms. Pryce has the job": a named holder who is
    no longer "the X", joined to a clause where another name has "the job" / "the role" /
    "the post" (the frame makes X an office): that name is X's new holder."""
    if _lemma(head) != "be" or not _no_longer(head) or _unreal(head):
        return None
    subj = next(iter(_children(head, "nsubj")), None)
    office = next(iter(_children(head, "attr")), None)
    old = _name(subj) if subj is not None and subj.pos_ == "PROPN" else None
    if old is None or office is None or office.pos_ != "NOUN" or not _definite_the(office):
        return None
    for other in _heads(head.sent.root):
        if (
            other.i == head.i
            or _lemma(other) not in ("have", "take", "get", "hold")
            or _unreal(other)
        ):
            continue
        obj = next(iter(_children(other, "dobj")), None)
        holder = next(iter(_children(other, "nsubj")), None)
        if obj is None or obj.lemma_.lower() not in _OFFICE_NOUNS or not _definite_the(obj):
            continue
        new = _name(holder) if holder is not None and holder.pos_ == "PROPN" else None
        if new is not None and new.lower() != old.lower():
            from memory.extract.clauses import UNWRITTEN

            owner = _owner(office) or UNWRITTEN
            return _clause(owner, _attribute(office), new, True, old, ("no longer", "has the job"),
                           [owner])  # fmt: skip
    return None


def _definite_the(np: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ == "the" for c in np.children)


def _office_went(head: Token) -> Clause | None:
    """ "Dr. Salah's post as curator of the Egyptian wing went to Dr. Moreau": the office of
    "as X" (or the role noun owning "post") passes from the post's named holder to Y."""
    if _lemma(head) not in ("go", "pass", "fall") or any(c.dep_ == "neg" for c in head.children):
        return None
    subj = next(iter(_children(head, "nsubj")), None)
    if subj is None or subj.lemma_.lower() not in _OFFICE_NOUNS:
        return None
    poss = next((c for c in subj.children if c.dep_ == "poss"), None)
    office = _pobj(subj, "as")
    old = _name(poss) if poss is not None and poss.pos_ == "PROPN" else None
    new = _name(_pobj(head, "to"))
    if office is None or office.pos_ != "NOUN" or old is None or new is None:
        return None
    from memory.extract.clauses import UNWRITTEN

    owner = _owner(office) or UNWRITTEN
    return _clause(owner, _attribute(office), new, True, old, (_lemma(head), "post"), [owner])


def _so_no_longer(head: Token) -> Clause | None:
    """ "We rewrote the arm controller in Rust, so it is no longer C++": a change verb giving
    its object a new value, joined to "it is no longer X" about that object: X is the old
    value (not the change's own value, which the cue "no longer" would otherwise negate)."""
    from memory.extract.clauses import CHANGE_VERBS

    if _lemma(head) != "be" or not _no_longer(head):
        return None
    it = next(iter(_children(head, "nsubj")), None)
    was = next(iter(_children(head, "attr")), None) or next(
        (
            c
            for c in head.children
            if c.dep_ in ("advmod", "npadvmod")
            and c.i > head.i
            and (c.pos_ == "PROPN" or c.text[:1].isupper())
        ),
        None,
    )  # "it is no longer Java": the small parser may hang the name as an adverb
    if it is None or it.lower_ not in ("it", "they") or (old := _name(was)) is None:
        return None
    for verb in _heads(head.sent.root):
        lemma = _PAST_FORMS.get(verb.lower_, _lemma(verb))
        if verb.i == head.i or lemma not in CHANGE_VERBS or _unreal(verb):
            continue
        obj = next(iter(_children(verb, "dobj")), None)
        subj = next(iter(_children(verb, "nsubj")), None)
        new = _name(_pobj_near(verb, "to", "in", "into", "onto"))
        if obj is None or subj is None or new is None or new.lower() == old.lower():
            continue
        thing = _phrase(obj)
        return _clause(thing, "use", new, False, old, (lemma, "no longer"), [thing])
    return None


def _left_office_succeeded(root: Token) -> Clause | None:
    """ "Helen Ashworth retired as managing partner and was succeeded by Rafael Ibáñez": the
    office of "as X" on a departure passes to the agent of a joined "was succeeded / replaced
    by Y" that shares the leaver as its subject."""
    if _lemma(root) not in _LEAVE_VERBS or _unreal(root):
        return None
    subj = next(iter(_children(root, "nsubj")), None)
    old = _name(subj) if subj is not None and subj.pos_ == "PROPN" else None
    prep = next((c for c in root.children if c.dep_ == "prep" and c.lower_ == "as"), None)
    if old is None or prep is None:
        return None
    words = [t for t in prep.subtree if t.i != prep.i and t.dep_ not in ("det", "poss")]
    head_noun = next((t for t in reversed(words) if t.pos_ == "NOUN"), None)
    if head_noun is None or any(t.pos_ in ("PROPN", "ADP") for t in words):
        return None
    for verb in root.children:
        if verb.dep_ != "conj" or _lemma(verb) not in _REPLACING or _unreal(verb):
            continue
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            continue  # a subject of its own: not the leaver succeeded
        if not any(c.dep_ == "auxpass" for c in verb.children):
            continue
        new = _name(_pobj(verb, "by"))
        if new is not None and new.lower() != old.lower():
            from memory.extract.clauses import UNWRITTEN

            attr = " ".join(t.lower_ for t in words[:-1] + [head_noun] if t.i <= head_noun.i)
            return _clause(UNWRITTEN, attr, new, True, old, (_lemma(root), "succeed"), [UNWRITTEN])
    return None


_DROP_VERBS = frozenset(["drop", "ditch", "leave", "quit", "dump", "stop"])


def _dropped_name(other: Token, head: Token, speaker: str | None) -> Clause | None:
    """ "We dropped Millbrook and get our flour from Stone Mill now": a name dropped (the
    direct object of "drop" / "ditch" / "leave"), joined to a clause with "now" or "instead"
    whose one other name is what the subject turned to: (we, get from) = Stone Mill,
    replacing Millbrook."""
    from memory.extract.clauses import _subject_text

    if _lemma(other) not in _DROP_VERBS or _unreal(other) or other.i > head.i:
        return None
    if any(c.dep_ in ("prt", "neg") for c in other.children):
        return None  # "dropped Millbrook off", "did not drop Millbrook"
    obj = next(iter(_children(other, "dobj")), None)
    subj = next(iter(_children(other, "nsubj")), None)
    old = _name(obj) if obj is not None and obj.pos_ == "PROPN" else None
    if old is None or subj is None or _children(head, "nsubj"):
        return None  # the new arm shares the dropper as its subject
    names = [(k, t) for k, t in _arguments(head).items() if t.pos_ == "PROPN"]
    if len(names) != 1 or (new := _name(names[0][1])) is None or new.lower() == old.lower():
        return None
    key = names[0][0]
    attr = _lemma(head) if key == "dobj" else f"{_lemma(head)} {key}"
    who = _subject_text(subj, speaker)
    return _clause(who, attr, new, False, old, (_lemma(other), "now"))


def _held_before(head: Token, clause: Clause) -> Clause | None:
    """ "The Dock Road depot, which Hamid managed for years, is now run by Clara" / "The ferry,
    which used to leave at 8 am, now leaves at 7:30 am": a relative clause on the subject
    telling who held it, or what it did, before (a past tense, or "used to") names the old
    value of the main clause's change ("now")."""
    from memory.extract.clauses import _LEAD_VERBS

    if clause.value is None or clause.change is None or clause.change.old is not None:
        return None
    if "now" not in clause.change.cues and "no longer" not in clause.change.cues:
        return None
    subj = next(iter(_children(head, "nsubj", "nsubjpass")), None)
    rel = next((c for c in subj.children if c.dep_ == "relcl"), None) if subj is not None else None
    if rel is None or _unreal(rel) or any(c.dep_ == "neg" for c in rel.children):
        return None
    used = next((c for c in rel.children if c.dep_ == "xcomp" and _lemma(rel) == "use"), None)
    old: str | None = None
    if used is not None and _lemma(used) == _lemma(head):  # "which used to leave at 8 am"
        was, now = _arguments(used), _arguments(head)
        key = next((k for k in was if k in now and _name(now[k]) == clause.value), None)
        old = _name(was[key]) if key is not None else None
    elif rel.tag_ == "VBD" and _lemma(rel) in _LEAD_VERBS and clause.functional:
        holder = next(iter(_children(rel, "nsubj")), None)  # "which Hamid managed"
        pron = any(c.dep_ == "dobj" and c.lower_ in ("which", "that") for c in rel.children)
        old = _name(holder) if pron and holder is not None and holder.pos_ == "PROPN" else None
    if old is None or old.lower() == clause.value.lower():
        return None
    return replace(clause, change=replace(clause.change, old=old,
                                          cues=(*clause.change.cues, "before")))  # fmt: skip
