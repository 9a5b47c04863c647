"""The trajectory of a run tree: typed events, written as JSONL while they happen.

Every event carries `run_id` (the run it belongs to), `parent_id` (the run that started that
run, or None for the root) and `t` (seconds since the tree started, when the event happened:
the end of a model call). A child run's events sit in the same file as its parent's; links are
explicit: `ChildRunStart(run_id=parent, child_id=child)`, and every `SubCall` has its own
`call_id` and the `run_id` and `iteration` of the run that made it. `rlm.trace_tree.load_tree`
returns the tree of runs, iterations and calls with tokens, cost and time rolled up.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import IO, Any, ClassVar

__all__ = [
    "Event",
    "RunStart",
    "Iteration",
    "Code",
    "Output",
    "SubCall",
    "SandboxReady",
    "ChildRunStart",
    "ChildRunEnd",
    "Final",
    "BudgetStop",
    "ErrorEvent",
    "RunEnd",
    "TraceWriter",
    "event_from_dict",
    "read_trace",
]

_REGISTRY: dict[str, type[Event]] = {}


@dataclass
class Event:
    type: ClassVar[str] = "event"
    run_id: str = ""
    parent_id: str | None = None
    t: float = 0.0

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        _REGISTRY[cls.type] = cls

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        return event_from_dict(data)


@dataclass
class RunStart(Event):
    type: ClassVar[str] = "run_start"
    at: str = ""  # wall-clock start, ISO 8601 UTC
    query: str = ""
    context: str = ""  # the context's description (never the context itself)
    depth: int = 0
    root_model: str = ""
    sub_model: str = ""
    budget: dict[str, Any] = field(default_factory=dict)
    labels: dict[str, str] = field(
        default_factory=dict
    )  # the caller's tags (e.g. "bank"), root only


@dataclass
class Iteration(Event):
    type: ClassVar[str] = "iteration"
    n: int = 0
    prompt_chars: int = 0  # characters sent to the root model this turn
    response: str = ""
    tokens: int = 0
    cost: float = 0.0
    latency_s: float = 0.0
    remaining: dict[str, Any] = field(default_factory=dict)
    extraction: bool = False


@dataclass
class Code(Event):
    type: ClassVar[str] = "code"
    iteration: int = 0
    index: int = 0
    code: str = ""


@dataclass
class Output(Event):
    type: ClassVar[str] = "output"
    iteration: int = 0
    index: int = 0
    text: str = ""  # what the root was shown (already truncated)
    chars: int = 0  # true length of the cell's output
    error: str | None = None
    duration_s: float = 0.0
    timed_out: bool = False


@dataclass
class SandboxReady(Event):
    type: ClassVar[str] = "sandbox_ready"
    level: str = ""  # "confined" | "partial" | "none" (rlm.sandbox.base.isolation_level)
    layers: list[str] = field(default_factory=list)
    start_s: float = 0.0  # worker start, context load included
    context_load_s: float = 0.0


@dataclass
class SubCall(Event):
    type: ClassVar[str] = "sub_call"
    call_id: str = ""
    iteration: int = 0  # the iteration of `run_id` during which the call was made
    model: str = ""
    prompt_chars: int = 0
    response_chars: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    cost: float = 0.0
    cached: bool = False
    packed: int = 0  # number of prompts answered by this call when it was a packed fan-out call
    error: str | None = None


@dataclass
class ChildRunStart(Event):
    type: ClassVar[str] = "child_run_start"
    child_id: str = ""
    iteration: int = 0  # the parent's iteration that started the child
    query: str = ""
    depth: int = 0


@dataclass
class ChildRunEnd(Event):
    type: ClassVar[str] = "child_run_end"
    child_id: str = ""
    answer: str = ""
    stopped_by: str | None = None


@dataclass
class Final(Event):
    type: ClassVar[str] = "final"
    answer: Any = None
    source: str = "code"  # "code" | "text" | "extraction"


@dataclass
class BudgetStop(Event):
    type: ClassVar[str] = "budget_stop"
    limit: str = ""
    spent: Any = None
    allowed: Any = None


@dataclass
class ErrorEvent(Event):
    type: ClassVar[str] = "error"
    message: str = ""


@dataclass
class RunEnd(Event):
    type: ClassVar[str] = "run_end"
    answer: Any = None
    stopped_by: str | None = None
    usage: dict[str, Any] = field(default_factory=dict)


def event_from_dict(data: dict[str, Any]) -> Event:
    cls = _REGISTRY.get(data.get("type", ""))
    if cls is None:
        raise ValueError(f"unknown trace event type {data.get('type')!r}")
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


class TraceWriter:
    """Appends events to JSONL files (`path`, plus any `copies`), keeps them (if `keep`), tells
    listeners. Each line is flushed when written: a run that dies leaves its trace so far."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        copies: list[str | Path] | None = None,
        keep: bool = False,
        listeners: list[Callable[[Event], None]] | None = None,
    ) -> None:
        self.path = Path(path) if path else None
        self.started = time.monotonic()
        self.events: list[Event] | None = [] if keep else None
        self.listeners = list(listeners or [])
        self._fhs: list[IO[str]] = []
        targets = [p for p in [self.path, *(Path(c) for c in copies or [])] if p is not None]
        for target in dict.fromkeys(t.resolve() for t in targets):
            target.parent.mkdir(parents=True, exist_ok=True)
            self._fhs.append(target.open("w", encoding="utf-8"))

    def emit(self, event: Event) -> None:
        event.t = round(time.monotonic() - self.started, 6)
        if self.events is not None:
            self.events.append(event)
        if self._fhs:
            line = json.dumps(event.to_dict(), default=_jsonable, ensure_ascii=False) + "\n"
            for fh in self._fhs:
                fh.write(line)
                fh.flush()
        for listener in self.listeners:
            listener(event)

    def close(self) -> None:
        fhs, self._fhs = self._fhs, []
        for fh in fhs:
            fh.close()


def _jsonable(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json")
    return repr(value)


def read_trace(path: str | Path) -> list[Event]:
    events = []
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                events.append(event_from_dict(json.loads(line)))
    return events
