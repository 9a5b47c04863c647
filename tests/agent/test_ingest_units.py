"""Pure parts of ingestion: reading, dates, chunks with spans, git log, issues exports."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent.ingest.documents import chunk_text, document_date, document_unit, split_front_matter
from agent.ingest.errors import MalformedExportError, UnknownInputError
from agent.ingest.git_repo import read_log, repo_units
from agent.ingest.issues_export import export_units
from agent.ingest.keys import document_key
from agent.ingest.units import Problem, Unit
from agent.ingest.walk import detect_kind, read_text
from tests.agent.ingest_helpers import make_git_repo

DOC = """---
title: Standup
date: 2025-10-14
---
# Standup

Alice said the migration is done.

Bob is blocked on the database.

## Decisions
We pick PostgreSQL over MySQL.
"""


def test_chunks_keep_exact_spans_and_headings() -> None:
    _, body = split_front_matter(DOC)
    chunks = chunk_text(DOC, body, target=60)
    assert [c.heading for c in chunks] == ["Standup", "Standup", "Decisions"]
    for c in chunks:
        assert DOC[c.start : c.end] == c.text
        assert DOC.splitlines()[c.line_start - 1] == c.text.splitlines()[0]
    assert chunks[0].text.startswith("# Standup\n\nAlice")  # a heading never stands alone


def test_huge_paragraph_is_cut_at_line_ends() -> None:
    text = "\n".join(f"line {i} " + "x" * 80 for i in range(200))
    chunks = chunk_text(text)
    assert len(chunks) > 3
    assert all(len(c.text) <= 3000 and text[c.start : c.end] == c.text for c in chunks)


def test_document_date_precedence(tmp_path: Path) -> None:
    p = tmp_path / "2025-10-14-standup.md"
    mtime = datetime(2024, 1, 2, tzinfo=UTC).timestamp()
    assert document_date(p, {"date": "2025-11-01"}, mtime) == (
        datetime(2025, 11, 1, tzinfo=UTC),
        "front matter",
    )
    assert document_date(p, {}, mtime)[0] == datetime(2025, 10, 14, tzinfo=UTC)
    other = tmp_path / "notes.md"
    assert document_date(other, {"date": "garbage???"}, mtime) == (
        datetime(2024, 1, 2, tzinfo=UTC),
        "modification time",
    )


def test_document_unit_sources_point_at_chunks(tmp_path: Path) -> None:
    p = tmp_path / "standup.md"
    p.write_text(DOC)
    doc = read_text(p)
    assert not isinstance(doc, Problem)
    unit = document_unit(doc, document_key(p), "standup.md", legacy_keys=["doc:standup.md"])
    assert unit.mentioned_at == datetime(2025, 10, 14, tzinfo=UTC)
    assert unit.key == f"doc:{p.resolve().as_posix()}" and unit.legacy_keys == ["doc:standup.md"]
    first = unit.episodes[0]
    assert first.source == f"{unit.key}#L5-L{first.metadata['lines'][1]}"
    assert first.metadata["lines"][0] == 5 and first.metadata["path"] == "standup.md"
    s, e = first.metadata["span"]
    assert DOC[s:e] == first.text and first.metadata["date_from"] == "front matter"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\n", "whitespace only"),
        (b"abc\x00def", "binary"),
        (b"\xff\xfe\xfa" * 50, "not UTF-8"),
        (b"x" * 30_000, "a line of 30000 characters"),
    ],
)
def test_bad_files_are_reported_not_raised(tmp_path: Path, content: bytes, reason: str) -> None:
    p = tmp_path / "bad.md"
    p.write_bytes(content)
    got = read_text(p)
    assert isinstance(got, Problem) and reason in got.reason


def test_a_few_bad_bytes_are_replaced_with_a_warning(tmp_path: Path) -> None:
    p = tmp_path / "latin.md"
    p.write_bytes(("Caf\xe9 meeting notes. " * 20).encode("latin-1")[:100] + b" ok" * 2000)
    got = read_text(p)
    assert not isinstance(got, Problem)
    assert "\ufffd" in got.text and "invalid UTF-8" in got.warnings[0]


def test_detect_kind(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "issues.json").write_text("[]")
    (tmp_path / "a.md").write_text("hi")
    (tmp_path / "x.bin").write_bytes(b"\x00")
    assert detect_kind(tmp_path / "docs") == "documents"
    assert detect_kind(tmp_path / "issues.json") == "issues"
    assert detect_kind(tmp_path / "a.md") == "document"
    assert detect_kind(make_git_repo(tmp_path / "repo")) == "git"
    with pytest.raises(UnknownInputError, match="does not exist"):
        detect_kind(tmp_path / "nope")
    with pytest.raises(UnknownInputError, match="not supported"):
        detect_kind(tmp_path / "x.bin")


def test_git_log_authors_commits_and_files(tmp_path: Path) -> None:
    repo = make_git_repo(tmp_path / "demo")
    commits = read_log(repo)
    assert [c.author for c in commits] == ["Alice Chen", "Bob Stone", "Alice"]
    assert commits[1].date == datetime(2025, 10, 14, 9, 30, tzinfo=UTC)
    assert commits[1].files == ["docs/db.md"]
    items = list(repo_units(repo))
    units = [u for u in items if isinstance(u, Unit)]
    problems = [p for p in items if isinstance(p, Problem)]
    authors = [u for u in units if u.kind == "author"]
    assert len(authors) == 2  # Alice Chen and Alice share an e-mail
    alice = next(u for u in authors if "alice@example.com" in u.key)
    assert "Alice Chen" in alice.episodes[0].metadata["aliases"] + [alice.label]
    assert "alice@example.com" in alice.episodes[0].metadata["aliases"]
    commit = next(u for u in units if u.kind == "commit" and "PostgreSQL" in u.label)
    ep = commit.episodes[0]
    root = f"git:root-{commits[0].sha}"  # no remote: the repository is named by its root commit
    assert ep.source == f"{root}:{commits[1].sha}" and ep.mentioned_at == commits[1].date
    assert commit.legacy_keys == [f"git:demo:{commits[1].sha}"]
    assert ep.text.startswith("Bob Stone committed") and "MySQL lacked features" in ep.text
    db_doc = next(u for u in units if u.key == f"{root}:docs/db.md")
    assert db_doc.legacy_keys == ["git:demo:docs/db.md"]
    assert db_doc.mentioned_at == commits[1].date  # dated by its last commit
    assert db_doc.episodes[0].metadata["date_from"] == "last commit"
    assert [p.item for p in problems] == ["blob.md"]


def _issue(n: int, **kw: object) -> dict[str, object]:
    base = {
        "number": n,
        "title": f"Issue {n}",
        "body": f"Body of {n}",
        "user": {"login": "alice"},
        "created_at": f"2025-10-0{n}T12:00:00Z",
        "labels": [{"name": "bug"}, "db"],
        "html_url": f"https://github.com/acme/app/issues/{n}",
        "comments": [
            {
                "id": 77,
                "user": {"login": "bob"},
                "body": "Fixed.",
                "created_at": "2025-10-09T08:00:00Z",
            }
        ],
    }
    base.update(kw)
    return base


def test_issues_export_good_and_bad_items(tmp_path: Path) -> None:
    data = [_issue(1), "junk", _issue(2, created_at="soon-ish?"), _issue(3, comments=[{"body": ""}]),
            {"author": {"login": "carol"}, "number": 4, "title": "gh shape", "body": "B",
             "createdAt": "2025-10-04T00:00:00Z", "comments": []}]  # fmt: skip
    p = tmp_path / "issues.json"
    p.write_text(json.dumps(data))
    items = list(export_units(p))
    units = [u for u in items if isinstance(u, Unit)]
    problems = [x for x in items if isinstance(x, Problem)]
    here = f"issue:{p.resolve().as_posix()}"  # no repository named: the export's own path
    assert [u.key for u in units] == ["issue:acme/app#1", "issue:acme/app#3", f"{here}#4"]
    assert [u.legacy_keys for u in units] == [[], [], ["issue:issues#4"]]
    body, comment = units[0].episodes
    assert body.metadata["speaker"] == "alice" and body.metadata["labels"] == ["bug", "db"]
    assert comment.source == "issue:acme/app#1/comment/77"
    assert comment.mentioned_at == datetime(2025, 10, 9, 8, tzinfo=UTC)
    assert comment.metadata["speaker"] == "bob"
    reasons = " | ".join(f"{x.item}: {x.reason}" for x in problems)
    assert "issue[1]: not an object" in reasons and "created_at" in reasons
    assert "comment 0" in reasons  # the bad comment of #3 is reported, #3 itself kept


@pytest.mark.parametrize("content", ["{not json", '{"a": 1}', "[1, 2, 3]"])
def test_malformed_export_is_a_clear_error(tmp_path: Path, content: str) -> None:
    p = tmp_path / "issues.json"
    p.write_text(content)
    with pytest.raises(MalformedExportError, match="Expected a JSON list of issues"):
        list(export_units(p))


def test_mtime_fallback(tmp_path: Path) -> None:
    p = tmp_path / "plain.md"
    p.write_text("hello there")
    ts = datetime(2023, 5, 6, 7, 8, tzinfo=UTC).timestamp()
    os.utime(p, (ts, ts))
    doc = read_text(p)
    assert not isinstance(doc, Problem)
    unit = document_unit(doc, document_key(p), "plain.md")
    assert unit.mentioned_at == datetime(2023, 5, 6, 7, 8, tzinfo=UTC)
