from __future__ import annotations

import pytest

from rlm.prices import DEFAULT_PRICES, ModelPrice, PriceTable


def test_exact_and_prefix_matching():
    t = PriceTable()
    assert t.lookup("gpt-4o-mini").matched == "gpt-4o-mini"
    assert t.lookup("gpt-4o-mini-2024-07-18").matched == "gpt-4o-mini"
    assert t.lookup("gpt-4o-2024-08-06").matched == "gpt-4o"
    assert t.lookup("GPT-4.1-nano").matched == "gpt-4.1-nano"
    assert t.lookup("openai/gpt-4o-mini").matched == "gpt-4o-mini"
    assert t.lookup("o3-mini-2025-01-31").matched == "o3-mini"


def test_prefix_needs_a_boundary():
    t = PriceTable()
    assert not t.is_known("gpt-4.5-preview")  # not "gpt-4"
    assert not t.is_known("o10")  # not "o1"


def test_cost_per_million():
    t = PriceTable({"m": {"input": 2.0, "output": 8.0}})
    assert t.cost("m", 1_000_000, 0) == pytest.approx(2.0)
    assert t.cost("m", 500_000, 250_000) == pytest.approx(1.0 + 2.0)
    assert t.cost("m-2025", 1000, 1000) == pytest.approx((2000 + 8000) / 1e6)


def test_unknown_model_is_free_and_flagged():
    t = PriceTable()
    look = t.lookup("llama3:8b")
    assert not look.known and look.price == ModelPrice(0.0, 0.0)
    assert t.cost("llama3:8b", 10**6, 10**6) == 0.0
    assert "llama3:8b" not in t and "gpt-4o" in t


def test_overrides_from_dict_and_file(tmp_path):
    t = PriceTable().with_overrides({"gpt-4o": [1.0, 2.0], "llama3": {"input": 0.1, "output": 0.1}})
    assert t.cost("gpt-4o", 10**6, 10**6) == pytest.approx(3.0)
    assert t.cost("llama3:8b", 10**6, 0) == pytest.approx(0.1)
    assert t.cost("gpt-4o-mini", 10**6, 0) == pytest.approx(DEFAULT_PRICES["gpt-4o-mini"].input)
    f = tmp_path / "p.json"
    f.write_text('{"my-model": [3, 4]}')
    ft = PriceTable.from_file(f)
    assert ft.cost("my-model", 10**6, 10**6) == pytest.approx(7.0) and ft.is_known("gpt-4o")


def test_bad_prices_are_rejected(tmp_path):
    with pytest.raises(ValueError, match="per 1M tokens"):
        PriceTable({"m": "cheap"})
    f = tmp_path / "p.json"
    f.write_text("[1, 2]")
    with pytest.raises(ValueError, match="JSON object"):
        PriceTable.from_file(f)
    with pytest.raises(ValueError, match="cannot read"):
        PriceTable.from_file(tmp_path / "nope.json")
