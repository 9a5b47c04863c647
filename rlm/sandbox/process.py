"""ProcessSandbox: the REPL in a separate, locked-down worker process (see worker/launch.py)."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rlm.errors import SandboxError
from rlm.sandbox.base import ContextSpec, ExecResult, HostHandlers, SandboxLimits
from rlm.sandbox.channel import FrameReader, FrameWriter, open_pipes
from rlm.sandbox.reaper import kill_tree

__all__ = ["ProcessSandbox"]

_WORKER_DIR = Path(__file__).resolve().parent / "worker"
_GIB = 1 << 30
INLINE_CONTEXT_BYTES = 64 << 10  # larger in-memory contexts go through a memory file


def _context_file(context: ContextSpec, workdir: Path) -> tuple[int | None, str]:
    """(fd, kind) of a memory file holding a large in-memory context, or (None, kind)."""
    value = context.value
    if isinstance(value, str):
        data, kind = value.encode("utf-8", "surrogatepass"), "text"
    else:
        data, kind = _json(value).encode(), "json"
    if len(data) <= INLINE_CONTEXT_BYTES:
        return None, context.kind
    try:
        fd = os.memfd_create("engram-context", os.MFD_CLOEXEC)
    except (AttributeError, OSError):  # no memfd here: a file in the work directory
        fd = os.open(workdir / ".context", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    return fd, kind


class _Worker:
    """One live worker process and its channel."""

    def __init__(self, proc: asyncio.subprocess.Process, reader: FrameReader, writer: FrameWriter):
        self.proc, self.reader, self.writer = proc, reader, writer
        self.info: dict[str, Any] = {}
        self.done: asyncio.Future[dict[str, Any]] | None = None
        self.pump: asyncio.Task[None] | None = None
        self.calls: set[asyncio.Task[None]] = set()


class ProcessSandbox:
    """A persistent Python REPL in a separate worker process, one per RLM run.

    `start` spawns the worker (`launch.py` does the privileged setup, then execs `repl.py`),
    `execute` runs a cell, `close` kills the worker and everything it spawned and removes its
    work directory. A cell that runs past `limits.cell_timeout_s`, or a worker that dies, is
    answered with an error and a fresh worker (variables lost, context reloaded).

    `namespaces=False` skips the PID/mount/network namespaces (the audit hook, rlimits and
    capability drop still apply); `allow_subprocess=True` lets model code start processes.
    """

    def __init__(
        self,
        limits: SandboxLimits | None = None,
        workdir_root: Path | None = None,
        *,
        namespaces: bool = True,
        allow_subprocess: bool = False,
        max_message_bytes: int = 256 << 20,
        start_timeout_s: float = 60.0,
    ) -> None:
        self.limits = limits or SandboxLimits()
        self.workdir_root = Path(workdir_root) if workdir_root else Path(tempfile.gettempdir())
        self.namespaces = namespaces
        self.allow_subprocess = allow_subprocess
        self.max_message_bytes = max_message_bytes
        self.start_timeout_s = start_timeout_s
        self.workdir: Path | None = None
        self.isolation: list[str] = []
        self.start_time_s = 0.0
        self.context_load_s = 0.0
        self._context = ContextSpec()
        self._context_fd: int | None = None  # a memory file holding a large in-memory context
        self._handlers: HostHandlers = {}
        self._worker: _Worker | None = None
        self._lock = asyncio.Lock()
        self._closed = False

    @property
    def pid(self) -> int | None:
        """Host-side pid of the worker's launcher process (the root of its process tree)."""
        return self._worker.proc.pid if self._worker else None

    @property
    def repl_pid(self) -> int | None:
        """Pid of the REPL process as the worker sees itself (1 inside a PID namespace)."""
        return self._worker.info.get("pid") if self._worker else None

    async def start(self, context: ContextSpec, handlers: HostHandlers) -> None:
        if not isinstance(context, ContextSpec):
            context = ContextSpec(value=context)
        if context.path is not None and not os.path.isfile(context.path):
            raise SandboxError(f"context file not found: {context.path}")
        if self._worker is not None:
            raise SandboxError("sandbox already started: close() it first")
        self._context, self._handlers = context, dict(handlers)
        self._closed = False
        self.workdir = Path(tempfile.mkdtemp(prefix="engram-sbx-", dir=self.workdir_root))
        if context.path is None:
            self._context_fd, kind = _context_file(context, self.workdir)
            self._context = ContextSpec(value=context.value, kind=kind)
        await self._spawn()

    async def execute(self, code: str) -> ExecResult:
        if self._worker is None or self._closed:
            raise SandboxError("sandbox is not running: call start() first")
        async with self._lock:
            return await self._execute(code)

    async def close(self) -> None:
        self._closed = True
        if self._worker is not None:
            await self._stop_worker(self._worker)
            self._worker = None
        if self._context_fd is not None:
            os.close(self._context_fd)
            self._context_fd = None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    async def __aenter__(self) -> ProcessSandbox:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- cells -------------------------------------------------------------------------------

    async def _execute(self, code: str) -> ExecResult:
        worker = self._worker
        assert worker is not None
        started = time.perf_counter()
        worker.done = asyncio.get_running_loop().create_future()
        try:
            await worker.writer.write({"op": "exec", "code": code})
            msg = await asyncio.wait_for(
                asyncio.shield(worker.done), timeout=self.limits.cell_timeout_s
            )
        except TimeoutError:
            reason = (
                f"cell exceeded its {self.limits.cell_timeout_s:g}s wall-clock limit; the REPL "
                "worker was killed and restarted (variables were lost, `context` reloaded)"
            )
            return await self._restart(reason, started, timed_out=True)
        except (SandboxError, ConnectionError, BrokenPipeError) as exc:
            return await self._restart(str(exc), started)
        return ExecResult(
            stdout=msg["stdout"],
            stderr=msg["stderr"],
            error=msg["error"],
            output_chars=msg["output_chars"],
            final=msg["final"],
            has_final=msg["has_final"],
            duration_s=time.perf_counter() - started,
            variables=msg["variables"],
        )

    async def _restart(self, reason: str, started: float, *, timed_out: bool = False) -> ExecResult:
        old = self._worker
        assert old is not None
        if not timed_out:  # it is dying on its own: let it finish, to report its exit status
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(old.proc.wait(), timeout=2.0)
        code = await self._stop_worker(old)
        if not timed_out:
            reason = (
                f"the REPL worker died ({_describe_exit(code, reason)}); it was restarted "
                "(variables were lost, `context` reloaded)"
            )
        await self._spawn()
        return ExecResult(
            error=reason,
            stderr=self._read_boot_log(),
            duration_s=time.perf_counter() - started,
            timed_out=timed_out,
            worker_restarted=True,
        )

    # -- worker lifecycle --------------------------------------------------------------------

    async def _spawn(self) -> None:
        assert self.workdir is not None
        started = time.perf_counter()
        reader, writer, (in_fd, out_fd) = await open_pipes(self.max_message_bytes)
        context_fd = None
        if self._context.path is not None:
            context_fd = os.open(self._context.path, os.O_RDONLY | os.O_CLOEXEC)
        elif self._context_fd is not None:
            context_fd = os.dup(self._context_fd)  # the worker closes its copy after mapping
        pass_fds = tuple(fd for fd in (in_fd, out_fd, context_fd) if fd is not None)
        cfg = self._worker_config(in_fd, out_fd, context_fd, pass_fds)
        boot_log = open(self.workdir / ".boot.log", "wb")  # noqa: SIM115 - handed to the child
        try:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-I",
                "-S",
                "-B",
                str(_WORKER_DIR / "launch.py"),
                _json(cfg),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=boot_log,
                stderr=boot_log,
                pass_fds=pass_fds,
                env=self._worker_env(),
                cwd=str(self.workdir),
            )
        finally:
            boot_log.close()
            for fd in pass_fds:
                os.close(fd)
        worker = _Worker(proc, reader, writer)
        self._worker = worker
        await self._handshake(worker)
        self.start_time_s = time.perf_counter() - started

    async def _handshake(self, worker: _Worker) -> None:
        init = {"op": "init", "handlers": sorted(self._handlers)}
        if self._context.path is None and self._context_fd is None:
            init["context"] = self._context.value
        try:
            await worker.writer.write(init)
            msg = await asyncio.wait_for(worker.reader.read(), timeout=self.start_timeout_s)
        except (TimeoutError, ConnectionError, BrokenPipeError, SandboxError) as exc:
            msg = None
            detail = repr(exc)
        else:
            detail = "no ready message"
        if msg is None or msg.get("op") != "ready":
            await self._stop_worker(worker)
            self._worker = None
            raise SandboxError(
                f"REPL worker failed to start ({detail}): {self._read_boot_log() or 'no output'}"
            )
        worker.info = msg
        self.isolation = msg.get("isolation", [])
        self.context_load_s = msg.get("context_load_s", 0.0)
        worker.pump = asyncio.create_task(self._pump(worker))

    def _worker_config(
        self, in_fd: int, out_fd: int, context_fd: int | None, pass_fds: tuple[int, ...]
    ) -> dict[str, Any]:
        if self._context.path:
            size = os.path.getsize(self._context.path)
        else:
            size = os.fstat(self._context_fd).st_size if self._context_fd is not None else 0
        memory = self.limits.memory_bytes or 2 * _GIB + 3 * size
        return {
            "host_pid": os.getpid(),
            "workdir": str(self.workdir),
            "in_fd": in_fd,
            "out_fd": out_fd,
            "context_fd": context_fd,
            "pass_fds": list(pass_fds),
            "context_kind": self._context.kind,
            "context_name": self._context.path or "",
            "memory_bytes": memory,
            "file_bytes": 4 * _GIB,
            "nproc": 512,
            "max_output_chars": self.limits.max_output_chars,
            "namespaces": self.namespaces,
            "allow_subprocess": self.allow_subprocess,
        }

    def _worker_env(self) -> dict[str, str]:
        return {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "HOME": str(self.workdir),
            "TMPDIR": str(self.workdir),
        }

    def _read_boot_log(self) -> str:
        if self.workdir is None:
            return ""
        with contextlib.suppress(OSError):
            return (self.workdir / ".boot.log").read_text(errors="replace")[-4000:]
        return ""

    async def _stop_worker(self, worker: _Worker) -> int | None:
        for task in (worker.pump, *worker.calls):
            if task is not None:
                task.cancel()
        await kill_tree(worker.proc.pid)  # before closing the pipe: EOF makes the REPL exit
        worker.writer.close()
        try:
            return await asyncio.wait_for(worker.proc.wait(), timeout=10)
        except TimeoutError:
            return None

    # -- RPC from the worker -----------------------------------------------------------------

    async def _pump(self, worker: _Worker) -> None:
        """Read frames from the worker until it exits; serve host calls concurrently."""
        error: BaseException | None = None
        try:
            while (msg := await worker.reader.read()) is not None:
                if msg.get("op") == "call":
                    task = asyncio.create_task(self._serve(worker, msg))
                    worker.calls.add(task)
                    task.add_done_callback(worker.calls.discard)
                elif msg.get("op") == "done" and worker.done and not worker.done.done():
                    worker.done.set_result(msg)
        except (SandboxError, ValueError) as exc:
            error = exc
        if worker.done is not None and not worker.done.done():
            worker.done.set_exception(error or SandboxError("worker exited"))

    async def _serve(self, worker: _Worker, msg: dict[str, Any]) -> None:
        name = msg.get("name", "")
        handler = self._handlers.get(name)
        reply: dict[str, Any] = {"op": "reply", "id": msg.get("id"), "ok": False}
        try:
            if handler is None:
                raise LookupError(f"no host function named {name!r}")
            value = handler(*msg.get("args", []), **msg.get("kwargs", {}))
            if inspect.isawaitable(value):
                value = await value
            reply.update(ok=True, value=value)
            _json(reply)  # fail here, as the handler's error, if the value is not JSON-able
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - surfaced in the REPL as RuntimeError
            reply = {"op": "reply", "id": msg.get("id"), "ok": False, "error": _message(exc)}
        with contextlib.suppress(ConnectionError, BrokenPipeError, RuntimeError):
            await worker.writer.write(reply)


def _json(value: Any) -> str:
    import json

    return json.dumps(value)


def _message(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _describe_exit(code: int | None, detail: str) -> str:
    if code is None:
        return detail or "unknown exit status"
    if code > 128:
        sig = code - 128
        hint = " (killed: likely the memory limit or a signal)" if sig == 9 else ""
        return f"terminated by signal {sig}{hint}"
    if code < 0:
        return f"terminated by signal {-code}"
    return f"exited with status {code}"
