from rlm.budget import Budget, BudgetTracker
from rlm.lm import Usage


def test_limits_in_order():
    t = BudgetTracker(Budget(max_tokens=100, max_cost=1.0, max_sub_calls=3))
    assert t.tree_limit_hit() is None
    t.charge_root(Usage(50, 10, 0.2, 1))
    t.charge_sub(Usage(30, 10, 0.3, 1))
    assert t.total_tokens == 100 and abs(t.cost - 0.5) < 1e-9
    assert t.tree_limit_hit() == "max_tokens"
    t2 = BudgetTracker(Budget(max_cost=0.1))
    t2.charge_sub(Usage(1, 1, 0.2, 1))
    assert t2.tree_limit_hit() == "max_cost"


def test_wall_time_and_iterations():
    t = BudgetTracker(Budget(max_wall_s=0.0, max_iterations=2))
    assert t.tree_limit_hit() == "max_wall_s"
    assert t.iteration_limit_hit(1) is None
    assert t.iteration_limit_hit(2) == "max_iterations"


def test_reserve_and_remaining():
    t = BudgetTracker(Budget(max_sub_calls=10, max_cost=2.0))
    t.reserve_sub_calls(7)
    assert t.sub_calls_left() == 3
    t.release_sub_calls(2)
    r = t.remaining(iterations_done=4)
    assert r["sub_calls"] == 5 and r["iterations"] == 26 and r["cost"] == 2.0
    assert r["tokens"] is None and r["wall_s"] is None
    t.exhausted = "max_sub_calls"
    assert t.tree_limit_hit() == "max_sub_calls"
    assert t.spend_limit_hit() is None


def test_usage_dict_shape():
    t = BudgetTracker(Budget())
    t.charge_root(Usage(1, 2, 0.01, 1))
    d = t.usage_dict(3)
    assert d["root"]["total_tokens"] == 3 and d["iterations"] == 3 and d["total_tokens"] == 3
    assert {"sub", "sub_calls", "cost", "cache_hits", "dedup_hits"} <= set(d)
