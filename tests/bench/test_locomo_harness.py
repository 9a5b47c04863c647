"""The LoCoMo harness pieces on a tiny synthetic file (no real model)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.baselines import BM25Baseline, DenseBaseline
from bench.locomo import (
    conversation_questions,
    conversation_turns,
    distinct_turns,
    parse_evidence,
    parse_session_date,
    recall_at_k,
    summarise,
)
from tests.fakes import HashEmbedder

SAMPLE = {
    "sample_id": "conv-x",
    "conversation": {
        "speaker_a": "Ann",
        "speaker_b": "Bo",
        "session_1_date_time": "1:56 pm on 8 May, 2023",
        "session_1": [
            {"speaker": "Ann", "dia_id": "D1:1", "text": "I adopted a cat named Pixel."},
            {"speaker": "Bo", "dia_id": "D1:2", "text": "Nice! I went hiking in the Alps."},
        ],
        "session_2_date_time": "10:00 am on 9 June, 2023",
        "session_2": [
            {
                "speaker": "Ann",
                "dia_id": "D2:1",
                "text": "Look at this.",
                "blip_caption": "a cat on a sofa",
            },
        ],
    },
    "qa": [
        {
            "question": "What is Ann's cat called?",
            "answer": "Pixel",
            "evidence": ["D1:1"],
            "category": 4,
        },
        {"question": "Where did Bo hike?", "evidence": ["D1:2; D2:1"], "category": 1},
        {"question": "Bad evidence", "evidence": ["D9:99", "nonsense", 3], "category": 2},
        {"question": "Adversarial", "evidence": ["D1:1"], "category": 5},
    ],
}


def test_parse_evidence_splits_and_skips_malformed() -> None:
    assert parse_evidence(["D8:6; D9:17", "D8:6", "D:3", "x", None, "D10:2"]) == [
        "D8:6",
        "D9:17",
        "D10:2",
    ]
    assert parse_evidence(["D8:6; D9:17"], valid={"D9:17"}) == ["D9:17"]


def test_session_date_and_turns() -> None:
    assert parse_session_date("1:56 pm on 8 May, 2023") == datetime(2023, 5, 8, 13, 56, tzinfo=UTC)
    turns = conversation_turns(SAMPLE)
    assert [t.source for t in turns] == ["conv-x:D1:1", "conv-x:D1:2", "conv-x:D2:1"]
    assert turns[0].text == "Ann: I adopted a cat named Pixel."
    assert turns[2].text.endswith("[shares a photo of a cat on a sofa]")
    assert turns[2].mentioned_at.month == 6


def test_questions_drop_invalid_evidence_and_category_5() -> None:
    qs, dropped = conversation_questions(SAMPLE, {t.dia_id for t in conversation_turns(SAMPLE)})
    assert [q.category for q in qs] == [4, 1] and dropped == 1
    assert qs[1].evidence == ["D1:2", "D2:1"]


def test_recall_at_k_math() -> None:
    ranked = distinct_turns(["D1:1", "D1:1", None, "D2:1", "D3:3"], 3)
    assert ranked == ["D1:1", "D2:1", "D3:3"]
    assert recall_at_k(ranked, ["D2:1", "D9:9"], 1) == 0.0
    assert recall_at_k(ranked, ["D2:1", "D9:9"], 2) == 0.5
    assert recall_at_k(ranked, ["D1:1"], 10) == 1.0


def test_summary_shape() -> None:
    rows = [(1, ["a", "b"], ["b"]), (4, ["c"], ["c", "d"])]
    s = summarise(rows, [1, 2])
    assert s["overall"] == {"R@1": 0.25, "R@2": 0.75}
    assert set(s["categories"]) == {"multi-hop", "temporal", "open-domain", "single-hop"}
    assert s["categories"]["multi-hop"]["R@2"] == 1.0


def test_baselines_rank_turns() -> None:
    docs = [t.text for t in conversation_turns(SAMPLE)]
    assert BM25Baseline(docs).rank("Pixel cat", 1) == [0]
    assert DenseBaseline(docs, HashEmbedder()).rank("hiking Alps", 1) == [1]


@pytest.mark.slow
def test_end_to_end_json_shape(tmp_path: Path) -> None:
    pytest.importorskip("memory.memory")
    import asyncio

    from bench import locomo
    from memory.memory import Memory
    from storage.store import Store
    from storage.vectors import InMemoryVectorIndex

    data = tmp_path / "tiny.json"
    data.write_text(json.dumps([SAMPLE]))

    def open_memory(home: Path) -> Memory:
        emb = HashEmbedder()
        return Memory(store=Store.open(home, embedder=emb, vectors=InMemoryVectorIndex(emb.dim)))

    out = asyncio.run(locomo.run(data, [1, 2], None, lambda m: None, open_memory))
    assert out["questions"] == 2 and out["dropped_questions"] == 1
    assert set(out["overall"]) == {"R@1", "R@2"}
    assert set(out["baselines"]) == {"bm25", "dense"}
    assert set(out["baselines"]["bm25"]["categories"]) == set(out["categories"])
    json.dumps(out)
