"""A belief's topic when its statement has no noun phrase: the longest content word, ties
alphabetically — never the order of a set, which follows the hash seed (two runs of the same
notes named a belief's topic differently)."""

from __future__ import annotations

import os
import subprocess
import sys
from types import SimpleNamespace

from memory.belief_store import _content, _topic_of


def _no_chunks() -> SimpleNamespace:
    return SimpleNamespace(noun_chunks=[])


def test_the_longest_content_word_is_the_topic() -> None:
    assert _topic_of("bothering somewhat", _no_chunks()) == (
        max(_content("bothering somewhat"), key=len),
    )


def test_equal_lengths_go_to_the_first_alphabetically() -> None:
    words = sorted(_content("zebra apple mango"))
    assert len({len(w) for w in words}) == 1, words
    assert _topic_of("zebra apple mango", _no_chunks()) == (words[0],)


def test_the_topic_is_the_same_under_any_hash_seed() -> None:
    code = (
        "from types import SimpleNamespace as N;"
        "from memory.belief_store import _topic_of;"
        "print(_topic_of('zebra apple mango lemon', N(noun_chunks=[])))"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (0, 1, 2, 3, 4)
    }
    assert len(seen) == 1, seen
