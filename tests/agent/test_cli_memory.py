"""The memory commands of the real `engram` CLI on a temp ENGRAM_HOME.

In-process tests (`main(argv)`) build their Memory through the real composition root
(agent.wiring) with only the embedder swapped for the hash embedder, so they run in seconds;
one slow test runs the installed entry point in a subprocess with MiniLM.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent import wiring
from agent.cli import main
from tests.fakes import HashEmbedder


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ENGRAM_HOME", str(tmp_path))
    monkeypatch.delenv("ENGRAM_DATABASE_URL", raising=False)
    monkeypatch.setattr(wiring, "build_embedder", lambda settings: HashEmbedder(64))
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def episodes(home: Path) -> int:
    import sqlite3

    db = home / "engram.db"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as c:
        return int(c.execute("SELECT count(*) FROM episodes").fetchone()[0])


def test_remember_then_recall_json(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "remember",
        "We picked PostgreSQL over MySQL for billing.",
        "--at",
        "2025-10-14",
        "--source",
        "standup",
        "--json",
    )
    assert code == 0, err
    stored = json.loads(out)
    assert stored["noop"] is False and stored["fact_ids"] and stored["episode_id"]
    run(capsys, "remember", "Sarah finished the auth migration early.", "--at", "2025-10-02")
    code, out, err = run(capsys, "recall", "PostgreSQL billing", "--k", "2", "--json", "--explain")
    assert code == 0, err
    doc = json.loads(out)
    hit = doc["hits"][0]
    assert {"text", "when", "mentioned_at", "source", "score", "channels"} <= set(hit)
    assert "PostgreSQL" in hit["text"] and hit["source"] == "standup"
    assert hit["mentioned_at"].startswith("2025-10-14")
    assert hit["metadata"]["explain"]["reasons"]


def test_recall_pretty_and_time_filters(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "remember", "The launch slipped a week.", "--at", "2025-06-01")
    code, out, _ = run(capsys, "recall", "launch")
    assert code == 0 and "launch" in out
    code, out, _ = run(capsys, "recall", "launch", "--since", "2025-07-01", "--json")
    assert code == 0 and json.loads(out)["hits"] == []
    code, out, _ = run(capsys, "recall", "launch", "--as-of", "2020-01-01", "--json")
    assert code == 0 and json.loads(out)["hits"] == []


@pytest.mark.parametrize(
    "argv",
    [
        ["remember", ""],
        ["remember", "   "],
        ["remember", "bad\x00bytes"],
        ["remember", "invalid \udcff utf8"],
        ["remember", "fine text", "--at", "the twelfth of never"],
        ["recall", ""],
        ["recall", "x", "--as-of", "not a date at all"],
        ["recall", "x", "--k", "0"],
    ],
)
def test_bad_input_fails_cleanly_and_changes_nothing(
    home: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    before = episodes(home)
    code, out, err = run(capsys, *argv)
    assert code != 0 and err.startswith("engram: ") and out == ""
    assert episodes(home) == before


def test_entity_beliefs_forget(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "remember", "Sarah Chen reviewed the batch API design.", "--source", "s1")
    run(capsys, "remember", "I think the batch API is the right next feature.", "--source", "s2")
    code, out, err = run(capsys, "entity", "Sarah Chen", "--json")
    assert code == 0, err
    ent = json.loads(out)
    assert ent["name"] == "Sarah Chen" and isinstance(ent["aliases"], list)
    assert [f["source"] for f in ent["facts"]] == ["s1"]
    assert "batch API design" in ent["facts"][0]["text"]
    code, out, err = run(capsys, "entity", "Nobody Here", "--json")
    assert code == 3 and out == "" and err.startswith("engram: no entity called 'Nobody Here'")
    code, out, err = run(capsys, "beliefs", "--json")
    assert code == 0, err
    beliefs = json.loads(out)["beliefs"]
    assert len(beliefs) == 1 and "batch API" in beliefs[0]["statement"]
    assert 0 < beliefs[0]["confidence"] < 1 and beliefs[0]["history"]
    code, out, _ = run(capsys, "recall", "Sarah reviewed batch API", "--json")
    assert "s1" in [h["source"] for h in json.loads(out)["hits"]]  # there before the forget
    code, out, err = run(capsys, "forget", "--source", "s1", "--json")
    assert code == 0, err
    assert json.loads(out)["forgotten"] == 1
    code, out, _ = run(capsys, "recall", "Sarah reviewed batch API", "--json")
    hits = json.loads(out)["hits"]
    assert hits and all(h["source"] != "s1" for h in hits)  # s2 still answers; s1 is gone


def test_forget_needs_a_target(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["forget"])
    assert exc.value.code != 0


@pytest.mark.slow
def test_subprocess_real_embedder(tmp_path: Path) -> None:
    env = {**os.environ, "ENGRAM_HOME": str(tmp_path), "HF_HUB_OFFLINE": "1"}
    env.pop("ENGRAM_DATABASE_URL", None)
    cmd = [sys.executable, "-c", "from agent.cli import main; raise SystemExit(main())"]
    r = subprocess.run(
        [*cmd, "remember", "Tom is blocked on the flaky CI runner."],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    r = subprocess.run(
        [*cmd, "recall", "what blocks Tom?", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert "CI runner" in json.loads(r.stdout.strip().splitlines()[-1])["hits"][0]["text"]


def test_recall_now_is_the_reference_for_time_words(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for when, src in (("2025-03-05", "march"), ("2025-06-11", "june")):
        assert run(capsys, "remember", "I went to the climbing gym.", "--at", when,
                   "--source", src)[0] == 0  # fmt: skip
    got = {}
    for now in ("2025-03-12", "2025-06-18"):
        code, out, _ = run(capsys, "recall", "what did I do last week", "--now", now, "--k", "5",
                           "--json")  # fmt: skip
        assert code == 0
        got[now] = [h["source"] for h in json.loads(out)["hits"] if h["source"]][0]
    assert got == {"2025-03-12": "march", "2025-06-18": "june"}
    code, _, err = run(capsys, "recall", "x", "--now", "not a date at all")
    assert code != 0 and "--now" in err
