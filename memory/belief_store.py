"""Beliefs as stored records: linking evidence to the belief it concerns, with its stance.

A statement is evidence about an existing belief when it concerns the same proposition: the
belief's topic phrase appears in it ("the batch API") and its claim is close (it shares the
belief's predicate words, or its embedding, or one of its clauses' embeddings, is near the
belief's), whether it repeats the claim, references it ("which strongly supports building it
next", "more proof it attracts contributors") or negates it ("shows no sign that ..."). A stance
cue whose object names nothing of the belief ("supports the kitchen schedule") is about
something else. The stance comes from
the statement's opinion cue ("I think", "I doubt"), else its stance cue (`memory.extract.stance`:
"confirms", "does not support", "turned out wrong"), else the polarity of a restated claim.

Candidates are found by one indexed probe, (bank, topic head word), capped at MAX_CANDIDATES:
the cost does not grow with the number of beliefs. The confidence is the deterministic update
of `memory.beliefs`; each evidence row keeps its stance, cue, source and the confidence after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from memory.models import ExtractedFact, Stance
from memory.text import normalise_text, word_set
from storage.schema import Belief, BeliefEvidence, Episode, utcnow

__all__ = [
    "BeliefView",
    "record_beliefs",
    "recompute_beliefs",
    "belief_views",
    "topic_phrase",
    "bank_topics",
    "prime_topics",
    "MAX_CANDIDATES",
]

EmbedFn = Callable[[list[str]], list[list[float]]]

MAX_CANDIDATES = 20  # beliefs considered per statement (newest first among those of its topic)
# cosine (MiniLM) above which a statement restates a belief's claim even without a cue word
RESTATE_COSINE = 0.72
# ... above which a statement with a stance cue is about the belief without sharing its words
REFERENCE_COSINE = 0.55
# an opinion joins an existing belief (rather than starting one) above this cosine, or when it
# shares at least half of the belief's claim words
OPINION_COSINE = 0.8
REFERENCE_WEIGHT = 0.7  # strength of evidence given by a stance cue ("confirms")
RESTATE_WEIGHT = 0.6  # ... by a restated or negated claim without one

_STOP = word_set(
    "a an the is are was were be been being to of in on at for and or but it its this that these "
    "those we i you they our my your their will would should could can may might must do does "
    "did not no never don't doesn't isn't really very just think believe sure probably maybe "
    "perhaps still again also so which who what there here than then more most much many some "
    "any all one two three after about into with by from as has have had going"
)
_NEGATIONS = frozenset({"not", "no", "never", "isn't", "aren't", "wasn't", "won't", "don't",
                        "doesn't", "didn't", "can't", "cannot", "shouldn't", "neither", "nor",
                        "n't"})  # fmt: skip


@dataclass
class BeliefView:
    id: str
    statement: str
    confidence: float
    holder: str | None
    history: list[dict[str, Any]] = field(default_factory=list)  # {"at","confidence","evidence"}

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# -- words -----------------------------------------------------------------------------------


@lru_cache(maxsize=65_536)  # pure, and every fact's words are stemmed once per retain
def _stem(word: str) -> str:
    from memory.slots import light_lemma

    return light_lemma(word)


def _words(text: str) -> list[str]:
    """Stemmed words; hyphenated compounds split ("open-sourced" -> open, source: the parser
    splits them too) and possessive endings dropped ("supplier's" -> supplier)."""
    toks = normalise_text(text).replace("'", " '").replace("-", " ").split()
    return [_stem(w) for w in toks if not w.startswith("'")]


def _content(text: str) -> set[str]:
    return {w for w in _words(text) if w not in _STOP and len(w) > 1}


@lru_cache(maxsize=4096)
def topic_phrase(statement: str) -> tuple[str, ...]:
    """The words of the claim's topic: its first noun phrase that is not a pronoun ("the batch
    API is the right next feature" -> ("batch", "api")), stemmed."""
    from memory.extract.nlp import parse

    return _topic_of(statement, parse(statement))


def _topic_of(statement: str, doc: Any) -> tuple[str, ...]:
    for chunk in doc.noun_chunks:
        words = [t for t in chunk if t.pos_ not in ("DET", "PRON", "PART") and not t.is_punct]
        if words:
            return tuple(_words(" ".join(t.text for t in words)))
    # the longest content word; of equal lengths the first alphabetically (a set's order
    # follows the hash seed, and the topic must not differ between runs)
    words = sorted(_content(statement), key=lambda w: (-len(w), w))
    return tuple(words[:1])


TOPIC_PRIME_BATCH = 128  # statements per batched parse in `prime_topics` (the parse cache
# holds 256 Docs: each chunk's Docs are all still there when their topics are read)


def prime_topics(statements: Iterable[str]) -> None:
    """Work out the topic phrase of each statement (a belief's, or an opinion's that may
    start one) with batched parses, so that `topic_phrase` under the writer lock finds them
    ready: one parse per new belief there was the belief path's largest cost."""
    from memory.extract.nlp import parse_many

    todo = [t for t in dict.fromkeys(statements) if t.strip()]
    for i in range(0, len(todo), TOPIC_PRIME_BATCH):
        part = todo[i : i + TOPIC_PRIME_BATCH]
        parse_many(part)  # cached by text: topic_phrase's own parse finds each Doc
        for t in part:
            topic_phrase(t)


def _negated(text: str) -> bool:
    """Odd number of negation words: the text asserts the opposite of its positive form."""
    toks = normalise_text(text).replace("n't", " n't").split()
    return sum(w in _NEGATIONS for w in toks) % 2 == 1


# clause boundaries inside one statement: "..., which confirms it improves them", "...; it
# won't be finished", "..., so it was the cause": the claim is often restated in one clause
_CLAUSE = re.compile(r"\s*(?:[;:,]|\b(?:so|which|because|but|as|since|while)\b)\s*", re.I)
MIN_CLAUSE_WORDS = 3  # shorter pieces ("so that", "as we suspected") are not compared


def _clauses(text: str) -> list[str]:
    parts = [p for p in _CLAUSE.split(text) if len(p.split()) >= MIN_CLAUSE_WORDS]
    return [text, *(p for p in parts if p != text)]


def _cosines(embed: EmbedFn, text: str, others: list[str]) -> list[float]:
    """Cosine of each of `others` to `text` or, when higher, to one of its clauses."""
    pieces = _clauses(text)
    vecs = np.asarray(embed([*pieces, *others]), dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1)
    norms[norms == 0] = 1.0
    unit = vecs / norms[:, None]
    sims = unit[len(pieces) :] @ unit[: len(pieces)].T
    return [float(x) for x in sims.max(axis=1)]


# -- linking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Link:
    belief: Belief
    stance: Stance
    weight: float
    cue: str


def _candidates(
    s: Session, bank: str, words: set[str], cache: dict[str, list[Belief]] | None = None
) -> list[Belief]:
    if not words:
        return []
    if cache is not None:  # a batch's beliefs by topic: one query per topic word per batch
        missing = sorted(w for w in words if w not in cache)
        if missing:
            q = select(Belief).where(Belief.bank == bank, col(Belief.topic).in_(missing))
            for w in missing:
                cache[w] = []
            with s.no_autoflush:
                for b in s.exec(q).all():
                    cache[b.topic].append(b)
        found = [b for w in sorted(words) for b in cache[w]]
        found.sort(key=lambda b: b.updated_at, reverse=True)  # as the query's ORDER BY
        return found[:MAX_CANDIDATES]
    q = (
        select(Belief)
        .where(Belief.bank == bank, col(Belief.topic).in_(sorted(words)))
        .order_by(col(Belief.updated_at).desc())
        .limit(MAX_CANDIDATES)
    )
    with s.no_autoflush:
        return list(s.exec(q).all())


def _about(xf: ExtractedFact, text: str, b: Belief, cos: float | None) -> bool:
    """Does `text` concern belief `b`'s proposition? (topic checked by the caller)"""
    claim = _content(b.statement) - set(topic_phrase(b.statement))
    shared = len(claim & _content(text))
    if xf.opinion is not None:
        return shared * 2 >= max(len(claim), 1) or (cos is not None and cos >= OPINION_COSINE)
    if xf.stance is not None:
        if shared >= 1:
            return True
        return cos is not None and cos >= REFERENCE_COSINE and not _cue_points_elsewhere(text, b)
    return shared * 2 >= max(len(claim), 1) and cos is not None and cos >= RESTATE_COSINE


# what a stance cue may bear on and still be about the belief: a pronoun ("supports it",
# "confirms that") or a noun that names a proposition ("strengthens the case", "the idea")
_PROPOSITION_NOUNS = word_set(
    "case idea theory claim belief view hypothesis hunch guess assumption suspicion notion "
    "thesis argument point plan proposal conclusion"
)
_CUE_ARGS = frozenset(["dobj", "ccomp", "xcomp", "pobj", "attr", "acomp", "prep", "advcl"])


def _cue_points_elsewhere(text: str, b: Belief) -> bool:
    """True when every stance cue of `text` bears on something the belief does not mention:
    "The new oven was delivered, which supports the kitchen schedule" names no word of "the
    new oven bakes evenly" in what it supports, so it is no evidence about it."""
    from memory.extract.nlp import parse
    from memory.extract.stance import CONTRADICT_LEMMAS, EVIDENCE_NOUNS, SUPPORT_LEMMAS

    cue_lemmas = SUPPORT_LEMMAS | CONTRADICT_LEMMAS | EVIDENCE_NOUNS
    belief_words = _content(b.statement)
    verdicts = []
    for tok in parse(text):
        if tok.lemma_.lower() not in cue_lemmas:
            continue
        args = [t for c in tok.children if c.dep_ in _CUE_ARGS for t in c.subtree]
        if not args:
            return False  # "which confirms": bears on what was said before
        if any(t.pos_ == "PRON" or t.lemma_.lower() in _PROPOSITION_NOUNS for t in args):
            return False
        words = _content(" ".join(t.text for t in args))
        verdicts.append(not words & belief_words)
    return bool(verdicts) and all(verdicts)


def _needs_cosine(xf: ExtractedFact, text: str, b: Belief) -> bool:
    """Embed only where the words alone do not decide (embedding under the lock is costly)."""
    claim = _content(b.statement) - set(topic_phrase(b.statement))
    shared = len(claim & _content(text))
    if xf.opinion is not None:
        return shared * 2 < max(len(claim), 1)
    if xf.stance is not None:
        return shared == 0
    return shared * 2 >= max(len(claim), 1)


def bank_topics(s: Session, bank: str) -> set[str]:
    """The bank's belief topics (head words): a statement naming none of them is evidence
    about no belief, and needs no lookup (one query per retain batch)."""
    q = sa_select(col(Belief.topic)).where(col(Belief.bank) == bank).distinct()
    with s.no_autoflush:
        return {t for (t,) in s.execute(q).all() if t}


def _link(
    s: Session,
    bank: str,
    xf: ExtractedFact,
    embed: EmbedFn | None,
    topics: set[str] | None,
    cache: dict[str, list[Belief]] | None = None,
) -> tuple[_Link | None, str]:
    """The belief `xf` is evidence about (or None), and the text that was matched."""
    text = xf.opinion.statement if xf.opinion is not None else xf.text
    words = set(_words(text))
    if topics is not None and not words & topics:
        return None, text
    cands = [
        b
        for b in _candidates(s, bank, words & topics if topics is not None else words, cache)
        if set(topic_phrase(b.statement)) <= words
    ]
    if not cands:
        return None, text
    need = [b for b in cands if _needs_cosine(xf, text, b)]
    cos = dict(zip([b.id for b in need], _cosines(embed, text, [b.statement for b in need]),
                   strict=True)) if need and embed is not None else {}  # fmt: skip
    about = [b for b in cands if _about(xf, text, b, cos.get(b.id))]
    if not about:
        return None, text
    best = max(
        about, key=lambda b: (len(_content(b.statement) & _content(text)), cos.get(b.id, 0.0))
    )
    return _stance(xf, text, best), text


def _stance(xf: ExtractedFact, text: str, b: Belief) -> _Link:
    flipped = _negated(text) != _negated(b.statement)  # "X is not Y" about "X is Y"
    if xf.opinion is not None and xf.stance is not None:
        # a stance word says how the claim fares ("so that is unlikely", "I'm no longer
        # convinced"); a negation elsewhere in the sentence is about the evidence, not the
        # claim. Either side against makes it against ("I don't think the data supports it").
        against = "contradict" in (xf.opinion.stance, xf.stance.stance)
        return _Link(b, "contradict" if against else "support", xf.opinion.strength,
                     ", ".join(xf.stance.cues))  # fmt: skip
    if xf.opinion is not None:
        stance: Stance = xf.opinion.stance
        if flipped:
            stance = "contradict" if stance == "support" else "support"
        return _Link(
            b, stance, xf.opinion.strength, "opinion" + (" (negated claim)" if flipped else "")
        )
    if xf.stance is not None:
        return _Link(b, xf.stance.stance, REFERENCE_WEIGHT, ", ".join(xf.stance.cues))
    stance = "contradict" if flipped else "support"
    return _Link(b, stance, RESTATE_WEIGHT, "negated claim" if flipped else "restated claim")


def _new_belief(s: Session, bank: str, statement: str, holder: str | None) -> Belief:
    topic = topic_phrase(statement)
    b = Belief(bank=bank, statement=statement.strip(), key=normalise_text(statement),
               topic=topic[-1] if topic else "", holder=holder)  # fmt: skip
    s.add(b)
    s.flush()
    return b


def _confidence(rows: Sequence[BeliefEvidence], now: datetime) -> float:
    """The number comes from `memory.beliefs` (a recency-weighted Beta update)."""
    from memory.beliefs import BeliefState, Evidence, confidence, update

    state = BeliefState()
    for r in rows:
        ev = Evidence(stance=r.stance, at=r.at, strength=r.weight, source=r.source or None)  # type: ignore[arg-type]
        state = update(state, ev)
    return float(confidence(state, now))


def _evidence_rows(s: Session, belief_id: str) -> list[BeliefEvidence]:
    q = select(BeliefEvidence).where(BeliefEvidence.belief_id == belief_id)
    return sorted(s.exec(q).all(), key=lambda r: (r.at, r.id))


def record_beliefs(
    s: Session,
    ep: Episode,
    facts: Sequence[ExtractedFact],
    fact_ids: Sequence[str],
    embed: EmbedFn | None = None,
    topics: set[str] | None = None,
    cache: dict[str, list[Belief]] | None = None,
) -> list[str]:
    """Link each fact that is evidence about a belief (an opinion starts one when none
    matches); returns the ids of beliefs touched. `topics`: the bank's topics
    (`bank_topics`), kept by the caller across a batch; new beliefs' topics are added.
    `cache`: the bank's beliefs by topic word, kept by the caller across a batch (loaded per
    topic on first use, new beliefs added; evidence updates the same session objects)."""
    touched: list[str] = []
    for xf, fid in zip(facts, fact_ids, strict=True):
        if xf.opinion is not None and not xf.opinion.statement.strip():
            continue
        link, text = _link(s, ep.bank, xf, embed, topics, cache)
        if link is None:
            if xf.opinion is None:
                continue
            b = _new_belief(s, ep.bank, xf.opinion.statement, xf.opinion.holder)
            if topics is not None:
                topics.add(b.topic)
            if cache is not None and b.topic in cache:
                cache[b.topic].append(b)
            link = _Link(b, xf.opinion.stance, xf.opinion.strength, "opinion")
        _add_evidence(s, ep, xf, fid, link)
        touched.append(link.belief.id)
    return list(dict.fromkeys(touched))


def _add_evidence(s: Session, ep: Episode, xf: ExtractedFact, fid: str, link: _Link) -> None:
    b = link.belief
    ev = BeliefEvidence(
        belief_id=b.id, bank=ep.bank, stance=link.stance, weight=link.weight, source=ep.source,
        fact_id=fid, episode_id=ep.id, text=xf.text, at=ep.mentioned_at, cue=link.cue,
    )  # fmt: skip
    rows = [*_evidence_rows(s, b.id), ev]
    ev.confidence_after = _confidence(rows, ep.mentioned_at)
    b.confidence, b.updated_at = _confidence(rows, max(r.at for r in rows)), utcnow()
    s.add(ev)
    s.add(b)
    s.flush()


def recompute_beliefs(s: Session, bank: str, belief_ids: Iterable[str]) -> None:
    """Replay the history after evidence was removed; drop beliefs with none left."""
    for bid in belief_ids:
        b = s.get(Belief, bid)
        if b is None or b.bank != bank:
            continue
        rows = _evidence_rows(s, bid)
        if not rows:
            s.delete(b)
            continue
        for i, r in enumerate(rows):
            r.confidence_after = _confidence(rows[: i + 1], r.at)
            s.add(r)
        b.confidence = rows[-1].confidence_after
        s.add(b)


def belief_views(s: Session, bank: str, topic: str | None = None) -> list[BeliefView]:
    q = select(Belief).where(Belief.bank == bank)
    terms = set(normalise_text(topic).split()) if topic else set()
    out: list[BeliefView] = []
    for b in s.exec(q).all():
        if terms and not terms & set(b.key.split()):
            continue
        history = [
            {
                "at": r.at,
                "confidence": r.confidence_after,
                "evidence": {"stance": r.stance, "text": r.text, "source": r.source,
                             "weight": r.weight, "fact_id": r.fact_id, "cue": r.cue},
            }
            for r in _evidence_rows(s, b.id)
        ]  # fmt: skip
        out.append(BeliefView(b.id, b.statement, b.confidence, b.holder, history))
    return sorted(out, key=lambda v: (-len(v.history), v.statement))
