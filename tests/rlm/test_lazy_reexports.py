"""`rlm.lazy_reexports`: re-export packages load name by name, and nothing else changes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from rlm.lazy_reexports import lazy_reexports, reexport_table


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A fresh package name on sys.path: a re-export __init__, a subpackage of the same kind,
    and a sibling package whose __init__ does something (must load as usual)."""
    name = f"lazypkg_{uuid.uuid4().hex[:8]}"
    _write(
        tmp_path,
        {
            f"{name}/__init__.py": '''\
                """Generated."""
                from __future__ import annotations

                from .alpha import Alpha as Alpha
                from .beta import Beta, helper as renamed
                from .sub import Gamma as Gamma
            ''',
            f"{name}/alpha.py": "class Alpha: ...\n",
            f"{name}/beta.py": "class Beta: ...\ndef helper():\n    return 42\n",
            f"{name}/sub/__init__.py": "from .gamma import Gamma as Gamma\n",
            f"{name}/sub/gamma.py": "class Gamma: ...\n",
            f"{name}/extra/__init__.py": "from .delta import Delta as Delta\nVALUE = 1\n",
            f"{name}/extra/delta.py": "class Delta: ...\n",
            f"{name}/plain.py": "X = 7\n",
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[mod]


def test_names_resolve_on_first_use_to_the_eager_objects(package):
    import importlib

    with lazy_reexports(package):
        pkg = importlib.import_module(package)
    assert f"{package}.alpha" not in sys.modules and f"{package}.beta" not in sys.modules
    alpha = pkg.Alpha
    assert alpha is sys.modules[f"{package}.alpha"].Alpha
    assert f"{package}.beta" not in sys.modules  # one name loads one module
    assert pkg.renamed() == 42 and pkg.Beta is sys.modules[f"{package}.beta"].Beta
    assert "Alpha" in dir(pkg) and "Gamma" in dir(pkg)


def test_star_import_binds_every_reexported_name(package):
    import importlib

    with lazy_reexports(package):
        importlib.import_module(package)
    scope: dict = {}
    exec(f"from {package} import *", scope)
    assert {"Alpha", "Beta", "renamed", "Gamma"} <= set(scope)
    assert scope["Gamma"] is sys.modules[f"{package}.sub.gamma"].Gamma


def test_unknown_names_raise_attribute_error_and_submodules_still_import(package):
    import importlib

    with lazy_reexports(package):
        pkg = importlib.import_module(package)
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = pkg.Nope
    assert not hasattr(pkg, "__wrapped__")  # dunder probes (inspect, copy) are plain misses
    assert pkg.plain.X == 7  # a module nobody imported yet is reached as an attribute
    with pytest.raises(ImportError):
        exec(f"from {package} import Nope", {})


def test_an_init_that_does_anything_else_loads_as_usual(package):
    import importlib

    with lazy_reexports(package):
        extra = importlib.import_module(f"{package}.extra")
    assert extra.VALUE == 1
    assert f"{package}.extra.delta" in sys.modules  # eager, as without the context


def test_subpackages_are_lazy_too_and_the_finder_is_gone_afterwards(package):
    import importlib

    before = list(sys.meta_path)
    with lazy_reexports(package):
        sub = importlib.import_module(f"{package}.sub")
    assert sys.meta_path == before
    assert f"{package}.sub.gamma" not in sys.modules
    assert sub.Gamma.__name__ == "Gamma"


@pytest.mark.parametrize(
    "source",
    [
        "from .a import *\n",
        "import os\n",
        "from .a import A\nX = 1\n",
        "from a import A\n",  # absolute: not a re-export of this package
        "def f(:\n",
        "from .a import A\nif True:\n    from .b import B\n",
    ],
)
def test_reexport_table_refuses_anything_but_plain_reexports(source):
    assert reexport_table(source) is None


def test_reexport_table_reads_aliases():
    table = reexport_table(
        '"""doc"""\nfrom __future__ import annotations\nfrom .m import A as B, C\n'
    )
    assert table == {"B": ("m", "A"), "C": ("m", "C")}


def test_openai_imports_lazily_and_every_type_is_the_eager_one():
    """In a fresh interpreter: engram's import of `openai` leaves the types packages lazy, and
    every name `openai.types` re-exports resolves to the object its module defines."""
    code = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from rlm.openai_lm import _import_openai
        from rlm.lazy_reexports import reexport_table
        oa = _import_openai()
        assert "openai.types.eval_create_params" not in sys.modules, "types loaded eagerly"
        import openai.types as t
        table = reexport_table(Path(t.__file__).read_text(encoding="utf-8"))
        assert table and len(table) > 100
        import importlib
        for name, (mod, attr) in table.items():
            assert getattr(t, name) is getattr(importlib.import_module("openai.types." + mod), attr), name
        assert oa.types.chat.ChatCompletion.__name__ == "ChatCompletion"
        assert issubclass(oa.APIStatusError, oa.APIError)
        print("ok", len(table))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.startswith("ok")
