"""Phrases of a spaCy parse: noun phrases, prepositional objects, owners and attribute names.

Helpers for `memory.extract.clauses`; they compare tokens by index (spaCy makes a new Token
object on every access) and never cross into another clause.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "ROLE_NOUNS", "WE", "phrase", "children", "pobj", "pobj_near", "heads_clause", "lemma_of",
    "owner_of", "attribute_of", "is_role", "definite", "is_time", "value_of", "instead_of",
]  # fmt: skip

Token = Any  # spacy.tokens.Token

# heads of role nouns: "the tech lead for Payments", "the owner of the ledger", "our designer"
ROLE_NOUNS = frozenset(
    [
        "lead",
        "leader",
        "head",
        "manager",
        "owner",
        "ownership",
        "chair",
        "director",
        "maintainer",
        "captain",
        "president",
        "ceo",
        "cto",
        "cfo",
        "coo",
        "vp",
        "dri",
        "sponsor",
        "coordinator",
        "designer",
        "dba",
        "admin",
        "administrator",
        "champion",
        "steward",
        "principal",
        # offices an organisation has one holder of at a time
        "mayor",
        "treasurer",
        "secretary",
        "governor",
        "chairperson",
        "chairman",
        "chairwoman",
        "chancellor",
        "dean",
        "editor",
        "supervisor",
        "superintendent",
        "foreman",
        "coach",
        "curator",
        "registrar",
        "spokesperson",
        "commissioner",
        "moderator",
        "liaison",
        "investigator",
        "chief",
        "minister",
        "vicar",
        "pastor",
        "rector",
        "provost",
        "bishop",
        "concertmaster",
        "skipper",
        "headteacher",
        "headmaster",
        "warden",
        "sheriff",
        "commander",
        "host",
        "presenter",
        "harbourmaster",
        "harbormaster",
    ]
)
_ROLE_NORMAL = {"leader": "lead", "ownership": "owner", "administrator": "admin"}
_TIME_LABELS = frozenset({"DATE", "TIME"})
WE = frozenset({"we", "us", "our"})
_DROP_DEPS = frozenset({"relcl", "acl", "advcl", "cc", "conj", "appos", "mark", "parataxis"})
_DROP_ADVERBS = frozenset(
    ["now", "too", "also", "currently", "still", "already", "again", "anymore"]
)


def phrase(tok: Token, keep_preps: bool = False) -> str:
    """The noun phrase headed by `tok`, without clauses, leading determiners or (unless
    `keep_preps`) prepositional attachments."""
    drop: set[int] = set()
    for child in tok.children:
        if (
            child.dep_ in _DROP_DEPS
            or (child.dep_ == "prep" and not keep_preps)
            or (child.dep_ == "punct" and child.text not in "-/.")
            or (child.dep_ == "advmod" and child.lower_ in _DROP_ADVERBS)
        ):
            drop.update(t.i for t in child.subtree)
    toks = [t for t in tok.subtree if t.i not in drop]
    while toks and (toks[0].dep_ in ("det", "predet") or toks[0].lower_ in ("our", "my", "their")):
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    while toks and toks[0].is_punct:
        toks = toks[1:]
    whole = _whole_words(toks)
    text = "".join(t.text_with_ws for t in whole).strip()
    return text.rstrip(".,;:") if whole is not toks else text


# punctuation that ends a word written against it ("us-east-1." "(v2)"), not a part of it
_WORD_EDGES = frozenset(".,;:!?()[]{}\"'“”‘’")


def _whole_words(toks: list[Token]) -> list[Token]:
    """`toks` widened to whole written words: the tokenizer splits an identifier at hyphens
    ("us-east-1" is "us", "-", "east-1") and the parser may hang the pieces anywhere; a word
    is what stands between spaces, less the punctuation at its edges."""
    if not toks:
        return toks
    doc = toks[0].doc
    first, last = toks[0].i, toks[-1].i
    while first > 0 and not doc[first - 1].whitespace_ and doc[first - 1].text not in _WORD_EDGES:
        first -= 1
    while (
        last + 1 < len(doc) and not doc[last].whitespace_ and doc[last + 1].text not in _WORD_EDGES
    ):
        last += 1
    if (first, last) == (toks[0].i, toks[-1].i):
        return toks
    inside = {t.i for t in toks}
    return [
        doc[i] for i in range(first, last + 1) if i in inside or i < toks[0].i or i > toks[-1].i
    ]


def children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def pobj(tok: Token, *preps: str) -> Token | None:
    """The object of the first preposition `preps` attached to `tok`."""
    for p in children(tok, "prep", "dative", "agent"):
        if p.lower_ in preps:
            objs = children(p, "pobj", "pcomp")
            if objs:  # a word before a symbol ("from #help": help, not #)
                return next((o for o in objs if o.pos_ not in ("SYM", "PUNCT")), objs[0])
            if (orphan := _orphaned_object(p)) is not None:
                return orphan
    return None


_ORPHAN_DEPS = frozenset({"punct", "dep", "npadvmod", "dobj", "advmod", "compound", "appos"})


def _orphaned_object(prep: Token) -> Token | None:
    """The word right after a preposition that has no object, when the small parser left it
    unattached: an unknown name ("switched to CockroachDB for billing" parses CockroachDB as
    punctuation hung on the verb). Only a word token hung on the preposition or its head."""
    if prep.i + 1 >= len(prep.doc):
        return None
    nxt = prep.doc[prep.i + 1]
    if not nxt.text[:1].isalnum() or nxt.dep_ not in _ORPHAN_DEPS:
        return None
    return nxt if nxt.head.i in (prep.i, prep.head.i) else None


def pobj_near(tok: Token, *preps: str) -> Token | None:
    """Like `_pobj`, also looking further down the verb's own phrase: the small parser often
    hangs "from X to Y" on the object ("moved [the database from X] [to Y]") or on another
    preposition ("from [X to Y]"). Never crosses into another clause (a verb)."""
    found = pobj(tok, *preps)
    if found is not None:
        return found
    best: tuple[int, Token] | None = None
    for t in tok.subtree:
        if t.dep_ not in ("prep", "dative", "agent") or t.lower_ not in preps or t.head.i == tok.i:
            continue
        depth, h = 0, t.head
        while h.i != tok.i and not heads_clause(h) and depth < 4:
            h, depth = h.head, depth + 1
        objs = children(t, "pobj", "pcomp")
        if h.i == tok.i and objs and (best is None or depth < best[0]):
            best = (depth, objs[0])
    return best[1] if best else None


_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "conj", "xcomp", "acl", "parataxis", "ROOT"})


def heads_clause(tok: Token) -> bool:
    """A verb heading its own clause (a gerund object such as "monitoring" does not)."""
    return tok.pos_ in ("VERB", "AUX") and tok.dep_ in _CLAUSE_DEPS


def lemma_of(tok: Token) -> str:
    """spaCy's lemma, or our light verb lemmatiser for words the model did not know
    ("rebuilt")."""
    from memory.slots import light_lemma

    lemma = tok.lemma_.lower()
    if (
        tok.pos_ in ("VERB", "AUX", "NOUN")
        and lemma == tok.lower_
        and lemma.endswith(("ed", "ing", "t"))
    ):
        guess = light_lemma(tok.lower_)
        if guess == tok.lower_ and guess.startswith("re"):  # rebuilt -> re + build
            guess = "re" + light_lemma(guess[2:])
        return guess
    return lemma


def owner_of(np: Token) -> str | None:
    """Whose attribute a noun phrase names: "the deadline for Atlas" -> Atlas, "Elena's title"
    -> Elena, "our CI provider" -> we."""
    of = pobj(np, "of", "for")
    if of is not None:
        return phrase(of)
    for c in np.children:
        if c.dep_ == "poss":
            return "we" if c.lower_ in WE else phrase(c).removesuffix("'s").strip()
    return None


def attribute_of(np: Token) -> str:
    """A noun phrase as an attribute name: its words before the head (compounds, modifiers:
    "main database", "tech lead", "on-call lead") and the head's lemma."""
    skip: set[int] = set()
    for c in np.children:
        # "the new chief of surgery" names the office "chief" ("new" says who holds it now)
        if (
            c.dep_ in ("det", "poss", "predet", "nummod", "prep")
            or c.i > np.i
            or (c.dep_ == "amod" and c.lower_ == "new")
        ):
            skip.update(t.i for t in c.subtree)
    words = [t for t in np.subtree if t.i < np.i and t.i not in skip and t.dep_ != "det"]
    head = _ROLE_NORMAL.get(np.lemma_.lower(), np.lemma_.lower())
    text = "".join(t.text_with_ws for t in words).lower()
    return (text + head).strip()


def is_role(np: Token) -> bool:
    return np.lemma_.lower() in ROLE_NOUNS or any(  # "head coach", "chief (amod) pilot"
        c.dep_ in ("compound", "amod") and c.lemma_.lower() in ROLE_NOUNS for c in np.children
    )


def definite(np: Token) -> bool:
    return np.tag_ in ("NN", "NNP") and any(
        c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an", "some", "any")
        for c in np.children
    )


_CLOCK = re.compile(r"\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?", re.I)


_MERIDIEM = frozenset(["am", "pm", "a.m.", "p.m."])


def is_time(tok: Token) -> bool:
    """A date or a time: by the NER, a clock time ("8:15"), or a number with am/pm ("5 am",
    which the small NER model sometimes tags as a quantity)."""
    if tok.ent_type_ in _TIME_LABELS or _CLOCK.fullmatch(tok.text) is not None:
        return True
    return tok.lower_ in _MERIDIEM and any(
        c.like_num or _CLOCK.fullmatch(c.text) is not None for c in tok.children
    )


def value_of(tok: Token) -> str:
    """A value phrase; a date keeps its whole entity ("end of Q3", "June 16")."""
    if tok.ent_type_ in _TIME_LABELS:
        sub = {t.i for t in tok.subtree}
        ents = [e for e in tok.doc.ents if e.start <= tok.i < e.end]
        if ents:
            toks = [t for t in ents[0] if t.i in sub or t.i == tok.i]
            return "".join(t.text_with_ws for t in toks).strip()
    return phrase(tok, keep_preps=tok.lemma_.lower() in ("version",))


def instead_of(root: Token) -> Token | None:
    for t in root.subtree:
        if t.lower_ == "instead":
            for c in t.children:
                if c.lower_ == "of":
                    objs = children(c, "pobj")
                    if objs:
                        return objs[0]
            nxt = t.nbor(1) if t.i + 1 < len(t.doc) else None
            if nxt is not None and nxt.lower_ == "of":
                objs = children(nxt, "pobj") or [  # "of" parsed as a conjunction
                    c for c in nxt.head.children if c.dep_ == "conj" and c.i > nxt.i
                ]
                if objs:
                    return objs[0]
    return None
