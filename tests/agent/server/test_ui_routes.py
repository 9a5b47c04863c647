"""Every page and fragment of the web UI over httpx, against a real uvicorn serving what
`engram serve --local` serves (one server for the module): a small bank seeded through the real
retain path and a depth-2 RLM run made by the real engine through the openai client. Also the
REST routes the pages read through (the UI has no reads of its own), the merge/split actions
behind their confirmation and token, and the headers that keep a page on its host."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.agent.server.ui_seed import BANK, ui_server


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    home, files = tmp_path_factory.mktemp("ui_home"), tmp_path_factory.mktemp("ui_files")
    with ui_server(home, files) as served:
        yield served


def get(live: dict[str, Any], path: str, **kw: Any) -> httpx.Response:
    return httpx.get(live["url"] + path, timeout=60, **kw)


def page(live: dict[str, Any], path: str, status: int = 200) -> str:
    r = get(live, path)
    assert r.status_code == status, (path, r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def json_block(html: str, block_id: str) -> Any:
    m = re.search(rf'<script type="application/json" id="{block_id}">(.*?)</script>', html, re.S)
    assert m, block_id
    return json.loads(m.group(1))


def entity(name: str, **params: str) -> str:
    query = "&".join(f"{k}={quote(v)}" for k, v in {"bank": BANK, **params}.items())
    return f"/entities/{quote(name, safe='')}?{query}"


def test_every_page_stays_on_its_host(live: dict[str, Any]) -> None:
    paths = ["/", f"/?bank={BANK}&q=billing", f"/entities?bank={BANK}", entity("Alice Chen"),
             f"/beliefs?bank={BANK}", f"/traces?bank={BANK}", f"/traces/{live['run_id']}"]  # fmt: skip
    for path in paths:
        r = get(live, path)
        assert r.status_code == 200, path
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "connect-src 'self'" in csp and "'unsafe" not in csp
        assert (
            r.headers["x-frame-options"] == "DENY" and r.headers["referrer-policy"] == "no-referrer"
        )
        refs = re.findall(r'(?:src|href|action)="([^"]+)"', r.text)
        assert refs and not [u for u in refs if re.match(r"^(https?:)?//", u)], (path, refs)
        assert "<script>" not in r.text  # no inline script (the CSP would refuse it anyway)
        for asset in re.findall(r'(?:src|href)="(/ui/static/[^"]+)"', r.text):
            s = get(live, asset)
            assert s.status_code == 200 and "immutable" in s.headers["cache-control"], asset


def test_static_files_are_only_the_shipped_ones(live: dict[str, Any]) -> None:
    assert get(live, "/ui/static/vendor/cytoscape.min.js").status_code == 200
    assert get(live, "/ui/static/vendor/LICENSE-uPlot.txt").text.startswith("The MIT License")
    for bad in ("/ui/static/../render.py", "/ui/static/%2e%2e/render.py", "/ui/static/nope.js",
                "/ui/static/../templates/base.html"):  # fmt: skip
        assert get(live, bad).status_code == 404, bad


def test_search_page_runs_the_query_on_load_with_explain(live: dict[str, Any]) -> None:
    empty = page(live, f"/?bank={BANK}")
    assert 'id="q"' in empty and "data-hits" not in empty and 'value="team" selected' in empty
    html = page(live, f"/?bank={BANK}&q=billing+database&explain=1")
    hits = re.findall(r'<li class="hit layer-(\w+)', html)
    assert hits and hits[0] == "fact", hits
    body = text_of(html)
    assert "We switched to PostgreSQL for billing." in body and "standup-1014" in body
    assert "mentioned 2025-10-14" in body and "Why this hit" in body
    assert re.search(r"<th scope=\"row\">(vector|keyword)</th><td>1</td>", html)
    plain = page(live, f"/?bank={BANK}&q=billing+database")
    assert "Why this hit" not in plain and "data-hits" in plain


def test_search_filters_and_bad_input(live: dict[str, Any]) -> None:
    before = text_of(page(live, f"/?bank={BANK}&q=billing&as_of=2025-09-15&layers=fact"))
    assert "We use MySQL for billing." in before and "as believed on 2025-09-15" in before
    assert "We switched to PostgreSQL" not in before
    ranged = text_of(page(live, f"/?bank={BANK}&q=billing&start=2025-10-01&end=2025-10-31"))
    assert "We switched to PostgreSQL for billing." in ranged
    bad = page(live, f"/?bank={BANK}&q=billing&as_of=not+a+date", 400)
    assert "invalid as_of" in text_of(bad) and 'id="q"' not in bad  # the error page, not blank
    assert "is not a whole number" in text_of(page(live, f"/?bank={BANK}&q=x&k=0", 400))


def test_hits_fragment(live: dict[str, Any]) -> None:
    frag = page(live, f"/ui/fragments/hits?bank={BANK}&q=Kafka+migration")
    assert "<html" not in frag and "Kafka migration" in frag and 'class="hit ' in frag
    assert "Type a question" in page(live, f"/ui/fragments/hits?bank={BANK}&q=")
    err = page(live, f"/ui/fragments/hits?bank={BANK}&q=x&start=nonsense", 400)
    assert "<html" not in err and "data-error" in err and "invalid start" in err


def test_entities_page_and_prefix(live: dict[str, Any]) -> None:
    body = text_of(page(live, f"/entities?bank={BANK}"))
    for name in ("Alice Chen", "Bob Stone", "PostgreSQL", "Kafka"):
        assert name in body
    assert "PG " not in body.replace("PostgreSQL", "")  # merged away
    by_alias = text_of(page(live, f"/entities?bank={BANK}&prefix=alice+c"))
    assert "Alice Chen" in by_alias and "Bob Stone" not in by_alias
    assert "No entities starting with" in text_of(page(live, f"/entities?bank={BANK}&prefix=zz"))


def test_entity_card(live: dict[str, Any]) -> None:
    html = page(live, entity("Alice Chen"))
    body = text_of(html)
    assert "Alice Chen" in body and "Alice C" in body and "split off" in body
    facts = re.findall(r'<span class="fact-text">([^<]+)</span>', html)
    assert facts == ["Alice Chen leads the payments team.",
                     "Alice C. reviewed the Kafka migration plan with Bob Stone.",
                     "Alice Chen moved the payments service to the Atlas cluster."]  # fmt: skip
    graph = json_block(html, "graph-data")
    assert graph["entity"]["name"] == "Alice Chen" and len(graph["nodes"]) <= 12
    assert {"Bob Stone", "Kafka", "Atlas"} <= {n["name"] for n in graph["nodes"]}
    assert all(e["source"] == graph["entity"]["id"] for e in graph["edges"])
    assert 'action="/ui/confirm"' in html and 'name="merge"' in html
    alias = text_of(page(live, entity("Alice C.")))
    assert "you asked for “Alice C.”" in alias


def test_entity_card_with_a_merge_and_a_supersession(live: dict[str, Any]) -> None:
    body = text_of(page(live, entity("PostgreSQL")))
    assert "PG into this" in body and "undo (split)" in body and "aliases: 1" in body
    timeline = body[body.index("Supersessions") : body.index("Facts in time order")]
    assert re.search(r"We use MySQL for billing\. 2025-09-01 – 2025-10-14 .*until 2025-10-14 ?, "
                     r"then\b.*We switched to PostgreSQL for billing\. 2025-10-14 – now", timeline)  # fmt: skip
    mysql = text_of(page(live, entity("MySQL")))
    assert "superseded 2025-10-14" in mysql


def test_unknown_entity_is_a_page_with_the_message(live: dict[str, Any]) -> None:
    body = text_of(page(live, entity("Nobody Atall"), 404))
    assert "no entity called 'Nobody Atall' in bank 'team'" in body and "Back to search" in body


def test_facts_fragment_pages(live: dict[str, Any]) -> None:
    frag = page(live, f"/ui/fragments/facts?bank={BANK}&name=Alice+Chen&offset=1")
    assert '<ol class="facts" start="2"' in frag and "<html" not in frag
    assert frag.count('<li class="fact') == 2 and "leads the payments team" not in frag
    assert "data-more" not in frag  # nothing after the last page


def test_beliefs_page_chart_points_link_their_evidence(live: dict[str, Any]) -> None:
    rest = httpx.get(
        live["url"] + f"/v1/banks/{BANK}/beliefs", params={"topic": "batch API"}
    ).json()
    (belief,) = rest["beliefs"]
    html = page(live, f"/beliefs?bank={BANK}&topic=batch+API")
    points = json_block(html, "b0-points")
    assert len(points) == len(belief["history"]) >= 3
    assert [p["stance"] for p in points] == [h["evidence"]["stance"] for h in belief["history"]]
    assert "contradict" in {p["stance"] for p in points}
    assert [round(p["y"], 6) for p in points] == [
        round(h["confidence"], 6) for h in belief["history"]
    ]
    for p in points:  # each point's link names a row of the evidence table
        assert f'id="{p["href"][1:]}"' in html
    body = text_of(html)
    assert "I doubt the batch API is the right next feature." in body and "customer-call" in body
    none = text_of(page(live, f"/beliefs?bank={BANK}&topic=zebra"))
    assert "No beliefs about “zebra”" in none
    newest = page(live, f"/beliefs?bank={BANK}&topic=batch+API&points=1")
    assert json_block(newest, "b0-points") == [dict(points[-1], href="#b0-0")]
    assert "(the newest of 3)" in text_of(newest) and "points=500" in newest
    assert "from 1 to 500" in text_of(page(live, f"/beliefs?bank={BANK}&points=501", 400))


def test_traces_list_and_the_tree(live: dict[str, Any]) -> None:
    run_id = live["run_id"]
    listed = page(live, f"/traces?bank={BANK}")
    assert f'data-run="{run_id}"' in listed and "How many needles are there?" in listed
    assert "root: 2 needles" in text_of(listed)
    html = page(live, f"/traces/{run_id}")
    depths = re.findall(r'data-kind="run" data-depth="(\d)"', html)
    assert depths == ["0", "1", "2"], depths
    kinds = set(re.findall(r'data-kind="(\w+)"', html))
    assert kinds == {"run", "iteration", "cell", "sub_call"}
    body = text_of(html)
    assert "child run" in body and "Σ" in body and "$0.00" in body and "tok" in body
    assert "show all 2,4" in body  # the long output is folded
    tree = httpx.get(f"{live['url']}/v1/traces/{run_id}", params={"events": "false"}).json()
    assert f"{tree['tree']['totals']['tokens']:,} tok" in body and "trace" not in tree
    assert re.search(r"<details>\s*<summary><span class=\"kind\">child run", html)  # folded


def test_trace_nodes_fragment_and_missing_runs(live: dict[str, Any]) -> None:
    run_id = live["run_id"]
    frag = page(live, f"/ui/fragments/nodes?bank={BANK}&run={run_id}&node={run_id}&offset=1")
    assert frag.startswith('<ul class="children">') and 'data-kind="iteration"' in frag
    assert frag.count('data-kind="iteration"') == 1  # the second of two
    bad = page(live, f"/ui/fragments/nodes?run={run_id}&node=nope", 400)
    assert "has no node 'nope'" in unescape(bad)
    assert "no trace 'nope'" in text_of(page(live, "/traces/nope", 404))


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m
    return m.group(1)


def test_merge_and_split_behind_a_confirmation(live: dict[str, Any]) -> None:
    url = live["url"]
    confirm = page(live, f"/ui/confirm?bank={BANK}&action=merge&keep=Bob+Stone&merge=Kafka")
    assert "Merge “Kafka” into “Bob Stone”?" in text_of(confirm)
    form = {"bank": BANK, "keep": "Bob Stone", "merge": "Kafka"}
    refused = httpx.post(url + "/ui/actions/merge", data={**form, "csrf": "forged"})
    assert refused.status_code == 403 and "nothing was changed" in text_of(refused.text)
    rest = f"{url}/v1/banks/{BANK}/entities/Kafka"
    assert httpx.get(rest).json()["name"] == "Kafka"
    done = httpx.post(url + "/ui/actions/merge", data={**form, "csrf": _csrf(confirm)})
    assert done.status_code == 303 and done.headers["location"].startswith("/entities/Bob%20Stone")
    assert httpx.get(rest).json()["name"] == "Bob Stone"  # Kafka is an alias of Bob Stone now
    card = text_of(page(live, done.headers["location"]))
    assert "merged 'Kafka' into 'Bob Stone'" in card and "Kafka into this" in card
    split = page(live, f"/ui/confirm?bank={BANK}&action=split&name=Kafka&entity=Bob+Stone")
    assert "This undoes the merge of Kafka into Bob Stone" in text_of(split)
    back = httpx.post(url + "/ui/actions/split", data={"bank": BANK, "name": "Kafka",
                                                      "entity": "Bob Stone", "csrf": _csrf(split)})  # fmt: skip
    assert back.status_code == 303
    assert httpx.get(rest).json()["name"] == "Kafka"
    assert "undone" in text_of(page(live, entity("Bob Stone")))
    odd = httpx.post(
        url + "/ui/actions/merge", data={**form, "merge": "Nobody", "csrf": _csrf(split)}
    )
    assert odd.status_code == 409 and "no entity 'Nobody'" in text_of(odd.text)


def test_a_foreign_page_cannot_use_the_ui(live: dict[str, Any]) -> None:
    r = httpx.post(live["url"] + "/ui/actions/split", data={"name": "x"},
                   headers={"Origin": "http://evil.example"})  # fmt: skip
    assert r.status_code == 403 and "--local" in r.json()["error"]["message"]
    r = httpx.get(live["url"] + "/", headers={"Host": "rebound.example:80"})
    assert r.status_code == 403


def test_the_rest_routes_the_pages_read(live: dict[str, Any]) -> None:
    v1 = f"{live['url']}/v1/banks/{BANK}"
    listed = httpx.get(v1 + "/entities", params={"limit": 2}).json()
    assert len(listed["entities"]) == 2 and listed["total"] > 2 and listed["offset"] == 0
    paged = httpx.get(v1 + "/entities/Alice%20Chen", params={"offset": 1, "limit": 1}).json()
    assert paged["facts_total"] == 3 and len(paged["facts"]) == 1
    assert paged["facts"][0]["text"].startswith("Alice C. reviewed")
    full = httpx.get(v1 + "/entities/Alice%20Chen").json()
    assert len(full["facts"]) == 3 and "facts_total" not in full  # unchanged without a page
    hood = httpx.get(v1 + "/neighbourhood", params={"entity": "Alice Chen", "limit": 1}).json()
    assert len(hood["nodes"]) == 1 and hood["nodes"][0]["shared"] >= 1
    assert httpx.get(v1 + "/neighbourhood", params={"entity": "x", "limit": 0}).status_code == 400
    merges = httpx.get(v1 + "/merges", params={"entity": "PostgreSQL"}).json()["merges"]
    assert merges[0]["merged_name"] == "PG" and merges[0]["moved"]["aliases"] == 1
    sup = httpx.get(v1 + "/supersessions", params={"entity": "billing"})
    assert sup.status_code == 404
    sup = httpx.get(v1 + "/supersessions", params={"entity": "PostgreSQL"}).json()
    assert sup["supersessions"][0]["old"]["text"] == "We use MySQL for billing."
    beliefs = httpx.get(v1 + "/beliefs", params={"limit": 1, "topic": "batch"}).json()
    assert beliefs["total"] == 1 and beliefs["beliefs"][0]["evidence_total"] >= 3
    traces = httpx.get(f"{live['url']}/v1/traces", params={"limit": 1}).json()
    assert traces["total"] == 1 and traces["traces"][0]["bank"] == BANK
    assert traces["traces"][0]["iterations"] == 2 and "path" not in traces["traces"][0]
    one = httpx.get(f"{live['url']}/v1/traces/{live['run_id']}").json()
    assert one["trace"][0]["labels"] == {"bank": BANK} and one["tree"]["kind"] == "run"


def test_ui_package_files_are_the_only_ones_served() -> None:
    from agent.server.ui.render import STATIC_DIR, Renderer

    served = {Path(p).name for p in Renderer().static}
    assert {"engram.js", "graph.js", "chart.js", "engram.css", "cytoscape.min.js"} <= served
    assert {f.name for f in STATIC_DIR.rglob("*.js")} <= served
