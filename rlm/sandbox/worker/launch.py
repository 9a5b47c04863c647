"""Stage 1 of the sandbox worker: privileged setup, then exec the REPL (stage 2).

Run as ``python -I -S -B launch.py CONFIG_JSON``. Uses only the standard library (ctypes is
needed for prctl/unshare/capset/mount; it is loaded here, then the process image is replaced
by ``exec``, so model code never runs in a process that has ctypes loaded).

Layers, each applied when the kernel and our privileges allow it:
- PR_SET_PDEATHSIG(SIGKILL): dies with its parent;
- namespaces (root, or an unprivileged user namespace): new PID namespace (the REPL is pid 1
  there: it cannot address host processes, and when it dies the kernel kills everything it
  spawned), new network/IPC namespaces (no network), new mount namespace with the whole tree
  re-mounted read-only except the work directory and a private /proc;
- rlimits: address space, file size, core dumps (and NPROC for non-root users);
- capabilities: all dropped from the bounding/effective/permitted/inheritable sets, plus
  PR_SET_NO_NEW_PRIVS, so the REPL cannot raise its limits back or read other processes' memory;
- Landlock and seccomp (confine.py): reads only of the Python installation, system libraries and
  the worker's code, writes only in the work directory, no TCP, no sockets, no ptrace.
If a layer is unavailable it is skipped (reported to the host in `isolation`).
"""

import ctypes
import json
import os
import resource
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import confine  # noqa: E402
import procs  # noqa: E402

PR_SET_PDEATHSIG = 1
PR_CAPBSET_DROP = 24
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
SYS_MOUNT_SETATTR = 442  # x86_64 and aarch64 share the generic number since 5.12
AT_FDCWD, AT_RECURSIVE = -100, 0x8000
MOUNT_ATTR_RDONLY = 0x1

libc = ctypes.CDLL(None, use_errno=True)


def _check(rc: int, what: str) -> None:
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def prctl(option: int, arg: int = 0) -> None:
    _check(libc.prctl(option, ctypes.c_ulong(arg), 0, 0, 0), f"prctl({option})")


class _MountAttr(ctypes.Structure):
    _fields_ = [
        ("attr_set", ctypes.c_uint64),
        ("attr_clr", ctypes.c_uint64),
        ("propagation", ctypes.c_uint64),
        ("userns_fd", ctypes.c_uint64),
    ]


def _mount(src: str | None, dst: str, fstype: str | None, flags: int) -> None:
    src_b, fs_b = (None if v is None else v.encode() for v in (src, fstype))
    _check(libc.mount(src_b, dst.encode(), fs_b, ctypes.c_ulong(flags), None), f"mount {dst}")


def _setattr(path: str, flags: int, attr_set: int, attr_clr: int) -> None:
    attr = _MountAttr(attr_set, attr_clr, 0, 0)
    rc = libc.syscall(
        SYS_MOUNT_SETATTR, AT_FDCWD, path.encode(), flags, ctypes.byref(attr), ctypes.sizeof(attr)
    )
    _check(rc, f"mount_setattr {path}")


def _write(path: str, text: str) -> None:
    with open(path, "w") as fh:
        fh.write(text)


def enter_namespaces(workdir: str) -> list[str]:
    """Unshare what we can; returns the layers obtained. Must run before fork()."""
    base = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC
    if libc.unshare(base) == 0:
        return ["pid", "net", "ipc", "mount"]
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(base | CLONE_NEWUSER) == 0:
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{uid} {uid} 1")
        _write("/proc/self/gid_map", f"{gid} {gid} 1")
        return ["user", "pid", "net", "ipc", "mount"]
    return []


def readonly_filesystem(workdir: str) -> None:
    """In the new mount namespace: private propagation, fresh /proc, all read-only but workdir."""
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    _mount(workdir, workdir, None, MS_BIND | MS_REC)
    _setattr("/", AT_RECURSIVE, MOUNT_ATTR_RDONLY, 0)
    _setattr(workdir, AT_RECURSIVE, 0, MOUNT_ATTR_RDONLY)


def set_limits(cfg: dict) -> None:
    if cfg.get("memory_bytes"):
        resource.setrlimit(resource.RLIMIT_AS, (cfg["memory_bytes"],) * 2)
    resource.setrlimit(resource.RLIMIT_FSIZE, (cfg["file_bytes"],) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if os.getuid() != 0 and cfg.get("nproc"):
        soft, hard = resource.getrlimit(resource.RLIMIT_NPROC)
        cap = cfg["nproc"] if hard == resource.RLIM_INFINITY else min(hard, cfg["nproc"])
        resource.setrlimit(resource.RLIMIT_NPROC, (cap, cap))


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def drop_privileges() -> None:
    """Drop every capability (bounding set first, then the process sets); no new privileges."""
    try:
        with open("/proc/sys/kernel/cap_last_cap") as fh:
            last = int(fh.read())
    except OSError:
        last = 40
    for cap in range(last + 1):
        libc.prctl(PR_CAPBSET_DROP, ctypes.c_ulong(cap), 0, 0, 0)  # EPERM without CAP_SETPCAP: fine
    header = _CapHeader(0x20080522, 0)
    data = (_CapData * 2)()
    _check(libc.capset(ctypes.byref(header), data), "capset")
    prctl(PR_SET_NO_NEW_PRIVS, 1)


def read_roots(cfg: dict, layers: list[str]) -> dict[str, list[str]]:
    """What the REPL may read (and run), and where it may write: nothing else exists for it."""
    here = os.path.dirname(os.path.abspath(__file__))
    system = [sys.base_prefix, os.path.dirname(os.path.realpath(sys.executable)),
              "/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin"]  # fmt: skip
    files = ["/etc/ld.so.cache", "/etc/localtime"]
    if "pid" in layers:  # a fresh /proc that shows only the sandbox's own processes
        files.append("/proc")
    else:  # the host's /proc: only this process's own entry (the REPL keeps this pid)
        files.append(f"/proc/{os.getpid()}")
    return {
        "read_exec": _unique(system),
        "read_only": _unique([here, *files]),
        "read_write": [os.path.realpath(cfg["workdir"])],
        "devices": ["/dev/null", "/dev/zero", "/dev/urandom", "/dev/random"],
    }


def _unique(paths: list[str]) -> list[str]:
    out: list[str] = []
    for path in paths:
        real = os.path.realpath(path)
        if real != "/" and os.path.exists(real) and real not in out:
            out.append(real)
    return out


def confine_kernel(cfg: dict, layers: list[str]) -> list[str]:
    """Landlock + seccomp (after no-new-privs); the roots go to the REPL's audit hook too."""
    roots = read_roots(cfg, layers)
    cfg["read_roots"] = (
        roots["read_exec"] + roots["read_only"] + roots["read_write"] + roots["devices"]
    )
    if not cfg.get("confine", True):
        return []
    applied = confine.landlock(roots["read_exec"], roots["read_only"], roots["read_write"],
                               roots["devices"])  # fmt: skip
    return applied + confine.seccomp()


def run_child(cfg: dict, layers: list[str]) -> None:
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    os.setsid()  # own process group: kill(0, ...) from the REPL cannot reach the launcher
    if "mount" in layers:
        readonly_filesystem(cfg["workdir"])
        layers = layers + ["readonly-fs"]
    if not layers:
        prctl(PR_SET_CHILD_SUBREAPER, 1)
    set_limits(cfg)
    drop_privileges()
    kernel = confine_kernel(cfg, layers)
    cfg["isolation"] = layers + kernel + ["rlimits", "no-caps"]
    repl = os.path.join(os.path.dirname(os.path.abspath(__file__)), "repl.py")
    os.chdir(cfg["workdir"])
    python = os.path.realpath(sys.executable)  # not a venv's link: its pyvenv.cfg is unreadable
    os.execv(python, [python, "-I", "-S", "-B", repl, json.dumps(cfg)])


def main() -> None:
    cfg = json.loads(sys.argv[1])
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != cfg["host_pid"]:
        os._exit(70)  # the host died before we could arm the death signal
    os.setsid()
    layers = enter_namespaces(cfg["workdir"]) if cfg.get("namespaces", True) else []
    if not layers:
        prctl(PR_SET_CHILD_SUBREAPER, 1)
    pid = os.fork()
    if pid == 0:
        try:
            run_child(cfg, layers)
        except BaseException as exc:  # noqa: BLE001 - report anything, then die
            os.write(2, f"sandbox bootstrap failed: {exc!r}\n".encode())
        os._exit(71)
    for fd in cfg["pass_fds"]:  # the REPL owns the channel; EOF must reach the host when it dies
        os.close(fd)
    signal.signal(signal.SIGTERM, lambda *_: os.kill(pid, signal.SIGKILL))
    _, status = os.waitpid(pid, 0)
    if not layers:  # without a PID namespace, orphans of the REPL were re-parented to us
        procs.kill_descendants()
    os._exit(
        os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
    )


if __name__ == "__main__":
    main()
