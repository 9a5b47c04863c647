"""The deterministic offline extractor: sentences -> facts with entities, times, slots, opinions.

Two passes. A regex pass splits sentences and speaker turns and reads entities, times, opinion
cues and a rough triple for every sentence. Then the sentences that may state a slot value, a
change or a stance (`memory.extract.clauses.needs_parse`) are parsed by spaCy in one batch
(`nlp.pipe`): the parse gives their slot (subject, attribute, value, single-valued or not), the
change they state (old and new value), their stance toward a claim, and PERSON entities.
Linear in the input, never raises on odd text. Spans are character offsets into the text.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from memory.extract.entities import spot_entities
from memory.extract.patterns import find_opinion, find_triple
from memory.models import EntityMention, ExtractedFact, Extraction, FactKind
from memory.text import split_sentences, split_speaker, word_set
from memory.timeparse import find_time_expressions, has_time_word

__all__ = ["extract_offline", "extract_offline_many", "known_people", "MAX_TEXT_CHARS"]

MAX_TEXT_CHARS = 2_000_000
MAX_SPEAKER_SCAN = 200_000  # longer texts are not read as transcripts (one piece)
_WORD = re.compile(r"[^\W_]{2,}|\d")
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|mine|myself)\b|\bI['’](?:m|ve|d|ll)\b")
_WE = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)
_LINE = re.compile(r"[^\n]+")
_BULLET = re.compile(r"[ \t]*(?:[-*•+]|\d+[.)])[ \t]+")


def extract_offline(text: str, mentioned_at: datetime, speaker: str | None = None) -> Extraction:
    """Facts from `text`, said at `mentioned_at`, optionally by `speaker`.

    A leading "Name: " prefix names the speaker when `speaker` is not given and the name is a
    person's (`memory.extract.nlp.is_person_label`); first-person statements then get the
    speaker as subject/holder.
    """
    return extract_offline_many([(text, mentioned_at, speaker)])[0]


def extract_offline_many(
    items: Sequence[tuple[str, datetime, str | None]],
    people: Sequence[frozenset[str]] = (),
) -> list[Extraction]:
    """`extract_offline` for many texts, with one batched parse for all their sentences.
    `people`: for each text, the line labels its bank knows as people (`known_people`): such
    a label is a person speaking whatever the body ("Pablo: tests are marked." once Pablo
    Ruiz is known), unless the NER model reads it as a date or a place there."""
    known = [_people(p) for p in people] or [frozenset()] * len(items)
    _prime_labels(items, known)
    out = [
        _regex_pass(text, when, speaker, extra)
        for (text, when, speaker), extra in zip(items, known, strict=True)
    ]
    todo = [f for ex in out for f in ex.facts if _wants_parse(f)]
    places = [
        f for ex in out for f in ex.facts if not _wants_parse(f) and _bare_after_place_word(f)
    ]
    if todo or places:
        from memory.extract.clauses import expand_contractions
        from memory.extract.nlp import parse_many

        pieces = [clause_pieces(f.text) for f in todo]
        texts = [expand_contractions(f.text) for f in todo] + [f.text for f in places]
        docs = parse_many(texts + [expand_contractions(p) for ps in pieces for p in ps])
        piece_docs = iter(docs[len(texts) :])
        for fact, doc, ps in zip(todo, docs, pieces, strict=False):
            _apply_parse(fact, doc, [next(piece_docs) for _ in ps])
        for fact, doc in zip(places, docs[len(todo) : len(texts)], strict=True):
            _mark_places(fact, doc)  # parsed for this alone: no slot, change or stance read
    return out


# a semicolon, a colon or a dash between two clauses: the small parser reads such a sentence
# as one clause hanging off the other and often loses the second's subject ("Yusuf has left;
# the head baker is Carla"), so each side is parsed alone too
_CLAUSE_BREAK = re.compile(r"\s*;\s+|:\s+|\s+[—–-]{1,2}\s+")
# words each side needs to be a clause of its own (not "Note: ..." or "Big news: ...")
MIN_PIECE_WORDS = 3


def clause_pieces(text: str) -> list[str]:
    """The clauses of `text` split at semicolons, colons and dashes; [] when there is no such
    break, or a side is too short to be a clause."""
    parts = [p.strip() for p in _CLAUSE_BREAK.split(text) if p.strip()]
    if len(parts) < 2:
        return []
    return [p for p in parts if len(p.split()) >= MIN_PIECE_WORDS]


def _people(labels: frozenset[str]) -> frozenset[str]:
    from memory.extract.nlp import is_dated_or_place

    return frozenset(
        x for x in labels if not any(c.isdigit() for c in x) and not is_dated_or_place(x)
    )


def known_people(text: str, is_person: Callable[[str], bool]) -> frozenset[str]:
    """The line labels of `text` ("Pablo" of "Pablo: tests are marked.") for which
    `is_person` (the bank: a person of that name is known) says yes."""
    from storage.index_text import SPEAKER_PREFIX

    labels = {
        m["name"]
        for s, e in _label_lines(text)
        if (m := SPEAKER_PREFIX.match(_BULLET.sub("", text[s:e], count=1).lstrip()))
    }
    return frozenset(x for x in labels if is_person(x))


LABEL_ROUNDS = 6  # a label check parses at most 5 frames one after another (title, veto, ...)
LABEL_PRIME_TEXTS = 16  # texts primed together: their frames stay inside the 256-Doc cache


def _prime_labels(
    items: Sequence[tuple[str, datetime, str | None]], people: Sequence[frozenset[str]]
) -> None:
    """Parse the frames the speaker-label checks (`is_person_label`) of these texts will ask
    for in a few batches, before the regex pass asks for them one at a time: each round runs
    every text's line labels with parses deferred (`deferring_parses`), collecting the next
    frame each undecided label needs, and parses them all at once. Decided labels are cached
    by the checks themselves; nothing else is kept, so the regex pass then runs as before."""
    from memory.extract.nlp import ParseDeferred, deferring_parses, parse_wanted

    for g in range(0, len(items), LABEL_PRIME_TEXTS):
        group = [
            (t, (frozenset([s]) if s else frozenset()) | extra)
            for (t, _, s), extra in zip(
                items[g : g + LABEL_PRIME_TEXTS], people[g : g + LABEL_PRIME_TEXTS], strict=True
            )
        ]
        for _ in range(LABEL_ROUNDS):
            wanted: list[str] = []
            for text, known in group:
                for start, end in _label_lines(text):
                    line = _BULLET.sub("", text[start:end], count=1)
                    with contextlib.suppress(ParseDeferred), deferring_parses(wanted):
                        split_speaker(line, known)
            if not wanted:
                break
            parse_wanted(wanted)


def _label_lines(text: str) -> list[tuple[int, int]]:
    """Where the regex pass reads speaker labels: each line (`_speaker_segments`), or the
    whole text when it has one line (`_segment_facts`)."""
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text[:MAX_SPEAKER_SCAN])]
    return lines if len(lines) >= 2 else [(0, len(text))]


def _regex_pass(
    text: str, mentioned_at: datetime, speaker: str | None, people: frozenset[str] = frozenset()
) -> Extraction:
    warnings: list[str] = []
    if len(text) > MAX_TEXT_CHARS:
        warnings.append(f"text truncated from {len(text)} to {MAX_TEXT_CHARS} characters")
        text = text[:MAX_TEXT_CHARS]
    facts = []
    known = (frozenset([speaker]) if speaker else frozenset()) | people
    for seg_start, seg_end, seg_speaker in _speaker_segments(text, known):
        facts.extend(
            _segment_facts(text, seg_start, seg_end, mentioned_at, seg_speaker or speaker, known)
        )
    return Extraction(facts=facts, extractor="offline", warnings=warnings)


def _wants_parse(f: ExtractedFact) -> bool:
    from memory.extract.clauses import needs_parse

    return len(f.text) <= 400 and needs_parse(f.text)


def _apply_parse(fact: ExtractedFact, doc: Any, pieces: Sequence[Any] = ()) -> None:
    """Slot, change, stance and PERSON entities from the parse of the fact's sentence. A
    single-valued slot read from one of its `pieces` (`clause_pieces`, parsed alone) stands
    when the whole sentence gives neither such a slot nor a change."""
    from memory.extract.amounts import heading_qualifier
    from memory.extract.clauses import read_clause
    from memory.extract.stance import read_stance

    sents = list(doc.sents)
    clause = next((c for s in sents if (c := read_clause(s, fact.speaker))), None)
    if clause is None or not clause.functional and clause.change is None:
        apart = [c for d in pieces for s in d.sents if (c := read_clause(s, fact.speaker))]
        clause = next((c for c in apart if c.functional), clause)
    if clause is not None and clause.functional and (qual := heading_qualifier(doc)) is not None:
        clause.attribute = f"{clause.attribute} {qual}"  # "Saturday hours: ..." (amounts)
    if clause is not None:
        fact.subject, fact.predicate, fact.object = clause.subject, clause.attribute, clause.value
        fact.functional, fact.change = clause.functional, clause.change
        fact.targets = [t for t in clause.targets if t != clause.subject]
        fact.cues = list(clause.cues)
        fact.owner_implicit = clause.owner_implicit
    fact.stance = read_stance(doc)
    _mark_people(fact, doc)
    _mark_places(fact, doc)


# prepositions of place, after which a bare capitalised name is seldom a person ("an office in
# Austin", "the embassy in Jordan"): such a mention is parsed, and is a place when the NER model
# says GPE or LOC there (the parse decides, not the word).
_PLACE_PREPOSITIONS = r"(?:in|at|near|across|into|around|throughout|via)"
# prepositions of direction: after them a name is a place ("leaves for Georgia", "flew to
# Florence", "travel advice for Georgia") as often as a person ("the keys to Georgia", "thanks
# to Florence", "forwarded the contract to Jordan"), so the dependency arcs decide
# (`_direction_place`), never the NER label alone
_DIRECTION_PREPOSITIONS = r"(?:to|towards?|for|from)"
_BARE_AFTER = re.compile(
    rf"\b(?:{_PLACE_PREPOSITIONS}|{_DIRECTION_PREPOSITIONS})\s+$", re.IGNORECASE
)
_AFTER_PLACE_PREPOSITION = re.compile(rf"\b{_PLACE_PREPOSITIONS}\s+$", re.IGNORECASE)
_PLACE_NER = frozenset(["GPE", "LOC"])
# verbs of travel and transport, whose "to"/"from"/"for" names a destination or an origin
# ("flew to Florence", "leaves for Georgia", "ship the crates to Sydney", "export the cheese to
# Florence"); verbs of giving and
# telling ("gave", "forwarded", "said") take a person there
_MOTION_VERBS = word_set(
    "go come fly travel move leave return head drive sail ride walk relocate commute emigrate "
    "migrate arrive depart ship transport cycle hike journey voyage tour export import deport "
    "evacuate"
)
# their nouns: a journey, a vehicle or a route names where it goes ("travel advice for
# Georgia", "the ferry to Victoria"); other nouns take people as often ("thanks to Florence",
# "a gift for Georgia", "a note from Jordan")
_TRAVEL_NOUNS = word_set(
    "travel trip flight ferry train bus coach route road journey voyage shipment cruise tour "
    "visit move relocation passage crossing ticket fare boat ship plane"
)


# prepositions whose object is a location far more often than a person: a one-word name there
# is a place unless the NER model reads it as a PERSON ("an office in Lincoln", the model's ORG;
# "stored in Florence"), or the preposition hangs off a word of trust or interest ("confidence
# in Jordan"). "at", "near", "into", "via" take people too ("waved at Chelsea", "sat near
# Florence", "ran into Austin"): after them the NER model must say GPE or LOC
_LOCATIVE = frozenset(["in", "throughout", "across", "around"])
_IN_A_PERSON = word_set("believe trust confidence faith interest pride invest")
# verbs whose direct object is where one goes: "toured Florence", "explored Lincoln". The object
# is a place unless the NER model reads a PERSON; of "visit", "leave", "reach", "enter", which
# take people as often ("visited Florence in hospital", "left Austin a note"), only when the
# NER model reads a place there (it reads "Lincoln" as an ORG whether visited in hospital or
# on business: that says nothing)
_PLACE_OBJECT_VERBS = word_set("tour explore cross traverse depart")
_PLACE_OR_PERSON_OBJECT_VERBS = word_set("visit leave reach enter")
_BEFORE_OBJECT = re.compile(
    r"\b(?:tour|explor|cross|travers|depart|visit|leav|left|reach|enter)\w*\s+$", re.IGNORECASE
)
_ORG_NER = frozenset(["ORG", "PRODUCT", "FAC", "NORP"])


def _bare_after_place_word(fact: ExtractedFact) -> bool:
    """A one-word name mention right after a preposition of place or direction or a verb of
    touring, or right before a common noun it may modify ("Our Paris office", "Grace
    periods", "the old Austin van")."""
    return any(
        _name_shaped(m)
        and (
            _follows_place_word(fact, m, _AFTER_PLACE_PREPOSITION)
            or _follows_place_word(fact, m)
            or _follows_place_word(fact, m, _BEFORE_OBJECT)
            or _before_common_noun(fact, m)
        )
        for m in fact.entities
    )


def _name_shaped(m: EntityMention) -> bool:
    """One word shaped like a given name ("Georgia", "Paris"; not "RabbitMQ", "Kestrel-20",
    "gRPC"): only such a mention can meet a person by a part of their name, so only it is
    worth parsing for a place reading."""
    w = m.name
    return m.kind in ("person", "thing") and w.isalpha() and w[:1].isupper() and w[1:].islower()


_NEXT_WORD = re.compile(r" ([a-z]+)\b")


def _before_common_noun(fact: ExtractedFact, m: EntityMention) -> bool:
    """The mention is followed by a lower-case word that is an English noun and no verb
    ("office", "periods"; not "opened", "said", "fans"), or, inside the sentence, by any
    English noun when the mention is a given name ("the old Austin van", "Our Lincoln
    branch", "two Austin trucks"; a name opening the sentence before a noun that is also a
    verb is its subject: "Jordan thinks"): it may be a modifier, not a name."""
    from memory.extract.nlp import is_common_noun, is_noun

    nxt = _NEXT_WORD.match(fact.text, m.end - fact.start)
    if nxt is None:
        return False
    inside = m.start > fact.start and m.kind == "person"  # a given name: it may meet a person
    return is_common_noun(nxt[1]) or inside and is_noun(nxt[1])


def _follows_place_word(
    fact: ExtractedFact, m: EntityMention, pattern: re.Pattern[str] = _BARE_AFTER
) -> bool:
    at, end = m.start - fact.start, m.end - fact.start
    if fact.text[end : end + 2] in ("'s", "’s"):  # "at Nadia's": her place, not a place name
        return False
    return 0 < at <= len(fact.text) and pattern.search(fact.text[max(0, at - 14) : at]) is not None


def _mark_places(fact: ExtractedFact, doc: Any) -> None:
    """One-word mentions the parse reads as a place become places: after a preposition of
    place when the NER model says GPE or LOC ("a bureau in Austin"), after one of direction
    when `_direction_place` says so. Georgia the country is not Georgia Mendes."""
    places = {e.text for e in doc.ents if e.label_ in _PLACE_NER}
    for m in fact.entities:
        if " " in m.name:
            continue
        tok = _token_at(doc, m.start - fact.start)
        _mark_modifier(m, tok)  # "to Victoria station": the name modifies the place's noun
        if not _follows_place_word(fact, m):
            _mark_place_object(m, tok)
            continue
        if _follows_place_word(fact, m, _AFTER_PLACE_PREPOSITION):
            given = m.kind == "person"  # the wider reading for given names only
            if (m.name in places or given and _locative(tok)) and not _in_a_person(tok):
                m.kind = "place"
        elif _direction_place(tok):
            m.kind = "place"


def _locative(tok: Any) -> bool:
    """The object of "in" (`_LOCATIVE`) that the NER model reads as no PERSON, where "in"
    hangs off no word of trust or interest ("an office in Lincoln", "stored in Florence"; not
    "confidence in Jordan")."""
    if tok is None or tok.dep_ != "pobj" or tok.ent_type_ == "PERSON":
        return False
    return tok.head.lower_ in _LOCATIVE


def _in_a_person(tok: Any) -> bool:
    """ "confidence in Florence", "we trust in Austin": "in" after a word of trust or interest
    takes a person, whatever the NER model reads there (GPE for "Florence")."""
    return (
        tok is not None
        and tok.dep_ == "pobj"
        and tok.head.lower_ == "in"
        and tok.head.head.lemma_.lower() in _IN_A_PERSON
    )


def _mark_place_object(m: EntityMention, tok: Any) -> None:
    """A one-word given name that is the direct object of a verb of touring (`_PLACE_OBJECT_VERBS`:
    "The orchestra toured Florence") and no PERSON to the NER model, or of "visit", "leave",
    "reach", "enter" and a place to it ("visited Savannah", its GPE), is a place."""
    if tok is None or tok.dep_ != "dobj" or tok.head.pos_ != "VERB" or m.kind != "person":
        return
    verb = tok.head.lemma_.lower()
    touring = verb in _PLACE_OBJECT_VERBS and tok.ent_type_ != "PERSON"
    if touring or verb in _PLACE_OR_PERSON_OBJECT_VERBS and tok.ent_type_ in _PLACE_NER:
        m.kind = "place"


def _mark_modifier(m: EntityMention, tok: Any) -> None:
    """A one-word name that modifies a common noun and that the NER model reads as a place or
    an organisation there ("Our Paris office", "Grace periods") names no person: a "place" or
    an "org" (`memory.resolve` lets neither meet a person by a part of their name)."""
    if tok is None or tok.dep_ != "compound" or tok.head.pos_ != "NOUN":
        return
    # a given name before its noun may be the make, the firm, the product ("Austin trucks")
    given = m.kind == "person" and (
        tok.ent_type_ in _ORG_NER or _swallowed_noun(tok) or tok.head.tag_ == "NNS"
    )
    if tok.ent_type_ in _PLACE_NER:
        m.kind = "place"
    elif tok.ent_type_ == "ORG" or given:
        m.kind = "org"


def _swallowed_noun(tok: Any) -> bool:
    """The NER model's PERSON that runs on over the common noun the name modifies ("the old
    Austin van" read as one PERSON "Austin van"): a make or a firm before its product, no
    person. A plural head ("two Austin trucks", "the Chelsea buns") names a kind of thing
    too (`_mark_modifier`)."""
    if tok.ent_type_ != "PERSON":
        return False
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    return ent is not None and ent.start <= tok.head.i < ent.end and tok.head.is_lower


def _token_at(doc: Any, offset: int) -> Any:
    return next((t for t in doc if t.idx == offset), None)


def _direction_place(tok: Any) -> bool:
    """The object of "to"/"for"/"from" is a place when the NER model does not call it a
    PERSON, the preposition is no recipient ("dative": "gave the keys to Georgia") and it
    hangs off a verb of travel ("flew to Florence", "leaves for Georgia", "flying back from
    Paris"), or off a noun of travel when the NER model says GPE or LOC ("travel advice for
    Georgia", "the ferry to Victoria"; not "thanks to Sydney")."""
    if tok is None or tok.dep_ != "pobj" or tok.ent_type_ == "PERSON":
        return False
    prep = tok.head
    if prep.dep_ == "dative" or prep.lower_ not in ("to", "toward", "towards", "for", "from"):
        return False
    head = prep.head
    # "flying back from Paris". spaCy makes a new Token object on every `.head`, so the root
    # (its own head) is found by index: `is not` never ended the loop at an ADV/ADP root
    # ("Back to Paris!" hung ingest)
    while head.pos_ in ("ADV", "ADP", "PART") and head.head.i != head.i:
        head = head.head
    if head.pos_ == "VERB":
        return head.lemma_.lower() in _MOTION_VERBS
    # a journey "to" somewhere goes there whatever the NER model reads ("The school trip to
    # Florence", its ORG); "for"/"from" take people after such nouns too ("the ticket for
    # Florence", "a visit from Georgia"): the model must read a place
    towards = prep.lower_ in ("to", "toward", "towards")
    if head.pos_ != "NOUN" or not (tok.ent_type_ in _PLACE_NER or towards):
        return False
    nouns = [head, *(c for c in head.children if c.dep_ == "compound")]
    return any(n.lemma_.lower() in _TRAVEL_NOUNS for n in nouns)


def _mark_people(fact: ExtractedFact, doc: Any) -> None:
    """PERSON entities of the parse: the regex mentions they cover become people."""
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        for m in fact.entities:
            if m.kind == "thing" and (m.name in ent.text or ent.text in m.name):
                m.kind = "person"


def _speaker_segments(
    text: str, known: frozenset[str] = frozenset()
) -> list[tuple[int, int, str | None]]:
    """(start, end, speaker) pieces of `text`.

    The whole text is one piece unless one of its lines opens with a person speaking
    ("Priya: ...", "- Priya: ..."), as in a transcript or meeting notes. Then a piece starts at
    each line opening with a label ("Priya:", "Risks:") and after each blank line, and takes
    the lines that continue it (wrapped text): "I think" is attributed to the right person.
    """
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text[:MAX_SPEAKER_SCAN])]
    if len(lines) < 2:
        return [(0, len(text), None)]
    owned = [split_speaker(_BULLET.sub("", text[s:e], count=1), known)[0] for s, e in lines]
    if not any(owned) or len(text) > MAX_SPEAKER_SCAN:
        return [(0, len(text), None)]
    pieces: list[tuple[int, int, str | None]] = []
    for (s, e), name in zip(lines, owned, strict=True):
        starts = not pieces or name or _LABEL.match(text, s, e) or "\n\n" in text[pieces[-1][1] : s]
        if starts:
            pieces.append((s, e, name))
        else:
            pieces[-1] = (pieces[-1][0], e, pieces[-1][2])
    return pieces


def _segment_facts(
    text: str,
    start: int,
    end: int,
    mentioned_at: datetime,
    speaker: str | None,
    known: frozenset[str] = frozenset(),
) -> list[ExtractedFact]:
    """Facts from text[start:end]; a leading "Name: " (after an optional bullet) names the
    speaker of the piece, whose body starts after it."""
    lead = _BULLET.match(text, start)
    body_at = lead.end() if lead else start
    prefix_speaker, offset = split_speaker(text[body_at:end], known)
    label_end = _label_end(text, body_at, end) if prefix_speaker is None else -1
    speaker_mention = None
    if prefix_speaker is not None:
        at = body_at + len(text[body_at:end]) - len(text[body_at:end].lstrip())
        speaker_mention = EntityMention(prefix_speaker, "person", at, at + len(prefix_speaker))
        speaker = speaker or prefix_speaker
        body_at += offset
    elif speaker:
        speaker_mention = EntityMention(speaker, "person")
    piece = text[:end]
    facts = [
        _fact(piece, s, e, mentioned_at, speaker, speaker_mention)
        for s, e in split_sentences(piece, body_at if prefix_speaker else start)
        if len(_WORD.findall(piece, s, e)) >= 2
    ]
    for f in facts:  # "Risks: ...", "Owner: Alice Chen": the label is no entity
        f.entities = [
            m
            for m in f.entities
            if not (0 <= m.start < label_end or _is_label(piece, m)) or _place_label(m)
        ]
    return facts


def _place_label(m: EntityMention) -> bool:
    """A place opening a line as its label ("Lisbon: we opened the second office") is no
    speaker and no field name: it stays, as the place the line is about."""
    from memory.extract.nlp import is_place_label

    if m.start < 0 or not is_place_label(m.name):
        return False
    m.kind = "place"
    return True


def _is_label(text: str, m: EntityMention) -> bool:
    """A capitalised word opening a line and followed by ":" ("Blocker: ...") names a field,
    unless it is a person's name."""
    if m.start < 0 or m.kind == "person" or text[m.end : m.end + 1] != ":":
        return False
    line = text.rfind("\n", 0, m.start) + 1
    return _BULLET.sub("", text[line : m.start], count=1).strip() == ""


_LABEL = re.compile(
    r"[ \t]*(?:[-*•+][ \t]+)?[A-Z][\w'’.-]*(?: [A-Za-z][\w'’.-]*){0,2}[ \t]*:(?:[ \t]|$)"
)


def _label_end(text: str, start: int, end: int) -> int:
    """End of a leading "Label:" that is not a speaker (a field name), else -1."""
    m = _LABEL.match(text, start, end)
    return m.end() if m else -1


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
    fact = ExtractedFact(
        text=sentence, start=s, end=e, entities=entities, opinion=opinion, speaker=speaker
    )
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
