"""`engram serve`: one process that owns a memory and serves it over REST (/v1), MCP
(streamable HTTP at /mcp) and, with `--local`, a web UI at / (agent.server.ui); plus the MCP
server `engram mcp` runs over stdio. Every interface calls the same `EngramOps` over the
`Memory` facade.

Modules: ops (the operations), runs (ask and rlm, bounded), traces, auth (bank-scoped tokens),
limits (ASGI guard), rest (routes), mcp_tools (MCP tools and resources), app (the factory),
errors.
"""

from __future__ import annotations

__all__ = ["create_app", "ServerConfig", "LocalOps", "build_mcp", "TokenStore", "Principal"]


def __getattr__(name: str) -> object:
    import importlib

    where = {"create_app": "app", "ServerConfig": "app", "LocalOps": "ops",
             "build_mcp": "mcp_tools", "TokenStore": "auth", "Principal": "auth"}  # fmt: skip
    if name not in where:
        raise AttributeError(f"module 'agent.server' has no attribute {name!r}")
    return getattr(importlib.import_module(f"agent.server.{where[name]}"), name)
