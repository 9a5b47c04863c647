"""Offline ingest throughput on LongMemEval_S histories: turns/s, facts/s, CPU seconds, stages.

    python -m bench.ingest_speed [--data FILE] [--questions 1] [--profile 25] [--no-stages]
                                 [--dump FILE]

Each question's haystack (~50 sessions, ~500 user/assistant turns) is retained into a fresh
embedded `Memory` (temporary ENGRAM_HOME: SQLite, embedded Chroma, bundled MiniLM), one
`Memory.aretain_many` call per session, every turn as "User: ..." / "Assistant: ..." with the
session date as its mention time and source "<question_id>:<session_id>:<turn>". Reports wall
and CPU seconds (this process, all threads), turns/s, facts/s, turns per CPU-second, the time
spent in each stage of retain (extraction, embedding, SQL commit, index writes; stage timers
wrap the retain path's functions, so stages that overlap in threads can sum past the wall time),
and with `--profile N` the top N cProfile entries by cumulative time (main thread only, and
the profiler itself slows the run: read the ratios, not the rates). The last stdout line is
one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["load_questions", "session_items", "parse_date", "main"]

DEFAULT_DATA = "/work/shared/data/longmemeval/longmemeval_s_dev60.json.gz"
ROLES = {"user": "User", "assistant": "Assistant"}


def load_questions(path: str | Path, n: int) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        data: list[dict[str, Any]] = json.load(f)
    return data[:n]


def parse_date(value: str) -> datetime:
    """ "2023/05/30 (Tue) 23:40" -> aware UTC datetime."""
    day, _, clock = value.partition(")")
    return datetime.strptime(day.split("(")[0].strip() + clock, "%Y/%m/%d %H:%M").replace(
        tzinfo=UTC
    )


def session_items(q: dict[str, Any]) -> list[list[Any]]:
    """One list of `RetainItem`s per session of the question's haystack, in haystack order."""
    from memory.retain import RetainItem

    bank = "lme:" + str(q["question_id"])
    out = []
    sessions = zip(
        q["haystack_session_ids"], q["haystack_dates"], q["haystack_sessions"], strict=True
    )
    for sid, date, turns in sessions:
        when = parse_date(date)
        items = [
            RetainItem(
                f"{ROLES.get(t['role'], t['role'])}: {t['content']}",
                when,
                f"{q['question_id']}:{sid}:{n}",
                bank,
            )
            for n, t in enumerate(turns)
            if str(t.get("content", "")).strip()
        ]
        if items:
            out.append(items)
    return out


def _cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class StageTimer:
    """Wall time spent inside chosen functions (any thread), by stage name, and the calling
    thread's CPU time for the synchronous ones."""

    def __init__(self) -> None:
        self.secs: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.cpu: dict[str, float] = {}  # thread CPU seconds (sync functions only)
        self._lock = threading.Lock()
        self._undo: list[Callable[[], None]] = []

    def wrap(self, owner: Any, attr: str, stage: str) -> None:
        fn = getattr(owner, attr)
        is_async = asyncio.iscoroutinefunction(fn)

        def note(t0: float, c0: float | None = None) -> None:
            with self._lock:
                self.secs[stage] = self.secs.get(stage, 0.0) + time.perf_counter() - t0
                self.calls[stage] = self.calls.get(stage, 0) + 1
                if c0 is not None:
                    self.cpu[stage] = self.cpu.get(stage, 0.0) + time.thread_time() - c0

        if is_async:

            async def timed_async(*a: Any, **k: Any) -> Any:
                t0 = time.perf_counter()
                try:
                    return await fn(*a, **k)
                finally:
                    note(t0)

            setattr(owner, attr, timed_async)
        else:

            def timed(*a: Any, **k: Any) -> Any:
                t0, c0 = time.perf_counter(), time.thread_time()
                try:
                    return fn(*a, **k)
                finally:
                    note(t0, c0)

            setattr(owner, attr, timed)
        self._undo.append(lambda: setattr(owner, attr, fn))

    def undo(self) -> None:
        for u in reversed(self._undo):
            u()
        self._undo.clear()

    def report(self) -> dict[str, dict[str, float]]:
        return {
            k: {"s": round(v, 2), "calls": self.calls[k]}
            | ({"cpu_s": round(self.cpu[k], 2)} if k in self.cpu else {})
            for k, v in sorted(self.secs.items(), key=lambda kv: -kv[1])
        }


def _install_stages(timer: StageTimer) -> None:
    """Stage timers on the retain path's functions (where they exist in this version)."""
    import importlib

    spots = [
        ("memory.extract.offline", None, "extract_offline_many", "extract"),
        ("memory.extract.nlp", None, "parse_many", "extract.spacy_parse"),
        ("memory.retain", "Retainer", "_embed_facts", "embed_facts"),
        ("memory.retain", "Retainer", "_commit", "commit_sql"),
        ("memory.retain", "Retainer", "_write", "commit_sql.write_episodes"),
        ("memory.retain", None, "record_beliefs", "commit_sql.beliefs"),
        ("memory.retain", None, "refresh_groups", "commit_sql.refresh_groups"),
        ("memory.retain", "Retainer", "_index_late", "index_late"),
        ("storage.store", "Store", "index", "index_writes"),
    ]
    for module, cls, attr, stage in spots:
        mod = importlib.import_module(module)
        owner = getattr(mod, cls) if cls else mod
        if hasattr(owner, attr):
            timer.wrap(owner, attr, stage)
    # modules that imported these functions by name hold their own reference
    off = importlib.import_module("memory.extract.offline")
    nlp = importlib.import_module("memory.extract.nlp")
    if hasattr(off, "parse_many"):
        setattr(off, "parse_many", nlp.parse_many)  # noqa: B010


@contextmanager
def _profiled(top: int, into: dict[str, Any]) -> Iterator[None]:
    if top <= 0:
        yield
        return
    import cProfile
    import io
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    try:
        yield
    finally:
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(top)
        into["profile"] = buf.getvalue()


async def _ingest(memory: Any, sessions: Sequence[list[Any]]) -> int:
    n = 0
    for items in sessions:
        n += len(await memory.aretain_many(items))
    return n


def _write_dump(memory: Any, bank: str, path: str) -> None:
    """The bank's canonical dump (`bench.bank_dump`), one JSON line per bank, appended."""
    from bench.bank_dump import bank_dump

    with memory.store.db.session() as s, open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps({"bank": bank, **bank_dump(s, bank)}, sort_keys=True) + "\n")


def _fact_count(memory: Any) -> int:
    from sqlalchemy import func, select

    from storage.schema import Fact

    with memory.store.db.session() as s:
        return int(s.execute(select(func.count()).select_from(Fact)).scalar_one())


def run(
    data: str,
    n: int,
    profile: int,
    stages: bool,
    log: Callable[[str], None],
    dump: str | None = None,
) -> dict[str, Any]:
    from memory.memory import Memory
    from storage.store import Store

    questions = load_questions(data, n)
    timer = StageTimer()
    if stages:
        _install_stages(timer)
    extra: dict[str, Any] = {}
    rows = []
    try:
        for q in questions:
            sessions = session_items(q)
            with tempfile.TemporaryDirectory(prefix="engram-ingest-") as home:
                os.environ["ENGRAM_HOME"] = home
                t_open = time.perf_counter()
                memory = Memory(store=Store.open(Path(home)))
                # warm the embedder and the parser outside the timed part (load, not ingest)
                memory.store.embedder.embed(["warm up"])
                from memory.extract.nlp import parse

                parse("Warm up the parser.")
                open_s = time.perf_counter() - t_open
                cpu0, t0 = _cpu_s(), time.perf_counter()
                with _profiled(profile, extra):
                    turns = asyncio.run(_ingest(memory, sessions))
                secs, cpu = time.perf_counter() - t0, _cpu_s() - cpu0
                facts = _fact_count(memory)
                if dump:
                    _write_dump(memory, "lme:" + str(q["question_id"]), dump)
                memory.store.close()
            row = {
                "question_id": q["question_id"],
                "sessions": len(sessions),
                "turns": turns,
                "facts": facts,
                "ingest_s": round(secs, 2),
                "cpu_s": round(cpu, 2),
                "open_s": round(open_s, 2),
                "turns_per_s": round(turns / secs, 1),
                "facts_per_s": round(facts / secs, 1),
                "turns_per_cpu_s": round(turns / cpu, 1) if cpu else None,
            }
            rows.append(row)
            log(json.dumps(row))
    finally:
        timer.undo()
    tot = {k: sum(r[k] for r in rows) for k in ("turns", "facts", "ingest_s", "cpu_s")}
    out: dict[str, Any] = {
        "questions": len(rows),
        "turns": tot["turns"],
        "facts": tot["facts"],
        "ingest_s": round(tot["ingest_s"], 2),
        "cpu_s": round(tot["cpu_s"], 2),
        "turns_per_s": round(tot["turns"] / tot["ingest_s"], 1),
        "facts_per_s": round(tot["facts"] / tot["ingest_s"], 1),
        "turns_per_cpu_s": round(tot["turns"] / tot["cpu_s"], 1) if tot["cpu_s"] else None,
        "load_avg": round(os.getloadavg()[0], 2),
        "stages": timer.report(),
        "per_question": rows,
    }
    if "profile" in extra:
        print(extra["profile"])
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.ingest_speed", description=__doc__.split("\n")[0]
    )
    p.add_argument("--data", default=DEFAULT_DATA)
    p.add_argument("--questions", type=int, default=1)
    p.add_argument("--profile", type=int, default=0, help="print the top N cProfile entries")
    p.add_argument("--no-stages", action="store_true", help="no stage timers")
    p.add_argument("--dump", help="append each bank's canonical dump (bench.bank_dump) here")
    args = p.parse_args(argv)
    if not Path(args.data).exists():
        print(f"no data at {args.data} (see --data)", file=sys.stderr)
        return 2
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    result = run(args.data, args.questions, args.profile, not args.no_stages, log, args.dump)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
