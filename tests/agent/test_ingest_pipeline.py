"""The pipeline with a recording memory: resumable, never fatal, a failing RLM reader reported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent.ingest.corpus_ingest import CorpusReader
from agent.ingest.pipeline import Ingestor
from tests.agent.ingest_helpers import RecordingMemory, make_git_repo, state_in


def _docs(root: Path) -> Path:
    root.mkdir()
    (root / "2025-10-14-standup.md").write_text("# Standup\n\nAlice finished the API early.\n")
    (root / "sub").mkdir()
    (root / "sub" / "plan.md").write_text("---\ndate: 2025-09-01\n---\nWe plan to use MySQL.\n")
    (root / "empty.md").write_text("")
    (root / "blob.txt").write_bytes(b"\x00\x01\x02")
    (root / "ignored.png").write_bytes(b"\x00")
    return root


def test_documents_then_rerun_skips_everything(tmp_path: Path) -> None:
    docs = _docs(tmp_path / "docs")
    mem, state = RecordingMemory(), state_in(tmp_path / "home")
    report = Ingestor(mem, state).ingest(docs, bank="b1")
    d = report.to_dict()
    assert (d["kind"], d["units"], d["ingested"], d["skipped"], d["failed"]) == (
        "documents",
        2,
        2,
        2,
        0,
    )
    assert {p["item"] for p in d["problems"]} == {"empty.md", "blob.txt"}
    key = f"doc:{(docs / '2025-10-14-standup.md').resolve().as_posix()}"
    assert mem.calls[0]["source"].startswith(f"{key}#L1-")
    assert mem.calls[0]["mentioned_at"].isoformat().startswith("2025-10-14")
    again = Ingestor(mem, state).ingest(docs, bank="b1")
    assert (again.ingested, again.already_done, len(mem.calls)) == (0, 2, 2)
    other_bank = Ingestor(mem, state).ingest(docs, bank="b2")
    assert other_bank.ingested == 2


def test_an_edited_file_replaces_its_old_chunks(tmp_path: Path) -> None:
    docs = _docs(tmp_path / "docs")
    mem, state = RecordingMemory(), state_in(tmp_path / "home")
    Ingestor(mem, state).ingest(docs)
    (docs / "sub" / "plan.md").write_text("---\ndate: 2025-10-20\n---\nWe now plan PostgreSQL.\n")
    report = Ingestor(mem, state).ingest(docs)
    assert (report.ingested, report.already_done) == (1, 1)
    texts = [c["text"] for c in mem.calls]
    assert "We now plan PostgreSQL." in texts and "We plan to use MySQL." not in texts
    assert Ingestor(mem, state).ingest(docs).ingested == 0


def test_a_failing_unit_is_reported_and_retried_next_time(tmp_path: Path) -> None:
    docs = _docs(tmp_path / "docs")
    state = state_in(tmp_path / "home")
    report = Ingestor(RecordingMemory(fail_on="MySQL"), state).ingest(docs)
    assert report.ingested == 1 and report.count("failed") == 1
    assert "extractor exploded" in report.problems[-1].reason
    mem = RecordingMemory()
    report2 = Ingestor(mem, state).ingest(docs)
    assert (report2.ingested, report2.already_done) == (1, 1)


def test_git_repository(tmp_path: Path) -> None:
    repo = make_git_repo(tmp_path / "demo")
    mem = RecordingMemory()
    report = Ingestor(mem, state_in(tmp_path / "home")).ingest(repo)
    assert report.kind == "git" and report.count("failed") == 0
    kinds = [c["metadata"]["kind"] for c in mem.calls]
    assert (
        kinds.count("author") == 2 and kinds.count("commit") == 3 and kinds.count("document") == 3
    )


class _BrokenRunner:
    """An RLM whose every run raises (a bug or a dead sandbox, not a refused answer)."""

    def __init__(self) -> None:
        self.calls = 0

    async def arun(self, query: str, context: Any, **kw: Any) -> Any:
        self.calls += 1
        raise RuntimeError("sandbox exploded")


def test_a_failing_corpus_reader_leaves_the_raw_episodes(tmp_path: Path) -> None:
    docs = _docs(tmp_path / "docs")
    mem, runner = RecordingMemory(), _BrokenRunner()
    report = Ingestor(mem, state_in(tmp_path / "h"), corpus=CorpusReader(runner)).ingest(docs)
    assert runner.calls == 1 and report.ingested == 2 and len(mem.calls) == 2
    assert report.rlm is not None and report.rlm["failed"] == 1
    assert any("sandbox exploded" in p.reason for p in report.problems if p.status == "warning")


def test_a_single_document_and_an_issues_export(tmp_path: Path) -> None:
    doc = tmp_path / "2025-10-14-standup.md"
    doc.write_text("# Standup\n\nAlice finished early.\n")
    export = tmp_path / "issues.json"
    export.write_text('[{"number": 1, "title": "T", "body": "B", "user": {"login": "al"}, '
                      '"created_at": "2025-10-01T00:00:00Z"}, 7]')  # fmt: skip
    mem, state = RecordingMemory(), state_in(tmp_path / "home")
    one = Ingestor(mem, state).ingest(doc)
    assert (one.kind, one.ingested) == ("document", 1)
    assert mem.calls[0]["source"] == f"doc:{doc.resolve().as_posix()}#L1-L3"
    issues = Ingestor(mem, state).ingest(export)
    assert (issues.kind, issues.ingested, issues.count("failed")) == ("issues", 1, 1)
    assert mem.calls[-1]["metadata"]["speaker"] == "al"
