"""Prompts of the root model, as pure functions (testable without an LLM).

The root never sees the context itself: `describe_context` gives its type, total length and
shape (items / keys) with a preview bounded to a few hundred characters, so the root prompt has
the same size for a 1 MB and a 100 MB context.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rlm.sandbox.base import ContextSpec

__all__ = [
    "PREVIEW_CHARS",
    "system_prompt",
    "describe_context",
    "first_user_prompt",
    "budget_line",
    "cell_feedback",
    "truncate_middle",
    "describe_functions",
    "compact_history",
    "no_code_prompt",
    "placeholder_final_prompt",
    "extraction_prompt",
    "schema_error_prompt",
]

PREVIEW_CHARS = 300
_KEYS_SHOWN = 12


def system_prompt(
    *,
    depth: int,
    max_depth: int,
    extra_functions: Iterable[str] | Mapping[str, str] = (),
    schema_json: str | None = None,
) -> str:
    """The REPL protocol (compatible with the RLM paper's) plus engram's helpers and rules.

    `extra_functions` maps each extra REPL name (e.g. "memory.recall") to a one-line
    description (see `describe_functions`); a plain iterable of names gets a generic line.
    """
    docs = (
        dict(extra_functions)
        if isinstance(extra_functions, Mapping)
        else dict.fromkeys(extra_functions, "")
    )
    extra_text = "".join(_function_line(name, doc) for name, doc in sorted(docs.items()))
    recursion = (
        "- `rlm_query(query, context) -> str`: a child RLM with its own REPL for a hard sub-task "
        f"(you are at depth {depth}; the maximum depth is {max_depth})."
        if depth < max_depth
        else "- `rlm_query` is not available at this depth; use `llm_query`."
    )
    schema_text = (
        f"\nYour final answer must be a JSON object matching this JSON schema:\n{schema_json}\n"
        "Pass it to FINAL as a dict (or a JSON string)."
        if schema_json
        else ""
    )
    return f"""You are answering a query about a context that is too large to read at once. \
The context is NOT in this conversation: it is stored in a Python REPL as the variable \
`context`. You work by writing Python code in ```repl fenced blocks; each block is executed \
in order in the same persistent REPL and you are shown its (truncated) printed output.

Functions in the REPL:
- `context`: the data (its type, size and a short preview are given below).
- `llm_query(prompt) -> str`: ask a sub-model (it can read ~100K characters per prompt).
- `llm_query_batched(prompts) -> list[str]`: many independent prompts at once, run \
concurrently, answers in the same order. Use it for fan-out over chunks instead of a loop \
of llm_query calls. A failed item comes back as a string starting with "Error:".
{recursion}
- `peek(obj, start=0, n=2000)`, `grep(pattern, obj, context_lines=0, max_hits=100)` (regex, \
case-insensitive; returns hits with `.line`, `.text`), `chunk(obj, size=None, overlap=0)` (a \
str into pieces of `size` chars, a list into `size` items): fast helpers, e.g. \
`grep("error", context)`; `SHOW_VARS()` lists your variables.
- `note_finding(text)`: record a durable finding worth remembering after this session.{extra_text}
- `FINAL(answer)`: finish with this answer. `FINAL_VAR("name")`: finish with the value of a \
REPL variable.

Rules:
- Look at the context with code (peek, grep, chunk, len) before answering; never guess.
- Print only what you need: long outputs are cut to their head and tail.
- Limits (iterations, sub-calls, tokens, cost, time) are enforced outside the REPL; each turn \
shows what is left. Batch sub-calls; do not send thousands of tiny prompts.
- When you know the answer, call FINAL(...) in a repl block (or write FINAL(...) as plain \
text). Do not call FINAL before you have seen the output that supports it.{schema_text}"""


def _function_line(name: str, doc: str) -> str:
    """`- `name(sig)`: doc` from a describe_functions line ("(sig): doc") or a bare doc."""
    if doc.startswith("("):
        sig, _, text = doc.partition("): ")
        return f"\n- `{name}{sig})`: {text}"
    return f"\n- `{name}(...)`: {doc or 'a host function provided for this run.'}"


def describe_context(context: Any) -> str:
    """Type, total length, structure and a bounded preview of the context."""
    if isinstance(context, ContextSpec):
        if context.path is not None:
            return _describe_file(Path(context.path), context.kind)
        context = context.value
    if isinstance(context, Path):
        return _describe_file(context, "auto")
    if isinstance(context, str):
        return f"type: str, {len(context):,} characters\npreview: {_preview(context)}"
    if isinstance(context, dict):
        keys = list(context.keys())
        shown = ", ".join(repr(k)[:40] for k in keys[:_KEYS_SHOWN])
        more = f", ... ({len(keys) - _KEYS_SHOWN} more)" if len(keys) > _KEYS_SHOWN else ""
        return (
            f"type: dict, {len(keys):,} keys: {shown}{more}\npreview: {_preview(_dumps(context))}"
        )
    if isinstance(context, list | tuple):
        lengths = "" if not context else f", first item {type(context[0]).__name__}"
        return (
            f"type: list, {len(context):,} items{lengths}\n"
            f"preview: {_preview(_dumps(context[:20]))}"
        )
    return f"type: {type(context).__name__}\npreview: {_preview(repr(context))}"


def _describe_file(path: Path, kind: str) -> str:
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(PREVIEW_CHARS * 4).decode("utf-8", "replace")
    if kind == "auto":
        kind = {".json": "json", ".jsonl": "jsonl"}.get(path.suffix.lower(), "text")
    shape = {
        "json": "parsed JSON",
        "jsonl": "list (one parsed JSON value per line)",
        "lines": "list[str] (one item per line)",
    }.get(kind, "str")
    return (
        f"type: {shape}, loaded from a {size:,}-byte file {path.name!r}\npreview: {_preview(head)}"
    )


def _dumps(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, default=str)[: PREVIEW_CHARS * 2]
    except (TypeError, ValueError):
        return repr(value)[: PREVIEW_CHARS * 2]


def _preview(text: str) -> str:
    cut = text[:PREVIEW_CHARS]
    return repr(cut) + (" ..." if len(text) > PREVIEW_CHARS else "")


def first_user_prompt(query: str, context_description: str, remaining: dict[str, Any]) -> str:
    return (
        f"Query: {query}\n\nContext:\n{context_description}\n\n{budget_line(remaining)}\n"
        "Start by examining the context in the REPL."
    )


def budget_line(remaining: dict[str, Any]) -> str:
    """One line with what is left of every limit (None = unlimited)."""
    parts = [f"iterations {remaining['iterations']}", f"sub-calls {remaining['sub_calls']}"]
    if remaining.get("tokens") is not None:
        parts.append(f"tokens {remaining['tokens']:,}")
    if remaining.get("cost") is not None:
        parts.append(f"cost ${remaining['cost']:.4f}")
    if remaining.get("wall_s") is not None:
        parts.append(f"time {remaining['wall_s']:.0f}s")
    return "[budget left] " + ", ".join(parts)


def truncate_middle(text: str, max_chars: int, true_len: int | None = None) -> str:
    """Head and tail of `text` within `max_chars`, saying how long the whole output was."""
    total = len(text) if true_len is None else max(true_len, len(text))
    if total <= max_chars and len(text) <= max_chars:
        return text
    half = max(0, max_chars // 2)
    return (
        f"{text[:half]}\n... [output truncated: {total:,} characters in total, "
        f"showing the first and last {half:,}] ...\n{text[-half:] if half else ''}"
    )


def cell_feedback(
    index: int, output: str, error: str | None, *, max_chars: int, true_len: int
) -> str:
    body = truncate_middle(output, max_chars, true_len) if output else ""
    if error:
        body = (body + "\n" if body else "") + truncate_middle(error, max_chars // 4 or 1)
    return f"[cell {index} output]\n{body or '(no output)'}"


def no_code_prompt() -> str:
    return (
        "Your reply had no ```repl code block and no FINAL. Write code to examine the "
        "context, or finish with FINAL(answer)."
    )


def placeholder_final_prompt() -> str:
    return (
        "FINAL(answer) was not accepted: there is no REPL variable named `answer`. Put the "
        'answer itself inside FINAL, e.g. FINAL(4817203) or FINAL("the key is X").'
    )


def extraction_prompt(limit: str) -> str:
    return (
        f"The run has reached its limit ({limit}). Do not write more code that explores. "
        "Give your best answer now from what you have found so far, as FINAL(answer) "
        '(or FINAL_VAR("name") for a REPL variable).'
    )


def schema_error_prompt(error: str) -> str:
    return (
        "Your FINAL answer does not match the required schema:\n"
        f"{error}\nFix it and call FINAL again with a valid value."
    )


def describe_functions(handlers: Mapping[str, Any]) -> dict[str, str]:
    """One line per host function: its call signature and the first line of its docstring.

    >>> async def recall(query: str, k: int = 5):
    ...     "Hits from memory."
    >>> describe_functions({"memory.recall": recall})
    {'memory.recall': '(query, k=5): Hits from memory.'}
    """
    out: dict[str, str] = {}
    for name, fn in handlers.items():
        try:
            params = inspect.signature(fn).parameters.values()
            sig = "(" + ", ".join(_param_text(p) for p in params) + ")"
        except (TypeError, ValueError):
            sig = "(...)"
        doc = (inspect.getdoc(fn) or "").strip().splitlines()
        out[name] = f"{sig}: {doc[0] if doc else 'a host function provided for this run.'}"
    return out


def _param_text(param: inspect.Parameter) -> str:
    if param.kind is param.VAR_POSITIONAL:
        return f"*{param.name}"
    if param.kind is param.VAR_KEYWORD:
        return f"**{param.name}"
    if param.default is param.empty:
        return param.name
    return f"{param.name}={param.default!r}"


ELIDED_HEAD_CHARS = 300


def compact_history(
    messages: list[dict[str, str]], max_chars: int, keep_recent: int = 3
) -> list[dict[str, str]]:
    """The root conversation cut to about `max_chars`, so long runs never overflow the root's
    window: the system prompt, the first user prompt and the last `keep_recent` turns stay
    whole; older outputs (user turns) are cut to their head, oldest first, then older replies
    to head + tail. Code the model wrote stays readable; its variables still hold the data."""
    total = sum(len(m["content"]) for m in messages)
    if total <= max_chars:
        return list(messages)
    out = [dict(m) for m in messages]
    protected = max(2, len(out) - 2 * keep_recent)
    for role, shrink in (("user", _elide_output), ("assistant", _elide_reply)):
        for m in out[2:protected]:
            if total <= max_chars:
                return out
            if m["role"] == role:
                before = len(m["content"])
                m["content"] = shrink(m["content"])
                total -= before - len(m["content"])
    return out


def _elide_output(text: str) -> str:
    if len(text) <= ELIDED_HEAD_CHARS * 2:
        return text
    return (
        text[:ELIDED_HEAD_CHARS]
        + f"\n[... older output elided to save context ({len(text):,} chars); "
        "re-run code or inspect your REPL variables to see it again]"
    )


def _elide_reply(text: str) -> str:
    return text if len(text) <= 4000 else truncate_middle(text, 4000)
