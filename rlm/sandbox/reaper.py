"""Killing a worker's whole process tree, leaving nothing behind."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time

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


def _wait_dead(pids: list[int], timeout: float) -> None:
    """Until every pid is gone or a zombie (zombies re-parented to init may wait a while for
    init to reap them; they hold no resources but a pid)."""
    deadline = time.monotonic() + timeout
    pending = list(pids)
    while pending and time.monotonic() < deadline:
        pending = [pid for pid in pending if _alive(pid)]
        if pending:
            time.sleep(0.005)


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


async def kill_tree(pid: int) -> None:
    """SIGKILL `pid` and every descendant, then wait (briefly) until they are gone."""
    pids = await asyncio.to_thread(_freeze_tree, pid)
    _kill(pids)
    await asyncio.to_thread(_wait_dead, pids[1:], 5.0)
