"""Entity spotting for the offline extractor: names, handles, identifiers, product names.

Pure regex passes over one sentence; offsets are into the full text. No dictionary of people:
capitalised runs minus common words (sentence-initial "Hey", "Thanks", months, weekdays).
"""

from __future__ import annotations

import re

from memory.models import EntityMention
from memory.text import PERSON_TITLES, TITLE_ABBREVIATIONS, word_set

__all__ = ["spot_entities", "COMMON_WORDS", "NAME_PARTICLES"]

COMMON_WORDS = word_set(
    "a an the i i'm i've i'd i'll me my mine we we're we've our us you you're your he she it it's "
    "its they they're their them this that these those there here what when where who why how "
    "which hey hi hello hiya yo bye goodbye thanks thank thx yes yeah yep no nope ok okay oh wow "
    "sure well so and but or if then also just still anyway anyways actually really great good "
    "nice cool awesome amazing sorry please congrats congratulations happy glad lol haha omg "
    "btw fyi imo today tomorrow yesterday tonight morning evening night last next this every "
    "in on at of for to from with by about as after before since until during while because "
    "absolutely definitely maybe perhaps probably honestly totally exactly right true "
    "is are was were be been do does did have has had can could will would should may might must "
    "let let's lets not don't didn't can't won't isn't wasn't aren't it'd that's there's what's "
    "dear mom dad mum guys everyone everybody someone something anything nothing all some any "
    "one two three first second new old big small my hope love like see look check guess think "
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday spring summer fall autumn winter "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun "
    "q1 q2 q3 q4 api ok lgtm tbh idk"
)
# a title before a name, abbreviated with a dot or not ("Dr. Nair", "Sgt Ramirez", "Rev. Adeyemi")
_HONORIFIC = (
    r"(?:(?:"
    + "|".join(
        sorted(
            (t.capitalize() for t in TITLE_ABBREVIATIONS | {"sir", "dame"}), key=len, reverse=True
        )
    )
    + r")\.?\s+)"
)
# capital letters of the Latin, Greek and Cyrillic scripts: names start with "É", "Ø", "Ł", "Ş"
# as well as "A"-"Z" ("Élodie Marchand", "Øyvind Berg", "Łukasz Nowak")
_UPPER = "[" + "".join(re.escape(c) for c in map(chr, range(0x41, 0x530)) if c.isupper()) + "]"
_CAP = _UPPER + r"[\w'’&-]*"
NAME_PARTICLES = word_set(
    "de la le del della di dos das van von der den du da bin binti bint ibn al el"
)
# particles inside a name: "Pieter van der Berg", "Khalid bin Rashid", "Amélie de Villiers"
_PARTICLE = (
    r"(?:of|the|de|la|le|del|della|di|dos|das|van|von|der|den|du|da|bin|binti|bint|ibn|al|el|&)"
)
# "S. Kim", "P. van der Berg": an initial before a capitalised word or a particle
_INITIAL = rf"{_UPPER}\.(?=\s+(?:{_PARTICLE}\s+)*{_UPPER})"
_NAME = re.compile(
    rf"\b{_HONORIFIC}?(?:{_INITIAL}|{_CAP})(?:\s+(?:(?:{_PARTICLE}\s+)+)?"
    rf"(?:{_CAP}(?:\.(?=\s|$)(?<=\b{_UPPER}\.))?))*"
)
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_][\w.-]*[A-Za-z0-9_]")
_IDENT = re.compile(r"\b[A-Z]{1,5}(?:-\d+|\d{2,})[A-Za-z]?\b")
# "Room 101", "Build 4512", "Python 3.12", "Atlas v2", "Kubernetes 1.29", "iPhone 15",
# "Server db-04", "Host ci-runner-3", "Bay A7", "Case 2024-117": a name and the identifier that follows it are
# one name (the number makes it distinct: "Server db-04" is not the server of "Server db-03")
_NUMBERED = re.compile(
    r"\b(?P<w>[A-Z][A-Za-z]+|[a-z]{1,3}[A-Z][A-Za-z]+)\s+"
    r"(?:#?\d+(?:[.-]\d+)*[A-Za-z]?|[vV]\d+(?:\.\d+)*|[A-Za-z]+(?:-[A-Za-z]+)*-\d+[A-Za-z]?"
    r"|[A-Z]{1,3}\d+[A-Za-z]?)(?![\w.]*\w)"
)
_PRODUCT = re.compile(
    r"\b(?:[A-Z][a-z]+[A-Z][A-Za-z0-9]*|[a-z]{1,3}[A-Z][A-Za-z0-9]+|[A-Z]{2,}[a-z]*[A-Z]*\d*)\b"
)
_ORG_SUFFIX = word_set(
    "inc inc. ltd ltd. llc corp corp. co co. gmbh ag plc labs technologies systems group "
    "university college institute foundation bank hospital school company agency"
)
_PLACE_SUFFIX = word_set(
    "street st avenue ave road rd city park lake river island islands beach mountain mountains "
    "museum airport station valley county state bay coast hills village town centre center"
)


def _trim(text: str, s: int, e: int, sentence_start: int) -> tuple[int, int]:
    """Drop common words from the ends of a capitalised run ("Hey Mel" -> "Mel")."""
    words = list(re.finditer(r"\S+", text[s:e]))
    lo, hi = 0, len(words)
    while lo < hi and words[lo][0].lower().strip("'’") in COMMON_WORDS:
        if lo < hi - 1 and any(c.isdigit() for c in words[lo][0]):
            break  # "Q3 Roadmap": a numbering word before a name is part of it
        lo += 1
    while hi > lo and words[hi - 1][0].lower().strip("'’") in COMMON_WORDS:
        hi -= 1
    if lo >= hi:
        return s, s
    ns, ne = s + words[lo].start(), s + words[hi - 1].end()
    for suffix in ("'s", "’s"):
        if text[ns:ne].endswith(suffix):
            ne -= 2
    return ns, ne


def _kind(name: str, how: str) -> str:
    last = name.split()[-1].lower()
    if how == "handle":
        return "person"
    if how in ("ident", "numbered"):
        return "identifier"
    if last in _ORG_SUFFIX or " & " in name:  # "Kim & Partners", "O'Brien & Daughters"
        return "org"
    if last in _PLACE_SUFFIX:
        return "place"
    if how == "product":
        return "product"
    if re.match(_HONORIFIC, name) or _INITIAL_NAME.match(name) or _titled(name):
        return "person"
    return "person" if _given_name_first(name) else "thing"


_INITIAL_NAME = re.compile(rf"^{_UPPER}\.\s+{_UPPER}[^\W\d_]")


def _titled(name: str) -> bool:
    """ "Captain Elias Moreno", "Judge Harold Finch": a rank or office before a name."""
    from memory.resolve import person_name

    p = person_name(name) if len(name.split()) >= 2 else None
    return p is not None and bool(p.title)


def _given_name_first(name: str) -> bool:
    """ "Sarah Kim", "Jon": a run of at most three words opening with a given name."""
    from memory.extract.nlp import is_given_name

    words = name.split()
    return 1 <= len(words) <= 3 and words[0].isalpha() and is_given_name(words[0])


# words that follow a verb, never a name in subject position: "Mark the invoices", "Will the
# harp arrive?", "Bill every client" (a name opening a sentence is followed by its verb)
_AUXILIARIES = word_set("will can may must shall should would could might do does did")
_DETERMINERS = word_set(
    "the a an this that these those all every each your my our their his her its"
)


def _opening_verb(text: str, s: int, e: int, sentence_start: int) -> bool:
    """A one-word capitalised run opening the sentence that is an English verb (WordNet) or
    an auxiliary and is followed by a determiner ("Mark the unpaid invoices", "Will the harp
    arrive?") is the sentence's verb, not a given name ("Mark Olsen", "Mark said ...")."""
    if text[sentence_start:s].strip() or " " in text[s:e]:
        return False
    nxt = text[e : e + 12].split()
    if not nxt or nxt[0].lower() not in _DETERMINERS:
        return False
    from memory.extract.nlp import is_common_verb

    word = text[s:e].lower()
    return word in _AUXILIARIES or is_common_verb(word)


def _after_imperative(text: str, s: int, e: int, sentence_start: int) -> int:
    """Where the name starts in a capitalised run opening the sentence with an imperative
    verb ("Ask Hope whether ...", "Call Sarah Kim"): after the verb, when the first word is an
    English verb, no given name and no title, and the parse tags it a base-form VERB. Rare,
    so parsing the sentence here costs little; "Mark Olsen", "Will Turner" are left alone."""
    first = text[s:e].split(maxsplit=1)
    if len(first) < 2 or text[sentence_start:s].strip():
        return s
    from memory.extract.nlp import is_common_verb, is_given_name, parse

    word = first[0]
    if not is_common_verb(word) or is_given_name(word) or word.lower() in PERSON_TITLES:
        return s
    sentence = text[s : min(len(text), s + 200)]
    tok = parse(sentence)[0]
    if tok.pos_ == "VERB" and tok.tag_ == "VB":
        return s + len(word) + len(text[s + len(word) : e]) - len(text[s + len(word) : e].lstrip())
    return s


def spot_entities(text: str, start: int, end: int) -> list[EntityMention]:
    """Entity mentions in text[start:end], longest first on overlap, ordered by offset."""
    found: list[tuple[int, int, str]] = []
    for how, pat in (("handle", _HANDLE), ("ident", _IDENT), ("numbered", _NUMBERED)):
        for m in pat.finditer(text, start, end):
            if how == "numbered" and m["w"].lower() in COMMON_WORDS:
                continue
            found.append((m.start(), m.end(), how))
    for how, pat in (("product", _PRODUCT), ("name", _NAME)):
        for m in pat.finditer(text, start, end):
            s, e = _trim(text, m.start(), m.end(), start)
            if how == "name":
                s = _after_imperative(text, s, e, start)
            if e - s >= 2 and not (how == "name" and _opening_verb(text, s, e, start)):
                found.append((s, e, how))
    return _select(text, found) or _lower_case_names(text, start, end)


_LOWER_WORD = re.compile(r"(?<![\w@#/.-])[a-z][a-z'’-]{2,}(?![\w@/-])")


def _lower_case_names(text: str, start: int, end: int) -> list[EntityMention]:
    """Given names in a sentence typed all in lower case ("ok so sarah said the claims are
    approved"): `memory.extract.nlp.is_lower_case_name` ("sarah", "kate"; not "will", "mark").
    In text with capitals, capitals decide."""
    if any(c.isupper() for c in text[start:end]):
        return []
    from memory.extract.nlp import is_lower_case_name

    return [
        EntityMention(m[0].title(), "person", m.start(), m.end())
        for m in _LOWER_WORD.finditer(text, start, end)
        if m[0] not in COMMON_WORDS and is_lower_case_name(m[0])
    ]


def _select(text: str, found: list[tuple[int, int, str]]) -> list[EntityMention]:
    found.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
    kept: list[tuple[int, int, str]] = []
    for s, e, how in found:
        if all(e <= ks or s >= ke for ks, ke, _ in kept):
            kept.append((s, e, how))
    kept.sort()
    return [EntityMention(text[s:e], _kind(text[s:e], how), s, e) for s, e, how in kept]
