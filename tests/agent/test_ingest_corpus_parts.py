"""The pure parts of corpus reading: ids, neighbours, batches, answer parsing, provenance."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agent.ingest.corpus_batches import plan_batches
from agent.ingest.corpus_findings import JunkAnswer, parse_answer, validate_findings
from agent.ingest.corpus_reader import build_context, corpus_units, neighbours
from agent.ingest.units import Episode, Unit, content_hash


def _doc(path: str, text: str, key_root: str = "git:r") -> Unit:
    key = f"{key_root}:{path}"
    return Unit(key, "document", [Episode(text, f"{key}#L1-L1", None, {"kind": "document"})],
                content_hash(text), path, text, datetime(2025, 10, 3, tzinfo=UTC))  # fmt: skip


def _commit(sha: str, files: list[str], msg: str) -> Unit:
    meta = {"kind": "commit", "sha": sha, "files": files}
    return Unit(f"git:r:{sha}", "commit", [Episode(msg, f"git:r:{sha}", None, meta)],
                content_hash(msg), msg[:20], msg)  # fmt: skip


def _issue(n: int, text: str) -> Unit:
    key = f"issue:acme/api#{n}"
    meta = {"kind": "issue", "number": n}
    return Unit(key, "issue", [Episode(text, key, None, meta)], content_hash(text), f"#{n}", text)


def _corpus() -> list[Unit]:
    return [
        _doc("docs/a.md", "We decided to use PostgreSQL because of replication."),
        _doc("docs/b.md", "Alice Chen owns the billing service."),
        _doc("notes/c.md", "TODO: the retry policy is still open."),
        _commit("a" * 40, ["docs/a.md"], "Record the database decision (refs #2)"),
        _issue(1, "The search service is slow."),
        _issue(2, "Related to #1: move to PostgreSQL."),
    ]


def test_ids_are_short_unique_and_fall_back_to_the_key() -> None:
    units = [*_corpus(), _doc("docs/a.md", "Another root's file.", key_root="git:other")]
    ids = [c.id for c in corpus_units(units)]
    assert ids[2:6] == ["notes/c.md", "commit:aaaaaaaaaa", "issue#1", "issue#2"]
    assert ids[0] == "git:r:docs/a.md" and ids[-1] == "git:other:docs/a.md"  # a collision
    assert len(set(ids)) == len(ids)


def test_neighbours_are_links_first_then_the_directory() -> None:
    cu = corpus_units(_corpus())
    near = neighbours(cu, {"docs/a.md", "issue#1"})
    assert near["docs/a.md"] == ["commit:aaaaaaaaaa", "docs/b.md"]
    assert near["issue#1"] == ["issue#2"]  # issue 2 mentions issue 1
    assert sorted(next(c for c in cu if c.id == "commit:aaaaaaaaaa").refs) == [
        "docs/a.md",
        "issue#2",
    ]


def test_batches_respect_the_size_and_carry_neighbours_that_fit() -> None:
    cu = corpus_units(_corpus())
    big = corpus_units([_doc("docs/huge.md", "x" * 500)])
    everything = {c.id for c in cu} | {"docs/huge.md"}
    batches = plan_batches([*cu, *big], everything, {}, max_chars=120)
    assert all(b.chars <= 120 or len(b.read) == 1 for b in batches)
    assert sorted(c.id for b in batches for c in b.read) == sorted(everything)
    assert any(len(b.read) == 1 and b.read[0].id == "docs/huge.md" for b in batches)
    one = plan_batches(cu, {"docs/a.md"}, neighbours(cu, {"docs/a.md"}), max_chars=120)
    assert len(one) == 1 and [c.id for c in one[0].read] == ["docs/a.md"]
    assert [c.id for c in one[0].context] == ["commit:aaaaaaaaaa"]  # docs/b.md no longer fits
    ctx = build_context(one[0].read, one[0].context)
    assert [r["role"] for r in ctx["manifest"]] == ["read", "context"]
    assert set(ctx["units"]) == {"docs/a.md", "commit:aaaaaaaaaa"}


@pytest.mark.parametrize(
    "answer",
    [
        '{"findings": []}',
        'Here you go:\n```json\n{"findings": []}\n```',
        "[]",
        {"findings": []},
        [],
    ],
)
def test_answers_in_any_wrapping_parse(answer: object) -> None:
    assert parse_answer(answer) == []


@pytest.mark.parametrize("answer", ["no findings, sorry", '{"result": 3}', None, 42, "{broken"])
def test_junk_answers_raise(answer: object) -> None:
    with pytest.raises(JunkAnswer):
        parse_answer(answer)


def test_a_quote_is_found_across_whitespace_and_its_span_is_the_units_own_text() -> None:
    text = "# A\n\nWe decided to use\nPostgreSQL   because of replication.\n"
    cu = corpus_units([_doc("docs/a.md", text)])
    lookup = {c.id: c for c in cu}
    raw = [
        {"type": "decision", "text": "Use PostgreSQL",
         "cites": [{"unit": "docs/a.md", "quote": "decided to use PostgreSQL because"}]},
        {"type": "decision", "text": "Use postgres",
         "cites": [{"unit": "docs/a.md", "quote": "decided to use postgresql because"}]},
        {"type": "ownership", "text": "x", "unit": "docs/a.md", "quote": "We decided to use"},
        {"type": "link", "text": "y", "cites": ["docs/a.md"]},
        "not an object",
    ]  # fmt: skip
    kept, dropped = validate_findings(raw, lookup)
    assert len(kept) == 2 and len(dropped) == 3
    first = kept[0].cites[0]
    assert first.quote == "decided to use\nPostgreSQL   because"  # as the file has it
    assert text[first.start : first.end] == first.quote and first.span_ref == "L3-L4"
    assert "is not in 'docs/a.md'" in dropped[0]  # quotes are case-sensitive: verbatim
