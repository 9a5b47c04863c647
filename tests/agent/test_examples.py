"""Every example runs as a subprocess on a temporary ENGRAM_HOME, offline, and says what it should."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench.scripted_endpoint import ScriptedEndpoint

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def _run(script: str, home: Path, *args: str, **extra: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ENGRAM_"))}
    env.update(ENGRAM_HOME=str(home), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", **extra)
    out = subprocess.run([sys.executable, str(EXAMPLES / script), *args], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=600)  # fmt: skip
    assert out.returncode == 0, f"{script} failed:\n{out.stdout}\n{out.stderr}"
    return out.stdout


def _section(out: str, question: str) -> str:
    start = out.index(f"Q: {question}")
    end = out.find("\nQ: ", start + 1)
    return out[start : end if end != -1 else len(out)]


def test_bundled_history_is_the_generated_one(tmp_path: Path) -> None:
    sys.path.insert(0, str(EXAMPLES))
    try:
        from project_history import ALIASES, generate
    finally:
        sys.path.remove(str(EXAMPLES))
    files = generate(7)
    assert generate(7) == files  # deterministic
    for rel, content in files.items():
        assert (EXAMPLES / "data" / "atlas" / rel).read_text(encoding="utf-8") == content, rel
    text = "\n".join(files.values())
    for person, variants in ALIASES.items():  # everyone appears under several names
        assert sum(f"{v} " in text or f"{v}'" in text for v in variants) >= 2, person


def test_pm_assistant(tmp_path: Path) -> None:
    """The main job asks the agent itself; every lead answers, with numbered sources."""
    out = _run("pm_assistant.py", tmp_path / "home")
    assert "ingested 15 of 15 documents unit(s)" in out and "ingested 6 of 6 issues" in out
    lead = {q: _section(out, q).splitlines()[1] for q in (
        "Who finishes tasks early?", "Why did we choose PostgreSQL over MySQL?",
        "What blocked the last deployment?", "What happened before the reorg?",
        "Who is Alice C.?", "What changed in the database decision?")}  # fmt: skip
    assert lead["Who finishes tasks early?"].startswith("Sarah Kim — ")
    assert "replication lag" in lead["Why did we choose PostgreSQL over MySQL?"]
    assert "TLS certificate" in lead["What blocked the last deployment?"]
    assert "2025-11-03" in lead["What happened before the reorg?"]
    assert lead["Who is Alice C.?"].startswith("Alice Chen")
    assert "MySQL" in lead["What changed in the database decision?"]
    why = _section(out, "Why did we choose PostgreSQL over MySQL?")
    decision = (EXAMPLES / "data" / "atlas").resolve().as_posix()
    assert f"[1] doc:{decision}/" in why and "/2025-10-14-decision-postgresql.md#L" in why
    assert "said 2025-10-14" in why
    assert "ALIASES" not in (EXAMPLES / "pm_assistant.py").read_text()


def _agent_responder(request: dict) -> str:
    return "We picked PostgreSQL for window functions and because MySQL lag blocked reports."


def test_chat_recall_with_and_without_an_endpoint(tmp_path: Path) -> None:
    out = _run("chat_recall.py", tmp_path / "home")
    why = _section(out, "Why did we pick PostgreSQL over MySQL in October?")
    assert "chat:session-2:turn-" in why and "said 2025-10-14" in why
    assert "skipped — no LLM endpoint configured" in out
    with ScriptedEndpoint(_agent_responder) as ep:
        env = {"OPENAI_BASE_URL": ep.base_url, "OPENAI_API_KEY": "k", "ENGRAM_ROOT_MODEL": "m"}
        out = _run("chat_recall.py", tmp_path / "home", **env)
        assert ep.chat_requests, "the agent never called the endpoint"
    assert "remembered 0 new chat turn(s)" in out  # the second run retains nothing twice
    assert "agent (" in out and "MySQL lag blocked reports" in out
    assert "chat:session-" in out.split("the agent answers")[1]


def test_belief_history(tmp_path: Path) -> None:
    out = _run("belief_history.py", tmp_path / "home")
    beliefs = _section(out, "How did our confidence that the batch API")
    assert "batch API" in beliefs and "2025-09-15" in beliefs and "2025-11-10" in beliefs
    assert "tech lead" in _section(out, "What is Alice Chen's role? (now)")
    history = _section(out, "What has memory recorded about")
    assert "backend lead.  [superseded 2025-11-03]" in history


def test_ingest_repo(tmp_path: Path) -> None:
    out = _run("ingest_repo.py", tmp_path / "home", "--max-commits", "5")
    assert "git unit(s)" in out and "failed 0" in out
    assert "source git:" in out
