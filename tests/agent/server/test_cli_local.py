"""`engram timeline`, `engram banks` and `engram token` on a local ENGRAM_HOME (no server)."""

from __future__ import annotations

import json

import pytest

from agent.cli import main


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_timeline_and_banks_locally(capsys: pytest.CaptureFixture[str]) -> None:
    old = _json(capsys, "remember", "We use MySQL for billing.", "--at", "2025-09-01",
                "--bank", "ops", "--json")  # fmt: skip
    new = _json(capsys, "remember", "We switched to PostgreSQL for billing.", "--at",
                "2025-10-14", "--bank", "ops", "--json")  # fmt: skip
    doc = _json(capsys, "timeline", "--entity", "MySQL", "--bank", "ops", "--json")
    assert [e["fact_id"] for e in doc["events"]] == old["fact_ids"] + new["fact_ids"]
    assert doc["events"][0]["superseded_by"] == new["fact_ids"][0]
    assert main(["timeline", "--topic", "billing", "--bank", "ops"]) == 0
    out = capsys.readouterr().out
    assert "(superseded 2025-10-14)" in out and "PostgreSQL" in out
    assert _json(capsys, "banks", "--json")["banks"] == [{"bank": "ops", "episodes": 2,
                                                          "facts": 2}]  # fmt: skip
    assert main(["timeline", "--entity", "Nobody", "--bank", "ops"]) == 3
    assert "no entity" in capsys.readouterr().err


def test_token_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", "create", "--bank", "team", "--read-only", "--label", "bot"]) == 0
    out, err = capsys.readouterr()
    token = out.strip().splitlines()[-1]
    assert token.startswith("eng_") and "read-only" in err
    listed = _json(capsys, "token", "list", "--json")["tokens"]
    assert [(t["bank"], t["read_only"], t["label"]) for t in listed] == [("team", True, "bot")]
    assert main(["token", "revoke", listed[0]["id"]]) == 0
    assert _json(capsys, "token", "list", "--json")["tokens"] == []
    assert main(["token", "revoke", "deadbeef"]) == 3
    assert main(["token", "create", "--bank", " "]) == 2
    assert "invalid bank" in capsys.readouterr().err
