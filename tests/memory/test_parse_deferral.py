"""`deferring_parses` (memory.extract.nlp): a miss is collected, not parsed; batched priming of
label checks and belief topics gives the answers the one-at-a-time path gives."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from memory.belief_store import prime_topics, topic_phrase
from memory.extract.nlp import ParseDeferred, deferring_parses, parse, parse_many
from memory.extract.offline import extract_offline_many

AT = datetime(2025, 3, 1, tzinfo=UTC)


def test_a_missing_text_is_collected_and_nothing_is_parsed() -> None:
    wanted: list[str] = []
    with pytest.raises(ParseDeferred), deferring_parses(wanted):
        parse_many(["Zelda Okonkwo-Varga said hello in deferral."])
    assert wanted == ["Zelda Okonkwo-Varga said hello in deferral."]
    assert parse("Zelda Okonkwo-Varga said hello in deferral.")[0].text == "Zelda"  # outside


def test_a_cached_text_is_returned_while_deferring() -> None:
    doc = parse("The cached sentence is here.")
    with deferring_parses([]):
        assert parse_many(["The cached sentence is here."])[0] is doc


def test_primed_topics_equal_the_unprimed_ones() -> None:
    statements = ["the batch API is the right next feature", "something's bothering you."]
    want = [topic_phrase.__wrapped__(s) for s in statements]
    prime_topics(statements)
    assert [topic_phrase(s) for s in statements] == want


def test_label_priming_keeps_the_speakers() -> None:
    notes = [
        "Oluwaseun: I moved the standup to Tuesday.\nRisks: the vendor is late.",
        "Next steps: ship it.\nGrace: Thanks, I will review it.",
        "Hamza: We ran out of credits.\nUpdate: fixed.",
    ]
    got = extract_offline_many([(n, AT, None) for n in notes])
    speakers = [sorted({f.speaker for f in ex.facts if f.speaker}) for ex in got]
    assert speakers == [["Oluwaseun"], ["Grace"], ["Hamza"]]
