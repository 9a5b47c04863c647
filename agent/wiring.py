"""The composition root: build Store, Memory, LMs, RLM and the agent from the environment.

Every entry point (`engram remember/recall/...`, `ingest`, `ask`, `chat`, `rlm`, `status`, the
server, the examples and the benchmarks) builds its Memory here, so they all store and extract
the same way. This is the only module that reads environment variables:

- ``ENGRAM_HOME`` (default ``~/.engram``): memory files and the agent's threads;
- ``ENGRAM_DATABASE_URL``: another SQL store (e.g. PostgreSQL) instead of the SQLite file;
- ``ENGRAM_CHROMA_URL``: a Chroma server (http://host:port) instead of the embedded folder;
- ``ENGRAM_EMBEDDER`` (default ``auto``): the MiniLM engine, one of storage.embedder.BACKENDS;
- ``ENGRAM_MODEL_CACHE`` (else ``$XDG_CACHE_HOME/engram/models``, else
  ``~/.cache/engram/models``): where the exported ONNX models are cached;
- ``ENGRAM_BANK`` (default ``default``): the memory bank the agent reads and writes;
- ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL`` / ``ENGRAM_ROOT_MODEL`` / ``ENGRAM_SUB_MODEL``: the
  LLM endpoint (see `rlm.config`); without one the agent works offline (rule routing, retrieved
  answers) and the RLM path is unavailable;
- ``ENGRAM_MEMORY_LLM=1``: let memory use the LLM for extraction (default: offline extractor);
- ``ENGRAM_RLM_THRESHOLD_CHARS`` (default 20000): attachments larger than this go to the RLM;
- ``ENGRAM_RLM_BATCH_CHARS`` (default 120000), ``ENGRAM_RLM_CONCURRENCY`` (default 2),
  ``ENGRAM_RLM_MAX_COST`` (USD, default none): `engram ingest --rlm` reads the corpus in
  batches of about this many characters, this many at once, all batches under this cost;
- ``ENGRAM_URL`` / ``ENGRAM_TOKEN``: a running `engram serve` (and the bearer token for it); when
  set, the CLI and `engram mcp` are its clients instead of opening the memory themselves.

Opening a memory also retries the consolidations a previous process could not finish (the
outbox, `storage.outbox`), unless asked not to (`engram status` only looks).
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from agent.errors import ConfigError
from agent.repl_memory import MemoryThread, memory_handlers
from agent.state import AgentDeps, AgentSettings
from rlm.lm import LM

if TYPE_CHECKING:
    from agent.session import RetryReport
    from memory.memory import Memory
    from rlm.engine import RLM
    from storage.embedder import Embedder
    from storage.ingest_state import IngestState
    from storage.outbox import Outbox
    from storage.store import Store

__all__ = [
    "Settings",
    "Engram",
    "RLMSession",
    "settings_from_env",
    "build_embedder",
    "open_store",
    "open_memory",
    "build_lms",
    "build_rlm",
    "from_env",
    "memory_from_env",
    "open_rlm_session",
    "engram_home",
    "trace_store",
]

T = TypeVar("T")


@dataclass
class Settings:
    home: Path
    database_url: str | None = None
    chroma_url: str | None = None
    embedder: str = "auto"
    model_cache: Path | None = None
    bank: str = "default"
    has_endpoint: bool = False
    memory_uses_lm: bool = False
    agent: AgentSettings = field(default_factory=AgentSettings)
    env: Mapping[str, str] = field(default_factory=dict, repr=False)
    server_url: str | None = None  # ENGRAM_URL: a running `engram serve` to be a client of
    server_token: str | None = field(default=None, repr=False)  # ENGRAM_TOKEN
    rlm_batch_chars: int = 120_000  # ENGRAM_RLM_BATCH_CHARS: corpus text per RLM run (ingest)
    rlm_concurrency: int = 2  # ENGRAM_RLM_CONCURRENCY: corpus batches read at once
    rlm_max_cost: float | None = None  # ENGRAM_RLM_MAX_COST: USD for one ingest's RLM runs

    @property
    def checkpoint_path(self) -> Path:
        return self.home / "agent" / "threads.sqlite"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError:
        raise ConfigError(name, f"{raw!r} is not a whole number") from None


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    value = _int(env, name, default)
    if value < 1:
        raise ConfigError(name, f"{value} is not a positive whole number")
    return value


def _float(env: Mapping[str, str], name: str) -> float | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(name, f"{raw!r} is not a number") from None
    if value <= 0:
        raise ConfigError(name, f"{raw!r} is not a positive amount")
    return value


def _model_cache(env: Mapping[str, str], home: Path) -> Path:
    explicit = env.get("ENGRAM_MODEL_CACHE", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    xdg = env.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg).expanduser() if xdg else home / ".cache") / "engram" / "models"


def settings_from_env(env: Mapping[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    user_home = Path(env.get("HOME") or Path.home())
    home = Path(env.get("ENGRAM_HOME") or user_home / ".engram").expanduser()
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
        model_cache=_model_cache(env, user_home),
        bank=env.get("ENGRAM_BANK", "").strip() or "default",
        has_endpoint=endpoint,
        memory_uses_lm=env.get("ENGRAM_MEMORY_LLM", "").strip() in {"1", "true", "yes"},
        agent=agent,
        env=env,
        server_url=env.get("ENGRAM_URL", "").strip().rstrip("/") or None,
        server_token=env.get("ENGRAM_TOKEN", "").strip() or None,
        rlm_batch_chars=_positive(env, "ENGRAM_RLM_BATCH_CHARS", 120_000),
        rlm_concurrency=_positive(env, "ENGRAM_RLM_CONCURRENCY", 2),
        rlm_max_cost=_float(env, "ENGRAM_RLM_MAX_COST"),
    )


def build_embedder(settings: Settings) -> Embedder:
    """The MiniLM embedder the settings name (tests replace this one function)."""
    from storage.embedder import MiniLMEmbedder

    return MiniLMEmbedder(backend=settings.embedder, cache_dir=settings.model_cache)  # type: ignore[arg-type]


def open_store(settings: Settings, *, reconcile: bool = True) -> Store:
    """The store under `settings.home` (or `database_url` / `chroma_url`), reconciled."""
    from storage.store import Store

    return Store.open(settings.home, settings.database_url, build_embedder(settings),
                      chroma_url=settings.chroma_url, reconcile=reconcile)  # fmt: skip


def open_memory(settings: Settings, lm: LM | None = None, *, retry_outbox: bool = True) -> Memory:
    """The Memory facade over `open_store(settings)`; it extracts with `lm` when
    ENGRAM_MEMORY_LLM is set (offline otherwise). Consolidations left in the outbox by an
    earlier process are retried first (`retry_outbox=False` only looks)."""
    from memory.memory import Memory

    memory = Memory(open_store(settings), lm=lm if settings.memory_uses_lm else None)
    if retry_outbox:
        _run_sync(_retry_outbox(memory))
    return memory


async def _retry_outbox(memory: Memory) -> RetryReport:
    from agent.session import retry_pending
    from storage.outbox import Outbox

    return await retry_pending(memory, Outbox(memory.store.db))


def _run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, also when a loop is running in this thread
    (a server building its memory at start-up): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    t = threading.Thread(target=run, name="engram-outbox")
    t.start()
    t.join()
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


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


def build_rlm(root: LM, sub: LM | None, memory: Memory, bank: str, **kwargs: Any) -> RLM:
    """An RLM whose REPL has `memory` (read-only) through the RPC channel; its traces carry the
    label ``bank`` (who may read them through `engram serve`: agent.server.traces)."""
    from rlm.engine import RLM

    return RLM(root, sub, handlers=memory_handlers(memory, bank), labels={"bank": bank}, **kwargs)


@dataclass
class Engram:
    """Everything an entry point needs, built once. Use as a context manager (or `close()`)."""

    settings: Settings
    memory: Any  # memory.memory.Memory (the agent's fakes in tests)
    lm: LM | None
    sub: LM | None
    rlm: Any  # rlm.engine.RLM, or None without an endpoint
    store: Store | None = None

    @property
    def deps(self) -> AgentDeps:
        outbox = self.outbox if self.store is not None else None
        return AgentDeps(self.memory, self.lm, self.rlm, self.settings.bank, self.settings.agent,
                         outbox)  # fmt: skip

    @property
    def outbox(self) -> Outbox:
        """Consolidations waiting to be retried (see `agent.session.retry_pending`)."""
        from storage.outbox import Outbox

        return Outbox(self._store().db)

    def ingest_state(self) -> IngestState:
        """The ingest state in the memory's database, with the rows of an old
        `ingest_state.sqlite` under ENGRAM_HOME imported once."""
        from storage.ingest_state import LEGACY_STATE_FILE, IngestState

        state = IngestState(self._store().db)
        state.import_legacy_file(self.settings.home / LEGACY_STATE_FILE)
        return state

    def _store(self) -> Store:
        if self.store is None:
            raise ConfigError("ENGRAM_HOME", "this Engram was built without a store")
        return self.store

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def __enter__(self) -> Engram:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:  # fmt: skip
        self.close()


def from_env(env: Mapping[str, str] | None = None, *, retry_outbox: bool = True) -> Engram:
    """Build the whole stack from environment variables (see the module docstring)."""
    settings = settings_from_env(env)
    root, sub = build_lms(settings)
    memory = open_memory(settings, root, retry_outbox=retry_outbox)
    traces = trace_store(settings.home)
    rlm = (
        build_rlm(root, sub, memory, settings.bank, trace_store=traces)
        if root is not None
        else None
    )
    return Engram(settings, memory, root, sub, rlm, memory.store)


def memory_from_env(env: Mapping[str, str] | None = None, *, retry_outbox: bool = True) -> Engram:
    """The memory alone (the memory commands, `engram status`): LM clients are built only when
    ENGRAM_MEMORY_LLM lets memory use one; no RLM."""
    settings = settings_from_env(env)
    root, sub = build_lms(settings) if settings.memory_uses_lm else (None, None)
    memory = open_memory(settings, root, retry_outbox=retry_outbox)
    return Engram(settings, memory, root, sub, None, memory.store)


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
        try:
            if self.consolidate and result is not None and result.stopped_by != "error":
                return self._consolidate(query, result)
            return None
        finally:
            if self.memory is not None:
                self.memory.close()

    def _consolidate(self, query: str, result: Any) -> Any:
        # Imported here, only for a run that may be kept: agent.session and storage cost ~0.4 s
        # of imports, which every `--no-consolidate` run paid after its answer before.
        import asyncio
        import sys

        from agent.session import RunRecord, consolidate_or_keep, select_items
        from storage.outbox import Outbox

        def keep(m: Memory) -> tuple[Any, str | None]:
            run = RunRecord.from_result(result)
            return asyncio.run(consolidate_or_keep(m, Outbox(m.store.db), run, query, self.bank))

        report = None
        try:
            if select_items(result, query)[0]:
                assert self.memory is not None
                report, why = self.memory.run(keep)  # on the memory's thread, where it opened
                if report is None:
                    print(f"engram rlm: consolidation failed: {why}", file=sys.stderr)
                else:
                    print(f"consolidated into memory: {report.retained} new, {report.noop} "
                          f"known (source {report.source})", file=sys.stderr)  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - reported; the run's answer was printed
            print(f"engram rlm: consolidation failed: {exc}", file=sys.stderr)
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
