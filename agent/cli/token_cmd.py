"""`engram token create | list | revoke`: bearer tokens of `engram serve`, one bank each.

Tokens live (hashed) in the memory's SQL store, so they can be made and revoked while the
server runs; `create` prints the new token as the last line of stdout, once.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

__all__ = ["register", "token_store"]


def register(sub: Any) -> None:
    p = sub.add_parser("token", help="bearer tokens of engram serve (create, list, revoke)")
    tsub = p.add_subparsers(dest="token_command", metavar="ACTION")
    c = tsub.add_parser("create", help="a new token for one bank (printed once, last line)")
    c.add_argument("--bank", required=True, help="the only bank the token can reach")
    c.add_argument("--read-only", action="store_true", help="reads only: no remember/forget/...")
    c.add_argument("--label", default="", help="a note saying who or what it is for")
    c.set_defaults(func=cmd_create)
    ls = tsub.add_parser("list", help="tokens (their ids, never the secrets)")
    ls.add_argument("--all", action="store_true", help="revoked ones too")
    ls.add_argument("--json", action="store_true", help="one JSON document on stdout")
    ls.set_defaults(func=cmd_list)
    r = tsub.add_parser("revoke", help="revoke a token by id (takes effect at once)")
    r.add_argument("id")
    r.set_defaults(func=cmd_revoke)
    p.set_defaults(func=lambda a: (p.print_help(sys.stderr), 2)[1])


def token_store() -> Any:
    """The TokenStore of ENGRAM_HOME's SQL store (or ENGRAM_DATABASE_URL): no vector folder is
    opened, so this works while `engram serve` owns the memory."""
    from agent.server.auth import TokenStore
    from agent.wiring import settings_from_env
    from storage.db import Database, sqlite_url

    settings = settings_from_env()
    settings.home.mkdir(parents=True, exist_ok=True)
    return TokenStore(Database(settings.database_url or sqlite_url(settings.home / "engram.db")))


def _guarded(fn: Any) -> int:
    from agent.server.errors import ServerError

    try:
        return int(fn())
    except ServerError as exc:
        print(f"engram token: {exc}", file=sys.stderr)
        return 3 if exc.status == 404 else 2


def cmd_create(args: argparse.Namespace) -> int:
    def run() -> int:
        token, row = token_store().create(args.bank, read_only=args.read_only, label=args.label)
        mode = "read-only" if row.read_only else "read-write"
        print(f"token {row.id} for bank {row.bank!r} ({mode}); shown once, keep it:",
              file=sys.stderr)  # fmt: skip
        print(token)
        return 0

    return _guarded(run)


def cmd_list(args: argparse.Namespace) -> int:
    rows = token_store().list(include_revoked=args.all)
    if args.json:
        print(json.dumps({"tokens": rows}))
        return 0
    if not rows:
        print("no tokens (create one with `engram token create --bank NAME`)", file=sys.stderr)
    for r in rows:
        state = f"revoked {r['revoked_at'][:10]}" if r["revoked_at"] else "active"
        mode = "read-only" if r["read_only"] else "read-write"
        print(f"{r['id']}  {r['bank']}  {mode}  {state}  {r['created_at'][:10]}  {r['label']}")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    def run() -> int:
        done = token_store().revoke(args.id)
        print(f"revoked token {done['id']} (bank {done['bank']!r})", file=sys.stderr)
        return 0

    return _guarded(run)
