"""ProcessSandbox: REPL behaviour, helpers, RPC, context loading, restarts."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from rlm.sandbox import ContextSpec, ProcessSandbox, Sandbox, SandboxLimits


async def _echo(*args, **kwargs):
    return {"args": list(args), "kwargs": kwargs, "hits": [{"text": "t", "when": None}]}


async def _fail(*args, **kwargs):
    raise ValueError("the store is down")


async def _slow(i):
    await asyncio.sleep(0.2)
    return i * 10


@pytest.fixture
async def sandbox(tmp_path):
    sb = ProcessSandbox(SandboxLimits(cell_timeout_s=10), workdir_root=tmp_path)
    handlers = {"llm_query": _echo, "memory.recall": _echo, "memory.entity": _fail, "slow": _slow}
    await sb.start(ContextSpec(value="alpha\nbeta\nGamma ray\n"), handlers)
    yield sb
    await sb.close()


def test_is_a_sandbox():
    assert isinstance(ProcessSandbox(), Sandbox)


async def test_state_persists_and_last_expression_echoes(sandbox):
    r = await sandbox.execute("x = 41")
    assert r.error is None and r.variables["x"].startswith("int")
    r = await sandbox.execute("x + 1")
    assert r.stdout == "42\n" and r.output_chars == 3


async def test_output_captured_per_cell_including_fd_level(sandbox):
    r = await sandbox.execute(
        "import os, sys\nprint('py')\nos.write(1, b'fd\\n')\nprint('e', file=sys.stderr)"
    )
    assert "py" in r.stdout and "fd" in r.stdout and r.stderr == "e\n"
    r = await sandbox.execute("pass")
    assert r.stdout == "" and r.stderr == ""


async def test_error_has_traceback_tail(sandbox):
    r = await sandbox.execute("def f():\n    return 1 / 0\nf()")
    assert "ZeroDivisionError" in r.error and "<cell" in r.error and "repl.py" not in r.error


async def test_final_and_final_var(sandbox):
    r = await sandbox.execute("FINAL({'a': [1, 2]})")
    assert r.has_final and r.final == {"a": [1, 2]}
    r = await sandbox.execute("answer = 'yes'\nFINAL_VAR('answer')")
    assert r.has_final and r.final == "yes"
    r = await sandbox.execute("FINAL_VAR('missing')")
    assert not r.has_final and "no such variable" in r.error and "answer" in r.error
    r = await sandbox.execute("FINAL(object())")
    assert r.has_final and r.final.startswith("<object")


async def test_helpers(sandbox):
    r = await sandbox.execute("print(grep('gamma'))")
    assert "'line': 3" in r.stdout and "Gamma ray" in r.stdout
    r = await sandbox.execute(
        "print(peek(n=5), chunk(size=6, overlap=1)[:2], chunk([1,2,3], size=2))"
    )
    assert r.stdout == "alpha ['alpha\\n', '\\nbeta\\n'] [[1, 2], [3]]\n"
    r = await sandbox.execute("print(SHOW_VARS())")
    assert "context" in r.stdout


async def test_host_functions_and_attribute_results(sandbox):
    r = await sandbox.execute("r = llm_query('hi', k=2)\nprint(r.args, r.kwargs.k, r.hits[0].text)")
    assert r.stdout == "['hi'] 2 t\n"
    r = await sandbox.execute("print(memory.recall('q').hits[0]['when'])")
    assert r.stdout == "None\n"
    r = await sandbox.execute("memory.entity('x')")
    assert "RuntimeError" in r.error and "the store is down" in r.error


async def test_rpc_from_threads_runs_concurrently(sandbox):
    code = (
        "from concurrent.futures import ThreadPoolExecutor\n"
        "with ThreadPoolExecutor(8) as ex:\n    out = list(ex.map(slow, range(8)))\nout"
    )
    started = time.perf_counter()
    r = await sandbox.execute(code)
    assert r.stdout == "[0, 10, 20, 30, 40, 50, 60, 70]\n"
    assert time.perf_counter() - started < 1.5  # 8 x 0.2 s in parallel, not 1.6 s + overhead


async def test_output_truncated_head_and_tail(tmp_path):
    async with ProcessSandbox(SandboxLimits(max_output_chars=100), workdir_root=tmp_path) as sb:
        await sb.start(ContextSpec(value=""), {})
        r = await sb.execute("print('A' * 1000 + 'END')")
        assert r.output_chars == 1004 and len(r.stdout) < 200
        assert r.stdout.startswith("AAAA") and "END" in r.stdout and "truncated" in r.stdout


@pytest.mark.parametrize(
    ("name", "text", "kind", "check"),
    [
        ("c.txt", "l1\nl2\n", "auto", "context == 'l1\\nl2\\n'"),
        ("c.txt", "l1\nl2\n", "lines", "context == ['l1', 'l2']"),
        ("c.json", json.dumps({"a": 1}), "auto", "context.get('a') == 1"),
        ("c.jsonl", '{"a": 1}\n{"a": 2}\n', "auto", "[x['a'] for x in context] == [1, 2]"),
    ],
)
async def test_context_from_file(tmp_path, name, text, kind, check):
    path = tmp_path / name
    path.write_text(text)
    async with ProcessSandbox(workdir_root=tmp_path) as sb:
        await sb.start(ContextSpec(path=str(path), kind=kind), {})
        r = await sb.execute(f"assert {check}, repr(context)")
        assert r.error is None


async def test_missing_context_file_is_a_clear_error(tmp_path):
    from rlm.errors import SandboxError

    with pytest.raises(SandboxError, match="not found"):
        await ProcessSandbox(workdir_root=tmp_path).start(ContextSpec(path="/nope.txt"), {})


async def test_context_unreadable_by_path_still_loads_through_fd(tmp_path):
    """The host opens the file; the worker (no capabilities) never needs to open it by path."""
    secret_dir = tmp_path / "private"
    secret_dir.mkdir(mode=0o700)
    path = secret_dir / "ctx.txt"
    path.write_text("hidden-but-given")
    path.chmod(0o400)
    async with ProcessSandbox(workdir_root=tmp_path) as sb:
        await sb.start(ContextSpec(path=str(path)), {})
        assert (await sb.execute("context")).stdout == "'hidden-but-given'\n"


async def test_workdir_is_cwd_and_removed_on_close(tmp_path):
    sb = ProcessSandbox(workdir_root=tmp_path)
    await sb.start(ContextSpec(value=None), {})
    workdir = sb.workdir
    r = await sb.execute("import os\nopen('note.txt', 'w').write('ok')\nos.getcwd()")
    assert r.error is None and str(workdir) in r.stdout and (workdir / "note.txt").exists()
    await sb.close()
    assert not Path(workdir).exists()


@pytest.mark.slow
async def test_large_context_loads_fast_and_lean(tmp_path):
    path = tmp_path / "big.txt"
    line = b"2025-10-14 12:00:00 INFO request served in 12ms id=abcdef\n"
    with open(path, "wb") as fh:
        fh.write(line * (100_000_000 // len(line)))
    size = path.stat().st_size
    async with ProcessSandbox(workdir_root=tmp_path) as sb:
        await sb.start(ContextSpec(path=str(path)), {})
        # the < 1 s goal is measured by bench/rlm_engine.py; here only a gross regression fails
        assert sb.context_load_s < 5.0
        r = await sb.execute(
            "import re\nhwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
            "print(len(context), int(hwm.split()[1]) * 1024)\nlen(grep('id=abc', max_hits=5))"
        )
        length, peak = map(int, r.stdout.split()[:2])
        assert length == size and peak < 2.5 * size
        assert r.stdout.split()[-1] == "5"
