"""bench.server_load runs end to end on a tiny load and prints one JSON line."""

from __future__ import annotations

import json

import pytest

from bench.server_load import main


@pytest.mark.slow
def test_tiny_run_loses_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--clients", "3", "--writes", "1"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["server"]["lost"] == 0 and out["server"]["clients"] == 3
    assert out["direct"]["ops_per_s"] > 0 and out["server"]["ops_per_s"] > 0
