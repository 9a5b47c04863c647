"""The spaCy parses the answers read questions and facts with: memory's own pipeline
(`memory.extract.nlp`, en_core_web_sm 3.8 loaded once, lazily, offline), so a process that
ingests and answers loads the model once. Answers parse the same facts again for every
question, so their parses get a larger cache of their own here."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["parse"]


@lru_cache(maxsize=4096)
def parse(text: str) -> Any:
    """The spaCy Doc of `text` (cached)."""
    from memory.extract.nlp import parse as parse_with_memory_pipeline

    return parse_with_memory_pipeline(text)
