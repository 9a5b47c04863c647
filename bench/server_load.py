"""`engram serve` under concurrent clients, against the same operations called in-process.

    python -m bench.server_load --clients 20 --writes 5

`direct`: one caller runs `clients x writes` rounds of remember + recall on `LocalOps` (the
facade, no HTTP) over a fresh memory (MiniLM embeddings, SQLite, embedded Chroma). `server`: a
real `engram serve` on 127.0.0.1 (bearer tokens, one per client) over another fresh
memory, in its own process; `--clients` httpx clients in this process run `--writes` rounds
each at the same time. Reported per mode: wall seconds, operations per second, remember and recall latency p50/p95 (ms); for the
server, how many episodes are missing afterwards (`lost`, must be 0). The last stdout line is
one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

__all__ = ["main", "run"]


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return round(1000 * xs[min(len(xs) - 1, int(q * len(xs)))], 1) if xs else 0.0


def _text(i: int, j: int) -> str:
    return f"Worker {i} deployed build {i * 100 + j} of the billing service to staging."


async def _timed(lat: list[float], work: Callable[[], Awaitable[Any]]) -> Any:
    t = time.perf_counter()
    out = await work()
    lat.append(time.perf_counter() - t)
    return out


def _summary(wall: float, ops: int, rem: list[float], rec: list[float]) -> dict[str, Any]:
    return {"wall_s": round(wall, 3), "ops_per_s": round(ops / wall, 1),
            "remember_ms_p50": _pct(rem, 0.5), "remember_ms_p95": _pct(rem, 0.95),
            "recall_ms_p50": _pct(rec, 0.5), "recall_ms_p95": _pct(rec, 0.95)}  # fmt: skip


async def _direct(home: Path, clients: int, writes: int) -> dict[str, Any]:
    from agent.server.ops import LocalOps
    from agent.wiring import from_env

    engram = from_env({"ENGRAM_HOME": str(home)})
    ops, rem, rec = LocalOps(engram), [], []  # type: ignore[var-annotated]
    await ops.recall("load", "warm up", k=5)
    t = time.perf_counter()
    for i in range(clients):
        for j in range(writes):
            await _timed(rem, lambda i=i, j=j: ops.remember("load", _text(i, j), source=f"w{i}"))
            await _timed(rec, lambda i=i, j=j: ops.recall("load", f"build {i * 100 + j}", k=5))
    out = _summary(time.perf_counter() - t, 2 * clients * writes, rem, rec)
    engram.close()
    return out


async def _client(url: str, token: str, i: int, writes: int, rem: list[float],
                  rec: list[float]) -> None:  # fmt: skip
    import httpx

    async with httpx.AsyncClient(base_url=url, timeout=300,
                                 headers={"Authorization": f"Bearer {token}"}) as c:  # fmt: skip
        for j in range(writes):
            body = {"text": _text(i, j), "source": f"w{i}"}
            r = await _timed(rem, lambda b=body: c.post("/v1/banks/load/memories", json=b))
            r.raise_for_status()
            q = {"q": f"build {i * 100 + j}", "k": 5}
            r = await _timed(rec, lambda q=q: c.get("/v1/banks/load/recall", params=q))
            r.raise_for_status()


def _server(home: Path, clients: int, writes: int) -> dict[str, Any]:
    """The server is a real `engram serve` process; the clients run in this one."""
    import httpx

    from agent.server.auth import TokenStore
    from bench.live_server import free_port, wait_healthy
    from storage.db import Database, sqlite_url

    home.mkdir(parents=True)
    store = TokenStore(Database(sqlite_url(home / "engram.db")))
    tokens = [store.create("load")[0] for _ in range(clients)]
    port = free_port()
    env = {**os.environ, "ENGRAM_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    main = "import sys; from agent.cli import main; sys.exit(main())"
    cmd = [sys.executable, "-c", main, "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL)
    url, rem, rec = f"http://127.0.0.1:{port}", [], []  # type: ignore[var-annotated]
    try:
        wait_healthy(url, proc)
        h = {"Authorization": f"Bearer {tokens[0]}"}
        httpx.get(url + "/v1/banks/load/recall", params={"q": "warm up"}, headers=h, timeout=60)

        async def everyone() -> None:
            await asyncio.gather(*(_client(url, tokens[i], i, writes, rem, rec)
                                   for i in range(clients)))  # fmt: skip

        t = time.perf_counter()
        asyncio.run(everyone())
        wall = time.perf_counter() - t
        banks = httpx.get(url + "/v1/banks", headers=h, timeout=60).json()["banks"]
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    stored = sum(b["episodes"] for b in banks if b["bank"] == "load")
    return {**_summary(wall, 2 * clients * writes, rem, rec), "clients": clients,
            "lost": clients * writes - stored}  # fmt: skip


def run(clients: int, writes: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        direct = asyncio.run(_direct(Path(tmp) / "direct", clients, writes))
        server = _server(Path(tmp) / "server", clients, writes)
    ratio = server["ops_per_s"] / direct["ops_per_s"] if direct["ops_per_s"] else None
    return {"clients": clients, "writes": writes, "direct": direct, "server": server,
            "server_vs_direct_ops": None if ratio is None else round(ratio, 3),
            "median_recall_overhead_ms": round(server["recall_ms_p50"]
                                               - direct["recall_ms_p50"], 1)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--writes", type=int, default=5)
    args = p.parse_args(argv)
    print(json.dumps(run(args.clients, args.writes)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
