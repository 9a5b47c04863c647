"""An in-process Sandbox for engine unit tests: implements rlm.sandbox.base.Sandbox honestly.

Code runs with `exec` in one dict of globals, on a worker thread (like the real worker, cells run
off the host's event loop). Host handlers are called from that thread through
`asyncio.run_coroutine_threadsafe` on the host loop, exactly as RPC replies would arrive. Output is
captured per execution through a `print` injected into the globals, so concurrent runs never
share a stream. Not a security boundary: tests only.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import time
import traceback
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from rlm.sandbox.base import ContextSpec, ExecResult, HostHandlers

__all__ = ["FakeSandbox"]


class _Final(BaseException):
    """Raised by FINAL/FINAL_VAR to end a cell (BaseException: `except Exception` won't eat it)."""

    def __init__(self, value: Any) -> None:
        self.value = value


class FakeSandbox:
    instances: list[FakeSandbox] = []

    def __init__(self, max_output_chars: int = 100_000) -> None:
        self.max_output_chars = max_output_chars
        self.globals: dict[str, Any] = {}
        self.started = False
        self.closed = False
        self.executed: list[str] = []
        self._buf: io.StringIO | None = None
        FakeSandbox.instances.append(self)

    async def start(self, context: ContextSpec, handlers: HostHandlers) -> None:
        loop = asyncio.get_running_loop()
        g = self.globals
        g["context"] = _load(context)
        for name, handler in handlers.items():
            fn = _bridge(loop, handler)
            if "." in name:
                obj_name, attr = name.split(".", 1)
                setattr(g.setdefault(obj_name, SimpleNamespace()), attr, fn)
            else:
                g[name] = fn
        g.update(
            print=self._print,
            FINAL=self._final,
            FINAL_VAR=self._final_var,
            SHOW_VARS=self._show_vars,
            peek=self._peek,
            grep=self._grep,
            chunk=self._chunk,
        )
        self._base = set(g)
        self.started = True

    async def execute(self, code: str) -> ExecResult:
        assert self.started and not self.closed, "execute() on a sandbox not started or closed"
        self.executed.append(code)
        return await asyncio.to_thread(self._run, code)

    async def close(self) -> None:
        self.closed = True

    # -- inside the "worker" --------------------------------------------------------------
    def _run(self, code: str) -> ExecResult:
        self._buf = io.StringIO()
        res = ExecResult()
        t0 = time.perf_counter()
        try:
            exec(compile(code, "<repl>", "exec"), self.globals)
        except _Final as f:
            res.final, res.has_final = f.value, True
        except Exception:  # the model's code raised: report it, keep the REPL alive
            res.error = traceback.format_exc(limit=-2)
        out = self._buf.getvalue()
        res.output_chars = len(out)
        res.stdout = out if len(out) <= self.max_output_chars else out[: self.max_output_chars]
        res.duration_s = time.perf_counter() - t0
        res.variables = self._vars()
        return res

    def _print(self, *args: Any, sep: str = " ", end: str = "\n", **_: Any) -> None:
        assert self._buf is not None
        self._buf.write(sep.join(str(a) for a in args) + end)

    def _final(self, value: Any) -> None:
        raise _Final(value)

    def _final_var(self, name: Any) -> None:
        if isinstance(name, str):
            if name not in self.globals:
                raise NameError(f"FINAL_VAR: no variable named {name!r}")
            raise _Final(self.globals[name])
        raise _Final(name)

    def _vars(self) -> dict[str, str]:
        return {
            k: type(v).__name__
            for k, v in self.globals.items()
            if k not in self._base and not k.startswith("_")
        }

    def _show_vars(self) -> dict[str, str]:
        v = self._vars()
        self._print(v)
        return v

    def _peek(self, obj: Any, start: int = 0, n: int = 2000) -> Any:
        return obj[start : start + n]

    def _grep(self, pattern: str, obj: Any, context_lines: int = 0, max_hits: int = 100) -> list:
        lines = obj.splitlines() if isinstance(obj, str) else [str(x) for x in obj]
        rx = re.compile(pattern, re.I)
        hits = [{"line": i, "text": ln} for i, ln in enumerate(lines, 1) if rx.search(ln)]
        return hits[:max_hits]

    def _chunk(self, obj: Any, size: int | None = None, overlap: int = 0) -> list[Any]:
        size = size or (100_000 if isinstance(obj, str) else 100)
        step = max(1, size - overlap)
        return [obj[i : i + size] for i in range(0, max(len(obj) - overlap, 1), step)]


def _bridge(loop: asyncio.AbstractEventLoop, handler: Any) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        # JSON round trip, like the real RPC channel.
        args, kwargs = json.loads(json.dumps([args, kwargs]))
        result = asyncio.run_coroutine_threadsafe(handler(*args, **kwargs), loop).result()
        return json.loads(json.dumps(result))

    return call


def _load(spec: ContextSpec) -> Any:
    if spec.path is None:
        return spec.value
    text = Path(spec.path).read_text(encoding="utf-8")
    kind = spec.kind
    if kind == "auto":
        kind = {".json": "json", ".jsonl": "jsonl"}.get(Path(spec.path).suffix, "text")
    if kind == "json":
        return json.loads(text)
    if kind == "jsonl":
        return [json.loads(ln) for ln in text.splitlines() if ln.strip()]
    if kind == "lines":
        return text.splitlines()
    return text
