"""Move a memory from one store to another (`engram migrate --to URL`): typically the embedded
SQLite + Chroma folder into a shared PostgreSQL (+ Chroma server).

Every table is copied in migration order (parents before children) with its ids kept. Vectors
are copied from the source's Chroma when both sides use the same embedder and dimension, else
re-embedded; keyword entries are rebuilt from the SQL text. Afterwards the target is verified:
every source row's primary key is present, and per bank SQL == keyword == vector counts.

Modes: "fresh" (the default) refuses a target that holds rows the source does not have, so a
shared memory is never mixed by accident; re-running a finished migration is a no-op that only
verifies. "merge" adds missing rows and keeps the target's; "force" also overwrites target rows
that share an id with the source.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Table, func, select
from sqlalchemy.dialects import postgresql, sqlite

from storage.errors import MigrationError
from storage.reconcile import _links as fact_links
from storage.reconcile import expected_docs, reconcile
from storage.schema import ALL_TABLES
from storage.store import IndexDoc, Store

__all__ = ["MigrationReport", "migrate_store", "Mode"]

Mode = Literal["fresh", "merge", "force"]
BATCH = 1000


@dataclass
class MigrationReport:
    mode: str
    tables: dict[str, dict[str, int]] = field(default_factory=dict)  # source/target/copied
    indexes: dict[str, dict[str, int]] = field(default_factory=dict)  # bank -> sql/keyword/vector
    vectors_copied: int = 0
    vectors_embedded: int = 0
    already_done: bool = False

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _tables() -> list[Table]:
    return [t.__table__ for t in ALL_TABLES]  # type: ignore[attr-defined]


def _pk(table: Table) -> list[Any]:
    return list(table.primary_key.columns)


def _keys(store: Store, table: Table) -> set[tuple[Any, ...]]:
    with store.db.engine.connect() as c:
        return {tuple(r) for r in c.execute(select(*_pk(table)))}


def _rows(store: Store, table: Table) -> Iterator[list[dict[str, Any]]]:
    order = _pk(table)
    with store.db.engine.connect() as c:
        result = c.execution_options(yield_per=BATCH).execute(select(table).order_by(*order))
        for part in result.mappings().partitions(BATCH):
            yield [dict(r) for r in part]


def _insert(store: Store, table: Table, rows: Sequence[dict[str, Any]], mode: Mode) -> None:
    dialect = store.db.dialect
    mod = postgresql if dialect == "postgresql" else sqlite
    if dialect not in ("postgresql", "sqlite"):
        raise MigrationError(f"unsupported target SQL dialect {dialect!r}")
    stmt = mod.insert(table)
    if mode == "force":
        pk = [c.name for c in _pk(table)]
        cols = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in pk}
        stmt = stmt.on_conflict_do_update(index_elements=pk, set_=cols) if cols else (
            stmt.on_conflict_do_nothing()
        )  # fmt: skip
    else:
        stmt = stmt.on_conflict_do_nothing()
    with store.db.engine.begin() as c:
        c.execute(stmt, list(rows))


def _count(store: Store, table: Table) -> int:
    with store.db.engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(table)).scalar_one())


def _check_target(source: Store, target: Store, mode: Mode) -> bool:
    """True when the target already holds exactly the source (a finished earlier run)."""
    foreign, complete = 0, True
    for table in _tables():
        have, want = _keys(target, table), _keys(source, table)
        foreign += len(have - want)
        complete = complete and want <= have
    if foreign and mode == "fresh":
        raise MigrationError(
            f"the target already holds {foreign} rows that are not in the source; pass --merge "
            "to add the source's rows beside them, or --force to also overwrite rows with the "
            "same ids",
            {"foreign_rows": foreign},
        )
    return complete and not foreign


def _copy_tables(source: Store, target: Store, mode: Mode, report: MigrationReport) -> None:
    for table in _tables():
        before = _count(target, table)
        for rows in _rows(source, table):
            _insert(target, table, rows, mode)
        report.tables[table.name] = {
            "source": _count(source, table),
            "target": _count(target, table),
            "copied": _count(target, table) - before,
        }


def _source_vectors(source: Store, target: Store, ids: list[str]) -> dict[str, list[float]]:
    """Vectors to reuse: only when both sides embed with the same model and dimension."""
    same = (source.embedder.name, source.vectors.dim) == (target.embedder.name, target.vectors.dim)
    coll = getattr(source.vectors, "collection", None)
    if not same or coll is None or not ids:
        return {}
    out: dict[str, list[float]] = {}
    for i in range(0, len(ids), BATCH):
        got = coll.get(ids=ids[i : i + BATCH], include=["embeddings"])
        for vid, vec in zip(got["ids"], got["embeddings"], strict=True):
            out[vid] = [float(x) for x in vec]
    return out


def _build_indexes(source: Store, target: Store, report: MigrationReport) -> None:
    have_v, have_k = target.vectors.ids(), target.keywords.ids()
    docs = [d for i, d in expected_docs(target).items() if i not in have_v or i not in have_k]
    links = fact_links(target, [d.id for d in docs if d.layer == "fact"])
    for d in docs:
        d.entity_ids = links.get(d.id, [])
    reuse = _source_vectors(source, target, [d.id for d in docs])
    for i in range(0, len(docs), BATCH):
        part: list[IndexDoc] = docs[i : i + BATCH]
        todo = [d for d in part if d.id not in reuse]
        fresh = dict(zip([d.id for d in todo], target.embedder.embed([d.text for d in todo]),
                         strict=True)) if todo else {}  # fmt: skip
        target.index(part, [reuse.get(d.id) or fresh[d.id] for d in part])
        report.vectors_copied += len(part) - len(todo)
        report.vectors_embedded += len(todo)
    reconcile(target)  # drops orphans; repairs whatever is still missing


def verify(source: Store, target: Store, report: MigrationReport) -> None:
    """Every source row is in the target; per bank SQL == keyword == vector counts."""
    missing = {}
    for table in _tables():
        lost = len(_keys(source, table) - _keys(target, table))
        if lost:
            missing[table.name] = lost
    if missing:
        raise MigrationError(f"rows missing in the target after copying: {missing}", missing)
    docs = expected_docs(target)
    for bank in sorted({d.bank for d in docs.values()}):
        want = {i for i, d in docs.items() if d.bank == bank}
        kw, vec = target.keywords.ids(bank), target.vectors.ids(bank)
        report.indexes[bank] = {"sql": len(want), "keyword": len(kw), "vector": len(vec)}
        if not (want == kw == vec):
            raise MigrationError(f"index counts differ in bank {bank!r}", report.indexes[bank])


def migrate_store(source: Store, target: Store, *, mode: Mode = "fresh") -> MigrationReport:
    """Copy `source` into `target`, build the target's indexes and verify (MigrationError)."""
    if source.db.url == target.db.url:
        raise MigrationError("source and target are the same database")
    report = MigrationReport(mode=mode)
    report.already_done = _check_target(source, target, mode)
    if not report.already_done or mode == "force":
        _copy_tables(source, target, mode, report)
    else:
        report.tables = {
            t.name: {"source": _count(source, t), "target": _count(target, t), "copied": 0}
            for t in _tables()
        }
    _build_indexes(source, target, report)
    for bank in {d.bank for d in expected_docs(target).values()}:
        target.reload_bank(bank)
    verify(source, target, report)
    return report
