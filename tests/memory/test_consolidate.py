from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from memory.consolidate import FactView, consolidate, is_stale, observation_text

T0 = datetime(2025, 9, 1, tzinfo=UTC)


def fv(i: int, subj: str, pred: str, obj: str, day: int = 0) -> FactView:
    return FactView(f"f{i}", f"{subj} {pred} {obj}", subj, pred, obj, T0 + timedelta(days=day))


SARAH = [
    fv(1, "Sarah", "finished", "the task early", 0),
    fv(2, "Sarah", "finishes", "tasks early", 7),
    fv(3, "Sarah", "has finished", "the task early", 14),
    fv(4, "Sarah", "likes", "tea", 3),
    fv(5, "Bob", "finished", "the task early", 3),
]


def test_groups_repeated_facts_into_an_observation() -> None:
    obs = consolidate(SARAH)
    assert len(obs) == 1
    o = obs[0]
    assert o.text == "Sarah consistently finishes the task early"
    assert o.proof_count == 3 and o.fact_ids == ["f1", "f2", "f3"]
    assert (o.first_seen, o.last_seen) == (T0, T0 + timedelta(days=14))


def test_dedup_against_existing() -> None:
    first = consolidate(SARAH)
    assert consolidate(SARAH, existing=first) == []  # nothing new
    more = [*SARAH, fv(6, "Sarah", "finished", "the task early", 21)]
    upd = consolidate(more, existing=first)
    assert len(upd) == 1 and upd[0].replaces == first[0].key and upd[0].proof_count == 4


def test_staleness_and_text() -> None:
    o = consolidate(SARAH)[0]
    assert not is_stale(o, [T0 + timedelta(days=1)])
    assert is_stale(o, [T0 + timedelta(days=30)])
    assert observation_text("Ann", "go_to", "the gym") == "Ann consistently goes to the gym"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Ann", "Bo"]), st.sampled_from(["use", "like", "finish"]),
                          st.sampled_from(["tea", "the task early", "PostgreSQL"])), max_size=15))  # fmt: skip
def test_every_observation_is_backed_by_its_slot(rows) -> None:
    facts = [fv(i, s, p, o, i) for i, (s, p, o) in enumerate(rows)]
    by_id = {f.id: f for f in facts}
    for o in consolidate(facts):
        assert o.proof_count >= 2
        assert {(by_id[i].subject, by_id[i].predicate) for i in o.fact_ids} == {
            (o.subject, o.predicate)
        }


def test_facts_of_one_moment_give_the_same_observation_whatever_their_ids() -> None:
    """Ids are random: two runs over the same notes must not word (or cluster) differently.
    Three facts of one session, two wordings once each plus a third that overlaps both."""
    wordings = ["the Zagg InvisibleShield Glass+", "the Zagg InvisibleShield", "a Zagg glass"]
    seen = set()
    for ids in (["a", "b", "c"], ["c", "b", "a"], ["b", "c", "a"], ["z9", "a1", "m5"]):
        facts = [
            FactView(i, f"I buy {w}", "I", "buy", w, T0) for i, w in zip(ids, wordings, strict=True)
        ]
        seen.add(tuple((o.text, o.proof_count) for o in consolidate(facts)))
    assert len(seen) == 1


def test_the_most_frequent_wording_wins_and_a_tie_goes_to_the_earliest() -> None:
    facts = [
        fv(1, "Sarah", "reviews", "pull requests on Fridays", 5),
        fv(2, "Sarah", "reviews", "the pull requests on Fridays", 1),
        fv(3, "Sarah", "reviews", "pull requests on Fridays", 9),
    ]
    assert consolidate(facts)[0].text == "Sarah consistently reviews pull requests on Fridays"
    tie = facts[:2]
    assert consolidate(tie)[0].text == "Sarah consistently reviews the pull requests on Fridays"


def test_first_and_second_person_subjects_take_the_plain_verb() -> None:
    assert observation_text("I", "go", "to the gym") == "I consistently go to the gym"
    assert observation_text("we", "be", "late") == "we consistently are late"
    assert observation_text("I", "be", "tired") == "I consistently am tired"
    assert observation_text("Sarah", "go", "to the gym") == "Sarah consistently goes to the gym"
    assert observation_text("Iris", "go", "home") == "Iris consistently goes home"
