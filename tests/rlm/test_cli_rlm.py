"""`engram rlm` and `engram trace view` as real subprocesses against a ScriptedEndpoint."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from agent.cli import build_parser
from agent.cli.rlm_cmd import extra_handlers_for
from bench.scripted_endpoint import Reply, ScriptedEndpoint

ENGRAM = Path(sys.executable).with_name("engram")
ROOT = Path(__file__).resolve().parents[2]


def engram(*args: str, endpoint: ScriptedEndpoint | None = None, home: Path, **env: str):
    """Run the CLI; memory is off (its own tests cover it) unless `--memory` is passed."""
    cmd = [str(ENGRAM)] if ENGRAM.exists() else [sys.executable, "-m", "agent.cli"]
    if args and args[0] == "rlm":
        args = (*args, "--no-memory", "--no-consolidate")
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ENGRAM_"))}
    full_env.update(ENGRAM_ROOT_MODEL="root-m", ENGRAM_SUB_MODEL="sub-m", ENGRAM_HOME=str(home),
                    OPENAI_API_KEY="sk-test", ENGRAM_LM_MAX_RETRIES="0", **env)  # fmt: skip
    if endpoint is not None:
        full_env["OPENAI_BASE_URL"] = endpoint.base_url
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=full_env,
                          cwd=ROOT, timeout=120)  # fmt: skip


def responder(request: dict) -> Reply | str:
    if request["model"] == "sub-m":
        return "sub says " + request["messages"][-1]["content"][:20]
    turn = sum(1 for m in request["messages"] if m["role"] == "assistant")
    script = [
        "```repl\nhits = grep('needle', context)\nprint(len(hits))\n"
        "a = llm_query_batched(['x', 'y'])\nprint(a)\n```",
        "```repl\nFINAL(f'{len(hits)} needles; {a[0]}')\n```",
    ]
    return script[min(turn, len(script) - 1)]


def test_rlm_json_end_to_end_and_trace_view(tmp_path):
    ctx = tmp_path / "big.log"
    ctx.write_text("hay\n" * 1000 + "needle one\n" + "hay\n" * 1000 + "needle two\n")
    trace = tmp_path / "run.jsonl"
    with ScriptedEndpoint(responder, models=("root-m", "sub-m")) as ep:
        p = engram("rlm", "--query", "how many needles?", "--context", str(ctx), "--trace",
                   str(trace), "--json", endpoint=ep, home=tmp_path)  # fmt: skip
        models = [r.model for r in ep.chat_requests]
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)  # exactly one JSON document on stdout
    assert doc["answer"] == "2 needles; sub says x" and doc["stopped_by"] is None
    assert doc["trace"] == str(trace) and trace.exists()
    u = doc["usage"]
    assert u["iterations"] == 2 and u["sub_calls"] == 2
    assert u["root"]["total_tokens"] > 0 and u["sub"]["total_tokens"] > 0
    assert models.count("root-m") == 2 and models.count("sub-m") == 2
    view = engram("trace", "view", str(trace), home=tmp_path)
    assert view.returncode == 0, view.stderr
    assert "iteration 1" in view.stdout and "sub-calls: 2" in view.stdout
    assert "finished" in view.stdout


def test_rlm_iteration_limit_returns_partial(tmp_path):
    ctx = tmp_path / "c.txt"
    ctx.write_text("data")
    with ScriptedEndpoint(lambda r: "```repl\nprint(1)\n```", models=("root-m", "sub-m")) as ep:
        p = engram("rlm", "-q", "q", "-c", str(ctx), "--json", "--max-iterations", "1",
                   endpoint=ep, home=tmp_path)  # fmt: skip
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert doc["stopped_by"] == "max_iterations" and doc["usage"]["iterations"] == 1


def test_rlm_errors_go_to_stderr_with_nonzero_exit(tmp_path):
    p = engram("rlm", "-q", "q", "-c", str(tmp_path / "missing.txt"), "--json", home=tmp_path)
    assert p.returncode == 2 and p.stdout == "" and "context file not found" in p.stderr
    ctx = tmp_path / "c.txt"
    ctx.write_text("data")
    with ScriptedEndpoint(lambda r: Reply(status=500, text="down"), models=("root-m",)) as ep:
        p = engram("rlm", "-q", "q", "-c", str(ctx), "--json", endpoint=ep, home=tmp_path)
    assert p.returncode == 1 and "run failed" in p.stderr
    assert json.loads(p.stdout)["stopped_by"] == "error"
    bad = engram("trace", "view", str(tmp_path / "nope.jsonl"), home=tmp_path)
    assert bad.returncode == 2 and "cannot read" in bad.stderr


def test_parser_accepts_memory_flags_and_no_memory_means_no_memory_handlers(tmp_path, monkeypatch):
    monkeypatch.setenv("ENGRAM_HOME", str(tmp_path))
    args = build_parser().parse_args(
        ["rlm", "--query", "q", "--context", "f", "--no-memory", "--no-consolidate",
         "--max-cost", "0.5", "--max-depth", "1", "--timeout", "30", "--max-tokens", "1000"]
    )  # fmt: skip
    assert args.no_memory and args.no_consolidate and args.max_cost == 0.5
    assert not any(name.startswith("memory") for name in extra_handlers_for(args))


def test_the_start_up_gc_pause_always_ends(tmp_path, monkeypatch):
    """`engram rlm` pauses the cyclic GC for its imports (the `engram` process only) and ends
    the pause whatever the command does, here an early refusal (no such context file)."""
    import gc

    import agent.cli as cli

    monkeypatch.setattr(sys, "argv", ["/usr/bin/engram"])  # as the console script
    monkeypatch.setenv("ENGRAM_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ENGRAM_ROOT_MODEL", "m")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
    seen: list[bool] = []
    original = cli.build_parser
    monkeypatch.setattr(
        cli, "build_parser", lambda argv=None: seen.append(gc.isenabled()) or original(argv)
    )
    try:
        code = cli.main(["rlm", "--query", "q", "--context", str(tmp_path / "missing.txt")])
    finally:
        gc.unfreeze()
    assert code == 2 and seen == [False]  # paused while the command's modules were imported
    assert gc.isenabled()  # and not left paused
    seen.clear()
    monkeypatch.setattr(sys, "argv", ["pytest"])  # a caller of main() in-process: no pause
    cli.main(["rlm", "--query", "q", "--context", str(tmp_path / "missing.txt")])
    assert seen == [True] and gc.isenabled()
