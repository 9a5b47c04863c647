"""The web UI in a real headless browser: Debian's chromium driven by Playwright, against the
one command a person runs, `engram serve --local` (a subprocess; one server and one browser
for the module). A person types a query and sees hits, opens an entity and sees its aliases,
facts and graph (and expands it), opens a belief and picks a point of its chart, and opens a
depth-2 RLM run and expands its child runs, by mouse and by keyboard. No request leaves the
serving host and no page logs an error. Screenshots land in test-artifacts/ui/ (gitignored)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.agent.server.helpers import ROOT
from tests.agent.server.ui_seed import BANK, served_local

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "ui"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed "
        "(scripts/setup.sh installs it: apt-get install chromium)",
    ),  # fmt: skip
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    home, files = tmp_path_factory.mktemp("ui_home"), tmp_path_factory.mktemp("ui_files")
    with served_local(home, files) as s:
        yield s


@pytest.fixture(scope="module")
def browser(served: dict[str, Any]) -> Iterator[Any]:
    """Started after the server is seeded: Playwright's sync API runs an event loop of its own
    in this thread, where `asyncio.run` (the seeding) cannot run."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)  # a fresh profile
        yield b
        b.close()


class Tab:
    """One page of the browser, recording every request and every console error."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.ctx.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def go(self, path: str) -> Any:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def shot(self, name: str, top: str | None = None) -> None:
        """The whole page, and one screen of it from the top (or from the element `top`): the
        README's pictures (docs/screenshots/) are copies of those."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        self.page.evaluate("window.scrollTo(0, 0)")
        if top is not None:
            self.page.locator(top).first.evaluate("e => e.scrollIntoView({block: 'start'})")
        self.page.screenshot(path=str(ARTIFACTS / f"{name}-screen.png"))

    def close(self) -> None:
        self.ctx.close()
        foreign = [u for u in self.requests if not u.startswith((self.base, "data:"))]
        assert not foreign, f"requests left the serving host: {foreign}"
        assert not self.errors, f"the page logged errors: {self.errors}"


@pytest.fixture
def tab(served: dict[str, Any], browser: Any) -> Iterator[Tab]:
    t = Tab(browser, served["url"])
    yield t
    t.close()


def test_type_a_query_and_see_hits(tab: Tab) -> None:
    page = tab.go(f"/?bank={BANK}")
    page.fill("#q", "billing database")
    page.press("#q", "Enter")
    page.wait_for_selector(".hit")
    first = page.locator(".hit").first
    assert "We switched to PostgreSQL for billing." in first.inner_text()
    assert "standup-1014" in first.inner_text()
    assert "q=billing+database" in page.url  # the address names the search: it can be shared
    page.focus("input[name=explain]")
    page.keyboard.press("Space")  # the explain toggle re-runs the search with each channel
    page.wait_for_selector(".explain table.channels")
    assert page.locator(".hit").first.locator("table.channels th[scope=row]").count() >= 1
    tab.shot("search")
    again = tab.go(f"/?bank={BANK}&q=Kafka+migration")  # ?q= runs on load
    assert "Kafka migration" in again.locator(".hit").first.inner_text()
    again.fill("#q", "x")
    again.fill("input[name=as_of]", "not a date")
    again.press("#q", "Enter")
    again.wait_for_selector("#results [data-error]")
    assert "invalid as_of" in again.inner_text("#results")
    tab.errors = [e for e in tab.errors if "400" not in e]  # the refused search, shown above


def _graph_nodes(page: Any) -> int:
    return int(page.get_attribute("#graph", "data-nodes") or 0)


def until(page: Any, script: str, timeout_s: float = 15.0) -> None:
    """Wait until `script` is true in the page (Playwright's wait_for_function evaluates its
    predicate with `new Function`, which the page's CSP rightly refuses)."""
    for _ in range(int(timeout_s / 0.1)):
        if page.evaluate(script):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {script}")


def test_open_an_entity_see_its_aliases_facts_and_graph(tab: Tab) -> None:
    page = tab.go(f"/entities?bank={BANK}")
    page.click("text=Alice Chen")
    page.wait_for_selector("#graph[data-ready='1'] canvas")
    assert page.locator("h1").first.inner_text().startswith("Alice Chen")
    assert page.locator(".aliases .alias").all_inner_texts() == ["Alice C."]
    facts = page.locator(".fact-text").all_inner_texts()
    assert facts[0] == "Alice Chen leads the payments team." and len(facts) == 3
    before = _graph_nodes(page)
    assert before == 1 + page.locator("#graph-nodes [data-expand]").count() >= 4
    page.focus("[data-expand] >> nth=0")  # keyboard: expand a neighbour from the list
    atlas = page.locator("#graph-nodes li", has_text="Atlas").locator("[data-expand]")
    atlas.focus()
    page.keyboard.press("Enter")
    until(page, f"Number(document.querySelector('#graph').dataset.nodes) > {before}")
    assert "PostgreSQL" in page.inner_text("#graph-nodes")  # Atlas's neighbour, now in the graph
    assert "Atlas" in page.inner_text("#graph-selection")
    # mouse: click a node on the canvas itself
    node_id = page.get_attribute("#graph-nodes li:has-text('Bob Stone')", "data-node-id")
    pos = page.evaluate(f"window.engramGraph.getElementById('{node_id}').renderedPosition()")
    box = page.locator("#graph").bounding_box()
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    until(page, f"window.engramGraph.getElementById('{node_id}').hasClass('expanded')")
    assert "Bob Stone" in page.inner_text("#graph-selection")
    assert _graph_nodes(page) <= 150
    tab.shot("entity")
    tab.go("/entities/PostgreSQL?bank=" + BANK)
    tab.shot("entity-supersession")


def test_open_a_belief_and_see_the_chart_points(tab: Tab, served: dict[str, Any]) -> None:
    doc = httpx.get(f"{served['url']}/v1/banks/{BANK}/beliefs", params={"topic": "batch"}).json()
    history = doc["beliefs"][0]["history"]
    page = tab.go(f"/beliefs?bank={BANK}")
    chart = page.wait_for_selector("[data-chart][data-rendered='1']")
    assert chart.query_selector("canvas") is not None
    assert int(chart.get_attribute("data-points") or 0) == len(history) >= 3
    # click the first point: its evidence row is picked and focused
    x, y = page.evaluate("""() => { const el = document.querySelector('[data-chart]');
        const u = el.chart, r = u.over.getBoundingClientRect();
        return [r.left + u.valToPos(u.data[0][0], 'x'), r.top + u.valToPos(u.data[1][0], 'y')]; }""")
    page.mouse.move(x + 2, y)  # just inside the plot: the first point sits on its left edge
    until(page, "document.querySelector('[data-chart]').chart.cursor.idx === 0")
    page.mouse.click(x + 2, y)
    page.wait_for_selector("tr#b0-0.picked")
    assert page.evaluate("document.activeElement.id") == "b0-0"
    assert history[0]["evidence"]["text"] in page.inner_text("tr#b0-0")
    # keyboard: the chart takes focus, the arrows move between points, Enter opens one
    page.focus("[data-chart]")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    n = len(history) - 2
    assert f"({n + 1} of {len(history)})" in page.inner_text("#b0-readout")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"tr#b0-{n}.picked")
    assert page.evaluate("document.activeElement.id") == f"b0-{n}"
    assert page.locator("tr.stance-contradict").count() >= 1
    tab.shot("beliefs")


def test_open_a_depth2_trace_and_expand_a_child_run(tab: Tab, served: dict[str, Any]) -> None:
    run_id = served["run_id"]
    page = tab.go(f"/traces?bank={BANK}")
    assert page.locator(f"tr[data-run='{run_id}']").count() == 1
    tab.shot("traces")
    page.click(f"a[href^='/traces/{run_id}']")
    page.wait_for_selector(".tree")
    child = page.locator(".node[data-kind='run'][data-depth='1']")
    grandchild = page.locator(".node[data-kind='run'][data-depth='2']")
    assert child.count() == 1 and grandchild.count() == 1
    assert not grandchild.locator("summary").first.is_visible()  # inside the folded child
    child.locator("summary").first.click()  # mouse: unfold the child run
    assert grandchild.locator("summary").first.is_visible()
    assert "Σ" in child.locator("summary").first.inner_text()
    grandchild.locator("summary").first.focus()  # keyboard: unfold the grandchild
    page.keyboard.press("Enter")
    code = grandchild.locator(".kind-cell .code pre").first
    assert code.is_visible() and "llm_query" in code.inner_text()
    total = page.locator(".node[data-depth='0'] > details > summary .total").first.inner_text()
    assert re.search(r"Σ [\d,]+ tok · \$[\d.]+ · \d+ calls", total), total
    tab.shot("trace", top=".tree")
    page.click("button[data-tree='close']")
    assert not child.locator("summary").first.is_visible()
