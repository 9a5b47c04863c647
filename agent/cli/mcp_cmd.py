"""`engram mcp`: engram's MCP server over stdio, for coding agents and assistants.

It opens the memory of ENGRAM_HOME itself, unless ENGRAM_URL names a running `engram serve`
or that server already owns the memory (it says so in ENGRAM_HOME/server.json): then every
tool call goes to the server (with ENGRAM_TOKEN). `--allow-path DIR` lets rlm and ask read
files under DIR (default: the current folder).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from pathlib import Path
from typing import Any

from agent.cli.serve_cmd import add_run_options, run_limits

__all__ = ["register", "cmd_mcp", "open_ops"]


def register(sub: Any) -> None:
    p = sub.add_parser("mcp", help="engram's MCP server over stdio (for coding agents)")
    add_run_options(p)
    p.set_defaults(func=cmd_mcp)


def _say(message: str) -> None:
    print(f"engram mcp: {message}", file=sys.stderr, flush=True)


def _remote(url: str, token: str | None) -> tuple[Any, Any, Any]:
    """A client of the server at `url`, acting as the token it holds (its bank by default)."""
    from agent.client import EngramClient
    from agent.server.auth import Principal

    client = EngramClient(url, token)
    who = asyncio.run(client.whoami())
    return client, None, Principal(who["id"], who["bank"], bool(who["read_only"]))


def open_ops(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """(ops, engram to close or None, principal): a client of engram serve (as its token), or
    LocalOps on ENGRAM_HOME (as the local user)."""
    from agent.server.app import read_discovery
    from agent.server.auth import LOCAL
    from agent.server.ops import LocalOps
    from agent.wiring import from_env, settings_from_env
    from storage.errors import FolderBusy

    settings = settings_from_env()
    if settings.server_url:
        _say(f"using engram serve at {settings.server_url} (ENGRAM_URL)")
        return _remote(settings.server_url, settings.server_token)
    try:
        with contextlib.redirect_stdout(sys.stderr):  # stdout carries the protocol
            engram = from_env()
    except FolderBusy:
        found = read_discovery(settings.home)
        if found is None:
            raise
        _say(f"the memory is owned by engram serve at {found['url']}; talking to it")
        return _remote(found["url"], settings.server_token)
    return LocalOps(engram, run_limits(args, [Path.cwd()])), engram, LOCAL


def cmd_mcp(args: argparse.Namespace) -> int:
    from agent.errors import AgentError
    from agent.server.mcp_tools import build_mcp
    from storage.errors import StorageError

    try:
        ops, engram, who = open_ops(args)
    except (AgentError, StorageError) as exc:
        _say(str(exc))
        return 2
    try:
        asyncio.run(build_mcp(ops, default_principal=who).run_stdio_async())
    finally:
        if engram is not None:
            engram.close()
    return 0
