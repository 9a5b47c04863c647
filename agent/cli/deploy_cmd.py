"""`engram migrate --to URL [--chroma-url URL] [--merge | --force] [--json]`: move the embedded
memory under ENGRAM_HOME (SQLite + Chroma folder) into a shared deployment (PostgreSQL, and a
Chroma server with --chroma-url), then verify row and index counts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Literal

from agent.cli.errors import EXIT_BAD_INPUT

__all__ = ["register", "cmd_migrate"]


def register(sub: Any) -> None:
    p = sub.add_parser("migrate", help="copy the embedded memory into a shared deployment")
    p.add_argument("--to", required=True, metavar="URL", help="target SQL URL (postgresql://…)")
    p.add_argument("--chroma-url", metavar="URL", help="target Chroma server (http://host:port)")
    p.add_argument("--home", help="source ENGRAM_HOME (default: $ENGRAM_HOME or ~/.engram)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--merge", action="store_true", help="add to a target that holds other rows")
    g.add_argument("--force", action="store_true", help="like --merge, overwriting same ids")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_migrate)


def cmd_migrate(args: argparse.Namespace) -> int:
    from agent.wiring import build_embedder, settings_from_env
    from storage.migrate import migrate_store
    from storage.store import Store

    settings = settings_from_env()
    home = Path(args.home).expanduser() if args.home else settings.home
    if not (home / "engram.db").exists():
        print(f"engram: no embedded memory at {home / 'engram.db'}", file=sys.stderr)
        return EXIT_BAD_INPUT
    mode: Literal["fresh", "merge", "force"] = (
        "force" if args.force else "merge" if args.merge else "fresh"
    )
    source = target = None
    try:
        source = Store.open(home, embedder=build_embedder(settings))
        target = Store.open(home, args.to, source.embedder, chroma_url=args.chroma_url,
                            reconcile=False)  # fmt: skip
        report = migrate_store(source, target, mode=mode)
    finally:
        for store in (target, source):
            if store is not None:
                store.close()
    _print(report.to_dict(), args.json)
    return 0


def _print(report: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(report, sort_keys=True))
        return
    state = "already migrated; verified" if report["already_done"] else "migrated and verified"
    print(f"{state} ({report['mode']})")
    for name, c in report["tables"].items():
        print(
            f"  {name:18} source {c['source']:>8}  target {c['target']:>8}  copied {c['copied']:>8}"
        )
    for bank, c in report["indexes"].items():
        print(f"  bank {bank}: sql {c['sql']}  keyword {c['keyword']}  vector {c['vector']}")
    print(f"  vectors copied {report['vectors_copied']}, embedded {report['vectors_embedded']}")
