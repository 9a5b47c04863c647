"""Text helpers shared by the extractors: sentence spans, speaker prefixes, word normalisation.

All functions are pure, linear in the input, and return character offsets into the text given.
"""

from __future__ import annotations

import re
import unicodedata

from storage.index_text import SPEAKER_PREFIX

__all__ = [
    "MAX_SENTENCE_CHARS",
    "PERSON_TITLES",
    "TITLE_ABBREVIATIONS",
    "split_sentences",
    "split_speaker",
    "normalise_text",
    "tokens",
    "word_set",
]

MAX_SENTENCE_CHARS = 600


def word_set(words: str) -> frozenset[str]:
    """A frozenset from a space-separated word list (keeps long vocabularies readable)."""
    return frozenset(words.split())


# Titles, ranks and offices said before a person's name ("Dr. Nair", "Captain Richter", "Sister
# Agnes", "Coach Delaney"), normalised (lower case, no dot). A title only makes a person when
# what follows it reads as a name (`memory.resolve.person_name`, `memory.extract.nlp`): "Major
# incident", "Judge panel", "General availability" stay common phrases.
TITLE_ABBREVIATIONS = word_set(
    "dr mr mrs ms mx prof capt lt sgt col gen cpl maj adm cmdr insp det supt rev fr sen gov amb hon"
    " mme mlle"
)
PERSON_TITLES = TITLE_ABBREVIATIONS | word_set(
    "miss sir dame madam lord lady doctor professor captain lieutenant sergeant colonel general "
    "corporal major admiral commander inspector detective constable officer superintendent "
    "sheriff judge justice senator governor mayor ambassador consul minister chancellor "
    "reverend pastor father sister brother rabbi imam bishop cardinal deacon elder nurse coach "
    "president "
    # the everyday honorifics of other languages, said before a name in English notes too
    "madame monsieur mademoiselle herr frau señor señora señorita signor signora senhor senhora"
)

_ABBREVIATIONS = TITLE_ABBREVIATIONS | word_set(
    "mr mrs ms dr prof sr jr st vs etc eg e.g ie i.e inc ltd co corp no approx dept est fig "
    "jan feb mar apr jun jul aug sep sept oct nov dec mt ft u.s u.k a.m p.m al cf"
)
# candidate boundary: end punctuation (plus closing quotes/brackets), then whitespace
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)|\n")
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")
_TOKEN = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)


def split_speaker(text: str, known: frozenset[str] = frozenset()) -> tuple[str | None, int]:
    """("Priya", offset of the body) for "Priya: I went ...", else (None, 0).

    The shape is `storage.index_text.SPEAKER_PREFIX` (one regex for both); the label must be
    a person's name (`memory.extract.nlp.is_person_label`) or one of the `known` speakers:
    "Risks: ...", "Owner: Alice Chen", "Next steps: ..." are field labels, not speakers."""
    from memory.extract.nlp import is_person_label

    m = SPEAKER_PREFIX.match(text[:120].lstrip())
    if m is None:
        return None, 0
    lead = len(text[:120]) - len(text[:120].lstrip())
    if m["name"] not in known and not is_person_label(
        m["name"], text[lead + m.end() : lead + m.end() + 40]
    ):
        return None, 0
    return m["name"], lead + m.end()


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the '.' at `dot` closes an abbreviation or an initial ("Dr.", "Alice C.")."""
    m = _WORD_BEFORE.search(text[max(0, dot - 12) : dot + 1])
    if m is None:
        return False
    word = m[1]
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def split_sentences(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text[start:]`, whitespace-trimmed, each at most
    MAX_SENTENCE_CHARS long. Survives abbreviations, initials, URLs, decimals and code."""
    spans: list[tuple[int, int]] = []
    cur = start
    for m in _BOUNDARY.finditer(text, start):
        if (
            m[0][0] == "."
            and len(m[0].rstrip("\"'”’)]")) == 1
            and _is_abbreviation(text, m.start())
        ):
            continue
        if m[0] == "\n" and _continues(text, m.end()):
            continue
        _emit(text, cur, m.end(), spans)
        cur = m.end()
    _emit(text, cur, len(text), spans)
    return spans


_OPEN_ENDINGS = frozenset(
    ["a", "an", "the", "of", "on", "in", "at", "to", "by", "for", "from", "with", "into", "onto", "over", "under", "about", "as", "and", "or", "but", "nor", "because", "than", "that", "which", "who", "whose", "whom", "is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "our", "their", "its", "his", "her", "my", "your", "this", "these", "those", "due", "per", "via"]
)  # fmt: skip
_LAST_WORD = re.compile(r"([A-Za-z]+)[ \t]*$")


def _continues(text: str, pos: int) -> bool:
    """A single line break continues the sentence (hard-wrapped text) when the next line goes
    on in lower case, even indented ("because replay of old\n  events is needed"), or when
    the line ends on a word no sentence ends with ("is due on\nMay 29.")."""
    line = text[pos : pos + 80]
    body = line.lstrip(" \t")
    if body[:1].islower():
        return True
    if not body[:1].isalnum():
        return False
    before = _LAST_WORD.search(text[max(0, pos - 40) : pos - 1])
    return before is not None and before[1].lower() in _OPEN_ENDINGS


def _emit(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    while e - s > MAX_SENTENCE_CHARS:  # cap: cut at the last space before the limit
        cut = text.rfind(" ", s + MAX_SENTENCE_CHARS // 2, s + MAX_SENTENCE_CHARS)
        cut = cut if cut > s else s + MAX_SENTENCE_CHARS
        out.append((s, cut))
        s = cut
        while s < e and text[s].isspace():
            s += 1
    if e > s:
        out.append((s, e))


def normalise_text(text: str) -> str:
    """Casefolded, accent-free, punctuation-free, single-spaced form for comparisons."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    return " ".join(_TOKEN.findall(t.casefold().replace("’", "'")))


def tokens(text: str) -> list[str]:
    """Normalised word tokens."""
    return normalise_text(text).split()
