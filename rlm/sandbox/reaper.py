"""Killing a worker's whole process tree, leaving nothing behind."""

from __future__ import annotations

import asyncio
import contextlib

import psutil

__all__ = ["kill_tree"]


def _descendants(root: psutil.Process) -> list[psutil.Process]:
    with contextlib.suppress(psutil.Error):
        return root.children(recursive=True)
    return []


def _freeze_tree(pid: int) -> list[psutil.Process]:
    """SIGSTOP the tree until no new process appears (stopped processes cannot fork)."""
    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return []
    seen: dict[int, psutil.Process] = {}
    for _ in range(50):
        procs = [root, *_descendants(root)]
        fresh = [p for p in procs if p.pid not in seen]
        if not fresh:
            break
        for proc in fresh:
            seen[proc.pid] = proc
            with contextlib.suppress(psutil.Error):
                proc.suspend()
    return list(seen.values())


async def kill_tree(pid: int) -> None:
    """SIGKILL `pid` and every descendant. Descendants are killed before their ancestors so that
    nothing is re-parented away (the worker is a subreaper, or pid 1 of its own namespace)."""
    procs = await asyncio.to_thread(_freeze_tree, pid)
    for proc in reversed(procs):
        with contextlib.suppress(psutil.Error):
            proc.kill()
    await asyncio.to_thread(psutil.wait_procs, procs[1:], 5)
