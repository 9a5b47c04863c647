"""How the UI lays out what the operations return; pure functions over their JSON, no reads.

- `chains`: supersession pairs ({"old", "new", "at"}) joined into timelines, oldest value first
  ("MySQL until 2025-10-14, then PostgreSQL");
- `chart_points`: a belief's history as chart points, each naming the evidence row it links to;
- `find_node` / `child_slice`: a node of a trace tree and one page of its children;
- `fold`: a long text cut for display, with how much is hidden.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

__all__ = ["chains", "chart_points", "find_node", "child_slice", "fold", "MAX_CHILDREN"]

MAX_CHILDREN = 100  # children of one trace node rendered at once ("more" loads the next ones)


def _segment(fact: dict[str, Any], why: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "fact_id": fact.get("fact_id"),
        "text": fact.get("text", ""),
        "since": fact.get("when") or fact.get("mentioned_at"),
        "until": fact.get("invalidated_at"),
        "source": fact.get("source"),
        "why": why or {},  # what the store recorded about the change that ended it, if anything
    }


def chains(pairs: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Timelines of values: each a list of segments, the current value last. A pair whose old
    fact is another pair's new fact continues that pair's timeline."""
    by_old = {p["old"]["fact_id"]: p for p in pairs if p.get("old")}
    newer = {p["new"]["fact_id"] for p in pairs if p.get("new")}
    out = []
    for start in [p for p in pairs if p["old"]["fact_id"] not in newer]:
        line: list[dict[str, Any]] = []
        pair: dict[str, Any] | None = start
        seen: set[str] = set()
        while pair is not None and pair["old"]["fact_id"] not in seen:
            seen.add(pair["old"]["fact_id"])
            line.append(_segment(pair["old"], pair["old"].get("supersession")))
            new = pair.get("new")
            pair = by_old.get(new["fact_id"]) if new else None
            if pair is None and new:
                line.append(_segment(new, None))
        out.append(line)
    return sorted(out, key=lambda line: str(line[-1]["since"] or ""), reverse=True)


def _epoch(value: Any) -> float | None:
    try:
        return datetime.fromisoformat(str(value)).timestamp()
    except ValueError:
        return None


def chart_points(belief: dict[str, Any], anchor: str) -> list[dict[str, Any]]:
    """{"t" (epoch s), "y" (confidence after), "stance", "href" (#row id)} per history entry."""
    points = []
    for n, h in enumerate(belief.get("history") or []):
        t = _epoch(h.get("at"))
        if t is not None:
            ev = h.get("evidence") or {}
            points.append({"t": t, "y": float(h.get("confidence") or 0.0),
                           "stance": ev.get("stance", ""), "href": f"#{anchor}-{n}"})  # fmt: skip
    return points


def find_node(tree: dict[str, Any], node_id: str) -> tuple[dict[str, Any] | None, int]:
    """The node `node_id` of a trace tree and the RLM depth of the run it belongs to."""
    stack = [(tree, int(tree.get("detail", {}).get("depth") or 0))]
    while stack:
        node, depth = stack.pop()
        if node["kind"] == "run":
            depth = int(node.get("detail", {}).get("depth") or depth)
        if node["id"] == node_id:
            return node, depth
        stack += [(c, depth) for c in node.get("children", [])]
    return None, 0


def child_slice(node: dict[str, Any], offset: int) -> tuple[list[dict[str, Any]], int]:
    """One page of a node's children and how many are left after it."""
    kids = node.get("children", [])
    page = kids[offset : offset + MAX_CHILDREN]
    return page, max(0, len(kids) - offset - len(page))


def fold(text: Any, keep: int) -> dict[str, Any]:
    """{"head", "rest", "chars"}: the first `keep` characters, the remainder (empty when the text
    fits), the full length."""
    s = "" if text is None else str(text)
    return {"head": s[:keep], "rest": s[keep:], "chars": len(s)}
