"""Killing a worker's whole process tree, leaving nothing behind."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal

import psutil

__all__ = ["kill_tree"]


def _tree(root: psutil.Process) -> list[psutil.Process]:
    with contextlib.suppress(psutil.Error):
        return [root, *root.children(recursive=True)]
    return []


def _freeze_tree(pid: int) -> list[int]:
    """SIGSTOP the tree until no new process appears (stopped processes cannot fork).

    Returns the pids, ancestors first (a process is listed after its parent)."""
    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return []
    seen: list[int] = []
    for _ in range(100):
        fresh = [p.pid for p in _tree(root) if p.pid not in seen]
        if not fresh:
            break
        for child in fresh:
            seen.append(child)
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGSTOP)
    return seen


def _kill(pids: list[int]) -> None:
    """Leaves first: a child killed while its (stopped) parent lives stays in the tree as a
    zombie instead of being re-parented to init."""
    for child in reversed(pids):
        with contextlib.suppress(OSError):
            os.kill(child, signal.SIGKILL)


async def kill_tree(pid: int) -> None:
    """SIGKILL `pid` and every descendant, then wait (briefly) until they are gone."""
    pids = await asyncio.to_thread(_freeze_tree, pid)
    _kill(pids)
    procs = []
    for child in pids[1:]:
        with contextlib.suppress(psutil.Error):
            procs.append(psutil.Process(child))
    await asyncio.to_thread(psutil.wait_procs, procs, 5)
