"""`engram ingest` end to end in subprocesses on a temporary ENGRAM_HOME (real memory, offline).

Covers: the JSON summary, resumed ingestion, a malformed export, and the RLM path against a
scripted endpoint (runs killed with SIGKILL: tests/agent/test_ingest_faults.py).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

from bench.scripted_endpoint import ScriptedEndpoint
from tests.agent.cli_procs import engram
from tests.agent.ingest_helpers import make_git_repo


def _ingest(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return engram(home, "ingest", *args, **env)


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
    root = subprocess.run(["git", "-C", str(repo), "rev-list", "--max-parents=0", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    prefix = f"git:root-{root}:"  # a repository without a remote is named by its root commit
    commits = [src for src, _ in _episodes(home) if src.startswith(prefix)
               and len(src) == len(prefix) + 40]  # fmt: skip
    assert len(commits) == 3
    bad = tmp_path / "issues.json"
    bad.write_text('{"not": "a list"}')
    out = _ingest(home, str(bad), "--json")
    assert out.returncode != 0 and out.stdout == ""
    assert "not a usable issues export" in out.stderr


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
    key = f"doc:{(docs / '2025-10-14-design.md').resolve().as_posix()}"
    assert f"{key}#rlm:summary:0" in sources
    assert f"{key}#rlm:decision:1" in sources
    assert f"{key}#rlm:who_did_what:2" in sources


def test_rlm_flag_without_endpoint_and_a_missing_path(tmp_path: Path) -> None:
    home, docs = tmp_path / "home", _docs(tmp_path / "docs", 1)
    out = _ingest(home, str(docs), "--json", "--rlm")
    assert out.returncode == 0 and "needs an LLM endpoint" in out.stderr
    assert json.loads(out.stdout)["ingested"] == 1
    missing = _ingest(home, str(tmp_path / "nope"))
    assert missing.returncode != 0 and "does not exist" in missing.stderr
