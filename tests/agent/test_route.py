"""Routing: obvious requests by rule without an LLM; the rest by the LLM; bad replies -> default."""

from __future__ import annotations

import pytest

from agent.nodes.route import (
    DEFAULT_ROUTE,
    parse_route_reply,
    route_by_rule,
    route_node,
    route_prompt,
)
from agent.state import AgentDeps, turn_input
from tests.agent.fakes_agent import FakeMemory
from tests.fakes import ScriptedLM


@pytest.mark.parametrize(
    ("text", "route", "rest"),
    [
        ("/rlm count the errors", "rlm", "count the errors"),
        ("/recall postgres decision", "recall", "postgres decision"),
        ("/remember the demo is Friday", "remember", "the demo is Friday"),
        ("remember: Alice Chen is tech lead", "remember", "Alice Chen is tech lead"),
        ("FYI, Alice Chen is now tech lead", "remember", "Alice Chen is now tech lead"),
        ("Note that the deploy moved to Monday", "remember", "the deploy moved to Monday"),
        ("Why did we choose PostgreSQL over MySQL?", "recall", None),
        ("What did we decide about the batch API?", "recall", None),
        ("When did Bob join the team?", "recall", None),
    ],
)
def test_obvious_requests_route_by_rule(text: str, route: str, rest: str | None) -> None:
    match = route_by_rule(text)
    assert match is not None and match.route == route
    assert match.text == (rest if rest is not None else text)


def test_size_and_attachments_route_to_rlm() -> None:
    assert route_by_rule("summarise", attachments=1).route == "rlm"  # type: ignore[union-attr]
    assert route_by_rule("x" * 50, threshold_chars=10).route == "rlm"  # type: ignore[union-attr]
    assert route_by_rule("sum", context_chars=11, threshold_chars=10).route == "rlm"  # type: ignore[union-attr]
    assert route_by_rule("what is a monad?") is None
    assert route_by_rule("remember:") is None  # a bare command word is not a statement


@pytest.mark.parametrize(
    ("reply", "route"),
    [
        ('{"route": "recall", "reason": "past"}', "recall"),
        ('Sure!\n```json\n{"route": "rlm", "reason": "big"}\n```', "rlm"),
        ("remember", "remember"),
        ('{"route": "delete_everything"}', None),
        ("I think you should chat maybe", None),
        ("{not json}", None),
    ],
)
def test_parse_route_reply(reply: str, route: str | None) -> None:
    decision = parse_route_reply(reply)
    assert (decision.route if decision else None) == route


def test_prompt_mentions_every_route_and_the_message() -> None:
    msgs = route_prompt("hello there", [{"role": "user", "content": "earlier"}])
    assert all(r in msgs[0]["content"] for r in ("recall", "remember", "rlm", "chat"))
    assert "hello there" in msgs[1]["content"] and "earlier" in msgs[1]["content"]


async def test_rule_routes_never_call_the_llm() -> None:
    lm = ScriptedLM([])  # would raise if called
    deps = AgentDeps(memory=FakeMemory(), lm=lm)
    out = await route_node(turn_input("FYI: the demo is Friday", thread_id="t"), deps)
    assert (out["route"], out["route_by"], out["input"]) == (
        "remember",
        "rule",
        "the demo is Friday",
    )
    assert lm.calls == []


async def test_llm_decides_the_rest() -> None:
    lm = ScriptedLM(['{"route": "recall", "reason": "asks about a past choice"}'])
    deps = AgentDeps(memory=FakeMemory(), lm=lm)
    out = await route_node(turn_input("postgres vs mysql back then?", thread_id="t"), deps)
    assert (out["route"], out["route_by"]) == ("recall", "llm")
    assert len(lm.calls) == 1 and out["turn"] == 1


async def test_bad_llm_reply_takes_the_safe_default(caplog: pytest.LogCaptureFixture) -> None:
    deps = AgentDeps(memory=FakeMemory(), lm=ScriptedLM(["route: banana"]))
    out = await route_node(turn_input("tell me a joke", thread_id="t"), deps)
    assert (out["route"], out["route_by"]) == (DEFAULT_ROUTE, "default")
    assert "not understood" in caplog.text


async def test_no_llm_takes_the_default() -> None:
    out = await route_node(turn_input("tell me a joke", thread_id="t"), AgentDeps(FakeMemory()))
    assert (out["route"], out["route_by"]) == (DEFAULT_ROUTE, "default")
