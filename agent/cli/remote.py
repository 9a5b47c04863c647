"""The CLI as a client of a running `engram serve`: with ENGRAM_URL set (and ENGRAM_TOKEN),
`remember`, `recall`, `entity`, `beliefs`, `forget`, `merge`, `split`, `ingest`, `ask`,
`timeline`, `banks` and `engram mcp` go through it instead of opening the memory folder (which
the server owns). Each command module asks here once: `remote_memory()`, `remote_engram()` or
`server_client()` return None when no server is configured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from agent.client import EngramClient, RemoteIngestState, RemoteMemory

__all__ = ["server_client", "remote_memory", "remote_engram", "ask_via_server"]


def server_client() -> EngramClient | None:
    from agent.wiring import settings_from_env

    settings = settings_from_env()
    if not settings.server_url:
        return None
    return EngramClient(settings.server_url, settings.server_token)


def remote_memory() -> RemoteMemory | None:
    """The facade's methods over the server at ENGRAM_URL, or None."""
    client = server_client()
    return None if client is None else RemoteMemory(client)


def remote_engram() -> Any:
    """An `agent.wiring.Engram` whose memory and ingest state are the server's at ENGRAM_URL
    (no LLM of its own: the server has that), or None."""
    from agent.wiring import Engram, settings_from_env

    found = server_client()
    if found is None:
        return None
    client: EngramClient = found

    class RemoteEngram(Engram):
        def ingest_state(self) -> Any:
            return RemoteIngestState(client)

    return RemoteEngram(settings_from_env(), RemoteMemory(client), None, None, None)


def ask_via_server(args: argparse.Namespace, client: EngramClient,
                   now: datetime | None = None) -> int:  # fmt: skip
    """`engram ask` answered by the server's agent, printed as the local one prints."""
    from agent.cli.agent_cmd import format_turn
    from agent.graph import TurnResult
    from agent.wiring import settings_from_env

    bank = settings_from_env().bank
    paths = [str(Path(p).expanduser().resolve()) for p in args.context]
    when = now.isoformat() if now is not None else None
    doc = asyncio.run(client.ask(bank, " ".join(args.question), args.thread, paths, when))
    if args.json:
        print(json.dumps({k: v for k, v in doc.items() if k != "bank"}, default=str))
        return 0
    names = {f for f in TurnResult.__dataclass_fields__ if f != "thread_id"}
    turn = TurnResult(thread_id=doc.get("thread", args.thread),
                      **{k: v for k, v in doc.items() if k in names})  # fmt: skip
    print(format_turn(turn))
    return 0
