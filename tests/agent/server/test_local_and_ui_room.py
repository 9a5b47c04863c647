"""`--local` (no auth) serving, and the room left for the web UI: a router mounted at / with
public paths, served without a token while /v1 still needs one."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from agent.server.app import ServerConfig, create_app, is_loopback, read_discovery
from agent.server.auth import TokenStore
from agent.server.ops import LocalOps
from agent.wiring import Engram, settings_from_env
from memory.memory import Memory
from storage.store import Store
from tests.agent.server.helpers import LiveServer
from tests.fakes import HashEmbedder


def _engram(home: Path) -> Engram:
    memory = Memory(Store.open(home, embedder=HashEmbedder(32)))
    return Engram(settings_from_env({"ENGRAM_HOME": str(home)}), memory, None, None, None)


def _ui() -> APIRouter:
    ui = APIRouter()

    @ui.get("/", response_class=HTMLResponse)
    async def index() -> str:
        return "<html>engram</html>"

    return ui


def test_local_mode_and_a_ui_router(tmp_path: Path) -> None:
    engram = _engram(tmp_path / "home")
    config = ServerConfig(home=tmp_path / "home")
    app = create_app(LocalOps(engram), tokens=None, config=config, ui=_ui(), public_paths=["/"],
                     on_shutdown=engram.close)  # fmt: skip
    with LiveServer(app) as live:
        config.port = live.port
        assert httpx.get(live.url + "/").text == "<html>engram</html>"
        r = httpx.post(live.url + "/v1/banks/notes/memories", json={"text": "Local note."})
        assert r.status_code == 201
        assert httpx.get(live.url + "/v1/whoami").json() == {"id": "local", "bank": None,
                                                              "read_only": False}  # fmt: skip
        assert read_discovery(tmp_path / "home")["auth"] is False  # type: ignore[index]
        for headers in ({"Host": "evil.example:8765"}, {"Origin": "http://evil.example"}):
            r = httpx.get(live.url + "/v1/banks", headers=headers)
            assert r.status_code == 403 and "--local" in r.json()["error"]["message"]
        ok = httpx.get(live.url + "/v1/banks", headers={"Origin": f"http://localhost:{live.port}"})
        assert ok.status_code == 200
    assert read_discovery(tmp_path / "home") is None


def test_the_ui_path_is_public_but_the_api_is_not(tmp_path: Path) -> None:
    engram = _engram(tmp_path / "home")
    tokens = TokenStore(engram.memory.store.db)
    app = create_app(LocalOps(engram), tokens=tokens, ui=_ui(), public_paths=["/"],
                     on_shutdown=engram.close)  # fmt: skip
    with LiveServer(app) as live:
        assert httpx.get(live.url + "/").status_code == 200
        assert httpx.get(live.url + "/v1/banks").status_code == 401


def test_loopback_hosts() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.5.0.1", "::1", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.4", "::", "example.org"))
