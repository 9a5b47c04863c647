"""Benchmarks of the RLM engine itself (no real model): overhead, context load, fan-out, prompt size.

    .venv/bin/python -m bench.rlm_engine [--iterations 40] [--load-mb 100] [--rss-mb 400]

Measured against an in-process scripted LM (overhead, prompt size, context load) and against the
local OpenAI-compatible `ScriptedEndpoint` through the real `OpenAILM` client (fan-out):

- overhead_ms: engine time per root iteration with the LM's own time excluded (median), each
  iteration running one small cell in the real ProcessSandbox; goal < 5 ms;
- load_100mb_s: seconds for the worker to load a 100 MB text file as `context` (median of
  --repeat loads; the file was just written, so it is in the page cache); goal < 1 s;
- rss_400mb_ratio: peak RSS of the worker process tree / file size for a 400 MB file; goal < 2.5;
- batched_64x200ms_s: one `llm_query_batched` of 64 prompts, each answered in 200 ms by the
  endpoint, at concurrency 16 (median cell time of --repeat runs, after a warm-up run);
  goal < 0.9 s (ideal 0.8 s);
- root_chars_ratio: total characters sent to the root for a 100 MB vs a 1 MB context (same
  script); goal: differ by < 2 %.

- end_to_end: the three tasks of `bench/rlm_compare.py` (needle in a 20 MB file, 64 sub-calls
  of 200 ms, a two-iteration task) as whole `engram rlm` processes: process wall time, time to
  first sub-call, time outside the loop and the phases of each (median of --repeat); the
  official RLM beside them is `python -m bench.rlm_compare` (`--no-end-to-end` skips this).

The last line of stdout is one JSON object with every figure and whether each goal was met.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

from rlm.budget import Budget
from rlm.engine import RLM, RLMConfig
from rlm.lm import Completion, Message, Usage
from rlm.sandbox import ContextSpec, ProcessSandbox
from rlm.trace import Event, Iteration

__all__ = ["main"]


class _TimedScriptLM:
    """In-process scripted root: answers from a function and records its own time per call."""

    def __init__(self, script: Any, model: str = "bench-root") -> None:
        self.model = model
        self.script = script
        self.sent_chars: list[int] = []
        self.lm_time_s: list[float] = []

    async def acomplete(self, messages: list[Message], **kw: Any) -> Completion:
        t0 = time.perf_counter()
        self.sent_chars.append(sum(len(m["content"]) for m in messages))
        text = self.script(messages)
        usage = Usage(self.sent_chars[-1] // 4, len(text) // 4, 0.0, 1)
        self.lm_time_s.append(time.perf_counter() - t0)
        return Completion(text, self.model, usage, self.lm_time_s[-1])


def _turn(messages: list[Message]) -> int:
    return sum(1 for m in messages if m["role"] == "assistant")


# -- overhead ------------------------------------------------------------------------------------
async def bench_overhead(iterations: int) -> dict[str, Any]:
    def script(messages: list[Message]) -> str:
        n = _turn(messages)
        return (
            "```repl\nx = x + 1 if 'x' in globals() else 0\n```" if n < iterations else ("FINAL(x)")
        )

    root = _TimedScriptLM(script)
    stamps: list[float] = []

    def on_event(e: Event) -> None:
        if isinstance(e, Iteration):
            stamps.append(time.perf_counter())

    rlm = RLM(root, budget=Budget(max_iterations=iterations + 5), on_event=on_event)
    result = await rlm.arun("count", "ctx")
    assert result.stopped_by is None, result.error
    # interval i = from iteration i's reply to iteration i+1's reply; minus LM time of call i+1
    per_iter = [
        (stamps[i + 1] - stamps[i] - root.lm_time_s[i + 1]) * 1000 for i in range(len(stamps) - 1)
    ]
    return {
        "overhead_ms_median": round(statistics.median(per_iter), 3),
        "overhead_ms_p90": round(sorted(per_iter)[int(len(per_iter) * 0.9)], 3),
        "overhead_iterations": len(per_iter),
    }


# -- context load and RSS ------------------------------------------------------------------------
def _write_file(path: Path, mb: int) -> int:
    line = "2026-01-01T00:00:00 INFO service=api request_id=abcdef status=200 latency_ms=12\n"
    block = line * (1_048_576 // len(line) + 1)
    block = block[:1_048_576]
    with path.open("w") as fh:
        for _ in range(mb):
            fh.write(block)
    return path.stat().st_size


def _tree_peak_rss(pid: int) -> int:
    peak = 0
    try:
        procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        try:
            for line in Path(f"/proc/{p.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) * 1024)
        except OSError:
            continue
    return peak


async def bench_load(path: Path) -> dict[str, Any]:
    sb = ProcessSandbox()
    t0 = time.perf_counter()
    try:
        await sb.start(ContextSpec(path=str(path)), {})
        start_s = time.perf_counter() - t0
        check = await sb.execute("print(len(context))")
        peak = _tree_peak_rss(sb.pid or 0)
    finally:
        await sb.close()
    return {"start_s": start_s, "load_s": sb.context_load_s, "len": check.stdout.strip(),
            "peak_rss": peak}  # fmt: skip


# -- fan-out through the real client and a local endpoint -----------------------------------------
async def bench_batched(
    n: int = 64, delay_s: float = 0.2, concurrency: int = 16, repeat: int = 3
) -> dict[str, Any]:
    from bench.scripted_endpoint import Reply, ScriptedEndpoint
    from rlm.openai_lm import OpenAILM

    def responder(request: dict) -> Reply:
        return Reply(text="ok " + request["messages"][-1]["content"][:10], delay_s=delay_s)

    code = f"r = llm_query_batched([f'item {{i}}' for i in range({n})])\nFINAL(len(r))"
    root = _TimedScriptLM(lambda m: f"```repl\n{code}\n```")
    durations: list[float] = []

    def on_event(e: Event) -> None:
        if e.type == "output":
            durations.append(e.duration_s)  # type: ignore[attr-defined]

    with ScriptedEndpoint(responder, models=("bench-sub",)) as ep:
        sub = OpenAILM("bench-sub", base_url=ep.base_url, api_key="k")
        rlm = RLM(root, sub, config=RLMConfig(sub_concurrency=concurrency), on_event=on_event)
        await rlm.arun("fan out", "ctx")  # warm-up: worker start, connection pool
        durations.clear()
        cold = RLM(root, sub, config=RLMConfig(sub_concurrency=concurrency, cache=False),
                   on_event=on_event)  # fmt: skip
        t0 = time.perf_counter()
        for _ in range(repeat):
            result = await cold.arun("fan out", "ctx")
            assert result.answer == str(n), (result.answer, result.error)
        run_s = (time.perf_counter() - t0) / repeat
        sent = len(ep.chat_requests)
    return {"batched_cell_s": round(statistics.median(durations), 3),
            "batched_cell_s_all": [round(d, 3) for d in durations],
            "batched_run_s": round(run_s, 3), "batched_requests": sent}  # fmt: skip


# -- root prompt size vs context size --------------------------------------------------------------
async def bench_root_chars(small: Path, big: Path) -> dict[str, Any]:
    script = [
        "```repl\nprint(len(context))\nprint(context[:200])\n```",
        "```repl\nhits = grep('status=500', context, max_hits=5)\nprint(len(hits))\n```",
        "FINAL(done)",
    ]
    totals = []
    for path in (small, big):
        root = _TimedScriptLM(lambda m: script[_turn(m)])
        r = await RLM(root).arun("how many errors?", path)
        assert r.stopped_by is None, r.error
        totals.append(sum(root.sent_chars))
    return {"root_chars_1mb": totals[0], "root_chars_100mb": totals[1],
            "root_chars_diff_pct": round(abs(totals[1] - totals[0]) / totals[0] * 100, 3)}  # fmt: skip


def end_to_end(repeat: int) -> dict[str, Any]:
    """engram's side of `bench.rlm_compare` (the official engine is not run here)."""
    from bench.rlm_compare import compare

    ns = argparse.Namespace(engram_only=True, official_python=None, baseline=None,
                            tasks="needle,batch,two_turns", needle_mb=20.0, repeat=repeat)  # fmt: skip
    report = compare(ns)
    keys = ("wall_s", "first_sub_s", "outside_s", "phases", "answers")
    return {
        name: {k: task["engram"].get(k) for k in keys} for name, task in report["tasks"].items()
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    out.update(await bench_overhead(args.iterations))
    out.update(await bench_batched(repeat=args.repeat))
    with tempfile.TemporaryDirectory(prefix="engram-bench-") as tmp:
        small, big = Path(tmp) / "ctx-1mb.log", Path(tmp) / f"ctx-{args.load_mb}mb.log"
        _write_file(small, 1)
        size = _write_file(big, args.load_mb)
        out.update(await bench_root_chars(small, big))
        loads = [await bench_load(big) for _ in range(args.repeat)]
        out["load_mb"] = args.load_mb
        out["load_s"] = statistics.median(x["load_s"] for x in loads)
        out["load_s_all"] = [round(x["load_s"], 3) for x in loads]
        out["load_start_s"] = statistics.median(x["start_s"] for x in loads)
        out["load_len_ok"] = all(x["len"] == str(size) for x in loads)
        small.unlink()
        big.unlink()
        if args.rss_mb:
            huge = Path(tmp) / f"ctx-{args.rss_mb}mb.log"
            size = _write_file(huge, args.rss_mb)
            rss = await bench_load(huge)
            out["rss_mb"], out["rss_peak_mb"] = args.rss_mb, round(rss["peak_rss"] / 2**20, 1)
            out["rss_ratio"] = round(rss["peak_rss"] / size, 3)
            out["rss_load_s"] = round(rss["load_s"], 3)
    out["load_s"] = round(out["load_s"], 3)
    out["load_start_s"] = round(out["load_start_s"], 3)
    out["goals"] = {
        "overhead_ms_median<5": out["overhead_ms_median"] < 5,
        "load_100mb_s<1": out["load_s"] < 1 and out["load_len_ok"],
        "rss_ratio<2.5": out.get("rss_ratio", 0) < 2.5,
        "batched_64x200ms_s<0.9": out["batched_cell_s"] < 0.9,
        "root_chars_diff_pct<2": out["root_chars_diff_pct"] < 2,
    }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rlm_engine", description=__doc__)
    parser.add_argument("--iterations", type=int, default=40)
    parser.add_argument("--load-mb", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3, help="medians over this many runs")
    parser.add_argument("--rss-mb", type=int, default=400, help="0 skips the RSS measurement")
    parser.add_argument("--no-end-to-end", action="store_true", help="skip the process runs")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args))
    if not args.no_end_to_end:
        result["end_to_end"] = end_to_end(args.repeat)
    print(json.dumps(result))
    return 0 if all(result["goals"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
