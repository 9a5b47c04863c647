"""`engram rlm` as a real process: traces kept under ENGRAM_HOME, `engram trace list/view/tree`,
the isolation level in `--json`, memory opened only when the REPL touches it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.scripted_endpoint import ScriptedEndpoint
from tests.rlm.test_cli_rlm import engram, responder

ENGRAM = Path(sys.executable).with_name("engram")
ROOT = Path(__file__).resolve().parents[2]


def _ctx(tmp_path: Path) -> Path:
    ctx = tmp_path / "big.log"
    ctx.write_text("hay\n" * 100 + "needle one\n" + "hay\n" * 100 + "needle two\n")
    return ctx


def test_every_run_keeps_its_trace_and_the_trace_commands_find_it(tmp_path):
    home, ctx, copy = tmp_path / "home", _ctx(tmp_path), tmp_path / "copy.jsonl"
    with ScriptedEndpoint(responder, models=("root-m", "sub-m")) as ep:
        first = engram("rlm", "-q", "how many needles?", "-c", str(ctx), "--json",
                       endpoint=ep, home=home)  # fmt: skip
        second = engram("rlm", "-q", "again?", "-c", str(ctx), "--json", "--trace", str(copy),
                        endpoint=ep, home=home)  # fmt: skip
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    a, b = json.loads(first.stdout), json.loads(second.stdout)
    assert Path(a["trace_stored"]).parent == home / "traces" and a["trace"] == a["trace_stored"]
    assert b["trace"] == str(copy) and copy.read_bytes() == Path(b["trace_stored"]).read_bytes()
    assert a["isolation"]["level"] in ("confined", "partial", "none") and a["isolation"]["layers"]

    listed = engram("trace", "list", "--json", home=home)
    assert listed.returncode == 0, listed.stderr
    runs = json.loads(listed.stdout)["traces"]
    assert {r["run_id"] for r in runs} == {a["run_id"], b["run_id"]}
    assert all(r["finished"] and r["tokens"] > 0 for r in runs)
    text = engram("trace", "list", home=home)
    assert a["run_id"] in text.stdout and "how many needles?" in text.stdout

    view = engram("trace", "view", a["run_id"], home=home)
    assert view.returncode == 0 and "iteration 1" in view.stdout, view.stderr
    tree = json.loads(engram("trace", "tree", a["run_id"], home=home).stdout)
    assert tree["id"] == a["run_id"] and tree["totals"]["tokens"] == a["usage"]["total_tokens"]
    assert [c["kind"] for c in tree["children"]] == ["iteration", "iteration"]
    missing = engram("trace", "tree", "no-such-run", home=home)
    assert missing.returncode == 2 and "engram trace list" in missing.stderr


def _run_with_memory(home: Path, ctx: Path, ep: ScriptedEndpoint, *flags: str):
    """`engram rlm` with memory on (the helper of test_cli_rlm turns it off)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ENGRAM_"))}
    env.update(ENGRAM_ROOT_MODEL="root-m", ENGRAM_SUB_MODEL="sub-m", ENGRAM_HOME=str(home),
               OPENAI_API_KEY="sk-test", OPENAI_BASE_URL=ep.base_url, HF_HUB_OFFLINE="1",
               ENGRAM_LM_MAX_RETRIES="0")  # fmt: skip
    cmd = [str(ENGRAM)] if ENGRAM.exists() else [sys.executable, "-m", "agent.cli"]
    return subprocess.run([*cmd, "rlm", "-q", "how many needles?", "-c", str(ctx), "--json",
                           *flags], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=180)  # fmt: skip


def test_memory_is_opened_only_when_there_is_something_to_do_with_it(tmp_path):
    home, ctx = tmp_path / "home", _ctx(tmp_path)
    with ScriptedEndpoint(responder, models=("root-m", "sub-m")) as ep:
        untouched = _run_with_memory(home, ctx, ep, "--no-consolidate")
        assert untouched.returncode == 0, untouched.stderr
        assert json.loads(untouched.stdout)["answer"] == "2 needles; sub says x"
        assert not (home / "engram.db").exists() and not (home / "chroma").exists()
        kept = _run_with_memory(home, ctx, ep)  # an answer to keep: consolidation opens it
    assert kept.returncode == 0, kept.stderr
    assert json.loads(kept.stdout)["answer"] == "2 needles; sub says x"
    assert "consolidated into memory: " in kept.stderr and (home / "engram.db").exists()


def test_the_agents_rlm_turns_are_kept_too(tmp_path):
    """`engram ask --context FILE` goes through the agent's RLM path: its trace is kept in the
    same store (and listed once, though the agent also writes a per-turn copy there)."""
    home, ctx = tmp_path / "home", _ctx(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ENGRAM_"))}
    with ScriptedEndpoint(responder, models=("root-m", "sub-m")) as ep:
        env.update(ENGRAM_ROOT_MODEL="root-m", ENGRAM_SUB_MODEL="sub-m", ENGRAM_HOME=str(home),
                   OPENAI_API_KEY="sk-test", OPENAI_BASE_URL=ep.base_url, HF_HUB_OFFLINE="1",
                   ENGRAM_LM_MAX_RETRIES="0")  # fmt: skip
        cmd = [str(ENGRAM)] if ENGRAM.exists() else [sys.executable, "-m", "agent.cli"]
        p = subprocess.run([*cmd, "ask", "how many needles?", "--context", str(ctx), "--json"],
                           capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["route"] == "rlm"
    runs = json.loads(engram("trace", "list", "--json", home=home).stdout)["traces"]
    assert len(runs) == 1 and runs[0]["query"] == "how many needles?" and runs[0]["finished"]


def test_require_isolation_runs_here_only_if_the_kernel_confines(tmp_path):
    home, ctx = tmp_path / "home", _ctx(tmp_path)
    with ScriptedEndpoint(responder, models=("root-m", "sub-m")) as ep:
        p = engram("rlm", "-q", "how many needles?", "-c", str(ctx), "--json",
                   "--require-isolation", endpoint=ep, home=home)  # fmt: skip
        asked = len(ep.chat_requests)
    doc = json.loads(p.stdout)
    if doc["isolation"].get("level") == "confined":
        assert p.returncode == 0 and doc["answer"] == "2 needles; sub says x", p.stderr
    else:  # refused before the model was asked anything
        assert p.returncode == 1 and "refusing to run" in p.stderr and asked == 0
