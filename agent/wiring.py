"""The composition root: build Store, Memory, LMs, RLM and the agent from the environment.

This is the only module of the agent that reads environment variables:

- ``ENGRAM_HOME`` (default ``~/.engram``): memory files and the agent's threads;
- ``ENGRAM_DATABASE_URL``: another SQL store (e.g. PostgreSQL) instead of the SQLite file;
- ``ENGRAM_CHROMA_URL``: a Chroma server (http://host:port) instead of the embedded folder;
- ``ENGRAM_EMBEDDER`` (default ``auto``): the MiniLM engine, one of storage.embedder.BACKENDS;
- ``ENGRAM_BANK`` (default ``default``): the memory bank the agent reads and writes;
- ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL`` / ``ENGRAM_ROOT_MODEL`` / ``ENGRAM_SUB_MODEL``: the
  LLM endpoint (see `rlm.config`); without one the agent works offline (rule routing, retrieved
  answers) and the RLM path is unavailable;
- ``ENGRAM_MEMORY_LLM=1``: let memory use the LLM for extraction (default: offline extractor);
- ``ENGRAM_RLM_THRESHOLD_CHARS`` (default 20000): inputs larger than this go to the RLM;
- ``ENGRAM_URL`` / ``ENGRAM_TOKEN``: a running `engram serve` (and the bearer token for it); when
  set, the CLI and `engram mcp` are its clients instead of opening the memory themselves.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.errors import ConfigError
from agent.repl_memory import MemoryThread, memory_handlers
from agent.state import AgentDeps, AgentSettings
from rlm.lm import LM

__all__ = [
    "Settings",
    "Engram",
    "RLMSession",
    "settings_from_env",
    "open_memory",
    "build_rlm",
    "from_env",
    "open_rlm_session",
    "engram_home",
    "trace_store",
]


@dataclass
class Settings:
    home: Path
    database_url: str | None = None
    chroma_url: str | None = None
    embedder: str = "auto"
    bank: str = "default"
    has_endpoint: bool = False
    memory_uses_lm: bool = False
    agent: AgentSettings = field(default_factory=AgentSettings)
    env: Mapping[str, str] = field(default_factory=dict, repr=False)
    server_url: str | None = None  # ENGRAM_URL: a running `engram serve` to be a client of
    server_token: str | None = field(default=None, repr=False)  # ENGRAM_TOKEN

    @property
    def checkpoint_path(self) -> Path:
        return self.home / "agent" / "threads.sqlite"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError:
        raise ConfigError(name, f"{raw!r} is not a whole number") from None


def settings_from_env(env: Mapping[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    home = Path(env.get("ENGRAM_HOME") or Path.home() / ".engram").expanduser()
    endpoint = bool(env.get("OPENAI_BASE_URL", "").strip() or env.get("OPENAI_API_KEY", "").strip())
    agent = AgentSettings(
        rlm_threshold_chars=_int(env, "ENGRAM_RLM_THRESHOLD_CHARS", 20_000),
        trace_dir=str(home / "traces"),
    )
    from storage.embedder import BACKENDS

    embedder = env.get("ENGRAM_EMBEDDER", "").strip() or "auto"
    if embedder not in BACKENDS:
        raise ConfigError("ENGRAM_EMBEDDER", f"{embedder!r} is not one of {', '.join(BACKENDS)}")
    return Settings(
        home=home,
        database_url=env.get("ENGRAM_DATABASE_URL", "").strip() or None,
        chroma_url=env.get("ENGRAM_CHROMA_URL", "").strip() or None,
        embedder=embedder,
        bank=env.get("ENGRAM_BANK", "").strip() or "default",
        has_endpoint=endpoint,
        memory_uses_lm=env.get("ENGRAM_MEMORY_LLM", "").strip() in {"1", "true", "yes"},
        agent=agent,
        env=env,
        server_url=env.get("ENGRAM_URL", "").strip().rstrip("/") or None,
        server_token=env.get("ENGRAM_TOKEN", "").strip() or None,
    )


def open_memory(settings: Settings, lm: LM | None = None) -> Any:
    """The Memory facade over the store under `settings.home` (or `database_url`)."""
    from memory.memory import Memory
    from storage.embedder import MiniLMEmbedder
    from storage.store import Store

    embedder = MiniLMEmbedder(backend=settings.embedder)  # type: ignore[arg-type]
    store = Store.open(settings.home, settings.database_url, embedder,
                       chroma_url=settings.chroma_url)  # fmt: skip
    return Memory(store, lm=lm if settings.memory_uses_lm else None)


def build_lms(settings: Settings) -> tuple[LM | None, LM | None]:
    """(root, sub) clients, or (None, None) when no endpoint is configured."""
    if not settings.has_endpoint:
        return None, None
    from rlm.config import lms_from_env
    from rlm.errors import LMError

    try:
        return lms_from_env(settings.env)
    except LMError as exc:
        raise ConfigError("ENGRAM_ROOT_MODEL", str(exc)) from None


def build_rlm(root: LM, sub: LM | None, memory: Any, bank: str, **kwargs: Any) -> Any:
    """An RLM whose REPL has `memory` (read-only) through the RPC channel; its traces carry the
    label ``bank`` (who may read them through `engram serve`: agent.server.traces)."""
    from rlm.engine import RLM

    return RLM(root, sub, handlers=memory_handlers(memory, bank), labels={"bank": bank}, **kwargs)


@dataclass
class Engram:
    """Everything an entry point needs, built once."""

    settings: Settings
    memory: Any
    lm: LM | None
    sub: LM | None
    rlm: Any

    @property
    def deps(self) -> AgentDeps:
        return AgentDeps(self.memory, self.lm, self.rlm, self.settings.bank, self.settings.agent)

    def close(self) -> None:
        store = getattr(self.memory, "store", None)
        if store is not None and hasattr(store, "close"):
            store.close()


def from_env(env: Mapping[str, str] | None = None) -> Engram:
    """Build the whole stack from environment variables (see the module docstring)."""
    settings = settings_from_env(env)
    root, sub = build_lms(settings)
    memory = open_memory(settings, root)
    traces = trace_store(settings.home)
    rlm = (
        build_rlm(root, sub, memory, settings.bank, trace_store=traces)
        if root is not None
        else None
    )
    return Engram(settings, memory, root, sub, rlm)


def engram_home(env: Mapping[str, str]) -> Path:
    """ENGRAM_HOME (default ``~/.engram``), without opening or importing anything."""
    return Path(env.get("ENGRAM_HOME") or Path.home() / ".engram").expanduser()


def trace_store(home: Path | None = None, env: Mapping[str, str] | None = None) -> Any:
    """Where every RLM run (CLI, agent, ingest) keeps its trace: ENGRAM_HOME/traces (`home`,
    else ENGRAM_HOME from `env`, default the process environment)."""
    from rlm.trace_store import TraceStore

    if home is None:
        home = engram_home(os.environ if env is None else env)
    return TraceStore(home / "traces")


class RLMSession:
    """Memory around one `engram rlm` run: `memory` in the REPL, consolidation afterwards.

    The memory is opened on its own thread the first time the REPL touches `memory` (or when
    there is something to consolidate), never before: a run that needs no memory never pays
    for it. `handlers` is empty when memory is off (``--no-memory``); `finish(query, result)`
    consolidates the run unless ``--no-consolidate``; `traces` is ENGRAM_HOME/traces.
    """

    def __init__(
        self,
        memory: MemoryThread | None,
        bank: str,
        *,
        expose: bool,
        consolidate: bool,
        traces: Any = None,
    ) -> None:
        self.memory = memory
        self.bank = bank
        self.consolidate = consolidate and memory is not None
        self.handlers = memory_handlers(memory, bank) if expose and memory is not None else {}
        self.traces = traces

    def finish(self, query: str, result: Any) -> Any:
        """Consolidate the run into memory if it found something (reporting on stderr), then
        close the memory. A failure is reported, never raised: the answer is already out."""
        import asyncio
        import sys

        from agent.session import consolidate_run, select_items

        report = None
        try:
            ok = result is not None and result.stopped_by != "error"
            if self.consolidate and ok and select_items(result, query)[0]:
                assert self.memory is not None
                report = self.memory.run(  # on the memory's own thread, where it was opened
                    lambda m: asyncio.run(consolidate_run(m, result, query, self.bank))
                )
                print(f"consolidated into memory: {report.retained} new, {report.noop} known "
                      f"(source {report.source})", file=sys.stderr)  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - reported; the run's answer was printed
            print(f"engram rlm: consolidation failed: {exc}", file=sys.stderr)
        finally:
            if self.memory is not None:
                self.memory.close()
        return report


def open_rlm_session(
    no_memory: bool = False, no_consolidate: bool = False, env: Mapping[str, str] | None = None
) -> RLMSession:
    """The memory of ENGRAM_HOME for `engram rlm`, opened lazily; a memory that fails to open
    is an error the REPL sees (`memory.recall: memory unavailable: ...`), not a failed run."""
    env = dict(os.environ if env is None else env)
    home = engram_home(env)
    memory = None
    if not (no_memory and no_consolidate):

        def opener() -> Any:
            try:
                return open_memory(settings_from_env(env))
            except Exception as exc:
                raise RuntimeError(f"memory unavailable: {exc}") from exc

        memory = MemoryThread(opener=opener)
    bank = env.get("ENGRAM_BANK", "").strip() or "default"
    return RLMSession(memory, bank, expose=not no_memory, consolidate=not no_consolidate,
                      traces=trace_store(home))  # fmt: skip
