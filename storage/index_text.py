"""What the indexes see for a fact: the fact in its episode context (contextual retrieval).

A fact is one sentence cut out of an episode ("It was much faster." from "Priya: We tried the
new cache yesterday. It was much faster."). Alone it has lost its speaker and its topic, so
the indexes would never match "What did Priya find faster?". Each fact is therefore indexed
with context taken from its own episode, while the fact's stored text stays the sentence:

- vector text: the sentence with its speaker ("Priya: It was much faster."), sentence-level
  so the embedding stays specific;
- keyword text: the passage around the sentence (the whole episode when it is short), with the
  speaker, so BM25 matches words said anywhere in the same turn or paragraph; a passage that
  opens its episode is preceded by the tail of the turn before it (`before`, looked up by
  `storage.passages`), because a reply is about what was just said.

Pure functions; SQL lookups for facts indexed without context live in `storage.store`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "FactContext",
    "fact_context",
    "speaker_at",
    "passage_key",
    "PASSAGE_CHARS",
    "SPEAKER_PREFIX",
    "DETECT",
]

PASSAGE_CHARS = 400  # context on each side of the sentence; shorter episodes are taken whole
# "Name: " opening a line (after an optional bullet): the one speaker shape of engram. Whether
# the name is a person's is decided in memory (memory.text.split_speaker); here, where facts
# indexed without their extraction are re-indexed, any such label counts.
SPEAKER_PREFIX = re.compile(r"(?P<name>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,2})[ \t]*:[ \t]+")
_BULLET = re.compile(r"[ \t]*(?:[-*•+][ \t]+)?")


@dataclass(frozen=True)
class FactContext:
    vector_text: str
    keyword_text: str


def speaker_at(text: str, pos: int) -> str | None:
    """The label opening the line holding `pos` ("Priya: ..."), if any."""
    line_start = text.rfind("\n", 0, max(0, pos)) + 1
    lead = _BULLET.match(text, line_start)
    at = lead.end() if lead else line_start
    m = SPEAKER_PREFIX.match(text, at, min(len(text), at + 80))
    return m["name"] if m else None


DETECT = "\x00detect"  # fact_context: read the speaker from the episode text


def _passage(text: str, start: int, end: int, chars: int) -> tuple[int, int]:
    if len(text) <= 2 * chars + (end - start):
        return 0, len(text)
    lo, hi = max(0, start - chars), min(len(text), end + chars)
    if lo > 0:  # snap to whole words
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else start
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else end
    return lo, hi


def passage_key(episode_len: int, start: int, chars: int = PASSAGE_CHARS) -> int:
    """Which passage of its episode a fact belongs to (0 for every fact of a short episode):
    recall shows one hit per (episode, passage)."""
    if start < 0 or episode_len <= 2 * chars:
        return 0
    return start // (2 * chars)


def fact_context(
    fact_text: str,
    episode_text: str,
    start: int,
    end: int,
    chars: int = PASSAGE_CHARS,
    *,
    before: str = "",
    speaker: str | None = DETECT,
) -> FactContext:
    """Index texts for the fact `fact_text` found at episode_text[start:end] (start < 0: unknown
    span, the fact is indexed alone). `before`: the preceding turn's tail, keyword text only.
    `speaker`: who said it, as extraction decided (None: nobody); by default the label opening
    the fact's line."""
    if start < 0 or end > len(episode_text) or not episode_text:
        return FactContext(fact_text, fact_text)
    if speaker == DETECT:
        speaker = speaker_at(episode_text, start)
    said = f"{speaker}: " if speaker and not fact_text.startswith(f"{speaker}:") else ""
    lo, hi = _passage(episode_text, start, end, chars)
    passage = episode_text[lo:hi].strip()
    if speaker and lo > episode_text.rfind("\n", 0, start) + 1:  # the passage cut the name off
        passage = f"{speaker}: {passage}"
    if before and lo == 0 and passage:
        passage = f"{before}\n{passage}"
    return FactContext(f"{said}{fact_text}", passage or fact_text)
