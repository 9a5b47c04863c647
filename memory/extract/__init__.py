"""Extraction: episode text -> facts (offline, deterministic; or LLM with offline fallback)."""

from memory.extract.offline import extract_offline

__all__ = ["extract_offline"]
