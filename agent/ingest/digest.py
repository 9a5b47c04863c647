"""The RLM path for large inputs: summaries, decisions and who-did-what, with provenance.

With an LLM endpoint configured and `--rlm`, a unit whose text is over the threshold is handed
to an `rlm.engine.RLM` (the text becomes the REPL's `context`); its typed answer becomes extra
episodes whose source points back to the unit and whose metadata names the RLM run.
"""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, Field

from agent.ingest.units import Episode, Unit

__all__ = ["Digest", "Digester", "RLMDigester", "digest_query", "digest_episodes"]

DEFAULT_THRESHOLD_CHARS = 20_000


class Digest(BaseModel):
    """What the RLM must return (its FINAL is validated into this)."""

    summary: str = Field(description="a few sentences: what this text is about")
    decisions: list[str] = Field(default_factory=list, description="decisions, each with why")
    who_did_what: list[str] = Field(default_factory=list, description="'<person> <did what>'")


class Digester(Protocol):
    """Anything that turns a large unit into extra episodes (the RLM in production)."""

    threshold_chars: int

    async def adigest(self, unit: Unit) -> list[Episode]: ...


def digest_query(unit: Unit) -> str:
    return (
        f"`context` holds the {unit.kind} {unit.label!r} ({len(unit.body or '')} characters). "
        "Read it in chunks (use llm_query / llm_query_batched on pieces) and return, as JSON "
        "matching the schema: a short `summary`; `decisions` (each decision with its reason "
        "and, if stated, its date); `who_did_what` (each item '<person> <what they did>'). "
        "Only include what the text says; no speculation."
    )


def digest_episodes(unit: Unit, digest: Digest, run_id: str) -> list[Episode]:
    """One episode per summary/decision/contribution, sourced back to the unit and the run."""
    meta: dict[str, Any] = {"kind": "rlm_digest", "derived_from": unit.key, "rlm_run": run_id}
    items = [("summary", f"Summary of {unit.label}: {digest.summary.strip()}")]
    items += [("decision", f"Decision (from {unit.label}): {d.strip()}") for d in digest.decisions]
    items += [("who_did_what", w.strip()) for w in digest.who_did_what]
    out = []
    for i, (part, text) in enumerate(t for t in items if t[1].strip()):
        source = f"{unit.key}#rlm:{part}:{i}"
        out.append(Episode(text, source, unit.mentioned_at, {**meta, "part": part}))
    return out


class RLMDigester:
    """Runs `rlm.engine.RLM` over a unit's whole text with the `Digest` schema."""

    def __init__(self, rlm: Any, threshold_chars: int = DEFAULT_THRESHOLD_CHARS) -> None:
        self.rlm = rlm
        self.threshold_chars = threshold_chars

    async def adigest(self, unit: Unit) -> list[Episode]:
        result = await self.rlm.arun(digest_query(unit), unit.body or "", schema=Digest)
        answer = result.answer
        if not isinstance(answer, Digest):
            answer = Digest.model_validate_json(answer) if isinstance(answer, str) else None
        if answer is None:
            return []
        return digest_episodes(unit, answer, str(result.run_id))
