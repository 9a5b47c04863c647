"""Memory on the embedded and the shared deployment: ingest throughput with 1 and N writer
processes, and recall latency once the bank holds `--episodes` episodes.

    python -m bench.memory_shared --backend shared --episodes 100000 --writers 1,4
    python -m bench.memory_shared --backend embedded --episodes 100000 --writers 1

`shared` = PostgreSQL (`--db-url`, default: a fresh database created on 127.0.0.1:5432 and
dropped afterwards) + a Chroma server (`--chroma-url`, default: a local `chroma run` started for
the run). `embedded` = SQLite + a Chroma folder, which one process owns (writers > 1 refused).
Each writer is a process running the real `Memory.aretain_many` path (offline extractor, MiniLM
embeddings) on the synthetic sentences of `bench.memory_scale`, all into one bank. Throughput
phase: `--ingest` episodes per configuration split across the writers, into a bank of its own.
Scale phase: the bank "scale" is filled to `--episodes` by the largest writer count, then recall
latency is measured over held-out queries. The last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.memory_scale import percentile, queries, sentences

__all__ = ["main"]


def _open(home: Path, db_url: str | None, chroma_url: str | None) -> Any:
    from memory.memory import Memory
    from storage.store import Store

    return Memory(Store.open(home, db_url, chroma_url=chroma_url))


async def _worker(home: Path, db: str | None, chroma: str | None, bank: str, start: int,
                  n: int, batch: int) -> None:  # fmt: skip
    from memory.retain import RetainItem

    mem = _open(home, db, chroma)
    items = [RetainItem(t, w, f"{bank}:{start + i}", bank)
             for i, (t, w) in enumerate(sentences(n, start=start))]  # fmt: skip
    for s in range(0, len(items), batch):
        await mem.aretain_many(items[s : s + batch])
    mem.store.close()


def _ingest(args: argparse.Namespace, home: Path, urls: tuple[str | None, str | None],
            bank: str, start: int, n: int, writers: int) -> float:  # fmt: skip
    """Run `writers` processes ingesting n episodes between them; wall seconds."""
    share = -(-n // writers)
    cmd = [sys.executable, "-m", "bench.memory_shared", "--worker", "--home", str(home),
           "--bank", bank, "--batch", str(args.batch)]  # fmt: skip
    cmd += ["--db-url", urls[0]] if urls[0] else []
    cmd += ["--chroma-url", urls[1]] if urls[1] else []
    t0 = time.perf_counter()
    procs = [subprocess.Popen([*cmd, "--start", str(start + w * share),
                               "--n", str(min(share, n - w * share))])
             for w in range(writers)]  # fmt: skip
    if any(p.wait() != 0 for p in procs):
        raise SystemExit("a writer process failed")
    return time.perf_counter() - t0


def _counts(mem: Any, bank: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from storage.schema import Episode, Fact

    with mem.store.db.session() as s:
        eps = s.execute(select(func.count()).select_from(Episode).where(Episode.bank == bank))
        facts = s.execute(select(func.count()).select_from(Fact).where(Fact.bank == bank))
        return {"episodes": int(eps.scalar_one()), "facts": int(facts.scalar_one())}


async def _latencies(mem: Any, n: int, k: int) -> list[float]:
    await mem.arecall("warm up", bank="scale", k=k)
    out = []
    for q in queries(n):
        t0 = time.perf_counter()
        await mem.arecall(q, bank="scale", k=k)
        out.append((time.perf_counter() - t0) * 1000)
    return out


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


def run(args: argparse.Namespace, log: Any) -> dict[str, Any]:
    writers = sorted({int(w) for w in args.writers.split(",")})
    if args.backend == "embedded" and writers != [1]:
        raise SystemExit("embedded Chroma has a single owner process: use --writers 1")
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="engram-shared-") as tmp:
        home = Path(tmp) / "home"
        shared = args.backend == "shared"
        urls = _shared_urls(args, stack, Path(tmp)) if shared else (None, None)
        _open(home, *urls).store.close()  # migrations once, before the writers start
        ingest = {}
        for w in writers:
            secs = _ingest(args, home, urls, f"ingest{w}", 10_000_000 * w, args.ingest, w)
            ingest[str(w)] = {"episodes": args.ingest, "s": round(secs, 1),
                              "episodes_per_s": round(args.ingest / secs, 1)}  # fmt: skip
            log(f"writers={w}: {ingest[str(w)]}")
        t0 = time.perf_counter()
        _ingest(args, home, urls, "scale", 0, args.episodes, max(writers))
        load_s = time.perf_counter() - t0
        mem = _open(home, *urls)
        lat = asyncio.run(_latencies(mem, args.queries, args.k))
        counts = _counts(mem, "scale")
        mem.store.close()
    return {
        "backend": args.backend, "ingest": ingest, "scale": {**counts, "load_s": round(load_s, 1),
        "recall_p50_ms": round(percentile(lat, 50), 2),
        "recall_p95_ms": round(percentile(lat, 95), 2), "queries": args.queries, "k": args.k},
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.memory_shared", description=__doc__)
    p.add_argument("--backend", choices=["embedded", "shared"], default="shared")
    p.add_argument("--episodes", type=int, default=100_000, help="episodes in the recall bank")
    p.add_argument("--ingest", type=int, default=2000, help="episodes per throughput run")
    p.add_argument("--writers", default="1,4", help="writer process counts, e.g. 1,4")
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--batch", type=int, default=250)
    p.add_argument("--db-url")
    p.add_argument("--chroma-url")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--home", help=argparse.SUPPRESS)
    p.add_argument("--bank", help=argparse.SUPPRESS)
    p.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        asyncio.run(_worker(Path(args.home), args.db_url, args.chroma_url, args.bank,
                            args.start, args.n, args.batch))  # fmt: skip
        return 0
    result = run(args, lambda m: print(m, file=sys.stderr, flush=True))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
