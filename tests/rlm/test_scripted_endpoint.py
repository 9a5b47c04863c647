"""The scripted server itself, driven by plain HTTP (httpx) and by the sync `openai` client."""

from __future__ import annotations

import json
import threading

import httpx
import openai
import pytest

from bench.scripted_endpoint import Reply, ScriptedEndpoint


def post(ep: ScriptedEndpoint, body: dict, **kw) -> httpx.Response:
    return httpx.post(f"{ep.base_url}/chat/completions", json=body, timeout=5, **kw)


def test_queue_then_responder_then_500(scripted_endpoint):
    ep = scripted_endpoint
    ep.enqueue("first", Reply(text="second", status=200))
    body = {"model": "m", "messages": [{"role": "user", "content": "hello"}]}
    texts = [post(ep, body).json()["choices"][0]["message"]["content"] for _ in range(2)]
    assert texts == ["first", "second"]
    r = post(ep, body)
    assert r.status_code == 500 and "no reply scripted" in r.json()["error"]["message"]
    ep.responder = lambda req: f"echo {req['messages'][-1]['content']}"
    assert post(ep, body).json()["choices"][0]["message"]["content"] == "echo hello"


def test_status_headers_usage_and_raw_body(scripted_endpoint):
    ep = scripted_endpoint
    ep.enqueue(
        Reply(status=429, text="slow down", headers={"Retry-After": "3"}),
        Reply(text="abcd" * 10, omit_usage=True),
        Reply(body="{broken"),
        Reply(usage={"prompt_tokens": 7, "completion_tokens": 9, "total_tokens": 16}),
    )
    body = {"model": "m", "messages": [{"role": "user", "content": "x" * 40}]}
    r = post(ep, body)
    assert r.status_code == 429 and r.headers["retry-after"] == "3"
    assert r.json()["error"]["message"] == "slow down"
    assert "usage" not in post(ep, body).json()
    assert post(ep, body).text == "{broken"
    assert post(ep, body).json()["usage"]["completion_tokens"] == 9


def test_auto_usage_and_model_echo(scripted_endpoint):
    scripted_endpoint.enqueue("y" * 20)
    out = post(
        scripted_endpoint, {"model": "abc", "messages": [{"role": "user", "content": "x" * 40}]}
    )
    data = out.json()
    assert data["model"] == "abc"
    assert data["usage"] == {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}


def test_records_requests_and_serves_models(scripted_endpoint):
    ep = scripted_endpoint
    ep.enqueue("hi")
    client = openai.OpenAI(base_url=ep.base_url, api_key="sk-abc", max_retries=0)
    resp = client.chat.completions.create(
        model="gpt-x", messages=[{"role": "user", "content": "q"}]
    )
    assert resp.choices[0].message.content == "hi"
    assert [m.id for m in client.models.list()] == ["scripted"]
    chat = ep.chat_requests[0]
    assert chat.model == "gpt-x" and chat.messages == [{"role": "user", "content": "q"}]
    assert chat.headers["authorization"] == "Bearer sk-abc"
    assert [r.method for r in ep.requests] == ["POST", "GET"]
    ep.reset()
    assert ep.requests == []


def test_responder_exception_becomes_500(scripted_endpoint):
    scripted_endpoint.responder = lambda req: 1 / 0
    r = post(scripted_endpoint, {"model": "m", "messages": []})
    assert r.status_code == 500 and "ZeroDivisionError" in r.text


def test_64_concurrent_connections():
    ep = ScriptedEndpoint(lambda req: Reply(text=json.dumps(req["n"]), delay_s=1.0))
    results: dict[int, str] = {}
    client = httpx.Client(limits=httpx.Limits(max_connections=100), timeout=10)

    def call(n: int) -> None:
        r = client.post(f"{ep.base_url}/chat/completions", json={"n": n, "messages": []})
        results[n] = r.json()["choices"][0]["message"]["content"]

    with ep, client:
        threads = [threading.Thread(target=call, args=(n,)) for n in range(64)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=10)
        # all were in flight together: the last request arrived before the first was answered
        times = sorted(r.received_at for r in ep.requests)
        assert times[-1] - times[0] < 1.0
    assert results == {n: str(n) for n in range(64)}


def test_stop_is_prompt_with_a_sleeping_handler():
    ep = ScriptedEndpoint(lambda req: Reply(delay_s=30))
    with ep:
        t = threading.Thread(
            target=lambda: pytest.raises(httpx.HTTPError, post, ep, {"messages": []}), daemon=True
        )
        t.start()
        t.join(0.3)
    t.join(2)
    assert not t.is_alive()


def test_port_before_start_is_an_error():
    with pytest.raises(RuntimeError, match="not started"):
        _ = ScriptedEndpoint().port
