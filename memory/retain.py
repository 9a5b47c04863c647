"""The retain pipeline: raw episode -> extraction -> entities -> facts -> supersession -> beliefs
-> observations (one SQL transaction) -> indexes (after the commit).

The raw episode is always stored, even when extraction finds nothing. Re-retaining the same
(bank, source, text) is a no-op. Input is validated before anything is written.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import text
from sqlmodel import Session, col, select

from memory.belief_store import bank_topics, prime_topics, record_beliefs
from memory.errors import InvalidDate, InvalidInput
from memory.hierarchy import GroupWindows, IndexDelta, mark_models_stale, refresh_groups
from memory.models import ExtractedFact, Extraction
from memory.ports import ChatModel
from memory.resolve_store import EntityResolver
from memory.slots import normalise_predicate
from memory.supersede import (
    ambiguous_pairs,
    naming_old_value,
    normalise_slot,
    slot_info,
    supersede,
)
from storage.db import insert_rows
from storage.embedder import BulkEmbedder
from storage.index_text import fact_context
from storage.passages import latest_tails, tail
from storage.schema import Episode, Fact, FactEntity, Observation
from storage.store import IndexDoc, Store

__all__ = [
    "Extractor",
    "BatchExtractor",
    "thread_of",
    "Prepared",
    "RetainItem",
    "RetainResult",
    "Retainer",
    "clean_text",
    "clean_bank",
    "to_utc",
    "content_hash",
]

MAX_TEXT_CHARS = 2_000_000
DERIVED_VECTOR_MEMO = 20_000  # derived texts whose vectors a Retainer remembers


class Extractor(Protocol):
    async def extract(self, text: str, mentioned_at: datetime) -> Extraction: ...


@runtime_checkable
class BatchExtractor(Protocol):
    """An extractor that reads a whole batch at once (one batched parse)."""

    async def extract_many(
        self, items: Sequence[tuple[str, datetime]], speakers: Sequence[str | None] = ()
    ) -> list[Extraction]: ...


@dataclass
class RetainItem:
    text: str
    mentioned_at: datetime
    source: str = ""
    bank: str = "default"
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class RetainResult:
    episode_id: str
    fact_ids: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)  # canonical names touched
    superseded: list[str] = field(default_factory=list)  # ids of facts this retain invalidated
    # why each was retired: {"fact_id", "text", "by", "by_text", "rule", "cues", "slot", ...}
    supersessions: list[dict[str, Any]] = field(default_factory=list)
    beliefs: list[str] = field(default_factory=list)  # ids of beliefs that got evidence
    noop: bool = False
    extractor: str = ""
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def clean_text(text: str | bytes) -> str:
    """The text to store, or InvalidInput: empty, binary (NUL/control bytes), invalid UTF-8."""
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput("text", f"not valid UTF-8 (byte {exc.start})") from None
    if not isinstance(text, str):
        raise InvalidInput("text", f"expected str, got {type(text).__name__}")
    if "\x00" in text:
        raise InvalidInput("text", "contains NUL bytes (binary data?)")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise InvalidInput("text", "contains lone surrogates (invalid UTF-8)")
    ctrl = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f\v")
    if ctrl > max(2, len(text) // 20):
        raise InvalidInput("text", "mostly control characters (binary data?)")
    if not text.strip():
        raise InvalidInput("text", "empty or whitespace only")
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInput("text", f"longer than {MAX_TEXT_CHARS} characters; split it")
    return text


def clean_bank(bank: str) -> str:
    if not isinstance(bank, str) or not bank.strip() or "\x00" in bank:
        raise InvalidInput("bank", "must be a non-empty string")
    return bank.strip()


def to_utc(value: datetime | str | None, now: datetime) -> datetime:
    """A datetime, an ISO string or a phrase ("2 weeks ago", relative to `now`) -> aware UTC.

    Naive datetimes are taken as UTC.
    """
    if value is None:
        return now
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, str) and value.strip() and "\x00" not in value:
        try:
            return to_utc(datetime.fromisoformat(value.strip()), now)
        except ValueError:
            from memory.timeparse import parse_time_expression

            r = parse_time_expression(value, now)
            if r is not None and (r.start or r.end):
                return to_utc(r.start or r.end, now)
    raise InvalidDate(str(value))


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class _Batch:
    """What one commit has written but not flushed, for lookups that would otherwise flush."""

    # latest episode text by (bank, thread, mention time); the same from SQL (tail)
    last: dict[tuple[str, str, datetime], str] = field(default_factory=dict)
    stored: dict[tuple[str, str, datetime], str] = field(default_factory=dict)
    links: list[dict[str, str]] = field(default_factory=list)  # fact_entities rows to insert
    slots: dict[tuple[str, str], list[Fact]] = field(default_factory=dict)  # by (bank, subject)
    topics: dict[str, set[str]] = field(default_factory=dict)  # bank -> its belief topics
    beliefs: dict[str, dict[str, list[Any]]] = field(default_factory=dict)  # bank -> by topic


@dataclass
class Prepared:
    """A batch ready to commit (see `Retainer.prepare`)."""

    items: list[RetainItem]
    todo: list[int]  # indexes of items not yet in SQL
    extractions: list[Extraction]
    known: dict[tuple[str, str, str], str]  # (bank, source, hash) -> existing episode id
    vectors: dict[str, list[float]]  # fact text -> embedding
    threads: list[str] = field(default_factory=list)  # thread of each todo item
    # the LLM's answers for the ambiguous band: (bank, new fact text, old fact id) -> reason
    judged: dict[tuple[str, str, str], str] = field(default_factory=dict)


class Retainer:
    """Runs retain for one store. `after_commit` is a test hook called between the SQL commit
    and the index writes (the crash test kills the process there)."""

    def __init__(
        self,
        store: Store,
        extractor: Extractor,
        resolver: EntityResolver,
        *,
        after_commit: Callable[[list[RetainResult]], None] | None = None,
        settle: Callable[[list[RetainItem], list[Extraction]], Awaitable[None]] | None = None,
        judge: ChatModel | None = None,
    ) -> None:
        self.settle = settle  # e.g. an LLM settling ambiguous entity mentions
        self.judge = judge  # an LLM asked about the ambiguous band of supersession
        self.store = store
        self.extractor = extractor
        self.resolver = resolver
        self.after_commit = after_commit
        # vectors of recent derived texts (observations): a refresh re-emits an unchanged text
        # whenever only its proof count moved, and re-embedding it was ~15% of ingest
        self._derived_vecs: OrderedDict[str, list[float]] = OrderedDict()
        self._attribute_vecs: OrderedDict[str, list[float]] = OrderedDict()  # slot meaning
        # slot groups' clustering windows; dropped with the resolver's cache (merge, split,
        # forget, another process's write, a rolled-back commit all invalidate it)
        self.windows = GroupWindows()
        resolver.on_invalidate.append(self.windows.invalidate)

    async def retain_many(self, items: Sequence[RetainItem]) -> list[RetainResult]:
        return await self.commit(await self.prepare(items))

    async def prepare(
        self, items: Sequence[RetainItem], people: Sequence[frozenset[str]] | None = None
    ) -> Prepared:
        """Everything before the SQL write: dedup against SQL, extraction, LLM settling,
        fact embeddings and the topic phrases of the batch's opinions (`prime_topics`). Safe to
        run for the next batch while the previous one commits. `people`: each item's line
        labels known as people (`known_people_of`), read before the caller's first commit so
        that what a label is does not depend on how far another batch's commit has got."""
        known = self._existing(items)
        todo = [i for i, it in enumerate(items) if _key(it) not in known]
        pairs = [(items[i].text, items[i].mentioned_at) for i in todo]
        if isinstance(self.extractor, BatchExtractor):
            who = [_speaker_hint(items[i]) for i in todo]
            if getattr(self.extractor, "takes_people", False):
                if people is None:
                    labels = await asyncio.to_thread(self._known_people, [items[i] for i in todo])
                else:
                    labels = [people[i] for i in todo]
                extractions = await self.extractor.extract_many(  # type: ignore[call-arg]
                    pairs, who, labels
                )
            else:
                extractions = await self.extractor.extract_many(pairs, who)
        else:
            extractions = await asyncio.gather(*(self.extractor.extract(t, w) for t, w in pairs))
        if self.settle is not None:
            await self.settle([items[i] for i in todo], list(extractions))
        texts = [items[i].text for i in todo]
        vectors = await asyncio.to_thread(self._embed_facts, texts, extractions)
        opinions = [xf.opinion.statement for ex in extractions for xf in ex.facts if xf.opinion]
        await asyncio.to_thread(prime_topics, [*opinions, *(t.strip() for t in opinions)])
        threads = [thread_of(items[i], ex) for i, ex in zip(todo, extractions, strict=True)]
        judged = await self._judge([items[i] for i in todo], extractions)
        return Prepared(list(items), todo, list(extractions), known, vectors, threads, judged)

    async def _judge(
        self, items: Sequence[RetainItem], extractions: Sequence[Extraction]
    ) -> dict[tuple[str, str, str], str]:
        """Ask the LLM (when one is configured) about the facts the rules keep apart only
        because they cannot tell (`memory.slots.ambiguous_change`); before the writer lock."""
        if self.judge is None:
            return {}
        from memory.supersede_llm import ask_replaces

        asks = await asyncio.to_thread(self._ambiguous, items, extractions)
        out: dict[tuple[str, str, str], str] = {}
        for bank, new_text, old_id, old_text in asks:
            yes, reason = await ask_replaces(self.judge, old_text, new_text)
            if yes:
                out[(bank, new_text, old_id)] = reason
        return out

    def _ambiguous(
        self, items: Sequence[RetainItem], extractions: Sequence[Extraction]
    ) -> list[tuple[str, str, str, str]]:
        with self.store.db.session() as s:
            pairs = [(it.bank, it.mentioned_at, xf) for it, ex in zip(items, extractions, strict=True)
                     for xf in ex.facts]  # fmt: skip
            return ambiguous_pairs(s, self.resolver, pairs)

    async def commit(self, p: Prepared) -> list[RetainResult]:
        """The SQL write and the index writes, under the banks' writer lock. Texts the batch
        derived under the lock (new observation texts) are embedded after it is released and
        indexed under a second, short hold (`_index_late`)."""
        banks = sorted({p.items[i].bank for i in p.todo})
        async with self.store.sync.awriting(banks) as stale:  # type: ignore[union-attr]
            # Other processes may write the same bank: under its writer lock we see their rows.
            for bank in stale:
                self.resolver.invalidate(bank)
            if stale:
                p.known.update(self._existing([p.items[i] for i in p.todo]))
            results, late = await self._commit(p)
        if late:
            await self._index_late(late)
        return results

    async def _index_late(self, docs: list[IndexDoc]) -> None:
        """Embed `docs` outside the writer lock, then index those SQL still holds as they are
        (another writer may have rewritten or dropped them meanwhile and indexed its own)."""
        texts = sorted({d.text for d in docs})
        vecs = dict(
            zip(texts, await asyncio.to_thread(self.store.embedder.embed, texts), strict=True)
        )
        self._remember(vecs)
        banks = sorted({d.bank for d in docs})
        # only serialises the index writes: catching up on other writers (dropping caches,
        # marking the bank's graph stale) is left to the next commit, which needs it
        async with self.store.sync.awriting(banks, catch_up=False):  # type: ignore[union-attr]
            keep = await asyncio.to_thread(self._still_current, docs)
            await asyncio.to_thread(self.store.index, keep, [vecs[d.text] for d in keep])

    def _still_current(self, docs: list[IndexDoc]) -> list[IndexDoc]:
        ids = [d.id for d in docs]
        texts: dict[str, str] = {}
        with self.store.db.session() as s:
            for i in range(0, len(ids), 500):
                q = select(Observation.id, Observation.text).where(
                    col(Observation.id).in_(ids[i : i + 500])
                )
                texts.update(s.exec(q).all())
        return [d for d in docs if texts.get(d.id) == d.text]

    def _embed_facts(
        self, episodes: Sequence[str], extractions: Sequence[Extraction]
    ) -> dict[str, list[float]]:
        """Fact vectors (of their index texts), computed before the writer lock so writers
        embed in parallel."""
        texts = sorted(
            {
                fact_context(f.text, ep, f.start, f.end, speaker=f.speaker).vector_text
                for ep, ex in zip(episodes, extractions, strict=True)
                for f in ex.facts
            }
        )
        if not texts:
            return {}
        emb = self.store.embedder
        vecs = emb.embed_bulk(texts) if isinstance(emb, BulkEmbedder) else emb.embed(texts)
        return dict(zip(texts, vecs, strict=True))

    async def _commit(self, p: Prepared) -> tuple[list[RetainResult], list[IndexDoc]]:
        items, todo, extractions, known, vectors = (
            p.items,
            p.todo,
            p.extractions,
            p.known,
            p.vectors,
        )
        threads = dict(zip(todo, p.threads, strict=True)) if p.threads else {}
        results: dict[int, RetainResult] = {}
        delta = IndexDelta()
        seen: dict[tuple[str, str, str], RetainResult] = {}
        touched: dict[str, dict[str, set[str]]] = {}  # bank -> subject -> slot groups
        batch = _Batch()
        try:
            with self.store.db.session() as s:
                batch.stored = latest_tails(
                    s,
                    {
                        (items[i].bank, threads.get(i, ""), items[i].mentioned_at)
                        for i, ex in zip(todo, extractions, strict=True)
                        if ex.facts
                    },
                )
                for i, ex in zip(todo, extractions, strict=True):
                    if _key(items[i]) in known:  # another process stored it meanwhile
                        results[i] = _noop(known[_key(items[i])])
                        continue
                    if _key(items[i]) in seen:  # duplicate inside the batch
                        results[i] = _noop(seen[_key(items[i])].episode_id)
                        continue
                    res, docs, groups = self._write(
                        s, items[i], ex, batch, threads.get(i, ""), p.judged
                    )
                    results[i] = seen[_key(items[i])] = res
                    delta.docs.extend(docs)
                    mine = touched.setdefault(items[i].bank, {})
                    for eid, preds in groups.items():
                        mine.setdefault(eid, set()).update(preds)
                insert_rows(s, FactEntity, batch.links)
                for bank, groups in touched.items():
                    mark_models_stale(s, bank)
                    delta.extend(refresh_groups(s, bank, groups, self.windows))
        except BaseException:
            self.resolver.invalidate()  # the cache may hold rows that were rolled back
            raise
        for i, it in enumerate(items):
            if i not in results:
                results[i] = _noop(known[_key(it)])
        ordered = [results[i] for i in range(len(items))]
        if self.after_commit is not None:
            self.after_commit(ordered)
        late = await asyncio.to_thread(self._apply, delta, vectors)
        return ordered, late

    def _apply(
        self, delta: IndexDelta, vectors: dict[str, list[float]] | None = None
    ) -> list[IndexDoc]:
        """Index what has a vector already (facts: embedded before the lock; derived texts
        embedded recently); returns the derived docs still to embed. Those are dropped from
        the indexes now, so a crash before they are indexed leaves them missing, which
        `storage.reconcile` repairs, rather than indexed with an old text."""
        self.store.unindex(delta.removed)
        cache = dict(vectors or {})
        for d in delta.docs:
            if d.text not in cache and d.text in self._derived_vecs:
                cache[d.text] = self._derived_vecs[d.text]
        ready = [d for d in delta.docs if d.text in cache]
        late = [d for d in delta.docs if d.text not in cache]
        facts = [d for d in late if d.layer == "fact"]  # not expected: embed them here
        if facts:
            texts = sorted({d.text for d in facts})
            cache.update(zip(texts, self.store.embedder.embed(texts), strict=True))
            ready += facts
            late = [d for d in late if d.layer != "fact"]
        stale = [d.id for d in late if d.id in delta.rewritten]  # new ones were never indexed
        if stale:
            self.store.unindex(stale)
        self.store.index(ready, [cache[d.text] for d in ready])
        return late

    def _remember(self, vecs: dict[str, list[float]]) -> None:
        _bounded_update(self._derived_vecs, vecs)

    def known_people_of(self, items: Sequence[RetainItem]) -> list[frozenset[str]] | None:
        """`_known_people` for all `items` when the extractor takes them, else None."""
        if not getattr(self.extractor, "takes_people", False):
            return None
        return self._known_people(items)

    def _known_people(self, items: Sequence[RetainItem]) -> list[frozenset[str]]:
        """For each item, the line labels ("Pablo" of "Pablo: tests are marked.") that its
        bank knows as a person (`EntityResolver.is_person`). Read from the resolver's cache
        of the bank (one SQL read per bank, then memory)."""
        from memory.extract.offline import known_people

        out: list[frozenset[str]] = []
        with self.store.db.session() as s:
            for it in items:
                if ":" not in it.text:
                    out.append(frozenset())
                    continue

                def person(label: str, bank: str = it.bank) -> bool:
                    return self.resolver.is_person(s, bank, label)

                out.append(known_people(it.text, person))
        return out

    def _existing(self, items: Sequence[RetainItem]) -> dict[tuple[str, str, str], str]:
        """{(bank, source, hash): episode id} for items already stored. One probe of the
        (bank, source, content_hash) unique index per item: `content_hash IN (...)` alone has
        no index and scanned every episode of every bank (linear in the bank, twice a batch)."""
        found: dict[tuple[str, str, str], str] = {}
        keys = sorted({_key(it) for it in items})
        with self.store.db.session() as s:
            for i in range(0, len(keys), 200):  # OR chains stay far below SQLite's depth limit
                part = keys[i : i + 200]
                # plain SQL text: building 600 ORM comparisons cost more than the lookup
                cond = " OR ".join(
                    f"(bank = :b{n} AND source = :s{n} AND content_hash = :h{n})"
                    for n in range(len(part))
                )
                params: dict[str, str] = {}
                for n, (b, src, h) in enumerate(part):
                    params |= {f"b{n}": b, f"s{n}": src, f"h{n}": h}
                q = text(f"SELECT id, bank, source, content_hash FROM episodes WHERE {cond}")
                for eid, bank, source, h in s.execute(q, params):  # type: ignore[call-overload]
                    found[(bank, source, h)] = eid
        return found

    @staticmethod
    def _preceding(ep: Episode, batch: _Batch) -> str:
        """The tail of the episode retained just before `ep` (storage.passages): an earlier
        episode of this batch when one has the same mention time, else the latest one in SQL
        (looked up for the whole batch before its first write: a probe per episode was a
        tenth of the commit)."""
        key = (ep.bank, ep.thread, ep.mentioned_at)
        prev = batch.last.get(key)
        if prev is not None:
            return tail(prev)
        return batch.stored.get(key, "")

    def _write(
        self,
        s: Session,
        item: RetainItem,
        ex: Extraction,
        batch: _Batch,
        thread: str = "",
        judged: dict[tuple[str, str, str], str] | None = None,
    ) -> tuple[RetainResult, list[IndexDoc], dict[str, set[str]]]:
        """Stores the episode and its facts; also returns {subject id: the slot groups
        (normalised predicates) its new facts landed in}."""
        ep = Episode(
            bank=item.bank,
            source=item.source,
            text=item.text,
            content_hash=content_hash(item.text),
            mentioned_at=item.mentioned_at,
            meta=item.metadata,
            thread=thread,
        )
        before = self._preceding(ep, batch) if ex.facts else ""
        batch.last[(ep.bank, ep.thread, ep.mentioned_at)] = ep.text
        s.add(ep)
        res = RetainResult(ep.id, extractor=ex.extractor, warnings=list(ex.warnings))
        docs: list[IndexDoc] = []
        touched: dict[str, set[str]] = {}
        for xf in ex.facts:
            fact, entity_ids = self._write_fact(s, ep, xf, batch.links)
            res.fact_ids.append(fact.id)
            if fact.subject_entity_id:
                preds = touched.setdefault(fact.subject_entity_id, set())
                if fact.predicate:  # consolidate groups by the normalised stored predicate
                    preds.add(normalise_predicate(fact.predicate))
            res.entities += entity_ids
            ctx = fact_context(
                fact.text,
                ep.text,
                fact.span_start,
                fact.span_end,
                before=before,
                speaker=xf.speaker,
            )
            docs.append(
                IndexDoc(
                    fact.id,
                    ep.bank,
                    ctx.vector_text,
                    "fact",
                    fact.kind,
                    entity_ids,
                    keyword_text=ctx.keyword_text,
                )
            )
            named = naming_old_value(s, self.resolver, ep.bank, xf, fact.id)
            agreed = {k[2]: v for k, v in (judged or {}).items() if k[:2] == (ep.bank, fact.text)}
            retired = supersede(s, fact, batch.slots, named, agreed, self._embed_attributes)
            res.superseded.extend(old.id for old in retired)
            res.supersessions += [{"fact_id": o.id, "text": o.text, **(o.supersession or {})}
                                  for o in retired]  # fmt: skip
            self.windows.note(fact, [old.id for old in retired])
        for who in sorted({xf.speaker for xf in ex.facts if xf.speaker}):
            self.resolver.resolve(s, ep.bank, who, "person")  # a speaker is a person we know
        res.entities = self.resolver.names(s, ep.bank, res.entities)
        if ep.bank not in batch.topics:
            batch.topics[ep.bank] = bank_topics(s, ep.bank)
        res.beliefs = record_beliefs(
            s,
            ep,
            ex.facts,
            res.fact_ids,
            self._embed_statements,
            batch.topics[ep.bank],
            batch.beliefs.setdefault(ep.bank, {}),
        )
        return res, docs, touched

    def _embed_statements(self, texts: list[str]) -> list[list[float]]:
        """Vectors for belief matching (few texts: statements near an existing belief)."""
        return _memoised(self._derived_vecs, self.store.embedder.embed, texts)

    def _embed_attributes(self, texts: list[str]) -> list[list[float]]:
        """Vectors for slot matching by meaning (`memory.slot_meaning`: a few short attribute
        phrases against a fixed line), from the embedder's float twin where it has one
        (`MiniLMEmbedder.reference`): int8 cosines move with the CPU's instruction set, and a
        pair near the line would be one attribute on one machine and two on the next."""
        reference = getattr(self.store.embedder, "reference", None)
        embed = reference().embed if reference is not None else self.store.embedder.embed
        return _memoised(self._attribute_vecs, embed, texts)

    def _write_fact(
        self, s: Session, ep: Episode, xf: ExtractedFact, links: list[dict[str, str]]
    ) -> tuple[Fact, list[str]]:
        """Adds the fact; its entity links go to `links` (inserted as plain rows once the
        batch's facts are flushed: an ORM object per link cost more than the insert)."""
        ids: dict[str, str] = {}
        names = [m.name for m in xf.entities] + ([xf.subject] if xf.subject else [])
        kinds = {m.name: m.kind for m in xf.entities}
        for m in xf.entities:
            ctx = frozenset(n for n in names if n != m.name)
            eid = self.resolver.resolve(s, ep.bank, m.name, m.kind, context=ctx)
            if eid is not None:  # None: unresolved between several candidates
                ids.setdefault(eid, "mention")
        subject_id = None
        if xf.subject:
            ctx = frozenset(n for n in names if n != xf.subject)
            kind = "person" if xf.subject == xf.speaker else kinds.get(xf.subject, "thing")
            subject_id = self.resolver.resolve(s, ep.bank, xf.subject, kind, context=ctx)
            if subject_id is not None:
                ids[subject_id] = "subject"
        targets = [
            eid
            for t in xf.targets
            if t.strip() and (eid := self.resolver.resolve(s, ep.bank, t, "thing")) is not None
        ]
        self.resolver.note_context(ep.bank, ids, names)
        fact = Fact(
            bank=ep.bank,
            episode_id=ep.id,
            text=xf.text,
            kind=xf.kind,
            span_start=xf.start,
            span_end=xf.end,
            subject_entity_id=subject_id,
            predicate=normalise_slot(xf.predicate),
            object=xf.object,
            occurred_start=_aware(xf.occurred_start),
            occurred_end=_aware(xf.occurred_end),
            mentioned_at=ep.mentioned_at,
            slot=slot_info(xf, targets),
        )
        s.add(fact)
        links += [
            {"fact_id": fact.id, "entity_id": eid, "bank": ep.bank, "role": role}
            for eid, role in ids.items()
        ]
        return fact, list(ids)


def _speaker_hint(item: RetainItem) -> str | None:
    who = item.metadata.get("speaker")
    return who.strip() if isinstance(who, str) and who.strip() else None


def thread_of(item: RetainItem, ex: Extraction) -> str:
    """The thread an episode belongs to (`storage.passages`): the caller's `thread` metadata;
    else "chat" for a conversation turn (the text opens with a person speaking, or the caller
    named a speaker), so the turns of one session follow each other; else its document (the
    source without a "#fragment"), so two documents of one date never share context."""
    given = item.metadata.get("thread")
    if isinstance(given, str) and given.strip():
        return given.strip()
    if item.metadata.get("speaker") or any(f.speaker for f in ex.facts[:1]):
        return "chat"
    if item.source:
        return "doc:" + item.source.split("#", 1)[0]
    return "note:" + content_hash(item.text)[:16]


def _aware(t: datetime | None) -> datetime | None:
    if t is None:
        return None
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t


def _key(it: RetainItem) -> tuple[str, str, str]:
    return (it.bank, it.source, content_hash(it.text))


def _noop(episode_id: str) -> RetainResult:
    return RetainResult(episode_id, noop=True)


def _bounded_update(memo: OrderedDict[str, list[float]], vecs: dict[str, list[float]]) -> None:
    """Add `vecs` to `memo`, dropping the oldest beyond DERIVED_VECTOR_MEMO."""
    memo.update(vecs)
    while len(memo) > DERIVED_VECTOR_MEMO:
        memo.popitem(last=False)


def _memoised(
    memo: OrderedDict[str, list[float]],
    embed: Callable[[list[str]], list[list[float]]],
    texts: list[str],
) -> list[list[float]]:
    """`embed(texts)`, embedding only the texts `memo` lacks (and remembering them)."""
    todo = sorted({t for t in texts if t not in memo})
    if todo:
        _bounded_update(memo, dict(zip(todo, embed(todo), strict=True)))
    return [memo.get(t) or embed([t])[0] for t in texts]
