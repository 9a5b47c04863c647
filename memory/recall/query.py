"""Query analysis: what kind of question this is, derived from the query text alone.

The result drives channel weights and filters. Nothing here is tuned to any dataset: the cues are
ordinary English question words ("when", "who", "why") and history words ("used to", "before").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from memory.models import TimeRange

__all__ = ["QueryAnalysis", "analyse_query", "ChannelWeights", "without_names"]

_HISTORY = re.compile(
    r"\b(used to|previously|formerly|originally|no longer|anymore|history|changed|change|"
    r"switch(?:ed)?|before|until|prior|earlier|at first|initially|was it|were we)\b",
    re.IGNORECASE,
)
_WH = re.compile(
    r"^\s*(when|who|whom|whose|why|how|what|which|where|did|does|do|is|are|was)\b", re.I
)
_LIST = re.compile(
    r"\b(all|both|every|each|list|which|what (?:are|were) .*s\b|things|ways)\b", re.I
)
_WORD = re.compile(r"[^\W_]+")


@dataclass
class ChannelWeights:
    """Relative trust in each channel for one query (fusion multiplies channel scores by these)."""

    vector: float = 1.0
    keyword: float = 1.0
    graph: float = 0.25
    temporal: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "vector": self.vector,
            "keyword": self.keyword,
            "graph": self.graph,
            "temporal": self.temporal,
        }


@dataclass
class QueryAnalysis:
    text: str
    wh: str | None = None  # leading question word, lower-cased
    words: list[str] = field(default_factory=list)
    wants_history: bool = False
    wants_list: bool = False  # answer may be spread over many facts (breadth over depth)
    time_range: TimeRange | None = None  # from time words in the query (soft)
    weights: ChannelWeights = field(default_factory=ChannelWeights)


def _weights(a: QueryAnalysis) -> ChannelWeights:
    w = ChannelWeights()
    if len(a.words) <= 3:  # keyword-like queries ("postgres migration"): trust exact terms more
        w.keyword = 1.3
    if a.time_range is not None:
        w.temporal = 0.5
    if a.wh == "when":
        w.temporal = max(w.temporal, 0.15)
    return w


def analyse_query(
    query: str,
    *,
    now: datetime,
    time_parser: Callable[[str, datetime], TimeRange | None] | None = None,
) -> QueryAnalysis:
    """Classify `query`. `time_parser(query, ref) -> TimeRange | None` (default: timeparse)."""
    m = _WH.match(query)
    a = QueryAnalysis(
        text=query,
        wh=m.group(1).lower() if m else None,
        words=_WORD.findall(query.lower()),
        wants_history=bool(_HISTORY.search(query)),
        wants_list=bool(_LIST.search(query)),
    )
    a.time_range = _parse_time(query, now, time_parser)
    a.weights = _weights(a)
    return a


def _parse_time(
    query: str, now: datetime, time_parser: Callable[[str, datetime], TimeRange | None] | None
) -> TimeRange | None:
    if time_parser is None:
        from memory.timeparse import query_time_range

        time_parser = query_time_range
    try:
        return time_parser(query, now)
    except Exception:  # a time-word parser must never sink a recall
        return None


def without_names(query: str, names: Iterable[str]) -> str:
    """`query` with the given (normalised, lower-case) names and their possessives removed:
    "What books has Priya read?" -> "What books has read?". A small bi-encoder weighs a
    person's name as much as what is asked about them; recall blends this text's embedding
    with the query's so the content words count (see RecallConfig.name_free_weight)."""
    out = query
    for name in sorted(set(names), key=len, reverse=True):
        words = [re.escape(w) for w in name.split() if w]
        if words:
            pat = r"\b" + r"\s+".join(words) + r"(?:['’]s?)?(?!\w)"
            out = re.sub(pat, " ", out, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", out).strip()
