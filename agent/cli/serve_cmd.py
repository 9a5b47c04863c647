"""`engram serve`: one process that owns the memory and serves REST (/v1), MCP over streamable
HTTP (/mcp) and /health, with bank-scoped bearer tokens (`engram token create`).

`--local` drops auth, for one person on their own machine, and serves the web UI at /
(agent.server.ui); it is refused unless the host is a loopback address. `--allow-path DIR` lets rlm and ask read files under
DIR (none by default).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["register", "cmd_serve", "run_limits", "add_run_options"]


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="serve the memory over REST, MCP (streamable HTTP) and, "
                       "with --local, a web UI")  # fmt: skip
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--local", action="store_true",
                   help="no tokens, and the web UI at /: for one person on this machine "
                   "(loopback hosts only)")  # fmt: skip
    add_run_options(p)
    p.add_argument("--max-body", type=int, default=4 * 1024 * 1024, metavar="BYTES",
                   help="largest request body")  # fmt: skip
    p.add_argument("--max-in-flight", type=int, default=16, metavar="N",
                   help="requests one token may have running at once")  # fmt: skip
    p.set_defaults(func=cmd_serve)


def add_run_options(p: argparse.ArgumentParser) -> None:
    """Options shared with `engram mcp`: what rlm/ask may read, and how long they may run."""
    p.add_argument("--allow-path", action="append", default=[], metavar="DIR",
                   help="rlm and ask may read files under DIR (repeatable)")  # fmt: skip
    p.add_argument("--ask-timeout", type=float, default=120.0, metavar="S")
    p.add_argument("--rlm-timeout", type=float, default=600.0, metavar="S")


def run_limits(args: argparse.Namespace, default_roots: list[Path] | None = None) -> Any:
    from agent.server.runs import RunLimits

    roots = [Path(d) for d in args.allow_path] or list(default_roots or [])
    return RunLimits(ask_timeout=args.ask_timeout, rlm_timeout=args.rlm_timeout,
                     allowed_roots=roots)  # fmt: skip


def _fail(message: str) -> int:
    print(f"engram serve: {message}", file=sys.stderr)
    return 2


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from agent.errors import AgentError
    from agent.server.app import ServerConfig, create_app, is_loopback
    from agent.server.auth import TokenStore
    from agent.server.ops import LocalOps
    from agent.server.ui import notice_router, ui_router
    from agent.wiring import from_env
    from storage.errors import StorageError

    if args.local and not is_loopback(args.host):
        return _fail(f"--local (no auth) is refused on {args.host}: it is only for a loopback "
                     "host (127.0.0.1, ::1, localhost); create tokens instead")  # fmt: skip
    if args.max_body < 1 or args.max_in_flight < 1:
        return _fail("--max-body and --max-in-flight must be positive")
    try:
        engram = from_env()
    except (AgentError, StorageError) as exc:
        return _fail(str(exc))
    tokens = None if args.local else TokenStore(engram.memory.store.db)
    config = ServerConfig(host=args.host, port=args.port, max_body=args.max_body,
                          max_in_flight=args.max_in_flight, home=engram.settings.home)  # fmt: skip
    ops = LocalOps(engram, run_limits(args))
    ui, public = (ui_router(ops), []) if tokens is None else (notice_router(), ["/"])
    app = create_app(ops, tokens=tokens, config=config, ui=ui, public_paths=public,
                     on_shutdown=engram.close)  # fmt: skip
    mode = "no auth (--local), web UI at /" if tokens is None else "bearer tokens"
    if tokens is not None and not tokens.list():
        print("engram serve: no tokens yet; create one with `engram token create --bank NAME`",
              file=sys.stderr)  # fmt: skip
    print(f"engram serve: {config.url} ({mode}); REST /v1, MCP /mcp, health /health",
          file=sys.stderr, flush=True)  # fmt: skip
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
