"""Entity resolution: is this mention an entity we know? Pure scoring, cheap path first.

normalise -> hard guard (numbers/identifiers differ: never the same) -> exact/alias ->
fuzzy (token-set ratio, initials "Alice C." ~ "Alice Chen", first-name-only when unambiguous)
-> embedding similarity blended with co-occurrence context -> decision. Only the ambiguous band
goes to `resolve_ambiguous`, which asks an LLM and still obeys the guard.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel

from memory.extract.prompts import AnswerError, parse_json_answer, repair_prompt
from memory.ports import ChatModel
from memory.text import normalise_text, word_set

__all__ = [
    "Mention",
    "Candidate",
    "Decision",
    "Thresholds",
    "normalise_name",
    "names_conflict",
    "name_similarity",
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


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    embedding: Sequence[float] | None = None
    context: frozenset[str] = frozenset()  # names this entity co-occurs with

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
    same: float = 0.9
    ambiguous: float = 0.72
    margin: float = 0.05  # the best must beat the runner-up by this much to be "same"


@lru_cache(maxsize=262_144)  # pure; retain scores the same names over and over
def normalise_name(name: str) -> str:
    """Casefold, strip accents/punctuation/honorifics/possessives; idempotent."""
    words = normalise_text(name.replace("@", " ")).split()
    words = [w[:-2] if w.endswith("'s") else w for w in words]
    words = [w.replace(".", "").replace("'", "") for w in words]
    while len(words) > 1 and words[0] in _HONORIFICS:
        words = words[1:]
    return " ".join(w for w in words if w)


def _identifiers(norm: str) -> frozenset[str]:
    return frozenset(t for t in re.split(r"[\s-]+", norm) if any(c.isdigit() for c in t))


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


def _token_set_ratio(a: list[str], b: list[str]) -> float:
    sa, sb = set(a), set(b)
    inter = " ".join(sorted(sa & sb))
    ra = (inter + " " + " ".join(sorted(sa - sb))).strip()
    rb = (inter + " " + " ".join(sorted(sb - sa))).strip()
    pairs = [(ra, rb)] + ([(inter, ra), (inter, rb)] if inter else [])
    scores = [SequenceMatcher(None, x, y).ratio() for x, y in pairs]
    return max(scores) if inter else scores[0] * 0.9


@lru_cache(maxsize=262_144)  # pure; retain scores the same names over and over
def name_similarity(a: str, b: str) -> tuple[float, str]:
    """(score in [0, 1], how) for two names; the guard gives 0."""
    na, nb = normalise_name(a), normalise_name(b)
    if not na or not nb or names_conflict(na, nb):
        return 0.0, "guard"
    if na == nb:
        return 1.0, "exact"
    ta, tb = na.split(), nb.split()
    if _initials_match(ta, tb) or _initials_match(tb, ta):
        return 0.93, "initials"
    if (
        len(ta) == 1
        and len(tb) > 1
        and tb[0] == ta[0]
        or len(tb) == 1
        and len(ta) > 1
        and ta[0] == tb[0]
    ):
        return 0.9, "first-name"
    if set(ta) < set(tb) or set(tb) < set(ta):
        return 0.78, "subset"
    return _token_set_ratio(ta, tb), "fuzzy"


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    na = math.sqrt(sum(x * x for x in a)) or 1.0
    nb = math.sqrt(sum(y * y for y in b)) or 1.0
    return dot / (na * nb)


def _context_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    na, nb = {normalise_name(x) for x in a}, {normalise_name(x) for x in b}
    return len(na & nb) / len(na | nb) if na and nb else 0.0


def _score(mention: Mention, cand: Candidate) -> tuple[float, str]:
    if names_conflict(mention.name, cand.name):
        return 0.0, "guard"
    best, how = max(name_similarity(mention.name, n) for n in cand.names)
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


def resolve_entity(
    mention: Mention, candidates: Sequence[Candidate], thresholds: Thresholds = Thresholds()
) -> Decision:
    """Decide whether `mention` is one of `candidates` ("same"), none ("new"), or unclear."""
    scored = sorted(((*_score(mention, c), c.id) for c in candidates), key=lambda x: (-x[0], x[2]))
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
