"""What a line label is ("Pablo:" a person speaking, or a field) does not depend on how a
retain_many batch is cut into chunks: the labels a bank knows as people are read once, before
the batch's first commit. Read per chunk, a later chunk saw the people an earlier chunk of the
same batch had committed, or not, depending on how far that commit had got (two ingests of one
history gave different entity tables). Real stack: spaCy, SQLite, embedded Chroma, MiniLM."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from memory.memory import Memory
from memory.retain import RetainItem
from tests.memory.conftest import real_memory_fixture

pytestmark = pytest.mark.slow

mem = real_memory_fixture("labels_chunking")

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

BATCHES = [
    ["Pablo Ruiz runs the test lab.", "The lab opens at 8.", "The rig needs a new fan.",
     "Parts arrive on Friday.", "Pablo: tests are marked."],
    ["Keiko Sato leads the strings.", "Rehearsal moved to Hall B.", "The cellos need rosin.",
     "The tour starts in May.", "Keiko: bar forty again."],
]  # fmt: skip


def _reading(m: Memory, bank: str, texts: list[str], chunk: int, label: str) -> tuple:
    items = [
        RetainItem(text=t, mentioned_at=T0 + timedelta(minutes=k), source=f"n{k}", bank=bank)
        for k, t in enumerate(texts)
    ]
    m.retain_many(items, chunk=chunk)
    ent = m.entity(label, bank=bank)
    return (None,) if ent is None else (ent.status, ent.kind, ent.name)


@pytest.mark.parametrize("texts", BATCHES)
def test_a_label_reads_the_same_whatever_the_chunk_size(mem: Memory, texts: list[str]) -> None:
    label = texts[-1].split(":")[0]
    one_by_one = _reading(mem, f"c1-{label}", texts, 1, label)
    all_at_once = _reading(mem, f"c256-{label}", texts, 256, label)
    assert one_by_one == all_at_once
