import json
from datetime import UTC, datetime

from memory.extract import extract_llm
from memory.extract.prompts import LLMExtraction, extraction_prompt, parse_json_answer
from tests.fakes import ScriptedLM

REF = datetime(2025, 11, 14, tzinfo=UTC)
TEXT = "We switched to PostgreSQL last October. I think the batch API is next."
VALID = json.dumps(
    {
        "facts": [
            {"text": "We switched to PostgreSQL last October.", "kind": "event",
             "entities": [{"name": "PostgreSQL", "kind": "product"}], "subject": "we",
             "predicate": "use", "object": "PostgreSQL", "when": "last October"},
            {"text": "Dana thinks the batch API is next.", "kind": "opinion",
             "opinion": {"statement": "the batch API is next", "stance": "support", "strength": 0.6},
             "when": "2025-11-01"},
        ]
    }
)  # fmt: skip


async def test_valid_answer() -> None:
    x = await extract_llm(TEXT, REF, ScriptedLM([VALID]), speaker="Dana")
    assert x.extractor == "llm" and len(x.facts) == 2
    f = x.facts[0]
    assert f.occurred_start == datetime(2025, 10, 1, tzinfo=UTC) and f.start == 0
    assert f.entities[0].name == "PostgreSQL" and TEXT[f.entities[0].start :].startswith(
        "PostgreSQL"
    )
    assert x.facts[1].opinion is not None and x.facts[1].opinion.holder == "Dana"
    assert x.facts[1].occurred_start == datetime(2025, 11, 1, tzinfo=UTC) and x.facts[1].start == -1


async def test_fenced_with_prose() -> None:
    lm = ScriptedLM([f"Sure! Here it is:\n```json\n{VALID}\n```\nHope that helps."])
    x = await extract_llm(TEXT, REF, lm)
    assert x.extractor == "llm" and len(lm.calls) == 1


async def test_broken_then_valid_feeds_error_back() -> None:
    lm = ScriptedLM(['{"facts": [{"text": ', '{"facts": [{"kind": "world"}]}', VALID])
    x = await extract_llm(TEXT, REF, lm, retries=2)
    assert x.extractor == "llm" and len(lm.calls) == 3
    assert "could not be used" in lm.calls[1][-1]["content"]
    assert "schema mismatch" in lm.calls[2][-1]["content"]


async def test_always_broken_falls_back_offline() -> None:
    lm = ScriptedLM(["no json here"], repeat_last=True)
    x = await extract_llm(TEXT, REF, lm, retries=2)
    assert x.extractor == "llm-fallback-offline" and len(lm.calls) == 3
    assert x.warnings and "offline" in x.warnings[-1]
    assert x.facts and x.facts[0].predicate == "use"


def test_prompt_and_parser_without_llm() -> None:
    msgs = extraction_prompt(TEXT, REF, "Dana")
    assert msgs[0]["role"] == "system" and "Speaker: Dana" in msgs[1]["content"]
    assert len(parse_json_answer(VALID, LLMExtraction).facts) == 2
