"""`Memory`: the facade over a `Store` — retain, recall, entity, beliefs, merge/split, forget,
mental models. Async core (`aretain`, `arecall`, ...) with thin sync wrappers (`retain`, ...).

Every method takes `bank` and touches only that bank's rows and index entries.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlmodel import select

from memory.belief_store import BeliefView, belief_views
from memory.entities import EntityView, entity_view, find_entity, merge_entities, split_entity
from memory.errors import InvalidInput, NotFound
from memory.forget import (
    ForgetReport,
    facts_of_entity,
    facts_of_episodes,
    facts_of_source,
    forget_bank,
    forget_facts,
)
from memory.mental import MentalModelView, mental_model_views, refresh_models, register_model
from memory.models import Extraction, Hit, TimeRange
from memory.ports import ChatModel
from memory.resolve_store import EntityResolver
from memory.retain import (
    Extractor,
    Retainer,
    RetainItem,
    RetainResult,
    clean_bank,
    clean_text,
    content_hash,
    to_utc,
)
from storage.schema import Fact, FactEntity, utcnow
from storage.store import Store

__all__ = ["Memory", "OfflineExtractor", "LLMExtractor"]

T = TypeVar("T")
PREPARE_AHEAD = 2  # chunks of a retain_many batch extracted and embedded ahead of the commit


class OfflineExtractor:
    """The deterministic extractor (`memory.extract.offline`); a batch is parsed at once, in a
    worker thread (the event loop stays free for the previous batch's commit)."""

    async def extract(self, text: str, mentioned_at: datetime) -> Extraction:
        return (await self.extract_many([(text, mentioned_at)]))[0]

    # `Retainer.prepare` passes `people` (the line labels each text's bank knows as people)
    takes_people = True

    async def extract_many(
        self,
        items: Sequence[tuple[str, datetime]],
        speakers: Sequence[str | None] = (),
        people: Sequence[frozenset[str]] = (),
    ) -> list[Extraction]:
        """`speakers`: who said each text, when the caller knows (its "Name:" is then taken
        for a speaker whatever the name); `people`: line labels of each text that its bank
        knows as people (`memory.extract.offline.known_people`)."""
        from memory.extract.offline import extract_offline_many

        who = list(speakers) or [None] * len(items)
        rows = [(t, w, s) for (t, w), s in zip(items, who, strict=True)]
        return await asyncio.to_thread(extract_offline_many, rows, people)


class LLMExtractor:
    """Structured LLM extraction; retries bad JSON, then falls back to the offline path. An
    endpoint that fails outright also falls back, so the episode is never lost to an outage."""

    def __init__(self, lm: ChatModel) -> None:
        self.lm = lm

    async def extract(self, text: str, mentioned_at: datetime) -> Extraction:
        from memory.extract.llm import extract_llm
        from memory.extract.offline import extract_offline

        try:
            return await extract_llm(text, mentioned_at, self.lm)
        except Exception as exc:  # any endpoint failure: keep the episode
            ex = extract_offline(text, mentioned_at)
            ex.extractor = "llm-fallback-offline"
            ex.warnings.append(f"LLM extraction failed ({type(exc).__name__}: {exc}); used offline")
            return ex


def _run(coro: Awaitable[T]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)  # type: ignore[arg-type]
    raise RuntimeError("Memory's sync methods cannot run inside an event loop; await the a* twin")


class Memory:
    """Persistent agent memory. `lm` (optional) drives LLM extraction, the ambiguous band of
    entity resolution and mental-model summaries; `clock` returns the aware "now"."""

    def __init__(
        self,
        store: Store,
        lm: ChatModel | None = None,
        extractor: Extractor | None = None,
        clock: Callable[[], datetime] | None = None,
        *,
        after_commit: Callable[[list[RetainResult]], None] | None = None,
    ) -> None:
        self.store = store
        self.lm = lm
        self.extractor = extractor or (LLMExtractor(lm) if lm is not None else OfflineExtractor())
        self.clock = clock or utcnow
        self.resolver = EntityResolver()
        self._retainer = Retainer(
            store, self.extractor, self.resolver, after_commit=after_commit,
            settle=self._settle_ambiguous, judge=lm,
        )  # fmt: skip

    # -- retain --------------------------------------------------------------------------------
    def _item(
        self,
        text: str | bytes,
        mentioned_at: datetime | str | None = None,
        source: str | None = None,
        bank: str = "default",
        metadata: dict[str, Any] | None = None,
    ) -> RetainItem:
        if source is not None and (not isinstance(source, str) or "\x00" in source):
            raise InvalidInput("source", "must be a string without NUL bytes")
        if metadata is not None and not isinstance(metadata, dict):
            raise InvalidInput("metadata", "must be a dict")
        return RetainItem(
            text=clean_text(text),
            mentioned_at=to_utc(mentioned_at, self.clock()),
            source=source or "",
            bank=clean_bank(bank),
            metadata=dict(metadata or {}),
        )

    async def aretain(
        self,
        text: str | bytes,
        mentioned_at: datetime | str | None = None,
        source: str | None = None,
        bank: str = "default",
        metadata: dict[str, Any] | None = None,
    ) -> RetainResult:
        """Store `text` as an episode and everything derived from it. Bad input raises
        `InvalidInput` and changes nothing; the same (bank, source, text) again is a no-op."""
        item = self._item(text, mentioned_at, source, bank, metadata)
        return (await self.aretain_many([item]))[0]

    async def aretain_many(
        self, batch: Iterable[RetainItem | dict[str, Any] | str], *, chunk: int = 256
    ) -> list[RetainResult]:
        """Retain many episodes, embedding in batches. Items are `RetainItem`s, dicts of
        `aretain` keyword arguments, or plain strings. All are validated before any is written."""
        items = [
            b
            if isinstance(b, RetainItem)
            else self._item(b)
            if isinstance(b, str)
            else self._item(**b)
            for b in batch
        ]
        keys = [(it.bank, it.source, content_hash(it.text)) for it in items]
        first: dict[tuple[str, str, str], int] = {}
        for n, key in enumerate(keys):  # duplicates inside the batch map to their first copy
            first.setdefault(key, n)
        uniq = sorted(set(first.values()))
        done = dict(zip(uniq, await self._pipelined([items[n] for n in uniq], chunk), strict=True))
        out = []
        for n, key in enumerate(keys):
            r = done[first[key]]
            out.append(r if n in done else RetainResult(r.episode_id, noop=True))
        return out

    async def _pipelined(self, items: list[RetainItem], chunk: int) -> list[RetainResult]:
        """Commit chunks in order while later chunks are extracted and embedded.

        Two chunks are prepared ahead: one chunk's extraction (Python) then overlaps the
        previous chunk's embedding (ONNX, which releases the GIL) even in a batch of only two
        chunks, where preparing one ahead left the first chunk's embedding alone on a core."""
        parts = [items[i : i + chunk] for i in range(0, len(items), chunk)]
        out: list[RetainResult] = []
        # the labels the banks know as people, read once before any chunk commits: read per
        # chunk while an earlier one commits, they depended on how far that commit had got
        people = await asyncio.to_thread(self._retainer.known_people_of, items)
        known = [
            None if people is None else people[i : i + chunk] for i in range(0, len(items), chunk)
        ]
        ahead = [
            asyncio.ensure_future(self._retainer.prepare(p, known[k]))
            for k, p in enumerate(parts[:PREPARE_AHEAD])
        ]
        try:
            for k in range(len(parts)):
                ready = await ahead[k]
                if k + PREPARE_AHEAD < len(parts):
                    j = k + PREPARE_AHEAD
                    nxt = self._retainer.prepare(parts[j], known[j])
                    ahead.append(asyncio.ensure_future(nxt))
                out += await self._retainer.commit(ready)
        except BaseException:
            for f in ahead:
                f.cancel()
            raise
        return out

    async def _settle_ambiguous(
        self, items: Sequence[RetainItem], extractions: Sequence[Extraction]
    ) -> None:
        """With an LLM, decide the ambiguous entity mentions before the SQL write."""
        if self.lm is None:
            return
        from memory.resolve import normalise_name, resolve_ambiguous

        asks = []
        with self.store.db.session() as s:
            for it, ex in zip(items, extractions, strict=True):
                for f in ex.facts:
                    for name in [m.name for m in f.entities] + ([f.subject] if f.subject else []):
                        amb = self.resolver.ambiguous(s, it.bank, name)
                        if amb is not None:
                            asks.append((it.bank, name, amb))
        for bank, name, (mention, cands) in asks:
            decision = await resolve_ambiguous(mention, cands, self.lm)
            self.resolver.settled[(bank, normalise_name(name))] = decision.entity_id

    # -- recall --------------------------------------------------------------------------------
    async def arecall(
        self,
        query: str,
        *,
        bank: str = "default",
        k: int = 10,
        time_range: TimeRange | None = None,
        as_of: datetime | str | None = None,
        now: datetime | str | None = None,
        layers: Sequence[str] = ("fact", "observation", "mental_model"),
        explain: bool = False,
        **options: Any,
    ) -> list[Hit]:
        """Top-k hits for `query`. `now` (a datetime or ISO string; default the clock) is the
        moment the question is asked: time words in the query ("last week") and a relative
        `as_of` are read against it, so a question about the past can be asked as of then."""
        from memory.recall import recall

        if not isinstance(query, str) or "\x00" in query:
            raise InvalidInput("query", "must be text without NUL bytes")
        ref = to_utc(now, self.clock()) if now is not None else self.clock()
        when = to_utc(as_of, ref) if as_of is not None else None
        bank = clean_bank(bank)
        if await asyncio.to_thread(self.store.sync.changed, bank):  # type: ignore[union-attr]
            self.resolver.invalidate(bank)  # another process wrote; the graph catches up on read
        return await recall(
            self.store, query, bank=bank, k=k, time_range=time_range, as_of=when,
            now=ref, layers=tuple(layers), explain=explain, **options,
        )  # fmt: skip

    # -- entities ------------------------------------------------------------------------------
    async def aentity(self, name: str, bank: str = "default") -> EntityView | None:
        """The canonical entity for `name` (or an alias) with aliases and facts in time order."""
        with self.store.db.session() as s:
            return entity_view(s, clean_bank(bank), name, resolver=self.resolver)

    async def amerge(self, keep: str, merge: str, bank: str = "default") -> dict[str, Any]:
        """Merge entity `merge` into `keep` (logged; `split` undoes it)."""
        bank = clean_bank(bank)
        async with self.store.sync.awriting([bank], rewrite=True):  # type: ignore[union-attr]
            with self.store.db.session() as s:
                log, moves = merge_entities(s, bank, keep, merge)
                result = {
                    "merge_id": log.id,
                    "kept": keep,
                    "merged": log.merged_name,
                    "moved": log.moved,
                }
            self._after_relink(bank, [m[0] for m in moves], removed=[log.merged_id])
        return result

    async def asplit(self, name: str, bank: str = "default") -> dict[str, Any]:
        """Undo the merge that brought `name` in, or split the alias `name` into its own entity."""
        bank = clean_bank(bank)
        async with self.store.sync.awriting([bank], rewrite=True):  # type: ignore[union-attr]
            with self.store.db.session() as s:
                ent, moves = split_entity(s, bank, name)
                result = {"entity_id": ent.id, "name": ent.name, "facts_moved": len(moves)}
            self._after_relink(bank, [m[0] for m in moves])
        return result

    def _after_relink(self, bank: str, fact_ids: list[str], removed: Sequence[str] = ()) -> None:
        self.resolver.invalidate(bank)
        graph = self.store.graph
        graph.remove_facts(fact_ids)
        graph.remove_entities(removed)
        with self.store.db.session() as s:
            for fid in fact_ids:
                q = select(FactEntity.entity_id).where(FactEntity.fact_id == fid)
                graph.add_fact(fid, bank, list(s.exec(q)))

    # -- beliefs -------------------------------------------------------------------------------
    async def abeliefs(self, topic: str | None = None, bank: str = "default") -> list[BeliefView]:
        """Beliefs (optionally about `topic`) with confidence and its history."""
        with self.store.db.session() as s:
            return belief_views(s, clean_bank(bank), topic)

    # -- forget --------------------------------------------------------------------------------
    async def aforget(
        self,
        fact: str | None = None,
        *,
        source: str | None = None,
        entity: str | None = None,
        everything: bool = False,
        bank: str = "default",
    ) -> ForgetReport:
        """Hard-delete one fact, a source, an entity, or (`everything=True`) the whole bank."""
        bank = clean_bank(bank)
        given = [x for x in (fact, source, entity) if x is not None] + (
            [True] if everything else []
        )
        if len(given) != 1:
            raise InvalidInput("forget", "give exactly one of fact, source, entity, everything")
        try:
            async with self.store.sync.awriting([bank], rewrite=True):  # type: ignore[union-attr]
                return await asyncio.to_thread(self._forget, bank, fact, source, entity, everything)
        finally:
            self.resolver.invalidate(bank)

    async def aforget_episodes(
        self, episode_ids: Sequence[str], *, bank: str = "default"
    ) -> ForgetReport:
        """Hard-delete these episodes and everything derived from them (ingestion replacing an
        older version of a document). Ids the bank no longer holds are skipped, so forgetting
        the same episodes twice (a re-run after a crash) changes nothing the second time."""
        bank = clean_bank(bank)
        ids = [str(i) for i in episode_ids]
        if not ids:
            return ForgetReport()
        try:
            async with self.store.sync.awriting([bank], rewrite=True):  # type: ignore[union-attr]
                return await asyncio.to_thread(self._forget_episodes, bank, ids)
        finally:
            self.resolver.invalidate(bank)

    def _forget_episodes(self, bank: str, ids: list[str]) -> ForgetReport:
        with self.store.db.session() as s:
            facts, eps = facts_of_episodes(s, bank, ids)
        if not eps:
            return ForgetReport()
        return forget_facts(self.store, bank, facts, episodes=eps)

    def _forget(
        self, bank: str, fact: str | None, source: str | None, entity: str | None, everything: bool
    ) -> ForgetReport:
        if everything:
            n = forget_bank(self.store, bank)
            return ForgetReport(facts=[], episodes=[], entities=[], observations=[], beliefs=[
                f"bank {bank!r}: {n} facts"])  # fmt: skip
        eps: list[str] = []
        ents: list[str] = []
        with self.store.db.session() as s:
            if fact is not None:
                f = s.get(Fact, fact)
                if f is None or f.bank != bank:
                    raise NotFound("fact", fact, bank)
                facts = [fact]
            elif source is not None:
                facts, eps = facts_of_source(s, bank, source)
                if not eps:
                    raise NotFound("source", source, bank)
            else:
                ent = find_entity(s, bank, entity or "")
                if ent is None:
                    raise NotFound("entity", entity or "", bank)
                facts, ents = facts_of_entity(s, bank, ent.id), [ent.id]
        return forget_facts(self.store, bank, facts, episodes=eps, entity_ids=ents)

    # -- mental models -------------------------------------------------------------------------
    async def aregister_mental_model(self, question: str, bank: str = "default") -> str:
        if not isinstance(question, str) or not question.strip():
            raise InvalidInput("question", "empty")
        with self.store.db.session() as s:
            return register_model(s, clean_bank(bank), question.strip())

    async def arefresh(self, bank: str = "default", *, only_stale: bool = True) -> list[str]:
        """Refresh mental-model summaries from recall; returns the ids refreshed."""
        return await refresh_models(self, clean_bank(bank), only_stale=only_stale)

    async def amental_models(self, bank: str = "default") -> list[MentalModelView]:
        with self.store.db.session() as s:
            return mental_model_views(s, clean_bank(bank))

    # -- sync wrappers -------------------------------------------------------------------------
    def retain(self, *args: Any, **kwargs: Any) -> RetainResult:
        return _run(self.aretain(*args, **kwargs))

    def retain_many(self, *args: Any, **kwargs: Any) -> list[RetainResult]:
        return _run(self.aretain_many(*args, **kwargs))

    def recall(self, *args: Any, **kwargs: Any) -> list[Hit]:
        return _run(self.arecall(*args, **kwargs))

    def entity(self, *args: Any, **kwargs: Any) -> EntityView | None:
        return _run(self.aentity(*args, **kwargs))

    def beliefs(self, *args: Any, **kwargs: Any) -> list[BeliefView]:
        return _run(self.abeliefs(*args, **kwargs))

    def merge(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return _run(self.amerge(*args, **kwargs))

    def split(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return _run(self.asplit(*args, **kwargs))

    def forget(self, *args: Any, **kwargs: Any) -> ForgetReport:
        return _run(self.aforget(*args, **kwargs))

    def forget_episodes(self, *args: Any, **kwargs: Any) -> ForgetReport:
        return _run(self.aforget_episodes(*args, **kwargs))

    def register_mental_model(self, *args: Any, **kwargs: Any) -> str:
        return _run(self.aregister_mental_model(*args, **kwargs))

    def refresh(self, *args: Any, **kwargs: Any) -> list[str]:
        return _run(self.arefresh(*args, **kwargs))

    def mental_models(self, *args: Any, **kwargs: Any) -> list[MentalModelView]:
        return _run(self.amental_models(*args, **kwargs))
