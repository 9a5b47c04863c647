from rlm.cache import SubCallCache, cache_key, dedup
from rlm.fanout import pack_prompt, parse_pack_answer, plan_packs


def test_plan_packs_groups_small_prompts_within_size():
    prompts = ["q" * 10] * 100 + ["big" * 1000]
    groups = plan_packs(prompts, pack_chars=400)
    assert sorted(i for g in groups for i in g) == list(range(101))
    assert [100] in groups
    for g in groups:
        if len(g) > 1:
            assert sum(len(prompts[i]) + 24 for i in g) <= 400
    assert len(groups) < 20


def test_pack_prompt_numbers_items():
    p = pack_prompt(["alpha", "beta"])
    assert "### Task 1\nalpha" in p and "### Task 2\nbeta" in p and "JSON array of 2" in p


def test_parse_pack_answer_json_and_numbered():
    assert parse_pack_answer('Sure:\n```json\n["a", 2, "c"]\n```', 3) == ["a", "2", "c"]
    assert parse_pack_answer("1. yes\n2) no\nmore\n3: maybe", 4) == [
        "yes",
        "no\nmore",
        "maybe",
        None,
    ]
    assert parse_pack_answer('["only one"]', 2) == [None, None]


def test_cache_and_dedup():
    c = SubCallCache()
    assert c.get("m", "p") is None
    c.put("m", "p", "a")
    assert c.get("m", "p") == "a" and c.get("other", "p") is None
    assert c.hits == 1 and c.misses == 2
    assert cache_key("m", "p") != cache_key("mp", "")
    off = SubCallCache(enabled=False)
    off.put("m", "p", "a")
    assert off.get("m", "p") is None
    assert dedup(["a", "b", "a", "c", "b"]) == (["a", "b", "c"], [0, 1, 0, 2, 1])
