"""`engram ingest` end to end in subprocesses on a temporary ENGRAM_HOME (real memory, offline).

Covers: the JSON summary, resumed ingestion, a malformed export, and `--rlm` corpus reading
against a scripted endpoint (a failing one: exit code 6) (runs killed with SIGKILL: tests/agent/test_ingest_faults.py).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

from bench.corpus_fixture import corpus_responder, make_repo
from bench.scripted_endpoint import Reply, ScriptedEndpoint
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


def _rlm_env(ep: ScriptedEndpoint, **extra: str) -> dict[str, str]:
    return {"OPENAI_BASE_URL": ep.base_url, "OPENAI_API_KEY": "k",
            "ENGRAM_ROOT_MODEL": "gpt-4o-mini", "ENGRAM_LM_MAX_RETRIES": "0", **extra}  # fmt: skip


def test_rlm_reads_the_repository_as_one_corpus(tmp_path: Path) -> None:
    home, repo = tmp_path / "home", make_repo(tmp_path / "repo", n_files=40)
    with ScriptedEndpoint(corpus_responder()) as ep:
        out = _ingest(home, str(repo), "--json", "--rlm", "--rlm-batch-chars", "4000",
                      "--rlm-concurrency", "2", **_rlm_env(ep))  # fmt: skip
        assert out.returncode == 0, out.stderr
        d = json.loads(out.stdout)
        r = d["rlm"]
        assert r["batches"] == r["runs"] == len(ep.chat_requests) > 1, r
        assert r["findings"] > 0 and r["failed"] == 0 and r["cost"] > 0
        text = _ingest(home, str(repo), "--rlm", "--no-progress", **_rlm_env(ep))
        assert text.returncode == 0 and "RLM: read 0 of" in text.stdout  # nothing changed
        assert len(ep.chat_requests) == r["runs"]  # ... so no call
    with sqlite3.connect(home / "engram.db") as db:
        rows = db.execute("SELECT source, metadata FROM episodes").fetchall()
    found = [(src, json.loads(meta)) for src, meta in rows
             if json.loads(meta or "{}").get("kind") == "rlm_finding"]  # fmt: skip
    assert len(found) == r["findings"]
    assert all(m["rlm_run"] in r["run_ids"] and src.startswith("git:root-") for src, m in found)


def test_rlm_endpoint_down_keeps_the_raw_episodes_and_exits_6(tmp_path: Path) -> None:
    home, repo = tmp_path / "home", make_repo(tmp_path / "repo", n_files=6, commits=2)
    with ScriptedEndpoint(lambda r: Reply("overloaded", status=500)) as ep:
        out = _ingest(home, str(repo), "--json", "--rlm", **_rlm_env(ep))
    assert out.returncode == 6, out.stderr
    d = json.loads(out.stdout)
    assert d["ingested"] == d["units"] and d["rlm"]["endpoint_failed"] == 1
    assert "every RLM batch failed" in out.stderr and "raw episodes are stored" in out.stderr
    assert len(_episodes(home)) >= 6


def test_rlm_flag_without_endpoint_and_a_missing_path(tmp_path: Path) -> None:
    home, docs = tmp_path / "home", _docs(tmp_path / "docs", 1)
    out = _ingest(home, str(docs), "--json", "--rlm")
    assert out.returncode == 0 and "needs an LLM endpoint" in out.stderr
    assert json.loads(out.stdout)["ingested"] == 1
    missing = _ingest(home, str(tmp_path / "nope"))
    assert missing.returncode != 0 and "does not exist" in missing.stderr
