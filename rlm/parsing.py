"""Reading the root model's reply: the code blocks to run and a plain-text FINAL fallback.

Code blocks are fenced with ```repl (```python and ```py are accepted too). `FINAL(...)` or
`FINAL_VAR(...)` written as plain text *outside* code blocks is a fallback the engine uses only
when no executed code block produced a final answer this turn. The argument scanner copes with
nested parentheses, quotes (incl. triple quotes) and answers spanning several lines.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["FinalCall", "extract_code_blocks", "strip_code_blocks", "find_final"]

_CODE_TAGS = ("repl", "python", "py", "python3")
_FENCE = re.compile(
    r"^[ \t]*(`{3,}|~{3,})[ \t]*([\w+-]*)[^\n]*\n(.*?)^[ \t]*\1[ \t]*$", re.S | re.M
)
_FINAL_START = re.compile(r"(?<![\w.])(FINAL_VAR|FINAL)\s*\(")
_NOT_AN_ANSWER = ("", "...")  # `FINAL(...)` is the prompt's placeholder, echoed by weak models


@dataclass(frozen=True)
class FinalCall:
    """A FINAL written as text. `kind` is "FINAL" or "FINAL_VAR"; `value` the parsed argument
    (a Python literal when it is one, else the raw text); `raw` the argument as written."""

    kind: str
    value: Any
    raw: str


def extract_code_blocks(text: str) -> list[str]:
    """The REPL code of a reply, in order: fenced blocks tagged repl/python/py."""
    return [m.group(3) for m in _FENCE.finditer(text) if m.group(2).lower() in _CODE_TAGS]


def strip_code_blocks(text: str) -> str:
    """The reply with every fenced block (any tag) and inline `code` spans removed."""
    text = _FENCE.sub("", text)
    return re.sub(r"`[^`\n]*`", "", text)


def find_final(text: str) -> FinalCall | None:
    """The last FINAL(...)/FINAL_VAR(...) written outside code blocks, or None."""
    prose = strip_code_blocks(text)
    found: FinalCall | None = None
    for m in _FINAL_START.finditer(prose):
        raw = _balanced_argument(prose, m.end())
        if raw is None or raw.strip() in _NOT_AN_ANSWER:
            continue
        found = FinalCall(m.group(1), _literal_or_text(raw, m.group(1)), raw.strip())
    return found


def _balanced_argument(s: str, start: int) -> str | None:
    """Text from `start` up to the parenthesis closing the one just before it.

    Quotes are honoured; when the closing parenthesis never comes (the model forgot it), the
    rest of the text is taken, minus trailing whitespace.
    """
    depth, i, n = 1, start, len(s)
    while i < n:
        c = s[i]
        if c in "\"'":
            i = _skip_string(s, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return s[start:i]
        i += 1
    return s[start:].rstrip() or None


def _skip_string(s: str, i: int) -> int:
    """Index just after the string literal starting at s[i]; end of text if unterminated.

    An apostrophe inside prose ("it's") would swallow the rest of the text; a lone single quote
    with no closing quote on the same line is therefore treated as an ordinary character.
    """
    q = s[i]
    triple = s[i : i + 3] == q * 3
    if triple:
        end = s.find(q * 3, i + 3)
        return len(s) if end < 0 else end + 3
    j = i + 1
    while j < len(s) and s[j] != "\n":
        if s[j] == "\\":
            j += 2
            continue
        if s[j] == q:
            return j + 1
        j += 1
    return i + 1  # unterminated on this line: not a string, just a quote character


def _literal_or_text(raw: str, kind: str) -> Any:
    text = raw.strip()
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text
    if kind == "FINAL_VAR" and not isinstance(value, str):
        return text
    return value
