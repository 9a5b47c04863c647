"""Documents: their date, their chunks (at heading and paragraph boundaries, with spans).

A document's date (its mention time) is front matter `date:`, else a leading ISO date in the
file name (`2025-10-14-standup.md`), else the file's modification time (or, inside a git
repository, the date of the last commit that touched it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from agent.ingest.units import Episode, Unit, content_hash
from agent.ingest.walk import TextFile

__all__ = [
    "Chunk",
    "split_front_matter",
    "document_date",
    "chunk_text",
    "document_unit",
    "parse_datetime",
]

TARGET_CHARS = 1200
MAX_CHUNK_CHARS = 3000

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(\r?\n|\Z)", re.S)
_FILE_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T_ ](\d{2})[:\-]?(\d{2}))?")
_HEADING = re.compile(r"^(#{1,6})\s+\S|^.+\n[=\-]{3,}\s*$", re.M)
_BLOCK_SEP = re.compile(r"\n[ \t]*\n+")


@dataclass
class Chunk:
    text: str
    start: int  # character offsets into the whole file text
    end: int
    line_start: int  # 1-based, inclusive
    line_end: int
    heading: str | None = None


def split_front_matter(text: str) -> tuple[dict[str, str], int]:
    """`key: value` pairs of a leading `---` block, and the offset where the body begins."""
    m = _FRONT.match(text)
    if not m:
        return {}, 0
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, m.end()


def parse_datetime(value: str) -> datetime | None:
    """An ISO date/datetime (or a phrase dateparser reads), as aware UTC; None if unreadable."""
    value = value.strip()
    if not value:
        return None
    dt: datetime | None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        dt = _dateparser(value)
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _dateparser(value: str) -> datetime | None:
    import dateparser  # slow import; only for non-ISO front matter

    return dateparser.parse(value, languages=["en"], settings={"RETURN_AS_TIMEZONE_AWARE": False})


def document_date(
    path: Path, front: dict[str, str], mtime: float, fallback: datetime | None = None
) -> tuple[datetime, str]:
    """The document's mention time and where it came from ("front matter", "file name", ...)."""
    if "date" in front and (dt := parse_datetime(front["date"])):
        return dt, "front matter"
    m = _FILE_DATE.match(path.name)
    if m:
        stamp = m.group(1) + (f"T{m.group(2)}:{m.group(3)}" if m.group(2) else "")
        if dt := parse_datetime(stamp):
            return dt, "file name"
    if fallback is not None:
        return fallback, "last commit"
    return datetime.fromtimestamp(mtime, UTC), "modification time"


def chunk_text(text: str, start: int = 0, target: int = TARGET_CHARS) -> list[Chunk]:
    """Split text[start:] into chunks at headings and blank lines; spans index into `text`."""
    blocks = _blocks(text, start)
    chunks: list[Chunk] = []
    cur: list[tuple[int, int]] = []
    heading: str | None = None
    cur_heading: str | None = None
    for b_start, b_end in blocks:
        block = text[b_start:b_end]
        is_heading = bool(_HEADING.match(block))
        size = (cur[-1][1] - cur[0][0]) if cur else 0
        heading_only = len(cur) == 1 and bool(_HEADING.match(text[cur[0][0] : cur[0][1]]))
        if cur and (is_heading or (size + len(block) > target and not heading_only)):
            chunks.append(_make_chunk(text, cur, cur_heading))
            cur = []
        if is_heading:
            heading = block.splitlines()[0].lstrip("#").strip()
        if not cur:
            cur_heading = heading
        cur.append((b_start, b_end))
    if cur:
        chunks.append(_make_chunk(text, cur, cur_heading))
    return [c for piece in chunks for c in _split_oversized(text, piece)]


def _blocks(text: str, start: int) -> list[tuple[int, int]]:
    out, pos = [], start
    for m in _BLOCK_SEP.finditer(text, start):
        if text[pos : m.start()].strip():
            out.append(_trim(text, pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        out.append(_trim(text, pos, len(text)))
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _make_chunk(text: str, spans: list[tuple[int, int]], heading: str | None) -> Chunk:
    s, e = spans[0][0], spans[-1][1]
    return Chunk(text[s:e], s, e, text.count("\n", 0, s) + 1, text.count("\n", 0, e) + 1, heading)


def _split_oversized(text: str, c: Chunk) -> list[Chunk]:
    """A single huge paragraph (no blank lines) is cut at line ends near MAX_CHUNK_CHARS."""
    if len(c.text) <= MAX_CHUNK_CHARS:
        return [c]
    out, s = [], c.start
    while s < c.end:
        e = min(c.end, s + MAX_CHUNK_CHARS)
        nl = text.rfind("\n", s + MAX_CHUNK_CHARS // 2, e)
        e = nl if (e < c.end and nl > s) else e
        piece = _make_chunk(text, [_trim(text, s, e)], c.heading)
        if piece.text:
            out.append(piece)
        s = e + 1 if e < c.end and text[e] == "\n" else e
    return out


def document_unit(
    doc: TextFile,
    key: str,
    label: str,
    *,
    legacy_keys: list[str] | None = None,
    fallback_date: datetime | None = None,
) -> Unit:
    """One document as a unit keyed `key` (agent.ingest.keys): its chunks become episodes with
    sources `<key>#L<first>-L<last>` and spans in their metadata; `label` (the path the user
    knows it by) is what reports and metadata show."""
    front, body_start = split_front_matter(doc.text)
    when, date_from = document_date(doc.path, front, doc.mtime, fallback_date)
    episodes = []
    for i, c in enumerate(chunk_text(doc.text, body_start)):
        meta = {
            "kind": "document",
            "path": label,
            "chunk": i,
            "span": [c.start, c.end],
            "lines": [c.line_start, c.line_end],
            "date_from": date_from,
        }
        if c.heading:
            meta["heading"] = c.heading
        if front.get("title"):
            meta["title"] = front["title"]
        source = f"{key}#L{c.line_start}-L{c.line_end}"
        episodes.append(Episode(c.text, source, when, meta))
    return Unit(
        key=key,
        kind="document",
        episodes=episodes,
        digest=content_hash(doc.text),
        label=label,
        body=doc.text,
        mentioned_at=when,
        warnings=list(doc.warnings),
        legacy_keys=[k for k in legacy_keys or [] if k != key],
    )
