"""Extraction: episode text -> facts (offline, deterministic; or LLM with offline fallback)."""

from memory.extract.llm import extract_llm
from memory.extract.offline import extract_offline

__all__ = ["extract_offline", "extract_llm"]
