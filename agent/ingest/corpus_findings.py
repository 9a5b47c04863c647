"""What the RLM returns about a corpus, checked against the corpus before anything is kept.

The answer is JSON: ``{"findings": [...]}`` (or the list alone), each finding::

    {"type": "decision" | "ownership" | "link" | "open_problem",
     "text": "one sentence", "reason": "...", "date": "YYYY-MM-DD", "who": "...",
     "cites": [{"unit": "<id from the manifest>", "quote": "<verbatim text of that unit>"}]}

A finding is kept only if every unit it cites exists and every quote is in that unit's text
(whitespace may differ); otherwise it is dropped with a warning. No provenance is invented:
the span recorded is where the quote was found. An answer that is not JSON at all raises
`JunkAnswer` (the caller reports it; the raw episodes are already stored).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from agent.ingest.corpus_reader import CorpusUnit
from agent.ingest.documents import parse_datetime
from agent.ingest.units import Episode
from memory.extract.prompts import json_candidates

__all__ = [
    "FINDING_TYPES",
    "MIN_QUOTE_CHARS",
    "Cite",
    "Finding",
    "JunkAnswer",
    "parse_answer",
    "validate_findings",
    "finding_episodes",
]

FINDING_TYPES = ("decision", "ownership", "link", "open_problem")
_ALIASES = {"who_did_what": "ownership", "owner": "ownership", "contribution": "ownership",
            "problem": "open_problem", "open_question": "open_problem", "issue": "open_problem",
            "relation": "link", "relationship": "link"}  # fmt: skip
MIN_QUOTE_CHARS = 12  # a shorter "quote" is found almost anywhere: it proves nothing
_WS = re.compile(r"\s+")


class JunkAnswer(ValueError):
    """The RLM's final answer holds no findings JSON."""


@dataclass
class Cite:
    unit: CorpusUnit
    quote: str  # the unit's own text at the span (not the model's copy)
    start: int
    end: int

    @property
    def span_ref(self) -> str:
        if self.unit.kind == "document":
            a = self.unit.text.count("\n", 0, self.start) + 1
            b = self.unit.text.count("\n", 0, self.end) + 1
            return f"L{a}-L{b}"
        return f"c{self.start}-{self.end}"

    @property
    def source(self) -> str:
        return f"{self.unit.key}#{self.span_ref}"


@dataclass
class Finding:
    type: str
    text: str
    cites: list[Cite]
    fields: dict[str, str] = field(default_factory=dict)  # reason, date, who, relation


def parse_answer(answer: Any) -> list[Any]:
    """The raw findings of an answer (a str, dict or list); JunkAnswer when there are none."""
    data = answer
    if isinstance(answer, str):
        data = _loads(answer)
    if isinstance(data, Mapping):
        data = data.get("findings")
    if not isinstance(data, list):
        raise JunkAnswer(f"the answer is not a findings list: {str(answer)[:200]!r}")
    return data


def _loads(text: str) -> Any:
    # the whole text first: a bare list of findings must not be read as its first object
    for c in [text.strip(), *json_candidates(text)]:
        try:
            return json.loads(c)
        except ValueError:
            continue
    raise JunkAnswer(f"the answer is not JSON: {text[:200]!r}")


def _find(quote: str, text: str) -> tuple[int, int] | None:
    """Where `quote` is in `text`: exactly, else with any run of whitespace matching any other."""
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    words = quote.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else None


def _str(raw: Mapping[str, Any], *names: str) -> str:
    for n in names:
        v = raw.get(n)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return ""


def _raw_cites(raw: Mapping[str, Any]) -> list[Any]:
    cites = raw.get("cites") or raw.get("citations") or raw.get("evidence")
    if isinstance(cites, list):
        return cites
    if raw.get("unit") is not None:
        return [{"unit": raw.get("unit"), "quote": raw.get("quote")}]
    return []


def validate_findings(
    raw: list[Any], corpus: Mapping[str, CorpusUnit]
) -> tuple[list[Finding], list[str]]:
    """(kept findings, a warning per dropped one). `corpus` maps ids (and keys) to units."""
    kept: list[Finding] = []
    warnings: list[str] = []
    for n, item in enumerate(raw):
        f, why = _one(item, corpus)
        if f is None:
            warnings.append(f"finding {n} dropped: {why}")
        else:
            kept.append(f)
    return kept, warnings


def _one(item: Any, corpus: Mapping[str, CorpusUnit]) -> tuple[Finding | None, str]:
    if not isinstance(item, Mapping):
        return None, f"not an object ({type(item).__name__})"
    kind = str(item.get("type") or item.get("kind") or "").strip().lower().replace(" ", "_")
    kind = _ALIASES.get(kind, kind)
    if kind not in FINDING_TYPES:
        return None, f"unknown type {kind!r} (expected one of {', '.join(FINDING_TYPES)})"
    text = _str(item, "text", "summary", "statement", "what")
    if not text:
        return None, "no text"
    raw_cites = _raw_cites(item)
    if not raw_cites:
        return None, "cites no unit"
    cites = []
    for c in raw_cites:
        if not isinstance(c, Mapping):
            return None, "a citation is not an object with 'unit' and 'quote'"
        uid, quote = str(c.get("unit") or "").strip(), str(c.get("quote") or "").strip()
        unit = corpus.get(uid)
        if unit is None:
            return None, f"cites unit {uid!r}, which is not in the corpus"
        if len("".join(quote.split())) < MIN_QUOTE_CHARS:
            return None, f"the quote from {uid!r} is too short to prove anything: {quote!r}"
        span = _find(quote, unit.text)
        if span is None:
            return None, f"the quote {quote[:80]!r} is not in {uid!r}"
        cites.append(Cite(unit, unit.text[span[0] : span[1]], *span))
    extra = {k: v for k in ("reason", "date", "who", "relation") if (v := _str(item, k))}
    return Finding(kind, text, cites, extra), ""


def _episode_text(f: Finding) -> str:
    labels = ", ".join(dict.fromkeys(c.unit.label or c.unit.id for c in f.cites))
    body = f.text.rstrip(".")
    if f.type == "decision":
        out = f"Decision: {body}."
        if f.fields.get("reason") and f.fields["reason"].lower() not in body.lower():
            out += f" Reason: {f.fields['reason'].rstrip('.')}."
    elif f.type == "open_problem":
        out = f"Open problem: {body}."
    else:
        out = f"{body}."
    if f.fields.get("date") and f.fields["date"] not in out:
        out += f" Date: {f.fields['date']}."
    return f"{out} (from {labels})"


def finding_episodes(findings: list[Finding], run_id: str, batch: int) -> list[Episode]:
    """One episode per finding: its source names the cited units and spans; its metadata the
    RLM run, the batch, the finding's type and fields, and every citation verbatim."""
    out = []
    for f in findings:
        dates = [d for c in f.cites if c.unit.date and (d := parse_datetime(c.unit.date))]
        when = parse_datetime(f.fields["date"]) if f.fields.get("date") else None
        when = when or (max(dates) if dates else None)
        meta: dict[str, Any] = {
            "kind": "rlm_finding",
            "finding_type": f.type,
            "rlm_run": run_id,
            "rlm_batch": batch,
            "derived_from": list(dict.fromkeys(c.unit.key for c in f.cites)),
            "cites": [
                {
                    "unit": c.unit.key,
                    "id": c.unit.id,
                    "span": [c.start, c.end],
                    "ref": c.span_ref,
                    "quote": c.quote,
                }
                for c in f.cites
            ],  # fmt: skip
            **f.fields,
        }
        if f.fields.get("who"):
            meta["speaker"] = f.fields["who"]
        source = " + ".join(dict.fromkeys(c.source for c in f.cites))
        out.append(Episode(_episode_text(f), source, when, meta))
    return out
