from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memory.slots import SlotFact, is_functional, normalise_predicate, should_supersede, slot_key

T0 = datetime(2025, 9, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "phrase,pred",
    [("uses", "use"), ("used", "use"), ("is using", "use"), ("switched to", "use"),
     ("has switched over to", "use"), ("went with", "use"), ("chose", "use"), ("works at", "work_at"),
     ("joined", "work_at"), ("finished", "finish"), ("finishes", "finish"), ("stopped", "stop"),
     ("quickly finishes", "finish"), ("became", "be"), ("moved to", "move_to"), ("baked", "bake"),
     # manner adverbs go; frequencies, "early" and nouns in "-ly" stay
     ("really likes", "like"), ("usually meets", "meet"), ("carefully checked", "check"),
     ("finished early", "finish_early"), ("meets weekly", "meet_weekly"),
     ("is paid monthly", "pay_monthly"), ("family ticket", "family_ticket"),
     ("supply", "supply"), ("publishes quarterly", "publish_quarterly")],
)  # fmt: skip
def test_normalise_predicate(phrase: str, pred: str) -> None:
    assert normalise_predicate(phrase) == pred


def test_supersession_rules() -> None:
    old = SlotFact("we", "use", "MySQL", T0)
    # a multi-valued relation: another value is no replacement, an explicit change is
    assert not should_supersede(old, SlotFact("we", "use", "PostgreSQL", T0 + timedelta(days=30)))
    new = SlotFact("we", "use", "PostgreSQL", T0 + timedelta(days=30), change_old="MySQL",
                   cues=("switch", "from ... to"), explicit_change=True)  # fmt: skip
    assert slot_key("we", "uses") == slot_key("we", "switched to")
    assert should_supersede(old, new) and not should_supersede(new, old)
    main = SlotFact("we", "main database", "MySQL", T0, functional=True)
    assert should_supersede(
        main, replace(main, object="PostgreSQL", mentioned_at=T0 + timedelta(days=1))
    )
    assert not should_supersede(old, SlotFact("we", "use", "mysql", T0 + timedelta(days=1)))
    assert not should_supersede(
        old, SlotFact("team-b", "use", "PostgreSQL", T0 + timedelta(days=1))
    )
    likes = SlotFact("ann", "likes", "tea", T0)
    assert not is_functional("likes")
    assert not should_supersede(likes, SlotFact("ann", "likes", "coffee", T0 + timedelta(days=1)))
    # occurred time beats mention time: said later, but about an earlier time
    late_report = SlotFact(
        "we",
        "used",
        "Oracle",
        T0 + timedelta(days=60),
        T0 - timedelta(days=300),
        change_old="PostgreSQL",
    )
    assert not should_supersede(new, late_report)


facts = st.builds(
    SlotFact,
    subject=st.sampled_from(["we", "ann", "bob"]),
    predicate=st.sampled_from(["use", "switched to", "likes", "works at", "is", "finished"]),
    object=st.one_of(st.none(), st.sampled_from(["MySQL", "PostgreSQL", "tea", "Acme"])),
    mentioned_at=st.integers(0, 100).map(lambda d: T0 + timedelta(days=d)),
    occurred_start=st.one_of(
        st.none(), st.integers(-50, 100).map(lambda d: T0 + timedelta(days=d))
    ),
)


@settings(max_examples=400, deadline=None)
@given(facts, facts)
def test_different_slots_never_supersede_and_never_both_ways(a: SlotFact, b: SlotFact) -> None:
    if slot_key(a.subject, a.predicate) != slot_key(b.subject, b.predicate):
        assert not should_supersede(a, b) and not should_supersede(b, a)
    assert not (should_supersede(a, b) and should_supersede(b, a))
    assert not should_supersede(a, a)
