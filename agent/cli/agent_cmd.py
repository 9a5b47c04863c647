"""`engram ask Q` (one turn through the agent) and `engram chat` (an interactive loop).

Both show which path answered (rlm, recall, remember, chat) and the sources used. `ask --json`
prints one document: {"answer", "route", "sources", "route_reason", "thread", "turn", ...}.
In chat, `@path` attaches a file to the turn; `/quit` (or end of input) leaves. A turn that
fails for an expected reason (an unreadable attachment, storage trouble) is reported and the
conversation goes on; an unreachable model degrades the turn to an answer from memory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from agent.cli.errors import CLIError, exit_code
from agent.errors import AttachmentError

if TYPE_CHECKING:
    from agent.graph import TurnResult

__all__ = ["register", "cmd_ask", "cmd_chat", "split_attachments", "format_turn"]

QUIT = {"/quit", "/exit", "/q"}
SHOWN_SOURCES = 16  # an answer cites at most about this many


def register(sub: Any) -> None:
    ask = sub.add_parser("ask", help="ask the agent one question (one turn)")
    ask.add_argument("question", nargs="+", help="the question or statement")
    ask.add_argument("--json", action="store_true", help="print one JSON document")
    ask.add_argument("--thread", default="default", help="conversation thread id")
    ask.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="PATH",
        help="attach a file (sent to the RLM); repeatable",
    )
    ask.add_argument("--now", help="ask as of this moment (ISO date or phrase): time words in "
                     "the question read against it")  # fmt: skip
    ask.set_defaults(func=cmd_ask)
    chat = sub.add_parser("chat", help="talk to the agent (reads stdin; /quit to leave)")
    chat.add_argument("--thread", default=None, help="resume this thread (default: a new one)")
    chat.set_defaults(func=cmd_chat)


def split_attachments(line: str) -> tuple[str, list[str]]:
    """Words `@path` naming existing files become attachments; the rest is the message."""
    words, paths = [], []
    for word in line.split():
        if word.startswith("@") and Path(word[1:]).expanduser().is_file():
            paths.append(str(Path(word[1:]).expanduser()))
        else:
            words.append(word)
    return " ".join(words), paths


def format_turn(turn: TurnResult) -> str:
    lines = [turn.answer, f"  -- path: {turn.route} ({turn.route_by}: {turn.route_reason})"]
    from agent.answer import source_line

    for i, s in enumerate(turn.sources[:SHOWN_SOURCES], 1):
        lines.append(f"  {source_line({'n': i, **s})}: {s.get('text', '')[:80]}")
    c = turn.consolidation
    if c and c.get("pending"):
        lines.append(f"  -- not consolidated into memory yet: {c['error']}")
    elif c:
        lines.append(f"  -- consolidated into memory: {c['retained']} new, {c['noop']} known")
    return "\n".join(lines)


def _turn_json(turn: TurnResult) -> dict[str, Any]:
    d = turn.to_dict()
    d["thread"] = d.pop("thread_id")
    return d


def cmd_ask(args: argparse.Namespace) -> int:
    from agent.cli.remote import ask_via_server, server_client
    from agent.wiring import from_env

    now = _now(args.now)
    if (client := server_client()) is not None:  # ENGRAM_URL: the server's agent answers
        return ask_via_server(args, client, now)

    for path in args.context:
        if not Path(path).is_file():
            raise AttachmentError(path)
    with from_env() as engram:
        turn = asyncio.run(_ask(engram, " ".join(args.question), args.thread, args.context, now))
    if args.json:
        print(json.dumps(_turn_json(turn), default=str))
    else:
        print(format_turn(turn))
    return 0


def _now(value: str | None) -> datetime | None:
    from memory.errors import InvalidDate
    from memory.retain import to_utc

    if value is None:
        return None
    try:
        return to_utc(value, datetime.now(UTC))
    except InvalidDate:
        raise CLIError(
            f"--now: cannot read the date {value!r}; try 2025-10-14 or '2 weeks ago'"
        ) from None


async def _ask(
    engram: Any, text: str, thread: str, paths: list[str], now: datetime | None = None
) -> TurnResult:
    from agent.graph import Agent

    async with Agent.open(engram.deps, engram.settings.checkpoint_path) as agent:
        return await agent.aask(text, thread_id=thread, attachments=paths, now=now)


def cmd_chat(args: argparse.Namespace) -> int:
    from agent.wiring import from_env

    with from_env() as engram:
        thread = args.thread or f"chat-{uuid.uuid4().hex[:8]}"
        print(f"engram chat - thread {thread} (resume with --thread {thread}); /quit to leave",
              file=sys.stderr)  # fmt: skip
        asyncio.run(_chat(engram, thread, sys.stdin, sys.stdout))
    return 0


async def _chat(engram: Any, thread: str, stdin: TextIO, out: TextIO) -> None:
    from agent.graph import Agent

    interactive = stdin.isatty()
    async with Agent.open(engram.deps, engram.settings.checkpoint_path) as agent:
        while True:
            if interactive:
                print("you> ", end="", file=out, flush=True)
            line = await asyncio.to_thread(stdin.readline)
            if not line or line.strip().lower() in QUIT:
                return
            text, paths = split_attachments(line.strip())
            if not text and not paths:
                continue
            try:
                turn = await agent.aask(text, thread_id=thread, attachments=paths)
            except Exception as exc:  # an expected failure ends the turn, not the conversation
                if exit_code(exc) is None:
                    raise
                print(f"engram: {exc}\n", file=out, flush=True)
                continue
            print(f"engram[{turn.route}]> {format_turn(turn)}\n", file=out, flush=True)
