"""Finding leftover REPL worker processes of this test process (and nothing else it started)."""

from __future__ import annotations

import asyncio

import psutil

__all__ = ["sandbox_workers", "no_sandbox_workers"]


def sandbox_workers() -> list[psutil.Process]:
    """Live (non-zombie) descendants that belong to an RLM sandbox: the launcher, the REPL and
    whatever they spawned. Servers other fixtures started (chroma, endpoints) don't count."""
    out = []
    for p in psutil.Process().children(recursive=True):
        try:
            if p.status() == psutil.STATUS_ZOMBIE:
                continue
            chain = [p, *p.parents()]
            if any("rlm/sandbox" in " ".join(q.cmdline()) for q in chain):
                out.append(p)
        except psutil.Error:
            continue
    return out


async def no_sandbox_workers(timeout: float = 5.0) -> bool:
    for _ in range(int(timeout / 0.05)):
        if not sandbox_workers():
            return True
        await asyncio.sleep(0.05)
    return False
