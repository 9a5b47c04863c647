"""Hostile code in the ProcessSandbox: each case is contained, the host lives, the run goes on.

`ns` runs with the full isolation (PID/mount/net namespaces, when the kernel allows them);
`plain` runs without namespaces (audit hook + rlimits + no capabilities), the fallback used
where namespaces are unavailable.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from rlm.sandbox import ContextSpec, ProcessSandbox, SandboxLimits
from tests.procs import no_sandbox_workers

SECRET = "sk-test-this-must-never-leak-1234"


def _marked(marker: str) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        if any(marker in part for part in proc.info["cmdline"] or ()):
            found.append(proc)
    return found


async def _open(tmp_path, mode="ns", **kw) -> ProcessSandbox:
    limits = kw.pop("limits", SandboxLimits(cell_timeout_s=10))
    wd = tmp_path / "workdirs"
    wd.mkdir(exist_ok=True)
    sb = ProcessSandbox(limits, workdir_root=wd, namespaces=(mode == "ns"), **kw)
    await sb.start(ContextSpec(value="ctx"), {})
    return sb


@pytest.fixture(params=["ns", "plain"])
async def sandbox(request, tmp_path):
    sb = await _open(tmp_path, request.param)
    if request.param == "ns" and "pid" not in sb.isolation:
        await sb.close()
        pytest.skip(reason="namespaces unavailable here")
    yield sb
    await sb.close()


async def _ok(sb: ProcessSandbox) -> None:
    r = await sb.execute("1 + 1")
    assert r.stdout == "2\n", r


@pytest.mark.slow
async def test_infinite_loop_times_out_and_restarts(tmp_path):
    sb = await _open(tmp_path, limits=SandboxLimits(cell_timeout_s=1.0))
    try:
        await sb.execute("kept = 1")
        first = sb.pid
        r = await sb.execute("while True:\n    pass")
        assert r.timed_out and r.worker_restarted and "wall-clock limit" in r.error
        assert not psutil.pid_exists(first) or psutil.Process(first).status() == "zombie"
        r = await sb.execute("kept")
        assert "NameError" in r.error  # fresh worker: variables lost
        assert (await sb.execute("context")).stdout == "'ctx'\n"  # context reloaded
    finally:
        await sb.close()


@pytest.mark.slow
async def test_unbounded_memory_hits_the_cap(tmp_path):
    sb = await _open(tmp_path, limits=SandboxLimits(memory_bytes=1 << 30))
    try:
        r = await sb.execute("hog = []\nwhile True:\n    hog.append(bytearray(50 << 20))")
        assert r.error and ("MemoryError" in r.error or r.worker_restarted), r
        r = await sb.execute("hog = None\nbig = bytearray(3 << 30)")
        assert "MemoryError" in r.error
        await _ok(sb)
    finally:
        await sb.close()


async def test_process_creation_is_refused_by_default(sandbox):
    code = textwrap.dedent(
        """
        import os
        errors = []
        for attempt in (lambda: os.fork(), lambda: os.system('true'),
                        lambda: __import__('subprocess').Popen(['sleep', '100']),
                        lambda: os.posix_spawn('/bin/sleep', ['sleep', '100'], {})):
            try:
                attempt()
            except (PermissionError, ImportError) as exc:
                errors.append(str(exc))
        print(len(errors))
        """
    )
    r = await sandbox.execute(code)
    assert r.stdout == "4\n", r


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["ns", "plain"])
async def test_hundreds_of_escaping_children_die_at_close(tmp_path, mode):
    sb = await _open(tmp_path, mode, allow_subprocess=True)
    marker = f"9{os.getpid() % 1000}.{int(time.time() * 1000) % 100000}"
    code = textwrap.dedent(
        f"""
        import os, time
        for i in range(200):
            if os.fork() == 0:          # child: double-fork a daemon, then leave
                os.setsid()
                if os.fork() == 0:
                    os.execv('/bin/sleep', ['sleep', '{marker}'])
                os._exit(0)
        time.sleep(0.5)
        print('spawned')
        """
    )
    try:
        r = await sb.execute(code)
        assert r.stdout == "spawned\n", r
        assert len(_marked(marker)) >= 150
    finally:
        await sb.close()
    time.sleep(0.2)
    alive = [p for p in _marked(marker) if p.status() != psutil.STATUS_ZOMBIE]
    assert alive == []


async def test_killing_the_parent_or_others_fails(sandbox):
    host = os.getpid()
    code = textwrap.dedent(
        f"""
        import os, signal
        results = []
        for target in (lambda: os.kill(os.getppid(), 9), lambda: os.kill({host}, 9),
                       lambda: os.killpg({os.getpgid(host)}, 9), lambda: os.kill(1, 9),
                       lambda: os.kill(-1, 9), lambda: os.killpg(0, 9)):
            try:
                target()
                results.append('sent')
            except (PermissionError, ProcessLookupError, OSError) as exc:
                results.append(type(exc).__name__)
        print(results)
        """
    )
    r = await sandbox.execute(code)
    results = eval(r.stdout)  # noqa: S307 - our own repr'd list
    # getppid() is 0 and pid 1 is the REPL itself inside a PID namespace: harmless, may be "sent"
    assert "sent" not in results[1:3] + results[4:], r
    assert psutil.pid_exists(os.getpid()) and not r.worker_restarted
    await _ok(sandbox)


@pytest.mark.slow
async def test_kernel_confines_kills_even_from_unguarded_children(tmp_path):
    """With subprocess allowed the audit hook sees nothing of /bin/sh; the PID namespace holds."""
    sb = await _open(tmp_path, allow_subprocess=True)
    try:
        if "pid" not in sb.isolation:
            pytest.skip(reason="namespaces unavailable here")
        code = f"import subprocess\nsubprocess.run(['/bin/sh', '-c', 'kill -9 {os.getpid()}; kill -9 -1'])"
        await sb.execute(code)
        assert psutil.pid_exists(os.getpid())
        await _ok(sb)
    finally:
        await sb.close()


@pytest.mark.slow
async def test_environment_secrets_are_not_visible(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    for mode in ("ns", "plain"):
        sb = await _open(tmp_path, mode)
        code = textwrap.dedent(
            f"""
            import os, glob
            seen = [k for k, v in os.environ.items() if 'sk-test' in v or k == 'OPENAI_API_KEY']
            readable = 0
            for path in glob.glob('/proc/*/environ') + ['/proc/{os.getpid()}/environ']:
                try:
                    if b'{SECRET}' in open(path, 'rb').read():
                        seen.append(path)
                    readable += 1
                except OSError:
                    pass
            print(seen, readable)
            """
        )
        try:
            r = await sb.execute(code)
            assert r.stdout.startswith("[] "), (mode, r)
        finally:
            await sb.close()


async def test_exit_and_self_kill_are_contained(sandbox):
    r = await sandbox.execute("import sys\nsys.exit(0)")
    assert "SystemExit" in r.error and not r.worker_restarted
    r = await sandbox.execute("raise SystemExit(2)")
    assert not r.worker_restarted
    r = await sandbox.execute("import os\nos._exit(3)")
    assert r.worker_restarted and "exited with status 3" in r.error
    await _ok(sandbox)


@pytest.mark.slow
async def test_fifty_megabytes_of_output_stay_bounded(tmp_path):
    sb = await _open(tmp_path, limits=SandboxLimits(max_output_chars=10_000))
    host = psutil.Process()
    before = host.memory_info().rss
    try:
        r = await sb.execute("for i in range(500_000):\n    print('y' * 99)")
        assert r.output_chars == 50_000_000 and len(r.stdout) < 11_000
        r = await sb.execute("import os\nos.write(1, b'z' * 50_000_000)\nprint('x' * 50_000_000)")
        assert r.output_chars == 100_000_001 and len(r.stdout) < 25_000
        assert host.memory_info().rss - before < 30 << 20
        await _ok(sb)
    finally:
        await sb.close()


async def test_writes_and_deletes_outside_the_workdir_fail(sandbox, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    victim_dir = tmp_path / "victim_dir"
    victim_dir.mkdir()
    code = textwrap.dedent(
        f"""
        import os, shutil
        results = []
        attempts = [
            lambda: open({str(victim)!r}, 'w'),
            lambda: os.remove({str(victim)!r}),
            lambda: os.rename({str(victim)!r}, 'stolen'),
            lambda: shutil.rmtree({str(victim_dir)!r}),
            lambda: (os.symlink({str(victim)!r}, 'link'), open('link', 'w')),
            lambda: open('/tmp/engram-sandbox-escape', 'w'),
            lambda: os.open('/tmp/engram-sandbox-escape', os.O_CREAT | os.O_WRONLY),
            lambda: os.truncate({str(victim)!r}, 0),
            lambda: os.chmod({str(victim)!r}, 0o777),
        ]
        for attempt in attempts:
            try:
                attempt()
                results.append('done')
            except OSError as exc:
                results.append(type(exc).__name__)
        print(results)
        open('inside.txt', 'w').write('fine')
        """
    )
    r = await sandbox.execute(code)
    assert "done" not in r.stdout and r.error is None, r
    assert victim.read_text() == "keep me" and victim_dir.exists()
    assert not os.path.exists("/tmp/engram-sandbox-escape")


@pytest.mark.slow
async def test_kernel_keeps_filesystem_read_only_for_unguarded_children(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    sb = await _open(tmp_path, allow_subprocess=True)
    try:
        if "readonly-fs" not in sb.isolation:
            pytest.skip(reason="mount namespace unavailable here")
        sh = f"echo x > {victim}; rm -f {victim}; touch /tmp/engram-sbx-esc; echo ok > here.txt"
        r = await sb.execute(f"import subprocess\nsubprocess.run(['/bin/sh', '-c', {sh!r}])")
        assert "Read-only file system" in r.stdout + r.stderr
        assert victim.read_text() == "keep me" and not os.path.exists("/tmp/engram-sbx-esc")
        assert (sb.workdir / "here.txt").read_text() == "ok\n"
    finally:
        await sb.close()


async def test_limits_and_capabilities_cannot_be_raised(sandbox):
    code = textwrap.dedent(
        """
        import resource
        status = dict(l.split(':\\t', 1) for l in open('/proc/self/status').read().splitlines() if ':\\t' in l)
        caps = {k: int(status[k], 16) for k in ('CapEff', 'CapPrm', 'CapBnd')}
        raised = []
        for res in (resource.RLIMIT_AS, resource.RLIMIT_FSIZE, resource.RLIMIT_CORE):
            try:
                resource.setrlimit(res, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
                raised.append(res)
            except (ValueError, OSError):
                pass
        print(caps, raised, status['NoNewPrivs'].strip())
        """
    )
    r = await sandbox.execute(code)
    assert r.stdout == "{'CapEff': 0, 'CapPrm': 0, 'CapBnd': 0} [] 1\n", r


async def test_ctypes_is_refused(sandbox):
    r = await sandbox.execute("import ctypes")
    assert "PermissionError" in r.error and "ctypes" in r.error


@pytest.mark.slow
async def test_workers_do_not_outlive_a_killed_host(tmp_path):
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from rlm.sandbox import ContextSpec, ProcessSandbox
        async def main():
            sb = ProcessSandbox(workdir_root={str(tmp_path)!r})
            await sb.start(ContextSpec(value=''), {{}})
            print(sb.pid, flush=True)
            await asyncio.sleep(60)
        asyncio.run(main())
        """
    )
    host = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    launcher = psutil.Process(int(host.stdout.readline()))
    tree = [launcher, *launcher.children(recursive=True)]
    host.send_signal(signal.SIGKILL)
    host.wait()
    gone, alive = psutil.wait_procs(tree, timeout=5)
    assert alive == []


@pytest.mark.slow
async def test_fifty_sandboxes_at_once_without_cross_talk(tmp_path):
    async def tag(i):
        return f"host-{i}"

    async def one(i: int) -> tuple[int, str, str]:
        sb = ProcessSandbox(workdir_root=tmp_path)
        await sb.start(ContextSpec(value=f"ctx-{i}"), {"tag": lambda i=i: tag(i)})
        try:
            r = await sb.execute(
                "import time\nfor _ in range(3):\n    print(context, tag())\n    time.sleep(0.01)"
            )
            return i, r.stdout, str(sb.pid)
        finally:
            await sb.close()

    results = await asyncio.gather(*(one(i) for i in range(50)))
    for i, stdout, _ in results:
        assert stdout == f"ctx-{i} host-{i}\n" * 3
    assert await no_sandbox_workers()
