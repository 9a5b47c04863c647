"""What a user met on the landed code, each in a real `engram` process where they met it:

- `engram ingest a/docs` then `engram ingest b/docs`: a's README was gone (both keyed
  `doc:README.md`); two git repositories in folders of the same name collided the same way;
- re-ingesting an edited file forgot the old version before the new one was in: a new version
  memory refuses lost the document;
- a second process on the same ENGRAM_HOME got `FolderBusy` inside a long traceback from
  recall, remember, entity, beliefs, ingest and ask;
- an unreachable LLM endpoint crashed `engram ask` with a traceback; `engram chat` died with it.

Now: nothing is lost, and an expected failure is one line on stderr with a documented code.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.scripted_endpoint import Reply, ScriptedEndpoint
from storage.chroma_server import free_port
from tests.agent.cli_procs import ROOT, engram, engram_env, episode_texts, start_engram

pytestmark = pytest.mark.slow


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={**engram_env(repo), "GIT_AUTHOR_NAME": "Dee", "GIT_AUTHOR_EMAIL": "d@x.io",
                        "GIT_COMMITTER_NAME": "Dee", "GIT_COMMITTER_EMAIL": "d@x.io"})  # fmt: skip


def _repo(root: Path, text: str) -> Path:
    root.mkdir(parents=True)
    _git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text(text)
    _git(root, "add", "README.md")
    _git(root, "commit", "-qm", "Start")
    return root


def _readme_folder(root: Path, text: str) -> Path:
    root.mkdir(parents=True)
    (root / "README.md").write_text(text)
    return root


def test_same_named_files_and_repositories_do_not_collide(tmp_path: Path) -> None:
    home = tmp_path / "home"
    a = _readme_folder(tmp_path / "a" / "docs", "# A\n\nProject Alder ships on Monday.\n")
    b = _readme_folder(tmp_path / "b" / "docs", "# B\n\nProject Birch ships on Friday.\n")
    x = _repo(tmp_path / "x" / "api", "# API\n\nThe Xylo API caches in Redis.\n")
    y = _repo(tmp_path / "y" / "api", "# API\n\nThe Yarrow API caches in Memcached.\n")
    for folder in (a, b, x, y):
        out = engram(home, "ingest", str(folder), "--json")
        assert out.returncode == 0, out.stderr
    held = "\n".join(episode_texts(home))
    for text in ("Project Alder", "Project Birch", "Xylo API", "Yarrow API"):
        assert text in held, text


def test_an_edit_memory_refuses_leaves_the_old_version(tmp_path: Path) -> None:
    home = tmp_path / "home"
    a = _readme_folder(tmp_path / "a" / "docs", "# A\n\nProject Alder ships on Monday.\n")
    assert engram(home, "ingest", str(a)).returncode == 0
    # the new version: a pasted terminal log (control characters), which memory refuses
    (a / "README.md").write_text("# A\n\n" + "\x1b[31mERROR\x1b[0m \x07" * 40 + "\n")
    out = engram(home, "ingest", str(a), "--json")
    report = json.loads(out.stdout)
    assert (report["ingested"], report["failed"]) == (0, 1), report
    assert "control characters" in report["problems"][0]["reason"]
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "Project Alder ships on Monday." in "\n".join(episode_texts(home))  # still there


def _hold_the_folder(home: Path) -> subprocess.Popen[str]:
    """Another process owning ENGRAM_HOME's embedded memory, as a long `engram` run would."""
    code = ("import sys, time; from pathlib import Path; from storage.sync import FolderLock; "
            "FolderLock(Path(sys.argv[1]) / 'chroma').acquire(); print('held', flush=True); "
            "time.sleep(120)")  # fmt: skip
    holder = subprocess.Popen([sys.executable, "-c", code, str(home)], cwd=ROOT, text=True,
                              stdout=subprocess.PIPE, env=engram_env(home))  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_busy_memory_is_one_line_and_exit_code_4_for_every_command(tmp_path: Path) -> None:
    home, docs = tmp_path / "home", _readme_folder(tmp_path / "docs", "Notes.\n")
    home.mkdir()
    holder = _hold_the_folder(home)
    commands = [["recall", "deploy"], ["remember", "Tom is blocked."], ["entity", "Tom"],
                ["beliefs"], ["ingest", str(docs)], ["ask", "what blocks Tom?"]]  # fmt: skip
    try:
        procs = [start_engram(home, *argv) for argv in commands]
        outputs = [p.communicate(timeout=120) for p in procs]
        results = [
            (argv, p.returncode, o) for argv, p, o in zip(commands, procs, outputs, strict=True)
        ]
    finally:
        holder.kill()
        holder.wait()
    for argv, code, (out, err) in results:
        lines = err.strip().splitlines()
        assert code == 4, (argv, code, err[-2000:])
        assert len(lines) == 1 and "Traceback" not in err, (argv, err[-2000:])
        assert lines[0].startswith("engram: the memory under ") and "in use by another" in err
        assert "ENGRAM_CHROMA_URL" in lines[0] and out == "", argv


def test_debug_shows_a_bug_traceback_but_never_one_for_an_expected_error(tmp_path: Path) -> None:
    out = engram(tmp_path / "home", "--debug", "recall", "x", "--as-of", "the twelfth of never")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.startswith("engram: --as-of: cannot read the date")


def _remember(home: Path, text: str, at: str) -> None:
    out = engram(home, "remember", text, "--at", at, "--source", "standup")
    assert out.returncode == 0, out.stderr


def test_ask_answers_from_memory_when_the_endpoint_is_unreachable(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _remember(home, "Tom is blocked on the flaky CI runner.", "2025-11-03")
    down = {"OPENAI_BASE_URL": f"http://127.0.0.1:{free_port()}/v1", "OPENAI_API_KEY": "k",
            "ENGRAM_ROOT_MODEL": "gpt-4o-mini", "ENGRAM_LM_MAX_RETRIES": "1"}  # fmt: skip
    t0 = time.monotonic()
    out = engram(home, "ask", "what is Tom blocked on?", "--json", **down)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr[-3000:]
    turn = json.loads(out.stdout)
    assert turn["route"] == "recall" and "model was unreachable" in turn["route_reason"]
    assert "could not be reached" in turn["answer"] and "flaky CI runner" in turn["answer"]
    assert turn["sources"][0]["source"] == "standup"
    assert time.monotonic() - t0 < 90
    # a question the rules route to recall degrades the same way, in plain text
    out = engram(home, "ask", "why did we block Tom?", **down)
    assert out.returncode == 0 and "could not be reached" in out.stdout, out.stderr[-3000:]


def test_chat_keeps_going_while_the_endpoint_keeps_failing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _remember(home, "We picked PostgreSQL over MySQL for billing.", "2025-10-14")
    with ScriptedEndpoint(lambda request: Reply(status=500, text="overloaded")) as ep:
        env = {"OPENAI_BASE_URL": ep.base_url, "OPENAI_API_KEY": "k",
               "ENGRAM_ROOT_MODEL": "m", "ENGRAM_LM_MAX_RETRIES": "1"}  # fmt: skip
        out = engram(home, "chat", stdin="tell me about billing\nand PostgreSQL?\n/quit\n", **env)
        assert ep.chat_requests  # the model was tried
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr[-3000:]
    turns = [t for t in out.stdout.split("engram[")[1:] if "-- path:" in t]  # one per answer
    assert len(turns) == 2 and all("could not be reached" in t for t in turns), out.stdout
    assert "PostgreSQL over MySQL" in out.stdout
