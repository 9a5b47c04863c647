"""`engram remember | recall | entity | beliefs | forget | merge | split`.

Data lives under ENGRAM_HOME (default ~/.engram); ENGRAM_DATABASE_URL switches the SQL store.
Dates (`--at`, `--as-of`, `--since`, `--until`) take ISO dates or phrases ("2 weeks ago").
Bad input gets a clear message on stderr, a non-zero exit, and changes nothing (errors are
reported by `agent.cli.errors`). The memory is built by the composition root, `agent.wiring`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from agent.cli.errors import EXIT_NOT_FOUND, CLIError

if TYPE_CHECKING:
    from memory.memory import Memory

__all__ = ["register"]

DEFAULT_BANK = "default"
T = TypeVar("T")


def register(sub: Any) -> None:
    p = sub.add_parser("remember", help="store a piece of text in memory")
    p.add_argument("text")
    p.add_argument("--at", help="when it was said (ISO date or phrase); default now")
    p.add_argument("--source", default="cli")
    _bank_json(p)
    p.set_defaults(func=cmd_remember)

    p = sub.add_parser("recall", help="hybrid search over memory")
    p.add_argument("query")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--as-of", dest="as_of", help="what was believed true at this date")
    p.add_argument("--now", help="ask as of this moment: time words in the query read against it")
    p.add_argument("--since")
    p.add_argument("--until")
    p.add_argument("--explain", action="store_true", help="say why each hit came back")
    _bank_json(p)
    p.set_defaults(func=cmd_recall)

    p = sub.add_parser("entity", help="an entity with its aliases and facts in time order")
    p.add_argument("name")
    _bank_json(p)
    p.set_defaults(func=cmd_entity)

    p = sub.add_parser("beliefs", help="beliefs with confidence and history")
    p.add_argument("topic", nargs="?")
    _bank_json(p)
    p.set_defaults(func=cmd_beliefs)

    p = sub.add_parser("forget", help="hard-delete facts and everything derived from them")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--source")
    g.add_argument("--entity")
    g.add_argument("--fact")
    g.add_argument("--all", action="store_true", help="everything in the bank")
    _bank_json(p)
    p.set_defaults(func=cmd_forget)

    p = sub.add_parser("merge", help="merge two entities (the first name is kept)")
    p.add_argument("names", nargs=2, metavar="NAME")
    _bank_json(p)
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("split", help="undo the last merge into an entity")
    p.add_argument("name")
    _bank_json(p)
    p.set_defaults(func=cmd_split)


def _bank_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--bank", default=DEFAULT_BANK)
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")


# ------------------------------------------------------------------ inputs


def _text(value: str, what: str) -> str:
    """Invalid UTF-8 in argv arrives as lone surrogates; clean_text refuses those, NUL bytes,
    binary-looking and empty text."""
    from memory.errors import InvalidInput
    from memory.retain import clean_text

    try:
        return clean_text(value)
    except InvalidInput as exc:
        raise CLIError(f"{what}: {exc}") from None


def _date(value: str | None, flag: str, now: datetime | None = None) -> datetime | None:
    """`value` as an aware datetime; a phrase ("2 weeks ago") reads against `now` (default:
    the clock)."""
    from memory.errors import InvalidDate
    from memory.retain import to_utc

    if value is None:
        return None
    try:
        return to_utc(value, now or datetime.now(UTC))
    except InvalidDate:
        raise CLIError(
            f"{flag}: cannot read the date {value!r}; try 2025-10-14 or '2 weeks ago'"
        ) from None


def _bank(value: str) -> str:
    from memory.retain import clean_bank

    return clean_bank(value)


# ------------------------------------------------------------------ memory


@contextmanager
def _memory() -> Iterator[Memory]:
    """The memory of ENGRAM_HOME (agent.wiring), closed when the command is done; with
    ENGRAM_URL, the facade's methods over that running `engram serve` instead."""
    from agent.cli.remote import remote_memory
    from agent.wiring import memory_from_env

    if (remote := remote_memory()) is not None:
        yield remote  # type: ignore[misc]  # RemoteMemory has the facade's async methods
        return
    with memory_from_env() as engram:
        yield engram.memory


def _sync(value: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(value)


def _plain(obj: Any) -> Any:
    from agent.repl_memory import jsonable

    return jsonable(obj)


def _emit(args: argparse.Namespace, doc: dict[str, Any], pretty: Callable[[Any], None]) -> int:
    if args.json:
        print(json.dumps(_plain(doc), ensure_ascii=False))
    else:
        from rich.console import Console

        pretty(Console())
    return 0


# ------------------------------------------------------------------ commands


def cmd_remember(args: argparse.Namespace) -> int:
    text, bank = _text(args.text, "text"), _bank(args.bank)
    at = _date(args.at, "--at") or datetime.now(UTC)
    with _memory() as mem:
        res = _sync(mem.aretain(text, mentioned_at=at, source=args.source, bank=bank))
    doc = _plain(res)

    def pretty(c: Any) -> None:
        state = "already known" if doc.get("noop") else f"{len(doc.get('fact_ids', []))} fact(s)"
        c.print(f"[green]remembered[/] ({state}) in bank [bold]{bank}[/]")
        for name in doc.get("entities", []):
            c.print(f"  entity: {name}")
        for why in doc.get("supersessions", []):
            c.print(f"  superseded: {why.get('text')} ({why.get('rule')}: "
                    f"{', '.join(why.get('cues', []))}; slot {why.get('slot')})")  # fmt: skip

    return _emit(args, doc, pretty)


def cmd_recall(args: argparse.Namespace) -> int:
    from memory.models import TimeRange

    query, bank = _text(args.query, "query"), _bank(args.bank)
    if args.k <= 0:
        raise CLIError("--k must be a positive number")
    now = _date(args.now, "--now")
    as_of = _date(args.as_of, "--as-of", now)
    since, until = _date(args.since, "--since", now), _date(args.until, "--until", now)
    tr = TimeRange(since, until) if since or until else None
    with _memory() as mem:
        hits = _sync(mem.arecall(query, bank=bank, k=args.k, time_range=tr, as_of=as_of,
                                 explain=args.explain, now=now))  # fmt: skip
    doc = {"hits": [h.to_dict() for h in hits]}
    return _emit(args, doc, lambda c: _print_hits(c, hits, args.explain))


def _print_hits(c: Any, hits: list[Any], explain: bool) -> None:
    from rich.table import Table

    if not hits:
        c.print("[yellow]nothing found[/]")
        return
    t = Table(show_lines=False)
    for col in ("#", "score", "when", "text", "source"):
        t.add_column(col)
    for i, h in enumerate(hits, 1):
        when = (h.when or h.mentioned_at).date().isoformat() if (h.when or h.mentioned_at) else ""
        text = h.text if not explain else f"{h.text}\n[dim]{'; '.join(_reasons(h))}[/]"
        t.add_row(str(i), f"{h.score:.3f}", when, text, h.source or "")
    c.print(t)


def _reasons(h: Any) -> list[str]:
    ex = h.metadata.get("explain", {})
    out = list(ex.get("reasons", []))
    why = ex.get("superseded")
    if why:
        out.append(f"superseded by {why.get('by_text')!r} ({why.get('rule')}: "
                   f"{', '.join(why.get('cues', []))}; slot {why.get('slot')})")  # fmt: skip
    return out


def cmd_entity(args: argparse.Namespace) -> int:
    name, bank = _text(args.name, "name"), _bank(args.bank)
    with _memory() as mem:
        ent = _sync(mem.aentity(name, bank=bank))
    if ent is None:
        raise CLIError(f"no entity called {name!r} in bank {bank!r}", EXIT_NOT_FOUND)
    doc = _plain(ent)

    def pretty(c: Any) -> None:
        if doc.get("status") == "ambiguous":
            c.print(f"[yellow]{doc['name']!r} is ambiguous[/]: could be "
                    f"{', '.join(doc.get('candidates', []))}")  # fmt: skip
            return
        c.print(f"[bold]{doc['name']}[/]  aliases: {', '.join(doc.get('aliases', [])) or '-'}")
        for f in doc.get("facts", []):
            c.print(f"  {(f.get('when') or f.get('mentioned_at') or '')[:10]}  {f['text']}")
            if f.get("metadata", {}).get("history"):
                c.print(f"    [dim]{f['metadata']['history']}[/]")

    return _emit(args, doc, pretty)


def cmd_beliefs(args: argparse.Namespace) -> int:
    bank = _bank(args.bank)
    topic = _text(args.topic, "topic") if args.topic is not None else None
    with _memory() as mem:
        beliefs = _sync(mem.abeliefs(topic, bank=bank))
    doc = {"beliefs": _plain(list(beliefs))}

    def pretty(c: Any) -> None:
        if not doc["beliefs"]:
            c.print("[yellow]no beliefs[/]")
        for b in doc["beliefs"]:
            c.print(
                f"[bold]{b['confidence']:.2f}[/]  {b['statement']}  ({len(b.get('history', []))} updates)"
            )

    return _emit(args, doc, pretty)


def cmd_forget(args: argparse.Namespace) -> int:
    bank = _bank(args.bank)
    if args.all:
        target: dict[str, Any] = {"everything": True}
    elif args.source is not None:
        target = {"source": _text(args.source, "--source")}
    elif args.entity is not None:
        target = {"entity": _text(args.entity, "--entity")}
    else:
        target = {"fact": _text(args.fact, "--fact")}
    with _memory() as mem:
        rep = _sync(mem.aforget(bank=bank, **target))
    doc = _plain(rep)
    return _emit(args, doc, lambda c: c.print(f"[red]forgotten[/] in bank {bank}: {doc}"))


def cmd_merge(args: argparse.Namespace) -> int:
    a, b = (_text(n, "name") for n in args.names)
    with _memory() as mem:
        res = _sync(mem.amerge(a, b, bank=_bank(args.bank)))
    doc = _plain(res)
    return _emit(args, doc, lambda c: c.print(f"[green]merged[/] {b!r} into {a!r}"))


def cmd_split(args: argparse.Namespace) -> int:
    name = _text(args.name, "name")
    with _memory() as mem:
        res = _sync(mem.asplit(name, bank=_bank(args.bank)))
    doc = _plain(res)
    return _emit(args, doc, lambda c: c.print(f"[green]split[/] {name!r}: {doc}"))
