"""The `engram` command line. Each command group lives in its own module and registers itself.

Every module in COMMAND_MODULES exposes `register(subparsers) -> None`, adding its subcommands
with `set_defaults(func=handler)`; a handler takes the parsed args and returns an exit code.
Handlers let errors propagate: `main` maps them to one line on stderr and a documented exit code
(`agent.cli.errors`; a traceback only for a bug, only with `--debug`). `--json` output is one
JSON document on stdout.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from pathlib import Path

from agent.cli.errors import EXIT_BAD_INPUT, report

__all__ = ["main", "build_parser", "resume_gc"]

_GC_PAUSED = [False]  # main() paused the cyclic GC for a fast-path command's start-up


def resume_gc() -> None:
    """End the start-up pause of the cyclic GC (if `main` made one): what was imported so far
    lives as long as the process, so it is frozen out of the GC's reach first."""
    if _GC_PAUSED[0]:
        _GC_PAUSED[0] = False
        gc.freeze()
        gc.enable()


COMMAND_MODULES = [
    "agent.cli.rlm_cmd",  # rlm, trace view
    "agent.cli.memory_cmd",  # remember, recall, entity, beliefs, forget, merge, split
    "agent.cli.agent_cmd",  # ask, chat
    "agent.cli.ingest_cmd",  # ingest
    "agent.cli.deploy_cmd",  # migrate (embedded -> shared deployment)
    "agent.cli.status_cmd",  # status
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
    parser.add_argument("--debug", action="store_true", help="print the traceback of a bug")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    first = next((a for a in argv or () if not a.startswith("-")), None)
    modules = [COMMAND_FAST_PATH[first]] if first in COMMAND_FAST_PATH else COMMAND_MODULES
    for name in modules:
        importlib.import_module(name).register(sub)
    for command in sub.choices.values():  # `engram recall --debug ...` works too
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                             help=argparse.SUPPRESS)  # fmt: skip
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    first = next((a for a in argv if not a.startswith("-")), None)
    if first == "rlm" and Path(sys.argv[0]).name == "engram" and gc.isenabled():
        # the `engram rlm` process (not a caller of main() in-process): its imports make ~300k
        # long-lived objects; collecting while they are made costs ~15 % of the start-up and
        # frees nothing. `cmd_rlm` freezes them and re-enables the GC before the run.
        gc.disable()
        _GC_PAUSED[0] = True
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if args.command is None or not hasattr(args, "func"):
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return int(args.func(args) or 0)
    except (Exception, KeyboardInterrupt) as exc:
        return report(exc, debug=args.debug)
    finally:
        resume_gc()  # whatever path the command took


if __name__ == "__main__":
    raise SystemExit(main())
