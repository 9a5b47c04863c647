"""Routing: obvious requests by rule (no LLM), the rest by a small LLM prompt with a schema.

`route_by_rule` is a pure function; `route_prompt` builds the messages and `parse_route_reply`
reads the reply into `RouteDecision` (None when invalid, and the node then takes the safe
default route, logging why).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from agent.state import ROUTES, AgentDeps, AgentState, Route
from rlm.errors import LMError
from rlm.lm import Message

__all__ = [
    "DEFAULT_ROUTE",
    "OFFLINE_ROUTE",
    "RouteDecision",
    "RuleMatch",
    "route_by_rule",
    "route_prompt",
    "parse_route_reply",
    "route_node",
]

log = logging.getLogger(__name__)

DEFAULT_ROUTE: Route = "chat"  # chat-with-recall: never writes memory, never spends an RLM run
OFFLINE_ROUTE: Route = "recall"  # when the model is unreachable: what memory holds about it

_PREFIXES: dict[str, Route] = {
    "/rlm": "rlm",
    "/recall": "recall",
    "/remember": "remember",
    "/chat": "chat",
}
_REMEMBER = re.compile(
    r"^\s*(?:remember(?:\s+that)?\s*[:,]?|fyi\s*[:,]?|note(?:\s+that)?\s*[:,]?|for the record\s*[:,]?)\s*",
    re.IGNORECASE,
)
_PAST_QUESTION = re.compile(
    r"\b(?:why did (?:we|they|you|i)|what did (?:we|they|i) (?:decide|choose|pick|agree|say)|"
    r"when did|who decided|what was (?:decided|the decision)|how did (?:we|our) .{0,40}change|"
    r"what happened (?:before|after|when|with|to|in|on|last)|do you remember|did we (?:decide|agree))\b",
    re.IGNORECASE,
)


class RouteDecision(BaseModel):
    """What the router LLM must answer: one route and a short reason."""

    route: Route
    reason: str = ""


@dataclass
class RuleMatch:
    route: Route
    reason: str
    text: str  # the input with any command prefix removed


def route_by_rule(
    text: str, *, attachments: int = 0, context_chars: int = 0, threshold_chars: int = 20_000
) -> RuleMatch | None:
    """Route the obvious cases without an LLM; None when the LLM must decide."""
    stripped = text.strip()
    head, _, rest = stripped.partition(" ")
    if head.lower() in _PREFIXES:
        return RuleMatch(_PREFIXES[head.lower()], f"explicit {head.lower()} command", rest.strip())
    if attachments:
        return RuleMatch("rlm", f"{attachments} attached file(s)", stripped)
    if context_chars > threshold_chars or len(stripped) > threshold_chars:
        size = max(context_chars, len(stripped))
        return RuleMatch("rlm", f"input of {size} chars over {threshold_chars}", stripped)
    m = _REMEMBER.match(stripped)
    if m and m.end() < len(stripped):
        return RuleMatch("remember", "explicit remember/FYI/note", stripped[m.end() :].strip())
    if _PAST_QUESTION.search(stripped):
        return RuleMatch("recall", "question about the past", stripped)
    return None


def route_prompt(text: str, history: list[dict[str, str]] | None = None) -> list[Message]:
    """Messages asking the LM to pick a route; the reply must parse into `RouteDecision`."""
    system = (
        "You route a user's message to one path of an assistant with long-term memory.\n"
        "- recall: the user asks about something from the past (decisions, people, events, "
        "what was said) that memory may hold.\n"
        "- remember: the user states a fact or update that should be stored.\n"
        "- rlm: the user asks to analyse a large input (a file, a log, a repository).\n"
        "- chat: anything else (general conversation, questions answerable directly).\n"
        'Reply with JSON only: {"route": "recall|remember|rlm|chat", "reason": "<few words>"}'
    )
    recent = "".join(f"{m['role']}: {m['content'][:200]}\n" for m in (history or [])[-4:])
    user = (f"Recent conversation:\n{recent}\n" if recent else "") + f"Message:\n{text[:2000]}"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def parse_route_reply(reply: str) -> RouteDecision | None:
    """Read the LM's reply (JSON, possibly fenced or with prose around it); None if invalid."""
    match = re.search(r"\{.*\}", reply, re.DOTALL)
    if match:
        try:
            return RouteDecision.model_validate(json.loads(match.group(0)))
        except (json.JSONDecodeError, ValidationError):
            return None
    word = reply.strip().strip(".\"'`").lower()
    return RouteDecision(route=word, reason="bare route word") if word in ROUTES else None  # type: ignore[arg-type]


async def route_node(state: AgentState, deps: AgentDeps) -> dict[str, Any]:
    text = state.get("input", "")
    context = state.get("context") or ""
    rule = route_by_rule(
        text,
        attachments=len(state.get("attachments") or []),
        context_chars=len(context),
        threshold_chars=deps.settings.rlm_threshold_chars,
    )
    turn = int(state.get("turn") or 0) + 1
    if rule is not None:
        return _decided(turn, rule.route, rule.reason, "rule", input=rule.text)
    if deps.lm is None:
        return _decided(turn, DEFAULT_ROUTE, "no LLM configured to decide", "default")
    try:
        reply = await deps.lm.acomplete(route_prompt(text, state.get("history")), max_tokens=60)
    except LMError as exc:  # endpoint down or failing: answer from memory, say why
        log.warning("router LLM unreachable, answering from memory: %s", exc)
        return _decided(turn, OFFLINE_ROUTE, "the model was unreachable; answering from memory",
                        "default", lm_error=str(exc))  # fmt: skip
    decision = parse_route_reply(reply.text)
    if decision is None:
        log.warning("router LLM reply not understood, taking %r: %.200r", DEFAULT_ROUTE, reply.text)
        return _decided(turn, DEFAULT_ROUTE, "router reply invalid; safe default", "default")
    return _decided(turn, decision.route, decision.reason, "llm")


def _decided(turn: int, route: str, reason: str, by: str, **extra: Any) -> dict[str, Any]:
    event = {"node": "route", "route": route, "reason": reason, "by": by}
    return {
        "turn": turn,
        "route": route,
        "route_reason": reason,
        "route_by": by,
        "trace": [event],
        **extra,
    }
