"""Wire-level tests: the real `openai` client inside `OpenAILM` against `ScriptedEndpoint`."""

from __future__ import annotations

import asyncio
import email.utils
import time

import pytest

from bench.scripted_endpoint import Reply, ScriptedEndpoint
from rlm.config import from_env, lms_from_env
from rlm.errors import LMError, LMTimeout
from rlm.lm import LM, complete_sync
from rlm.openai_lm import OpenAICompletion, OpenAILM, parse_retry_after
from rlm.prices import PriceTable

MSG = [{"role": "user", "content": "What is 2+2?"}]


FAST = {"retry-after-ms": "20"}  # the server asks for a short wait: tests need not back off


def make_lm(ep: ScriptedEndpoint, model: str = "gpt-4o-mini", **kw) -> OpenAILM:
    kw.setdefault("timeout_s", 5.0)
    kw.setdefault("max_retries", 3)
    return OpenAILM(model, base_url=ep.base_url, api_key="sk-test", **kw)


async def test_success_usage_and_cost(scripted_endpoint):
    scripted_endpoint.enqueue(
        Reply(
            text="4", usage={"prompt_tokens": 1000, "completion_tokens": 500, "total_tokens": 1500}
        )
    )
    lm = make_lm(scripted_endpoint, "gpt-4o-mini-2024-07-18")
    assert isinstance(lm, LM)
    out = await lm.acomplete(MSG, max_tokens=16, temperature=0)
    assert isinstance(out, OpenAICompletion)
    assert out.text == "4" and out.attempts == 1 and not out.usage_estimated
    assert (out.usage.prompt_tokens, out.usage.completion_tokens, out.usage.calls) == (1000, 500, 1)
    assert out.usage.cost == pytest.approx((1000 * 0.15 + 500 * 0.60) / 1e6)
    assert out.price_known and out.latency_s > 0
    req = scripted_endpoint.chat_requests[0]
    assert req.model == "gpt-4o-mini-2024-07-18"
    assert req.messages == MSG
    assert req.json["max_tokens"] == 16 and req.json["temperature"] == 0
    assert req.headers["authorization"] == "Bearer sk-test"


async def test_extra_body_and_max_tokens_field(scripted_endpoint):
    scripted_endpoint.enqueue("ok")
    lm = make_lm(
        scripted_endpoint, extra_body={"top_k": 5}, max_tokens_field="max_completion_tokens"
    )
    await lm.acomplete(MSG, max_tokens=8)
    body = scripted_endpoint.chat_requests[0].json
    assert body["top_k"] == 5 and body["max_completion_tokens"] == 8 and "max_tokens" not in body


async def test_429_retry_after_is_honoured(scripted_endpoint):
    scripted_endpoint.enqueue(Reply(status=429, headers={"Retry-After": "0.3"}), "done")
    lm = make_lm(scripted_endpoint)
    out = await lm.acomplete(MSG)
    reqs = scripted_endpoint.chat_requests
    assert out.text == "done" and out.attempts == 2 and len(reqs) == 2
    assert reqs[1].received_at - reqs[0].received_at >= 0.29


async def test_retry_after_is_capped(scripted_endpoint):
    scripted_endpoint.enqueue(Reply(status=503, headers={"Retry-After": "3600"}), "done")
    lm = make_lm(scripted_endpoint, retry_after_cap_s=0.05)
    t0 = time.perf_counter()
    assert (await lm.acomplete(MSG)).text == "done"
    assert time.perf_counter() - t0 < 2


async def test_500_500_then_success(scripted_endpoint):
    scripted_endpoint.enqueue(Reply(status=500, headers=FAST), Reply(status=502), "fine")
    t0 = time.perf_counter()
    out = await make_lm(scripted_endpoint).acomplete(MSG)
    assert out.text == "fine" and out.attempts == 3
    reqs = scripted_endpoint.chat_requests
    assert reqs[2].received_at - reqs[1].received_at >= 0.3  # no header: the client backs off
    assert time.perf_counter() - t0 < 5


async def test_timeout_then_success(scripted_endpoint):
    scripted_endpoint.enqueue(Reply(text="late", delay_s=1.5), "on time")
    lm = make_lm(scripted_endpoint, timeout_s=0.3)
    out = await lm.acomplete(MSG)
    assert out.text == "on time" and out.attempts == 2


async def test_persistent_timeout_raises_lmtimeout(scripted_endpoint):
    scripted_endpoint.enqueue(*[Reply(delay_s=1.0)] * 2)
    lm = make_lm(scripted_endpoint, timeout_s=0.2, max_retries=1)
    with pytest.raises(LMTimeout, match="ENGRAM_LM_TIMEOUT"):
        await lm.acomplete(MSG)


async def test_persistent_500_gives_up_after_n_tries(scripted_endpoint):
    scripted_endpoint.responder = lambda req: Reply(text="boom", status=500, headers=FAST)
    lm = make_lm(scripted_endpoint, max_retries=3)
    with pytest.raises(LMError) as ei:
        await lm.acomplete(MSG)
    assert ei.value.status == 500 and "4 attempts" in str(ei.value)
    assert len(scripted_endpoint.chat_requests) == 4


@pytest.mark.parametrize(
    ("status", "hint"),
    [(401, "OPENAI_API_KEY"), (404, "model name"), (403, "permission"), (400, "parameters")],
)
async def test_client_errors_are_not_retried(scripted_endpoint, status, hint):
    scripted_endpoint.responder = lambda req: Reply(text="nope", status=status)
    with pytest.raises(LMError) as ei:
        await make_lm(scripted_endpoint).acomplete(MSG)
    assert ei.value.status == status and hint in str(ei.value) and "nope" in str(ei.value)
    assert len(scripted_endpoint.chat_requests) == 1


async def test_malformed_json_body_retried_then_error(scripted_endpoint):
    scripted_endpoint.responder = lambda req: Reply(body="{not json")
    with pytest.raises(LMError, match="non-JSON"):
        await make_lm(scripted_endpoint, max_retries=1).acomplete(MSG)
    assert len(scripted_endpoint.chat_requests) == 2


async def test_malformed_then_good(scripted_endpoint):
    scripted_endpoint.enqueue(Reply(body="<html>502</html>"), "good")
    assert (await make_lm(scripted_endpoint).acomplete(MSG)).text == "good"


async def test_empty_choices(scripted_endpoint):
    scripted_endpoint.responder = lambda req: Reply(body={"id": "x", "choices": []})
    with pytest.raises(LMError, match="no choices"):
        await make_lm(scripted_endpoint, max_retries=1).acomplete(MSG)


async def test_null_content(scripted_endpoint):
    scripted_endpoint.responder = lambda req: Reply(text=None)
    with pytest.raises(LMError, match="no message content"):
        await make_lm(scripted_endpoint, max_retries=0).acomplete(MSG)


async def test_missing_usage_is_estimated(scripted_endpoint):
    scripted_endpoint.enqueue(Reply(text="x" * 40, omit_usage=True))
    out = await make_lm(scripted_endpoint).acomplete([{"role": "user", "content": "y" * 400}])
    assert out.usage_estimated
    assert (out.usage.prompt_tokens, out.usage.completion_tokens) == (100, 10)


async def test_unknown_model_costs_zero_and_is_flagged(scripted_endpoint):
    scripted_endpoint.enqueue("ok")
    out = await make_lm(scripted_endpoint, "my-local-llama").acomplete(MSG)
    assert out.usage.cost == 0.0 and not out.price_known


async def test_custom_price_table(scripted_endpoint):
    scripted_endpoint.enqueue(Reply(usage={"prompt_tokens": 10**6, "completion_tokens": 0}))
    prices = PriceTable.empty().with_overrides({"my-local-llama": [2.0, 4.0]})
    out = await make_lm(scripted_endpoint, "my-local-llama", prices=prices).acomplete(MSG)
    assert out.usage.cost == pytest.approx(2.0)


async def test_64_concurrent_calls(scripted_endpoint):
    scripted_endpoint.responder = lambda req: Reply(text=req["messages"][0]["content"], delay_s=0.2)
    lm = make_lm(scripted_endpoint)
    t0 = time.perf_counter()
    outs = await asyncio.gather(
        *(lm.acomplete([{"role": "user", "content": f"q{i}"}]) for i in range(64))
    )
    elapsed = time.perf_counter() - t0
    assert [o.text for o in outs] == [f"q{i}" for i in range(64)]
    assert elapsed < 2.0, f"64 calls of 200 ms took {elapsed:.2f}s"


def test_sync_wrapper_works_across_event_loops(scripted_endpoint):
    scripted_endpoint.responder = lambda req: "hi"
    lm = make_lm(scripted_endpoint)
    assert complete_sync(lm, MSG).text == "hi"
    assert complete_sync(lm, MSG).text == "hi"  # a fresh loop gets a fresh client


def test_connection_refused_is_retried_then_error():
    with ScriptedEndpoint() as ep:
        url = ep.base_url
    lm = OpenAILM("m", base_url=url, api_key="k", max_retries=1)
    with pytest.raises(LMError, match="cannot connect"):
        complete_sync(lm, MSG)


def test_parse_retry_after():
    assert parse_retry_after({"Retry-After": "2"}) == 2.0
    assert parse_retry_after({"retry-after-ms": "150"}) == pytest.approx(0.15)
    assert parse_retry_after({}) is None
    assert parse_retry_after({"Retry-After": "soon"}) is None
    now = time.time()
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after({"Retry-After": date}, now=now) == pytest.approx(30, abs=1.5)
    past = email.utils.formatdate(now - 30, usegmt=True)
    assert parse_retry_after({"Retry-After": past}, now=now) == 0.0


async def test_root_and_sub_from_env(scripted_endpoint):
    env = {
        "OPENAI_BASE_URL": scripted_endpoint.base_url,
        "OPENAI_API_KEY": "sk-env",
        "ENGRAM_ROOT_MODEL": "gpt-4.1",
        "ENGRAM_SUB_MODEL": "gpt-4.1-nano",
        "ENGRAM_LM_TIMEOUT": "7.5",
    }
    root, sub = lms_from_env(env)
    assert (root.model, sub.model, root.timeout_s) == ("gpt-4.1", "gpt-4.1-nano", 7.5)
    scripted_endpoint.responder = lambda req: f"I am {req['model']}"
    assert (await root.acomplete(MSG)).text == "I am gpt-4.1"
    assert (await sub.acomplete(MSG)).text == "I am gpt-4.1-nano"
    assert {r.headers["authorization"] for r in scripted_endpoint.chat_requests} == {
        "Bearer sk-env"
    }


def test_from_env_defaults_and_errors(tmp_path):
    env = {"OPENAI_API_KEY": "k", "ENGRAM_ROOT_MODEL": "gpt-4o"}
    assert from_env("sub", env).model == "gpt-4o"
    with pytest.raises(LMError, match="ENGRAM_ROOT_MODEL"):
        from_env("root", {"OPENAI_API_KEY": "k"})
    with pytest.raises(LMError, match="OPENAI_API_KEY"):
        from_env("root", {"ENGRAM_ROOT_MODEL": "gpt-4o"})
    local = from_env("root", {"ENGRAM_ROOT_MODEL": "llama", "OPENAI_BASE_URL": "http://x/v1"})
    assert local.api_key is None
    with pytest.raises(LMError, match="ENGRAM_LM_TIMEOUT"):
        from_env("root", {**env, "ENGRAM_LM_TIMEOUT": "fast"})
    prices = tmp_path / "prices.json"
    prices.write_text('{"gpt-4o": {"input": 1, "output": 2}}')
    lm = from_env("root", {**env, "ENGRAM_PRICES": str(prices)})
    assert lm.prices.cost("gpt-4o", 10**6, 10**6) == pytest.approx(3.0)
    with pytest.raises(LMError, match="ENGRAM_PRICES"):
        from_env("root", {**env, "ENGRAM_PRICES": str(tmp_path / "missing.json")})


async def test_constructor_reads_no_environment(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    client = await OpenAILM("gpt-4o")._client()
    assert str(client.base_url).startswith("https://api.openai.com/v1")
    assert client.api_key == "EMPTY"


async def test_every_call_is_bounded_by_a_default_max_tokens(scripted_endpoint):
    scripted_endpoint.enqueue("a", "b")
    await make_lm(scripted_endpoint).acomplete(MSG)
    await make_lm(scripted_endpoint, default_max_tokens=None).acomplete(MSG)
    first, second = scripted_endpoint.chat_requests
    assert first.json["max_tokens"] == 4096
    assert "max_tokens" not in second.json


def test_max_tokens_default_from_env():
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "ENGRAM_ROOT_MODEL": "m"}
    assert from_env("root", env).default_max_tokens == 4096
    assert from_env("root", {**env, "ENGRAM_LM_MAX_TOKENS": "512"}).default_max_tokens == 512
    assert from_env("root", {**env, "ENGRAM_LM_MAX_TOKENS": "0"}).default_max_tokens is None


async def test_clients_are_closed_by_aclose_and_async_with(scripted_endpoint):
    scripted_endpoint.responder = lambda req: "hi"
    lm = make_lm(scripted_endpoint)
    await lm.acomplete(MSG)
    client = await lm._client()
    assert not client.is_closed()
    await lm.aclose()
    assert client.is_closed() and lm._clients == {}
    async with make_lm(scripted_endpoint) as other:
        await other.acomplete(MSG)
        inner = await other._client()
    assert inner.is_closed()


async def test_the_clients_own_retry_sends_max_retries_plus_one_attempts(scripted_endpoint):
    scripted_endpoint.responder = lambda req: Reply(status=429, headers=FAST, text="slow down")
    with pytest.raises(LMError) as ei:
        await make_lm(scripted_endpoint, max_retries=2).acomplete(MSG)
    assert ei.value.status == 429 and ei.value.model == "gpt-4o-mini"
    assert "3 attempts" in str(ei.value) and "slow down" in str(ei.value)
    assert len(scripted_endpoint.chat_requests) == 3


def test_calls_made_while_openai_is_still_importing_wait_for_it(scripted_endpoint):
    """In a fresh process, 16 calls and a warm-up start at once, before `openai` is imported:
    none may see the half-initialised module (seen: "partially initialized module 'openai'")."""
    import subprocess
    import sys

    scripted_endpoint.responder = lambda req: "fine"
    code = (
        "import asyncio, sys\n"
        "from rlm.openai_lm import OpenAILM\n"
        "assert 'openai' not in sys.modules\n"
        "async def main():\n"
        f"    lm = OpenAILM('m', base_url={scripted_endpoint.base_url!r}, api_key='k')\n"
        "    msg = [{'role': 'user', 'content': 'hi'}]\n"
        "    outs = await asyncio.gather(lm.warm(), *(lm.acomplete(msg) for _ in range(16)))\n"
        "    print(sum(o.text == 'fine' for o in outs[1:]))\n"
        "asyncio.run(main())\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and p.stdout.strip() == "16", p.stderr[-2000:]
