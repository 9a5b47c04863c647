"""Accuracy of the offline answers on the labelled questions of bench/answer_cases.py.

    .venv/bin/python -m bench.answers [--split dev|held|all] [--show] [--home DIR]

Ingests both note sets (examples/data/atlas, bench/data/heron) through the real ingestion
pipeline into a fresh embedded memory, answers every case with `agent.answer.compose_answer`,
and scores the lead (the first line): an answerable case must hold every expected group and
must not say "nothing"; an unanswerable one must lead with "Memory has nothing about". Prints
the failures, then one JSON object: accuracy per split, for answerable and unanswerable cases.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.answer_cases import CASES, Case

ROOT = Path(__file__).resolve().parent.parent
NOTES = {
    "atlas": [ROOT / "examples" / "data" / "atlas" / "notes",
              ROOT / "examples" / "data" / "atlas" / "issues.json"],
    "heron": [ROOT / "bench" / "data" / "heron" / "notes"],
    "osprey": [ROOT / "bench" / "data" / "osprey" / "notes"],
}  # fmt: skip


def passes(case: Case, lead: str) -> bool:
    from agent.answer import NOTHING_PREFIX

    said_nothing = lead.startswith(NOTHING_PREFIX)
    if case.kind == "nothing":
        return said_nothing
    low = lead.lower()
    return not said_nothing and all(any(a.lower() in low for a in g) for g in case.lead)


def open_memory(home: Path) -> Any:
    from agent.wiring import open_memory as open_from_settings
    from agent.wiring import settings_from_env

    return open_from_settings(settings_from_env({"ENGRAM_HOME": str(home)}))


def ingest_all(memory: Any, home: Path) -> None:
    from agent.ingest import Ingestor, IngestState

    state = IngestState(memory.store.db)  # the ingest state lives in the memory's own database
    for bank, paths in NOTES.items():
        for p in paths:
            Ingestor(memory, state).ingest(p, bank=bank)


async def run_cases(memory: Any, cases: list[tuple[int, Case]]) -> list[dict[str, Any]]:
    from agent.answer import compose_answer

    out = []
    for i, c in cases:
        ans = await compose_answer(memory, c.question, bank=c.notes)
        split = "held" if i % 4 == 3 else "dev"
        out.append({"i": i, "split": split, "case": c, "answer": ans,
                    "ok": passes(c, ans.lead), "kind_ok": ans.kind == c.kind})  # fmt: skip
    return out


def _acc(rows: list[dict[str, Any]]) -> dict[str, Any]:
    pos = [r for r in rows if r["case"].kind != "nothing"]
    neg = [r for r in rows if r["case"].kind == "nothing"]

    def frac(rs: list[dict[str, Any]]) -> float | None:
        return round(sum(r["ok"] for r in rs) / len(rs), 3) if rs else None

    return {"n": len(rows), "accuracy": frac(rows), "answerable": frac(pos),
            "unanswerable": frac(neg),
            "kind_accuracy": round(sum(r["kind_ok"] for r in pos) / len(pos), 3) if pos else None}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["dev", "held", "all"], default="dev")
    ap.add_argument("--show", action="store_true", help="print every answer, not only failures")
    ap.add_argument("--home", type=Path, default=None, help="memory folder (default: a temp one)")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    home = args.home or Path(tempfile.mkdtemp(prefix="engram-answers-"))
    memory = open_memory(home)
    try:
        t0 = time.perf_counter()
        ingest_all(memory, home)
        t1 = time.perf_counter()
        want = {"dev": lambda i: i % 4 != 3, "held": lambda i: i % 4 == 3, "all": lambda i: True}
        cases = [(i, c) for i, c in enumerate(CASES) if want[args.split](i)]
        rows = asyncio.run(run_cases(memory, cases))
        t2 = time.perf_counter()
    finally:
        memory.store.close()
    for r in rows:
        if args.show or not r["ok"]:
            mark = "ok  " if r["ok"] else "FAIL"
            c, a = r["case"], r["answer"]
            print(f"{mark} [{r['split']} {c.notes}] {c.question!r} want {c.kind} got {a.kind}")
            print("      " + a.text.replace("\n", "\n      "), file=sys.stdout)
    result = {"split": args.split, "overall": _acc(rows),
              "dev": _acc([r for r in rows if r["split"] == "dev"]),
              "held": _acc([r for r in rows if r["split"] == "held"]),
              "ingest_s": round(t1 - t0, 2), "answer_s_per_question": round((t2 - t1) / max(1, len(rows)), 3)}  # fmt: skip
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
