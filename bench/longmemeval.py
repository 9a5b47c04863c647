"""LongMemEval_S session and turn recall through the real memory, beside BM25 and dense baselines.

    python -m bench.longmemeval [--data FILE] [--limit N] [--types a,b] [--out FILE]
                                [--max-sessions N] [--ids a,b] [--stores DIR]

Each question is its own haystack (about 50 sessions, 500 turns) and gets its own store and
bank. Every turn is retained through `Memory.aretain_many`, one batch per session, as
"User: ..." / "Assistant: ..." with the session date as mention time, the session as thread
and source "<session id>:<turn index>", so every hit maps back to its turn and session. The
question is asked through `Memory.arecall` at its `question_date` (`now=`), so time words in it
("last Friday", "in the last month") read against that date.

Measures, overall and per question type, for engram and for BM25 and dense baselines that rank
the same turns in the same run (sessions ranked by their best turn):
- session recall_all@5 / any@5 / all@10: all (any) `answer_session_ids` among the top k sessions;
- turn R@10: the share of a question's `has_answer` turns among its top 10 distinct turns
  (questions without such turns are left out of this one measure);
- ingest turns/s and facts/s, recall ms (mean, p95).
With `--stores DIR` each question's store is kept in DIR/<bank>; a store already complete there
(its `ingested.json` written after the last session) is recalled without ingesting again, so a
change on the recall side is re-scored in a minute or two. Ingest timings then cover only the
questions ingested in this run (none when every store was reused).
The last stdout line is one JSON object (DESIGN.md "Benchmarks"); `--out` also writes it with
each question's top sessions and turns ("per_question").
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_DATA",
    "Turn",
    "Question",
    "parse_lme_date",
    "load_questions",
    "question_turns",
    "ranked_sessions",
    "score_question",
    "summarise",
    "main",
]

DEFAULT_DATA = Path("/work/shared/data/longmemeval/longmemeval_s_dev60.json.gz")
TURN_K = 10
SESSION_KS = (5, 10)
RECALL_HITS = 60  # facts asked for: enough distinct sessions for all@10
ROLE = {"user": "User", "assistant": "Assistant"}


@dataclass
class Turn:
    session: str  # session id
    index: int  # turn index inside its session
    text: str  # "User: ..." / "Assistant: ..."
    speaker: str
    mentioned_at: datetime
    has_answer: bool

    @property
    def key(self) -> str:
        return f"{self.session}:{self.index}"


@dataclass
class Question:
    qid: str
    qtype: str
    text: str
    asked_at: datetime
    answer_sessions: list[str]
    turns: list[Turn] = field(default_factory=list)

    @property
    def evidence_turns(self) -> list[str]:
        return [t.key for t in self.turns if t.has_answer]


def parse_lme_date(value: str) -> datetime:
    """ "2023/05/30 (Tue) 23:40" -> aware UTC datetime."""
    try:
        return datetime.strptime(value.strip(), "%Y/%m/%d (%a) %H:%M").replace(tzinfo=UTC)
    except ValueError:
        return datetime.strptime(value.strip()[:10], "%Y/%m/%d").replace(tzinfo=UTC)


def question_turns(record: dict[str, Any], max_sessions: int | None = None) -> list[Turn]:
    """Every turn of the haystack in session order. `max_sessions` keeps the answer sessions
    and the first other ones up to that many (a smaller haystack for smoke tests)."""
    turns: list[Turn] = []
    sessions = list(
        zip(
            record["haystack_session_ids"],
            record["haystack_dates"],
            record["haystack_sessions"],
            strict=True,
        )
    )
    if max_sessions is not None:
        gold = {str(s) for s in record.get("answer_session_ids") or []}
        room = max(0, max_sessions - len(gold))
        others = [str(s[0]) for s in sessions if str(s[0]) not in gold][:room]
        sessions = [s for s in sessions if str(s[0]) in gold or str(s[0]) in others]
    for sid, date, session in sessions:
        when = parse_lme_date(date)
        for i, t in enumerate(session):
            speaker = ROLE.get(str(t.get("role")), str(t.get("role") or "User").title())
            content = str(t.get("content") or "").strip()
            if not content:
                continue
            text = f"{speaker}: {content}"
            turns.append(Turn(str(sid), i, text, speaker, when, bool(t.get("has_answer"))))
    return turns


def load_questions(
    path: Path,
    limit: int | None = None,
    types: Sequence[str] = (),
    max_sessions: int | None = None,
    ids: Sequence[str] = (),
) -> list[Question]:
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
        records = json.load(fh)
    out = []
    for r in records:
        if (types and r["question_type"] not in types) or (ids and r["question_id"] not in ids):
            continue
        q = Question(
            qid=str(r["question_id"]),
            qtype=str(r["question_type"]),
            text=str(r["question"]),
            asked_at=parse_lme_date(r["question_date"]),
            answer_sessions=[str(s) for s in r.get("answer_session_ids") or []],
            turns=question_turns(r, max_sessions),
        )
        out.append(q)
        if limit and len(out) == limit:
            break
    return out


def ranked_sessions(turn_keys: Iterable[str]) -> list[str]:
    """Sessions in the order of their first (best) turn."""
    out: list[str] = []
    for key in turn_keys:
        sid = key.rsplit(":", 1)[0]
        if sid not in out:
            out.append(sid)
    return out


def score_question(q: Question, ranked_turns: Sequence[str]) -> dict[str, float | None]:
    """The measures of one question from its ranked distinct turn keys."""
    sessions = ranked_sessions(ranked_turns)
    gold = set(q.answer_sessions)
    out: dict[str, float | None] = {}
    for k in SESSION_KS:
        top = set(sessions[:k])
        out[f"all@{k}"] = float(bool(gold) and gold <= top)
        out[f"any@{k}"] = float(bool(gold & top))
    ev = set(q.evidence_turns)
    out[f"turn_R@{TURN_K}"] = len(ev.intersection(ranked_turns[:TURN_K])) / len(ev) if ev else None
    return out


MEASURES = ("all@5", "any@5", "all@10", f"turn_R@{TURN_K}")


def summarise(rows: Sequence[tuple[str, dict[str, float | None]]]) -> dict[str, Any]:
    """rows: (question type, measures) -> {"overall": {...}, "types": {...}, "counts": {...}}."""

    def block(sel: Sequence[dict[str, float | None]]) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for m in MEASURES:
            vals = [v for r in sel if (v := r.get(m)) is not None]
            out[m] = round(sum(vals) / len(vals), 4) if vals else None
        return out

    types = sorted({t for t, _ in rows})
    return {
        "overall": block([r for _, r in rows]),
        "types": {t: block([r for x, r in rows if x == t]) for t in types},
        "counts": {t: sum(1 for x, _ in rows if x == t) for t in types},
    }


# ---------------------------------------------------------------------------- the run


@dataclass
class Timing:
    ingest_s: float = 0.0
    turns: int = 0
    facts: int = 0
    facts_reused: int = 0  # in kept stores recalled without ingest (--stores)
    recall_ms: list[float] = field(default_factory=list)


def _bank(q: Question) -> str:
    return "lme-" + "".join(ch if ch.isalnum() else "-" for ch in q.qid)


async def _ingest(memory: Any, q: Question, timing: Timing) -> None:
    """One `aretain_many` batch per session, in session order."""
    from memory.retain import RetainItem

    bank = _bank(q)
    by_session: dict[str, list[Turn]] = {}
    for t in q.turns:
        by_session.setdefault(t.session, []).append(t)
    t0 = time.perf_counter()
    for sid, turns in by_session.items():
        items = [
            RetainItem(t.text, t.mentioned_at, t.key, bank, {"thread": sid, "speaker": t.speaker})
            for t in turns
        ]
        results = await memory.aretain_many(items)
        timing.facts += sum(len(r.fact_ids) for r in results)
    timing.ingest_s += time.perf_counter() - t0
    timing.turns += len(q.turns)


def _distinct(keys: Iterable[str | None], k: int) -> list[str]:
    out: list[str] = []
    for key in keys:
        if key is not None and key not in out:
            out.append(key)
            if len(out) == k:
                break
    return out


async def _engram_ranking(memory: Any, q: Question, valid: set[str], timing: Timing) -> list[str]:
    t0 = time.perf_counter()
    hits = await memory.arecall(
        q.text, bank=_bank(q), k=RECALL_HITS, layers=("fact",), now=q.asked_at
    )
    timing.recall_ms.append(1000 * (time.perf_counter() - t0))
    return _distinct((h.source if h.source in valid else None for h in hits), RECALL_HITS)


def _baseline_rankings(q: Question, embedder: Any) -> dict[str, list[str]]:
    from bench.baselines import BM25Baseline, DenseBaseline

    texts = [t.text for t in q.turns]
    out = {}
    for name, base in (("bm25", BM25Baseline(texts)), ("dense", DenseBaseline(texts, embedder))):
        out[name] = [q.turns[i].key for i in base.rank(q.text, len(texts))]
    return out


def _open_memory(home: Path, embedder: Any) -> Any:
    from memory.memory import Memory
    from storage.store import Store

    return Memory(store=Store.open(home, embedder=embedder))


INGESTED = "ingested.json"  # written into a kept store once every session is in


async def _recall_question(
    q: Question,
    home: Path,
    embedder: Any,
    open_memory: Callable[[Path, Any], Any],
    timing: Timing,
) -> list[str]:
    """Ingest `q` into the store at `home` unless a complete one is there, then recall."""
    marker = home / INGESTED
    reuse = marker.is_file()
    os.environ["ENGRAM_HOME"] = str(home)
    memory = open_memory(home, embedder)
    try:
        if reuse:
            timing.facts_reused += int(json.loads(marker.read_text())["facts"])
        else:
            before = timing.facts
            await _ingest(memory, q, timing)
            marker.write_text(json.dumps({"qid": q.qid, "facts": timing.facts - before}))
        return await _engram_ranking(memory, q, {t.key for t in q.turns}, timing)
    finally:
        memory.store.close()


async def run(
    questions: Sequence[Question],
    log: Callable[[str], None],
    embedder: Any = None,
    open_memory: Callable[[Path, Any], Any] = _open_memory,
    stores: Path | None = None,
) -> dict[str, Any]:
    if embedder is None:
        from storage.embedder import MiniLMEmbedder

        embedder = MiniLMEmbedder()
    timing = Timing()
    rows: dict[str, list[tuple[str, dict[str, float | None]]]] = {
        n: [] for n in ("engram", "bm25", "dense")
    }
    detail: list[dict[str, Any]] = []
    for n, q in enumerate(questions, 1):
        if stores is not None:
            home = stores / _bank(q)
            home.mkdir(parents=True, exist_ok=True)
            ranked = await _recall_question(q, home, embedder, open_memory, timing)
        else:
            with tempfile.TemporaryDirectory(prefix="engram-lme-") as tmp:
                ranked = await _recall_question(q, Path(tmp), embedder, open_memory, timing)
        rows["engram"].append((q.qtype, score_question(q, ranked)))
        for name, keys in _baseline_rankings(q, embedder).items():
            rows[name].append((q.qtype, score_question(q, keys)))
        got = rows["engram"][-1][1]
        detail.append({"id": q.qid, "type": q.qtype, "question": q.text, **got,
                       "gold_sessions": q.answer_sessions, "evidence_turns": q.evidence_turns,
                       "top_sessions": ranked_sessions(ranked)[:10], "top_turns": ranked[:10]})  # fmt: skip
        log(f"[{n}/{len(questions)}] {q.qid} {q.qtype}: all@5 {got['all@5']:.0f} "
            f"turn_R@10 {got['turn_R@10']}")  # fmt: skip
    return {**_result(rows, timing), "per_question": detail}


def _result(rows: dict[str, list[Any]], timing: Timing) -> dict[str, Any]:
    main = summarise(rows["engram"])
    ms = timing.recall_ms or [0.0]
    p95 = statistics.quantiles(ms, n=20)[-1] if len(ms) >= 2 else ms[0]
    return {
        "questions": len(rows["engram"]),
        "overall": main["overall"],
        "types": main["types"],
        "baselines": {
            n: {k: v for k, v in summarise(rows[n]).items() if k != "counts"}
            for n in ("bm25", "dense")
        },
        "counts": main["counts"],
        "turns": timing.turns,
        "facts": timing.facts + timing.facts_reused,
        "facts_reused": timing.facts_reused,
        "timings": {
            "ingest_s": round(timing.ingest_s, 2),
            "ingest_turns_per_s": round(timing.turns / max(timing.ingest_s, 1e-9), 1),
            "ingest_facts_per_s": round(timing.facts / max(timing.ingest_s, 1e-9), 1),
            "recall_mean_ms": round(statistics.fmean(ms), 1),
            "recall_p95_ms": round(p95, 1),
        },
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.longmemeval", description=(__doc__ or "").split("\n")[0]
    )
    p.add_argument("--data", type=Path, default=DEFAULT_DATA)
    p.add_argument("--limit", type=int, default=None, help="the first N questions")
    p.add_argument("--types", default="", help="question types, comma-separated")
    p.add_argument("--ids", default="", help="question ids, comma-separated")
    p.add_argument(
        "--max-sessions",
        type=int,
        default=None,
        help="haystack cut to the answer sessions and the first others (smoke tests)",
    )
    p.add_argument("--out", type=Path, default=None, help="also write the JSON result here")
    p.add_argument(
        "--stores",
        type=Path,
        default=None,
        help="keep each question's store under DIR and reuse those already complete there",
    )
    args = p.parse_args(argv)
    if not args.data.is_file():
        print(f"no such data file: {args.data}", file=sys.stderr)
        return 2
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    types = [t.strip() for t in args.types.split(",") if t.strip()]
    ids = [t.strip() for t in args.ids.split(",") if t.strip()]
    questions = load_questions(args.data, args.limit, types, args.max_sessions, ids)
    if not questions:
        print("no questions match --types/--limit", file=sys.stderr)
        return 2
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    result = asyncio.run(run(questions, log, stores=args.stores))
    if args.out is not None:  # with each question's rankings
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "per_question"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
