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


# commands whose module alone is imported when they are the one run: `engram rlm` starts the
# REPL worker and the model's client sooner without the other commands' imports (~70 ms)
COMMAND_FAST_PATH = {"rlm": "agent.cli.rlm_cmd", "trace": "agent.cli.rlm_cmd"}


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="engram", description="Recursive Language Models + persistent agent memory."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    first = next((a for a in argv or () if not a.startswith("-")), None)
    modules = [COMMAND_FAST_PATH[first]] if first in COMMAND_FAST_PATH else COMMAND_MODULES
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a command group not built yet
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
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
