"""Model code reads nothing of the host: ENGRAM_HOME, the user's home, the project's tree, the
network. Each attempt is contained (the model sees a clear error), and the REPL goes on.

Cases run in both modes: `ns` (namespaces + Landlock + seccomp) and `plain` (no namespaces:
Landlock + seccomp alone). The `kernel` cases start an unguarded child process (no audit hook)
to show that the kernel, not only the audit hook, refuses.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import textwrap
import threading
from pathlib import Path

import pytest

from rlm.engine import RLM, RLMConfig
from rlm.sandbox import ContextSpec, ProcessSandbox, SandboxLimits
from rlm.sandbox.base import CONFINED, isolation_level
from rlm.trace import SandboxReady
from tests.fakes import ScriptedLM
from tests.rlm.fake_sandbox import FakeSandbox

CANARY = "canary-7f3a-must-never-reach-the-model"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def host_files(tmp_path: Path) -> dict[str, Path]:
    """A memory folder and a home with ssh keys, outside the sandbox's work directory."""
    home = tmp_path / "engram_home"
    (home / "chroma").mkdir(parents=True)
    (home / "engram.db").write_text(CANARY)
    user = tmp_path / "home" / "alice"
    (user / ".ssh").mkdir(parents=True)
    (user / ".ssh" / "id_ed25519").write_text(CANARY)
    (user / ".netrc").write_text(f"machine api password {CANARY}")
    return {"engram_home": home, "db": home / "engram.db", "user": user,
            "key": user / ".ssh" / "id_ed25519", "netrc": user / ".netrc"}  # fmt: skip


async def _open(tmp_path: Path, mode: str, **kw) -> ProcessSandbox:
    wd = tmp_path / "workdirs"
    wd.mkdir(exist_ok=True)
    sb = ProcessSandbox(SandboxLimits(cell_timeout_s=20), workdir_root=wd,
                        namespaces=(mode == "ns"), **kw)  # fmt: skip
    await sb.start(ContextSpec(value="ctx"), {})
    if "landlock-fs" not in sb.isolation:
        await sb.close()
        pytest.skip(reason=f"Landlock unavailable here (layers: {sb.isolation})")
    return sb


@pytest.fixture(params=["ns", "plain"])
async def sandbox(request, tmp_path):
    sb = await _open(tmp_path, request.param)
    yield sb
    await sb.close()


async def _goes_on(sb: ProcessSandbox) -> None:
    r = await sb.execute("print(context, 6 * 7)")
    assert r.stdout == "ctx 42\n", r


def _attempts(code_lines: list[str]) -> str:
    body = "\n".join(f"    lambda: {line}," for line in code_lines)
    return textwrap.dedent(
        """
        import os
        results = []
        for attempt in [
        {body}
        ]:
            try:
                value = attempt()
                results.append(('read', repr(value)[:80]))
            except Exception as exc:
                results.append((type(exc).__name__, str(exc)[:160]))
        for r in results:
            print(r)
        """
    ).replace("{body}", body)


async def test_host_files_cannot_be_read_or_listed(sandbox, host_files):
    code = _attempts([
        f"open({str(host_files['db'])!r}).read()",
        f"os.listdir({str(host_files['engram_home'])!r})",
        f"open({str(host_files['key'])!r}).read()",
        f"open({str(host_files['netrc'])!r}, 'rb').read()",
        f"os.listdir({str(host_files['user'])!r})",
        f"os.listdir({str(Path.home())!r})",
        f"open({str(ROOT / 'README.md')!r}).read()",
        f"os.listdir({str(ROOT)!r})",
        "open('/etc/passwd').read()",
        f"os.open({str(host_files['db'])!r}, os.O_RDONLY)",
    ])  # fmt: skip
    r = await sandbox.execute(code)
    assert r.error is None, r
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 10 and CANARY not in r.stdout, r.stdout
    assert all(line.startswith("('PermissionError'") for line in lines), r.stdout
    assert "only the work directory and `context` are available" in r.stdout  # a clear message
    await _goes_on(sandbox)


async def test_no_socket_reaches_a_listener_on_localhost(sandbox):
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    accepted: list[object] = []
    listener.settimeout(2.0)

    def accept() -> None:
        with contextlib.suppress(OSError):  # the timeout: nothing came
            accepted.append(listener.accept())

    thread = threading.Thread(target=accept)
    thread.start()
    code = _attempts([
        f"__import__('socket').create_connection(('127.0.0.1', {port}), timeout=1)",
        "__import__('socket').socket(__import__('socket').AF_UNIX).connect('/run/x.sock')",
        "__import__('socket').getaddrinfo('localhost', 80)",
        "__import__('socket').gethostbyname('example.com')",
        "__import__('urllib.request').request.urlopen('http://127.0.0.1:%d/' % " + str(port) + ")",
    ])  # fmt: skip
    r = await sandbox.execute(code)
    thread.join()
    listener.close()
    assert accepted == [], "a connection from the sandbox reached the host"
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 5 and all("'read'" not in line for line in lines), r.stdout
    assert "the sandbox has no network" in r.stdout
    await _goes_on(sandbox)


@pytest.mark.parametrize("mode", ["ns", "plain"])
async def test_the_kernel_refuses_an_unguarded_child_too(tmp_path, host_files, mode):
    """A child process has no audit hook: Landlock and seccomp alone stop it."""
    sb = await _open(tmp_path, mode, allow_subprocess=True)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    try:
        child = textwrap.dedent(
            f"""
            import os, socket
            out = []
            for what, fn in [
                ('db', lambda: open({str(host_files["db"])!r}).read()),
                ('key', lambda: open({str(host_files["key"])!r}).read()),
                ('home', lambda: os.listdir({str(Path.home())!r})),
                ('tcp', lambda: socket.create_connection(('127.0.0.1', {port}), timeout=1)),
                ('dns', lambda: socket.getaddrinfo('localhost', 80)),
            ]:
                try:
                    fn()
                    out.append(what + ':OPEN')
                except OSError as exc:
                    out.append(what + ':' + str(exc.errno))
            print(' '.join(out))
            """
        )
        code = (
            "import subprocess, sys\n"
            f"p = subprocess.run([sys.executable, '-I', '-S', '-c', {child!r}], "
            "capture_output=True, text=True)\nprint(p.stdout, p.stderr[-300:])\n"
            "print(subprocess.run(['/bin/cat', "
            f"{str(host_files['db'])!r}], capture_output=True, text=True).stderr)"
        )
        r = await sb.execute(code)
        assert r.error is None and CANARY not in r.stdout, r
        assert "OPEN" not in r.stdout and "db:13 key:13 home:13" in r.stdout, r.stdout
        assert "Permission denied" in r.stdout  # /bin/cat
        await _goes_on(sb)
    finally:
        listener.close()
        await sb.close()


def test_isolation_levels():
    full = ["pid", "net", "ipc", "mount", "readonly-fs", "landlock-fs", "landlock-net",
            "landlock-scope", "seccomp", "rlimits", "no-caps"]  # fmt: skip
    assert isolation_level(full) == CONFINED
    assert isolation_level(["landlock-fs", "landlock-net", "seccomp", "rlimits"]) == CONFINED
    assert isolation_level(["landlock-fs", "rlimits", "no-caps"]) == "partial"  # network open
    assert isolation_level(["pid", "net", "mount", "readonly-fs", "rlimits"]) == "partial"
    assert isolation_level(["rlimits", "no-caps"]) == "none"
    assert isolation_level([]) == "none"


async def test_the_level_in_force_is_in_the_result_and_the_trace(tmp_path):
    events = []
    rlm = RLM(ScriptedLM(["```repl\nFINAL('ok')\n```"]), on_event=events.append)
    result = await rlm.arun("q", "ctx")
    ready = [e for e in events if isinstance(e, SandboxReady)]
    assert result.answer == "ok" and len(ready) == 1
    assert result.isolation == {"level": ready[0].level, "layers": ready[0].layers}
    assert result.isolation["level"] in (CONFINED, "partial", "none")
    assert ready[0].start_s > 0


async def test_require_isolation_refuses_before_any_model_call():
    lm = ScriptedLM(["```repl\nFINAL('should not run')\n```"])
    rlm = RLM(lm, config=RLMConfig(require_isolation=True), sandbox_factory=FakeSandbox)
    result = await rlm.arun("q", "ctx")
    assert result.stopped_by == "error" and "refusing to run" in (result.error or "")
    assert "isolation level 'none'" in (result.error or "")
    assert lm.calls == []
    assert result.usage["root"]["calls"] == 0


async def test_require_isolation_runs_where_the_kernel_confines(tmp_path):
    rlm = RLM(ScriptedLM(["```repl\nFINAL('ok')\n```"]), config=RLMConfig(require_isolation=True))
    result = await rlm.arun("q", "ctx")
    if result.isolation.get("level") != CONFINED:
        pytest.skip(reason=f"this kernel does not confine the worker: {result.isolation}")
    assert result.answer == "ok" and result.stopped_by is None


async def test_two_hundred_denied_reads_cost_little_and_change_nothing(sandbox, host_files):
    code = f"""
import time
t = time.perf_counter()
for _ in range(200):
    try:
        open({str(host_files["db"])!r})
    except PermissionError:
        pass
print(round(time.perf_counter() - t, 3) < 2)
"""
    r = await sandbox.execute(code)
    assert r.stdout == "True\n", r
    assert host_files["db"].read_text() == CANARY
    await asyncio.sleep(0)
    await _goes_on(sandbox)
