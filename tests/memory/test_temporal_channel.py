"""The temporal channel: occurred spans (else mention times) overlapping the range, found
through index range scans."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from memory.models import TimeRange
from memory.recall.channels import SPAN_WINDOW, temporal_channel
from storage.db import Database, sqlite_url
from storage.schema import Episode, Fact
from tests.memory.conftest import day


class _Store:
    def __init__(self, db: Database) -> None:
        self.db = db


def _fact(s, fid: str, bank: str, mentioned: str, start=None, end=None) -> None:  # type: ignore[no-untyped-def]
    ep = Episode(bank=bank, text=fid, content_hash=fid, mentioned_at=day(mentioned))
    s.add(ep)
    s.add(Fact(id=fid, bank=bank, episode_id=ep.id, text=fid, mentioned_at=day(mentioned),
               occurred_start=start, occurred_end=end))  # fmt: skip


def test_spans_and_mentions_overlapping_the_range(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "e.db"))
    with db.session() as s:
        _fact(s, "inside", "b", "2025-01-01", day("2025-03-10"))
        _fact(s, "spans-in", "b", "2025-01-01", day("2025-02-20"), day("2025-03-05"))
        _fact(s, "said-in-march", "b", "2025-03-15")
        _fact(s, "said-in-march-about-may", "b", "2025-03-15", day("2025-05-01"))
        _fact(s, "other-bank", "x", "2025-03-15")
        _fact(s, "long-ago-span", "b", "2020-01-01", day("2020-01-01"), day("2025-03-02"))
    march = TimeRange(day("2025-03-01"), day("2025-04-01"))
    got = dict(temporal_channel(_Store(db), march, "b", 10))
    assert set(got) == {"inside", "spans-in", "said-in-march"}
    assert got["inside"] > got["spans-in"]  # closer to the middle of March
    assert day("2025-03-01") - SPAN_WINDOW > day("2020-01-01")  # documented blind spot
    open_end = TimeRange(day("2025-03-01") - timedelta(days=1), None)
    assert "said-in-march-about-may" in dict(temporal_channel(_Store(db), open_end, "b", 10))


def test_a_full_range_returns_the_facts_nearest_its_centre(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "e.db"))
    with db.session() as s:
        for d in range(1, 31):  # one fact a day in March, mentioned or occurred
            when = f"2025-03-{d:02d}"
            if d % 2:
                _fact(s, f"occ-{d}", "b", "2025-01-01", day(when))
            else:
                _fact(s, f"said-{d}", "b", when)
        _fact(s, "spans-in", "b", "2025-01-01", day("2025-02-20"), day("2025-03-05"))
    march = TimeRange(day("2025-03-01"), day("2025-04-01"))
    top = [fid for fid, _ in temporal_channel(_Store(db), march, "b", 4)]
    assert set(top) == {"said-16", "occ-17", "occ-15", "said-18"}  # centre: 16 March, noon
    everything = dict(temporal_channel(_Store(db), march, "b", 100))
    assert len(everything) == 31 and min(everything, key=everything.get) == "spans-in"
