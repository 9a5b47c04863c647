"""The REST API with httpx against a real uvicorn (one server for the module): every route, the
401/403 matrix over two banks and a read-only token, bad input stores nothing, 20 concurrent
clients lose nothing, and ask/rlm through the real openai client against a scripted endpoint."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from agent.server.app import ServerConfig, create_app
from agent.server.auth import TokenStore
from agent.server.ops import LocalOps
from agent.server.runs import RunLimits
from agent.wiring import from_env
from bench.scripted_endpoint import ScriptedEndpoint
from tests.agent.server.helpers import LiveServer, model_env, responder

MAX_BODY = 64 * 1024


@dataclass
class Live:
    url: str
    tokens: dict[str, str]
    files: Path
    outside: Path
    store: TokenStore

    def h(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def get(self, path: str, who: str = "a", **kw: object) -> httpx.Response:
        return httpx.get(self.url + path, headers=self.h(who), timeout=60, **kw)  # type: ignore[arg-type]

    def post(self, path: str, who: str = "a", **kw: object) -> httpx.Response:
        return httpx.post(self.url + path, headers=self.h(who), timeout=60, **kw)  # type: ignore[arg-type]

    def delete(self, path: str, who: str = "a") -> httpx.Response:
        return httpx.delete(self.url + path, headers=self.h(who), timeout=60)

    def episodes(self, bank: str) -> int:
        rows = self.get("/v1/banks", who=bank).json()["banks"]
        return sum(b["episodes"] for b in rows if b["bank"] == bank)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    home = tmp_path_factory.mktemp("rest_home")
    files, outside = tmp_path_factory.mktemp("allowed"), tmp_path_factory.mktemp("outside")
    (files / "big.log").write_text("hay\n" * 500 + "needle one\n" + "hay\n" * 500 + "needle two\n")
    (outside / "secret.txt").write_text("not for the server\n")
    with ScriptedEndpoint(responder, models=("root-m", "sub-m")) as ep:
        engram = from_env({"ENGRAM_HOME": str(home), **model_env(ep.base_url)})
        store = TokenStore(engram.memory.store.db)
        tokens = {"a": store.create("a")[0], "b": store.create("b")[0],
                  "ro_a": store.create("a", read_only=True)[0]}  # fmt: skip
        revoked, row = store.create("a")
        store.revoke(row.id)
        tokens["revoked"], tokens["garbage"] = revoked, "eng_00000000_" + "x" * 43
        for i in range(20):
            tokens[f"load{i}"] = store.create("load")[0]
        tokens["load"] = tokens["load0"]
        limits = RunLimits(ask_timeout=2.5, rlm_timeout=60, allowed_roots=[files])
        config = ServerConfig(max_body=MAX_BODY, max_in_flight=4)
        app = create_app(LocalOps(engram, limits), tokens=store, config=config,
                         on_shutdown=engram.close)  # fmt: skip
        with LiveServer(app) as server:
            yield Live(server.url, tokens, files, outside, store)


def test_health_needs_no_token_and_openapi_lists_the_routes(live: Live) -> None:
    assert httpx.get(live.url + "/health").json()["status"] == "ok"
    assert httpx.get(live.url + "/openapi.json").status_code == 401
    paths = live.get("/openapi.json").json()["paths"]
    for p in ("/v1/banks/{bank}/memories", "/v1/banks/{bank}/recall", "/v1/rlm",
              "/v1/banks/{bank}/timeline", "/v1/traces/{trace_id}"):  # fmt: skip
        assert p in paths


READS = [("GET", "/v1/banks/a/recall?q=x"), ("GET", "/v1/banks/a/entities/Alice"),
         ("GET", "/v1/banks/a/beliefs"), ("GET", "/v1/banks/a/timeline?topic=x")]  # fmt: skip
WRITES = [("POST", "/v1/banks/a/memories", {"text": "Matrix probe text."}),
          ("POST", "/v1/banks/a/memories/batch", {"items": [{"text": "Matrix batch."}]}),
          ("DELETE", "/v1/banks/a/sources/nowhere", None),
          ("POST", "/v1/banks/a/merge", {"keep": "x", "merge": "y"}),
          ("POST", "/v1/banks/a/ask", {"question": "what?"}),
          ("POST", "/v1/rlm", {"bank": "a", "query": "q", "path": "/nowhere"})]  # fmt: skip


@pytest.mark.parametrize("who,read,write", [
    (None, 401, 401), ("garbage", 401, 401), ("revoked", 401, 401),
    ("b", 403, 403), ("ro_a", None, 403),
])  # fmt: skip
def test_auth_matrix_stores_nothing(live: Live, who: str | None, read: int | None,
                                    write: int) -> None:  # fmt: skip
    before = live.episodes("a")
    headers = live.h(who) if who else {}
    for method, path in READS:
        r = httpx.request(method, live.url + path, headers=headers, timeout=30)
        if read is None:
            assert r.status_code in (200, 404), (path, r.text)
        else:
            assert r.status_code == read, (path, r.text)
            assert r.json()["error"]["code"] in ("unauthorized", "forbidden")
    for method, path, body in WRITES:
        r = httpx.request(method, live.url + path, headers=headers, json=body, timeout=30)
        assert r.status_code == write, (path, r.text)
        assert r.json()["error"]["message"]
        if write == 401:
            assert r.headers["www-authenticate"].startswith("Bearer")
    assert live.episodes("a") == before


def test_a_token_sees_only_its_bank(live: Live) -> None:
    live.post("/v1/banks/b/memories", who="b", json={"text": "Bob owns the bank B secret."})
    assert [b["bank"] for b in live.get("/v1/banks").json()["banks"]] in ([], ["a"])
    hits = live.get("/v1/banks/a/recall", params={"q": "bank B secret"}).json()["hits"]
    assert not any("bank B" in h["text"] for h in hits)
    r = live.get("/v1/banks/b/recall", who="ro_a", params={"q": "secret"})
    assert r.status_code == 403 and "bank 'a'" in r.json()["error"]["message"]


def test_memory_routes(live: Live) -> None:
    r = live.post("/v1/banks/a/memories", json={"text": "We use MySQL for billing.",
                                                "at": "2025-09-01", "source": "standup-1"})  # fmt: skip
    assert r.status_code == 201, r.text
    old = r.json()
    assert set(old) >= {"episode_id", "fact_ids", "superseded", "warnings"} and old["fact_ids"]
    new = live.post("/v1/banks/a/memories", json={"text": "We switched to PostgreSQL for "
                    "billing.", "at": "2025-10-14", "source": "standup-2"}).json()  # fmt: skip
    assert new["superseded"] == old["fact_ids"]
    again = live.post("/v1/banks/a/memories", json={"text": "We switched to PostgreSQL for "
                      "billing.", "source": "standup-2"}).json()  # fmt: skip
    assert again["noop"] is True and again["episode_id"] == new["episode_id"]
    batch = live.post("/v1/banks/a/memories/batch", json={"items": [
        {"text": "Alice Chen is the tech lead of payments.", "source": "org"},
        {"text": "I think the batch API is the right next feature.", "source": "retro"}]})  # fmt: skip
    assert batch.status_code == 201 and len(batch.json()["results"]) == 2

    hits = live.get("/v1/banks/a/recall", params={"q": "billing database", "k": 3}).json()["hits"]
    assert hits and {"text", "when", "mentioned_at", "source", "score", "channels"} <= set(hits[0])
    assert hits[0]["source"] == "standup-2"
    past = live.get("/v1/banks/a/recall", params={"q": "billing", "as_of": "2025-09-15"})
    assert any("MySQL" in h["text"] for h in past.json()["hits"])

    ent = live.get("/v1/banks/a/entities/Alice Chen").json()
    assert ent["name"] == "Alice Chen" and ent["facts"][0]["source"] == "org"
    assert live.get("/v1/banks/a/entities/Nobody").status_code == 404
    beliefs = live.get("/v1/banks/a/beliefs", params={"topic": "batch API"}).json()["beliefs"]
    assert beliefs and {"statement", "confidence", "history"} <= set(beliefs[0])

    tl = live.get("/v1/banks/a/timeline", params={"topic": "billing"}).json()["events"]
    by_id = {e["fact_id"]: e for e in tl}
    assert by_id[old["fact_ids"][0]]["superseded_by"] == new["fact_ids"][0]
    assert by_id[new["fact_ids"][0]]["supersedes"] == old["fact_ids"]
    assert live.get("/v1/banks/a/timeline").status_code == 400


def test_edit_routes(live: Live) -> None:
    live.post("/v1/banks/a/memories", json={"text": "Dana Whitfield joined the data team.",
                                            "source": "docs/2025-10-01-team.md"})  # fmt: skip
    live.post("/v1/banks/a/memories", json={"text": "Dana Okafor reviews the schema.",
                                            "source": "notes"})  # fmt: skip
    merged = live.post("/v1/banks/a/merge", json={"keep": "Dana Whitfield", "merge": "Dana Okafor"})
    assert merged.status_code == 200, merged.text
    assert live.post("/v1/banks/a/split", json={"name": "Dana Okafor"}).status_code == 200
    r = live.post("/v1/banks/a/merge", json={"keep": "Dana Whitfield", "merge": "Dana Whitfield"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
    gone = live.delete("/v1/banks/a/sources/docs%2F2025-10-01-team.md")
    assert gone.status_code == 200 and gone.json()["forgotten"] >= 1
    assert live.delete("/v1/banks/a/sources/docs%2F2025-10-01-team.md").status_code == 404
    fact = live.post("/v1/banks/a/memories", json={"text": "The office moves to Pier 9.",
                                                   "source": "ops"}).json()["fact_ids"][0]  # fmt: skip
    assert live.delete(f"/v1/banks/a/facts/{fact}").json()["facts"] == [fact]
    assert live.delete("/v1/banks/a/entities/Dana Okafor").status_code == 200


def test_bad_input_gets_a_clear_4xx_and_stores_nothing(live: Live) -> None:
    before = live.episodes("a")
    url, h = live.url + "/v1/banks/a/memories", {**live.h("a"), "content-type": "application/json"}
    cases = [
        (httpx.post(url, headers=h, content=b'{"text": "' + b"x" * MAX_BODY + b'"}'), 413),
        (httpx.post(url, headers=h, content=b'{"text": "unclosed'), 400),
        (httpx.post(url, headers=h, content=b"\xff\xfe not json"), 400),
        (httpx.post(url, headers=h, json={"text": "bad\x00text"}), 400),
        (httpx.post(url, headers=h, json={"text": "fine", "source": "s\x00"}), 400),
        (httpx.post(url, headers=h, json={"text": "   "}), 400),
        (httpx.post(url, headers=h, json={"text": "ok", "at": "the day after never"}), 400),
        (httpx.post(url, headers=h, json={"txt": "wrong field"}), 400),
        (httpx.post(url, headers=h, json=["not", "an", "object"]), 400),
        (httpx.post(live.url + "/v1/banks/zz/memories", headers=h, json={"text": "t"}), 403),
        (live.get("/v1/banks/a/recall", params={"q": "x", "k": 0}), 400),
        (live.get("/v1/banks/a/recall", params={"q": "x", "k": 5000}), 400),
        (live.get("/v1/banks/a/recall", params={"q": "x", "layers": "nope"}), 400),
        (live.get("/v1/banks/a/recall", params={"q": "x\x00"}), 400),
        (live.get("/v1/nothing-here"), 404),
    ]
    for r, status in cases:
        assert r.status_code == status, (status, r.text)
        err = r.json()["error"]
        assert err["code"] and err["message"] and "Traceback" not in err["message"]
    assert "not valid JSON" in cases[1][0].json()["error"]["message"]
    assert "NUL" in cases[3][0].json()["error"]["message"]
    batch = {"items": [{"text": "good one"}, {"text": "bad\x00one"}]}
    assert live.post("/v1/banks/a/memories/batch", json=batch).status_code == 400
    assert live.episodes("a") == before


async def test_twenty_concurrent_clients_lose_nothing(live: Live) -> None:
    async def client(i: int) -> list[str]:
        h = {"Authorization": f"Bearer {live.tokens[f'load{i}']}"}
        async with httpx.AsyncClient(base_url=live.url, headers=h, timeout=120) as c:
            ids = []
            for j in range(3):
                text = f"Worker {i} shipped build {i * 10 + j} to the staging cluster."
                r = await c.post("/v1/banks/load/memories", json={"text": text, "source": f"w{i}"})
                assert r.status_code == 201, r.text
                ids.append(r.json()["episode_id"])
                rr = await c.get("/v1/banks/load/recall", params={"q": f"build {i * 10 + j}"})
                assert rr.status_code == 200, rr.text
            return ids

    ids = [x for xs in await asyncio.gather(*(client(i) for i in range(20))) for x in xs]
    assert len(set(ids)) == 60
    assert live.episodes("load") == 60
    hits = live.get("/v1/banks/load/recall", who="load", params={"q": "Worker 7 build 71", "k": 5})
    assert any("build 71" in h["text"] for h in hits.json()["hits"])


def test_ask_through_the_agent_and_the_scripted_model(live: Live) -> None:
    live.post("/v1/banks/a/memories", json={"text": "Alice Chen leads the payments team.",
                                            "source": "org-chart"})  # fmt: skip
    r = live.post("/v1/banks/a/ask", json={"question": "who leads payments?",
                                           "thread": "t1"})  # fmt: skip
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["answer"] == "From memory: Alice Chen leads payments [1]."
    assert doc["route"] == "recall" and doc["thread"] == "t1" and doc["sources"]
    assert all(s["source"] != "bank B" for s in doc["sources"])
    stalled = live.post("/v1/banks/a/ask", json={"question": "what did we stall on before?"})
    assert stalled.status_code == 504 and "within 2.5 s" in stalled.json()["error"]["message"]


async def test_per_token_concurrency_limit(live: Live) -> None:
    async with httpx.AsyncClient(base_url=live.url, headers=live.h("a"), timeout=60) as c:
        body = {"question": "what did we decide slowly last week?"}
        rs = await asyncio.gather(*(c.post("/v1/banks/a/ask", json=body) for _ in range(7)))
    codes = sorted(r.status_code for r in rs)
    assert codes.count(200) >= 1 and 429 in codes, codes
    busy = next(r for r in rs if r.status_code == 429)
    assert busy.json()["error"]["code"] == "busy" and busy.headers["retry-after"] == "1"


def test_rlm_with_a_budget_and_its_trace(live: Live) -> None:
    path = str(live.files / "big.log")
    r = live.post("/v1/rlm", json={"query": "how many needles?", "path": path, "bank": "a",
                                   "budget": {"max_iterations": 5, "timeout": 60}})  # fmt: skip
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["answer"] == "2 needles" and doc["stopped_by"] is None and doc["run_id"]
    assert doc["usage"]["iterations"] == 2 and doc["cost"] is not None
    assert doc["consolidated"]["retained"] >= 1
    listed = live.get("/v1/traces").json()["traces"]
    assert any(t["id"] == doc["trace"] and t["query"] == "how many needles?" for t in listed)
    one = live.get(f"/v1/traces/{doc['trace']}").json()
    assert one["finished"] and one["trace"][0]["type"] == "run_start"
    assert live.get(f"/v1/traces/{doc['trace']}", who="b").status_code == 404
    assert live.get("/v1/traces", who="b").json()["traces"] == []
    assert live.get("/v1/traces/..%2F..%2Fetc").status_code == 404

    limited = live.post("/v1/rlm", json={"query": "q", "path": path,
                                         "budget": {"max_iterations": 1}}).json()  # fmt: skip
    assert limited["stopped_by"] == "max_iterations"
    for body, status, words in [
        ({"query": "q", "path": str(live.outside / "secret.txt")}, 403, "allowed roots"),
        (
            {"query": "q", "path": str(live.files / ".." / live.outside.name / "secret.txt")},
            403,
            "allowed roots",
        ),
        ({"query": "q", "path": str(live.files / "missing.log")}, 403, "allowed roots"),
        ({"query": "q", "path": path, "budget": {"max_cost": -1}}, 400, "budget.max_cost"),
        ({"query": "q", "path": path, "budget": {"bogus": 1}}, 400, "known keys"),
        ({"query": "", "path": path}, 400, "query"),
    ]:
        r = live.post("/v1/rlm", json=body)
        assert r.status_code == status and words in r.json()["error"]["message"], r.text


def test_now_is_the_moment_a_question_is_asked_at(live: Live) -> None:
    # the same words said in two weeks: only `now` tells "last week" apart
    for source, at in (("gym-march", "2025-03-05"), ("gym-june", "2025-06-11")):
        r = live.post("/v1/banks/a/memories", json={"text": "I went to the indoor climbing gym.",
                                                    "at": at, "source": source})  # fmt: skip
        assert r.status_code == 201, r.text
    q = {"q": "what did I do at the climbing gym last week", "k": 1, "layers": "fact"}
    for now, want in (("2025-03-12", "gym-march"), ("2025-06-18T09:00:00+00:00", "gym-june")):
        hits = live.get("/v1/banks/a/recall", params={**q, "now": now}).json()["hits"]
        assert [h["source"] for h in hits] == [want], now
    # a relative as_of reads against now too: two months before 20 June, June was not said yet
    past = live.get("/v1/banks/a/recall", params={"q": "indoor climbing gym", "layers": "fact",
                                                  "now": "2025-06-20", "as_of": "2 months ago"})  # fmt: skip
    assert {h["source"] for h in past.json()["hits"]} == {"gym-march"}
    bad = live.get("/v1/banks/a/recall", params={**q, "now": "not a date at all"})
    assert bad.status_code == 400 and "invalid now" in bad.json()["error"]["message"]
    ask = live.post("/v1/banks/a/ask", json={"question": "who leads payments?", "now": "someday?"})
    assert ask.status_code == 400 and "invalid now" in ask.json()["error"]["message"]


async def test_remote_memory_passes_now_to_the_server(live: Live) -> None:
    from datetime import UTC, datetime

    from agent.client import EngramClient, RemoteMemory

    client = EngramClient(live.url, live.tokens["a"])
    mem = RemoteMemory(client)
    for source, at in (("walk-march", "2025-03-05"), ("walk-june", "2025-06-11")):
        await client.remember("a", "I walked the coastal path to the lighthouse.", at, source)
    hits = await mem.arecall("what did I do at the lighthouse last week", bank="a", k=1,
                             layers=("fact",), now=datetime(2025, 3, 12, tzinfo=UTC))  # fmt: skip
    assert [h.source for h in hits] == ["walk-march"]
