"""Web UI page times on a large bank, served as `engram serve --local` serves them.

    python -m bench.ui_pages --home DIR          # DIR from `bench.memory_scale --keep DIR`

Opens DIR's memory (its largest bank unless `--bank`), adds `--opinions` opinion episodes
(idempotent: the same sources again are no-ops) so the belief pages have evidence, makes one
RLM run with `--fanout` sub-calls and a child run through the real engine against
`bench.scripted_endpoint` (so the trace pages have a tree), then serves the app with its UI on
127.0.0.1 (uvicorn in a thread) and GETs every page `--rounds` times over HTTP: median and p95
milliseconds and the page size. `reference` times the unpaged reads the pages avoid (an
entity with all its facts, every belief with all its history) on the same bank. The last
stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

__all__ = ["main", "run"]

FORMS = ["I think the {c} {n} should move to {t}.", "I am fairly sure the {c} {n} should move to {t}.",
         "I doubt the {c} {n} should move to {t}.", "I believe the {c} {n} should move to {t}."]  # fmt: skip


def _opinions(n: int, bank: str) -> list[dict[str, Any]]:
    from bench.memory_scale import CODENAMES, NOUN, TECH

    rnd, start = random.Random(7), datetime(2025, 6, 1, tzinfo=UTC)
    return [{"text": rnd.choice(FORMS).format(c=rnd.choice(CODENAMES), n=rnd.choice(NOUN[:6]),
                                               t=rnd.choice(TECH[:4])),
             "mentioned_at": start + timedelta(days=rnd.randint(0, 500)),
             "source": f"opinion-{i}", "bank": bank} for i in range(n)]  # fmt: skip


def _responder(fanout: int) -> Any:
    root = [f"```repl\nparts = llm_query_batched([f'part {{i}}' for i in range({fanout})])\n"
            "child = rlm_query('count the parts', context)\nprint(len(parts), child)\n```",
            "```repl\nFINAL(child)\n```"]  # fmt: skip
    child = ["```repl\nprint(llm_query('how many?'))\n```", "```repl\nFINAL('done')\n```"]

    def answer(request: dict[str, Any]) -> str:
        messages = request.get("messages", [])
        system = str(messages[0].get("content", "")) if messages else ""
        if "too large to read at once" not in system:
            return "a part"
        turn = min(1, sum(1 for m in messages if m.get("role") == "assistant"))
        return (root if "you are at depth 0" in system else child)[turn]

    return answer


def _hub(memory: Any, bank: str) -> str:
    from sqlalchemy import text

    with memory.store.db.engine.connect() as c:
        return str(c.execute(text(
            "SELECT e.name FROM fact_entities fe JOIN entities e ON e.id = fe.entity_id "
            "WHERE fe.bank = :b GROUP BY fe.entity_id, e.name ORDER BY COUNT(*) DESC LIMIT 1"),
            {"b": bank}).scalar())  # fmt: skip


def _time(get: Any, path: str, rounds: int) -> dict[str, Any]:
    get(path)  # warm
    times, size = [], 0
    for _ in range(rounds):
        t = time.perf_counter()
        r = get(path)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
        size = len(r.content)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1),
            "kb": round(size / 1024, 1)}  # fmt: skip


def _pages(bank: str, hub: str, run_id: str, facts_total: int) -> dict[str, str]:
    e, b = quote(hub, safe=""), quote(bank)
    deep = max(0, facts_total - 50)
    return {
        "search": f"/?bank={b}", "search_q": f"/?bank={b}&q=who+is+blocked+on+the+migration",
        "search_explain": f"/?bank={b}&q=who+is+blocked+on+the+migration&explain=1",
        "hits_fragment": f"/ui/fragments/hits?bank={b}&q=deadline+moved",
        "entities": f"/entities?bank={b}", "entities_deep": f"/entities?bank={b}&offset=1000",
        "entity_hub": f"/entities/{e}?bank={b}", "entity_hub_last_page": f"/entities/{e}?bank={b}&offset={deep}",
        "facts_fragment": f"/ui/fragments/facts?bank={b}&name={e}&offset=50",
        "neighbourhood_rest": f"/v1/banks/{b}/neighbourhood?entity={e}",
        "beliefs": f"/beliefs?bank={b}", "beliefs_topic": f"/beliefs?bank={b}&topic=gateway",
        "traces": f"/traces?bank={b}", "trace_tree": f"/traces/{run_id}?bank={b}",
    }  # fmt: skip


async def _prepare(ops: Any, bank: str, opinions: int, context: Path) -> str:
    if opinions:
        await ops.memory.aretain_many(_opinions(opinions, bank))
    run = await ops.rlm(bank, "count the parts", str(context), {"max_iterations": 4},
                        consolidate=False)  # fmt: skip
    return str(run["run_id"])


def run(home: Path, bank: str | None, rounds: int, opinions: int, fanout: int) -> dict[str, Any]:
    import httpx

    from agent.server.app import ServerConfig, create_app
    from agent.server.ops import LocalOps
    from agent.server.runs import RunLimits
    from agent.server.ui import ui_router
    from agent.wiring import from_env
    from bench.live_server import LiveServer
    from bench.scripted_endpoint import ScriptedEndpoint
    from memory.browse import list_banks

    context = home / "ui_bench_context.txt"
    context.write_text("line\n" * 1000)
    with ScriptedEndpoint(_responder(fanout), models=("gpt-4o", "gpt-4o-mini")) as ep:
        env = {"ENGRAM_HOME": str(home), "OPENAI_BASE_URL": ep.base_url, "OPENAI_API_KEY": "k",
               "ENGRAM_ROOT_MODEL": "gpt-4o", "ENGRAM_SUB_MODEL": "gpt-4o-mini"}  # fmt: skip
        engram = from_env(env)
        bank = bank or max(list_banks(engram.memory), key=lambda b: b["facts"])["bank"]
        ops = LocalOps(engram, RunLimits(rlm_timeout=300, allowed_roots=[home]))
        run_id = asyncio.run(_prepare(ops, bank, opinions, context))
        hub = _hub(engram.memory, bank)
        app = create_app(ops, tokens=None, config=ServerConfig(), ui=ui_router(ops),
                         on_shutdown=engram.close)  # fmt: skip
        with LiveServer(app) as live, httpx.Client(base_url=live.url, timeout=120) as c:
            card = c.get(f"/v1/banks/{quote(bank)}/entities/{quote(hub, safe='')}",
                         params={"limit": 1}).json()  # fmt: skip
            pages = _pages(bank, hub, run_id, card["facts_total"])
            times = {name: _time(c.get, path, rounds) for name, path in pages.items()}
            reference = {
                "entity_all_facts_rest": _time(c.get, f"/v1/banks/{quote(bank)}/entities/"
                                               f"{quote(hub, safe='')}", rounds),
                "beliefs_all_rest": _time(c.get, f"/v1/banks/{quote(bank)}/beliefs", rounds),
            }  # fmt: skip
            beliefs = c.get(f"/v1/banks/{quote(bank)}/beliefs", params={"limit": 1}).json()
            facts = next(
                b["facts"] for b in c.get("/v1/banks").json()["banks"] if b["bank"] == bank
            )
    return {"bank": bank, "facts": facts, "hub": hub, "hub_facts": card["facts_total"],
            "beliefs": beliefs["total"], "trace_sub_calls": fanout, "rounds": rounds,
            "pages": times, "reference": reference}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--home", type=Path, required=True, help="an ENGRAM_HOME (memory_scale --keep)")
    p.add_argument("--bank", help="default: the bank with the most facts")
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument(
        "--opinions", type=int, default=4000, help="opinion episodes to add (idempotent)"
    )
    p.add_argument("--fanout", type=int, default=200, help="sub-calls in the trace's batch")
    args = p.parse_args(argv)
    if not (args.home / "engram.db").exists():
        print(f"ui_pages: no memory under {args.home} (make one: python -m bench.memory_scale "
              "--sizes 100000 --keep DIR)", file=sys.stderr)  # fmt: skip
        return 2
    print(json.dumps(run(args.home, args.bank, args.rounds, args.opinions, args.fanout)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
