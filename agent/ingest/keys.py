"""Stable, unique keys for what ingestion retains.

A unit's key (and the sources of its episodes, which extend it) names where the unit lives,
never a path relative to what the user happened to pass:

- a document: ``doc:`` + its absolute, resolved path;
- a git repository: ``git:`` + its identity, then what inside it (``:<path>``, ``:<sha>``,
  ``:author:<email>``). The identity is the remote URL of ``origin`` (else of the first remote),
  normalised (no scheme, credentials or ``.git``: ``github.com/owner/repo``); without a remote,
  ``root-<sha>`` of its root commit; without commits, its absolute path;
- an issue: ``issue:<owner/repo>#<number>`` when the export names its repository, else
  ``issue:<absolute export path>#<number>``.

Keys of the old scheme (relative paths, the repository's folder name, the export's file name)
are given beside the new ones (`Unit.legacy_keys`) so state recorded under them is migrated.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["document_key", "repo_identity", "normalise_remote"]

_SCP_LIKE = re.compile(r"^(?:[^@/]+@)?(?P<host>[^:/]+):(?P<path>(?!//).+)$")


def document_key(path: Path) -> str:
    return "doc:" + Path(path).resolve().as_posix()


def normalise_remote(url: str, repo: Path | None = None) -> str:
    """`https://user:token@github.com/Owner/Repo.git`, `git@github.com:Owner/Repo.git` and
    `ssh://git@github.com/Owner/Repo` are all `github.com/Owner/Repo`; a local path remote is
    its absolute path (relative ones are read from `repo`)."""
    url = url.strip()
    if "://" in url:
        parts = urlsplit(url)
        host, path = (parts.hostname or ""), parts.path
        if parts.scheme == "file":
            return _strip_git(Path(path).resolve().as_posix())
        return _strip_git(f"{host.lower()}/{path.strip('/')}")
    m = _SCP_LIKE.match(url)
    if m and not url.startswith(("/", ".")):
        return _strip_git(f"{m['host'].lower()}/{m['path'].strip('/')}")
    local = Path(url)
    if not local.is_absolute() and repo is not None:
        local = repo / local
    return _strip_git(local.resolve().as_posix())


def _strip_git(s: str) -> str:
    s = s.rstrip("/")
    return s[:-4] if s.endswith(".git") else s


def repo_identity(repo: Path) -> str:
    """What names this repository wherever it is cloned (see the module docstring)."""
    remotes = _git_lines(repo, "remote")
    if remotes:
        name = "origin" if "origin" in remotes else sorted(remotes)[0]
        url = _git_lines(repo, "remote", "get-url", name)
        if url:
            return normalise_remote(url[0], repo.resolve())
    roots = _git_lines(repo, "rev-list", "--max-parents=0", "HEAD")
    if roots:
        return f"root-{sorted(roots)[0]}"
    return Path(repo).resolve().as_posix()


def _git_lines(repo: Path, *args: str) -> list[str]:
    """Output lines of a read-only git query; [] when git says there is nothing (no remote,
    no commits) or is missing: the caller then falls back to the next identity."""
    try:
        out = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, check=False, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    if out.returncode != 0:
        return []
    return [ln.strip() for ln in out.stdout.decode(errors="replace").splitlines() if ln.strip()]
