"""engram's MCP server through the SDK's in-memory client: tools with annotations and described
input schemas, remember -> recall, supersession and no-op remember, resources, errors as tool
errors (the server goes on), and bank scoping for a token's principal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from agent.server.auth import Principal
from agent.server.mcp_tools import TOOL_NAMES, build_mcp
from agent.server.ops import LocalOps
from agent.wiring import Engram, settings_from_env
from memory.memory import Memory
from storage.store import Store
from tests.fakes import HashEmbedder


@pytest.fixture(scope="module")
def engram(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engram]:
    home = tmp_path_factory.mktemp("mcp_home")
    memory = Memory(Store.open(home, embedder=HashEmbedder(64)))
    e = Engram(settings_from_env({"ENGRAM_HOME": str(home)}), memory, None, None, None)
    yield e
    e.close()


def connect(engram: Engram) -> Client:
    """A client over the server object (entered inside each test: anyio's task groups must be
    left in the task that entered them, which an async fixture's teardown is not)."""
    return Client(build_mcp(LocalOps(engram)))


def _doc(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    return result.structured_content


async def test_tools_are_listed_with_annotations_and_described_inputs(engram: Engram) -> None:
    async with connect(engram) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert set(tools) == set(TOOL_NAMES)
        for name in ("recall", "entity", "beliefs", "timeline"):
            assert tools[name].annotations.read_only_hint is True
        for name in ("forget", "merge", "split"):
            assert tools[name].annotations.destructive_hint is True
        remember = tools["remember"]
        assert remember.annotations.idempotent_hint is True
        assert remember.annotations.read_only_hint is False
        props = remember.input_schema["properties"]
        assert remember.input_schema["required"] == ["text"]
        assert all(props[p].get("description") for p in ("text", "when", "source", "bank"))
        assert tools["rlm"].input_schema["required"] == ["query", "path"]
        assert tools["recall"].input_schema["properties"]["k"]["maximum"] == 100


async def test_remember_then_recall_with_supersession(engram: Engram) -> None:
    async with connect(engram) as client:
        old = _doc(await client.call_tool("remember", {"text": "We use MySQL for billing.",
                                                       "when": "2025-09-01", "source": "s1"}))  # fmt: skip
        new = _doc(await client.call_tool("remember", {"text": "We switched to PostgreSQL for "
                                                       "billing.", "when": "2025-10-14",
                                                       "source": "s2"}))  # fmt: skip
        assert new["superseded"] == old["fact_ids"] and new["warnings"] == []
        again = _doc(await client.call_tool("remember", {"text": "We switched to PostgreSQL for "
                                                         "billing.", "source": "s2"}))  # fmt: skip
        assert again["noop"] is True and again["episode_id"] == new["episode_id"]
        hits = _doc(await client.call_tool("recall", {"query": "billing database", "k": 3}))["hits"]
        assert hits[0]["source"] == "s2" and hits[0]["fact_id"] == new["fact_ids"][0]
        assert {"when", "mentioned_at", "episode_id", "channels"} <= set(hits[0])
        tl = _doc(await client.call_tool("timeline", {"topic": "billing"}))["events"]
        assert [e["current"] for e in tl if e["fact_id"] in old["fact_ids"] + new["fact_ids"]] == [
            False, True]  # fmt: skip


async def test_entity_beliefs_forget_merge_split(engram: Engram) -> None:
    async with connect(engram) as client:
        await client.call_tool("remember", {"text": "Alice Chen is the tech lead of Atlas.",
                                            "source": "org"})  # fmt: skip
        ent = _doc(await client.call_tool("entity", {"name": "Alice Chen"}))
        assert ent["name"] == "Alice Chen" and ent["facts"]
        await client.call_tool("remember", {"text": "I think the batch API is the right next "
                                            "feature.", "source": "retro"})  # fmt: skip
        beliefs = _doc(await client.call_tool("beliefs", {"topic": "batch API"}))["beliefs"]
        assert beliefs and 0 < beliefs[0]["confidence"] < 1
        await client.call_tool("remember", {"text": "Bob Stone owns the deploy scripts.",
                                            "source": "org2"})  # fmt: skip
        assert _doc(await client.call_tool("merge", {"keep": "Alice Chen", "merge": "Bob Stone"}))
        assert _doc(await client.call_tool("split", {"name": "Bob Stone"}))
        gone = _doc(await client.call_tool("forget", {"source": "org2"}))
        assert gone["forgotten"] == 1


async def test_errors_are_tool_errors_and_the_server_goes_on(engram: Engram) -> None:
    async with connect(engram) as client:
        for name, args, words in [
            ("remember", {"text": "bin\x00ary"}, "NUL"),
            ("remember", {"text": "ok", "when": "the day after never"}, "date"),
            ("entity", {"name": "Nobody Here"}, "no entity"),
            ("forget", {"source": "never-seen"}, "no source"),
            ("forget", {}, "exactly one"),
            ("timeline", {}, "exactly one"),
            ("merge", {"keep": "Ghost", "merge": "Other"}, "no entity"),
            ("recall", {"query": "x", "k": 0}, "k"),
            ("rlm", {"query": "q", "path": "/etc/passwd"}, "LLM endpoint"),
            ("remember", {}, "text"),
        ]:
            r = await client.call_tool(name, args)
            assert r.is_error, (name, args)
            assert words in r.content[0].text, r.content[0].text
        assert _doc(await client.call_tool("recall", {"query": "billing"}))["hits"]


async def test_resources_banks_and_entities(engram: Engram) -> None:
    async with connect(engram) as client:
        await client.call_tool("remember", {"text": "Dana Ortiz runs the support desk.",
                                            "bank": "support"})  # fmt: skip
        uris = {str(r.uri) for r in (await client.list_resources()).resources}
        assert "engram://banks" in uris
        templates = (await client.list_resource_templates()).resource_templates
        assert [t.uri_template for t in templates] == ["engram://{bank}/entities/{name}"]
        banks = json.loads((await client.read_resource("engram://banks")).contents[0].text)
        assert {"default", "support"} <= {b["bank"] for b in banks["banks"]}
        ent = await client.read_resource("engram://support/entities/Dana%20Ortiz")
        assert json.loads(ent.contents[0].text)["name"] == "Dana Ortiz"


async def test_a_token_principal_is_held_to_its_bank(engram: Engram, tmp_path: Path) -> None:
    reader = Principal("t1", "support", read_only=True)
    async with Client(build_mcp(LocalOps(engram), default_principal=reader)) as c:
        hits = await c.call_tool("recall", {"query": "support desk"})
        assert not hits.is_error and _doc(hits)["hits"]
        for name, args in [("recall", {"query": "billing", "bank": "default"}),
                           ("remember", {"text": "sneaky write"}),
                           ("forget", {"source": "org"})]:  # fmt: skip
            r = await c.call_tool(name, args)
            assert r.is_error and ("bank 'support'" in r.content[0].text
                                   or "read-only" in r.content[0].text)  # fmt: skip
        banks = json.loads((await c.read_resource("engram://banks")).contents[0].text)
        assert [b["bank"] for b in banks["banks"]] == ["support"]
