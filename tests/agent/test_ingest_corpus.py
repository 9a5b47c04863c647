"""`Ingestor(corpus=CorpusReader(...))`: the real RLM (ProcessSandbox REPL) and the real `openai`
client against the scripted endpoint, over a generated 40-file git repository and an issues
export. The scripted root's reply is a REPL cell that reads `context` and calls FINAL with
findings JSON (bench/corpus_fixture.py); memory is a recording one, the ingest state real."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from agent.ingest.corpus_ingest import CorpusReader, CorpusSettings
from agent.ingest.pipeline import Ingestor
from bench.corpus_fixture import (
    corpus_responder,
    findings_cell,
    make_issues_export,
    make_repo,
)
from bench.scripted_endpoint import Reply, ScriptedEndpoint
from rlm.budget import Budget
from rlm.engine import RLM
from rlm.openai_lm import OpenAILM
from tests.agent.ingest_helpers import RecordingMemory, state_in


def _rlm(ep: ScriptedEndpoint, timeout_s: float = 10.0) -> RLM:
    lm = OpenAILM("gpt-4o-mini", base_url=ep.base_url, api_key="k", max_retries=0,
                  timeout_s=timeout_s)  # fmt: skip
    return RLM(lm, lm, budget=Budget(max_iterations=2))


def _ingest(ep: ScriptedEndpoint, path: Path, mem: RecordingMemory, state: Any,
            **settings: Any) -> Any:  # fmt: skip
    reader = CorpusReader(_rlm(ep, settings.pop("timeout_s", 10.0)), CorpusSettings(**settings))
    return Ingestor(mem, state, corpus=reader).ingest(path, bank="b")


def _findings(mem: RecordingMemory) -> list[dict[str, Any]]:
    return [c for c in mem.calls if c["metadata"].get("kind") == "rlm_finding"]


def test_a_repository_of_small_files_is_read_as_one_corpus(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", n_files=42)
    mem, state = RecordingMemory(), state_in(tmp_path / "h")
    with ScriptedEndpoint(corpus_responder()) as ep:
        report = _ingest(ep, repo, mem, state)
        assert len(ep.chat_requests) == 1  # one corpus, one run, however small each file
    r = report.rlm
    assert r["batches"] == r["runs"] == 1 and r["failed"] == 0 and r["dropped"] == 0, report
    assert r["changed"] == r["units"] > 42  # files, commits and authors
    assert r["tokens"] > 0 and r["cost"] > 0  # gpt-4o-mini has a price
    raw = [c for c in mem.calls if c["metadata"].get("kind") == "document"]
    assert len(raw) == 42 and mem.calls.index(raw[0]) < mem.calls.index(_findings(mem)[0])
    found = _findings(mem)
    kinds = {f["metadata"]["finding_type"] for f in found}
    assert {"decision", "ownership", "open_problem"} <= kinds
    for f in found:
        assert f["metadata"]["rlm_run"] == r["run_ids"][0]
        for cite in f["metadata"]["cites"]:
            assert cite["unit"] in f["source"]
            if cite["unit"].startswith("git:") and cite["id"].endswith(".md"):
                text = (repo / cite["id"]).read_text()
                assert text[cite["span"][0] : cite["span"][1]] == cite["quote"]
    decision = next(f for f in found if f["metadata"]["finding_type"] == "decision")
    assert (
        decision["text"].startswith("Decision: We decided to use")
        and "Reason:" not in (decision["text"])
    )  # the reason is in the sentence already
    assert "#L" in decision["source"]  # a document's span is its lines


def test_an_issues_export_links_issues(tmp_path: Path) -> None:
    export = make_issues_export(tmp_path / "issues.json", n=8)
    mem, state = RecordingMemory(), state_in(tmp_path / "h")
    with ScriptedEndpoint(corpus_responder()) as ep:
        report = _ingest(ep, export, mem, state)
    assert report.rlm["findings"] > 0 and report.rlm["failed"] == 0
    links = [f for f in _findings(mem) if f["metadata"]["finding_type"] == "link"]
    assert len(links) == 7  # each issue after the first mentions the one before
    one = next(f for f in links if f["metadata"]["cites"][0]["id"] == "issue#5")
    assert (
        one["source"].startswith("issue:acme/api#5#c")
        and " + issue:acme/api#4#c" in (one["source"])
    )
    assert one["metadata"]["derived_from"] == ["issue:acme/api#5", "issue:acme/api#4"]
    decisions = [f for f in _findings(mem) if f["metadata"]["finding_type"] == "decision"]
    assert len(decisions) == 8 and all("carol commented" not in d["text"] for d in decisions)


def test_findings_without_provenance_are_dropped_with_a_warning(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", n_files=8, commits=2)
    extra = [
        {"type": "decision", "text": "We chose Oracle.",
         "cites": [{"unit": "docs/adr/nope.md", "quote": "We decided to use Oracle"}]},
        {"type": "decision", "text": "We chose Oracle.",
         "cites": [{"unit": "docs/adr/adr-00.md", "quote": "We decided to use Oracle for all"}]},
        {"type": "ownership", "text": "Bob owns it.",
         "cites": [{"unit": "docs/adr/adr-00.md", "quote": "We"}]},
        {"type": "gossip", "text": "x", "cites": []},
    ]  # fmt: skip
    mem, state = RecordingMemory(), state_in(tmp_path / "h")
    with ScriptedEndpoint(corpus_responder(extra)) as ep:
        report = _ingest(ep, repo, mem, state)
    assert report.rlm["dropped"] == 4 and report.rlm["findings"] > 0
    reasons = " | ".join(p.reason for p in report.problems if p.status == "warning")
    assert "'docs/adr/nope.md', which is not in the corpus" in reasons
    assert "is not in 'docs/adr/adr-00.md'" in reasons
    assert "too short" in reasons and "unknown type 'gossip'" in reasons
    assert not any("Oracle" in f["text"] for f in _findings(mem))


def test_a_junk_answer_is_reported_and_the_raw_episodes_stay(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", n_files=6, commits=2)
    mem, state = RecordingMemory(), state_in(tmp_path / "h")
    with ScriptedEndpoint(lambda r: "```repl\nFINAL('I read it all, looks fine!')\n```") as ep:
        report = _ingest(ep, repo, mem, state)
    assert report.rlm["failed"] == 1 and report.rlm["findings"] == 0
    assert any("not JSON" in p.reason for p in report.problems)
    assert report.ingested == report.units and len(mem.calls) > 6
    with ScriptedEndpoint(corpus_responder()) as ep:  # the next run reads the corpus again
        again = _ingest(ep, repo, mem, state)
        assert len(ep.chat_requests) == 1
    assert again.ingested == 0 and again.rlm["findings"] > 0


@pytest.mark.parametrize("failure", ["500", "timeout"])
def test_an_endpoint_that_fails_leaves_the_raw_episodes(tmp_path: Path, failure: str) -> None:
    repo = make_repo(tmp_path / "repo", n_files=6, commits=2)
    mem, state = RecordingMemory(), state_in(tmp_path / "h")
    reply = Reply("down", status=500) if failure == "500" else Reply(findings_cell(), delay_s=3)
    with ScriptedEndpoint(lambda r: reply) as ep:
        report = _ingest(ep, repo, mem, state, timeout_s=0.5)
    r = report.rlm
    assert (r["failed"], r["endpoint_failed"], r["findings"]) == (1, 1, 0)
    assert report.ingested == report.units and not _findings(mem)
    why = next(p.reason for p in report.problems if p.item.startswith("rlm batch"))
    assert "the raw episodes are stored" in why


def test_batches_run_concurrently_bounded_and_rerun_is_incremental(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", n_files=40)
    active, peak, lock = [0], [0], threading.Lock()
    cell = findings_cell()

    def slow(request: dict[str, Any]) -> str:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.4)
        with lock:
            active[0] -= 1
        return cell

    mem, state = RecordingMemory(), state_in(tmp_path / "h")
    with ScriptedEndpoint(slow) as ep:
        first = _ingest(ep, repo, mem, state, batch_chars=1500, concurrency=2)
        assert first.rlm["batches"] >= 4 and first.rlm["failed"] == 0
        assert peak[0] == 2 and first.rlm["max_in_flight"] == 2
        assert len(ep.chat_requests) == first.rlm["batches"]

        ep.reset()
        edited = repo / "docs" / "adr" / "adr-04.md"
        edited.write_text(edited.read_text().replace("Terraform", "Pulumi"))
        second = _ingest(ep, repo, mem, state, batch_chars=1500, concurrency=2)
        assert (second.ingested, second.rlm["changed"], second.rlm["batches"]) == (1, 1, 1)
        assert len(ep.chat_requests) == 1
        sent = ep.chat_requests[0].messages[1]["content"]
        assert "adr-04.md" in sent  # the manifest preview names what is read
        texts = [f["text"] for f in _findings(mem)]
        mine = [t for t in texts if t.endswith("(from docs/adr/adr-04.md)")]
        assert (
            len(mine) == 1 and "use Pulumi for the ingest" in mine[0]
        )  # the old version's finding is forgotten
        assert second.rlm["forgotten"] >= 1

        ep.reset()
        third = _ingest(ep, repo, mem, state, batch_chars=1500, concurrency=2)
        assert third.rlm["changed"] == third.rlm["batches"] == 0
        assert ep.chat_requests == []  # an unchanged corpus makes no RLM call


def test_the_cost_budget_stops_new_batches(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", n_files=40)
    mem, state = RecordingMemory(), state_in(tmp_path / "h")
    with ScriptedEndpoint(corpus_responder()) as ep:
        report = _ingest(ep, repo, mem, state, batch_chars=1500, concurrency=1, max_cost=1e-9)
        assert len(ep.chat_requests) == 1
    r = report.rlm
    assert r["runs"] == 1 and r["skipped"] == r["batches"] - 1 and r["skipped"] >= 3
    assert any("budget is spent" in p.reason for p in report.problems)


class _Progress:
    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    def start(self, total: int, description: str) -> None:
        self.events.append(("start", (total, description)))

    def advance(self, label: str) -> None:
        self.events.append(("advance", label))

    def stop(self) -> None:
        self.events.append(("stop", None))


def test_progress_shows_batches_runs_and_cost(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", n_files=12, commits=3)
    progress = _Progress()
    with ScriptedEndpoint(corpus_responder()) as ep:
        reader = CorpusReader(_rlm(ep), CorpusSettings(batch_chars=800), progress=progress)
        report = Ingestor(RecordingMemory(), state_in(tmp_path / "h"), corpus=reader).ingest(repo)
    batches = report.rlm["batches"]
    assert batches > 1 and progress.events[0] == (
        "start",
        (batches, f"RLM reading {report.rlm['units']} unit(s)"),
    )
    labels = [v for k, v in progress.events if k == "advance"]
    assert len(labels) == batches and progress.events[-1] == ("stop", None)
    assert labels[-1].startswith(f"{batches} run(s), ") and "tokens, $0.0" in labels[-1]
