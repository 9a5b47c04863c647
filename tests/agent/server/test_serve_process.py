"""A real `engram serve` subprocess on 127.0.0.1 (one for the module, with tokens): MCP over
streamable HTTP, the CLI through ENGRAM_URL (remember, recall, entity, beliefs, forget,
timeline, ask, ingest), two clients at once on one embedded memory, `engram mcp` finding the
server that owns the memory, and the FolderBusy message of a CLI that does not."""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from bench.scripted_endpoint import ScriptedEndpoint
from tests.agent.server.helpers import (
    ROOT,
    cli_env,
    engram_cmd,
    free_port,
    model_env,
    responder,
    run_cli,
    serving,
)

pytestmark = pytest.mark.slow


@dataclass
class Served:
    url: str
    home: Path
    files: Path
    token: str
    reader: str
    other: str

    def env(self, token: str | None = None, **extra: str) -> dict[str, str]:
        return cli_env(self.home, ENGRAM_URL=self.url, ENGRAM_TOKEN=token or self.token, **extra)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    home, files = tmp_path_factory.mktemp("serve_home"), tmp_path_factory.mktemp("served_files")
    (files / "big.log").write_text("hay\n" * 300 + "needle one\n" + "hay\n" * 300 + "needle two\n")
    tokens = []
    for args in (["--bank", "team"], ["--bank", "team", "--read-only"], ["--bank", "other"]):
        p = run_cli("token", "create", *args, "--label", "test", env=cli_env(home))
        assert p.returncode == 0, p.stderr
        tokens.append(p.stdout.strip().splitlines()[-1])
    port = free_port()
    with ScriptedEndpoint(responder, models=("root-m", "sub-m")) as ep:
        env = cli_env(home, **model_env(ep.base_url))
        serve = ["serve", "--port", str(port), "--allow-path", str(files)]
        with serving(serve, env, port) as url:
            yield Served(url, home, files, *tokens)
    assert not (home / "server.json").exists()


def _mcp(served: Served, token: str) -> Client:
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=60)
    return Client(streamable_http_client(f"{served.url}/mcp", http_client=http))


async def test_mcp_over_streamable_http(served: Served) -> None:
    async with _mcp(served, served.token) as c:
        tools = {t.name: t for t in (await c.list_tools()).tools}
        assert tools["recall"].annotations.read_only_hint is True
        assert tools["forget"].annotations.destructive_hint is True
        r = await c.call_tool("remember", {"text": "Priya Nair owns the Kafka migration.",
                                           "source": "mcp-http"})  # fmt: skip
        assert not r.is_error and r.structured_content["bank"] == "team"
        hits = (await c.call_tool("recall", {"query": "Kafka migration owner"})).structured_content
        assert hits["hits"][0]["source"] == "mcp-http"
        bad = await c.call_tool("remember", {"text": "x\x00y"})
        assert bad.is_error and "NUL" in bad.content[0].text
        other = await c.call_tool("recall", {"query": "Kafka", "bank": "other"})
        assert other.is_error and "bank 'team'" in other.content[0].text
        run = await c.call_tool("rlm", {"query": "how many needles?", "max_cost": 1.0,
                                        "path": str(served.files / "big.log")})  # fmt: skip
        assert not run.is_error, run.content
        doc = run.structured_content
        assert doc["answer"] == "2 needles" and doc["run_id"] and doc["trace"]
        assert doc["cost"] is not None and doc["usage"]["iterations"] == 2
        refused = await c.call_tool("rlm", {"query": "q", "path": "/etc/hostname"})
        assert refused.is_error and "allowed roots" in refused.content[0].text
        runs = (await c.call_tool("traces", {})).structured_content["traces"]
        assert doc["run_id"] in [t["run_id"] for t in runs] and runs[0]["bank"] == "team"
        tree = (await c.call_tool("trace", {"run_id": doc["run_id"]})).structured_content
        assert tree["tree"]["totals"]["calls"] >= 2 and "trace" not in tree  # the tree, no events
    async with _mcp(served, served.other) as c:  # another bank's token sees none of its runs
        assert (await c.call_tool("traces", {})).structured_content["traces"] == []
        hidden = await c.call_tool("trace", {"run_id": doc["run_id"]})
        assert hidden.is_error and "no trace" in hidden.content[0].text
    async with _mcp(served, served.reader) as c:
        r = await c.call_tool("remember", {"text": "a read-only write"})
        assert r.is_error and "read-only" in r.content[0].text
    assert httpx.post(f"{served.url}/mcp", json={}).status_code == 401


def test_cli_through_engram_url(served: Served, tmp_path: Path) -> None:
    env = served.env()
    p = run_cli("remember", "We use MySQL for the ledger.", "--at", "2025-09-01", "--source",
                "cli-1", "--bank", "team", "--json", env=env)  # fmt: skip
    assert p.returncode == 0, p.stderr
    old = json.loads(p.stdout)
    p = run_cli("remember", "We switched to PostgreSQL for the ledger.", "--at", "2025-10-14",
                "--source", "cli-2", "--bank", "team", "--json", env=env)  # fmt: skip
    new = json.loads(p.stdout)
    assert new["superseded"] == old["fact_ids"]
    p = run_cli("recall", "ledger database", "--bank", "team", "--json", env=env)
    assert json.loads(p.stdout)["hits"][0]["source"] == "cli-2"
    p = run_cli("recall", "ledger database", "--bank", "team", env=env)
    assert p.returncode == 0 and "PostgreSQL" in p.stdout
    p = run_cli("entity", "PostgreSQL", "--bank", "team", "--json", env=env)
    assert json.loads(p.stdout)["name"] == "PostgreSQL"
    p = run_cli("entity", "Nobody", "--bank", "team", env=env)
    assert p.returncode == 3 and "no entity" in p.stderr
    p = run_cli("beliefs", "--bank", "team", "--json", env=env)
    assert p.returncode == 0 and "beliefs" in json.loads(p.stdout)
    p = run_cli("timeline", "--topic", "ledger", "--bank", "team", "--json", env=env)
    events = {e["fact_id"]: e for e in json.loads(p.stdout)["events"]}
    assert events[old["fact_ids"][0]]["superseded_by"] == new["fact_ids"][0]
    assert events[new["fact_ids"][0]]["current"] is True
    p = run_cli("forget", "--source", "cli-1", "--bank", "team", "--json", env=env)
    assert p.returncode == 0 and json.loads(p.stdout)["forgotten"] == 1
    p = run_cli("remember", "sneaky", "--bank", "other", env=env)
    assert p.returncode == 2 and "bank 'team'" in p.stderr and "Traceback" not in p.stderr
    p = run_cli("remember", "ro write", "--bank", "team", env=served.env(served.reader))
    assert p.returncode == 2 and "read-only" in p.stderr
    p = run_cli("recall", "x", env=served.env("eng_00000000_" + "y" * 43))
    assert p.returncode == 2 and "unknown token" in p.stderr


def test_reingest_through_engram_url_uses_the_servers_ingest_state(
    served: Served, tmp_path: Path
) -> None:
    """The ingest state lives in the server's database: a re-run skips what is done, and an
    edited document replaces its old version (retained first, then the old one forgotten)."""
    docs = tmp_path / "notes"
    docs.mkdir()
    note = docs / "2025-11-03-standup.md"
    note.write_text("The vendor for the badge readers is Kestrel Systems.\n")
    env = served.env(ENGRAM_BANK="team")

    def ingest() -> dict:
        p = run_cli("ingest", str(docs), "--bank", "team", "--json", "--no-progress", env=env)
        assert p.returncode == 0, p.stderr
        return json.loads(p.stdout)

    assert ingest()["ingested"] == 1
    again = ingest()
    assert again["ingested"] == 0 and again["already_done"] == 1
    note.write_text("The vendor for the badge readers is Quillon Access.\n")
    assert ingest()["ingested"] == 1
    p = run_cli("recall", "badge readers vendor", "--bank", "team", "--json", env=env)
    texts = [h["text"] for h in json.loads(p.stdout)["hits"]]
    assert any("Quillon" in t for t in texts), texts
    assert not any("Kestrel" in t for t in texts), texts


def test_ingest_and_ask_through_engram_url(served: Served, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "2025-10-02-standup.md").write_text("Alice Chen moved the payments cron to 02:00.\n")
    (docs / "2025-10-09-standup.md").write_text("The payments cron failed twice this week.\n")
    env = served.env(ENGRAM_BANK="team")
    p = run_cli("ingest", str(docs), "--bank", "team", "--json", "--no-progress", env=env)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["ingested"] == 2
    p = run_cli("recall", "payments cron", "--bank", "team", "--json", env=env)
    sources = {h["source"] for h in json.loads(p.stdout)["hits"]}
    assert {
        f"doc:{(docs / n).resolve()}#L1-L1"
        for n in ("2025-10-02-standup.md", "2025-10-09-standup.md")
    } <= sources
    p = run_cli("ask", "who moved the payments cron last week?", "--json", env=env)
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert (
        doc["answer"] == "From memory: Alice Chen leads payments [1]." and doc["route"] == "recall"
    )
    p = run_cli("ask", "who moved the payments cron?", env=env)
    assert p.returncode == 0 and "path: recall" in p.stdout


async def test_two_clients_at_once_on_one_embedded_memory(served: Served) -> None:
    async def cli(i: int) -> subprocess.CompletedProcess:
        return await asyncio.to_thread(
            run_cli, "remember", f"Release {i} of the mobile app went out.", "--source",
            f"cli-{i}", "--bank", "team", env=served.env())  # fmt: skip

    async def mcp() -> list[bool]:
        async with _mcp(served, served.token) as c:
            return [(await c.call_tool("remember", {"text": f"Hotfix {i} for the mobile app.",
                                                    "source": f"mcp-{i}"})).is_error
                    for i in range(3)]  # fmt: skip

    results = await asyncio.gather(cli(1), cli(2), mcp())
    assert all(p.returncode == 0 for p in results[:2]), [p.stderr for p in results[:2]]
    assert results[2] == [False, False, False]
    found = httpx.get(f"{served.url}/v1/banks/team/recall", params={"q": "mobile app", "k": 20},
                      headers={"Authorization": f"Bearer {served.token}"}).json()["hits"]  # fmt: skip
    assert {"cli-1", "cli-2", "mcp-0", "mcp-1", "mcp-2"} <= {h["source"] for h in found}

    alone = run_cli("recall", "mobile app", env=cli_env(served.home))
    assert alone.returncode == 4 and "Traceback" not in alone.stderr  # busy (agent.cli.errors)
    assert "ENGRAM_URL" in alone.stderr and "engram serve" in alone.stderr


async def test_engram_mcp_talks_to_the_server_that_owns_the_memory(served: Served) -> None:
    env = cli_env(served.home, ENGRAM_TOKEN=served.token)
    params = StdioServerParameters(command=engram_cmd()[0], args=[*engram_cmd()[1:], "mcp"],
                                   env=env, cwd=str(ROOT))  # fmt: skip
    async with Client(params) as c:
        r = await c.call_tool("remember", {"text": "Stdio reached the server.", "source": "stdio"})
        assert not r.is_error, r.content
    found = httpx.get(f"{served.url}/v1/banks/team/recall", params={"q": "stdio reached"},
                      headers={"Authorization": f"Bearer {served.token}"}).json()["hits"]  # fmt: skip
    assert found[0]["source"] == "stdio"


def test_local_mode_is_refused_off_loopback(tmp_path: Path) -> None:
    p = run_cli("serve", "--local", "--host", "0.0.0.0", env=cli_env(tmp_path))
    assert p.returncode == 2 and "loopback" in p.stderr


def test_token_list_and_revoke(served: Served) -> None:
    env = cli_env(served.home)
    listed = json.loads(run_cli("token", "list", "--json", env=env).stdout)["tokens"]
    assert {t["bank"] for t in listed} == {"team", "other"}
    assert all(served.token not in json.dumps(t) for t in listed)
    other_id = next(t["id"] for t in listed if t["bank"] == "other")
    assert run_cli("token", "revoke", other_id, env=env).returncode == 0
    r = httpx.get(f"{served.url}/v1/banks", headers={"Authorization": f"Bearer {served.other}"})
    assert r.status_code == 401 and "revoked" in r.json()["error"]["message"]
    p = run_cli("token", "revoke", "nope", env=env)
    assert p.returncode == 3 and "no token" in p.stderr


def test_a_server_with_tokens_shows_no_ui(served: Served) -> None:
    """The web UI is for `--local`: with tokens, / says so and the UI's pages need a token."""
    r = httpx.get(served.url + "/")
    assert r.status_code == 200 and "engram serve --local" in r.text
    assert httpx.get(served.url + "/entities").status_code == 401
