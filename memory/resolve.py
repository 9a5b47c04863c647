"""Entity resolution: is this mention an entity we know? Pure scoring, cheap path first.

Order: normalise -> hard guard (numbers/identifiers differ: never the same) -> exact/alias ->
person names (nameparser: title, first, last; "S. Kim", "Alice C.", "Sarah", "Dr. Nair",
"Bob Smith" ~ "Robert Smith" through the `nicknames` lexicon; different surnames or different
full first names never merge) -> fuzzy for other names (rapidfuzz token-set ratio) -> embedding
similarity blended with co-occurrence context -> decision. A name that fits two candidates as
well ("S. Kim" with Sarah Kim and Sam Kim) is "ambiguous" and names both; only the ambiguous
band goes to `resolve_ambiguous`, which asks an LLM and still obeys the guard.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import numpy as np
from pydantic import BaseModel
from rapidfuzz import fuzz

from memory.extract.prompts import AnswerError, parse_json_answer, repair_prompt
from memory.ports import ChatModel
from memory.text import PERSON_TITLES, TITLE_ABBREVIATIONS, normalise_text, word_set

__all__ = [
    "Mention",
    "Candidate",
    "Decision",
    "Thresholds",
    "NOT_PERSON_KINDS",
    "normalise_name",
    "names_conflict",
    "name_similarity",
    "person_name",
    "person_similarity",
    "PersonName",
    "resolve_entity",
    "resolve_prompt",
    "ResolveAnswer",
    "resolve_ambiguous",
]

_HONORIFICS = word_set("dr mr mrs ms mx prof sir dame capt rev miss madam the")


@dataclass(frozen=True)
class Mention:
    name: str
    embedding: Sequence[float] | None = None
    context: frozenset[str] = frozenset()  # names co-occurring with the mention
    kind: str = "thing"


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    embedding: Sequence[float] | None = None
    context: frozenset[str] = frozenset()  # names this entity co-occurs with
    kind: str = "thing"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Decision:
    kind: Literal["same", "new", "ambiguous"]
    entity_id: str | None = None
    score: float = 0.0
    reason: str = ""
    alternatives: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Thresholds:
    same: float = 0.9  # at or above: the same entity (when no rival is as close)
    ambiguous: float = 0.72  # between this and `same`: unclear (an LLM may settle it)
    margin: float = 0.05  # the best must beat the runner-up by this much to be "same"


# person-name scores, in resolution order (each with the rule that gives it)
PERSON_INITIAL = 0.93  # "S. Kim" ~ "Sarah Kim", "Alice C." ~ "Alice Chen": an initial fits
PERSON_NICKNAME = 0.92  # "Bob Smith" ~ "Robert Smith": nickname lexicon, same surname
PERSON_PART = 0.9  # "Sarah" ~ "Sarah Kim", "Dr. Nair" ~ "Priya Nair": one part, the rest absent
NON_PERSON_PART = 0.78  # "Atlas" ~ "Atlas Gateway": a thing's name part is only a guess
FUZZY_NO_SHARED_WORD = 0.9  # rapidfuzz ratio factor when the names share no word


@lru_cache(maxsize=262_144)  # pure; retain scores the same names over and over
def normalise_name(name: str) -> str:
    """Casefold, strip accents/punctuation/honorifics/possessives; idempotent."""
    words = normalise_text(name.replace("@", " ")).split()
    words = [w[:-2] if w.endswith("'s") else w for w in words]
    words = [w.replace(".", "").replace("'", "") for w in words]
    while len(words) > 1 and words[0] in _HONORIFICS:
        words = words[1:]
    return " ".join(w for w in words if w)


_ROMAN = re.compile(r"^(?:ii|iii|iv|vi|vii|viii|ix|xi|xii)$")


def _identifiers(norm: str) -> frozenset[str]:
    """Tokens that number or identify: with a digit, or a roman numeral after the first word
    ("Project Falcon II")."""
    toks = re.split(r"[\s-]+", norm)
    return frozenset(
        t for i, t in enumerate(toks) if any(c.isdigit() for c in t) or (i > 0 and _ROMAN.match(t))
    )


@lru_cache(maxsize=262_144)  # pure; retain scores the same names over and over
def names_conflict(a: str, b: str) -> bool:
    """Hard guard: names that differ in a number or identifier never denote the same entity
    (Room 101/Room 102, UA123/UA124, "Q3 plan"/"Q4 plan", "Room 101"/"Room")."""
    ia, ib = _identifiers(normalise_name(a)), _identifiers(normalise_name(b))
    digits_a = {re.sub(r"\D", "", t) for t in ia}
    digits_b = {re.sub(r"\D", "", t) for t in ib}
    return ia != ib or digits_a != digits_b


def _initials_match(short: list[str], full: list[str]) -> bool:
    """ "alice c" ~ "alice chen": same length, every token equal or an initial of the other."""
    if len(short) != len(full) or short == full:
        return False
    return all(
        s == f or (len(s) == 1 and f.startswith(s)) for s, f in zip(short, full, strict=True)
    )


@dataclass(frozen=True)
class PersonName:
    first: str  # "" when absent; one letter for an initial
    last: str
    title: str


_TITLES = PERSON_TITLES
# A title with a single name after it ("Captain Richter", "Sister Agnes") names a surname, or a
# given name when the candidate bears the same title ("Sister Agnes" ~ "Sister Agnes Wanjiru")


@lru_cache(maxsize=65_536)
def person_name(name: str) -> PersonName | None:
    """The parts of a name shaped like a person's (nameparser), else None: one to three
    alphabetic words (an initial may end in "."), or a title and a surname."""
    from memory.extract.entities import NAME_PARTICLES

    words = name.replace(".", ". ").split()
    if not 1 <= len(words) <= 5 or any(
        not w.replace(".", "").replace("'", "").replace("-", "").isalpha()
        or not (w[0].isupper() or 0 < i < len(words) - 1 and w in NAME_PARTICLES)
        for i, w in enumerate(words)
    ):
        return None  # names are capitalised words ("design review" is not one), but for
        # particles inside them ("Pieter van der Berg", "Khalid bin Rashid")
    from nameparser import HumanName

    title, rest = _leading_title(words)
    if title:
        if len(rest) == 1:  # "Captain Richter": one name after a title is a surname
            last = _part(rest[0])
            return PersonName("", last, title) if len(last) > 1 else None
        name = " ".join(rest)
    h = HumanName(name)
    first, last = _part(h.first), _part(h.last)
    if not title:
        title = _part(h.title)
        if title and title not in TITLE_ABBREVIATIONS and not _rank_and_name(first, last):
            return None  # nameparser's titles include "Security", "Chief", "General"...
    if h.middle and not last:
        last = _part(h.middle)
    if not first and not last:
        return None
    return PersonName(first, last, title)


def _leading_title(words: list[str]) -> tuple[str, list[str]]:
    """("captain", ["Richter"]) for "Captain Richter": a title from `PERSON_TITLES` followed
    by words that read as a name (each a given name or no common English word: "Major
    Incident", "Judge Panel" are no titled names), else ("", words)."""
    if len(words) < 2 or _part(words[0]) not in _TITLES:
        return "", words
    from memory.extract.nlp import is_common_word, is_given_name, titled_person

    rest = words[1:]
    if rest and _part(rest[0]) in _TITLES:  # "Lt. Col. Okafor": ranks run together
        rest = rest[1:]
    named = [w for w in rest if len(w.strip(".")) > 1]
    if not named:
        return "", words
    if (
        _part(words[0]) not in TITLE_ABBREVIATIONS
        and any(is_common_word(w) and not is_given_name(w) for w in named)
        and not titled_person(" ".join(words))
    ):  # a full word ("Judge", "Major") is a title only before a name; "Dr.", "Cpl." always
        return "", words
    return _part(words[0]), rest


def _rank_and_name(first: str, last: str) -> bool:
    """A rank or office before a name ("Captain Elias Moreno", "Judge Harold Finch", "Sergeant
    Okafor") is a title when what follows is a name: no part a common English word unless it
    is a given name; a surname may be one ("Finch") when a first name precedes it. "Security
    Team Lead", "General Availability", "Chief Engineer" are no names."""
    from memory.extract.nlp import is_common_word, is_given_name

    name = first or last
    return bool(last) and len(name) > 1 and (is_given_name(name) or not is_common_word(name))


def _part(text: str) -> str:
    return normalise_text(text.replace(".", " ")).replace(" ", "")


def _looks_like_person(name: str, kind: str) -> bool:
    if kind == "person":
        return True
    from memory.extract.nlp import is_given_name

    p = person_name(name)
    if p is None:
        return False
    if bool(p.title) or len(p.first) == 1 or is_given_name(p.first) and bool(p.last):
        return True
    # a first and last name the given-name lexicon lacks ("Yuki Sato", "Kenji Watanabe"): the
    # NER model decides, for names with no common English word ("Falcon Ridge" stays a thing)
    return _unlisted_person(name) if p.first and p.last else False


@lru_cache(maxsize=65_536)
def _unlisted_person(name: str) -> bool:
    from memory.extract.entities import NAME_PARTICLES
    from memory.extract.nlp import is_common_word, reads_as_person_name

    words = [w for w in name.split() if w not in NAME_PARTICLES]  # "Khalid bin Rashid"
    if len(words) == 2 and not any(is_common_word(w) for w in words):
        return reads_as_person_name(" ".join(words))
    # "Grace Mbeki", "Beatriz Costa Almeida": a given name the lexicon lacks (or that is also
    # a word), a surname that is no common word, and PERSON to the NER model in a neutral frame
    return 2 <= len(words) <= 3 and not is_common_word(words[-1]) and _ner_person(name)


def _ner_person(name: str) -> bool:
    from memory.extract.nlp import parse_ents

    doc = parse_ents(_PERSON_FRAME.format(name))
    return any(e.label_ == "PERSON" and e.text == name for e in doc.ents)


_PERSON_FRAME = "{} said hello."  # the neutral frame `memory.extract.nlp` names people in


def _same_part(a: str, b: str, nicknames: bool) -> str | None:
    """How two name parts agree: "exact", "initial", "nickname" (first names only, through
    the `nicknames` lexicon), "absent" (one side has none), or None (they differ)."""
    if not a or not b:
        return "absent"
    if a == b:
        return "exact"
    if len(a) == 1 or len(b) == 1:
        return "initial" if a[0] == b[0] else None
    if nicknames:
        from memory.extract.nlp import nickname_forms

        if b in nickname_forms(a) or a in nickname_forms(b):
            return "nickname"
    return None


def _titled_given_name(short: PersonName, full: PersonName) -> bool:
    """ "Sister Agnes" ~ "Sister Agnes Wanjiru": one name after a title, the other's given name,
    under the same title (without it, one name after a title is a surname)."""
    return (
        not short.first
        and bool(short.title)
        and short.title == full.title
        and short.last == full.first
    )


def person_similarity(a: PersonName, b: PersonName) -> tuple[float, str]:
    """(score, rule) for two person names; (0, "guard") when they cannot be one person."""
    if _titled_given_name(a, b) or _titled_given_name(b, a):
        return PERSON_PART, "title and given name"
    first, last = _same_part(a.first, b.first, True), _same_part(a.last, b.last, False)
    if first is None or last is None:
        return 0.0, "guard"
    if first == "absent" and last == "absent":
        return 0.0, "guard"  # "Sarah" vs "Kim": nothing in common
    if first == last == "exact" or (first == "exact" and not a.last and not b.last):
        return 1.0, "exact"
    if first == "absent" and last == "exact" or last == "absent" and first == "exact":
        return PERSON_PART, "name part"
    if "initial" in (first, last) and "absent" not in (first, last):
        return PERSON_INITIAL, "initial"
    if first == "nickname" and last in ("exact", "initial"):
        return PERSON_NICKNAME, "nickname"
    return 0.0, "guard"


def _token_set_ratio(a: list[str], b: list[str]) -> float:
    ratio = fuzz.token_set_ratio(" ".join(a), " ".join(b)) / 100.0
    return ratio if set(a) & set(b) else ratio * FUZZY_NO_SHARED_WORD


@lru_cache(maxsize=262_144)  # pure; retain scores the same names over and over
def name_similarity(a: str, b: str, person: bool = False) -> tuple[float, str]:
    """(score in [0, 1], how) for two names; the guard gives 0. With `person` (either side is
    known or looks like a person), person-name rules decide."""
    na, nb = normalise_name(a), normalise_name(b)
    if not na or not nb or names_conflict(na, nb):
        return 0.0, "guard"
    if na == nb:
        return 1.0, "exact"
    if person:
        pa, pb = person_name(a), person_name(b)
        if pa is not None and pb is not None:
            return person_similarity(pa, pb)
    ta, tb = na.split(), nb.split()
    if _initials_match(ta, tb) or _initials_match(tb, ta):
        return PERSON_INITIAL, "initials"
    if set(ta) < set(tb) or set(tb) < set(ta):
        return NON_PERSON_PART, "subset"
    if _other_description(a, b, ta, tb):
        return 0.0, "guard"
    return _token_set_ratio(ta, tb), "fuzzy"


# two words are one spelt differently at or above this rapidfuzz ratio ("colour"/"color")
SPELLING_VARIANT_RATIO = 80.0


def _other_description(a: str, b: str, ta: list[str], tb: list[str]) -> bool:
    """ "night shift on the cardiac ward" / "day shift on the cardiac ward", "day pass at
    Glenbeg" / "season pass at Glenbeg": two descriptions where a common noun stands in for
    another that is no spelling of it name two things of one kind. The words that differ must
    be common nouns on both sides (no capital letter: no proper name to misspell); a proper
    name both share ("Glenbeg") is no misspelling."""
    only_a, only_b = set(ta) - set(tb), set(tb) - set(ta)
    if _capitalised(a, only_a) or _capitalised(b, only_b):
        return False
    return any(all(fuzz.ratio(wa, wb) < SPELLING_VARIANT_RATIO for wb in only_b) for wa in only_a)


def _capitalised(name: str, words: set[str]) -> bool:
    """Some word of `name` among `words` (normalised) is written with a capital letter."""
    return any(w != w.lower() and normalise_name(w) in words for w in name.split())


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    va, vb = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    na, nb = float(np.linalg.norm(va)) or 1.0, float(np.linalg.norm(vb)) or 1.0
    return float(va @ vb) / (na * nb)


def _is_full(name: str) -> bool:
    p = person_name(name)
    return p is not None and len(p.first) > 1 and len(p.last) > 1


def _context_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    na, nb = {normalise_name(x) for x in a}, {normalise_name(x) for x in b}
    return len(na & nb) / len(na | nb) if na and nb else 0.0


# kinds a mention can be given by the parse that a person never is: a one-word "place"
# ("flights to Georgia") or "org" ("Grace periods") meets no person by a part of their name
NOT_PERSON_KINDS = frozenset(["place", "org"])


def _score(mention: Mention, cand: Candidate, person: bool = False) -> tuple[float, str]:
    if names_conflict(mention.name, cand.name):
        return 0.0, "guard"
    if (
        mention.kind in NOT_PERSON_KINDS
        and " " not in mention.name
        and _looks_like_person(cand.name, cand.kind)
    ):  # "flights to Georgia" meets neither Georgia Mendes nor an unlisted "Paris Whitaker"
        return 0.0, "guard"
    if mention.kind == "person" and cand.kind in NOT_PERSON_KINDS and " " not in cand.name.strip():
        return 0.0, "guard"  # "Austin repaired the brakes" is not the make "Austin" read before
    person = (
        person
        or _looks_like_person(mention.name, mention.kind)
        or _looks_like_person(cand.name, cand.kind)
    )
    scores = [name_similarity(mention.name, n, person) for n in cand.names]
    if person and _may_be_surname(mention.name, (cand,)) and _surname_shaped(mention.name):
        surnames = [_surname_alone(mention.name, n) for n in cand.names]
        scores = [max(a, b) for a, b in zip(scores, surnames, strict=True)]
    if person and any(how == "guard" for _, how in scores) and not any(s >= 1.0 for s, _ in scores):
        # one of the candidate's names is another person's ("Sam Kim" meets "S. Kim" only
        # through Sarah Kim's alias): its full names decide
        full = [sc for sc, n in zip(scores, cand.names, strict=True) if _is_full(n)]
        if any(s == 0.0 for s, _ in full):
            return 0.0, "guard"
    best, how = max(scores)
    if how == "exact" and normalise_name(mention.name) != normalise_name(cand.name):
        how = "alias"
    if (
        mention.embedding is not None
        and cand.embedding is not None
        and how not in ("exact", "alias")
    ):
        cos = _cosine(mention.embedding, cand.embedding)
        ctx = _context_overlap(mention.context, cand.context)
        blended = 0.5 * best + 0.35 * cos + 0.15 * ctx
        if blended > best:
            return blended, f"{how}+embedding"
    elif mention.context and cand.context and how not in ("exact", "alias"):
        best = min(1.0, best + 0.05 * _context_overlap(mention.context, cand.context))
    return best, how


def _may_be_surname(name: str, candidates: Sequence[Candidate]) -> bool:
    """One word that is the last word of a many-word name of some candidate (the cheap test
    before `_surname_shaped`'s parses: what the NER model reads there only matters then). A
    candidate's first word is no surname: "a Morgan roadster" meets Morgan Hale only if the
    mention itself reads as a person."""
    return _word_of_a_name(name, candidates, -1)


def _may_be_first_name(name: str, candidates: Sequence[Candidate]) -> bool:
    """One word that is the first word of a many-word name of some candidate."""
    return _word_of_a_name(name, candidates, 0)


def _word_of_a_name(name: str, candidates: Sequence[Candidate], at: int) -> bool:
    word = _part(name)
    return " " not in name.strip() and any(
        " " in n.strip() and word == _part(n.split()[at]) for c in candidates for n in c.names
    )


@lru_cache(maxsize=65_536)
def _first_name_shaped(name: str) -> bool:
    """One capitalised word without a title that the NER model reads as a PERSON in every
    speech frame."""
    from memory.extract.nlp import person_in_every_frame

    return _one_bare_word(name) and person_in_every_frame(name.strip())


@lru_cache(maxsize=65_536)
def _surname_shaped(name: str) -> bool:
    """One capitalised word without a title that the NER model reads as a PERSON in most
    speech frames and as a place in none ("Kim", "O'Sullivan", "Tanaka"): it may be said for
    a surname alone. "Ford" (an ORG to the model) and "Georgia" (a GPE) may not."""
    from memory.extract.nlp import person_in_most_frames

    return _one_bare_word(name) and person_in_most_frames(name.strip())


def _one_bare_word(name: str) -> bool:
    """One capitalised word that is no title ("Kim", not "Dr" or "kim")."""
    word = name.strip()
    return " " not in word and word[:1].isupper() and _part(word) not in _TITLES


def _surname_alone(name: str, full: str) -> tuple[float, str]:
    """ "Kim" ("Kim's plan") ~ "Sarah Kim", "O'Sullivan" ~ "Róisín O'Sullivan": one word that
    is the other's surname (`_surname_shaped` words only)."""
    p = person_name(full)
    if p is None or not p.first or len(p.last) < 2 or names_conflict(name, full):
        return 0.0, "guard"
    return (PERSON_PART, "surname") if _part(name) == p.last else (0.0, "guard")


def resolve_entity(
    mention: Mention, candidates: Sequence[Candidate], thresholds: Thresholds = Thresholds()
) -> Decision:
    """Decide whether `mention` is one of `candidates` ("same"), none ("new"), or unclear."""
    # one reading for all candidates: the mention is a person's name when it looks like one or
    # a person candidate shares a name part with it (then "Amara" meets every Amara alike)
    parts = set(normalise_name(mention.name).split())
    person = (
        _looks_like_person(mention.name, mention.kind)
        or any(
            parts & set(normalise_name(c.name).split()) and _looks_like_person(c.name, c.kind)
            for c in candidates
        )
        # "Haddad": a person's name to the NER model (asked only when a candidate's name has
        # that word: the frames cost a parse each, and most one-word mentions meet none)
        or _may_be_surname(mention.name, candidates)
        and _surname_shaped(mention.name)
        # a candidate's first word ("Élodie" of Élodie Marchand): as strict as a given name,
        # a PERSON in every frame ("Morgan", an ORG in one, is also a make: "a Morgan roadster")
        or _may_be_first_name(mention.name, candidates)
        and _first_name_shaped(mention.name)
    )
    scored = sorted(
        ((*_score(mention, c, person), c.id) for c in candidates), key=lambda x: (-x[0], x[2])
    )
    scored = [s for s in scored if s[0] > 0.0]
    if not scored:
        return Decision("new", None, 0.0, "no candidate")
    (top, how, cid), rest = scored[0], scored[1:]
    rivals = tuple(
        c for s, _, c in rest if s >= thresholds.ambiguous and top - s < thresholds.margin
    )
    if top >= thresholds.same and not rivals:
        return Decision("same", cid, top, how)
    if top >= thresholds.ambiguous:
        reason = f"{how}; {len(rivals)} close rival(s)" if rivals else how
        return Decision("ambiguous", cid, top, reason, rivals)
    return Decision("new", None, top, f"best {how} {top:.2f} below threshold")


class ResolveAnswer(BaseModel):
    entity_id: str | None  # one of the candidate ids, or null for a new entity
    reason: str = ""


def resolve_prompt(mention: Mention, candidates: Sequence[Candidate]) -> list[dict[str, str]]:
    lines = [
        f'- id={c.id!r}: "{c.name}" (aliases: {", ".join(c.aliases) or "none"};'
        f" seen with: {', '.join(sorted(c.context)[:8]) or 'nothing'})"
        for c in candidates
    ]
    system = (
        "You decide whether a name in a message refers to a known entity. Answer with ONE JSON "
        'object {"entity_id": <candidate id or null>, "reason": "..."}. Answer null unless the '
        "evidence says it is the same entity. Names that differ in a number are never the same."
    )
    user = (
        f'Name: "{mention.name}" (seen with: {", ".join(sorted(mention.context)) or "nothing"})\n'
        "Candidates:\n" + "\n".join(lines)
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


async def resolve_ambiguous(
    mention: Mention, candidates: Sequence[Candidate], lm: ChatModel, retries: int = 1
) -> Decision:
    """Ask `lm` to settle an ambiguous mention; the guard and the candidate list still bind it."""
    allowed = {c.id: c for c in candidates if not names_conflict(mention.name, c.name)}
    messages = resolve_prompt(mention, list(allowed.values()))
    for _ in range(retries + 1):
        reply = await lm.acomplete(messages)
        answer = str(getattr(reply, "text", reply))
        try:
            parsed = parse_json_answer(answer, ResolveAnswer)
            if parsed.entity_id is not None and parsed.entity_id not in allowed:
                raise AnswerError(f"entity_id {parsed.entity_id!r} is not one of {sorted(allowed)}")
        except AnswerError as e:
            messages = [
                *messages,
                {"role": "assistant", "content": answer},
                repair_prompt(e.detail),
            ]
            continue
        if parsed.entity_id is None:
            return Decision("new", None, 0.0, f"llm: {parsed.reason}")
        return Decision("same", parsed.entity_id, 1.0, f"llm: {parsed.reason}")
    return Decision("new", None, 0.0, "llm answer unusable; kept apart")
