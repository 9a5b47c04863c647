from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from memory.extract import extract_offline
from memory.text import MAX_SENTENCE_CHARS, split_sentences, split_speaker

REF = datetime(2025, 11, 14, 13, 0, tzinfo=UTC)


def test_speaker_prefix_and_first_person() -> None:
    text = "Caroline: I went to a LGBTQ support group yesterday and it was so powerful."
    x = extract_offline(text, REF)
    assert x.extractor == "offline" and len(x.facts) == 1
    f = x.facts[0]
    assert text[f.start : f.end] == f.text and f.text.startswith("I went")
    assert f.subject == "Caroline" and f.kind == "experience"
    assert f.occurred_start == datetime(2025, 11, 13, tzinfo=UTC)
    assert (
        f.entities[0].name == "Caroline"
        and text[f.entities[0].start : f.entities[0].end] == "Caroline"
    )


def test_supersession_triple_and_time() -> None:
    x = extract_offline(
        "We switched to PostgreSQL in October last year, because MySQL kept locking.", REF
    )
    f = x.facts[0]
    assert (f.subject, f.predicate, f.object) == ("we", "use", "PostgreSQL")
    assert f.occurred_start == datetime(2024, 10, 1, tzinfo=UTC)
    assert {"PostgreSQL", "MySQL"} <= {m.name for m in f.entities}


def test_entities_and_spans() -> None:
    text = (
        "Hey Mel! Alice Chen moved to Room 101 with @bob. Flight UA123 left; Acme Corp uses GitHub."
    )
    names = {}
    for f in extract_offline(text, REF).facts:
        for m in f.entities:
            assert text[m.start : m.end] == m.name
            names[m.name] = m.kind
    assert names["Alice Chen"] and names["Room 101"] == "identifier" and names["@bob"] == "person"
    assert "UA123" in " ".join(names) and names["Acme Corp"] == "org" and "GitHub" in names
    assert "Hey" not in names and "Hey Mel" not in names


def test_opinion_cues() -> None:
    text = (
        "I think the batch API is the right next feature. We're fairly sure Acme will sign. "
        "I doubt the migration finishes this week. I don't think Bob likes it. I'm not sure it scales."
    )
    ops = [f.opinion for f in extract_offline(text, REF, speaker="Dana").facts]
    assert all(o is not None and o.holder == "Dana" for o in ops)
    assert (
        ops[0].statement == "the batch API is the right next feature" and ops[0].stance == "support"
    )
    assert ops[1].strength > ops[0].strength
    assert [o.stance for o in ops[2:]] == ["contradict"] * 3


def test_sentence_splitting_survives_abbreviations_and_urls() -> None:
    text = (
        "I met Dr. Smith at 3.30 p.m. yesterday. See https://x.io/a.b?c=1 now... Alice C. agreed."
    )
    parts = [text[s:e] for s, e in split_sentences(text)]
    assert parts == [
        "I met Dr. Smith at 3.30 p.m. yesterday.",
        "See https://x.io/a.b?c=1 now...",
        "Alice C. agreed.",
    ]
    assert split_speaker("Note: this is not a speaker")[0] is None


def test_weird_input_is_bounded() -> None:
    assert extract_offline("", REF).facts == []
    long = "word " * 50_000
    x = extract_offline(long, REF)
    assert all(f.end - f.start <= MAX_SENTENCE_CHARS for f in x.facts)
    code = "def f(x):\n    return x.y.z() if x else None  # 🎉🎉\n" * 200
    extract_offline(code, REF)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400), st.sampled_from([None, "Ann"]))
def test_spans_are_valid_for_any_text(text: str, speaker: str | None) -> None:
    x = extract_offline(text, REF, speaker=speaker)
    for f in x.facts:
        assert text[f.start : f.end] == f.text
        for m in f.entities:
            assert m.start == -1 or text[m.start : m.end] == m.name


def test_names_joined_by_and_are_two_entities() -> None:
    ex = extract_offline("Alice Chen and Bob M. fixed the migration script.", REF)
    assert [m.name for m in ex.facts[0].entities] == ["Alice Chen", "Bob M."]


def test_each_transcript_line_has_its_own_speaker() -> None:
    text = "# Notes\n- Priya: I think the batch API is the right next feature.\n- Bob: I doubt it."
    ex = extract_offline(text, REF)
    opinion = ex.facts[0].opinion
    assert opinion is not None and opinion.holder == "Priya"
    assert opinion.statement == "the batch API is the right next feature"
    assert [m.name for m in ex.facts[1].entities] == ["Bob"]
    for fact in ex.facts:
        assert text[fact.start : fact.end] == fact.text
