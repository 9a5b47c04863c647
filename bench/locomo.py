"""LoCoMo turn recall through the real memory: retain every turn, recall for every question.

    python -m bench.locomo --data ../shared/data/locomo/locomo_dev.json [--k 5,10,20]
                           [--limit-conversations N]

Every turn goes through `Memory.retain_many` ("Speaker: text", plus "[shares a photo of ...]"
when the turn carries a caption; the session date as mention time; source "<sample_id>:<dia_id>";
one bank per conversation). Each question of categories 1-4 goes through `recall`; hits map back
to turn ids through their provenance (source, else episode id). R@k is the fraction of a
question's evidence turns found among its top k distinct turns, averaged over questions. BM25
and dense baselines rank the same turns in the same run. The last stdout line is one JSON object
(see DESIGN.md "Benchmarks").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = [
    "CATEGORIES",
    "Turn",
    "Question",
    "parse_evidence",
    "parse_session_date",
    "conversation_turns",
    "conversation_questions",
    "recall_at_k",
    "distinct_turns",
    "summarise",
    "main",
]

CATEGORIES = {1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop"}
_DIA = re.compile(r"D\d+:\d+")


@dataclass
class Turn:
    dia_id: str
    text: str  # "Speaker: text [shares a photo of ...]"
    mentioned_at: datetime
    source: str  # "<sample_id>:<dia_id>"


@dataclass
class Question:
    text: str
    category: int
    evidence: list[str]


def parse_evidence(entries: Iterable[Any], valid: set[str] | None = None) -> list[str]:
    """Turn ids from evidence entries ("D8:6; D9:17" holds two); malformed pieces are skipped,
    and so are ids not in `valid` (when given). Order kept, duplicates dropped."""
    out: list[str] = []
    for entry in entries:
        if not isinstance(entry, str):
            continue
        for piece in re.split(r"[;,\s]+", entry.strip()):
            piece = piece.strip("()[]'\"")
            if _DIA.fullmatch(piece) and (valid is None or piece in valid) and piece not in out:
                out.append(piece)
    return out


def parse_session_date(value: str) -> datetime:
    """ "1:56 pm on 8 May, 2023" -> aware UTC datetime (dateparser for other shapes)."""
    for fmt in ("%I:%M %p on %d %B, %Y", "%I:%M %p on %d %b, %Y"):
        try:
            return datetime.strptime(value.strip(), fmt).replace(tzinfo=UTC)
        except ValueError:
            pass
    import dateparser

    parsed = dateparser.parse(value, languages=["en"])
    if parsed is None:
        raise ValueError(f"unreadable session date {value!r}")
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _session_keys(conv: dict[str, Any]) -> list[str]:
    keys = [k for k in conv if re.fullmatch(r"session_\d+", k) and isinstance(conv[k], list)]
    return sorted(keys, key=lambda k: int(k.split("_")[1]))


def conversation_turns(sample: dict[str, Any]) -> list[Turn]:
    conv, sid = sample["conversation"], sample["sample_id"]
    turns: list[Turn] = []
    for key in _session_keys(conv):
        when = parse_session_date(conv[f"{key}_date_time"])
        for t in conv[key]:
            text = f"{t['speaker']}: {t.get('text', '')}".strip()
            if t.get("blip_caption"):
                text += f" [shares a photo of {t['blip_caption']}]"
            turns.append(Turn(t["dia_id"], text, when, f"{sid}:{t['dia_id']}"))
    return turns


def conversation_questions(sample: dict[str, Any], valid: set[str]) -> tuple[list[Question], int]:
    """Questions of categories 1-4 with at least one valid evidence id, and how many were
    dropped for having none."""
    out, dropped = [], 0
    for qa in sample.get("qa", []):
        if qa.get("category") not in CATEGORIES:
            continue
        ev = parse_evidence(qa.get("evidence") or [], valid)
        if not ev:
            dropped += 1
            continue
        out.append(Question(str(qa["question"]), int(qa["category"]), ev))
    return out, dropped


def distinct_turns(turn_ids: Iterable[str | None], k: int) -> list[str]:
    out: list[str] = []
    for t in turn_ids:
        if t is not None and t not in out:
            out.append(t)
            if len(out) == k:
                break
    return out


def recall_at_k(ranked_turns: Sequence[str], evidence: Sequence[str], k: int) -> float:
    ev = set(evidence)
    return len(ev.intersection(ranked_turns[:k])) / len(ev) if ev else 0.0


def summarise(
    rows: Sequence[tuple[int, list[str], list[str]]], ks: Sequence[int]
) -> dict[str, Any]:
    """rows: (category, ranked distinct turns, evidence) -> {"overall": {...}, "categories": {...}}."""

    def block(sel: Sequence[tuple[int, list[str], list[str]]]) -> dict[str, float]:
        n = len(sel) or 1
        return {f"R@{k}": round(sum(recall_at_k(r, e, k) for _, r, e in sel) / n, 4) for k in ks}

    cats = {name: block([r for r in rows if r[0] == c]) for c, name in CATEGORIES.items()}
    counts = {name: sum(1 for r in rows if r[0] == c) for c, name in CATEGORIES.items()}
    return {"overall": block(rows), "categories": cats, "counts": counts}


# ---------------------------------------------------------------------------- the run


def _open_memory(home: Path) -> Any:
    from memory.memory import Memory
    from storage.store import Store

    return Memory(store=Store.open(home))


async def _ingest(memory: Any, sample_id: str, turns: Sequence[Turn]) -> dict[str, str]:
    """Retain every turn; returns {episode id: dia id} for provenance by episode."""
    from memory.retain import RetainItem

    items = [RetainItem(t.text, t.mentioned_at, t.source, sample_id) for t in turns]
    results = await memory.aretain_many(items)
    return {r.episode_id: t.dia_id for r, t in zip(results, turns, strict=True)}


def _turn_of(hit: Any, sample_id: str, by_episode: dict[str, str]) -> str | None:
    src = hit.source or ""
    if src.startswith(sample_id + ":"):
        return src[len(sample_id) + 1 :]
    return by_episode.get(hit.episode_id or "")


async def _run_sample(
    memory: Any, sample: dict[str, Any], ks: Sequence[int], embedder: Any, timing: dict[str, float]
) -> tuple[dict[str, list[Any]], int]:
    from bench.baselines import BM25Baseline, DenseBaseline

    sid = sample["sample_id"]
    turns = conversation_turns(sample)
    t0 = time.perf_counter()
    by_episode = await _ingest(memory, sid, turns)
    timing["ingest_s"] += time.perf_counter() - t0
    questions, dropped = conversation_questions(sample, {t.dia_id for t in turns})
    bm25, dense = (
        BM25Baseline([t.text for t in turns]),
        DenseBaseline([t.text for t in turns], embedder),
    )
    kmax = max(ks)
    rows: dict[str, list[Any]] = {"engram": [], "bm25": [], "dense": []}
    for q in questions:
        t1 = time.perf_counter()
        # the facade's recall (validation, bank sync) over facts; hits are one per turn
        hits = await memory.arecall(q.text, bank=sid, k=kmax * 4, layers=("fact",))
        timing["recall_s"] += time.perf_counter() - t1
        timing["recalls"] += 1
        ranked = distinct_turns((_turn_of(h, sid, by_episode) for h in hits), kmax)
        rows["engram"].append((q.category, ranked, q.evidence))
        for name, base in (("bm25", bm25), ("dense", dense)):
            ids = [turns[i].dia_id for i in base.rank(q.text, kmax)]
            rows[name].append((q.category, ids, q.evidence))
    return rows, dropped


async def run(
    data: Path,
    ks: Sequence[int],
    limit: int | None,
    log: Callable[[str], None],
    open_memory: Callable[[Path], Any] = _open_memory,
) -> dict[str, Any]:
    samples = json.loads(Path(data).read_text())[: limit or None]
    timing = {"ingest_s": 0.0, "recall_s": 0.0, "recalls": 0}
    rows: dict[str, list[Any]] = {"engram": [], "bm25": [], "dense": []}
    dropped = 0
    with tempfile.TemporaryDirectory(prefix="engram-locomo-") as home:
        os.environ["ENGRAM_HOME"] = home
        memory = open_memory(Path(home))
        for sample in samples:
            got, d = await _run_sample(memory, sample, ks, memory.store.embedder, timing)
            dropped += d
            for name in rows:
                rows[name] += got[name]
            log(f"{sample['sample_id']}: {len(got['engram'])} questions")
        n_facts = _count_facts(memory)
    return _result(rows, ks, dropped, timing, n_facts, len(samples))


def _count_facts(memory: Any) -> int:
    from sqlalchemy import func, select

    from storage.schema import Fact

    with memory.store.db.session() as s:
        return int(s.execute(select(func.count()).select_from(Fact)).scalar_one())


def _result(
    rows: dict[str, list[Any]],
    ks: Sequence[int],
    dropped: int,
    timing: dict[str, float],
    n_facts: int,
    n_conv: int,
) -> dict[str, Any]:
    main = summarise(rows["engram"], ks)
    base = {n: summarise(rows[n], ks) for n in ("bm25", "dense")}
    return {
        "questions": len(rows["engram"]),
        "overall": main["overall"],
        "categories": main["categories"],
        "baselines": {
            n: {"overall": b["overall"], "categories": b["categories"]} for n, b in base.items()
        },
        "counts": main["counts"],
        "dropped_questions": dropped,
        "conversations": n_conv,
        "facts": n_facts,
        "timings": {
            "ingest_s": round(timing["ingest_s"], 2),
            "recall_mean_ms": round(1000 * timing["recall_s"] / max(1, timing["recalls"]), 2),
        },
    }


def _parse_ks(value: str) -> list[int]:
    try:
        ks = sorted({int(x) for x in value.split(",") if x.strip()})
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--k wants integers like 5,10,20, got {value!r}") from exc
    if not ks or ks[0] <= 0:
        raise argparse.ArgumentTypeError("--k values must be positive")
    return ks


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.locomo", description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True, type=Path)
    p.add_argument("--k", type=_parse_ks, default=[5, 10, 20])
    p.add_argument("--limit-conversations", type=int, default=None)
    args = p.parse_args(argv)
    if not args.data.is_file():
        print(f"no such data file: {args.data}", file=sys.stderr)
        return 2
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    result = asyncio.run(run(args.data, args.k, args.limit_conversations, log))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
