"""rlm: hand large inputs and attached files to the RLM engine.

The context is the attached file (a `Path`, read by the worker itself), several attached files
(a dict path -> text), the inline context, or, when the message itself is the large input, the
message. The run's answer, findings and sub-results travel on in the state as a `RunRecord`.
A run that could not even start, or failed without an answer (an unreachable model), is not
the end of the turn: the answer then comes from memory alone, saying what failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent.errors import AttachmentError, NoModelError
from agent.nodes.recall_node import offline_answer
from agent.session import RunRecord
from agent.state import AgentDeps, AgentState
from rlm.errors import RLMError

__all__ = ["INLINE_QUERY", "build_context", "rlm_node"]

INLINE_QUERY = "Do what the user's message in `context` asks, and answer it."


def build_context(state: AgentState, threshold_chars: int) -> tuple[str, Any]:
    """(query, context) for the RLM from the turn's input, attachments and inline context."""
    text = state.get("input", "")
    paths = [Path(p) for p in state.get("attachments") or []]
    for p in paths:
        if not p.is_file():
            raise AttachmentError(str(p), "no such file" if not p.exists() else "not a file")
    if len(paths) == 1:
        return text, paths[0]
    if paths:
        return text, {str(p): p.read_text(errors="replace") for p in paths}
    if state.get("context"):
        return text, state["context"]
    if len(text) > threshold_chars:
        return INLINE_QUERY, text
    return text, ""


async def rlm_node(state: AgentState, deps: AgentDeps) -> dict[str, Any]:
    trace = list(state.get("trace", []))
    try:
        if deps.rlm is None:
            raise NoModelError("rlm")
        query, context = build_context(state, deps.settings.rlm_threshold_chars)
        result = await deps.rlm.arun(query, context, **_trace_kw(deps, state))
    except (NoModelError, AttachmentError, RLMError) as exc:
        trace.append({"node": "rlm", "error": f"{type(exc).__name__}: {exc}"})
        return await _from_memory(
            state, deps, f"the RLM path failed: {exc}; answered from memory alone", trace
        )
    record = RunRecord.from_result(result)
    if record.stopped_by == "error" and record.answer is None:
        trace.append({"node": "rlm", "run_id": record.run_id, "error": result.error})
        note = f"the RLM run failed ({result.error}); answered from memory alone"
        return await _from_memory(state, deps, note, trace, record.to_dict() | {"query": query})
    answer = str(record.answer) if record.answer is not None else ""
    if record.stopped_by:
        answer = f"{answer}\n(partial: stopped by {record.stopped_by})".strip()
    trace.append(
        {
            "node": "rlm",
            "run_id": record.run_id,
            "stopped_by": record.stopped_by,
            "findings": len(record.findings),
            "usage": record.usage,
        }
    )
    sources = [
        {
            "text": f"RLM run over {_describe(context)}",
            "when": None,
            "mentioned_at": None,
            "source": f"rlm:{record.run_id}",
            "score": 1.0,
        }
    ]
    return {
        "answer": answer,
        "rlm": record.to_dict() | {"query": query},
        "sources": sources,
        "trace": trace,
    }


async def _from_memory(
    state: AgentState,
    deps: AgentDeps,
    note: str,
    trace: list[dict[str, Any]],
    rlm: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The turn's answer from memory alone after the RLM path failed (`note` says how)."""  # fmt: skip
    question = state.get("input", "")
    text, sources = await offline_answer(deps, question, note=note) if question else ("", [])
    answer = text or f"{note} Nothing to answer from memory."
    return {"answer": answer, "rlm": rlm, "sources": sources, "trace": trace}


def _describe(context: Any) -> str:
    if isinstance(context, Path):
        return str(context)
    if isinstance(context, dict):
        return f"{len(context)} files"
    return f"{len(context)} chars of input"


def _trace_kw(deps: AgentDeps, state: AgentState) -> dict[str, Any]:
    if not deps.settings.trace_dir:
        return {}
    name = f"{state.get('thread_id', 'default')}-{state.get('turn', 0)}.jsonl"
    return {"trace_path": Path(deps.settings.trace_dir) / name}
