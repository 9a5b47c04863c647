"""bench.graph_catch_up runs end to end on a small bank and prints one JSON line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.graph_catch_up import main


def test_small_run_prints_reload_and_catch_up_times(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--grow", "40", "--rounds", "1", "--episodes", "10"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["facts"] > 0 and out["episodes_per_round"] == 10
    (r,) = out["rounds"]
    assert r["reload_ms"] >= 0 and r["catch_up_ms"] >= 0


def test_a_home_without_a_memory_is_refused(tmp_path: Path) -> None:
    assert main(["--home", str(tmp_path)]) == 2
