"""Long-context tasks to run the RLM engine against real endpoints.

- ``niah``: S-NIAH style. One needle ("The special magic number for crimson-lighthouse is
  4817203.") hidden at a seeded depth in generated haystack text; the answer is the number.
- ``oolong``: OOLONG style. Thousands of dated customer messages, each belonging to one of five
  categories; the question counts or compares categories and the generator computes the answer.
  With ``--labels explicit`` (default) each line names its category; with ``implicit`` the
  categories must be inferred from the text (as in OOLONG), which needs sub-calls.

Sizes are in tokens at ~4 characters per token; ``8k`` = 8,192 tokens (RULER's convention).
Everything is deterministic for a seed. Run::

    python -m bench.rlm_tasks niah --sizes 8k,100k,1m --seed 0 --runs 3
    python -m bench.rlm_tasks oolong --sizes 32k --dry-run --out /tmp/tasks

Models come from `rlm.config.from_env` (OPENAI_API_KEY, OPENAI_BASE_URL, ENGRAM_ROOT_MODEL,
ENGRAM_SUB_MODEL). The last stdout line is one JSON object with accuracy, tokens and cost.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rlm.errors import RLMError

__all__ = [
    "Task",
    "make_niah",
    "make_oolong",
    "make_task",
    "parse_size",
    "score_answer",
    "main",
]

CHARS_PER_TOKEN = 4

# -- haystack vocabulary: no digits, never the word "magic" -------------------------------------
# fmt: off
_SUBJECTS = ("the river", "an old farmer", "the committee", "a quiet student",
    "the northern wind", "our neighbour", "the morning train", "a tired painter",
    "the city council", "every gardener", "the small bakery", "a travelling musician",)
_VERBS = ("noticed", "carried", "described", "ignored", "remembered", "painted", "discussed",
    "followed", "repaired", "questioned", "admired", "collected",)
_OBJECTS = ("the broken fence", "a basket of apples", "the long winter", "several letters",
    "the evening light", "a forgotten song", "the village square", "an empty bottle",
    "the rising tide", "a pair of boots", "the harvest plans", "the narrow bridge",)
_TAILS = ("before sunset", "without a word", "as usual", "in the rain", "after lunch",
    "near the harbour", "with great care", "for no clear reason", "at the market",
    "during the festival", "under the oak tree", "late at night",)
_ADJ = ("crimson", "silent", "amber", "hollow", "brisk", "velvet", "lunar", "rustic", "frozen",
    "golden", "hidden", "wandering", "copper", "gentle", "scarlet", "misty",)
_NOUNS = ("lighthouse", "falcon", "orchard", "lantern", "glacier", "harbor", "meadow", "compass",
    "canyon", "willow", "beacon", "quarry", "thistle", "saddle", "comet", "anchor",)

# fmt: on

# -- OOLONG-style categories, each with unambiguous message templates ---------------------------
LABELS = ("billing", "shipping", "technical", "account", "praise")
_TEMPLATES: dict[str, tuple[str, ...]] = {
    "billing": (
        "I was charged twice for my {p} subscription this month.",
        "Can I get a refund for the {p} order I cancelled?",
        "My invoice shows the wrong amount for the {p}.",
        "Why was my card declined when I paid for the {p}?",
    ),
    "shipping": (
        "My {p} package has still not arrived.",
        "The tracking page for my {p} shows no updates for a week.",
        "The box with my {p} arrived crushed.",
        "Can I change the delivery address for my {p} order?",
    ),
    "technical": (
        "The {p} app crashes every time I open it.",
        "My {p} will not connect to the wifi.",
        "The firmware update on my {p} failed halfway.",
        "The {p} shows an error whenever I try to sync.",
    ),
    "account": (
        "I forgot the password for my {p} account.",
        "How do I change the email address on my {p} account?",
        "Please delete my {p} account and all my data.",
        "I cannot log in to my {p} account since the reset.",
    ),
    "praise": (
        "I love the new {p}, great job!",
        "The agent who helped me with my {p} was fantastic.",
        "The {p} works perfectly, thank you.",
        "Really happy with how fast the {p} is.",
    ),
}
# fmt: off
_PRODUCTS = ("smart kettle", "robot vacuum", "fitness band", "desk lamp", "e-reader",
    "air purifier", "baby monitor", "coffee grinder", "door camera", "thermostat", "bike light",
    "label printer",)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",)
# fmt: on


@dataclass
class Task:
    """One generated task: the context text, the query, and the exact expected answer."""

    kind: str
    size_tokens: int
    seed: int
    query: str
    expected: str | int
    answer_type: str  # "number" (niah, oolong counts) or "label"
    context: str = field(repr=False)
    meta: dict[str, Any] = field(default_factory=dict)

    def score(self, answer: Any) -> float:
        return score_answer(self, answer)

    def record(self) -> dict[str, Any]:
        """Everything but the context (for expected-answer files and reports)."""
        d = asdict(self)
        d.pop("context")
        d["context_chars"] = len(self.context)
        return d


def parse_size(text: str) -> int:
    """'8k' -> 8192, '1m' -> 1048576, '5000' -> 5000 (tokens)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([km]?)\s*", text.lower())
    if not m:
        raise ValueError(f"size {text!r}: use a number of tokens like 8k, 100k, 1m or 5000")
    mult = {"": 1, "k": 1024, "m": 1024 * 1024}[m.group(2)]
    return int(float(m.group(1)) * mult)


def format_size(tokens: int) -> str:
    for suffix, mult in (("m", 1024 * 1024), ("k", 1024)):
        if tokens >= mult and tokens % mult == 0:
            return f"{tokens // mult}{suffix}"
    return str(tokens)


# -- NIAH ----------------------------------------------------------------------------------------
def _sentence_pool(rng: random.Random, n: int = 2000) -> list[str]:
    pool = []
    for _ in range(n):
        s = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_TAILS)}."
        pool.append(s[0].upper() + s[1:])
    return pool


def _haystack(rng: random.Random, n_chars: int) -> str:
    pool = _sentence_pool(rng)
    avg = sum(map(len, pool)) / len(pool) + 1
    picks = rng.choices(pool, k=int(n_chars / avg) + 16)
    # a paragraph break every 6 sentences
    paras = (" ".join(picks[i : i + 6]) for i in range(0, len(picks), 6))
    return "\n".join(paras)[:n_chars]


def _needle_keys(rng: random.Random, n: int) -> list[str]:
    keys: list[str] = []
    while len(keys) < n:
        key = f"{rng.choice(_ADJ)}-{rng.choice(_NOUNS)}"
        if key not in keys:
            keys.append(key)
    return keys


def _insert_at_sentence(text: str, pos: int, insert: str) -> str:
    cut = text.rfind(". ", 0, max(pos, 1))
    cut = 0 if cut < 0 else cut + 2
    return text[:cut] + insert + " " + text[cut:]


def make_niah(size_tokens: int, seed: int = 0, *, distractors: int = 0) -> Task:
    """A haystack of `size_tokens` with one needle (plus `distractors` needles for other keys)."""
    rng = random.Random(f"niah:{size_tokens}:{seed}")
    keys = _needle_keys(rng, 1 + distractors)
    values = rng.sample(range(1_000_000, 10_000_000), len(keys))
    needles = [
        f"The special magic number for {k} is {v}." for k, v in zip(keys, values, strict=True)
    ]
    budget = size_tokens * CHARS_PER_TOKEN - sum(len(n) + 1 for n in needles)
    text = _haystack(rng, max(budget, 200))
    depth = rng.random()
    for needle in needles[1:]:
        text = _insert_at_sentence(text, int(rng.random() * len(text)), needle)
    text = _insert_at_sentence(text, int(depth * len(text)), needles[0])
    query = (
        f"What is the special magic number for {keys[0]} mentioned in the context? "
        "Answer with the number only."
    )
    meta = {
        "key": keys[0],
        "needle": needles[0],
        "depth": round(depth, 4),
        "distractor_values": values[1:],
    }
    return Task("niah", size_tokens, seed, query, values[0], "number", text, meta)


# -- OOLONG --------------------------------------------------------------------------------------
def _oolong_lines(
    rng: random.Random, n_chars: int, explicit: bool
) -> tuple[list[str], list[tuple[str, int]]]:
    weights = [rng.uniform(0.4, 2.0) for _ in LABELS]
    start = dt.date(2024, 1, 1)
    lines: list[str] = []
    facts: list[tuple[str, int]] = []  # (label, month 1..12) per line
    total = 0
    while total < n_chars:
        label = rng.choices(LABELS, weights)[0]
        day = start + dt.timedelta(days=rng.randrange(366))
        text = rng.choice(_TEMPLATES[label]).format(p=rng.choice(_PRODUCTS))
        line = f"{day.isoformat()} | user {rng.randrange(10_000):04d} | {text}"
        if explicit:
            line += f" | label: {label}"
        lines.append(line)
        facts.append((label, day.month))
        total += len(line) + 1
    return lines, facts


def _unique_top(counts: Counter[str]) -> str | None:
    ranked = counts.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def _oolong_question(
    rng: random.Random, facts: list[tuple[str, int]], question: str | None
) -> tuple[str, str, str | int]:
    """(question kind, question text, expected answer)."""
    counts = Counter(label for label, _ in facts)
    kind = question or rng.choice(["count", "compare", "most_common", "count_month"])
    if kind == "most_common" and (top := _unique_top(counts)) is not None:
        return kind, "Which category occurs most often? Answer with the category name only.", top
    if kind == "compare":
        a, b = rng.sample(LABELS, 2)
        if counts[a] != counts[b]:
            winner = a if counts[a] > counts[b] else b
            q = f"Which category occurs more often: '{a}' or '{b}'? Answer with the category name only."
            return kind, q, winner
    if kind == "count_month":
        label, month = rng.choice(LABELS), rng.randrange(1, 13)
        n = sum(1 for lab, m in facts if lab == label and m == month)
        q = f"How many '{label}' messages are dated in {_MONTHS[month - 1]} 2024? Answer with a number only."
        return kind, q, n
    label = rng.choice(LABELS)
    return (
        "count",
        f"How many messages are in the category '{label}'? Answer with a number only.",
        counts[label],
    )


def make_oolong(
    size_tokens: int, seed: int = 0, *, labels: str = "explicit", question: str | None = None
) -> Task:
    """Dated customer messages in five categories; a count/compare question with an exact answer."""
    if labels not in ("explicit", "implicit"):
        raise ValueError("labels must be 'explicit' or 'implicit'")
    rng = random.Random(f"oolong:{size_tokens}:{seed}:{labels}")
    lines, facts = _oolong_lines(rng, size_tokens * CHARS_PER_TOKEN, labels == "explicit")
    kind, q, expected = _oolong_question(rng, facts, question)
    how = (
        "Its category is given at the end of the line."
        if labels == "explicit"
        else "Its category is not given; infer it from the message text."
    )
    preamble = (
        "The context holds one customer message per line: date | user | message. Every message "
        f"belongs to exactly one category of: {', '.join(LABELS)}. {how} "
    )
    counts = Counter(label for label, _ in facts)
    meta = {"question": kind, "labels": labels, "lines": len(lines), "counts": dict(counts)}
    answer_type = "label" if isinstance(expected, str) else "number"
    return Task(
        "oolong", size_tokens, seed, preamble + q, expected, answer_type, "\n".join(lines), meta
    )


def make_task(kind: str, size_tokens: int, seed: int = 0, **kw: Any) -> Task:
    if kind == "niah":
        return make_niah(size_tokens, seed, **kw)
    if kind == "oolong":
        return make_oolong(size_tokens, seed, **kw)
    raise ValueError(f"unknown task {kind!r}: use 'niah' or 'oolong'")


# -- scoring -------------------------------------------------------------------------------------
def score_answer(task: Task, answer: Any) -> float:
    """1.0 for an exact answer. Counts get OOLONG's partial credit 0.75^|error|."""
    text = str(answer if answer is not None else "").strip().lower()
    if task.answer_type == "label":
        named = {lab for lab in LABELS if re.search(rf"\b{lab}\b", text)}
        return 1.0 if named == {str(task.expected)} else 0.0
    numbers = [int(n.replace(",", "")) for n in re.findall(r"-?\d[\d,]*", text)]
    if not numbers:
        return 0.0
    expected = int(task.expected)
    if task.kind == "niah":  # right number, and no distractor's number beside it
        wrong = set(task.meta.get("distractor_values", ())) & set(numbers)
        return 1.0 if expected in numbers and not wrong else 0.0
    return 0.75 ** abs(numbers[-1] - expected)


# -- CLI -----------------------------------------------------------------------------------------
def _write(task: Task, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{task.kind}-{format_size(task.size_tokens)}-s{task.seed}.txt"
    path.write_text(task.context)
    return path


def _build_engine(args: argparse.Namespace) -> tuple[Any, str, str]:
    """(RLM instance, root model, sub model); imports the engine lazily."""
    try:
        from rlm.budget import Budget
        from rlm.engine import RLM
    except ImportError as e:
        raise SystemExit(
            f"the RLM engine is not available ({e}); use --dry-run to only generate"
        ) from None
    from rlm.config import from_env

    root, sub = from_env("root"), from_env("sub")
    budget = Budget(
        max_iterations=args.max_iterations, max_cost=args.max_cost, max_wall_s=args.timeout
    )
    return RLM(root, sub, budget=budget), root.model, sub.model


async def _run_one(rlm: Any, task: Task, path: Path, out: Path) -> dict[str, Any]:
    trace = out / f"{path.stem}.trace.jsonl"
    t0 = time.perf_counter()
    try:
        result = await rlm.arun(task.query, path, trace_path=trace)
    except Exception as e:  # one failed run must not sink the benchmark
        return {
            "error": f"{type(e).__name__}: {e}",
            "score": 0.0,
            "correct": False,
            "wall_s": round(time.perf_counter() - t0, 2),
        }
    usage = result.usage or {}
    score = task.score(result.answer)
    return {
        "answer": str(result.answer)[:200],
        "score": round(score, 4),
        "correct": score == 1.0,
        "stopped_by": result.stopped_by,
        "tokens": usage.get("total_tokens", 0),
        "cost": round(float(usage.get("cost", 0.0)), 6),
        "sub_calls": usage.get("sub_calls", 0),
        "iterations": usage.get("iterations", 0),
        "wall_s": round(time.perf_counter() - t0, 2),
        "trace": str(trace),
    }


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows) or 1
    return {
        "runs": len(rows),
        "accuracy": round(sum(bool(r.get("correct")) for r in rows) / n, 4),
        "mean_score": round(sum(r.get("score", 0.0) for r in rows) / n, 4),
        "tokens": sum(r.get("tokens", 0) for r in rows),
        "cost": round(sum(r.get("cost", 0.0) for r in rows), 6),
    }


def _task_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    if args.task == "niah":
        return {"distractors": args.distractors}
    return {"labels": args.labels, "question": args.question}


async def _amain(args: argparse.Namespace) -> dict[str, Any]:
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    out = Path(args.out)
    engine = None if args.dry_run else _build_engine(args)
    rows: list[dict[str, Any]] = []
    for size in sizes:
        for run in range(args.runs):
            task = make_task(args.task, size, args.seed + run, **_task_kwargs(args))
            path = _write(task, out)
            row: dict[str, Any] = {
                "size": format_size(size),
                **task.record(),
                "context_path": str(path),
            }
            if engine is not None:
                row.update(await _run_one(engine[0], task, path, out))
            rows.append(row)
            print(_progress_line(row), flush=True)
    return _report(args, rows, sizes, engine)


def _progress_line(row: dict[str, Any]) -> str:
    head = f"{row['kind']} {row['size']} seed={row['seed']} expected={row['expected']!r}"
    if "score" not in row:
        return f"{head} -> {row['context_path']}"
    got = row.get("error") or row.get("answer")
    return f"{head} got={got!r} score={row['score']} tokens={row.get('tokens', 0)} cost=${row.get('cost', 0)}"


def _report(
    args: argparse.Namespace, rows: list[dict[str, Any]], sizes: list[int], engine: Any
) -> dict[str, Any]:
    report: dict[str, Any] = {"task": args.task, "seed": args.seed, "dry_run": args.dry_run}
    if args.dry_run:
        expected = Path(args.out) / f"{args.task}-expected.jsonl"
        expected.write_text("".join(json.dumps(r, default=str) + "\n" for r in rows))
        report.update(out=str(args.out), expected_file=str(expected), tasks=len(rows))
        return report
    report.update(root_model=engine[1], sub_model=engine[2], **_summary(rows))
    report["by_size"] = {
        format_size(s): _summary([r for r in rows if r["size_tokens"] == s]) for s in sizes
    }
    report["results"] = [
        {
            k: r.get(k)
            for k in (
                "size",
                "seed",
                "expected",
                "answer",
                "score",
                "tokens",
                "cost",
                "stopped_by",
                "error",
            )
        }
        for r in rows
    ]
    return report


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench.rlm_tasks", description=__doc__.split("\n\n")[0]
    )
    p.add_argument("task", choices=["niah", "oolong"])
    p.add_argument("--sizes", default="8k", help="comma-separated token sizes, e.g. 8k,100k,1m,10m")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--runs", type=int, default=1, help="tasks per size (seeds seed..seed+runs-1)")
    p.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "engram-rlm-tasks"))
    p.add_argument(
        "--dry-run", action="store_true", help="only write contexts and expected answers"
    )
    p.add_argument("--distractors", type=int, default=0, help="niah: needles for other keys")
    p.add_argument("--labels", choices=["explicit", "implicit"], default="explicit")
    p.add_argument("--question", choices=["count", "compare", "most_common", "count_month"])
    p.add_argument("--max-iterations", type=int, default=30)
    p.add_argument("--max-cost", type=float, default=None, help="USD per run")
    p.add_argument("--timeout", type=float, default=None, help="wall-clock seconds per run")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        report = asyncio.run(_amain(args))
    except (ValueError, OSError, RLMError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(json.dumps(report, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
