"""The stateful side of entity resolution: the bank's entities and aliases, cached from SQL.

The decision (exact/alias -> fuzzy -> embedding -> LLM for the ambiguous band, with the hard
numbers/identifiers guard) is `memory.resolve`'s; this class feeds it candidates from the
alias table and writes the outcome (a new entity, or a new alias on an existing one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, select

from memory.resolve import (
    NOT_PERSON_KINDS,
    Candidate,
    Decision,
    Mention,
    normalise_name,
    person_name,
    resolve_entity,
)
from memory.text import PERSON_TITLES
from storage.schema import Alias, Entity

__all__ = ["EntityResolver", "KnownEntity", "is_fuller_name"]


@dataclass
class KnownEntity:
    id: str
    name: str
    kind: str
    aliases: set[str] = field(default_factory=set)  # normalised forms


MAX_CANDIDATES = 12  # entities scored per mention, those sharing the rarest name keys first
MAX_BLOCK = 64  # a name key shared by more entities than this ("team") selects nothing
MAX_ALIASES = 8  # per candidate, shortest first


class _BankCache:
    def __init__(self) -> None:
        self.by_id: dict[str, KnownEntity] = {}
        self.by_alias: dict[str, set[str]] = defaultdict(set)
        self.by_key: dict[str, set[str]] = defaultdict(set)  # blocking keys -> entity ids
        self.context: dict[str, set[str]] = defaultdict(set)  # co-mentioned names

    def add(self, ent: KnownEntity, alias_norm: str) -> None:
        known = self.by_id.setdefault(ent.id, ent)
        known.aliases.add(alias_norm)
        self.by_alias[alias_norm].add(ent.id)
        for key in _block_keys(alias_norm):
            self.by_key[key].add(ent.id)

    def candidates(self, norm: str) -> list[Candidate]:
        """Entities sharing a token (or prefix) with `norm`, rarest shared keys first; keys
        shared by more than MAX_BLOCK entities ("team", "project") carry no signal."""
        hits: dict[str, float] = defaultdict(float)
        for key in _block_keys(norm):
            ids = self.by_key.get(key, ())
            if len(ids) > MAX_BLOCK:
                continue
            for i in ids:
                hits[i] += 1.0 / len(ids)
        out = []
        for i, _ in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]:
            e = self.by_id[i]
            ctx = frozenset(self.context.get(i, ()))
            aliases = tuple(sorted(e.aliases, key=len)[:MAX_ALIASES])
            out.append(Candidate(e.id, e.name, aliases, context=ctx, kind=e.kind))
        return out


def is_fuller_name(new: str, current: str) -> bool:
    """True when `new` names the same thing more completely than `current`: "Alice Chen"
    over "Alice" or "Alice C.", so the canonical name is the fullest variant seen, whatever
    the order the variants arrived in. Initials ("C.") count for less than words, and a title
    ("Dr.", "Captain", "Sister") for nothing: the name a title was said with stays canonical."""

    def w_norm(word: str) -> str:
        return word.strip(".").lower()

    def weight(name: str) -> tuple[int, int]:
        words = [w for w in name.replace(".", " ").split() if w]
        while len(words) > 1 and w_norm(words[0]) in PERSON_TITLES:
            words = words[1:]  # "Captain Richter" is no fuller than "Anna Richter"
        full = sum(1 for w in words if len(w) > 1)
        return full, len(" ".join(words))

    if len(new.split()) > 4:  # a phrase, not a name
        return False
    return weight(new) > weight(current)


def _person_entity(ent: KnownEntity) -> bool:
    """A person, or a "thing" named like one that the extractor could not tell (a given name
    the lexicon lacks and the NER model missed: "Pablo Ruiz", "Priyanka Rao"): a first and a
    last name, the first no common English word ("Falcon Ridge", "Atlas Gateway" are none)."""
    if ent.kind == "person":
        return True
    if ent.kind != "thing":
        return False
    from memory.extract.nlp import is_common_word

    p = person_name(ent.name)
    return (
        p is not None
        and not p.title
        and len(p.first) > 1
        and len(p.last) > 1
        and not is_common_word(ent.name.split()[0])
    )


def _kinds_meet(mention: str, entity: str) -> bool:
    """A one-word name said of a person never lands on a place or a firm of the same spelling
    ("Austin" the make, then "Austin repaired the brakes"): the kinds the parse gives one-word
    names (`memory.resolve.NOT_PERSON_KINDS`) keep them apart. The other way round an exact
    match stands (one entity per spelling, as before: a second "Redis" beside a "Redis" read
    as a person would make every "Redis cluster" ambiguous between them). Longer names keep
    their exact match ("Sydney Park" is a place to the spotter for its last word, and may be
    a person all the same)."""
    return mention != "person" or entity not in NOT_PERSON_KINDS


def _block_keys(norm: str) -> set[str]:
    """Cheap blocking: each token, plus the 4-letter prefix of tokens without digits (so "sara"
    meets "sarah"; "user12" never meets "user13", which the resolver's guard forbids anyway)."""
    toks = [t for t in norm.split() if len(t) > 1]
    prefixes = {f"p:{t[:4]}" for t in toks if len(t) >= 4 and not any(c.isdigit() for c in t)}
    return {f"t:{t}" for t in toks} | prefixes


class EntityResolver:
    """Resolves names to entity ids in one bank, creating entities and aliases as needed."""

    def __init__(self) -> None:
        self._banks: dict[str, _BankCache] = {}
        self.settled: dict[tuple[str, str], str | None] = {}  # (bank, name) -> LLM's answer
        # called with the bank (None: all) whenever the cache is dropped, so caches derived
        # from the same rows (retain's observation windows) are dropped with it
        self.on_invalidate: list[Callable[[str | None], None]] = []

    def invalidate(self, bank: str | None = None) -> None:
        """Forget the cache (after merge/split/forget changed the alias table)."""
        if bank is None:
            self._banks.clear()
            self.settled.clear()
        else:
            self._banks.pop(bank, None)
            self.settled = {k: v for k, v in self.settled.items() if k[0] != bank}
        for listener in self.on_invalidate:
            listener(bank)

    def _cache(self, s: Session, bank: str) -> _BankCache:
        cache = self._banks.get(bank)
        if cache is None:
            cache = _BankCache()
            q = (
                select(Entity.id, Entity.name, Entity.kind, Alias.normalised)
                .join(Alias, Alias.entity_id == Entity.id)  # type: ignore[arg-type]
                .where(Entity.bank == bank)
            )
            for eid, name, kind, norm in s.exec(q):
                cache.add(KnownEntity(eid, name, kind), norm)
            self._banks[bank] = cache
        return cache

    def lookup(self, s: Session, bank: str, name: str) -> list[KnownEntity]:
        """Entities whose alias (or canonical name) normalises like `name`."""
        cache = self._cache(s, bank)
        return [cache.by_id[i] for i in sorted(cache.by_alias.get(normalise_name(name), ()))]

    def resolve(
        self,
        s: Session,
        bank: str,
        name: str,
        kind: str = "thing",
        *,
        context: frozenset[str] = frozenset(),
    ) -> str | None:
        """The entity id for `name` in `bank` (created when nothing matches). Exact alias
        matches win; otherwise `memory.resolve.resolve_entity` decides. An "ambiguous" answer
        keeps the names apart unless an LLM settled it beforehand (`settle`); when two or more
        known entities fit equally ("S. Kim" with Sarah Kim and Sam Kim) the mention stays
        unresolved: None, and no entity is made for it."""
        norm = normalise_name(name) or name.strip().lower()
        cache = self._cache(s, bank)
        exact = sorted(cache.by_alias.get(norm, ()))
        met = [i for i in exact if " " in norm or _kinds_meet(kind, cache.by_id[i].kind)]
        if met:
            self._promote_kind(s, cache.by_id[met[0]], kind)
            return met[0]
        decision = self.decide(s, bank, name, kind, context)
        if exact and decision.kind != "same":  # no person to find instead: the exact match
            return exact[0]  # stands (a second entity of one spelling would split its names)
        chosen = decision.entity_id if decision.kind == "same" else None
        if decision.kind == "ambiguous":
            chosen = self.settled.get((bank, norm))
            if chosen is None and decision.alternatives:
                return None
        if chosen is not None and chosen in cache.by_id:
            self._add_alias(s, bank, cache.by_id[chosen], name, norm)
            self._promote_kind(s, cache.by_id[chosen], kind)
            return chosen
        return self._create(s, bank, name, kind, norm)

    def decide(
        self,
        s: Session,
        bank: str,
        name: str,
        kind: str = "thing",
        context: frozenset[str] = frozenset(),
    ) -> Decision:
        """`memory.resolve.resolve_entity` over the bank's candidates for `name`."""
        norm = normalise_name(name) or name.strip().lower()
        cands = self._cache(s, bank).candidates(norm)
        return resolve_entity(Mention(name, context=context, kind=kind), cands)

    def is_person(self, s: Session, bank: str, name: str) -> bool:
        """`name` is a person the bank knows: the alias of a person entity, or a name the
        resolution rules give to one or several person entities ("Pablo" with Pablo Ruiz;
        "Priya" with Priya Nair and Priya Shah)."""
        try:
            if any(e.kind == "person" for e in self.lookup(s, bank, name)):
                return True
            decision = self.decide(s, bank, name, "person")
        except RuntimeError:  # the cache changed under a concurrent commit: no hint
            return False
        cache = self._cache(s, bank)
        ids = [decision.entity_id, *decision.alternatives]
        return decision.kind in ("same", "ambiguous") and all(
            i in cache.by_id and _person_entity(cache.by_id[i]) for i in ids if i
        )

    def note_context(self, bank: str, entity_ids: Iterable[str], names: Iterable[str]) -> None:
        cache = self._banks.get(bank)
        if cache is None:
            return
        ns = {normalise_name(n) for n in names}
        for eid in entity_ids:
            ctx = cache.context[eid]
            if len(ctx) < 64:
                ctx.update(ns)

    def ambiguous(self, s: Session, bank: str, name: str) -> tuple[Mention, list[Candidate]] | None:
        """(mention, candidates) when `name` would be an ambiguous case, for an LLM to settle."""
        norm = normalise_name(name)
        cache = self._cache(s, bank)
        if not norm or norm in cache.by_alias:
            return None
        cands = cache.candidates(norm)
        decision = resolve_entity(Mention(name), cands)
        if decision.kind != "ambiguous":
            return None
        keep = {decision.entity_id, *decision.alternatives}
        return Mention(name), [c for c in cands if c.id in keep]

    def _create(self, s: Session, bank: str, name: str, kind: str, norm: str) -> str:
        ent = Entity(bank=bank, name=name.strip(), kind=kind)
        s.add(ent)
        s.add(Alias(entity_id=ent.id, bank=bank, alias=name.strip(), normalised=norm))
        self._cache(s, bank).add(KnownEntity(ent.id, ent.name, kind), norm)
        return ent.id

    def _promote_kind(self, s: Session, ent: KnownEntity, kind: str) -> None:
        """A name first seen as a generic "thing" takes a specific kind once one is known
        ("Priya" mentioned in passing, then speaking: a person)."""
        if ent.kind == "thing" and kind not in ("thing", ""):
            row = s.get(Entity, ent.id)
            if row is not None:
                row.kind = ent.kind = kind
                s.add(row)

    def _add_alias(self, s: Session, bank: str, ent: KnownEntity, name: str, norm: str) -> None:
        s.add(Alias(entity_id=ent.id, bank=bank, alias=name.strip(), normalised=norm))
        self._cache(s, bank).add(ent, norm)
        if is_fuller_name(name.strip(), ent.name):
            row = s.get(Entity, ent.id)
            if row is not None:
                row.name = ent.name = name.strip()
                s.add(row)

    def names(self, s: Session, bank: str, entity_ids: Iterable[str]) -> list[str]:
        cache = self._cache(s, bank)
        return sorted({cache.by_id[i].name for i in entity_ids if i in cache.by_id})
