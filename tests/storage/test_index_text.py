"""What the indexes see for a fact: its sentence with speaker, and its passage."""

from __future__ import annotations

from storage.index_text import fact_context, passage_key, speaker_at

TURN = "Caroline: I went to a support group yesterday. It was so powerful."


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def test_short_turn_sentence_gets_speaker_and_whole_turn() -> None:
    ctx = fact_context("It was so powerful.", TURN, *_span(TURN, "It was so powerful."))
    assert ctx.vector_text == "Caroline: It was so powerful."
    assert ctx.keyword_text == TURN


def test_no_speaker_no_prefix_and_unknown_span_indexes_alone() -> None:
    text = "We picked PostgreSQL. It was faster."
    ctx = fact_context("It was faster.", text, *_span(text, "It was faster."))
    assert ctx.vector_text == "It was faster." and ctx.keyword_text == text
    alone = fact_context("It was faster.", text, -1, -1)
    assert alone.vector_text == alone.keyword_text == "It was faster."


def test_transcript_line_speaker_and_not_speaker_words() -> None:
    notes = "- Priya: I think we ship Friday.\n- Tom: I disagree.\nNote: check CI."
    assert speaker_at(notes, notes.index("I disagree")) == "Tom"
    assert speaker_at(notes, notes.index("I think")) == "Priya"
    # storage reads the shape only; whether "Note" is a person is memory's call
    assert speaker_at(notes, notes.index("check CI")) == "Note"


def test_long_episode_passage_is_a_window_with_the_speaker() -> None:
    filler = " ".join(f"word{i}" for i in range(400))
    text = f"Ann: {filler} The launch slipped to May. {filler}"
    ctx = fact_context("The launch slipped to May.", text, *_span(text, "The launch slipped"))
    assert "launch slipped to May" in ctx.keyword_text
    assert ctx.keyword_text.startswith("Ann: ") and len(ctx.keyword_text) < len(text) // 2
    assert passage_key(len(text), 10) != passage_key(len(text), len(text) - 10)
    assert passage_key(len(TURN), 40) == passage_key(len(TURN), 0) == 0


def test_preceding_turn_joins_the_keyword_text_only() -> None:
    reply = "Melanie: Yes, it was so powerful."
    ctx = fact_context(
        "Yes, it was so powerful.", reply, *_span(reply, "Yes"), before="Did you go to the group?"
    )
    assert ctx.keyword_text == "Did you go to the group?\n" + reply
    assert ctx.vector_text == "Melanie: Yes, it was so powerful."


def test_preceding_turn_skips_windows_that_do_not_open_the_episode() -> None:
    filler = " ".join(f"word{i}" for i in range(400))
    text = f"Ann: {filler} The launch slipped to May. {filler}"
    ctx = fact_context("The launch slipped to May.", text, *_span(text, "The launch"), before="Q?")
    assert not ctx.keyword_text.startswith("Q?")
    first = fact_context("Ann:", text, 0, 4, before="Q?")
    assert first.keyword_text.startswith("Q?\n")
