"""Helpers for the server tests: a real uvicorn in a thread, free ports, a scripted model."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from bench.scripted_endpoint import Reply

ENGRAM = Path(sys.executable).with_name("engram")
ROOT = Path(__file__).resolve().parents[3]

RLM_SCRIPT = [
    "```repl\nhits = [l for l in context.splitlines() if 'needle' in l]\nprint(len(hits))\n```",
    "```repl\nFINAL(f'{len(hits)} needles')\n```",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def responder(request: dict[str, Any]) -> Reply | str:
    """The agent's router and answerer, and an RLM root, told apart by their system prompts."""
    messages = request.get("messages", [])
    system = str(messages[0].get("content", "")) if messages else ""
    last = str(messages[-1].get("content", "")) if messages else ""
    if "You route a user's message" in system:
        delay = 4.0 if "stall" in last else 1.0 if "slowly" in last else 0.0
        return Reply('{"route": "recall", "reason": "asks about the past"}', delay_s=delay)
    if "Answer the user's question from the memory excerpts" in system:
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
    return [str(ENGRAM)] if ENGRAM.exists() else [sys.executable, "-m", "agent.cli"]


def run_cli(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*engram_cmd(), *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=timeout)  # fmt: skip


def wait_healthy(url: str, proc: subprocess.Popen | None = None, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not become healthy")


class LiveServer:
    """uvicorn serving `app` on 127.0.0.1 in a background thread (its own event loop)."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        import uvicorn

        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        wait_healthy(self.url)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
