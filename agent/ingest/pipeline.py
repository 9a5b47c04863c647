"""The ingestion pipeline: detect → list units → skip what is done → retain → record.

`Ingestor` takes instances (a memory that retains, an `IngestState`, optionally a `Digester`
for the RLM path and a progress sink); nothing here reads the environment.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from agent.ingest.digest import Digester
from agent.ingest.documents import document_unit
from agent.ingest.git_repo import repo_units
from agent.ingest.issues_export import export_units
from agent.ingest.state import IngestState
from agent.ingest.units import Episode, Problem, Unit
from agent.ingest.walk import (
    DOCUMENT_SUFFIXES,
    TEXT_SUFFIXES,
    InputKind,
    detect_kind,
    iter_files,
    read_text,
)

__all__ = [
    "Retainer",
    "BatchRetainer",
    "Forgetter",
    "EntityMerger",
    "Progress",
    "IngestReport",
    "Ingestor",
    "list_units",
]


class Retainer(Protocol):
    """The one memory method ingestion needs (memory.memory.Memory fits)."""

    async def aretain(
        self,
        text: str,
        *,
        mentioned_at: Any = None,
        source: str | None = None,
        bank: str = "default",
        metadata: dict[str, Any] | None = None,
    ) -> Any: ...


@runtime_checkable
class BatchRetainer(Protocol):
    """Optional: retain a whole unit in one transaction (memory.memory.Memory has it)."""

    async def aretain_many(self, batch: Any) -> list[Any]: ...


@runtime_checkable
class Forgetter(Protocol):
    """Optional: drop what an older version of an edited file left behind."""

    async def aforget(self, *, source: str | None = None, bank: str = "default") -> Any: ...


@runtime_checkable
class EntityMerger(Protocol):
    """Optional: join an author's name variants into one entity."""

    async def amerge(self, keep: str, merge: str, bank: str = "default") -> Any: ...


class Progress(Protocol):
    def start(self, total: int, description: str) -> None: ...
    def advance(self, label: str) -> None: ...
    def stop(self) -> None: ...


@dataclass
class IngestReport:
    path: str
    kind: str
    bank: str
    units: int = 0
    ingested: int = 0
    already_done: int = 0
    episodes: int = 0
    digested: int = 0
    problems: list[Problem] = field(default_factory=list)
    duration_s: float = 0.0

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
            "episodes": self.episodes,
            "digested_with_rlm": self.digested,
            "skipped": self.count("skipped"),
            "failed": self.count("failed"),
            "warnings": self.count("warning"),
            "problems": [p.to_dict() for p in self.problems],
            "duration_s": round(self.duration_s, 3),
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
        doc = read_text(path, label=path.name)
        yield doc if isinstance(doc, Problem) else document_unit(doc, path.name)
    else:
        for p in iter_files(path, suffixes or DOCUMENT_SUFFIXES):
            rel = p.relative_to(path).as_posix()
            doc = read_text(p, label=rel)
            yield doc if isinstance(doc, Problem) else document_unit(doc, rel)


class Ingestor:
    def __init__(
        self,
        memory: Retainer,
        state: IngestState,
        *,
        digester: Digester | None = None,
        progress: Progress | None = None,
        suffixes: frozenset[str] | None = None,
        max_commits: int | None = None,
    ) -> None:
        self.suffixes = suffixes
        self.max_commits = max_commits
        self.memory = memory
        self.state = state
        self.digester = digester
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
            for unit in units:
                await self._one(unit, bank, report)
                if self.progress:
                    self.progress.advance(unit.label)
        finally:
            if self.progress:
                self.progress.stop()
        report.duration_s = time.perf_counter() - t0
        return report

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
        try:
            await self._forget_older_version(unit, bank)
            episodes = list(unit.episodes) + await self._digest(unit, report)
            await self._retain(episodes, bank)
            if unit.kind == "author":
                await self._merge_aliases(unit, bank)
        except Exception as e:  # one bad unit never sinks the run
            report.problems.append(Problem(unit.label or unit.key, _reason(e), "failed"))
            return
        self.state.mark_done(
            bank, unit.key, unit.digest, len(episodes), [e.source for e in episodes]
        )
        self.state.forget_older(bank, unit.key, unit.digest)
        report.ingested += 1
        report.episodes += len(episodes)

    async def _retain(self, episodes: list[Episode], bank: str) -> None:
        items: list[dict[str, Any]] = [
            {
                "text": e.text,
                "mentioned_at": e.mentioned_at,
                "source": e.source,
                "bank": bank,
                "metadata": e.metadata,
            }  # fmt: skip
            for e in episodes
        ]
        if isinstance(self.memory, BatchRetainer):
            await self.memory.aretain_many(items)
            return
        for e in episodes:
            await self.memory.aretain(
                e.text, mentioned_at=e.mentioned_at, source=e.source, bank=bank, metadata=e.metadata
            )

    async def _merge_aliases(self, unit: Unit, bank: str) -> None:
        """Name variants of one author (same e-mail) become one entity, where memory can."""
        if not isinstance(self.memory, EntityMerger):
            return
        meta = unit.episodes[0].metadata
        for alias in meta.get("aliases", []):
            # a variant that is not an entity (yet) has nothing to join
            with contextlib.suppress(Exception):
                await self.memory.amerge(meta["name"], alias, bank=bank)

    async def _digest(self, unit: Unit, report: IngestReport) -> list[Episode]:
        d = self.digester
        if d is None or not unit.body or len(unit.body) < d.threshold_chars:
            return []
        try:
            eps = await d.adigest(unit)
        except Exception as e:  # the RLM failing leaves the raw episodes in place
            report.problems.append(
                Problem(unit.label, f"RLM digest failed: {_reason(e)}", "warning")
            )
            return []
        report.digested += 1
        return eps

    async def _forget_older_version(self, unit: Unit, bank: str) -> None:
        old = self.state.previous_sources(bank, unit.key, unit.digest)
        if not old or not isinstance(self.memory, Forgetter):
            return
        for source in sorted(set(old)):
            with contextlib.suppress(Exception):  # already gone (e.g. forgotten by hand)
                await self.memory.aforget(source=source, bank=bank)


def _reason(e: BaseException) -> str:
    return f"{type(e).__name__}: {e}"[:500]
