"""What the web UI's tests browse: a small bank through the real retain path (aliases, a merge,
a supersession, a belief with support and contradiction) and a depth-2 RLM run made by the real
engine through the real openai client against `bench.scripted_endpoint` (root -> rlm_query
child -> rlm_query grandchild, with sub-calls and a long output)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.scripted_endpoint import Reply

__all__ = [
    "SEED",
    "BANK",
    "seed_memory",
    "run_depth2",
    "depth_responder",
    "ui_server",
    "served_local",
]

BANK = "team"
MODELS = ("gpt-4o", "gpt-4o-mini")  # priced by the built-in table, so the runs have costs
SEED = [
    ("2025-09-01", "standup-0901", "Alice Chen leads the payments team."),
    ("2025-09-01", "standup-0901", "We use MySQL for billing."),
    ("2025-09-20", "design-review", "Alice C. reviewed the Kafka migration plan with Bob Stone."),
    ("2025-10-01", "planning", "I think the batch API is the right next feature."),
    ("2025-10-14", "standup-1014", "We switched to PostgreSQL for billing."),
    ("2025-10-20", "retro", "Bob S. finished the Kafka migration three days early."),
    ("2025-11-01", "planning", "I am fairly sure the batch API is the right next feature."),
    ("2025-11-15", "customer-call", "I doubt the batch API is the right next feature."),
    ("2025-11-20", "ops-notes", "We run PG on the Atlas cluster."),
    ("2025-12-01", "standup-1201", "Alice Chen moved the payments service to the Atlas cluster."),
]

_ROOT = [
    "```repl\nparts = llm_query_batched(['summarise part A', 'summarise part B'])\n"
    "child = rlm_query('how many needles, and which is first?', context)\n"
    "print('hay ' * 600)\nprint(parts, child)\n```",
    "```repl\nFINAL('root: ' + child)\n```",
]
_CHILD = [
    "```repl\nn = len([l for l in context.splitlines() if 'needle' in l])\n"
    "first = rlm_query('which needle comes first?', context)\nprint(n, first)\n```",
    "```repl\nFINAL(f'{n} needles, first: {first}')\n```",
]
_GRANDCHILD = [
    "```repl\nline = next(l for l in context.splitlines() if 'needle' in l)\n"
    "print(llm_query('is this a needle? ' + line))\n```",
    "```repl\nFINAL(line)\n```",
]


def depth_responder(request: dict[str, Any]) -> Reply | str:
    """Root, child and grandchild runs told apart by the depth their system prompt names;
    anything else is a sub-call."""
    messages = request.get("messages", [])
    system = str(messages[0].get("content", "")) if messages else ""
    if "too large to read at once" not in system:
        return "sub answer"
    turn = min(1, sum(1 for m in messages if m.get("role") == "assistant"))
    if "you are at depth 0" in system:
        return _ROOT[turn]
    if "you are at depth 1" in system:
        return _CHILD[turn]
    return _GRANDCHILD[turn]


async def seed_memory(ops: Any) -> None:
    for at, source, text in SEED:
        await ops.remember(BANK, text, at, source)
    await ops.merge(BANK, "PostgreSQL", "PG")


async def run_depth2(ops: Any, path: str) -> dict[str, Any]:
    """One real RLM run through `ops.rlm` (its trace lands in the trace store)."""
    doc = await ops.rlm(BANK, "How many needles are there?", path, {"max_iterations": 4},
                        consolidate=False)  # fmt: skip
    assert doc["stopped_by"] is None, doc
    return doc


@contextlib.contextmanager
def ui_server(home: Path, files: Path) -> Iterator[dict[str, Any]]:
    """`engram serve --local` as its command line builds it (LocalOps over `agent.wiring`, the
    UI router, no tokens) on a fresh ENGRAM_HOME, seeded over its own REST API, with one depth-2
    RLM run made through it. Yields {"url", "run_id", "engram"}."""
    from agent.client import EngramClient
    from agent.server.app import ServerConfig, create_app
    from agent.server.ops import LocalOps
    from agent.server.runs import RunLimits
    from agent.server.ui import ui_router
    from agent.wiring import from_env
    from bench.live_server import LiveServer
    from bench.scripted_endpoint import ScriptedEndpoint
    from tests.agent.server.helpers import model_env

    context = _haystack(files)
    with ScriptedEndpoint(depth_responder, models=MODELS) as ep:
        env = {
            **model_env(ep.base_url),
            "ENGRAM_ROOT_MODEL": MODELS[0],
            "ENGRAM_SUB_MODEL": MODELS[1],
        }
        engram = from_env({"ENGRAM_HOME": str(home), **env})
        ops = LocalOps(engram, RunLimits(rlm_timeout=60, allowed_roots=[files]))
        app = create_app(ops, tokens=None, config=ServerConfig(home=home), ui=ui_router(ops),
                         on_shutdown=engram.close)  # fmt: skip
        with LiveServer(app) as live:
            client = EngramClient(live.url)
            asyncio.run(seed_memory(client))
            run = asyncio.run(run_depth2(client, str(context)))
            yield {"url": live.url, "run_id": run["run_id"], "engram": engram}


def _haystack(files: Path) -> Path:
    context = files / "haystack.txt"
    context.write_text("hay\n" * 300 + "needle one\n" + "hay\n" * 300 + "needle two\n")
    return context


@contextlib.contextmanager
def served_local(home: Path, files: Path) -> Iterator[dict[str, Any]]:
    """The one command, `engram serve --local`, as a real subprocess (with a scripted LLM
    endpoint and --allow-path), seeded over its REST API with one depth-2 RLM run made
    through it. Yields {"url", "run_id"}."""
    from agent.client import EngramClient
    from bench.live_server import free_port
    from bench.scripted_endpoint import ScriptedEndpoint
    from tests.agent.server.helpers import cli_env, model_env, serving

    context, port = _haystack(files), free_port()
    with ScriptedEndpoint(depth_responder, models=MODELS) as ep:
        env = cli_env(home, **{**model_env(ep.base_url), "ENGRAM_ROOT_MODEL": MODELS[0],
                               "ENGRAM_SUB_MODEL": MODELS[1]})  # fmt: skip
        serve = ["serve", "--local", "--port", str(port), "--allow-path", str(files)]
        with serving(serve, env, port) as url:
            client = EngramClient(url)
            asyncio.run(seed_memory(client))
            run = asyncio.run(run_depth2(client, str(context)))
            yield {"url": url, "run_id": run["run_id"]}
