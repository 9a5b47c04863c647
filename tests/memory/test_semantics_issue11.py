"""The four failures of issue 11, each in its own words and in two other phrasings, on the real
stack: the spaCy pipeline, SQLite, Chroma and the MiniLM embedder."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from memory.memory import Memory
from tests.memory.conftest import real_memory_fixture

pytestmark = pytest.mark.slow


def day(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


mem = real_memory_fixture("sem")


# 1. an unrelated fact of a multi-valued relation retires nothing
@pytest.mark.parametrize(
    "first,second",
    [
        ("We use PostgreSQL.", "We use Redis for caching."),
        ("Our team uses Python.", "Our team uses Go for the CLI tools."),
        ("The platform team relies on Kafka.", "The platform team also relies on Terraform."),
    ],
)
def test_unrelated_fact_supersedes_nothing(mem: Memory, first: str, second: str) -> None:
    bank = f"u-{abs(hash(first))}"
    a = mem.retain(first, mentioned_at=day("2025-09-01"), bank=bank)
    b = mem.retain(second, mentioned_at=day("2025-09-02"), bank=bank)
    assert b.superseded == [] and a.fact_ids
    hits = mem.recall(first.rstrip("."), bank=bank, k=5)
    assert any(h.text == first and h.invalidated_at is None for h in hits)


# 2. an explicit change supersedes, says why, and as_of tells then from now
@pytest.mark.parametrize(
    "old,new,old_value,new_value",
    [
        ("Our main database is MySQL.",
         "We moved the main database from MySQL to PostgreSQL because we need JSONB.", "MySQL", "PostgreSQL"),
        ("The billing service runs on MySQL.",
         "We migrated the billing service from MySQL to PostgreSQL last week.", "MySQL", "PostgreSQL"),
        ("Our primary datastore is MySQL.",
         "MySQL was replaced by PostgreSQL as our primary datastore.", "MySQL", "PostgreSQL"),
    ],
)  # fmt: skip
def test_explicit_change_supersedes_with_a_reason(
    mem: Memory, old: str, new: str, old_value: str, new_value: str
) -> None:
    bank = f"c-{abs(hash(new))}"
    a = mem.retain(old, mentioned_at=day("2025-09-01"), bank=bank)
    b = mem.retain(new, mentioned_at=day("2025-10-14"), bank=bank)
    assert b.superseded == a.fact_ids
    why = b.supersessions[0]
    assert why["rule"] in ("explicit-change", "functional") and why["cues"] and why["slot"]
    before = mem.recall("which database do we use", bank=bank, k=3, as_of=day("2025-10-01"))
    assert before and before[0].text == old
    now = mem.recall("which database do we use", bank=bank, k=3)
    assert all(h.text != old for h in now)
    hist = mem.recall("which database did we use before", bank=bank, k=5, explain=True)
    old_hit = [h for h in hist if h.text == old]
    assert old_hit and old_hit[0].invalidated_at is not None
    assert old_hit[0].invalidated_at <= day("2025-10-14")
    assert old_hit[0].metadata["explain"]["superseded"]["by_text"] == new
    mem.forget(b.fact_ids[0], bank=bank)  # undone by forgetting the newer fact
    back = mem.recall("which database do we use", bank=bank, k=3)
    assert back and back[0].text == old and back[0].invalidated_at is None


# 3. evidence about a belief is linked, with its stance and cue
@pytest.mark.parametrize(
    "support,contradict",
    [
        ("Three more customers asked for the batch API this week, which strongly supports building it next.",
         "Usage data does not support building the batch API next."),
        ("Usage data confirms that the batch API is the right next feature.",
         "The beta turned out to contradict that the batch API is the right next feature."),
        ("Two design partners backed the batch API as the right next feature.",
         "After the interviews I doubt that the batch API is the right next feature."),
    ],
)  # fmt: skip
def test_belief_evidence_is_linked_with_stance(mem: Memory, support: str, contradict: str) -> None:
    bank = f"b-{abs(hash(support))}"
    mem.retain("Priya: I think the batch API is the right next feature.",
               mentioned_at=day("2025-10-01"), bank=bank, source="standup")  # fmt: skip
    mem.retain(support, mentioned_at=day("2025-10-08"), bank=bank, source="sales")
    mem.retain(contradict, mentioned_at=day("2025-10-15"), bank=bank, source="analytics")
    (belief,) = mem.beliefs("batch API", bank=bank)
    history = [(h["evidence"]["stance"], h["evidence"]["text"], h["evidence"]["source"])
               for h in belief.history]  # fmt: skip
    assert [s for s, _, _ in history] == ["support", "support", "contradict"]
    assert [src for _, _, src in history] == ["standup", "sales", "analytics"]
    assert all(h["evidence"]["cue"] for h in belief.history)
    confs = [h["confidence"] for h in belief.history]
    assert confs[1] > confs[0] > confs[2] or confs[2] < confs[1]


# 4. aliases of a person resolve; "what happened before X" uses X's own time
@pytest.mark.parametrize("variant", ["S. Kim", "Sarah", "Ms. Kim"])
def test_alias_lookup_and_before_anchor(mem: Memory, variant: str) -> None:
    bank = f"a-{variant}"
    notes = [
        ("2025-09-08", "Sarah Kim owns the incident process."),
        ("2025-09-22", f"{variant} wrote the postmortem for the checkout incident."),
        ("2025-10-13", "The search incident lasted two hours."),
        ("2025-11-03", "The reorg moved the incident process under platform."),
        ("2025-11-17", "The login incident locked out 200 users."),
    ]
    for when, text in notes:
        mem.retain(text, mentioned_at=day(when), bank=bank, source=f"notes/{when}.md")
    ent = mem.entity(variant, bank=bank)
    assert ent is not None and ent.name == "Sarah Kim"
    assert {h.text for h in ent.facts} >= {notes[0][1], notes[1][1]}
    hits = mem.recall("what incidents happened before the reorg", bank=bank, k=5)
    texts = {h.text for h in hits}
    assert notes[2][1] in texts and notes[3][1] not in texts and notes[4][1] not in texts
    assert all(h.layer == "fact" for h in hits)


def test_two_candidates_stay_unresolved_and_say_so(mem: Memory) -> None:
    bank = "two-kims"
    mem.retain("Sarah Kim owns billing.", mentioned_at=day("2025-09-01"), bank=bank)
    mem.retain("Sam Kim owns mobile.", mentioned_at=day("2025-09-02"), bank=bank)
    mem.retain("S. Kim approved the plan.", mentioned_at=day("2025-09-03"), bank=bank)
    ent = mem.entity("S. Kim", bank=bank)
    assert ent is not None and ent.status == "ambiguous"
    assert set(ent.candidates) == {"Sarah Kim", "Sam Kim"}


@pytest.mark.parametrize(
    "note,label",
    [("Risks: the vendor may slip.", "Risks"), ("Owner: Alice Chen", "Owner"),
     ("- Blocker: waiting on legal review.", "Blocker")],
)  # fmt: skip
def test_labels_are_not_speakers(mem: Memory, note: str, label: str) -> None:
    bank = f"l-{label}"
    mem.retain(note + "\nPriya: I think we ship Friday.", mentioned_at=day("2025-09-01"), bank=bank)
    assert mem.entity(label, bank=bank) is None
    priya = mem.entity("Priya", bank=bank)
    assert priya is not None and priya.kind == "person"


def test_labels_inside_notes_are_no_entities_and_wrapped_turns_stay_whole(mem: Memory) -> None:
    bank = "notes-labels"
    note = (
        "# Standup\nRisks: the vendor may slip.\nBlocker: waiting on legal.\n"
        "Priya: I think we should ship\nright after the review.\n\nDecision: we go with Atlas."
    )
    res = mem.retain(note, mentioned_at=day("2025-09-01"), bank=bank)
    assert res.fact_ids
    for label in ("Risks", "Blocker", "Decision", "Standup"):
        assert mem.entity(label, bank=bank) is None
    priya = mem.entity("Priya", bank=bank)
    assert priya is not None and priya.kind == "person"
    assert any("right after the review" in h.text for h in priya.facts)
