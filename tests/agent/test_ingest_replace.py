"""Unit keys that are unique and stable, and edited units replaced without loss: the new version
is retained first, the old one forgotten next, the state recorded last; a failure anywhere
leaves the old version in memory, is reported, and the next run finishes the job. State
recorded by an older engram under the old, relative keys is migrated, not duplicated."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlmodel import select

from agent.ingest.keys import normalise_remote
from agent.ingest.pipeline import Ingestor
from memory.memory import Memory
from storage.ingest_state import LEGACY_STATE_FILE, IngestState
from storage.schema import Episode
from tests.agent.ingest_helpers import RecordingMemory, make_git_repo, state_in
from tests.memory.conftest import open_memory


def _folder(root: Path, readme: str, extra: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True)
    (root / "README.md").write_text(readme)
    for name, text in (extra or {}).items():
        (root / name).write_text(text)
    return root


def test_two_folders_with_a_readme_each_keep_both(tmp_path: Path) -> None:
    a = _folder(tmp_path / "a" / "docs", "# A\n\nProject A ships on Monday.\n")
    b = _folder(tmp_path / "b" / "docs", "# B\n\nProject B ships on Friday.\n")
    mem, state = RecordingMemory(), state_in(tmp_path / "home")
    assert Ingestor(mem, state).ingest(a).ingested == 1
    report = Ingestor(mem, state).ingest(b)
    assert (report.ingested, report.replaced, report.already_done) == (1, 0, 0)
    texts = "\n".join(mem.texts())
    assert "Project A ships on Monday." in texts and "Project B ships on Friday." in texts
    assert mem.forgotten == []
    assert state.count() == 2
    # and nothing changes on a re-run of either
    assert Ingestor(mem, state).ingest(a).already_done == 1


def _git(repo: Path, *args: str) -> str:
    out = subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    return out.stdout.decode().strip()


def test_two_repositories_with_the_same_folder_name_keep_both(tmp_path: Path) -> None:
    one = make_git_repo(tmp_path / "x" / "api")
    other = tmp_path / "y" / "api"
    other.mkdir(parents=True)
    _git(other, "init", "-q", "-b", "main")
    (other / "README.md").write_text("# Other API\n\nThe other API uses Redis.\n")
    _git(other, "add", "README.md")
    _git(other, "-c", "user.name=Carol", "-c", "user.email=c@example.com", "commit", "-qm", "Init")
    mem, state = RecordingMemory(), state_in(tmp_path / "home")
    Ingestor(mem, state).ingest(one)
    Ingestor(mem, state).ingest(other)
    texts = "\n".join(mem.texts())
    assert "A demo project." in texts and "The other API uses Redis." in texts
    assert mem.forgotten == []


def test_a_clone_elsewhere_is_the_same_repository(tmp_path: Path) -> None:
    origin = make_git_repo(tmp_path / "origin")
    _git(origin, "commit", "-qm", "blob")  # the helper leaves blob.md staged
    clones = []
    for where in ("c1", "c2"):
        path = tmp_path / where / "checkout"
        subprocess.run(["git", "clone", "-q", str(origin), str(path)], check=True)
        _git(path, "remote", "set-url", "origin", "git@github.com:acme/demo.git")
        clones.append(path)
    mem, state = RecordingMemory(), state_in(tmp_path / "home")
    first = Ingestor(mem, state).ingest(clones[0])
    second = Ingestor(mem, state).ingest(clones[1])
    assert first.ingested > 0 and (second.ingested, second.already_done) == (0, first.ingested)
    assert mem.sources() and all(s.startswith("git:github.com/acme/demo:") for s in mem.sources())


@pytest.mark.parametrize(
    ("url", "want"),
    [
        ("https://user:token@GitHub.com/acme/Demo.git", "github.com/acme/Demo"),
        ("git@github.com:acme/Demo.git", "github.com/acme/Demo"),
        ("ssh://git@github.com:22/acme/Demo", "github.com/acme/Demo"),
        ("https://gitlab.example.org/group/sub/proj/", "gitlab.example.org/group/sub/proj"),
        ("/srv/git/proj.git", "/srv/git/proj"),
        ("file:///srv/git/proj.git", "/srv/git/proj"),
    ],
)
def test_remote_urls_are_normalised(url: str, want: str) -> None:
    assert normalise_remote(url) == want


def test_a_relative_path_remote_is_read_from_the_repository(tmp_path: Path) -> None:
    assert (
        normalise_remote("../up/proj.git", tmp_path / "repo") == (tmp_path / "up/proj").as_posix()
    )


def held(mem: RecordingMemory) -> str:
    return "\n".join(mem.texts())


def _edit(doc: Path, text: str) -> None:
    doc.write_text(text)


def test_an_edited_file_keeps_its_old_version_until_the_new_one_is_in(tmp_path: Path) -> None:
    docs = _folder(tmp_path / "docs", "# Plan\n\nWe plan to use MySQL.\n")
    state = state_in(tmp_path / "home")
    mem = RecordingMemory()
    Ingestor(mem, state).ingest(docs)
    _edit(docs / "README.md", "# Plan\n\nWe now plan PostgreSQL.\n")
    failing = RecordingMemory(fail_on="PostgreSQL")
    failing.calls, failing.ids = mem.calls, mem.ids  # the same memory, now failing to retain
    report = Ingestor(failing, state).ingest(docs)
    assert (report.ingested, report.count("failed")) == (0, 1)
    assert "We plan to use MySQL." in held(failing) and failing.forgotten == []
    # next run: retained, then the old chunk forgotten, then recorded
    report = Ingestor(mem, state).ingest(docs)
    assert (report.ingested, report.replaced) == (1, 1)
    assert "We now plan PostgreSQL." in held(mem) and "We plan to use MySQL." not in held(mem)
    assert Ingestor(mem, state).ingest(docs).already_done == 1


def test_a_failing_forget_leaves_both_versions_and_is_retried(tmp_path: Path) -> None:
    docs = _folder(tmp_path / "docs", "# Plan\n\nWe plan to use MySQL.\n")
    state = state_in(tmp_path / "home")
    mem = RecordingMemory()
    Ingestor(mem, state).ingest(docs)
    _edit(docs / "README.md", "# Plan\n\nWe now plan PostgreSQL.\n")
    mem.fail_forget = True
    report = Ingestor(mem, state).ingest(docs)
    assert (report.ingested, report.count("failed")) == (0, 1)
    assert "database is locked" in report.problems[-1].reason
    assert "We plan to use MySQL." in held(mem) and "We now plan PostgreSQL." in held(mem)
    mem.fail_forget = False
    report = Ingestor(mem, state).ingest(docs)
    assert (report.ingested, report.count("failed")) == (1, 0)
    assert "We plan to use MySQL." not in held(mem) and "We now plan PostgreSQL." in held(mem)


def test_a_changed_chunk_with_the_same_source_survives_the_forget(tmp_path: Path) -> None:
    docs = _folder(tmp_path / "docs", "# Plan\n\nOld line.\n", {"keep.md": "Unchanged text.\n"})
    mem, state = RecordingMemory(), state_in(tmp_path / "home")
    Ingestor(mem, state).ingest(docs)
    before = {c["text"]: c["source"] for c in mem.calls}
    _edit(docs / "README.md", "# Plan\n\nNew line.\n")  # same line range: same source
    Ingestor(mem, state).ingest(docs)
    after = {c["text"]: c["source"] for c in mem.calls}
    assert after["# Plan\n\nNew line."] == before["# Plan\n\nOld line."]
    assert "# Plan\n\nOld line." not in after and "Unchanged text." in after


# -- state of an older engram (relative keys, a SQLite file of its own) -----------------------


def _old_ingest(mem: Memory, home: Path, docs: Path) -> None:
    """What engram before this change did: `doc:<relative path>` keys and sources, one row per
    unit in ENGRAM_HOME/ingest_state.sqlite."""
    db = sqlite3.connect(home / LEGACY_STATE_FILE)
    db.execute("CREATE TABLE ingested (bank TEXT NOT NULL, unit TEXT NOT NULL, content_hash "
               "TEXT NOT NULL, episodes INTEGER NOT NULL, sources TEXT NOT NULL, done_at TEXT "
               "NOT NULL, PRIMARY KEY (bank, unit, content_hash))")  # fmt: skip
    from agent.ingest.pipeline import list_units

    for unit in list_units(docs, "documents"):
        assert not isinstance(unit, type(None))
        rel = unit.label  # type: ignore[union-attr]
        sources = []
        for ep in unit.episodes:  # type: ignore[union-attr]
            source = ep.source.replace(unit.key, f"doc:{rel}")  # type: ignore[union-attr]
            mem.retain(ep.text, mentioned_at=ep.mentioned_at, source=source)
            sources.append(source)
        db.execute("INSERT INTO ingested VALUES ('default', ?, ?, ?, ?, '2025-11-01T00:00:00')",
                   (f"doc:{rel}", unit.digest, len(sources), json.dumps(sources)))  # type: ignore[union-attr]  # fmt: skip
    db.commit()
    db.close()


def _episode_texts(mem: Memory) -> list[str]:
    with mem.store.db.session() as s:
        return sorted(s.exec(select(Episode.text).where(Episode.bank == "default")))


def test_old_scheme_state_is_migrated_not_duplicated(tmp_path: Path) -> None:
    home = tmp_path / "home"
    docs = _folder(tmp_path / "docs", "# Plan\n\nWe plan PostgreSQL.\n", {"b.md": "Bob left.\n"})
    mem = open_memory(home)
    try:
        _old_ingest(mem, home, docs)
        before = _episode_texts(mem)
        state = IngestState(mem.store.db)
        assert state.import_legacy_file(home / LEGACY_STATE_FILE) == 2
        assert not (home / LEGACY_STATE_FILE).exists()
        assert (home / f"{LEGACY_STATE_FILE}.imported").exists()
        assert state.import_legacy_file(home / LEGACY_STATE_FILE) == 0  # once
        report = Ingestor(mem, state).ingest(docs)
        assert (report.ingested, report.already_done, report.rekeyed) == (0, 2, 2)
        assert _episode_texts(mem) == before  # nothing retained twice
        assert {v.unit for v in state.versions("default", ["doc:README.md", "doc:b.md"])} == set()
        # an edit after the migration replaces the old-scheme episodes
        (docs / "README.md").write_text("# Plan\n\nWe plan SQLite now.\n")
        report = Ingestor(mem, state).ingest(docs)
        assert (report.ingested, report.replaced) == (1, 1)
        texts = _episode_texts(mem)
        assert "# Plan\n\nWe plan SQLite now." in texts
        assert "# Plan\n\nWe plan PostgreSQL." not in texts and len(texts) == len(before)
    finally:
        mem.store.close()


def test_old_scheme_state_of_an_edited_file_is_replaced_with_a_warning(tmp_path: Path) -> None:
    home = tmp_path / "home"
    docs = _folder(tmp_path / "docs", "# Plan\n\nWe plan PostgreSQL.\n")
    mem = open_memory(home)
    try:
        _old_ingest(mem, home, docs)
        (docs / "README.md").write_text("# Plan\n\nWe plan SQLite now.\n")
        state = IngestState(mem.store.db)
        state.import_legacy_file(home / LEGACY_STATE_FILE)
        report = Ingestor(mem, state).ingest(docs)
        assert (report.ingested, report.replaced, report.count("warning")) == (1, 1, 1)
        assert "doc:README.md" in report.problems[0].reason
        assert _episode_texts(mem) == ["# Plan\n\nWe plan SQLite now."]
    finally:
        mem.store.close()
