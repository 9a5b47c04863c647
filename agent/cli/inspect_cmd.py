"""`engram timeline (--entity NAME | --topic TEXT)` and `engram banks`: facts in time order with
their supersessions, and the banks a memory holds (`memory.browse`). With ENGRAM_URL set they
ask the running `engram serve`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

__all__ = ["register", "cmd_timeline", "cmd_banks"]


def register(sub: Any) -> None:
    p = sub.add_parser("timeline", help="an entity's or a topic's facts in time order")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--entity")
    g.add_argument("--topic")
    p.add_argument("--bank", default="default")
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.set_defaults(func=cmd_timeline)
    b = sub.add_parser("banks", help="the memory banks with their sizes")
    b.add_argument("--json", action="store_true", help="one JSON document on stdout")
    b.set_defaults(func=cmd_banks)


def _run(work: Any) -> tuple[int, Any]:
    """(0, the answer) from `work(ops)`, or (exit code, None) after one line on stderr."""
    from agent.cli.remote import server_client
    from agent.errors import AgentError
    from agent.server.errors import error_for
    from agent.server.ops import LocalOps
    from agent.wiring import from_env
    from storage.errors import StorageError

    engram = None
    try:
        ops: Any = server_client()
        if ops is None:
            engram = from_env()
            ops = LocalOps(engram)
        return 0, asyncio.run(work(ops))
    except (AgentError, StorageError, ValueError, LookupError) as exc:
        known = error_for(exc)
        print(f"engram: {known.message if known else exc}", file=sys.stderr)
        return (3 if known is not None and known.status == 404 else 2), None
    finally:
        if engram is not None:
            engram.close()


def cmd_timeline(args: argparse.Namespace) -> int:
    code, doc = _run(lambda ops: ops.timeline(args.bank, args.entity, args.topic))
    if code:
        return code
    if args.json:
        print(json.dumps(doc))
        return 0
    events = doc["events"]
    if not events:
        print("no facts", file=sys.stderr)
    for e in events:
        when = (e.get("when") or e.get("mentioned_at") or "")[:10]
        mark = "" if e["current"] else f"  (superseded {str(e.get('invalidated_at'))[:10]})"
        print(f"{when}  {e['text']}{mark}")
    return 0


def cmd_banks(args: argparse.Namespace) -> int:
    code, doc = _run(lambda ops: ops.banks())
    if code:
        return code
    if args.json:
        print(json.dumps(doc))
        return 0
    for b in doc["banks"]:
        print(f"{b['bank']}  {b['episodes']} episodes  {b['facts']} facts")
    return 0
