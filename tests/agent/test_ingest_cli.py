"""`engram ingest` end to end in subprocesses on a temporary ENGRAM_HOME (real memory, offline).

Covers: the JSON summary, resumed ingestion, a malformed export, a run killed with SIGKILL
mid-way that loses nothing already done, and the RLM path against a scripted endpoint.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bench.scripted_endpoint import ScriptedEndpoint
from tests.agent.ingest_helpers import make_git_repo

ROOT = Path(__file__).resolve().parents[2]
ENGRAM = [sys.executable, "-c", "from agent.cli import main; raise SystemExit(main())"]


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ENGRAM_"))}
    env.update(ENGRAM_HOME=str(home), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               PYTHONPATH=str(ROOT), **extra)  # fmt: skip
    return env


def _ingest(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ENGRAM, "ingest", *args], env=_env(home, **env), cwd=ROOT,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def _docs(root: Path, n: int) -> Path:
    root.mkdir(parents=True)
    for i in range(n):
        day = f"2025-10-{1 + i % 28:02d}"
        (root / f"{day}-note-{i:03d}.md").write_text(
            f"# Note {i}\n\nPerson{i} Smith reviewed ticket {i} on {day}.\n\n"
            f"The build number {i} passed all checks.\n"
        )
    (root / "broken.md").write_bytes(b"\x00\x01binary")
    return root


def _episodes(home: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(home / "engram.db") as db:
        return db.execute("SELECT source, content_hash FROM episodes").fetchall()


def _done_units(home: Path) -> int:
    path = home / "ingest_state.sqlite"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(path, timeout=1) as db:
            return int(db.execute("SELECT COUNT(*) FROM ingested").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_json_summary_and_resume(tmp_path: Path) -> None:
    home, docs = tmp_path / "home", _docs(tmp_path / "docs", 4)
    first = _ingest(home, str(docs), "--json", "--bank", "t")
    assert first.returncode == 0, first.stderr
    d = json.loads(first.stdout)
    assert (d["kind"], d["units"], d["ingested"], d["skipped"]) == ("documents", 4, 4, 1)
    assert d["problems"][0]["item"] == "broken.md" and "binary" in d["problems"][0]["reason"]
    text = _ingest(home, str(docs), "--bank", "t", "--no-progress")  # resumed: all done
    assert "ingested 0 of 4 documents" in text.stdout and "already done 4" in text.stdout
    assert "broken.md: binary file" in text.stdout


def test_git_repository_and_malformed_export(tmp_path: Path) -> None:
    home, repo = tmp_path / "home", make_git_repo(tmp_path / "demo")
    d = json.loads(_ingest(home, str(repo), "--json").stdout)
    assert d["kind"] == "git" and d["failed"] == 0 and d["ingested"] == d["units"] == 8
    assert any(src.startswith("git:demo:") and len(src) == len("git:demo:") + 40
               for src, _ in _episodes(home))  # fmt: skip
    bad = tmp_path / "issues.json"
    bad.write_text('{"not": "a list"}')
    out = _ingest(home, str(bad), "--json")
    assert out.returncode != 0 and out.stdout == ""
    assert "not a usable issues export" in out.stderr


def test_killed_ingestion_loses_nothing(tmp_path: Path) -> None:
    home, docs = tmp_path / "home", _docs(tmp_path / "docs", 40)
    proc = subprocess.Popen([*ENGRAM, "ingest", str(docs), "--json"], env=_env(home), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + 240
    while _done_units(home) < 5 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "ingestion finished before it could be killed; add documents"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    done_before = _done_units(home)
    assert 5 <= done_before < 40
    rerun = _ingest(home, str(docs), "--json")
    assert rerun.returncode == 0, rerun.stderr
    d = json.loads(rerun.stdout)
    assert d["already_done"] >= done_before and d["already_done"] + d["ingested"] == 40
    assert _done_units(home) == 40
    episodes = _episodes(home)
    assert len(episodes) == len(set(episodes))  # no duplicates
    assert len({src.split("#")[0] for src, _ in episodes}) == 40  # every document is in


def _rlm_responder(request: dict) -> str:
    last = request["messages"][-1]["content"]
    if last.startswith("Summarise"):
        return "A long design note about moving the events store to PostgreSQL."
    if "FINAL" in "".join(m["content"] or "" for m in request["messages"][1:-1][-1:]):
        return "FINAL_VAR(result)"
    return (
        "```repl\n"
        "s = llm_query('Summarise: ' + context[:500])\n"
        "result = {'summary': s, 'decisions': ['Move the events store to PostgreSQL because of "
        "replication lag'], 'who_did_what': ['Alice Chen wrote the design note']}\n"
        "FINAL(result)\n```"
    )


def test_rlm_digests_large_inputs(tmp_path: Path) -> None:
    home, docs = tmp_path / "home", tmp_path / "docs"
    docs.mkdir()
    (docs / "2025-10-14-design.md").write_text(
        "# Design\n\n" + "Alice Chen proposes PostgreSQL for the events store.\n\n" * 80
    )
    (docs / "small.md").write_text("A small note.")
    with ScriptedEndpoint(_rlm_responder) as ep:
        env = {
            "OPENAI_BASE_URL": ep.base_url,
            "OPENAI_API_KEY": "k",
            "ENGRAM_ROOT_MODEL": "scripted",
        }
        out = _ingest(home, str(docs), "--json", "--rlm", "--rlm-threshold", "2000", **env)
        assert out.returncode == 0, out.stderr
        d = json.loads(out.stdout)
        assert d["digested_with_rlm"] == 1 and d["warnings"] == 0, d
        assert any("Summarise" in (r.messages[-1]["content"] or "") for r in ep.chat_requests)
    sources = [s for s, _ in _episodes(home)]
    assert "doc:2025-10-14-design.md#rlm:summary:0" in sources
    assert "doc:2025-10-14-design.md#rlm:decision:1" in sources
    assert "doc:2025-10-14-design.md#rlm:who_did_what:2" in sources


def test_rlm_flag_without_endpoint_and_a_missing_path(tmp_path: Path) -> None:
    home, docs = tmp_path / "home", _docs(tmp_path / "docs", 1)
    out = _ingest(home, str(docs), "--json", "--rlm")
    assert out.returncode == 0 and "needs an LLM endpoint" in out.stderr
    assert json.loads(out.stdout)["ingested"] == 1
    missing = _ingest(home, str(tmp_path / "nope"))
    assert missing.returncode != 0 and "does not exist" in missing.stderr
