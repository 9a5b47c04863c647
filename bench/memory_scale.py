"""Memory at scale: ingest throughput and recall latency at growing fact counts, offline.

    python -m bench.memory_scale [--sizes 10000,100000] [--queries 200] [--batch 500]

Synthetic but realistic project-memory sentences (people, teams, decisions, blockers, dates)
go through the real `Memory.retain_many` path (offline extractor, MiniLM embeddings, SQLite,
FTS5, Chroma) into one bank; at each size, recall latency is measured over held-out queries
through the real recall path. Sizes are cumulative (10k, then 90k more for 100k). Peak RSS is
the process's maximum resident set. The last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

__all__ = ["sentences", "queries", "percentile", "main"]

PEOPLE = [
    "Sarah", "Tom", "Priya", "Mateo", "Aiko", "Jonas", "Fatima", "Liam", "Chen", "Olga",
    "Kwame", "Isabel", "Ravi", "Hannah", "Diego", "Yuki", "Noah", "Amara", "Lars", "Mei",
]  # fmt: skip
TEAMS = ["platform", "billing", "search", "mobile", "infra", "data", "growth", "security"]
THINGS = [
    "the PostgreSQL migration", "the batch API", "the auth service", "the release pipeline",
    "the onboarding flow", "the billing dashboard", "the search index", "the mobile app",
    "the CI runners", "the data warehouse", "the rate limiter", "the audit log",
]  # fmt: skip
TEMPLATES = [
    "{p} finished {t} {n} days early.",
    "{p} is blocked on {t} because the {team} team has not reviewed the design.",
    "We decided to move {t} to the {team} team after the planning review.",
    "{p} thinks {t} is the right next priority for the {team} team.",
    "{p} will present {t} at the {team} sync on {d}.",
    "The deadline for {t} moved to {d}.",
    "{p} and {q} paired on {t} and fixed {n} bugs.",
    "The {team} team chose Redis over Memcached for {t}.",
    "{p} reported that {t} failed in staging with {n} errors.",
    "{p} joined the {team} team to help with {t}.",
]


def sentences(n: int, seed: int = 7, start: int = 0) -> Iterator[tuple[str, datetime]]:
    """`n` (sentence, mention time) pairs; deterministic for (seed, start)."""
    rng = random.Random(seed * 1_000_003 + start)
    base = datetime(2025, 1, 1, tzinfo=UTC)
    for i in range(start, start + n):
        when = base + timedelta(hours=3 * i // 10)
        d = (when + timedelta(days=rng.randint(1, 40))).strftime("%d %B %Y")
        text = rng.choice(TEMPLATES).format(
            p=rng.choice(PEOPLE),
            q=rng.choice(PEOPLE),
            t=rng.choice(THINGS),
            team=rng.choice(TEAMS),
            n=rng.randint(2, 30),
            d=d,
        )
        yield f"[{i}] {text}", when


def queries(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    forms = [
        "What is {p} blocked on?",
        "Who finished {t} early?",
        "Why did the {team} team choose Redis?",
        "What happened with {t} last month?",
        "When is the deadline for {t}?",
        "What does {p} think about {t}?",
    ]
    return [
        rng.choice(forms).format(p=rng.choice(PEOPLE), t=rng.choice(THINGS), team=rng.choice(TEAMS))
        for _ in range(n)
    ]


def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return 0.0
    xs = sorted(values)
    idx = min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))
    return xs[idx]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


async def _ingest(memory: Any, start: int, n: int, batch: int, log: Callable[[str], None]) -> float:
    from memory.retain import RetainItem

    t0 = time.perf_counter()
    items = [
        RetainItem(t, w, f"scale:{start + i}", "scale")
        for i, (t, w) in enumerate(sentences(n, start=start))
    ]
    for s in range(0, len(items), batch):
        await memory.aretain_many(items[s : s + batch])
        if (s // batch) % 20 == 0:
            log(f"  ingested {start + s + batch} episodes ({time.perf_counter() - t0:.0f}s)")
    return time.perf_counter() - t0


async def _latencies(memory: Any, qs: Sequence[str], k: int) -> list[float]:
    from memory.recall import recall

    await recall(memory.store, "warm up", bank="scale", k=k)
    out = []
    for q in qs:
        t0 = time.perf_counter()
        await recall(memory.store, q, bank="scale", k=k)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _fact_count(memory: Any) -> int:
    from sqlalchemy import func, select

    from storage.schema import Fact

    with memory.store.db.session() as s:
        return int(s.execute(select(func.count()).select_from(Fact)).scalar_one())


async def run(
    sizes: Sequence[int], n_queries: int, batch: int, k: int, log: Callable[[str], None]
) -> dict[str, Any]:
    from bench.locomo import _open_memory

    results = []
    with tempfile.TemporaryDirectory(prefix="engram-scale-") as home:
        os.environ["ENGRAM_HOME"] = home
        memory = _open_memory(Path(home))
        done, facts_before = 0, 0
        for size in sorted(sizes):
            log(f"growing to {size} episodes")
            secs = await _ingest(memory, done, size - done, batch, log)
            facts = _fact_count(memory)
            lat = await _latencies(memory, queries(n_queries), k)
            results.append({
                "episodes": size,
                "facts": facts,
                "ingest_s": round(secs, 1),
                "ingest_facts_per_s": round((facts - facts_before) / secs, 1) if secs else None,
                "recall_p50_ms": round(percentile(lat, 50), 2),
                "recall_p95_ms": round(percentile(lat, 95), 2),
                "peak_rss_mb": round(peak_rss_mb(), 1),
            })  # fmt: skip
            log(json.dumps(results[-1]))
            done, facts_before = size, facts
    return {"sizes": results, "growth": _growth(results), "queries": n_queries, "k": k}


def _growth(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    if len(rows) < 2:
        return {}
    a, b = rows[0], rows[-1]
    ratio = lambda key: round(b[key] / a[key], 2) if a[key] else None  # noqa: E731
    return {
        "facts_x": ratio("facts"),
        "recall_p95_x": ratio("recall_p95_ms"),
        "ingest_rate_x": ratio("ingest_facts_per_s"),
        "peak_rss_x": ratio("peak_rss_mb"),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.memory_scale", description=__doc__.split("\n")[0]
    )
    p.add_argument("--sizes", default="10000,100000", help="cumulative episode counts")
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--batch", type=int, default=500)
    p.add_argument("--k", type=int, default=10)
    args = p.parse_args(argv)
    try:
        sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    except ValueError:
        print(f"--sizes wants integers like 10000,100000, got {args.sizes!r}", file=sys.stderr)
        return 2
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    print(json.dumps(asyncio.run(run(sizes, args.queries, args.batch, args.k, log))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
