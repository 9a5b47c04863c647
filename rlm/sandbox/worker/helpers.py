"""Helpers available inside the REPL: peek, grep, chunk, SHOW_VARS, and AttrDict.

Standard library only (the worker runs with ``-I -S``). Written for 100 MB strings: grep scans
the whole text with one compiled regex and derives line numbers by counting newlines between
hits, instead of splitting the text into lines.
"""

import re

__all__ = ["AttrDict", "wrap", "peek", "grep", "chunk", "describe", "show_vars"]


class AttrDict(dict):
    """A dict whose keys are also attributes: ``hit.text`` == ``hit["text"]``."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__} has no attribute {name!r}; keys: {list(self)[:20]}"
            ) from None

    def __setattr__(self, name, value):
        self[name] = value

    def __delattr__(self, name):
        del self[name]


def wrap(value):
    """Wrap dicts (recursively, also inside lists) into AttrDict."""
    if isinstance(value, dict):
        return AttrDict({k: wrap(v) for k, v in value.items()})
    if isinstance(value, list):
        return [wrap(v) for v in value]
    return value


def peek(obj, start=0, n=2000):
    """A slice of a str (chars) or list (items); for a dict, its first `n` keys."""
    if isinstance(obj, dict):
        return list(obj)[start : start + n]
    if isinstance(obj, (str, list, tuple, bytes)):
        return obj[start : start + n]
    return repr(obj)[start : start + n]


def _as_text(obj):
    if isinstance(obj, str):
        return obj
    if isinstance(obj, (list, tuple)):
        return "\n".join(x if isinstance(x, str) else repr(x) for x in obj)
    return repr(obj)


def grep(pattern, obj, context_lines=0, max_hits=100, flags=re.I):
    """Lines matching `pattern` (regex) as ``[{"line": n, "text": ..., "match": ...}]``.

    `line` is 1-based. With `context_lines` > 0 each hit also carries ``"context"``: the
    surrounding lines joined by newlines. For a list, lines are its items.
    """
    text = _as_text(obj)
    rx = re.compile(pattern, flags)
    hits, line_no, counted_to, last_line_start = [], 1, 0, -1
    for m in rx.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        if start == last_line_start:
            continue  # one hit per line
        line_no += text.count("\n", counted_to, start)
        counted_to, last_line_start = start, start
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        hit = AttrDict(line=line_no, text=text[start:end], match=m.group(0))
        if context_lines:
            hit["context"] = _context(text, start, end, context_lines)
        hits.append(hit)
        if len(hits) >= max_hits:
            break
    return hits


def _context(text, start, end, k):
    lo = start
    for _ in range(k):
        if lo <= 0:
            break
        lo = text.rfind("\n", 0, lo - 1) + 1
    hi = end
    for _ in range(k):
        if hi >= len(text):
            break
        nxt = text.find("\n", hi + 1)
        hi = len(text) if nxt < 0 else nxt
    return text[lo:hi]


def chunk(obj, size=None, overlap=0):
    """Split a str into pieces of `size` chars (default 100_000), or a list into `size` items
    (default 100), consecutive pieces sharing `overlap` chars/items. A dict is chunked by items."""
    if isinstance(obj, dict):
        obj = list(obj.items())
    if size is None:
        size = 100_000 if isinstance(obj, str) else 100
    if size <= 0 or overlap < 0 or overlap >= size:
        raise ValueError("chunk: need size > 0 and 0 <= overlap < size")
    step = size - overlap
    last = max(len(obj) - overlap, 1)
    return [obj[i : i + size] for i in range(0, last, step)]


def describe(value):
    """Short type/size description, e.g. ``str, 1,234 chars``."""
    kind = type(value).__name__
    if isinstance(value, str):
        return f"str, {len(value):,} chars"
    if isinstance(value, (list, tuple, set, frozenset)):
        return f"{kind}, {len(value):,} items"
    if isinstance(value, dict):
        return f"{kind}, {len(value):,} keys"
    if isinstance(value, (bytes, bytearray)):
        return f"{kind}, {len(value):,} bytes"
    if isinstance(value, (int, float, bool)) or value is None:
        text = repr(value)
        return f"{kind}: {text[:40]}"
    return kind


def show_vars(namespace, hidden):
    """Mapping of user variable name -> description (modules, callables and injected names out)."""
    out = {}
    for name, value in namespace.items():
        if name.startswith("_") or name in hidden:
            continue
        if type(value).__name__ == "module" or callable(value) and not isinstance(value, type):
            continue
        out[name] = describe(value)
        if len(out) >= 200:
            break
    return out
