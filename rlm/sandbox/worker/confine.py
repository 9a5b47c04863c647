"""Kernel confinement of the REPL process: Landlock (files, TCP, signals) and a seccomp filter.

Standard library + ctypes; used by launch.py just before it execs the REPL (never loaded in the
REPL itself). Each layer is applied when the kernel offers it and reported by name:

- ``landlock-fs``: the process may read only the Python installation, the system's library
  folders, the worker's own code and a few device files; it may read and write only its work
  directory. Nothing else — ENGRAM_HOME, the user's home, the project's tree — can be opened or
  listed (EACCES);
- ``landlock-net`` (Landlock ABI >= 4): no TCP bind or connect, whatever the network namespace;
- ``landlock-scope`` (ABI >= 6): no signals to processes outside the sandbox, no abstract
  unix sockets;
- ``seccomp``: socket(), io_uring_setup(), ptrace(), process_vm_readv/writev() fail with
  EACCES (no sockets of any family: name resolution fails too).
"""

import ctypes
import errno
import os
import platform
import struct

__all__ = ["landlock", "seccomp", "landlock_abi"]

_SYS = {  # machine -> (landlock_create_ruleset, add_rule, restrict_self)
    "x86_64": (444, 445, 446),
    "aarch64": (444, 445, 446),
}
_FS_RIGHTS = {1: 0x1FFF, 2: 0x3FFF, 3: 0x7FFF, 4: 0x7FFF, 5: 0xFFFF}  # by ABI (>= 5: 0xFFFF)
EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1, 2, 4, 8
TRUNCATE, IOCTL_DEV = 1 << 14, 1 << 15
_FILE_ONLY = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV
_PATH_BENEATH, _CREATE_RULESET_VERSION = 1, 1

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi():
    """The kernel's Landlock ABI version, or 0 when Landlock is unavailable."""
    nums = _SYS.get(platform.machine())
    if nums is None:
        return 0
    abi = libc.syscall(ctypes.c_long(nums[0]), None, ctypes.c_size_t(0),
                       ctypes.c_uint32(_CREATE_RULESET_VERSION))  # fmt: skip
    return max(int(abi), 0)


def _check(rc, what):
    if rc < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")
    return rc


def _ruleset(abi, fs_rights):
    values = [fs_rights]
    if abi >= 4:
        values.append(0x3)  # handled_access_net: BIND_TCP | CONNECT_TCP, with no rule = denied
    if abi >= 6:
        values.append(0x3)  # scoped: abstract unix sockets, signals
    attr = ctypes.create_string_buffer(struct.pack(f"={len(values)}Q", *values))
    nums = _SYS[platform.machine()]
    rc = libc.syscall(ctypes.c_long(nums[0]), attr, ctypes.c_size_t(len(attr.raw)),
                      ctypes.c_uint32(0))  # fmt: skip
    return _check(rc, "landlock_create_ruleset")


def _allow(ruleset_fd, path, rights, handled):
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # nothing there: nothing to allow
    try:
        if not os.path.isdir(path):
            rights &= _FILE_ONLY
        rule = _PathBeneath(rights & handled, fd)
        nums = _SYS[platform.machine()]
        rc = libc.syscall(ctypes.c_long(nums[1]), ctypes.c_long(ruleset_fd),
                          ctypes.c_long(_PATH_BENEATH), ctypes.byref(rule), ctypes.c_long(0))  # fmt: skip
        _check(rc, f"landlock_add_rule {path}")
    finally:
        os.close(fd)


def landlock(read_exec, read_only, read_write, devices):
    """Confine this process (and what it execs) to the given paths; returns the layers set."""
    abi = landlock_abi()
    if abi <= 0:
        return []
    handled = _FS_RIGHTS.get(abi, 0xFFFF)
    ruleset_fd = _ruleset(abi, handled)
    try:
        for path in read_exec:
            _allow(ruleset_fd, path, READ_FILE | READ_DIR | EXECUTE, handled)
        for path in read_only:
            _allow(ruleset_fd, path, READ_FILE | READ_DIR, handled)
        for path in read_write:
            _allow(ruleset_fd, path, handled, handled)
        for path in devices:
            _allow(ruleset_fd, path, READ_FILE | WRITE_FILE | TRUNCATE, handled)
        nums = _SYS[platform.machine()]
        rc = libc.syscall(ctypes.c_long(nums[2]), ctypes.c_long(ruleset_fd), ctypes.c_long(0))
        _check(rc, "landlock_restrict_self")
    finally:
        os.close(ruleset_fd)
    layers = ["landlock-fs"]
    if abi >= 4:
        layers.append("landlock-net")
    if abi >= 6:
        layers.append("landlock-scope")
    return layers


# -- seccomp ---------------------------------------------------------------------------------
_ARCH = {  # machine -> (AUDIT_ARCH, {name: number})
    "x86_64": (
        0xC000003E,
        {
            "socket": 41,
            "ptrace": 101,
            "process_vm_readv": 310,
            "process_vm_writev": 311,
            "io_uring_setup": 425,
        },
    ),  # fmt: skip
    "aarch64": (
        0xC00000B7,
        {
            "socket": 198,
            "ptrace": 117,
            "process_vm_readv": 270,
            "process_vm_writev": 271,
            "io_uring_setup": 425,
        },
    ),  # fmt: skip
}
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_ALLOW, _ERRNO = 0x7FFF0000, 0x00050000
_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 22, 2


class _Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8),
                ("k", ctypes.c_uint32)]  # fmt: skip


class _Prog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(_Filter))]


def _program(arch, numbers):
    deny = _ERRNO | errno.EACCES
    ops = [(_LD_W_ABS, 0, 0, 4), (_JEQ_K, 1, 0, arch), (_RET_K, 0, 0, deny), (_LD_W_ABS, 0, 0, 0)]
    if arch == _ARCH["x86_64"][0]:
        ops += [(_JGE_K, 0, 1, 0x40000000), (_RET_K, 0, 0, deny)]  # the x32 ABI: none of it
    for nr in numbers:
        ops += [(_JEQ_K, 0, 1, nr), (_RET_K, 0, 0, deny)]
    ops.append((_RET_K, 0, 0, _ALLOW))
    return ops


def seccomp():
    """Install the filter (needs PR_SET_NO_NEW_PRIVS first); returns the layers set."""
    entry = _ARCH.get(platform.machine())
    if entry is None:
        return []
    ops = _program(entry[0], entry[1].values())
    filters = (_Filter * len(ops))(*(_Filter(*op) for op in ops))
    prog = _Prog(len(ops), filters)
    rc = libc.prctl(ctypes.c_int(_PR_SET_SECCOMP), ctypes.c_ulong(_SECCOMP_MODE_FILTER),
                    ctypes.byref(prog), ctypes.c_ulong(0), ctypes.c_ulong(0))  # fmt: skip
    if rc != 0:
        return []
    return ["seccomp"]
