"""What a question asks, read from its parse (spaCy), not from phrase lists.

The kind comes from the grammar of English questions: the wh-word and its role in the clause
(subject, object, attribute of a copula), the main verb, a `before`/`after` preposition whose
object is an event rather than a date, an epistemic predicate (confident, sure, believe) with
the proposition it governs, an imperative "tell me about X". Only closed word classes are
listed here (wh-words, copulas, causal nouns, epistemic predicates, ordinal modifiers).

Kinds: who (a person the evidence points to), why (a decision and its reason), events (what
blocked / happened / changed / was decided), belief (a belief and its history), card (who/what
is X), anchor (before/after an event), general (anything else asked of memory).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from agent.answer.nlp import parse

__all__ = [
    "Question",
    "parse_question",
    "content_words",
    "adverbial_phrases",
    "modifiers",
    "object_terms",
]

_COPULA = frozenset({"be"})
_LIGHT_VERBS = frozenset({"be", "do", "have", "get", "go", "happen", "tell", "say"})
_CAUSAL_NOUNS = frozenset({"reason", "cause", "rationale", "motivation", "why", "explanation"})
_EPISTEMIC = frozenset(
    [
        "confident",
        "confidence",
        "sure",
        "certain",
        "certainty",
        "believe",
        "belief",
        "think",
        "convinced",
        "doubt",
        "doubtful",
        "expect",
        "likely",
        "trust",
    ]
)
_ANCHOR_PREPS = {"before": "before", "after": "after", "since": "after", "until": "before",
                 "prior": "before", "following": "after"}  # fmt: skip
_ORDINAL_MODS = frozenset(
    [
        "last",
        "latest",
        "recent",
        "most",
        "first",
        "next",
        "previous",
        "current",
        "new",
        "old",
        "main",
        "whole",
        "same",
        "other",
        "right",
        "wrong",
        "good",
        "bad",
        "big",
        "small",
        "few",
        "many",
        "much",
    ]
)
_TIME_ENTS = frozenset({"DATE", "TIME"})
_NAME_ENTS = frozenset({"PERSON", "ORG", "GPE", "PRODUCT", "NORP", "FAC", "LOC", "EVENT",
                        "WORK_OF_ART", "LAW"})  # fmt: skip


@dataclass
class Question:
    text: str
    kind: str = "general"
    wh: str | None = None
    verb: str | None = None  # lemma of the main verb
    focus: str = ""  # the question without wh-word and auxiliaries
    content: list[str] = field(default_factory=list)  # content lemmas, lower case
    names: list[str] = field(default_factory=list)  # proper names / identifiers asked about
    subject: str | None = None  # what a card is about
    anchor: tuple[str, str] | None = None  # ("before" | "after", the event phrase)
    qualifiers: list[str] = field(default_factory=list)  # adverbs/adjectives on the predicate
    qualifier_phrases: list[str] = field(default_factory=list)  # "ahead of schedule", ...
    proposition: str | None = None  # what a belief question asks about
    newest: bool = False  # "the last / latest / most recent ..."
    person_like: bool = False  # "which team member ..." (decided by the caller's embedder)
    predicate: str = ""  # the focus without the phrase that narrows who is asked about
    predicate_content: list[str] = field(default_factory=list)  # its content lemmas

    @property
    def asks_person(self) -> bool:
        return self.wh in ("who", "whom", "whose") or self.person_like


def content_words(doc: Any) -> list[str]:
    """Lemmas of the content words (nouns, verbs, adjectives, adverbs, names, numbers)."""
    keep = {"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"}
    out = []
    for t in doc:
        if t.pos_ in keep and not t.is_stop and t.tag_ not in ("WP", "WRB", "WDT", "WP$"):
            lemma = t.lemma_.lower()
            if lemma not in _LIGHT_VERBS | _ORDINAL_MODS | _HABITUAL and len(lemma) > 1:
                out.append(lemma)
    return list(dict.fromkeys(out))


def _wh(doc: Any) -> Any:
    for t in doc:
        if t.tag_ in ("WP", "WRB", "WDT", "WP$"):
            return t
    return None


def _phrase(tok: Any) -> str:
    """The noun phrase a token heads, without a leading determiner or possessive."""
    words = [t for t in tok.subtree if t.dep_ not in ("punct",)]
    while words and (words[0].dep_ in ("det", "poss") or words[0].tag_ in ("WDT", "WP")):
        words = words[1:]
    return " ".join(t.text for t in words).strip(" ?!.")


def _bare(text: str) -> str:
    text = text.strip(" ?!.,")
    for tail in ("'s", "’s"):
        text = text.removesuffix(tail)
    return text.strip()


def _names(doc: Any) -> list[str]:
    """Proper names and identifiers in the question (hard anchors: memory must hold them)."""
    out, taken = [], set()
    for e in doc.ents:
        if e.label_ not in _NAME_ENTS:
            continue
        end = e.end
        if _is_initial(doc[end - 1].text) and end < len(doc) and _capitalised(doc[end]):
            end += 1  # the small model tags "D." of "D. Volkov" alone at times
        out.append(_bare(doc[e.start : end].text))
        taken |= set(range(e.start, end))
    for t in doc:
        if t.i in taken or t.ent_type_ in _TIME_ENTS or t.tag_ in ("WP", "WRB", "WDT"):
            continue
        nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
        if _is_initial(t.text) and nxt is not None and _capitalised(nxt):
            out.append(f"{t.text} {nxt.text}")  # "D. Volkov": an initial and a surname
            taken.add(nxt.i)
            continue
        proper = t.pos_ == "PROPN" or (t.i > 0 and t.text[:1].isupper() and t.is_alpha)
        ident = any(c.isdigit() for c in t.text) and any(c.isalpha() or c == "." for c in t.text)
        if (proper or ident) and not t.is_stop:
            out.append(_bare(t.text))
    return [n for n in dict.fromkeys(out) if n and n.lower() not in ("i", "we")]


def _is_initial(word: str) -> bool:
    return len(word) == 2 and word[0].isupper() and word[1] == "."


def _capitalised(t: Any) -> bool:
    return bool(t.is_alpha and t.text[:1].isupper())


def _anchor(doc: Any) -> tuple[str, str] | None:
    for t in doc:
        side = _ANCHOR_PREPS.get(t.lower_)
        if side is None or t.dep_ not in ("prep", "mark", "advmod", "amod"):
            continue
        objs = [c for c in t.children if c.dep_ in ("pobj", "pcomp")]
        if t.lower_ == "prior":
            objs = [g for c in t.children for g in c.children if g.dep_ == "pobj"]
        if objs and objs[0].ent_type_ not in _TIME_ENTS and objs[0].pos_ in ("NOUN", "PROPN"):
            return side, _phrase(objs[0])
    return None


def _card_subject(doc: Any, wh: Any, root: Any) -> str | None:
    """ "Who is Alice C.?" / "What is Heron?" / "Tell me about Dmitri": the thing asked about."""
    if root.lemma_ in _COPULA and wh is not None and wh.lower_ in ("who", "what"):
        others = [c for c in root.children if c.dep_ in ("nsubj", "attr") and c.i != wh.i]
        if others and not any(c.tag_ in ("VB", "VBG") for c in others[0].subtree):
            np = others[0]
            if wh.lower_ == "what" or not any(c.dep_ == "det" for c in np.children):
                return _phrase(np)  # "who is the CFO?" asks for a person: not a card
    if wh is None and root.tag_ == "VB" and not any(c.dep_ == "nsubj" for c in root.children):
        about = [c for t in root.subtree if t.lower_ == "about" for c in t.children
                 if c.dep_ == "pobj"]  # fmt: skip
        if about:
            return _phrase(about[0])
    return None


def _proposition(doc: Any) -> str | None:
    """The clause or phrase an epistemic predicate governs ("that the batch API is ...")."""
    for t in doc:
        if t.lemma_.lower() not in _EPISTEMIC:
            continue
        for c in t.children:
            if c.dep_ in ("ccomp", "xcomp", "acl", "prep") and c.dep_ != "prep":
                return " ".join(w.text for w in c.subtree if w.dep_ != "mark").strip(" ?")
            if c.dep_ == "prep" and c.lower_ in ("about", "in", "of", "that"):
                return " ".join(w.text for w in c.subtree if w.i != c.i).strip(" ?")
        rest = [w.text for w in doc if w.i != t.i and not _filler(w)]
        return " ".join(rest).strip(" ?") or None
    return None


def _filler(t: Any) -> bool:
    """Words of a belief question that are not part of the proposition asked about."""
    return (
        t.tag_ in ("WP", "WRB", "WDT")
        or t.dep_ in ("aux", "punct", "mark")
        or t.pos_ == "PRON"
        or t.lemma_.lower() in _EPISTEMIC
        or (t.lemma_ == "be" and t.dep_ == "ROOT")
        or (t.pos_ == "ADP" and t.head.lemma_.lower() in _EPISTEMIC | {"be"})
    )


_HABITUAL = frozenset({"usually", "always", "still", "now", "often", "typically", "generally"})
_ADVERBIAL_DEPS = ("advmod", "npadvmod", "acomp", "prep", "advcl")


def adverbial_phrases(doc: Any) -> list[str]:
    """The adverbial phrases on a clause's verbs ("a week ahead of schedule", "early")."""
    out = []
    for t in doc:
        if t.dep_ not in _ADVERBIAL_DEPS or t.head.pos_ not in ("VERB", "AUX", "ADJ"):
            continue
        if t.tag_ in ("WRB", "WP", "WDT") or t.lower_ in _HABITUAL or _hyphenated(t):
            continue
        words = [w for w in t.subtree if not w.is_punct]
        meant = [w for w in words if w.pos_ not in ("ADP", "DET", "NUM")]
        calendar = t.dep_ == "prep" and all(w.ent_type_ in _TIME_ENTS for w in meant)
        if meant and not calendar:  # "a week early" is kept, "on October 3" is not
            out.append(" ".join(w.text for w in words))
    return out


_MODIFIER_DEPS = ("compound", "amod")


def modifiers(t: Any) -> set[str]:
    """Lemmas of the words that say which one of a noun is meant ("billing" of "billing API"),
    ordinal, evaluative and superlative adjectives ("last", "new", "latest") left out: they
    pick one by its order, not by its name."""
    return {c.lemma_.lower() for c in t.children
            if c.dep_ in _MODIFIER_DEPS and c.tag_ not in ("JJS", "JJR", "RBS")
            and not {c.lower_, c.lemma_.lower()} & _ORDINAL_MODS}  # fmt: skip


def object_terms(question: str) -> list[tuple[str, set[str]]]:
    """The modified nouns a question asks about, as (head lemma, modifier lemmas): "the
    billing API" -> ("api", {"billing"})."""
    out = []
    for t in parse(question):
        if t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("dobj", "pobj", "attr", "nsubjpass", "nsubj"):
            mods = modifiers(t)
            if mods and t.tag_ not in ("WP", "WDT"):
                out.append((t.lemma_.lower(), mods))
    return out


def _hyphenated(t: Any) -> bool:
    """ "on" of "on-call": part of a hyphenated word, not a preposition of its own."""
    nxt = t.nbor(1) if t.i + 1 < len(t.doc) else None
    return bool(not t.whitespace_ and nxt is not None and nxt.text == "-")


def _qualifiers(root: Any) -> list[str]:
    out = []
    for c in root.children:
        adverbial = c.dep_ in ("advmod", "acomp", "npadvmod") and c.pos_ in ("ADV", "ADJ")
        if adverbial and c.tag_ != "WRB" and c.lower_ not in _HABITUAL:
            out.append(c.lower_)
    return out


def _kind(doc: Any, q: Question, wh: Any, root: Any) -> str:
    lemmas = {t.lemma_.lower() for t in doc}
    whw = wh.lower_ if wh is not None else None
    if lemmas & _EPISTEMIC and (wh is None or whw in ("how", "what")):
        return "belief"
    if whw == "why" or (whw == "how" and doc[wh.i + 1 : wh.i + 2].text.lower() == "come"):
        return "why"
    if whw in ("what", "which") and lemmas & _CAUSAL_NOUNS:
        return "why"
    if q.anchor is not None and not q.asks_person:
        return "anchor"
    if q.subject is not None:
        return "card"
    if q.asks_person:
        return "who"
    if whw in ("what", "which", "when", "how"):
        return "events"
    return "general"


def parse_question(text: str, is_person_noun: Callable[[str], bool] | None = None) -> Question:
    """Read `text`; `is_person_noun` decides whether the noun of a "which X" question names
    people ("which team member" yes, "which database" no)."""
    doc = parse(" ".join(text.split()))
    wh = _wh(doc)
    roots = [t for t in doc if t.dep_ == "ROOT"]
    root = roots[0] if roots else doc[0]
    q = Question(text=text.strip(), wh=wh.lower_ if wh is not None else None)
    q.verb = root.lemma_.lower() if root.pos_ in ("VERB", "AUX") else None
    q.focus = " ".join(t.text for t in doc if _in_focus(t))
    q.content = content_words(doc)
    domain = _domain(doc, wh)
    q.predicate = " ".join(t.text for t in doc if _in_focus(t) and t.i not in domain)
    narrowing = {doc[i].lemma_.lower() for i in domain}
    q.predicate_content = [c for c in q.content if c not in narrowing]
    q.names = _names(doc)
    q.anchor = _anchor(doc)
    q.subject = _card_subject(doc, wh, root)
    q.qualifiers = _qualifiers(root)
    q.qualifier_phrases = adverbial_phrases(doc)
    q.proposition = _proposition(doc)
    q.newest = any(t.lower_ in ("last", "latest", "recent", "newest") for t in doc)
    noun = _which_noun(doc)
    q.person_like = bool(noun and is_person_noun is not None and is_person_noun(noun))
    q.kind = _kind(doc, q, wh, root)
    return q


def _in_focus(t: Any) -> bool:
    return t.tag_ not in ("WP", "WRB", "WDT") and t.dep_ not in ("aux", "punct")


def _domain(doc: Any, wh: Any) -> set[int]:
    """Token indices of the phrase that narrows whom a question asks about rather than what
    they do: a preposition on the wh-word or on its noun ("who on the team", "which of the
    engineers", "which developer in the Data team"), and habitual adverbs ("usually")."""
    out = {t.i for t in doc if t.lower_ in _HABITUAL}
    if wh is None:
        return out
    heads = [wh, wh.head] if wh.dep_ == "det" else [wh]
    for h in heads:
        for c in h.children:
            if c.dep_ == "prep":
                out |= {w.i for w in c.subtree}
    return out


def _which_noun(doc: Any) -> str | None:
    """The subject noun a which/what-determiner asks about ("which team member" -> member)."""
    for t in doc:
        if t.tag_ == "WDT" and t.dep_ == "det" and t.head.dep_ in ("nsubj", "nsubjpass"):
            return str(t.head.lemma_.lower())
    return None
