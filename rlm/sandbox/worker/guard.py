"""The REPL's audit hook: a second line of defence above the kernel-level layers of launch.py.

Refuses (raises PermissionError) inside the worker:
- writes, deletes, renames, links, chmod/chown outside the work directory (paths are resolved,
  symlinks followed); /dev/null is allowed;
- signals to processes that are not the worker itself or its descendants (pid <= 0 included);
- loading ctypes / cffi (which would bypass every Python-level check);
- creating processes (fork, exec, spawn, subprocess, os.system), unless allowed;
- with `read_roots` given: opening or listing anything outside them (the kernel's Landlock
  layer enforces the same roots; this layer only gives the model a clearer message);
- sockets and name resolution (no network: the kernel's seccomp/Landlock layers enforce it).
Audit hooks cannot be removed once installed. They are not a complete boundary on their own
(PEP 578); when namespaces are available the kernel enforces the filesystem and kill rules too.
"""

import os
import sys

__all__ = ["install"]

_BLOCKED_MODULES = {"ctypes", "_ctypes", "cffi", "_cffi_backend"}
_SPAWN_EVENTS = {
    "os.fork",
    "os.forkpty",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.system",
    "subprocess.Popen",
    "pty.spawn",
    "os.startfile",
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_PATH_EVENTS = {  # event -> indexes of path arguments that must stay inside the workdir
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.mkdir": (0,),
    "os.rename": (0, 1),
    "os.link": (0, 1),
    "os.symlink": (1,),
    "os.truncate": (0,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.utime": (0,),
    "os.chflags": (0,),
    "os.lchflags": (0,),
    "os.setxattr": (0,),
    "os.removexattr": (0,),
    "shutil.rmtree": (0,),
    "os.mkfifo": (0,),
    "os.mknod": (0,),
}


def _deny(what, why=""):
    raise PermissionError(f"sandbox: {what} is not allowed{why}")


def _is_descendant(pid, me):
    """True if `pid` is `me` or one of its descendants (walks /proc/<pid>/stat parents)."""
    for _ in range(64):
        if pid == me:
            return True
        if pid <= 1:
            return False
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            return False
        pid = int(stat[stat.rindex(b")") + 2 :].split()[1])
    return False


_ONLY = ": only the work directory and `context` are available to the REPL"
_NET_EVENTS = {
    "socket.__new__",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.gethostname",
    "socket.getnameinfo",
    "socket.connect",
    "socket.bind",
}


def install(workdir, allow_subprocess=False, read_roots=None):
    root = os.path.realpath(workdir)
    me = os.getpid()
    allowed_files = {"/dev/null"}
    roots = tuple(r.rstrip("/") for r in read_roots or ())
    realpath, fspath, isabs, join = os.path.realpath, os.fspath, os.path.isabs, os.path.join

    def resolve(path):
        path = fspath(path)
        if isinstance(path, bytes):
            path = path.decode("utf-8", "surrogateescape")
        return realpath(path if isabs(path) else join(os.getcwd(), path))

    def inside(path):
        if isinstance(path, int):
            return True  # an already-open descriptor
        full = resolve(path)
        return full == root or full.startswith(root + "/") or full in allowed_files

    def readable(path):
        if not roots or isinstance(path, int):
            return True
        full = resolve(path)
        return any(full == r or full.startswith(r + "/") for r in roots)

    def check_open(args):
        path, mode, flags = args
        writing = (mode is not None and any(c in mode for c in "wax+")) or (
            mode is None and flags and flags & _WRITE_FLAGS
        )
        if writing and not inside(path):
            _deny(f"writing {path!r} (outside the work directory)")
        if not readable(path):
            _deny(f"reading {path!r}", _ONLY)

    def check_list(path):
        if not readable("." if path is None else path):
            _deny(f"listing {path!r}", _ONLY)

    def check_kill(pid, kind):
        if pid <= 0 and not (kind == "os.kill" and pid == 0):
            _deny(f"{kind}({pid})")
        if pid > 0 and not _is_descendant(pid, me):
            _deny(f"{kind}({pid}) of a process that is not yours")

    def hook(event, args):
        if event == "open":
            check_open(args)
        elif event in ("os.listdir", "os.scandir"):
            check_list(args[0])
        elif event in _NET_EVENTS:
            _deny(f"network access ({event})", ": the sandbox has no network")
        elif event in _PATH_EVENTS:
            for i in _PATH_EVENTS[event]:
                if i < len(args) and args[i] is not None and not inside(args[i]):
                    _deny(f"{event} on {args[i]!r} (outside the work directory)")
        elif event in ("os.kill", "os.killpg"):
            check_kill(args[0], event)
        elif event == "signal.pthread_kill":
            pass  # threads of this process only
        elif event == "import" and args[0].split(".")[0] in _BLOCKED_MODULES:
            _deny(f"importing {args[0]}")
        elif event in ("ctypes.dlopen", "ctypes.dlsym", "ctypes.cdata"):
            _deny(event)
        elif not allow_subprocess and (
            event in _SPAWN_EVENTS or (event == "import" and args[0] == "_posixsubprocess")
        ):
            _deny(f"starting processes ({event})")

    sys.addaudithook(hook)
