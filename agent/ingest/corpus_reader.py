"""A corpus as the RLM reads it: every unit's text by a short id, plus a manifest.

The units are the ones the pipeline already enumerates (documents, commits, authors, issues).
Each gets a short id that is unique in the corpus (a document's path, ``commit:<sha10>``,
``author:<email>``, ``issue#<n>``; the full unit key when two would collide) and a text (its
whole body). Neighbours — units in the same directory, a commit and the files it touched,
issues that mention each other — are what an incremental re-read gives the RLM beside the
changed units, so a finding across files can still be made.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from agent.ingest.units import Unit

__all__ = ["CorpusUnit", "corpus_units", "build_context", "neighbours", "MAX_NEIGHBOURS"]

MAX_NEIGHBOURS = 8  # per changed unit: a folder of a thousand files is not all context
_ISSUE_REF = re.compile(r"(?<![\w/])#(\d{1,7})\b")


@dataclass
class CorpusUnit:
    """One unit as the RLM sees it. `id` is what findings cite; `key` is the ingest key."""

    id: str
    key: str
    kind: str
    label: str
    text: str
    digest: str
    date: str | None = None
    group: str = ""  # the directory of a document, "commits", "issues", "authors"
    refs: set[str] = field(default_factory=set)  # ids of units this one names

    def manifest_row(self, role: str) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "label": self.label, "chars": len(self.text),
                "date": self.date, "role": role}  # fmt: skip


def _short_id(unit: Unit) -> str:
    meta = unit.episodes[0].metadata if unit.episodes else {}
    if unit.kind == "document":
        return unit.label or unit.key
    if unit.kind == "commit" and meta.get("sha"):
        return f"commit:{str(meta['sha'])[:10]}"
    if unit.kind == "author" and meta.get("email"):
        return f"author:{meta['email']}"
    if unit.kind == "issue" and isinstance(meta.get("number"), int):
        return f"issue#{meta['number']}"
    return unit.key


def _text(unit: Unit) -> str:
    return unit.body if unit.body else "\n\n".join(e.text for e in unit.episodes)


def _group(unit: Unit, uid: str) -> str:
    if unit.kind == "document":
        return posixpath.dirname(uid) or "."
    return {"commit": "commits", "author": "authors", "issue": "issues"}.get(unit.kind, unit.kind)


def corpus_units(units: Iterable[Unit]) -> list[CorpusUnit]:
    """The corpus units, in the pipeline's order, with unique ids and their references."""
    texts = [(u, t) for u in units if (t := _text(u)).strip()]
    units = [u for u, _ in texts]
    ids = [_short_id(u) for u in units]
    counts = Counter(ids)
    out = []
    for (u, text), uid in zip(texts, ids, strict=True):
        uid = uid if counts[uid] == 1 else u.key
        when = u.mentioned_at.date().isoformat() if u.mentioned_at else None
        out.append(CorpusUnit(uid, u.key, u.kind, u.label, text, u.digest, when,
                              _group(u, uid)))  # fmt: skip
    _link(out, units)
    return out


def _link(cus: list[CorpusUnit], units: Sequence[Unit]) -> None:
    """Commits ↔ the files they touched; issues and commits → the issues they mention."""
    by_id = {c.id: c for c in cus}
    issues = {c.id for c in cus if c.kind == "issue"}
    for c, u in zip(cus, units, strict=True):
        meta = u.episodes[0].metadata if u.episodes else {}
        if c.kind == "commit":
            for f in meta.get("files") or []:
                if f in by_id:
                    c.refs.add(f)
                    by_id[f].refs.add(c.id)
        if c.kind in ("issue", "commit", "document"):
            for n in _ISSUE_REF.findall(c.text):
                ref = f"issue#{n}"
                if ref in issues and ref != c.id:
                    c.refs.add(ref)
                    by_id[ref].refs.add(c.id)


def neighbours(
    corpus: Sequence[CorpusUnit], changed: set[str], limit: int = MAX_NEIGHBOURS
) -> dict[str, list[str]]:
    """For each changed id, the unchanged units to give as context: linked ones first, then
    the rest of its directory (documents only), at most `limit` each."""
    by_group: dict[str, list[str]] = {}
    for c in corpus:
        if c.kind == "document":
            by_group.setdefault(c.group, []).append(c.id)
    by_id = {c.id: c for c in corpus}
    out: dict[str, list[str]] = {}
    for uid in changed:
        u = by_id.get(uid)
        if u is None:
            continue
        near = sorted(u.refs) + (by_group.get(u.group, []) if u.kind == "document" else [])
        # dict keeps the order; stop at the limit (a directory may hold thousands of files)
        seen: dict[str, None] = {}
        for n in near:
            if len(seen) >= limit:
                break
            if n != uid and n not in changed:
                seen.setdefault(n)
        out[uid] = list(seen)
    return out


def build_context(read: Sequence[CorpusUnit], context: Sequence[CorpusUnit]) -> dict[str, Any]:
    """The REPL's `context`: ``{"manifest": [...], "units": {id: text}}``. Units to read have
    role "read"; neighbours given for reference have role "context"."""
    manifest = [c.manifest_row("read") for c in read] + [c.manifest_row("context") for c in context]
    units = {c.id: c.text for c in [*read, *context]}
    return {"manifest": manifest, "units": units}
