"""The composition root reads the deployment settings the README documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.errors import ConfigError
from agent.wiring import settings_from_env


def test_shared_deployment_and_embedder_settings(tmp_path: Path) -> None:
    s = settings_from_env({
        "ENGRAM_HOME": str(tmp_path),
        "ENGRAM_DATABASE_URL": "postgresql://u@db:5432/engram",
        "ENGRAM_CHROMA_URL": " http://vec:8000 ",
        "ENGRAM_EMBEDDER": "onnx",
    })  # fmt: skip
    assert s.database_url == "postgresql://u@db:5432/engram"
    assert s.chroma_url == "http://vec:8000" and s.embedder == "onnx"
    plain = settings_from_env({"ENGRAM_HOME": str(tmp_path)})
    assert plain.chroma_url is None and plain.database_url is None and plain.embedder == "auto"


def test_unknown_embedder_is_a_config_error_naming_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        settings_from_env({"ENGRAM_HOME": str(tmp_path), "ENGRAM_EMBEDDER": "gpu"})
    assert err.value.variable == "ENGRAM_EMBEDDER" and "onnx-int8" in str(err.value)


def test_corpus_reading_settings(tmp_path: Path) -> None:
    s = settings_from_env({"ENGRAM_HOME": str(tmp_path), "ENGRAM_RLM_BATCH_CHARS": "5000",
                           "ENGRAM_RLM_CONCURRENCY": "3", "ENGRAM_RLM_MAX_COST": "0.25"})  # fmt: skip
    assert (s.rlm_batch_chars, s.rlm_concurrency, s.rlm_max_cost) == (5000, 3, 0.25)
    plain = settings_from_env({"ENGRAM_HOME": str(tmp_path)})
    assert (plain.rlm_batch_chars, plain.rlm_concurrency, plain.rlm_max_cost) == (120_000, 2, None)
    for var, bad in (("ENGRAM_RLM_CONCURRENCY", "0"), ("ENGRAM_RLM_MAX_COST", "cheap"),
                     ("ENGRAM_RLM_BATCH_CHARS", "-1"), ("ENGRAM_RLM_MAX_COST", "-2")):  # fmt: skip
        with pytest.raises(ConfigError) as err:
            settings_from_env({"ENGRAM_HOME": str(tmp_path), var: bad})
        assert err.value.variable == var


def test_a_run_that_keeps_nothing_does_not_import_the_consolidation_path() -> None:
    """`engram rlm --no-consolidate` ends right after its answer: finishing the session must not
    import agent.session/storage (~0.4 s of imports paid after every answer before)."""
    import subprocess
    import sys

    code = (
        "import sys, types\n"
        "from agent.wiring import RLMSession\n"
        "s = RLMSession(None, 'b', expose=False, consolidate=False)\n"
        "assert s.finish('q', types.SimpleNamespace(stopped_by='final')) is None\n"
        "print(sorted(m for m in ('agent.session', 'storage.outbox') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
