"""A real `engram mcp` subprocess over stdio (it opens its own memory): tools with annotations,
remember -> recall, a tool error that leaves the server running, resources, and rlm refusing
a file outside the folders it may read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from bench.scripted_endpoint import ScriptedEndpoint
from tests.agent.server.helpers import ROOT, cli_env, engram_cmd, model_env, responder

pytestmark = pytest.mark.slow


async def test_engram_mcp_over_stdio(tmp_path: Path) -> None:
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (allowed / "big.log").write_text(
        "hay\n" * 100 + "needle one\n" + "hay\n" * 100 + "needle two\n"
    )
    cmd = engram_cmd()
    with ScriptedEndpoint(responder, models=("root-m", "sub-m")) as ep:
        env = cli_env(tmp_path / "home", **model_env(ep.base_url))
        params = StdioServerParameters(command=cmd[0], args=[*cmd[1:], "mcp", "--allow-path",
                                       str(allowed)], env=env, cwd=str(ROOT))  # fmt: skip
        await _session(params, allowed, tmp_path)
    assert not (tmp_path / "home" / "server.json").exists()


async def _session(params: StdioServerParameters, allowed: Path, tmp_path: Path) -> None:
    async with Client(params) as c:
        tools = {t.name: t for t in (await c.list_tools()).tools}
        assert tools["entity"].annotations.read_only_hint is True
        assert tools["split"].annotations.destructive_hint is True
        assert tools["remember"].annotations.idempotent_hint is True
        r = await c.call_tool("remember", {"text": "Lena Fischer approved the Q3 budget.",
                                           "when": "2025-07-02", "source": "minutes"})  # fmt: skip
        assert not r.is_error, r.content
        hits = await c.call_tool("recall", {"query": "who approved the budget"})
        assert hits.structured_content["hits"][0]["source"] == "minutes"
        bad = await c.call_tool("entity", {"name": "Nobody"})
        assert bad.is_error and "no entity" in bad.content[0].text
        run = await c.call_tool("rlm", {"query": "how many needles?",
                                        "path": str(allowed / "big.log")})  # fmt: skip
        assert not run.is_error and run.structured_content["answer"] == "2 needles"
        outside = await c.call_tool("rlm", {"query": "q", "path": str(tmp_path / "x.txt")})
        assert outside.is_error and "allowed roots" in outside.content[0].text
        banks = json.loads((await c.read_resource("engram://banks")).contents[0].text)
        assert banks["banks"][0]["bank"] == "default"
        ent = await c.read_resource("engram://default/entities/Lena%20Fischer")
        assert json.loads(ent.contents[0].text)["facts"][0]["source"] == "minutes"
