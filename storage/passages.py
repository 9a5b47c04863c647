"""Dialogue context for the keyword index: the turn an episode follows.

A reply is about what was just said ("Yes, it was so powerful." answers "Did you go to the support
group?"), so a fact's keyword text also holds the tail of the *preceding* episode: the one
retained just before it in the same bank, the same thread (`Episode.thread`: one conversation,
one document) and with the same mention time (one session), in recording order. Two documents
of the same date are two threads: they never lend each other context. The order is stable under insertion
(a later episode is recorded later, so it sorts last), which is what lets `forget` find every
entry that quoted a forgotten episode: only its direct follower.

SQL only (portable: SQLite and PostgreSQL); the probes use the (bank, thread, mentioned_at,
recorded_at) index of migration 0015, so each lookup costs the same at any bank size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import bindparam, text
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.schema import Episode

__all__ = [
    "PRECEDING_CHARS",
    "tail",
    "preceding_text",
    "preceding_texts",
    "latest_tails",
    "following_episodes",
]

PRECEDING_CHARS = 300  # how much of the preceding turn a fact's keyword text carries


def tail(text: str, chars: int = PRECEDING_CHARS) -> str:
    """The last `chars` characters of `text`, snapped to a whole word."""
    text = text.strip()
    if len(text) <= chars:
        return text
    cut = text[-chars:]
    space = cut.find(" ")
    return cut[space + 1 :] if 0 <= space < len(cut) - 1 else cut


def preceding_text(
    s: Session, bank: str, mentioned_at: datetime | None, recorded_at: datetime, thread: str = ""
) -> str:
    """The tail of the episode of `thread` retained just before one recorded at `recorded_at`
    ("" if none)."""
    if mentioned_at is None:
        return ""
    q = (
        select(Episode.text)
        .where(
            Episode.bank == bank,
            Episode.thread == thread,
            Episode.mentioned_at == mentioned_at,
            col(Episode.recorded_at) < recorded_at,
        )
        .order_by(col(Episode.recorded_at).desc())
        .limit(1)
    )
    prev = s.exec(q).first()
    return tail(prev) if prev else ""


def latest_tails(
    s: Session, keys: Iterable[tuple[str, str, datetime]], per_query: int = 100
) -> dict[tuple[str, str, datetime], str]:
    """{(bank, thread, mention time): tail of the latest episode of that thread recorded with
    that mention time} for
    the keys that have one: what `preceding_text` answers for an episode recorded now, for a
    whole batch in a few statements (a UNION ALL of the same one-row index probes; written as
    SQL text because building a hundred ORM subqueries cost more than running them)."""
    out: dict[tuple[str, str, datetime], str] = {}
    todo = sorted(set(keys))
    when_type = Episode.__table__.c.mentioned_at.type  # type: ignore[attr-defined]
    for i in range(0, len(todo), per_query):
        part = todo[i : i + per_query]
        sql = " UNION ALL ".join(
            f"SELECT * FROM (SELECT {n} AS n, text FROM episodes"
            f" WHERE bank = :b{n} AND thread = :h{n} AND mentioned_at = :t{n}"
            f" ORDER BY recorded_at DESC LIMIT 1) AS p{n}"
            for n in range(len(part))
        )
        params: dict[str, object] = {}
        for n, (bank, thread, when) in enumerate(part):
            params[f"b{n}"], params[f"h{n}"], params[f"t{n}"] = bank, thread, when
        q = text(sql).bindparams(*(bindparam(f"t{n}", type_=when_type) for n in range(len(part))))
        for n, found in s.execute(q, params):  # type: ignore[call-overload]
            if found:
                out[part[n]] = tail(found)
    return out


def preceding_texts(s: Session, episode_ids: Iterable[str]) -> dict[str, str]:
    """{episode id: tail of its preceding episode} for episodes that have one."""
    out: dict[str, str] = {}
    ids = sorted(set(episode_ids))
    for i in range(0, len(ids), 500):
        q = sa_select(
            col(Episode.id),
            col(Episode.bank),
            col(Episode.mentioned_at),
            col(Episode.recorded_at),
            col(Episode.thread),
        ).where(col(Episode.id).in_(ids[i : i + 500]))
        for eid, bank, mentioned, recorded, thread in s.execute(q).all():
            before = preceding_text(s, bank, mentioned, recorded, thread or "")
            if before:
                out[eid] = before
    return out


def following_episodes(s: Session, bank: str, episode_ids: Sequence[str]) -> set[str]:
    """The episode retained right after each of `episode_ids` (same bank, thread and mention
    time): the
    ones whose keyword context quotes them. Call before the episodes are deleted."""
    out: set[str] = set()
    for eid in set(episode_ids):
        ep = s.get(Episode, eid)
        if ep is None or ep.mentioned_at is None:
            continue
        q = (
            select(Episode.id)
            .where(
                Episode.bank == bank,
                Episode.thread == (ep.thread or ""),
                Episode.mentioned_at == ep.mentioned_at,
                col(Episode.recorded_at) > ep.recorded_at,
            )
            .order_by(col(Episode.recorded_at))
            .limit(1)
        )
        nxt = s.exec(q).first()
        if nxt is not None:
            out.add(nxt)
    return out
