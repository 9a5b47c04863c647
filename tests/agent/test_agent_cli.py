"""`engram chat` over piped input, and the helpers of the ask/chat commands."""

from __future__ import annotations

import io
from pathlib import Path

from agent.cli.agent_cmd import _chat, split_attachments
from agent.wiring import Engram, settings_from_env
from tests.agent.fakes_agent import FakeMemory, FakeRLM, FakeRunResult


def _engram(home: Path, rlm: FakeRLM | None = None) -> Engram:
    settings = settings_from_env({"ENGRAM_HOME": str(home)})
    return Engram(settings, FakeMemory(), None, None, rlm)


def test_split_attachments(tmp_path: Path) -> None:
    f = tmp_path / "notes.txt"
    f.write_text("x")
    assert split_attachments(f"summarise @{f} please @missing") == (
        "summarise please @missing",
        [str(f)],
    )


async def test_chat_reads_piped_stdin_and_shows_paths(tmp_path: Path) -> None:
    log = tmp_path / "a.log"
    log.write_text("boom\n")
    rlm = FakeRLM(lambda q, c: FakeRunResult(answer="one boom", findings=["a.log has one boom"]))
    engram = _engram(tmp_path / "home", rlm)
    stdin = io.StringIO(
        "FYI: Alice Chen is tech lead\n\nwhat did we decide about Alice Chen?\n"
        f"count booms @{log}\n/quit\nnever read\n"
    )
    out = io.StringIO()
    await _chat(engram, "t", stdin, out)
    text = out.getvalue()
    assert "engram[remember]> Remembered" in text
    assert "engram[recall]> Retrieved from memory" in text and "agent:t:1" in text
    assert "engram[rlm]> one boom" in text and "consolidated into memory: 2 new" in text
    assert "never read" not in text
    assert (tmp_path / "home" / "agent" / "threads.sqlite").exists()
