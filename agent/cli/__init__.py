"""The `engram` command line. Each command group lives in its own module and registers itself.

Every module in COMMAND_MODULES exposes `register(subparsers) -> None`, adding its subcommands
with `set_defaults(func=handler)`; a handler takes the parsed args and returns an exit code.
Handlers let errors propagate: `main` maps them to one line on stderr and a documented exit code
(`agent.cli.errors`; a traceback only for a bug, only with `--debug`). `--json` output is one
JSON document on stdout.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from agent.cli.errors import EXIT_BAD_INPUT, report

__all__ = ["main", "build_parser"]

COMMAND_MODULES = [
    "agent.cli.rlm_cmd",  # rlm, trace view
    "agent.cli.memory_cmd",  # remember, recall, entity, beliefs, forget, merge, split
    "agent.cli.agent_cmd",  # ask, chat
    "agent.cli.ingest_cmd",  # ingest
    "agent.cli.deploy_cmd",  # migrate (embedded -> shared deployment)
    "agent.cli.status_cmd",  # status
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="engram", description="Recursive Language Models + persistent agent memory."
    )
    parser.add_argument("--debug", action="store_true", help="print the traceback of a bug")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for command in sub.choices.values():  # `engram recall --debug ...` works too
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                             help=argparse.SUPPRESS)  # fmt: skip
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None or not hasattr(args, "func"):
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return int(args.func(args) or 0)
    except (Exception, KeyboardInterrupt) as exc:
        return report(exc, debug=args.debug)


if __name__ == "__main__":
    raise SystemExit(main())
