"""Fan-out guard: many tiny sub-prompts are packed into fewer, larger prompts.

When one `llm_query_batched` call holds more than `fanout_max_prompts` prompts, prompts short
enough to share a request (at most a quarter of `pack_chars`) are grouped, up to `pack_chars`
characters per group, into one numbered prompt asking the sub model for a JSON list with one
answer per item. `parse_pack_answer` maps the reply back to one answer per original prompt;
items it cannot read come back as None and the caller asks for them one by one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

__all__ = ["plan_packs", "pack_prompt", "parse_pack_answer"]

_MAX_ITEMS_PER_PACK = 64
_NUMBERED = re.compile(r"^\s*(?:\[|#{0,4}\s*(?:item|task)?\s*)(\d+)\s*[\].):\-]\s?", re.I | re.M)


def plan_packs(prompts: Sequence[str], pack_chars: int) -> list[list[int]]:
    """Groups of prompt indices; each group becomes one request (singletons stay as they are).

    Consecutive small prompts share a group while the group's text stays within `pack_chars`.
    """
    small = max(1, pack_chars // 4)
    groups: list[list[int]] = []
    current: list[int] = []
    size = 0
    for i, p in enumerate(prompts):
        if len(p) > small:
            groups.append([i])
            continue
        cost = len(p) + 24  # header per item
        if current and (size + cost > pack_chars or len(current) >= _MAX_ITEMS_PER_PACK):
            groups.append(current)
            current, size = [], 0
        current.append(i)
        size += cost
    if current:
        groups.append(current)
    return groups


def pack_prompt(items: Sequence[str]) -> str:
    """One prompt holding several independent tasks, asking for a JSON list of answers."""
    n = len(items)
    head = (
        f"Answer the {n} independent tasks below. Treat each task on its own, exactly as if it "
        f"were the only one you were given.\n"
        f"Reply with ONLY a JSON array of {n} strings: element i is your complete answer to "
        f"task i. No text before or after the array.\n"
    )
    body = "".join(f"\n### Task {i}\n{item}\n" for i, item in enumerate(items, 1))
    return head + body


def parse_pack_answer(text: str, n: int) -> list[str | None]:
    """One answer per task from a packed reply; None for tasks that could not be read."""
    answers = _from_json(text, n)
    if answers is None:
        answers = _from_numbered(text, n)
    return answers


def _from_json(text: str, n: int) -> list[str | None] | None:
    start, end = text.find("["), text.rfind("]")
    if start < 0 or end <= start:
        return None
    try:
        data = json.loads(text[start : end + 1])
    except ValueError:
        return None
    if not isinstance(data, list) or len(data) != n:
        return None
    return [None if x is None else x if isinstance(x, str) else json.dumps(x) for x in data]


def _from_numbered(text: str, n: int) -> list[str | None]:
    out: list[str | None] = [None] * n
    marks = list(_NUMBERED.finditer(text))
    for k, m in enumerate(marks):
        idx = int(m.group(1)) - 1
        stop = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        answer = text[m.end() : stop].strip()
        if 0 <= idx < n and answer and out[idx] is None:
            out[idx] = answer
    return out
