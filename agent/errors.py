"""Errors raised by the agent.

Hierarchy::

    AgentError
    ├── ConfigError         the environment does not describe a usable setup (what to set is said)
    ├── AttachmentError     an attached file or path cannot be read
    └── NoModelError        a path needs an LLM endpoint and none is configured
"""

from __future__ import annotations

__all__ = ["AgentError", "ConfigError", "AttachmentError", "NoModelError"]


class AgentError(Exception):
    """Base class of every error the agent raises on purpose."""


class ConfigError(AgentError):
    """A setting is missing or invalid. `variable` names the environment variable to fix."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable
        self.problem = problem


class AttachmentError(AgentError):
    """An attached path does not exist or is not a readable file."""

    def __init__(self, path: str, problem: str = "no such file") -> None:
        super().__init__(f"cannot attach {path!r}: {problem}")
        self.path = path
        self.problem = problem


class NoModelError(AgentError):
    """The request needs an LLM (`route` says which path) but no endpoint is configured."""

    def __init__(self, route: str) -> None:
        super().__init__(
            f"the {route!r} path needs an LLM endpoint: set OPENAI_BASE_URL (and OPENAI_API_KEY, "
            "ENGRAM_ROOT_MODEL) to any OpenAI-compatible server"
        )
        self.route = route
