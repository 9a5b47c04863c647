"""The candidate rows recall scores: only the columns it reads, times decoded when read.

A recall loads several hundred candidate facts and reads most of them only for their episode,
span, kind, text and whether they are retired; it reads their times for the few it returns or
when a time filter asks. Loading whole ORM rows decoded every datetime and JSON column of every
candidate (the largest single cost of a recall at 10k facts, bench/RESULTS.md). Here the
datetime columns come back as the driver gives them (text on SQLite, datetimes on PostgreSQL)
and are decoded on first access; the JSON `supersession` note is read only for the hits an
explained recall returns (`supersession_notes`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, case, func, type_coerce
from sqlalchemy import select as sa_select
from sqlmodel import col

from storage.store import Store

__all__ = ["FactRow", "load_rows", "supersession_notes", "SPEAKER_WINDOW"]

SPEAKER_WINDOW = 300  # chars before a fact searched for its line's "Name: " opening
_CHUNK = 500  # ids per IN list (SQLite's bound-parameter limit is far above; keeps plans small)
_TIMES = ("occurred_start", "occurred_end", "mentioned_at", "recorded_at", "invalidated_at")


def _utc(value: Any) -> datetime | None:
    """A stored time as an aware UTC datetime: SQLite's text form or a driver's datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class FactRow:
    """One candidate fact with its episode's source, length and speaker window. Same attribute
    names as `storage.schema.Fact` for what recall reads; times decode on first access."""

    __slots__ = ("id", "episode_id", "text", "kind", "span_start", "span_end", "retired",
                 "episode_source", "episode_len", "window", "_raw", "_times")  # fmt: skip

    def __init__(self, row: Any) -> None:
        (self.id, self.episode_id, self.text, self.kind, self.span_start, self.span_end,
         t0, t1, t2, t3, t4, self.episode_source, self.episode_len, self.window) = row  # fmt: skip
        self._raw = (t0, t1, t2, t3, t4)
        self.retired = t4 is not None  # invalidated_at set: superseded or forgotten
        self._times: tuple[datetime | None, ...] | None = None

    def _time(self, i: int) -> datetime | None:
        if self._times is None:
            self._times = tuple(_utc(v) for v in self._raw)
        return self._times[i]

    @property
    def occurred_start(self) -> datetime | None:
        return self._time(0)

    @property
    def occurred_end(self) -> datetime | None:
        return self._time(1)

    @property
    def mentioned_at(self) -> datetime | None:
        return self._time(2)

    @property
    def recorded_at(self) -> datetime | None:
        return self._time(3)

    @property
    def invalidated_at(self) -> datetime | None:
        return self._time(4) if self.retired else None


def load_rows(store: Store, bank: str, ids: Iterable[str]) -> dict[str, FactRow]:
    """The bank's facts among `ids` with their episodes' source, length and the text window
    before each fact (for its speaker), in one indexed read per chunk of ids."""
    from storage.schema import Episode, Fact

    id_list = list(ids)
    out: dict[str, FactRow] = {}
    if not id_list:
        return out
    over = col(Fact.span_start) > SPEAKER_WINDOW  # 1-based start of the speaker window
    window_from = case((over, col(Fact.span_start) - SPEAKER_WINDOW + 1), else_=1)
    cols = [
        col(Fact.id),
        col(Fact.episode_id),
        col(Fact.text),
        col(Fact.kind),
        col(Fact.span_start),
        col(Fact.span_end),
        *(type_coerce(getattr(Fact, t), String).label(t) for t in _TIMES),
        col(Episode.source).label("episode_source"),
        func.length(Episode.text).label("episode_len"),
        func.substr(Episode.text, window_from, SPEAKER_WINDOW + 80).label("window"),
    ]
    with store.db.session() as s:
        for i in range(0, len(id_list), _CHUNK):
            stmt = (
                sa_select(*cols)
                .join(Episode, col(Episode.id) == col(Fact.episode_id))
                .where(col(Fact.bank) == bank, col(Fact.id).in_(id_list[i : i + _CHUNK]))
            )
            for row in s.connection().execute(stmt):
                out[row[0]] = FactRow(row)
    return out


def supersession_notes(store: Store, bank: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Why each of these retired facts was retired (`facts.supersession`), for explanations."""
    from storage.schema import Fact

    id_list = list(ids)
    if not id_list:
        return {}
    stmt = sa_select(col(Fact.id), type_coerce(Fact.supersession, String)).where(
        col(Fact.bank) == bank, col(Fact.id).in_(id_list)
    )
    with store.db.session() as s:
        raw = s.execute(stmt).all()
    out: dict[str, dict[str, Any]] = {}
    for fid, note in raw:
        if isinstance(note, str):
            note = json.loads(note)
        if note:
            out[fid] = note
    return out
