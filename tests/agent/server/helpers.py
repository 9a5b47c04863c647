"""Helpers for the server tests: the scripted model, CLI subprocesses (the live server: bench)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.live_server import LiveServer, free_port, wait_healthy
from bench.scripted_endpoint import Reply

__all__ = [
    "LiveServer",
    "free_port",
    "wait_healthy",
    "responder",
    "model_env",
    "cli_env",
    "engram_cmd",
    "run_cli",
    "serving",
    "ENGRAM",
    "ROOT",
    "RLM_SCRIPT",
]

ENGRAM = Path(sys.executable).with_name("engram")
ROOT = Path(__file__).resolve().parents[3]

RLM_SCRIPT = [
    "```repl\nhits = [l for l in context.splitlines() if 'needle' in l]\nprint(len(hits))\n```",
    "```repl\nFINAL(f'{len(hits)} needles')\n```",
]


def responder(request: dict[str, Any]) -> Reply | str:
    """The agent's router and answerer, and an RLM root, told apart by their system prompts."""
    messages = request.get("messages", [])
    system = str(messages[0].get("content", "")) if messages else ""
    last = str(messages[-1].get("content", "")) if messages else ""
    if "You route a user's message" in system:
        delay = 4.0 if "stall" in last else 1.0 if "slowly" in last else 0.0
        return Reply('{"route": "recall", "reason": "asks about the past"}', delay_s=delay)
    if "question from the numbered memory evidence" in system:  # agent.answer.prompt
        return "From memory: Alice Chen leads payments [1]."
    if "too large to read at once" in system:
        turn = sum(1 for m in messages if m.get("role") == "assistant")
        return RLM_SCRIPT[min(turn, len(RLM_SCRIPT) - 1)]
    return "sub answer"


def model_env(base_url: str) -> dict[str, str]:
    return {"OPENAI_BASE_URL": base_url, "OPENAI_API_KEY": "sk-test", "ENGRAM_ROOT_MODEL": "root-m",
            "ENGRAM_SUB_MODEL": "sub-m", "ENGRAM_LM_MAX_RETRIES": "0"}  # fmt: skip


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ENGRAM_"))}
    env.update(ENGRAM_HOME=str(home), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", **extra)
    return env


def engram_cmd() -> list[str]:
    main = "import sys; from agent.cli import main; sys.exit(main())"
    return [str(ENGRAM)] if ENGRAM.exists() else [sys.executable, "-c", main]


def run_cli(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*engram_cmd(), *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=timeout)  # fmt: skip


@contextlib.contextmanager
def serving(args: list[str], env: dict[str, str], port: int) -> Iterator[str]:
    """`engram ARGS` (a server) as a subprocess until it answers /health on `port`; yields its
    URL and stops it afterwards."""
    proc = subprocess.Popen([*engram_cmd(), *args], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
