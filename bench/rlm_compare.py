"""engram's `engram rlm` beside the official RLM (alexzhang13/rlm, PyPI `rlms`), end to end.

    .venv/bin/python -m bench.rlm_compare [--repeat 3] [--official-python PATH] [--needle-mb 20]

Three tasks, each run as a whole process against the same scripted OpenAI-compatible endpoint
(`bench.scripted_endpoint`, started here on 127.0.0.1; the root model's replies are scripted per
engine, because the two engines end a run differently: `FINAL(x)` vs `answer["ready"] = True`):

- ``needle``: find the magic number in a ~20 MB text file (one root turn: a regex in the REPL);
- ``batch``: one `llm_query_batched` of 64 prompts, each answered by the endpoint after 200 ms
  (concurrency 16 in both engines), the answer computed from the 64 answers;
- ``two_turns``: turn 1 counts lines in the REPL and prints; turn 2 reads the printed figure
  back from the conversation and answers with it.

Each figure is the median of `--repeat` runs; the two engines' runs are interleaved (the order
alternates every round) so that noise on a shared machine hits both. Per run:

- ``wall_s``: process wall time, spawn to exit;
- ``first_sub_s``: spawn to the first sub-call request reaching the endpoint (batch task);
- ``outside_s``: wall time outside the loop: `wall_s` minus the span from the first request
  reaching the endpoint to the last answer leaving it (start-up, imports, REPL worker, context
  load, shut-down);
- ``phases`` (engram only, from the trace it keeps under ENGRAM_HOME/traces): start-up before
  the run, the worker's start, the first root answer, the cells, and what follows the run.

engram runs as `engram rlm --json --no-consolidate` (memory exposed, opened lazily; the
official engine has no memory to consolidate into) with a fresh ENGRAM_HOME. The official
engine runs `bench/official_rlm_runner.py` with the Python of a separate venv holding `rlms`
(`--official-python`, else $ENGRAM_BENCH_OFFICIAL_PYTHON, else bench/out/rlms-venv/bin/python);
without one it is skipped with the reason. Install it with::

    python -m venv bench/out/rlms-venv && bench/out/rlms-venv/bin/pip install rlms==0.1.3

The last line of stdout is one JSON object (per task, per engine: medians, all runs, answers;
`ratio` = engram / official wall time; goal: every ratio <= 0.8 with the same answers).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.scripted_endpoint import RecordedRequest, Reply, ScriptedEndpoint

__all__ = ["main", "TASKS", "respond"]

_REPO = Path(__file__).resolve().parent.parent
_RUNNER = Path(__file__).resolve().parent / "official_rlm_runner.py"
ROOT_MODEL, SUB_MODEL = "bench-root", "bench-sub"
SUB_DELAY_S = 0.2
BATCH_N = 64
GOAL_RATIO = 0.8


def _final(engine: str, expr: str) -> list[str]:
    if engine == "official":
        return [f"answer['content'] = str({expr})", "answer['ready'] = True"]
    return [f"FINAL(str({expr}))"]


def _needle_turns(engine: str, messages: list[dict[str, Any]]) -> list[str]:
    return [
        "import re",
        "m = re.search(r'magic number for crimson-lighthouse is (\\d+)', context)",
        *_final(engine, "m.group(1)"),
    ]


def _batch_turns(engine: str, messages: list[dict[str, Any]]) -> list[str]:
    return [
        f"r = llm_query_batched([f'item {{i}}' for i in range({BATCH_N})])",
        "total = sum(int(x.split()[-1]) for x in r)",
        *_final(engine, "total"),
    ]


def _two_turns(engine: str, messages: list[dict[str, Any]]) -> list[str]:
    if _turn(messages) == 0:
        return [
            "n = sum(1 for line in context.splitlines() if 'ERROR' in line)",
            "print(f'errors={n}')",
        ]
    said = [str(m.get("content") or "") for m in messages[2:] if m.get("role") == "user"]
    seen = re.findall(r"errors=(\d+)", "\n".join(said))
    return _final(engine, repr(seen[-1] if seen else "not found"))


TASKS: dict[str, tuple[str, Callable[[str, list[dict[str, Any]]], list[str]]]] = {
    "needle": ("What is the special magic number for crimson-lighthouse?", _needle_turns),
    "batch": (f"Ask the sub-model about {BATCH_N} items and add up its numbers.", _batch_turns),
    "two_turns": ("How many lines of the log are errors?", _two_turns),
}


def _turn(messages: list[dict[str, Any]]) -> int:
    return sum(1 for m in messages if m.get("role") == "assistant")


def _engine_of(messages: list[dict[str, Any]]) -> str:
    system = next((m.get("content") or "" for m in messages if m.get("role") == "system"), "")
    return "official" if 'answer["ready"]' in system else "engram"


def _task_of(messages: list[dict[str, Any]]) -> str:
    text = " ".join(str(m.get("content") or "") for m in messages if m.get("role") == "user")
    found = re.search(r"\[task:(\w+)\]", text)
    return found.group(1) if found else ""


def respond(request: dict[str, Any]) -> Reply:
    """The scripted endpoint: sub-calls answer `ok <n>` after 200 ms; root turns are code."""
    messages = request.get("messages") or []
    if request.get("model") == SUB_MODEL:
        n = re.findall(r"\d+", str(messages[-1].get("content") or "")) if messages else []
        return Reply(text=f"ok {n[-1] if n else 0}", delay_s=SUB_DELAY_S)
    name = _task_of(messages)
    if name not in TASKS:
        return Reply(text="no [task:...] tag in the query", status=400)
    code = TASKS[name][1](_engine_of(messages), messages)
    return Reply(text="Let me use the REPL.\n```repl\n" + "\n".join(code) + "\n```")


# -- contexts ---------------------------------------------------------------------------------
def write_contexts(folder: Path, needle_mb: float) -> dict[str, Path]:
    rng = random.Random(17)
    words = ("alpha", "river", "stone", "lamp", "cloud", "north", "quiet", "amber", "field")
    line = lambda: " ".join(rng.choice(words) for _ in range(12)) + ".\n"  # noqa: E731
    pool = [line() for _ in range(500)]
    needle = folder / "needle.txt"
    target = int(needle_mb * 1_000_000)
    with needle.open("w") as fh:
        written, placed = 0, False
        while written < target:
            chunk = "".join(rng.choice(pool) for _ in range(200))
            if not placed and written > target * 0.6:
                chunk += "The special magic number for crimson-lighthouse is 4817203.\n"
                placed = True
            fh.write(chunk)
            written += len(chunk)
    log = folder / "log.txt"
    levels = ["INFO"] * 9 + ["ERROR"]
    log.write_text("".join(f"2026-01-01 {rng.choice(levels)} service=api req={i}\n"
                           for i in range(20_000)))  # fmt: skip
    batch = folder / "items.txt"
    batch.write_text("".join(f"item {i}\n" for i in range(BATCH_N)))
    return {"needle": needle, "batch": batch, "two_turns": log}


def expected_answers(paths: dict[str, Path]) -> dict[str, str]:
    errors = sum(1 for ln in paths["two_turns"].read_text().splitlines() if "ERROR" in ln)
    return {"needle": "4817203", "batch": str(sum(range(BATCH_N))), "two_turns": str(errors)}


# -- one run ----------------------------------------------------------------------------------
def _baseline_cmd(
    tree: str, base_url: str, context: Path, query: str, home: Path
) -> tuple[list[str], dict[str, str]]:
    """engram from another checkout (`--baseline DIR`, e.g. `git archive main | tar -x -C DIR`),
    run by this venv's Python with DIR first on the path."""
    cmd, env = _engram_cmd(base_url, context, query, home)
    code = "import sys; from agent.cli import main; sys.exit(main())"
    return [sys.executable, "-c", code, *cmd[1:]], {**env, "PYTHONPATH": tree}


def _engram_cmd(
    base_url: str, context: Path, query: str, home: Path
) -> tuple[list[str], dict[str, str]]:
    script = Path(sys.executable).parent / "engram"
    cmd = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "from agent.cli import main; raise SystemExit(main())"]
    )
    cmd += ["rlm", "--query", query, "--context", str(context), "--json", "--no-consolidate"]
    env = {**_base_env(), "OPENAI_BASE_URL": base_url, "OPENAI_API_KEY": "bench",
           "ENGRAM_ROOT_MODEL": ROOT_MODEL, "ENGRAM_SUB_MODEL": SUB_MODEL, "ENGRAM_HOME": str(home),
           "ENGRAM_LM_MAX_RETRIES": "0"}  # fmt: skip
    return cmd, env


def _official_cmd(
    python: str, base_url: str, context: Path, query: str
) -> tuple[list[str], dict[str, str]]:
    return [python, "-I", str(_RUNNER), base_url, str(context), query], _base_env()


def _base_env() -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "TMPDIR", "HOME")
    return {k: v for k, v in os.environ.items() if k in keep} | {"HF_HUB_OFFLINE": "1"}


def run_once(
    ep: ScriptedEndpoint, cmd: list[str], env: dict[str, str], cwd: Path
) -> dict[str, Any]:
    ep.reset()
    started, started_wall = time.monotonic(), time.time()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
    wall = time.monotonic() - started
    chats = ep.chat_requests
    row: dict[str, Any] = {"wall_s": round(wall, 3), "exit": proc.returncode,
                           "answer": _answer(proc.stdout)}  # fmt: skip
    if proc.returncode != 0 or row["answer"] is None:
        row["stderr"] = proc.stderr[-1500:]
    if chats:
        span = _last_answer_at(chats) - chats[0].received_at
        row["outside_s"] = round(wall - span, 3)
        row["root_calls"] = sum(1 for r in chats if r.model == ROOT_MODEL)
        row["root_chars"] = _root_chars(chats)
        subs = [r.received_at for r in chats if r.model == SUB_MODEL]
        row["sub_calls"] = len(subs)
        if subs:
            row["first_sub_s"] = round(subs[0] - started, 3)
            row["sub_span_s"] = round(max(subs) + SUB_DELAY_S - subs[0], 3)
    phases = engram_phases(proc.stdout, started_wall, wall)
    if phases:
        row["phases"] = phases
    return row


def engram_phases(stdout: str, started_wall: float, wall: float) -> dict[str, float] | None:
    """Where an `engram rlm` run's time went, from its kept trace (None for other engines):
    start-up (interpreter, imports, parsing) before the run starts; the REPL worker's start
    (in parallel with the first root call); the first root answer (the `openai` import, the
    client, the call); the cells; after the run (shut-down, output, exit)."""
    try:
        doc = json.loads(stdout.strip().splitlines()[-1])
        events = [json.loads(line) for line in Path(doc["trace_stored"]).read_text().splitlines()]
    except (ValueError, KeyError, IndexError, OSError, TypeError):
        return None
    first = events[0]
    if first.get("type") != "run_start":
        return None
    run_start = datetime.fromisoformat(first["at"]).timestamp() - started_wall
    t_of = {e["type"]: e["t"] for e in reversed(events)}  # first occurrence of each type
    end = next((e["t"] for e in reversed(events) if e["type"] == "run_end"), 0.0)
    cells = sum(e.get("duration_s", 0.0) for e in events if e["type"] == "output")
    return {
        "startup_s": round(run_start, 3),
        "worker_ready_s": round(t_of.get("sandbox_ready", 0.0), 3),
        "first_root_answer_s": round(t_of.get("iteration", 0.0), 3),
        "cells_s": round(cells, 3),
        "run_s": round(end, 3),
        "after_run_s": round(wall - run_start - end, 3),
    }


def _last_answer_at(chats: list[RecordedRequest]) -> float:
    return max(r.received_at + (SUB_DELAY_S if r.model == SUB_MODEL else 0.0) for r in chats)


def _root_chars(chats: list[RecordedRequest]) -> int:
    roots = [r for r in chats if r.model == ROOT_MODEL]
    return sum(len(str(m.get("content") or "")) for r in roots for m in r.messages)


def _answer(stdout: str) -> str | None:
    for line in reversed(stdout.strip().splitlines()):
        try:
            doc = json.loads(line)
        except ValueError:
            continue
        if isinstance(doc, dict) and "answer" in doc:
            return None if doc["answer"] is None else str(doc["answer"]).strip()
    return None


# -- the comparison ---------------------------------------------------------------------------
def official_python(given: str | None) -> tuple[str | None, str | None]:
    """(python, None) when the official engine can run, else (None, why it is skipped)."""
    candidate = (
        given
        or os.environ.get("ENGRAM_BENCH_OFFICIAL_PYTHON")
        or str(_REPO / "bench" / "out" / "rlms-venv" / "bin" / "python")
    )
    if not Path(candidate).exists():
        return None, f"no Python with the official `rlms` package at {candidate} (see --help)"
    probe = subprocess.run([candidate, "-I", "-c", "import rlm, sys; print(rlm.RLM.__module__)"],
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    if probe.returncode != 0 or probe.stdout.strip() != "rlm.core.rlm":
        return None, f"{candidate} cannot import the official rlm: {probe.stderr.strip()[-300:]}"
    return candidate, None


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"runs": rows}
    for key in ("wall_s", "first_sub_s", "outside_s"):
        values = [r[key] for r in rows if r.get(key) is not None]
        out[key] = round(statistics.median(values), 3) if values else None
    phased = [r["phases"] for r in rows if r.get("phases")]
    if phased:
        out["phases"] = {k: round(statistics.median(p[k] for p in phased), 3) for k in phased[0]}
    out["answers"] = sorted({str(r["answer"]) for r in rows})
    return out


def compare(args: argparse.Namespace) -> dict[str, Any]:
    if getattr(args, "engram_only", False):
        python, skipped = None, "not asked for (engram only)"
    else:
        python, skipped = official_python(args.official_python)
    tasks = [t for t in args.tasks.split(",") if t]
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {
        t: {"engram": [], "official": [], "baseline": []} for t in tasks
    }
    with (
        tempfile.TemporaryDirectory(prefix="engram-compare-") as tmp,
        ScriptedEndpoint(respond, models=(ROOT_MODEL, SUB_MODEL)) as ep,
    ):
        folder = Path(tmp)
        paths = write_contexts(folder, args.needle_mb)
        expected = expected_answers(paths)
        for rnd in range(args.repeat):
            for name in tasks:
                query = f"[task:{name}] {TASKS[name][0]}"
                home = folder / f"home-{name}-{rnd}"
                runs = [("engram", *_engram_cmd(ep.base_url, paths[name], query, home))]
                if python:
                    runs.append(
                        ("official", *_official_cmd(python, ep.base_url, paths[name], query))
                    )
                if args.baseline:
                    base_home = home.with_name(home.name + "-baseline")
                    base = _baseline_cmd(args.baseline, ep.base_url, paths[name], query, base_home)
                    runs.append(("baseline", *base))
                if rnd % 2:
                    runs.reverse()
                for engine, cmd, env in runs:
                    row = run_once(ep, cmd, env, folder)
                    row["correct"] = row["answer"] == expected[name]
                    rows[name][engine].append(row)
                    print(f"{name:9} {engine:8} {row['wall_s']:.3f}s answer={row['answer']!r}",
                          file=sys.stderr, flush=True)  # fmt: skip
    return _report(rows, expected, python, skipped, args)


def _report(rows: dict[str, Any], expected: dict[str, str], python: str | None,
            skipped: str | None, args: argparse.Namespace) -> dict[str, Any]:  # fmt: skip
    report: dict[str, Any] = {"repeat": args.repeat, "needle_mb": args.needle_mb,
                              "official": python, "official_skipped": skipped, "tasks": {}}  # fmt: skip
    goals: dict[str, bool] = {}
    for name, by_engine in rows.items():
        entry: dict[str, Any] = {"expected": expected[name]}
        for engine, runs in by_engine.items():
            if runs:
                entry[engine] = _summary(runs)
        ours = entry["engram"]
        goals[f"{name}_engram_correct"] = all(r["correct"] for r in ours["runs"])
        if "baseline" in entry and entry["baseline"]["wall_s"]:
            entry["ratio_to_baseline"] = round(ours["wall_s"] / entry["baseline"]["wall_s"], 3)
        if "official" in entry and entry["official"]["wall_s"]:
            entry["ratio"] = round(ours["wall_s"] / entry["official"]["wall_s"], 3)
            goals[f"{name}_ratio<={GOAL_RATIO}"] = entry["ratio"] <= GOAL_RATIO
            goals[f"{name}_same_answers"] = ours["answers"] == entry["official"]["answers"]
        report["tasks"][name] = entry
    report["goals"] = goals
    report["load_avg"] = os.getloadavg()[0]
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rlm_compare",
                                     description=__doc__.split("\n\n")[0])  # fmt: skip
    parser.add_argument("--repeat", type=int, default=3, help="runs per engine and task (median)")
    parser.add_argument("--official-python", help="Python of a venv with `rlms` installed")
    parser.add_argument("--needle-mb", type=float, default=20.0, help="size of the needle file")
    parser.add_argument("--tasks", default=",".join(TASKS), help="comma-separated subset")
    parser.add_argument("--baseline", help="also run engram from this checkout (before/after)")
    args = parser.parse_args(argv)
    unknown = set(args.tasks.split(",")) - set(TASKS) - {""}
    if unknown:
        parser.error(f"unknown tasks: {', '.join(sorted(unknown))}")
    report = compare(args)
    print(json.dumps(report))
    return 0 if all(report["goals"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
