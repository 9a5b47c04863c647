"""`Store`: the SQL database plus the three derived indexes and the embedder, kept in step.

SQL is the source of truth. Vector, keyword and graph entries are derived from it: `index()`
writes them after the SQL commit, `unindex()` removes them, and `reconcile()` (run on open)
repairs whatever a crash in between left behind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from storage.db import Database, sqlite_url
from storage.embedder import Embedder
from storage.graph import EntityGraph
from storage.index_text import fact_context
from storage.keyword import KeywordIndex, keyword_index_for
from storage.passages import preceding_texts
from storage.schema import Episode, Fact, FactEntity
from storage.sync import BankSync, FolderLock
from storage.turns import write_turns
from storage.vectors import ChromaVectorIndex, VectorIndex

__all__ = ["Store", "IndexDoc", "CLOCK_SKEW", "graph_marks"]


CLOCK_SKEW = timedelta(seconds=30)  # how far the clocks of hosts sharing a database may differ


def graph_marks(
    db: Database, sync: BankSync | None, bank: str | None = None
) -> dict[str, tuple[int, datetime | None]]:
    """{bank: (rewrite version, latest fact recording time)}: what a graph loaded now reflects.
    Read before the links, so what lands in between is caught up on, not missed."""
    rewrites = sync.rewrites(bank) if sync is not None else {}
    with db.session() as s:
        q = select(Fact.bank, func.max(Fact.recorded_at)).group_by(Fact.bank)
        if bank is not None:
            q = q.where(Fact.bank == bank)
        latest = {b: t for b, t in s.exec(q)}
    return {b: (rewrites.get(b, 0), latest.get(b)) for b in set(rewrites) | set(latest)}


@dataclass
class IndexDoc:
    """One text to index: a fact, an observation or a mental-model summary (`layer`)."""

    id: str
    bank: str
    text: str
    layer: str = "fact"
    kind: str = "world"
    entity_ids: list[str] = field(default_factory=list)  # graph links (facts only)
    # what the keyword index sees when it differs from `text` (a fact's passage in its episode,
    # see storage.index_text); for facts, "" means "not contextualised yet" (Store.index fills it)
    keyword_text: str = ""


def _fact_vectors(
    docs: Sequence[IndexDoc], vecs: Sequence[Sequence[float]]
) -> dict[str, Sequence[float]]:
    return {d.id: v for d, v in zip(docs, vecs, strict=True) if d.layer == "fact"}


@dataclass
class Store:
    db: Database
    vectors: VectorIndex
    keywords: KeywordIndex
    graph: EntityGraph
    embedder: Embedder
    home: Path | None = None
    sync: BankSync | None = field(default=None, repr=False)  # writer locks + change clock
    owner_lock: FolderLock | None = field(default=None, repr=False)  # embedded Chroma folder

    _stale_graphs: set[str] = field(default_factory=set, init=False, repr=False)
    # bank -> (rewrite version, latest fact recording time) the bank's graph reflects
    _graph_marks: dict[str, tuple[int, datetime | None]] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        if self.sync is None:
            self.sync = BankSync(self.db)
        self.sync.on_stale = self.mark_graph_stale
        self.sync.on_rewrite = self._rewrote

    @classmethod
    def open(
        cls,
        home: Path,
        url: str | None = None,
        embedder: Embedder | None = None,
        *,
        vectors: VectorIndex | None = None,
        reconcile: bool = True,
        chroma_url: str | None = None,
    ) -> Store:
        """The embedded layout under `home`: `engram.db` (SQLite) and `chroma/` (vectors).

        `url` switches the SQL store (e.g. PostgreSQL); `chroma_url` (http://host:port) uses a
        Chroma server instead of the embedded folder, which one process owns at a time
        (`FolderBusy` otherwise); `embedder` defaults to MiniLM.
        """
        home = Path(home)
        home.mkdir(parents=True, exist_ok=True)
        db = Database(url or sqlite_url(home / "engram.db"))
        if embedder is None:
            from storage.embedder import MiniLMEmbedder

            embedder = MiniLMEmbedder()
        owner = None
        if vectors is None and chroma_url:
            from storage.chroma_server import http_client, server_collection

            client = http_client(chroma_url)
            name = server_collection(db.url, embedder.dim)
            vectors = ChromaVectorIndex(None, embedder.dim, client=client, collection=name,
                                        url=chroma_url)  # fmt: skip
        elif vectors is None:
            owner = FolderLock(home / "chroma").acquire()
            vectors = ChromaVectorIndex(home / "chroma", embedder.dim)
        # the change clock and each bank's graph marks are read before the graph, so a write
        # landing meanwhile is caught up on later rather than missed
        sync = BankSync(db)
        marks = graph_marks(db, sync)
        graph = EntityGraph.load(db)
        store = cls(db, vectors, keyword_index_for(db), graph, embedder, home, sync=sync)
        store._graph_marks = marks
        store.owner_lock = owner
        if reconcile:
            from storage.reconcile import reconcile as _reconcile

            _reconcile(store)
        return store

    def index(
        self, docs: Sequence[IndexDoc], vectors: Sequence[Sequence[float]] | None = None
    ) -> None:
        """Write docs to the vector, keyword and graph indexes (embedding them unless given)."""
        if not docs:
            return
        if vectors is None:  # reconcile/forget hand bare fact texts: index them in context too
            self.contextualise([d for d in docs if d.layer == "fact" and not d.keyword_text])
        vecs = vectors if vectors is not None else self.embedder.embed([d.text for d in docs])
        metas = [{"layer": d.layer, "kind": d.kind} for d in docs]
        self.vectors.upsert([d.id for d in docs], vecs, [d.bank for d in docs], metas)
        self.keywords.upsert([(d.id, d.bank, d.keyword_text or d.text) for d in docs])
        for d in docs:
            if d.layer == "fact":
                self.graph.add_fact(d.id, d.bank, d.entity_ids)
        write_turns(self.db, self.vectors, _fact_vectors(docs, vecs))

    def contextualise(self, docs: Sequence[IndexDoc]) -> None:
        """Set each fact doc's index texts from its episode (storage.index_text), in place."""
        ids = [d.id for d in docs]
        found: dict[str, tuple[str, str, int, int]] = {}
        episode_of: dict[str, str] = {}
        with self.db.session() as s:
            for i in range(0, len(ids), 500):
                q = (
                    sa_select(
                        col(Fact.id),
                        col(Fact.text),
                        col(Episode.text),
                        col(Fact.span_start),
                        col(Fact.span_end),
                        col(Episode.id),
                    )
                    .join(Episode, col(Episode.id) == col(Fact.episode_id))
                    .where(col(Fact.id).in_(ids[i : i + 500]))
                )
                for fid, text, ep_text, start, end, eid in s.execute(q):
                    found[fid] = (text, ep_text, start, end)
                    episode_of[fid] = eid
            before = preceding_texts(s, set(episode_of.values()))
        for d in docs:
            if d.id in found:
                ctx = fact_context(*found[d.id], before=before.get(episode_of[d.id], ""))
                d.text, d.keyword_text = ctx.vector_text, ctx.keyword_text

    def reindex_facts(self, ids: Sequence[str]) -> None:
        """Rewrite the vector and keyword entries of facts whose episode text changed (forget
        redacts a forgotten sentence, and its neighbours were indexed with it as context)."""
        with self.db.session() as s:
            rows: list[tuple[str, str, str]] = []
            for i in range(0, len(ids), 500):
                q = select(Fact.id, Fact.bank, Fact.kind).where(
                    col(Fact.id).in_(list(ids[i : i + 500]))
                )
                rows += s.exec(q).all()
        docs = [IndexDoc(fid, bank, "", "fact", kind) for fid, bank, kind in rows]
        self.contextualise(docs)
        if docs:
            vecs = self.embedder.embed([d.text for d in docs])
            metas = [{"layer": d.layer, "kind": d.kind} for d in docs]
            self.vectors.upsert([d.id for d in docs], vecs, [d.bank for d in docs], metas)
            self.keywords.upsert([(d.id, d.bank, d.keyword_text or d.text) for d in docs])
            write_turns(self.db, self.vectors, _fact_vectors(docs, vecs))

    def unindex(self, ids: Sequence[str]) -> None:
        """Remove ids from every index (missing ids are ignored)."""
        if not ids:
            return
        self.vectors.delete(list(ids))
        self.keywords.delete(list(ids))
        self.graph.remove_facts(ids)

    def mark_graph_stale(self, bank: str) -> None:
        """Another process wrote to `bank`: its graph catches up when next read (`fresh_graph`),
        not now. A writer that only ingests never reads the graph, and reloading a large bank's
        links under every writer-lock hold made several writers of one bank wait on each other
        (the whole link table per batch at 130k facts)."""
        self._stale_graphs.add(bank)

    def fresh_graph(self, bank: str) -> EntityGraph:
        """The entity graph, with `bank` brought up to date first if another process changed
        it: by the facts recorded since it last looked when nobody removed or relinked facts
        meanwhile (`BankSync.writing(rewrite=True)`), else by reloading the bank's links."""
        if bank in self._stale_graphs:
            self._stale_graphs.discard(bank)
            self.catch_up_bank(bank)
        return self.graph

    def catch_up_bank(self, bank: str) -> None:
        """Add the links of facts recorded in `bank` since the graph last looked (minus
        `CLOCK_SKEW`, for writers on other hosts; adding a link twice changes nothing)."""
        seen = self._graph_marks.get(bank)
        rewrites, latest = graph_marks(self.db, self.sync, bank).get(bank, (0, None))
        if seen is None or seen[0] != rewrites or (seen[1] is None and latest is not None):
            self.reload_bank(bank)  # never looked, rewritten, or every fact is new: read all
            return
        since = seen[1]
        if latest is not None and since is not None:
            links: dict[str, list[str]] = defaultdict(list)
            with self.db.session() as s:
                q = (
                    select(FactEntity.fact_id, FactEntity.entity_id)
                    .join(Fact, Fact.id == FactEntity.fact_id)  # type: ignore[arg-type]
                    .where(Fact.bank == bank, col(Fact.recorded_at) >= since - CLOCK_SKEW)
                )
                for fid, eid in s.exec(q):
                    links[fid].append(eid)
            for fid, eids in links.items():
                self.graph.add_fact(fid, bank, eids)
        self._graph_marks[bank] = (rewrites, latest or since)

    def reload_bank(self, bank: str) -> None:
        """Reload `bank`'s entity graph from SQL (another process rewrote it)."""
        marks = graph_marks(self.db, self.sync, bank)  # before the links: see `open`
        links: dict[str, list[str]] = defaultdict(list)
        with self.db.session() as s:
            q = select(FactEntity.fact_id, FactEntity.entity_id).where(FactEntity.bank == bank)
            for fid, eid in s.exec(q):
                links[fid].append(eid)
        self.graph.drop_bank(bank)
        for fid, eids in links.items():
            self.graph.add_fact(fid, bank, eids)
        self._graph_marks[bank] = marks.get(bank, (0, None))

    def _rewrote(self, bank: str, version: int) -> None:
        """This process removed or relinked facts in `bank` (and updates its own graph): when
        nobody else rewrote the bank in between, its graph still needs no reload."""
        seen = self._graph_marks.get(bank)
        if seen is not None and seen[0] == version - 1:
            self._graph_marks[bank] = (version, seen[1])

    def close(self) -> None:
        close_vectors = getattr(self.vectors, "close", None)
        if close_vectors is not None:
            close_vectors()
        self.db.dispose()
        if self.owner_lock is not None:
            self.owner_lock.release()
            self.owner_lock = None
