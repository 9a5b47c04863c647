"""The ingestion pipeline: detect → list units → skip what is done → retain → replace → record.

`Ingestor` takes instances (a memory, an `IngestState`, optionally a `CorpusReader` that reads
the whole input with the RLM once the raw episodes are stored, and a progress sink); nothing
here reads the environment.

A unit whose content changed (an edited file) is replaced in this order: its new version is
retained, then the episodes only the older versions left are forgotten, then the new version
is recorded as done (storage.ingest_state). A failure at any step leaves the old version
recallable, is reported as "failed", and the next run retries the unit; a kill in between is
the same (retaining is idempotent, forgetting what is already gone changes nothing). A storage
outage (StorageError) stops the run: the units not reached are counted, not failed one by one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from agent.ingest.corpus_ingest import CorpusReader
from agent.ingest.documents import document_unit
from agent.ingest.git_repo import repo_units
from agent.ingest.issues_export import export_units
from agent.ingest.keys import document_key
from agent.ingest.units import Episode, Problem, Progress, Unit
from agent.ingest.walk import (
    DOCUMENT_SUFFIXES,
    TEXT_SUFFIXES,
    InputKind,
    detect_kind,
    iter_files,
    read_text,
)
from memory.errors import MergeError, NotFound
from storage.errors import StorageError
from storage.ingest_state import IngestState
from storage.schema import IngestedUnit

__all__ = [
    "Retained",
    "Retainer",
    "EntityMerger",
    "Progress",
    "IngestReport",
    "Ingestor",
    "list_units",
]


class Retained(Protocol):
    """What retaining one episode returns (memory.retain.RetainResult fits)."""

    episode_id: str


class Retainer(Protocol):
    """What ingestion needs from memory (memory.memory.Memory fits)."""

    async def aretain_many(self, batch: Iterable[dict[str, Any]]) -> Sequence[Retained]: ...

    async def aforget_episodes(self, episode_ids: Sequence[str], *, bank: str = "default") -> Any:
        """Forget these episodes; ids already gone are skipped."""
        ...


@runtime_checkable
class EntityMerger(Protocol):
    """Optional: join an author's name variants into one entity."""

    async def amerge(self, keep: str, merge: str, bank: str = "default") -> Any: ...


@dataclass
class IngestReport:
    path: str
    kind: str
    bank: str
    units: int = 0
    ingested: int = 0
    already_done: int = 0
    replaced: int = 0  # of `ingested`: units whose older version was forgotten
    rekeyed: int = 0  # of `already_done`: state moved from an old-scheme key, nothing retained
    episodes: int = 0
    not_attempted: int = 0  # units left when a storage outage stopped the run
    stopped_by: str | None = None  # the storage error that stopped the run, if one did
    problems: list[Problem] = field(default_factory=list)
    duration_s: float = 0.0
    rlm: dict[str, Any] | None = None  # what reading the corpus with the RLM did (--rlm)

    def count(self, status: str) -> int:
        return sum(1 for p in self.problems if p.status == status)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "bank": self.bank,
            "units": self.units,
            "ingested": self.ingested,
            "already_done": self.already_done,
            "replaced": self.replaced,
            "rekeyed": self.rekeyed,
            "episodes": self.episodes,
            "skipped": self.count("skipped"),
            "failed": self.count("failed"),
            "warnings": self.count("warning"),
            "not_attempted": self.not_attempted,
            "stopped_by": self.stopped_by,
            "problems": [p.to_dict() for p in self.problems],
            "duration_s": round(self.duration_s, 3),
            "rlm": self.rlm,
        }


def list_units(
    path: Path,
    kind: InputKind,
    suffixes: frozenset[str] | None = None,
    max_commits: int | None = None,
) -> Iterator[Unit | Problem]:
    """Every unit of the input (or the problem that kept one out).

    `suffixes` narrows which files become documents (default: text-like files in a git
    repository, markdown/text in a folder).
    """
    if kind == "git":
        yield from repo_units(path, suffixes=suffixes or TEXT_SUFFIXES, max_commits=max_commits)
    elif kind == "issues":
        yield from export_units(path)
    elif kind == "document":
        yield _document(path, path.name)
    else:
        for p in iter_files(path, suffixes or DOCUMENT_SUFFIXES):
            yield _document(p, p.relative_to(path).as_posix())


def _document(path: Path, label: str) -> Unit | Problem:
    """A document keyed by its absolute path (the old scheme keyed it by `label`)."""
    doc = read_text(path, label=label)
    if isinstance(doc, Problem):
        return doc
    return document_unit(doc, document_key(path), label, legacy_keys=[f"doc:{label}"])


class Ingestor:
    def __init__(
        self,
        memory: Retainer,
        state: IngestState,
        *,
        corpus: CorpusReader | None = None,
        progress: Progress | None = None,
        suffixes: frozenset[str] | None = None,
        max_commits: int | None = None,
    ) -> None:
        self.suffixes = suffixes
        self.max_commits = max_commits
        self.memory = memory
        self.state = state
        self.corpus = corpus
        self.progress = progress

    async def aingest(self, path: Path, bank: str = "default") -> IngestReport:
        """Ingest `path` into `bank`. Raises only for an unusable input as a whole."""
        t0 = time.perf_counter()
        path = Path(path)
        kind = detect_kind(path)
        report = IngestReport(str(path), kind, bank)
        units = self._collect(list_units(path, kind, self.suffixes, self.max_commits), report)
        report.units = len(units)
        if self.progress:
            self.progress.start(len(units), f"ingesting {path.name or path}")
        try:
            for n, unit in enumerate(units):
                try:
                    await self._one(unit, bank, report)
                except StorageError as e:  # every later unit would fail the same way
                    report.stopped_by = str(e)
                    report.not_attempted = len(units) - n - 1
                    report.problems.append(Problem(unit.label or unit.key, _reason(e), "failed"))
                    break
                if self.progress:
                    self.progress.advance(unit.label)
        finally:
            if self.progress:
                self.progress.stop()
        if self.corpus is not None and not report.stopped_by:
            await self._read_corpus(units, bank, report)
        report.duration_s = time.perf_counter() - t0
        return report

    async def _read_corpus(self, units: list[Unit], bank: str, report: IngestReport) -> None:
        """The RLM over the whole corpus, after every raw episode is stored; whatever goes
        wrong is reported, never raised (the raw episodes stay)."""
        assert self.corpus is not None
        try:
            got = await self.corpus.aread(units, self.memory, self.state, bank, report.problems)
        except StorageError as e:
            report.stopped_by = str(e)
            report.problems.append(Problem("rlm corpus", _reason(e), "failed"))
            return
        except Exception as e:  # noqa: BLE001 - reported; the raw episodes are stored
            report.problems.append(Problem("rlm corpus", f"RLM reading failed: {_reason(e)}",
                                           "warning"))  # fmt: skip
            return
        report.rlm = got.to_dict()

    def ingest(self, path: Path, bank: str = "default") -> IngestReport:
        return asyncio.run(self.aingest(path, bank))

    @staticmethod
    def _collect(items: Iterable[Unit | Problem], report: IngestReport) -> list[Unit]:
        units = []
        for it in items:
            if isinstance(it, Problem):
                report.problems.append(it)
            else:
                units.append(it)
                report.problems += [Problem(it.label, w, "warning") for w in it.warnings]
        return units

    async def _one(self, unit: Unit, bank: str, report: IngestReport) -> None:
        if self.state.is_done(bank, unit.key, unit.digest):
            report.already_done += 1
            return
        older = self.state.versions(bank, [unit.key, *unit.legacy_keys])
        if self._rekey(unit, bank, older):
            report.already_done += 1
            report.rekeyed += 1
            return
        try:
            episodes = list(unit.episodes)
            kept = await self._retain(episodes, bank)
            if unit.kind == "author":
                await self._merge_aliases(unit, bank)
            stale = sorted({e for v in older for e in v.episode_ids} - set(kept))
            if stale:
                await self.memory.aforget_episodes(stale, bank=bank)
            self.state.record(bank, unit.key, unit.digest, sources=[e.source for e in episodes],
                              episode_ids=kept, replaces=unit.legacy_keys)  # fmt: skip
        except StorageError:
            raise
        except Exception as e:  # one bad unit never sinks the run; reported, retried next run
            report.problems.append(Problem(unit.label or unit.key, _reason(e), "failed"))
            return
        report.problems += _legacy_warnings(unit, older)
        report.ingested += 1
        report.replaced += bool(older)
        report.episodes += len(episodes)

    def _rekey(self, unit: Unit, bank: str, older: list[IngestedUnit]) -> bool:
        """State recorded by an older engram under an old-scheme key for exactly this content
        moves to the unit's key: its episodes are already in memory (under their old sources),
        so nothing is retained again and nothing is duplicated."""
        same = [v for v in older if v.content_hash == unit.digest and v.episode_ids]
        if not same or len(same) != len(older) or any(v.unit == unit.key for v in older):
            return False
        v = same[0]
        self.state.record(bank, unit.key, unit.digest, sources=v.sources,
                          episode_ids=v.episode_ids, replaces=unit.legacy_keys)  # fmt: skip
        return True

    async def _retain(self, episodes: list[Episode], bank: str) -> list[str]:
        """Retain the episodes in one batch; the ids of the episodes memory now holds for them
        (an episode already stored, e.g. an unchanged chunk, keeps its id)."""
        items = [e.retain_item(bank) for e in episodes]
        results = await self.memory.aretain_many(items)
        return sorted({r.episode_id for r in results})

    async def _merge_aliases(self, unit: Unit, bank: str) -> None:
        """Name variants of one author (same e-mail) become one entity, where memory can."""
        if not isinstance(self.memory, EntityMerger):
            return
        meta = unit.episodes[0].metadata
        for alias in meta.get("aliases", []):
            try:
                await self.memory.amerge(meta["name"], alias, bank=bank)
            except (NotFound, MergeError):  # a variant that is no entity, or already joined
                continue


def _legacy_warnings(unit: Unit, older: list[IngestedUnit]) -> list[Problem]:
    """A different version under an old-scheme key was replaced: under the old scheme files of
    the same relative path in two folders shared that key, so it may have been the other's."""
    return [
        Problem(
            unit.label or unit.key,
            f"replaced a different version an older engram stored "
            f"under the key {v.unit!r}; if another folder holds a file with that relative "
            "path, ingest that folder again",
            "warning",
        )  # fmt: skip
        for v in older
        if v.unit != unit.key and v.content_hash != unit.digest
    ]


def _reason(e: BaseException) -> str:
    return f"{type(e).__name__}: {e}"[:500]
