"""Memory on the embedded and the shared deployment: recall latency once the bank holds
`--facts` facts, then ingest throughput of 1 and N writer processes on top of that full bank.

    python -m bench.memory_shared --backend shared   --facts 100000 --ingest 2000 --writers 1,4
    python -m bench.memory_shared --backend embedded --facts 100000 --ingest 2000

`shared` = PostgreSQL (`--db-url`, default: a fresh database created on 127.0.0.1:5432 and
dropped afterwards) + a Chroma server (`--chroma-url`, default: a local `chroma run` started for
the run and stopped afterwards). `embedded` = SQLite + a Chroma folder, which one process owns
(writers > 1 refused). Every writer is a process running the real `Memory.aretain_many` path
(offline extractor, MiniLM embeddings) on the synthetic sentences of `bench.memory_scale`, all
into the one bank "scale".

1. Load: `--load-writers` processes (default: the largest of `--writers`) grow the bank until
   it holds `--facts` facts (~1.3 facts an episode; each writer checks the count between
   batches and shrinks its last batches, so the overshoot stays small).
2. Recall: p50/p95 over `--queries` held-out queries (`bench.memory_scale.queries`), in this
   process, after one warm-up query.
3. Ingest: for each count in `--writers`, that many processes add `--ingest` new episodes
   between them to the same full bank. Rates exclude start-up: each writer opens the memory,
   loads the model and warms its caches, says it is ready, and starts on a common "go"; it
   reports its own ingest seconds, episodes and facts as a JSON line. Wall = go -> last writer
   done. Both wall and per-writer rates are reported (episodes/s and facts/s).

Load averages (1 min) are recorded around every phase. PostgreSQL tables are ANALYZEd once a
minute while writers run and before recall, as a default server's autovacuum would (it is off on
the CI server here). The last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from bench.memory_scale import percentile, queries, sentences

__all__ = ["main"]

BANK = "scale"
FACTS_PER_EPISODE = 1.3  # bench.memory_scale's sentences, offline extractor
Log = Callable[[str], None]


def _open(home: Path, db_url: str | None, chroma_url: str | None) -> Any:
    from memory.memory import Memory
    from storage.store import Store

    return Memory(Store.open(home, db_url, chroma_url=chroma_url))


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _fact_count(mem: Any, bank: str) -> int:
    from sqlalchemy import func, select

    from storage.schema import Fact

    with mem.store.db.session() as s:
        q = select(func.count()).select_from(Fact).where(Fact.bank == bank)
        return int(s.execute(q).scalar_one())


# -- writer process ---------------------------------------------------------------------------


def _say(msg: dict[str, Any]) -> None:
    print(json.dumps({"worker": msg}), flush=True)


def _warm(mem: Any, bank: str) -> None:
    """Pay the one-off costs before the clock starts: the model's first batch, the entity
    resolver's cache of the bank."""
    mem.store.embedder.embed(["warm up"])
    with mem.store.db.session() as s:
        mem.resolver.lookup(s, bank, "warm up")


def _next_size(mem: Any, args: argparse.Namespace) -> int:
    """Episodes in the next batch: `--batch`, or fewer near `--until-facts` (0: stop)."""
    if not args.until_facts:
        return args.batch
    missing = args.until_facts - _fact_count(mem, args.bank)
    share = math.ceil(missing / FACTS_PER_EPISODE / args.writers)
    return max(0, min(args.batch, share))


async def _worker(args: argparse.Namespace) -> None:
    from memory.retain import RetainItem

    mem = _open(Path(args.home), args.db_url, args.chroma_url)
    _warm(mem, args.bank)
    _say({"ready": True})
    sys.stdin.readline()  # "go"
    src = enumerate(sentences(args.n, start=args.start), start=args.start)
    episodes = facts = 0
    t0 = time.perf_counter()
    while (size := _next_size(mem, args)) and (chunk := list(islice(src, size))):
        items = [RetainItem(t, w, f"{args.bank}:{i}", args.bank) for i, (t, w) in chunk]
        done = await mem.aretain_many(items)
        episodes += len(items)
        facts += sum(len(r.fact_ids) for r in done)
    secs = time.perf_counter() - t0
    mem.store.close()
    _say({"episodes": episodes, "facts": facts, "s": round(secs, 2)})


# -- coordinator ------------------------------------------------------------------------------


def _worker_cmd(args: argparse.Namespace, home: Path, urls: tuple[str | None, str | None],
                writers: int, until_facts: int) -> list[str]:  # fmt: skip
    cmd = [sys.executable, "-m", "bench.memory_shared", "--worker", "--home", str(home),
           "--bank", BANK, "--batch", str(args.batch), "--writers", str(writers),
           "--until-facts", str(until_facts)]  # fmt: skip
    cmd += ["--db-url", urls[0]] if urls[0] else []
    return cmd + (["--chroma-url", urls[1]] if urls[1] else [])


def _reports(proc: subprocess.Popen[str]) -> Iterator[dict[str, Any]]:
    """The worker's JSON messages, in order (other stdout lines are ignored)."""
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith('{"worker"'):
            yield json.loads(line)["worker"]


def _run_writers(cmd: list[str], ranges: list[tuple[int, int]], log: Log) -> dict[str, Any]:
    """Start one writer per (start, n) range, release them together once all are ready."""
    with ExitStack() as stack:
        procs = []
        for start, n in ranges:
            p = subprocess.Popen([*cmd, "--start", str(start), "--n", str(n)], text=True,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # fmt: skip
            stack.callback(_reap, p)
            procs.append((p, _reports(p)))
        for p, msgs in procs:
            if next(msgs, {}).get("ready") is not True:
                raise SystemExit(f"writer {p.pid} failed during start-up")
        log(f"  {len(procs)} writer(s) ready, go")
        t0 = time.perf_counter()
        for p, _ in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.close()
        per = [next(msgs, None) for _, msgs in procs]
        wall = time.perf_counter() - t0
        if any(r is None for r in per) or any(p.wait() != 0 for p, _ in procs):
            raise SystemExit("a writer process failed")
    return _rates(wall, per)  # type: ignore[arg-type]


def _reap(p: subprocess.Popen[str]) -> None:
    if p.poll() is None:
        p.kill()
    p.wait()


def _rates(wall: float, per: list[dict[str, Any]]) -> dict[str, Any]:
    eps, facts = sum(r["episodes"] for r in per), sum(r["facts"] for r in per)
    rate = lambda n, s: round(n / s, 1) if s else None  # noqa: E731
    return {
        "writers": len(per), "episodes": eps, "facts": facts, "wall_s": round(wall, 1),
        "episodes_per_s": rate(eps, wall), "facts_per_s": rate(facts, wall),
        "per_writer": [{**r, "episodes_per_s": rate(r["episodes"], r["s"]),
                        "facts_per_s": rate(r["facts"], r["s"])} for r in per],
    }  # fmt: skip


def _split(start: int, n: int, writers: int) -> list[tuple[int, int]]:
    share = -(-n // writers)
    return [(start + w * share, min(share, n - w * share)) for w in range(writers)]


def _grow(args: argparse.Namespace, home: Path, urls: tuple[str | None, str | None],
          writers: int, log: Log) -> dict[str, Any]:  # fmt: skip
    """Fill the bank to `--facts` facts (episodes 0.. split into one block per writer)."""
    budget = math.ceil(args.facts / FACTS_PER_EPISODE * 1.5) + args.batch * writers
    cmd = _worker_cmd(args, home, urls, writers, args.facts)
    log(f"load: {writers} writer(s) growing bank {BANK!r} to {args.facts} facts")
    return _run_writers(cmd, _split(0, budget, writers), log)


def _ingest(args: argparse.Namespace, home: Path, urls: tuple[str | None, str | None],
            writers: int, start: int, log: Log) -> dict[str, Any]:  # fmt: skip
    cmd = _worker_cmd(args, home, urls, writers, 0)
    log(f"ingest: {writers} writer(s), {args.ingest} episodes into the full bank")
    return _run_writers(cmd, _split(start, args.ingest, writers), log)


async def _latencies(mem: Any, n: int, k: int) -> list[float]:
    await mem.arecall("warm up", bank=BANK, k=k)
    out = []
    for q in queries(n):
        t0 = time.perf_counter()
        await mem.arecall(q, bank=BANK, k=k)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _recall(args: argparse.Namespace, home: Path, urls: tuple[str | None, str | None],
            log: Log) -> dict[str, Any]:  # fmt: skip
    t0 = time.perf_counter()
    mem = _open(home, *urls)  # reconciles: counts every index against SQL
    open_s = time.perf_counter() - t0
    try:
        facts = _fact_count(mem, BANK)
        log(f"recall: {args.queries} queries at {facts} facts (open {open_s:.1f} s)")
        lat = asyncio.run(_latencies(mem, args.queries, args.k))
    finally:
        mem.store.close()  # embedded: the folder's owner lock goes before the writers start
    return {"facts": facts, "open_s": round(open_s, 1), "queries": args.queries, "k": args.k,
            "recall_p50_ms": round(percentile(lat, 50), 2),
            "recall_p95_ms": round(percentile(lat, 95), 2)}  # fmt: skip


class _Analyzer:
    """ANALYZE the shared database every `every` s while writers run, and on `now()`.

    The planner needs table statistics: without them it scanned a whole bank for ids it could
    probe (a `bank = ? AND id IN (...)` lookup: 8-14 ms instead of 1.4 ms at 19k facts). A
    default server's autovacuum gathers them about once a minute as tables grow; this does the
    same where autovacuum is off (as on the CI server here), so the figures are a default
    deployment's. No-op for SQLite."""

    def __init__(self, db_url: str | None, every: float = 60.0) -> None:
        self.db_url, self.every = db_url, every
        self.autovacuum: str | None = None
        self.runs = 0
        self._stop = threading.Event()
        if db_url:
            self.autovacuum = self._run("SHOW autovacuum")

    def _run(self, sql: str) -> Any:
        from sqlalchemy import create_engine, text

        from storage.db import normalise_url

        engine = create_engine(normalise_url(self.db_url or ""), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as c:
                res = c.execute(text(sql))
                return res.scalar() if res.returns_rows else None
        finally:
            engine.dispose()

    def now(self) -> None:
        if self.db_url:
            self._run("ANALYZE")
            self.runs += 1

    @contextmanager
    def periodically(self) -> Iterator[None]:
        if not self.db_url or self.autovacuum == "on":
            yield
            return
        self._stop.clear()
        thread = threading.Thread(target=self._loop, daemon=True)
        thread.start()
        try:
            yield
        finally:
            self._stop.set()
            thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            self.now()


def _shared_urls(args: argparse.Namespace, stack: ExitStack, tmp: Path) -> tuple[str, str]:
    db, chroma = args.db_url, args.chroma_url
    if not db:
        from tests.storage.shared_fixtures import _create_database, _drop_database

        name, db = _create_database()
        stack.callback(_drop_database, name)
    if not chroma:
        from storage.chroma_server import ChromaServer

        chroma = stack.enter_context(ChromaServer(tmp / "chroma-server")).url
    return db, chroma


def run(args: argparse.Namespace, log: Log) -> dict[str, Any]:
    default = "1,4" if args.backend == "shared" else "1"
    writers = sorted({int(w) for w in (args.writers or default).split(",")})
    load_writers = args.load_writers or max(writers)
    if args.backend == "embedded" and max([*writers, load_writers]) > 1:
        raise SystemExit("embedded Chroma has a single owner process: use --writers 1")
    loads: dict[str, float] = {"start": _load()}
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="engram-shared-") as tmp:
        home = Path(tmp) / "home"
        urls = _shared_urls(args, stack, Path(tmp)) if args.backend == "shared" else (None, None)
        log(f"{args.backend}: home {home}, database {urls[0] or 'SQLite'}, chroma {urls[1]}")
        _open(home, *urls).store.close()  # migrations once, before the writers start
        stats = _Analyzer(urls[0])
        with stats.periodically():
            grow = _grow(args, home, urls, load_writers, log)
        loads["after_grow"] = _load()
        stats.now()
        recall = _recall(args, home, urls, log)
        loads["after_recall"] = _load()
        ingest = {}
        for w in writers:  # new episodes: past every block the load could have used
            with stats.periodically():
                ingest[str(w)] = _ingest(args, home, urls, w, 10_000_000 * w, log)
            loads[f"after_ingest_{w}"] = _load()
            log(f"  {json.dumps(ingest[str(w)])}")
    pg = {"autovacuum": stats.autovacuum, "analyze_runs": stats.runs} if urls[0] else None
    return {"backend": args.backend, "cpus": os.cpu_count(), "grow": grow, "recall": recall,
            "ingest": ingest, "load_avg_1m": loads, "postgres": pg}  # fmt: skip


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.memory_shared", description=__doc__)
    p.add_argument("--backend", choices=["embedded", "shared"], default="shared")
    p.add_argument("--facts", type=int, default=100_000, help="facts in the bank before recall")
    p.add_argument("--ingest", type=int, default=2000, help="episodes per throughput run")
    p.add_argument("--writers", help="writer process counts (default: 1,4; embedded: 1)")
    p.add_argument("--load-writers", type=int, default=0, help="default: the largest --writers")
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--batch", type=int, default=250, help="episodes per aretain_many call")
    p.add_argument("--db-url")
    p.add_argument("--chroma-url")
    for hidden in ("--home", "--bank"):
        p.add_argument(hidden, help=argparse.SUPPRESS)
    for hidden in ("--start", "--n", "--until-facts"):
        p.add_argument(hidden, type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if args.worker:
        args.writers = int(args.writers)
        asyncio.run(_worker(args))
        return 0
    result = run(args, lambda m: print(m, file=sys.stderr, flush=True))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
