"""Memory at scale: ingest throughput and recall latency at growing fact counts, offline.

    python -m bench.memory_scale [--sizes 10000,100000] [--queries 200] [--batch 500]

Synthetic but varied project-memory sentences (thousands of people and projects, 28
sentence forms, real dates, customers, cities, technologies) go through the real
`Memory.retain_many` path (offline extractor, MiniLM embeddings, SQLite, FTS5, Chroma) into one
bank; at each size, recall latency is measured over held-out queries through the real recall
path. Sizes are cumulative episode counts (10k, then 90k more for 100k; ~1.3 facts each). Peak
RSS is the process's maximum resident set; ingest CPU seconds (all threads) and the 1-minute
load average (before ingest, after ingest, after recall) tell how contended the machine was.
The last stdout line is one JSON object.
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
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

__all__ = ["sentences", "queries", "percentile", "main"]


def _words(s: str) -> list[str]:
    return s.split()


FIRST = _words("""Sarah Tom Priya Mateo Aiko Jonas Fatima Liam Chen Olga Kwame Isabel Ravi Hannah Diego Yuki
Noah Amara Lars Mei Sofia Arjun Elena Marcus Leila Tobias Nadia Kenji Grace Omar Ingrid Pedro Zara Felix
Anya Hugo Chloe Dmitri Lucia Samir Beatriz Owen Keiko Malik Freya Andre Nora Tariq Vera Emil Rosa Jamal
Astrid Bruno Imani Viktor Clara Rahul Maya Stefan Lina Kofi Alma Joaquin Tessa Idris Helga Marco Sana""")
LAST = _words("""Chen Okafor Silva Novak Tanaka Schmidt Haddad Kowalski Rossi Nguyen Petrov Mensah Garcia
Lindqvist Patel Moreau Ibrahim Costa Yamamoto Fischer Dubois Larsen Kim Osei Romero Berg Sato Horvat
Ahmed Jensen Alvarez Nakamura Weber Bianchi Okoye Svensson Cruz Hoffmann Reyes Ivanova""")
ADJ = _words("""new legacy internal public mobile realtime nightly regional shared async unified secure
customer partner billing search payment analytics audit streaming""")
NOUN = _words("""API gateway dashboard pipeline scheduler exporter importer ledger cache index queue
service portal SDK console checkout warehouse crawler notifier webhook""")
CODENAMES = _words("""Apollo Borealis Cobalt Driftwood Ember Falcon Granite Harbor Iris Juniper Kestrel
Lantern Meridian Nimbus Onyx Pioneer Quartz Redwood Sierra Tundra Umbra Vesper Willow Zephyr""")
TEAMS = _words("""platform billing search mobile infra data growth security payments identity
observability frontend devex support compliance ml""")
TECH = _words("""PostgreSQL MySQL Redis Memcached Kafka RabbitMQ Kubernetes Terraform Elasticsearch
ClickHouse Snowflake GraphQL gRPC Rust Go TypeScript Django FastAPI React Airflow""")
CITIES = _words(
    """Berlin Lisbon Toronto Nairobi Singapore Austin Warsaw Osaka Dublin Bogota Oslo Pune"""
)
CUSTOMERS = _words("""Acme Globex Initech Umbrella Stark Wayne Hooli Vandelay Wonka Soylent Tyrell Cyberdyne
Massive Aperture Oscorp Dunder""")
TEMPLATES = [
    "{p} finished the {proj} migration {n} days early.",
    "{p} is blocked on {proj} because the {team} team has not reviewed the design.",
    "We decided to move {proj} to the {team} team after the planning review on {d}.",
    "{p} thinks {proj} should move from {tech} to {tech2} before {d}.",
    "{p} will present {proj} at the {team} sync on {d}.",
    "The deadline for {proj} moved to {d}.",
    "{p} and {q} paired on {proj} and fixed {n} bugs in the {noun}.",
    "The {team} team chose {tech} over {tech2} for {proj}.",
    "{p} reported that {proj} failed in staging with {n} errors on {d}.",
    "{p} joined the {team} team to help with {proj}.",
    "{cust} asked for an SLA of {n} hours on the {proj} {noun}.",
    "{p} flew to {city} to meet {cust} about the {proj} rollout.",
    "The {proj} outage on {d} lasted {n} minutes and hit {cust}.",
    "{p} is fairly sure {proj} will slip past {d}.",
    "{p} took over on-call for {proj} from {q}.",
    "Budget for {proj} was cut by {n} percent after the {team} review.",
    "{p} wrote the postmortem for the {proj} incident and {q} reviewed it.",
    "{cust} signed a renewal that depends on {proj} shipping in {month}.",
    "{p} prefers {tech} for the {proj} {noun} because it is easier to operate.",
    "The {team} team hired {p} as a staff engineer in {city}.",
    "{p} is on parental leave until {d}; {q} covers {proj}.",
    "Load tests for {proj} reached {n}000 requests per second on {tech}.",
    "{p} found a security issue in the {proj} {noun} and {q} patched it on {d}.",
    "{p} said the {proj} demo for {cust} went well.",
    "{p} will be out from {d} for {n} days.",
    "{q} approved the design doc for {proj} written by {p}.",
    "{p} is worried that {proj} depends on the {tech} cluster run by {team}.",
    "The {proj} beta has {n}00 users, mostly from {cust}.",
]
QUERY_FORMS = [
    "What is {p} blocked on?",
    "Who finished the {proj} migration early?",
    "Why did the {team} team choose {tech}?",
    "What happened with {proj} last month?",
    "When is the deadline for {proj}?",
    "What does {p} think about {proj}?",
    "Who is covering {proj} while {p} is away?",
    "What did {cust} ask for?",
    "Which incidents hit {cust} in {month}?",
    "Who went to {city}?",
    "What did we decide about {tech} for {proj}?",
    "Who reviewed the {proj} postmortem?",
    "How many users does the {proj} beta have?",
    "What is the status of {proj} rollout?",
]


def _pick(rng: random.Random) -> dict[str, Any]:
    """One draw of every slot: ~2,700 people, ~1,400 projects, 16 customers, 12 cities, ..."""
    proj = (
        f"{rng.choice(CODENAMES)}-{rng.randint(1, 40)}"
        if rng.random() < 0.6
        else f"the {rng.choice(ADJ)} {rng.choice(NOUN)}"
    )
    tech, tech2 = rng.sample(TECH, 2)
    p = f"{rng.choice(FIRST)} {rng.choice(LAST)}" if rng.random() < 0.5 else rng.choice(FIRST)
    return {
        "p": p,
        "q": rng.choice(FIRST),
        "proj": proj,
        "team": rng.choice(TEAMS),
        "tech": tech,
        "tech2": tech2,
        "noun": rng.choice(NOUN),
        "city": rng.choice(CITIES),
        "cust": rng.choice(CUSTOMERS),
        "n": rng.randint(2, 90),
    }


def _sentence(rng: random.Random, when: datetime) -> str:
    slots = _pick(rng)
    day = when + timedelta(days=rng.randint(-30, 60))
    slots["d"] = day.strftime(rng.choice(["%d %B %Y", "%B %d", "%d %b %Y"]))
    slots["month"] = day.strftime("%B")
    text = rng.choice(TEMPLATES).format(**slots)
    return text[0].upper() + text[1:]


def sentences(n: int, seed: int = 7, start: int = 0) -> Iterator[tuple[str, datetime]]:
    """`n` (sentence, mention time) pairs; deterministic for (seed, start). One or two
    sentences per episode, about a hundred episodes per day from January 2025."""
    rng = random.Random(seed * 1_000_003 + start)
    base = datetime(2025, 1, 1, tzinfo=UTC)
    for i in range(start, start + n):
        when = base + timedelta(seconds=864 * i + rng.randint(0, 600))
        text = _sentence(rng, when)
        if rng.random() < 0.3:
            text += " " + _sentence(rng, when)
        yield text, when


def queries(n: int, seed: int = 11) -> list[str]:
    """Held-out questions over the same vocabulary (people, projects, customers, months)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        slots = _pick(rng)
        slots["p"] = slots["p"].split()[0] if rng.random() < 0.5 else slots["p"]
        slots["month"] = rng.choice(["March", "June", "last month", "October 2025", "Q2 2025"])
        out.append(rng.choice(QUERY_FORMS).format(**slots))
    return out


def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return 0.0
    xs = sorted(values)
    idx = min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))
    return xs[idx]


def _cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


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
    sizes: Sequence[int],
    n_queries: int,
    batch: int,
    k: int,
    log: Callable[[str], None],
    keep: Path | None = None,
) -> dict[str, Any]:
    from bench.locomo import _open_memory

    results = []
    with _home(keep) as home:
        os.environ["ENGRAM_HOME"] = home
        memory = _open_memory(Path(home))
        done, facts_before = 0, 0
        for size in sorted(sizes):
            log(f"growing to {size} episodes")
            cpu0, load0 = _cpu_s(), os.getloadavg()[0]
            secs = await _ingest(memory, done, size - done, batch, log)
            cpu, load1 = _cpu_s() - cpu0, os.getloadavg()[0]
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
                "ingest_cpu_s": round(cpu, 1),  # this process, all threads
                "ingest_facts_per_cpu_s": round((facts - facts_before) / cpu, 1) if cpu else None,
                "load_avg": [round(load0, 2), round(load1, 2), round(os.getloadavg()[0], 2)],
            })  # fmt: skip
            log(json.dumps(results[-1]))
            done, facts_before = size, facts
    return {"sizes": results, "growth": _growth(results), "queries": n_queries, "k": k}


@contextmanager
def _home(keep: Path | None) -> Iterator[str]:
    """A temporary ENGRAM_HOME, or `keep` (left in place for later profiling)."""
    if keep is None:
        with tempfile.TemporaryDirectory(prefix="engram-scale-") as home:
            yield home
        return
    if keep.exists() and any(keep.iterdir()):
        raise SystemExit(f"--keep {keep} is not empty: the bench grows a fresh memory")
    keep.mkdir(parents=True, exist_ok=True)
    yield str(keep)


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
    p.add_argument("--keep", type=Path, help="grow the memory in this (new) folder and keep it")
    args = p.parse_args(argv)
    try:
        sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    except ValueError:
        print(f"--sizes wants integers like 10000,100000, got {args.sizes!r}", file=sys.stderr)
        return 2
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    print(json.dumps(asyncio.run(run(sizes, args.queries, args.batch, args.k, log, args.keep))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
