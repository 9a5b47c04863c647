"""The deterministic offline extractor: sentences -> facts with entities, times, triples, opinions.

Fast (regex only; the time layer runs only where a cheap prefilter sees a time word), linear
in the input, never raises on odd text. Spans are character offsets into the text given.
"""

from __future__ import annotations

import re
from datetime import datetime

from memory.extract.entities import spot_entities
from memory.extract.patterns import find_opinion, find_triple
from memory.models import EntityMention, ExtractedFact, Extraction, FactKind
from memory.text import split_sentences, split_speaker
from memory.timeparse import find_time_expressions, has_time_word

__all__ = ["extract_offline", "MAX_TEXT_CHARS"]

MAX_TEXT_CHARS = 2_000_000
_WORD = re.compile(r"[^\W_]{2,}|\d")
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|mine|myself)\b|\bI['’](?:m|ve|d|ll)\b")
_WE = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)


def extract_offline(text: str, mentioned_at: datetime, speaker: str | None = None) -> Extraction:
    """Facts from `text`, said at `mentioned_at`, optionally by `speaker`.

    A leading "Name: " prefix names the speaker when `speaker` is not given; first-person
    statements then get the speaker as subject/holder.
    """
    warnings: list[str] = []
    if len(text) > MAX_TEXT_CHARS:
        warnings.append(f"text truncated from {len(text)} to {MAX_TEXT_CHARS} characters")
        text = text[:MAX_TEXT_CHARS]
    prefix_speaker, body = split_speaker(text)
    speaker_mention = None
    if prefix_speaker is not None:
        start = len(text) - len(text.lstrip())
        speaker_mention = EntityMention(
            prefix_speaker, "person", start, start + len(prefix_speaker)
        )
        speaker = speaker or prefix_speaker
    elif speaker:
        speaker_mention = EntityMention(speaker, "person")
    facts = []
    for s, e in split_sentences(text, body):
        if len(_WORD.findall(text, s, e)) >= 2:
            facts.append(_fact(text, s, e, mentioned_at, speaker, speaker_mention))
    return Extraction(facts=facts, extractor="offline", warnings=warnings)


def _fact(
    text: str,
    s: int,
    e: int,
    mentioned_at: datetime,
    speaker: str | None,
    speaker_mention: EntityMention | None,
) -> ExtractedFact:
    sentence = text[s:e]
    entities = spot_entities(text, s, e)
    first_person = _FIRST_PERSON.search(sentence) is not None
    known = {m.name for m in entities}
    if speaker_mention is not None and first_person and speaker_mention.name not in known:
        entities.insert(0, EntityMention(**vars(speaker_mention)))
    times = find_time_expressions(sentence, mentioned_at) if has_time_word(sentence) else []
    opinion = find_opinion(sentence, speaker)
    triple = find_triple(
        opinion.statement if opinion else sentence,
        speaker,
        [] if opinion else [sp for sp, _ in times],
    )
    fact = ExtractedFact(text=sentence, start=s, end=e, entities=entities, opinion=opinion)
    if triple is not None:
        fact.subject, fact.predicate, fact.object = triple
    if times:
        fact.occurred_start, fact.occurred_end = times[0][1].start, times[0][1].end
    fact.kind = _kind(fact, first_person or _WE.search(sentence) is not None)
    return fact


def _kind(fact: ExtractedFact, personal: bool) -> FactKind:
    if fact.opinion is not None:
        return "opinion"
    if personal:
        return "experience"
    if fact.occurred_start is not None:
        return "event"
    return "world"
