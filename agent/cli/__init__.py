"""The `engram` command line. Each command group lives in its own module and registers itself.

Every module in COMMAND_MODULES exposes `register(subparsers) -> None`, adding its subcommands
with `set_defaults(func=handler)`; a handler takes the parsed args and returns an exit code.
Errors go to stderr with a non-zero exit; `--json` output is one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import importlib
import sys

__all__ = ["main", "build_parser"]

COMMAND_MODULES = [
    "agent.cli.rlm_cmd",  # rlm, trace view
    "agent.cli.memory_cmd",  # remember, recall, entity, beliefs, forget, merge, split
    "agent.cli.agent_cmd",  # ask, chat
    "agent.cli.ingest_cmd",  # ingest
    "agent.cli.deploy_cmd",  # migrate (embedded -> shared deployment)
    "agent.cli.serve_cmd",  # serve (REST + MCP over HTTP)
    "agent.cli.mcp_cmd",  # mcp (MCP over stdio)
    "agent.cli.token_cmd",  # token create | list | revoke
    "agent.cli.inspect_cmd",  # timeline, banks
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="engram", description="Recursive Language Models + persistent agent memory."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a command group not built yet
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    from agent.server.errors import ServerError
    from storage.errors import StorageError

    try:
        return int(args.func(args) or 0)
    except (ServerError, StorageError) as exc:  # e.g. engram serve refused; FolderBusy
        print(f"engram: {exc}", file=sys.stderr)
        return 3 if getattr(exc, "status", 0) == 404 else 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
