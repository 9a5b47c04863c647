"""Shared bits of the examples: open the stack from the environment, ingest, print hits.

Every example runs offline on the embedded defaults (SQLite + Chroma + MiniLM under
ENGRAM_HOME). When an LLM endpoint is configured (OPENAI_BASE_URL / OPENAI_API_KEY) the LLM
parts run too; otherwise they are skipped with a message saying so.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

__all__ = [
    "ROOT",
    "open_engram",
    "ingest",
    "fmt_time",
    "when_said",
    "evidence_line",
    "print_hits",
    "has_endpoint",
    "skip_llm",
]


def open_engram() -> Any:
    from agent.wiring import from_env

    return from_env()


def ingest(engram: Any, path: Path, bank: str) -> dict[str, Any]:
    """Ingest `path` into `bank` (resumable: a second run skips what is done); print a line."""
    from agent.cli.ingest_cmd import format_report
    from agent.ingest import Ingestor

    report = Ingestor(engram.memory, engram.ingest_state()).ingest(path, bank=bank)
    print(format_report(report, limit=5))
    return report.to_dict()


def fmt_time(t: datetime | str | None) -> str:
    if t is None:
        return "?"
    s = t if isinstance(t, str) else t.isoformat()
    return s[:10]


def when_said(h: Any) -> str:
    """ "happened 2025-10-24 · said 2025-10-27" (the first part only when memory knows it)."""
    said = f"said {fmt_time(h.mentioned_at)}"
    return f"happened {fmt_time(h.when)} · {said}" if h.when else said


def evidence_line(step: dict[str, Any]) -> str:
    """One step of a belief's history: when, the confidence after it, and the evidence."""
    ev = step.get("evidence")
    if isinstance(ev, dict):
        text = " ".join(str(ev.get("text") or "").split())[:90]
        ev = f"{ev.get('stance', '?'):10} {text!r} ({ev.get('source') or '?'})"
    return f"{fmt_time(step.get('at'))}  -> {step['confidence']:.2f}  {ev}"


def print_hits(hits: list[Any], n: int = 3, indent: str = "   ") -> None:
    """Each hit with when it happened, when it was said, and where it came from."""
    seen: set[str] = set()
    shown = 0
    for h in hits:
        text = " ".join(h.text.split())
        if text in seen or text.startswith("#"):  # a bare markdown heading says little
            continue
        seen.add(text)
        print(f"{indent}- {text[:220]}")
        print(f"{indent}  {when_said(h)} · source {h.source or '?'}")
        shown += 1
        if shown >= n:
            break
    if not shown:
        print(f"{indent}(nothing in memory)")


def has_endpoint(engram: Any) -> bool:
    return engram.lm is not None


def skip_llm(what: str) -> None:
    print(
        f"\n[{what}: skipped — no LLM endpoint configured. Set OPENAI_BASE_URL (and "
        "OPENAI_API_KEY, ENGRAM_ROOT_MODEL) to any OpenAI-compatible server to run it.]"
    )
