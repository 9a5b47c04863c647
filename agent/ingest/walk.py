"""Find what to ingest: detect the kind of input, walk folders, read text files safely.

Reading never raises for a bad file: it returns a `Problem` (binary, empty, too large, a
minified line) or the text with warnings (invalid UTF-8 decoded with replacement characters).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from agent.ingest.errors import UnknownInputError
from agent.ingest.units import Problem

__all__ = [
    "InputKind",
    "TextFile",
    "detect_kind",
    "iter_files",
    "read_text",
    "DOCUMENT_SUFFIXES",
    "TEXT_SUFFIXES",
]

InputKind = Literal["git", "documents", "document", "issues"]

DOCUMENT_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".rst", ".org", ".adoc", ".text"})
TEXT_SUFFIXES = DOCUMENT_SUFFIXES | frozenset(
    {".py", ".toml", ".cfg", ".ini", ".yaml", ".yml", ".json", ".sh", ".js", ".ts", ".go",
     ".rs", ".java", ".c", ".h", ".cpp", ".sql", ".html", ".css", ".csv"}
)  # fmt: skip
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".mypy_cache",
     ".pytest_cache", ".ruff_cache", "dist", "build", ".tox", ".eggs", ".idea", ".vscode"}
)  # fmt: skip

MAX_FILE_BYTES = 4_000_000
MAX_LINE_CHARS = 20_000
MAX_BAD_UTF8_RATIO = 0.02  # above this share of undecodable bytes a file is treated as binary


@dataclass
class TextFile:
    path: Path
    text: str
    mtime: float
    warnings: list[str] = field(default_factory=list)


def detect_kind(path: Path) -> InputKind:
    """git repository, folder of documents, single document, or issues export (JSON list)."""
    if not path.exists():
        raise UnknownInputError(path, "it does not exist")
    if path.is_dir():
        return "git" if (path / ".git").exists() else "documents"
    if path.suffix.lower() == ".json" or _looks_like_json_list(path):
        return "issues"
    if path.suffix.lower() in TEXT_SUFFIXES or path.suffix == "":
        return "document"
    raise UnknownInputError(path, f"files of type {path.suffix!r} are not supported")


def _looks_like_json_list(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(64).lstrip()
    except OSError:
        return False
    if not head.startswith(b"["):
        return False
    try:
        return isinstance(json.loads(path.read_bytes()), list)
    except (ValueError, OSError):
        return False


def iter_files(root: Path, suffixes: frozenset[str] = DOCUMENT_SUFFIXES) -> Iterator[Path]:
    """Files under `root` with one of `suffixes`, sorted, skipping VCS/venv/cache folders."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            p = Path(dirpath) / name
            if p.suffix.lower() in suffixes and not p.is_symlink():
                yield p


def read_text(path: Path, label: str | None = None) -> TextFile | Problem:
    """Read a text file, or say why it is skipped. Never raises for content problems."""
    item = label or str(path)
    try:
        st = path.stat()
        if st.st_size == 0:
            return Problem(item, "empty file")
        if st.st_size > MAX_FILE_BYTES:
            return Problem(item, f"too large ({st.st_size} bytes > {MAX_FILE_BYTES})")
        raw = path.read_bytes()
    except OSError as e:
        return Problem(item, f"unreadable: {e.strerror or e}", "failed")
    return decode(raw, item, path, st.st_mtime)


def decode(raw: bytes, item: str, path: Path, mtime: float) -> TextFile | Problem:
    if b"\x00" in raw[:8192]:
        return Problem(item, "binary file (NUL bytes)")
    warnings: list[str] = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        if bad / max(1, len(text)) > MAX_BAD_UTF8_RATIO:
            return Problem(item, f"not UTF-8 text ({bad} undecodable bytes)")
        warnings.append(f"invalid UTF-8: {bad} byte(s) replaced with U+FFFD")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return Problem(item, "empty file (whitespace only)")
    longest = max((len(line) for line in text.splitlines()), default=0)
    if longest > MAX_LINE_CHARS:
        return Problem(item, f"a line of {longest} characters (minified or generated file?)")
    return TextFile(path, text, mtime, warnings)
