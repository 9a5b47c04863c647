"""Finding and killing a process's descendants through /proc (standard library only)."""

import contextlib
import os
import signal

__all__ = ["descendants", "kill_descendants"]


def _parents():
    parents = {}
    try:
        names = os.listdir("/proc")
    except OSError:  # confined without a PID namespace: /proc is not readable
        return parents
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        parents[int(name)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
    return parents


def descendants(pid):
    children = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            found.append(child)
            todo.append(child)
    return found


def kill_descendants(pid=None):
    """SIGSTOP every descendant until none new appears, then SIGKILL them all."""
    pid = os.getpid() if pid is None else pid
    seen = []
    for _ in range(100):
        fresh = [p for p in descendants(pid) if p not in seen]
        if not fresh:
            break
        for child in fresh:
            seen.append(child)
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGSTOP)
    for child in reversed(seen):
        with contextlib.suppress(OSError):
            os.kill(child, signal.SIGKILL)
