"""The long-context task generators: deterministic, needle present once, exact answers."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from bench.rlm_tasks import (
    CHARS_PER_TOKEN,
    LABELS,
    main,
    make_niah,
    make_oolong,
    parse_size,
    score_answer,
)


def test_parse_size():
    assert parse_size("8k") == 8192 and parse_size("1M") == 1024**2 and parse_size("5000") == 5000
    assert parse_size("0.5k") == 512
    with pytest.raises(ValueError, match="8k"):
        parse_size("big")


@pytest.mark.parametrize("size", [512, 8192, 100_000])
def test_niah_size_and_single_needle(size):
    t = make_niah(size, seed=3)
    assert abs(len(t.context) - size * CHARS_PER_TOKEN) <= 200
    assert t.context.count(t.meta["needle"]) == 1
    assert t.context.count(t.meta["key"]) == 1
    assert t.context.count("magic") == 1
    assert len(re.findall(r"\d", t.context)) == 7  # the needle's value is the only number
    assert str(t.expected) in t.meta["needle"] and t.meta["key"] in t.query


def test_niah_is_deterministic_and_seeds_differ():
    a, b, c = make_niah(4096, 1), make_niah(4096, 1), make_niah(4096, 2)
    assert a.context == b.context and a.expected == b.expected
    assert a.context != c.context


def test_niah_needle_depth_follows_meta():
    t = make_niah(50_000, seed=7)
    pos = t.context.index(t.meta["needle"]) / len(t.context)
    assert abs(pos - t.meta["depth"]) < 0.01


def test_niah_distractors_have_other_keys():
    t = make_niah(20_000, seed=0, distractors=3)
    assert t.context.count("special magic number") == 4
    assert t.context.count(f"for {t.meta['key']} is") == 1
    assert len(t.meta["distractor_values"]) == 3
    assert score_answer(t, str(t.expected)) == 1.0
    assert score_answer(t, f"{t.expected} or {t.meta['distractor_values'][0]}") == 0.0


def test_niah_scoring():
    t = make_niah(1024, 0)
    assert score_answer(t, f"The number is {t.expected}.") == 1.0
    assert score_answer(t, "1234567") == 0.0 and score_answer(t, None) == 0.0


def _recount(context: str) -> tuple[Counter, Counter]:
    labels, by_month = Counter(), Counter()
    for line in context.splitlines():
        date, _user, _text, label = line.split(" | ")
        lab = label.removeprefix("label: ")
        labels[lab] += 1
        by_month[(lab, int(date[5:7]))] += 1
    return labels, by_month


@pytest.mark.parametrize("question", ["count", "compare", "most_common", "count_month"])
def test_oolong_answers_are_exact(question):
    for seed in range(4):
        t = make_oolong(8192, seed, question=question)
        labels, by_month = _recount(t.context)
        assert dict(labels) == t.meta["counts"] and t.meta["lines"] == sum(labels.values())
        if t.meta["question"] == "count":
            lab = re.search(r"category '(\w+)'", t.query).group(1)
            assert t.expected == labels[lab]
        elif t.meta["question"] == "count_month":
            lab, month = re.search(r"'(\w+)' messages are dated in (\w+)", t.query).groups()
            months = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ]
            assert t.expected == by_month[(lab, months.index(month) + 1)]
        elif t.meta["question"] == "compare":
            a, b = re.findall(r"'(\w+)'", t.query.split("more often:")[1])
            assert t.expected == (a if labels[a] > labels[b] else b) and labels[a] != labels[b]
        else:
            assert t.expected == labels.most_common(1)[0][0]


def test_oolong_deterministic_and_sized():
    a, b = make_oolong(100_000, 5), make_oolong(100_000, 5)
    assert a.context == b.context and a.query == b.query and a.expected == b.expected
    assert a.meta["lines"] > 3000  # thousands of lines
    assert abs(len(a.context) - 100_000 * CHARS_PER_TOKEN) < 200


def test_oolong_implicit_hides_labels():
    t = make_oolong(8192, 0, labels="implicit")
    assert "label:" not in t.context and "infer it" in t.query
    assert sum(t.meta["counts"].values()) == len(t.context.splitlines())


def test_oolong_scoring():
    t = make_oolong(8192, 0, question="count")
    assert score_answer(t, str(t.expected)) == 1.0
    assert score_answer(t, str(t.expected + 2)) == pytest.approx(0.75**2)
    lab = make_oolong(8192, 0, question="most_common")
    assert score_answer(lab, f"The answer is {lab.expected}.") == 1.0
    other = next(x for x in LABELS if x != lab.expected)
    assert score_answer(lab, f"{lab.expected} or {other}") == 0.0


def test_dry_run_cli(tmp_path, capsys):
    assert (
        main(["niah", "--sizes", "1k,2k", "--runs", "2", "--dry-run", "--out", str(tmp_path)]) == 0
    )
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["tasks"] == 4 and report["dry_run"]
    rows = [json.loads(x) for x in (tmp_path / "niah-expected.jsonl").read_text().splitlines()]
    assert [r["seed"] for r in rows] == [0, 1, 0, 1]
    for r in rows:
        text = Path(r["context_path"]).read_text()
        assert r["meta"]["needle"] in text and str(r["expected"]) in r["meta"]["needle"]


def test_cli_rejects_bad_size(capsys):
    assert main(["oolong", "--sizes", "huge", "--dry-run"]) == 2
    assert "8k" in capsys.readouterr().err


def _scripted_root(req: dict) -> str:
    """A root 'model' that writes real REPL code; sub-calls answer with their model name."""
    msgs = req["messages"]
    if req["model"] == "sub-model":
        return "sub says hi"
    if not any(m["role"] == "assistant" for m in msgs):
        return (
            "```repl\nimport re\n"
            "ans = re.search(r'special magic number for \\S+ is (\\d+)', context).group(1)\n"
            "print(llm_query('say hi'), ans)\n```"
        )
    return "```repl\nFINAL(ans)\n```"


def test_cli_runs_the_engine_against_a_scripted_endpoint(
    scripted_endpoint, monkeypatch, tmp_path, capsys
):
    pytest.importorskip("rlm.engine")
    scripted_endpoint.responder = _scripted_root
    monkeypatch.setenv("OPENAI_BASE_URL", scripted_endpoint.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-bench")
    monkeypatch.setenv("ENGRAM_ROOT_MODEL", "gpt-4o-mini")
    monkeypatch.setenv("ENGRAM_SUB_MODEL", "sub-model")
    assert main(["niah", "--sizes", "8k", "--out", str(tmp_path), "--max-iterations", "4"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["accuracy"] == 1.0 and report["root_model"] == "gpt-4o-mini"
    assert report["sub_model"] == "sub-model" and report["tokens"] > 0 and report["cost"] > 0
    models = [r.model for r in scripted_endpoint.chat_requests]
    assert models.count("sub-model") == 1 and models.count("gpt-4o-mini") == 2
