"""Chroma in client/server mode: HttpClient construction and a local `chroma run` for tests/benches.

Shared deployments run one `chroma run --path DIR --host HOST --port PORT` and point every agent
at it with `ENGRAM_CHROMA_URL=http://HOST:PORT`. `http_client(url)` builds the client (telemetry
off); `ChromaServer` starts and stops a local server process (tests, benchmarks, `engram migrate`
smoke runs) and waits until its heartbeat answers.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlparse

from storage.errors import ChromaUnavailable

__all__ = [
    "ChromaServer",
    "http_client",
    "parse_chroma_url",
    "free_port",
    "chroma_executable",
    "server_collection",
]


def parse_chroma_url(url: str) -> tuple[str, int, bool]:
    """`http://host:port` -> (host, port, ssl). The port defaults to 8000 (https: 443)."""
    p = urlparse(url if "://" in url else f"http://{url}")
    if p.scheme not in ("http", "https") or not p.hostname:
        raise ChromaUnavailable(url, "expected http://HOST:PORT")
    ssl = p.scheme == "https"
    return p.hostname, p.port or (443 if ssl else 8000), ssl


def http_client(url: str, *, timeout: float = 10.0) -> Any:
    """A `chromadb.HttpClient` for `url`, checked with a heartbeat (raises ChromaUnavailable)."""
    import chromadb
    from chromadb.config import Settings

    host, port, ssl = parse_chroma_url(url)
    deadline = time.monotonic() + timeout
    while True:
        try:
            client = chromadb.HttpClient(
                host=host, port=port, ssl=ssl, settings=Settings(anonymized_telemetry=False)
            )
            client.heartbeat()
            return client
        except Exception as exc:  # chromadb raises several types for a dead server
            if time.monotonic() >= deadline:
                raise ChromaUnavailable(url, f"{type(exc).__name__}: {exc}") from exc
            time.sleep(0.2)


def server_collection(db_url: str, dim: int) -> str:
    """The collection of one memory on a Chroma server: named after its SQL database, so several
    memories (databases) can share one server without reconcile dropping each other's vectors."""
    from sqlalchemy.engine import make_url

    u = make_url(db_url)
    raw = f"engram_{u.host or 'local'}_{u.port or ''}_{u.database or 'db'}_{dim}"
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", raw).strip("-_")
    return name[:500] if len(name) >= 3 else f"engram_{dim}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def chroma_executable() -> str:
    """The `chroma` CLI next to this interpreter (the chromadb package ships it), else PATH's."""
    here = Path(sys.executable).with_name("chroma")
    found = str(here) if here.exists() else shutil.which("chroma")
    if not found:
        raise ChromaUnavailable("chroma", "the `chroma` CLI was not found; pip install chromadb")
    return found


def _heartbeat(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as r:  # noqa: S310
            return bool(r.status == 200)
    except OSError:
        return False


class ChromaServer:
    """A local `chroma run` process storing under `path`; use as a context manager."""

    def __init__(self, path: Path | str, *, host: str = "127.0.0.1", port: int | None = None):
        self.path = Path(path)
        self.host = host
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = self.path.with_name(self.path.name + ".log")

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 60.0) -> ChromaServer:
        self.path.mkdir(parents=True, exist_ok=True)
        cmd = [chroma_executable(), "run", "--path", str(self.path), "--host", self.host,
               "--port", str(self.port)]  # fmt: skip
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while not _heartbeat(self.url):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                tail = self.log_path.read_text(errors="replace")[-800:]
                self.stop()
                raise ChromaUnavailable(self.url, f"server did not start; log tail:\n{tail}")
            time.sleep(0.1)
        return self

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def __enter__(self) -> ChromaServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
