"""Stage 2 of the sandbox worker: the persistent REPL. Standard library only.

Frames on both pipes are a 4-byte big-endian length followed by UTF-8 JSON.
host -> worker: {"op": "init", ...} once, {"op": "exec", "code"}, {"op": "reply", "id", ...}
worker -> host: {"op": "ready", ...}, {"op": "done", ...result}, {"op": "call", "id", "name",
"args", "kwargs"}. A reader thread owns the inbound pipe: replies wake the caller (any thread),
cells are queued for the main thread, EOF (the host is gone) ends the process at once.
"""

import ast
import io
import json
import linecache
import mmap
import os
import queue
import re
import struct
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import guard  # noqa: E402
import helpers  # noqa: E402
import procs  # noqa: E402


class Channel:
    def __init__(self, in_fd, out_fd):
        self.in_fd, self.out_fd = in_fd, out_fd
        self.write_lock = threading.Lock()
        self.pending, self.next_id, self.cells = {}, 0, queue.Queue()

    def send(self, msg):
        data = json.dumps(msg).encode()
        frame = struct.pack(">I", len(data)) + data
        with self.write_lock:
            view = memoryview(frame)
            while view:
                view = view[os.write(self.out_fd, view) :]

    def _read_exact(self, n):
        parts, got = [], 0
        while got < n:
            part = os.read(self.in_fd, min(n - got, 1 << 20))
            if not part:
                return None
            parts.append(part)
            got += len(part)
        return b"".join(parts)

    def recv(self):
        head = self._read_exact(4)
        if head is None:
            return None
        body = self._read_exact(struct.unpack(">I", head)[0])
        return None if body is None else json.loads(body)

    def reader_loop(self):
        while True:
            try:
                msg = self.recv()
            except OSError:
                msg = None
            if msg is None:  # the host went away (or closes us): leave nothing behind
                procs.kill_descendants()
                os._exit(0)
            if msg["op"] == "reply":
                slot = self.pending.pop(msg["id"], None)
                if slot is not None:
                    slot[1] = msg
                    slot[0].set()
            else:
                self.cells.put(msg)

    def call(self, name, args, kwargs):
        with self.write_lock:
            self.next_id += 1
            call_id = self.next_id
        slot = [threading.Event(), None]
        self.pending[call_id] = slot
        self.send({"op": "call", "id": call_id, "name": name, "args": args, "kwargs": kwargs})
        slot[0].wait()
        reply = slot[1]
        if not reply["ok"]:
            raise RuntimeError(f"{name}: {reply['error']}")
        return helpers.wrap(reply["value"])


class Capture(io.TextIOBase):
    """A text stream keeping at most `limit` chars (head + tail) and the true length."""

    def __init__(self, limit):
        self.half = max(limit // 2, 1)
        self.head, self.head_len, self.tail, self.tail_len, self.total = [], 0, [], 0, 0

    def writable(self):
        return True

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        n = len(s)
        self.total += n
        if self.head_len < self.half:
            take = s[: self.half - self.head_len]
            self.head.append(take)
            self.head_len += len(take)
            s = s[len(take) :]
        if s:
            self.tail.append(s)
            self.tail_len += len(s)
            if self.tail_len > 4 * self.half:
                joined = "".join(self.tail)[-self.half :]
                self.tail, self.tail_len = [joined], len(joined)
        return n

    def value(self):
        head, tail = "".join(self.head), "".join(self.tail)[-self.half :]
        if self.total > len(head) + len(tail):
            skipped = self.total - len(head) - len(tail)
            return f"{head}\n... [{skipped:,} chars truncated] ...\n{tail}"
        return head + tail


def read_fd_output(fd, limit):
    """Head+tail of what was written at the fd level (os.write, C code, children) this cell."""
    size = os.fstat(fd).st_size
    if not size:
        return "", 0
    half = max(limit // 2, 1)
    if size <= 2 * half:
        data = os.pread(fd, size, 0).decode("utf-8", "replace")
    else:
        head = os.pread(fd, half, 0).decode("utf-8", "replace")
        tail = os.pread(fd, half, size - half).decode("utf-8", "replace")
        data = f"{head}\n... [{size - 2 * half:,} bytes truncated] ...\n{tail}"
    os.ftruncate(fd, 0)
    return data, size


def load_context(cfg, init):
    """`context` from the init message, or from the file descriptor the host handed over (a
    file, or a memory file holding a large in-memory value), read through a memory mapping:
    the bytes are decoded straight from the page cache, never copied through a pipe."""
    if cfg.get("context_fd") is None:
        return init.get("context")
    fd = cfg["context_fd"]
    size = os.fstat(fd).st_size
    if size:
        with mmap.mmap(fd, size, prot=mmap.PROT_READ) as mapped:
            text = str(mapped, "utf-8", "replace")
    else:
        text = ""
    os.close(fd)
    kind, path = cfg.get("context_kind", "auto"), cfg.get("context_name", "")
    if kind == "auto":
        kind = {".json": "json", ".jsonl": "jsonl"}.get(os.path.splitext(path)[1].lower(), "text")
    if kind == "lines":
        return text.splitlines()
    if kind == "json":
        return json.loads(text)
    if kind == "jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return text


class Repl:
    def __init__(self, cfg, channel, context, handler_names):
        self.cfg, self.channel = cfg, channel
        self.limit = cfg["max_output_chars"]
        self.final, self.has_final, self.cell_no = None, False, 0
        self.ns = {"__name__": "__main__", "__builtins__": __builtins__, "context": context}
        self._install_functions(handler_names)
        self.hidden = set(self.ns) - {"context"}

    def _install_functions(self, names):
        ns = self.ns
        ns.update(FINAL=self.FINAL, FINAL_VAR=self.FINAL_VAR, SHOW_VARS=self.SHOW_VARS)
        ns["peek"] = lambda obj=None, start=0, n=2000: helpers.peek(self._ctx(obj), start, n)
        ns["grep"] = lambda pattern, obj=None, context_lines=0, max_hits=100, flags=re.I: (
            helpers.grep(pattern, self._ctx(obj), context_lines, max_hits, flags)
        )
        ns["chunk"] = lambda obj=None, size=None, overlap=0: helpers.chunk(
            self._ctx(obj), size, overlap
        )
        for name in names:
            head, _, rest = name.partition(".")
            fn = self._host_function(name)
            if rest:
                holder = ns.setdefault(head, HostNamespace(head))
                setattr(holder, rest, fn)
            else:
                ns[name] = fn

    def _ctx(self, obj):
        return self.ns.get("context") if obj is None else obj

    def _host_function(self, name):
        channel = self.channel

        def host_call(*args, **kwargs):
            return channel.call(name, list(args), kwargs)

        host_call.__name__ = host_call.__qualname__ = name.replace(".", "_")
        host_call.__doc__ = f"Calls the host function {name!r} (blocking RPC)."
        return host_call

    def FINAL(self, value):  # noqa: N802 - the REPL protocol's name
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            value = str(value)
        self.final, self.has_final = value, True
        return value

    def FINAL_VAR(self, name):  # noqa: N802
        if not isinstance(name, str):
            return self.FINAL(name)
        name = name.strip().strip("'\"")
        if name not in self.ns:
            known = ", ".join(helpers.show_vars(self.ns, self.hidden)) or "none"
            raise NameError(f"FINAL_VAR({name!r}): no such variable in the REPL (defined: {known})")
        return self.FINAL(self.ns[name])

    def SHOW_VARS(self):  # noqa: N802
        return helpers.show_vars(self.ns, self.hidden)

    def run_cell(self, code):
        self.cell_no += 1
        self.final, self.has_final = None, False
        out, err = Capture(self.limit), Capture(self.limit)
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, err
        started, error = time.perf_counter(), None
        try:
            self._exec(code)
        except BaseException as exc:  # noqa: BLE001 - the model's code may raise anything
            error = self._format_error(exc)
        finally:
            sys.stdout, sys.stderr = saved
        return self._result(out, err, error, time.perf_counter() - started)

    def _exec(self, code):
        filename = f"<cell {self.cell_no}>"
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        tree = ast.parse(code, filename)
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        exec(compile(tree, filename, "exec"), self.ns)
        if last is not None:
            value = eval(compile(last, filename, "eval"), self.ns)
            if value is not None and not self.has_final:
                print(repr(value))

    def _format_error(self, exc):
        tb = traceback.TracebackException(type(exc), exc, exc.__traceback__)
        here = os.path.dirname(os.path.abspath(__file__))
        frames = [f for f in tb.stack if not f.filename.startswith(here)]
        cells = [i for i, f in enumerate(frames) if f.filename.startswith("<cell ")]
        frames = frames[cells[0] :] if cells else []  # not ast.parse's frame on a SyntaxError
        tb.stack = traceback.StackSummary.from_list(frames)
        text = "".join(tb.format())
        if isinstance(exc, SystemExit):
            text += "(sys.exit() does not end the REPL; call FINAL(...) to answer)\n"
        return text if len(text) <= 4000 else "...\n" + text[-4000:]

    def _result(self, out, err, error, duration):
        fd_out, n_out = read_fd_output(1, self.limit)
        fd_err, n_err = read_fd_output(2, self.limit)
        stdout, stderr = out.value() + fd_out, err.value() + fd_err
        return {
            "op": "done",
            "stdout": stdout,
            "stderr": stderr,
            "error": error,
            "output_chars": out.total + err.total + n_out + n_err,
            "final": self.final,
            "has_final": self.has_final,
            "duration_s": duration,
            "variables": self.SHOW_VARS(),
        }


class HostNamespace:
    """Holds dotted host functions, e.g. ``memory.recall``."""

    def __init__(self, name):
        self._name = name

    def __repr__(self):
        methods = [k for k in vars(self) if not k.startswith("_")]
        return f"<host object {self._name}: {', '.join(methods)}>"


def redirect_fd_output(workdir):
    for fd, name in ((1, ".stdout"), (2, ".stderr")):
        target = os.open(
            os.path.join(workdir, name), os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600
        )
        os.dup2(target, fd)
        os.close(target)


def main():
    cfg = json.loads(sys.argv[1])
    channel = Channel(cfg["in_fd"], cfg["out_fd"])
    init = channel.recv()
    if init is None:
        os._exit(0)
    started = time.perf_counter()
    context = load_context(cfg, init)
    load_s = time.perf_counter() - started
    repl = Repl(cfg, channel, context, init.get("handlers", []))
    del init, context
    redirect_fd_output(cfg["workdir"])
    guard.install(cfg["workdir"], allow_subprocess=cfg.get("allow_subprocess", False),
                  read_roots=cfg.get("read_roots"))  # fmt: skip
    threading.Thread(target=channel.reader_loop, name="rpc-reader", daemon=True).start()
    channel.send(
        {
            "op": "ready",
            "pid": os.getpid(),
            "isolation": cfg.get("isolation", []),
            "context_load_s": load_s,
        }
    )
    while True:
        msg = channel.cells.get()
        if msg["op"] == "exec":
            result = repl.run_cell(msg["code"])
            try:
                channel.send(result)
            except (TypeError, ValueError):
                result["final"] = str(result["final"])
                channel.send(result)


if __name__ == "__main__":
    main()
