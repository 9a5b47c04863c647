"""The one place where the CLI turns errors into a line on stderr and an exit code.

Every command handler lets the project's errors propagate; `agent.cli.main` hands them to
`report(exc, debug=...)`, which prints ``engram: <what happened and what to do>`` and returns
the exit code below. Expected errors never print a traceback; an unexpected one (a bug) prints
its traceback only with ``--debug``.

| code | meaning |
|---|---|
| 0 | done |
| 1 | the command ran and failed (every unit of an ingest failed, an RLM run ended in error) |
| 2 | bad input or configuration: nothing was changed (also argparse's usage errors) |
| 3 | not found (a fact, entity, source or mental model the bank does not hold) |
| 4 | busy: another process owns the embedded memory folder (`FolderBusy`), or the server's per-token limit |
| 5 | unavailable: the database, the Chroma server or `engram serve` (ENGRAM_URL) did not answer, or refused |
| 6 | the LLM endpoint failed (after its retries) where no offline answer was possible (`ingest --rlm`: every corpus batch failed; the raw episodes are stored) |
| 7 | a budget limit stopped the run |
| 70 | internal error (a bug): rerun with `--debug` for the traceback, and report it |
| 130 | interrupted (Ctrl-C) |
"""

from __future__ import annotations

import sys
import traceback
from typing import TextIO

__all__ = [
    "CLIError",
    "EXIT_OK",
    "EXIT_FAILED",
    "EXIT_BAD_INPUT",
    "EXIT_NOT_FOUND",
    "EXIT_BUSY",
    "EXIT_STORAGE",
    "EXIT_LLM",
    "EXIT_BUDGET",
    "EXIT_BUG",
    "EXIT_INTERRUPTED",
    "exit_code",
    "report",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_NOT_FOUND = 3
EXIT_BUSY = 4
EXIT_STORAGE = 5
EXIT_LLM = 6
EXIT_BUDGET = 7
EXIT_BUG = 70
EXIT_INTERRUPTED = 130


class CLIError(Exception):
    """A problem a command found in its own arguments; `code` is the exit code."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code


def exit_code(exc: BaseException) -> int | None:
    """The documented exit code for an expected error; None for anything else (a bug)."""
    from sqlalchemy.exc import OperationalError

    from agent.errors import AgentError
    from memory.errors import EngramMemoryError, NotFound
    from rlm.errors import BudgetExceeded, LMError, RLMError
    from storage.errors import FolderBusy, StorageError

    table: list[tuple[type[BaseException] | tuple[type[BaseException], ...], int]] = [
        (KeyboardInterrupt, EXIT_INTERRUPTED),
        (NotFound, EXIT_NOT_FOUND),
        ((EngramMemoryError, AgentError), EXIT_BAD_INPUT),
        (FolderBusy, EXIT_BUSY),
        ((StorageError, OperationalError), EXIT_STORAGE),
        (LMError, EXIT_LLM),
        (BudgetExceeded, EXIT_BUDGET),
        (RLMError, EXIT_FAILED),
    ]
    if isinstance(exc, CLIError):
        return exc.code
    if (code := _server_code(exc)) is not None:
        return code
    for types, code in table:
        if isinstance(exc, types):
            return code
    return None


def _server_code(exc: BaseException) -> int | None:
    """The exit code for an error `engram serve` answered with (or a server not reached)."""
    from agent.server.errors import ServerError, Unreachable

    if not isinstance(exc, ServerError):
        return None
    if isinstance(exc, Unreachable) or exc.status in (503, 504):
        return EXIT_STORAGE
    return {404: EXIT_NOT_FOUND, 429: EXIT_BUSY}.get(exc.status, EXIT_BAD_INPUT)


def _message(exc: BaseException) -> str:
    from sqlalchemy.exc import OperationalError

    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    if isinstance(exc, OperationalError):  # the database refused or did not answer
        first = str(exc.orig or exc).strip().splitlines()[0] if str(exc.orig or exc) else ""
        return (f"the database is not usable ({first}); check ENGRAM_DATABASE_URL and that the "
                "server is running")  # fmt: skip
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def report(exc: BaseException, *, debug: bool = False, err: TextIO | None = None) -> int:
    """Print `exc` as one line on stderr (a traceback too for a bug with `debug`); the code."""
    err = err or sys.stderr
    code = exit_code(exc)
    if code is None:
        print(f"engram: internal error: {type(exc).__name__}: {_message(exc)}", file=err)
        if debug:
            traceback.print_exception(exc, file=err)
        else:
            print("engram: rerun with --debug for the traceback, and please report it", file=err)
        return EXIT_BUG
    print(f"engram: {_message(exc)}", file=err)  # expected: a message, never a traceback
    return code
