"""Import a package of generated re-exports (``from .x import Y as Y`` lines only) lazily.

`import openai` spends about half its time (~0.14 s of 0.28 s on this machine, measured with
``-X importtime``) in the ``__init__`` of ``openai.types`` and its subpackages: generated files
that import all ~1,400 request and response types so that each is reachable as
``openai.types.X``. A chat call needs a few dozen of them. `lazy_reexports(prefix)` imports the
packages under ``prefix`` whose ``__init__`` is nothing but such re-exports as modules that
resolve each name on first use (PEP 562 ``__getattr__``): ``openai.types.ChatModel`` imports
``openai.types.chat_model`` then, and the value is the same object the eager import binds.

Conservative by construction: a package whose ``__init__`` holds anything else (a statement, a
star import, a syntax this Python cannot parse, a missing source) is imported as usual, so a
changed SDK costs time, never behaviour. ``__all__`` lists every re-exported name, so
``from openai.types import *`` still binds them all. Only imports made inside the ``with``
block are affected.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = ["lazy_reexports", "reexport_table"]

_LOCK = threading.Lock()


def reexport_table(source: str) -> dict[str, tuple[str, str]] | None:
    """``{exported name: (relative module, name in it)}`` for an ``__init__`` made only of
    ``from .module import name [as name]`` lines (plus a docstring and ``from __future__``);
    None for anything else."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    table: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__" and node.level == 0:
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # a docstring
        if not (isinstance(node, ast.ImportFrom) and node.level == 1 and node.module):
            return None
        for alias in node.names:
            if alias.name == "*":
                return None
            table[alias.asname or alias.name] = (node.module, alias.name)
    return table


class _LazyLoader(importlib.abc.Loader):
    def __init__(self, table: dict[str, tuple[str, str]]) -> None:
        self.table = table

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None  # the default module object; exec_module fills it

    def exec_module(self, module: ModuleType) -> None:
        table = self.table
        package = module.__name__

        def __getattr__(name: str) -> Any:
            hit = table.get(name)
            if hit is None:
                # a subpackage nobody imported yet: the eager __init__ would not bind it either,
                # but `package.sub` then worked whenever anything had imported it
                if name.startswith("__"):
                    raise AttributeError(f"module {package!r} has no attribute {name!r}")
                try:
                    return importlib.import_module(f"{package}.{name}")
                except ModuleNotFoundError as e:
                    if e.name != f"{package}.{name}":
                        raise
                    raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
            value = getattr(importlib.import_module(f"{package}.{hit[0]}"), hit[1])
            setattr(module, name, value)
            return value

        def __dir__() -> list[str]:
            return sorted(set(module.__dict__) | set(table))

        module.__getattr__ = __getattr__  # type: ignore[method-assign]
        module.__dir__ = __dir__  # type: ignore[method-assign]
        module.__all__ = list(table)  # type: ignore[attr-defined]


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if name != self.prefix and not name.startswith(self.prefix + "."):
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or not spec.submodule_search_locations or not spec.origin:
            return None  # a plain module (or nothing): the usual finders handle it
        try:
            source = Path(spec.origin).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        table = reexport_table(source)
        if table is None:
            return None
        spec.loader = _LazyLoader(table)
        return spec


@contextlib.contextmanager
def lazy_reexports(prefix: str) -> Iterator[None]:
    """While inside, packages named ``prefix`` or under it whose ``__init__`` only re-exports
    are imported lazily (see the module docstring)."""
    finder = _Finder(prefix)
    with _LOCK:
        sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        with _LOCK:
            sys.meta_path.remove(finder)
