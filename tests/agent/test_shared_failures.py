"""On the shared deployment (PostgreSQL + a Chroma server), in real `engram` processes:

- the ingest state lives in the shared database: a second machine (another ENGRAM_HOME)
  ingesting the same documents finds them done (it was a SQLite file under each home);
- a consolidation that fails after an RLM run (the Chroma server stopped meanwhile) no longer
  loses the paid-for answer: it is printed, `engram status` lists the pending consolidation,
  and the next process that opens the memory stores it.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest

from bench.scripted_endpoint import ScriptedEndpoint
from storage.chroma_server import ChromaServer
from tests.agent.cli_procs import engram
from tests.storage.shared_fixtures import chroma_server_url, fresh_pg_url  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_two_machines_share_the_ingest_state(
    fresh_pg_url: str,  # noqa: F811
    chroma_server_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        (docs / f"2025-10-0{i + 1}-standup.md").write_text(f"# Standup {i}\n\nTicket {i} done.\n")
    env = {"ENGRAM_DATABASE_URL": fresh_pg_url, "ENGRAM_CHROMA_URL": chroma_server_url}
    first = engram(tmp_path / "machine-a", "ingest", str(docs), "--json", **env)
    assert first.returncode == 0, first.stderr[-3000:]
    assert json.loads(first.stdout)["ingested"] == 3
    second = engram(tmp_path / "machine-b", "ingest", str(docs), "--json", **env)
    assert second.returncode == 0, second.stderr[-3000:]
    d = json.loads(second.stdout)
    assert (d["ingested"], d["already_done"]) == (0, 3)


def _root_model(server: ChromaServer) -> Any:
    """The RLM's root model: stops the vector server while it "thinks", then answers."""

    def reply(request: dict[str, Any]) -> str:
        server.stop()
        return ("```repl\nnote_finding('Deploy 42 was blocked by migration 0031 timing out')\n"
                "FINAL('deploy 42 blocked: migration 0031 timed out')\n```")  # fmt: skip

    return reply


def test_a_failed_consolidation_keeps_the_answer_until_the_next_process(
    fresh_pg_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    server = ChromaServer(Path(tempfile.mkdtemp(prefix="engram-chroma-outbox-")) / "data").start()
    home, log = tmp_path / "home", tmp_path / "deploy.log"
    log.write_text("deploy 41 ok\ndeploy 42 blocked: migration 0031 timed out\n")
    env = {"ENGRAM_DATABASE_URL": fresh_pg_url, "ENGRAM_CHROMA_URL": server.url}
    try:
        with ScriptedEndpoint(_root_model(server)) as ep:
            lm = {"OPENAI_BASE_URL": ep.base_url, "OPENAI_API_KEY": "k", "ENGRAM_ROOT_MODEL": "m"}
            out = engram(home, "ask", "what blocked deploy 42?", "--context", str(log), "--json",
                         **env, **lm)  # fmt: skip
        assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr[-3000:]
        turn = json.loads(out.stdout)
        assert (
            turn["route"] == "rlm"
            and turn["answer"] == "deploy 42 blocked: migration 0031 timed out"
        )
        assert (
            turn["consolidation"]["pending"] and "Chroma server" in turn["consolidation"]["error"]
        )
        server.start()
        status = engram(home, "status", "--json", **env)
        assert status.returncode == 0, status.stderr[-3000:]
        (pending,) = json.loads(status.stdout)["pending_consolidations"]
        assert pending["query"] == "what blocked deploy 42?"
        recall = engram(home, "recall", "what blocked deploy 42? migration 0031", "--json", **env)
        assert recall.returncode == 0, recall.stderr[-3000:]
        hits = json.loads(recall.stdout)["hits"]
        assert any(h["source"] == f"rlm:{pending['run_id']}" and "migration 0031" in h["text"]
                   for h in hits), hits  # fmt: skip
        after = json.loads(engram(home, "status", "--json", **env).stdout)
        assert after["pending_consolidations"] == []
    finally:
        server.stop()
