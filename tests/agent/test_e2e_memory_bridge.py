"""End to end through real processes, the real OpenAI client, real Memory and a scripted server:
an `engram rlm` run's finding is consolidated into ENGRAM_HOME, a later run's REPL code reads it
back with `memory.recall`, and `engram ask --json` answers from memory with sources."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent.cli import main
from bench.scripted_endpoint import ScriptedEndpoint

ROOT = Path(__file__).resolve().parents[2]
ENGRAM = Path(sys.executable).with_name("engram")
FINDING = "The nightly export fails because the cron job runs in UTC+2 instead of UTC"

FIRST_RUN = f"```repl\nnote_finding({FINDING!r})\nFINAL('the cron timezone is wrong')\n```"
LATER_RUN = (
    "```repl\n"
    "hits = memory.recall('why does the nightly export fail', k=3)\n"
    "print([h.source for h in hits])\n"
    "FINAL('From memory: ' + hits[0].text + ' [' + hits[0].source + ']')\n"
    "```"
)


def engram(home: Path, *args: str, endpoint: ScriptedEndpoint | None = None):
    cmd = [str(ENGRAM)] if ENGRAM.exists() else [sys.executable, "-m", "agent.cli"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ENGRAM_"))}
    env.update(ENGRAM_HOME=str(home), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    if endpoint is not None:
        env.update(OPENAI_BASE_URL=endpoint.base_url, OPENAI_API_KEY="sk-test",
                   ENGRAM_ROOT_MODEL="root-m", ENGRAM_LM_MAX_RETRIES="0")  # fmt: skip
    out = subprocess.run([*cmd, *args], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=240)  # fmt: skip
    assert out.returncode == 0, out.stderr
    return out


def ask_in_process(
    home: Path,
    mp: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *args: str,
    endpoint: ScriptedEndpoint | None = None,
) -> dict:
    """`engram ask ... --json` in this process (the embedding model loads once per test run)."""
    for k in [k for k in os.environ if k.startswith(("OPENAI_", "ENGRAM_"))]:
        mp.delenv(k)
    mp.setenv("ENGRAM_HOME", str(home))
    if endpoint is not None:
        mp.setenv("OPENAI_BASE_URL", endpoint.base_url)
        mp.setenv("OPENAI_API_KEY", "sk-test")
        mp.setenv("ENGRAM_ROOT_MODEL", "root-m")
    capsys.readouterr()
    assert main(["ask", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.slow
def test_finding_outlives_its_session_and_later_rlm_and_ask_use_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home, ctx = tmp_path / "home", tmp_path / "export.log"
    ctx.write_text("02:00 export started\n02:00 export failed: window closed\n" * 50)
    with ScriptedEndpoint(models=("root-m",)) as ep:
        ep.enqueue(FIRST_RUN)
        first = engram(home, "rlm", "-q", "why does the export fail?", "-c", str(ctx), "--json",
                       endpoint=ep)  # fmt: skip
        run_id = json.loads(first.stdout)["run_id"]
        assert "consolidated into memory: 2 new" in first.stderr

        ep.enqueue(LATER_RUN)
        later = engram(home, "rlm", "-q", "what do we know about the export?", "-c", str(ctx),
                       "--json", "--no-consolidate", endpoint=ep)  # fmt: skip
        answer = json.loads(later.stdout)["answer"]
        assert answer.startswith("From memory: ") and "UTC+2" in answer
        assert answer.endswith(f"[rlm:{run_id}]")
        assert "consolidated" not in later.stderr

    doc = ask_in_process(home, monkeypatch, capsys, "why did we see the nightly export fail?")
    assert doc["route"] == "recall" and "UTC+2" in doc["answer"].splitlines()[0]  # leads with it
    assert any("UTC+2" in s["text"] and s["source"].startswith("rlm:") for s in doc["sources"])
    assert {"text", "when", "mentioned_at", "source", "score"} <= set(doc["sources"][0])


@pytest.mark.slow
def test_ask_json_shapes_with_a_scripted_agent_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    told = ["FYI, Alice Chen is now the tech lead of Atlas", "--thread", "t1"]
    doc = ask_in_process(home, monkeypatch, capsys, *told)
    assert doc["route"] == "remember" and doc["sources"][0]["source"] == "agent:t1:1"
    with ScriptedEndpoint(models=("root-m",)) as ep:
        ep.enqueue('{"route": "recall", "reason": "asks about a person"}',
                   "Alice Chen leads Atlas [1].")  # fmt: skip
        doc = ask_in_process(home, monkeypatch, capsys, "who leads Atlas", "--thread", "t1",
                             endpoint=ep)  # fmt: skip
        prompt = ep.chat_requests[1].messages[-1]["content"]
    assert set(doc) >= {"answer", "route", "sources", "route_reason", "thread", "turn", "trace"}
    assert (doc["answer"], doc["route"], doc["turn"]) == (
        "Alice Chen leads Atlas [1].",
        "recall",
        2,
    )
    assert doc["sources"] and doc["sources"][0]["source"] == "agent:t1:1"
    assert "Alice Chen" in prompt and "agent:t1:1" in prompt
