"""bench.rlm_compare end to end without the official engine (CI has no `rlms` venv): engram's
three tasks give the right answers, the figures are there, and the skip says why."""

from __future__ import annotations

import json

import pytest

from bench.rlm_compare import main, respond


def test_engram_alone_runs_the_three_tasks(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    missing = str(tmp_path / "no-such-python")
    code = main(["--repeat", "1", "--needle-mb", "0.5", "--official-python", missing])
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["official"] is None and "no Python with the official" in out["official_skipped"]
    for name in ("needle", "batch", "two_turns"):
        task = out["tasks"][name]
        (run,) = task["engram"]["runs"]
        assert run["correct"] and run["exit"] == 0, (name, run)
        assert run["wall_s"] > 0 and run["outside_s"] is not None and "official" not in task
    batch = out["tasks"]["batch"]["engram"]["runs"][0]
    assert batch["sub_calls"] == 64 and 0 < batch["first_sub_s"] < batch["wall_s"]
    assert code == 0  # every goal that could be checked holds


def test_the_scripted_root_ends_each_engine_its_own_way() -> None:
    official = [{"role": "system", "content": 'set answer["ready"] = True'},
                {"role": "user", "content": "[task:needle] q"}]  # fmt: skip
    engram = [{"role": "system", "content": "call FINAL(x)"}, official[1]]
    assert "answer['ready'] = True" in (
        respond({"model": "bench-root", "messages": official}).text or ""
    )
    assert "FINAL(" in (respond({"model": "bench-root", "messages": engram}).text or "")
    sub = respond({"model": "bench-sub", "messages": [{"role": "user", "content": "item 7"}]})
    assert sub.text == "ok 7" and sub.delay_s == 0.2
