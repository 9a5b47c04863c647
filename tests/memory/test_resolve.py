import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memory.resolve import (
    Candidate,
    Mention,
    name_similarity,
    names_conflict,
    normalise_name,
    resolve_ambiguous,
    resolve_entity,
    resolve_prompt,
)
from tests.fakes import HashEmbedder, ScriptedLM

ALICE = Candidate("e1", "Alice Chen", ("Alice C.",))
ALICE_W = Candidate("e2", "Alice Wong")
ROOM = Candidate("r101", "Room 101")
UA = Candidate("f1", "UA123")


def test_normalise() -> None:
    assert normalise_name("  Dr. Alice  Chen's ") == "alice chen"
    assert normalise_name("Zoë") == "zoe" and normalise_name("@bob") == "bob"


def test_guard_examples() -> None:
    assert names_conflict("Room 101", "Room 102")
    assert names_conflict("UA123", "UA124")
    assert names_conflict("Q3 plan", "Q4 plan")
    assert names_conflict("Room 101", "Room")
    assert not names_conflict("Room 101", "room 101")
    assert resolve_entity(Mention("Room 102"), [ROOM]).kind == "new"
    assert resolve_entity(Mention("UA124"), [UA]).kind == "new"


def test_exact_alias_initials_first_name() -> None:
    assert resolve_entity(Mention("alice chen"), [ALICE, ALICE_W]) == resolve_entity(
        Mention("ALICE CHEN"), [ALICE_W, ALICE]
    )
    d = resolve_entity(Mention("Alice C."), [ALICE, ALICE_W])
    assert (d.kind, d.entity_id, d.reason) == ("same", "e1", "alias")
    d = resolve_entity(Mention("A. Chen"), [ALICE])
    assert d.kind == "same" and d.reason in ("initial", "initials")
    assert resolve_entity(Mention("Alice"), [ALICE]).kind == "same"
    d = resolve_entity(Mention("Alice"), [ALICE, ALICE_W])
    assert d.kind == "ambiguous" and set(d.alternatives) | {d.entity_id} == {"e1", "e2"}
    assert resolve_entity(Mention("Bob Stone"), [ALICE]).kind == "new"


def test_embedding_and_context_lift_a_fuzzy_match() -> None:
    emb = HashEmbedder(32)
    v = emb.embed(["postgres database"])[0]
    cand = Candidate("db", "PostgreSQL", embedding=v, context=frozenset({"MySQL"}))
    plain = resolve_entity(Mention("Postgres"), [cand])
    rich = resolve_entity(Mention("Postgres", embedding=v, context=frozenset({"MySQL"})), [cand])
    assert rich.score > plain.score and "embedding" in rich.reason


async def test_llm_for_the_ambiguous_band() -> None:
    m = Mention("Alice", context=frozenset({"Berlin"}))
    assert "Alice Wong" in resolve_prompt(m, [ALICE, ALICE_W])[1]["content"]
    lm = ScriptedLM(
        ["not json", json.dumps({"entity_id": "e9"}), '{"entity_id": "e2", "reason": "Berlin"}']
    )
    d = await resolve_ambiguous(m, [ALICE, ALICE_W], lm, retries=2)
    assert (d.kind, d.entity_id) == ("same", "e2") and len(lm.calls) == 3
    d = await resolve_ambiguous(
        Mention("Room 102"), [ROOM], ScriptedLM(['{"entity_id": "r101"}'] * 2)
    )
    assert d.kind == "new"  # the guard binds the LLM too


names = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "Zs", "P"]), max_size=25
)
ident = st.from_regex(r"[A-Z]{0,3}[0-9]{1,4}", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(names, names)
def test_guard_is_symmetric(a: str, b: str) -> None:
    assert names_conflict(a, b) == names_conflict(b, a)


@settings(max_examples=300, deadline=None)
@given(names)
def test_normalisation_is_idempotent(a: str) -> None:
    assert normalise_name(normalise_name(a)) == normalise_name(a)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["Room", "Flight", "Q", "Sprint", "Gate", ""]), ident, ident, names)
def test_numbers_differ_never_same(word: str, i: str, j: str, alias: str) -> None:
    if normalise_name(i) == normalise_name(j):
        return
    cand = Candidate("x", f"{word} {i}".strip(), (alias,) if alias.strip() else ())
    d = resolve_entity(Mention(f"{word} {j}".strip()), [cand])
    assert names_conflict(cand.name, f"{word} {j}")
    assert d.kind == "new"


@pytest.mark.parametrize(
    ("a", "b"),
    [("day pass at Glenbeg", "season pass at Glenbeg"),
     ("single room at the Harbour Inn", "family room at the Harbour Inn"),
     ("night bus to Leith", "express bus to Leith"),
     ("night shift on the cardiac ward", "day shift on the cardiac ward")],
)  # fmt: skip
def test_descriptions_differing_by_a_common_noun_name_two_things(a: str, b: str) -> None:
    """A proper name both share is no misspelling: the common nouns that differ decide."""
    assert name_similarity(a, b) == (0.0, "guard")


@pytest.mark.parametrize(
    ("a", "b"),
    [("Atlas Gateway", "Atlas Gatway"), ("the Falcon project", "the Falkon project"),
     ("Bright Smile Dental", "Bright Smile Dentl"), ("colour printer at Leith", "color printer at Leith")],
)  # fmt: skip
def test_a_misspelt_word_is_still_a_variant(a: str, b: str) -> None:
    assert name_similarity(a, b)[0] > 0.85
