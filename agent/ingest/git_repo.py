"""A git repository: its commit history (through `git log`) and its tracked text files.

Authors become units of their own (name plus e-mail as an alias), each commit message is an
episode with source "git:<identity>:<sha>" and the commit date as its time, and tracked text
files become document episodes dated by front matter, file name, or their last commit. The
identity is the repository's remote URL or root commit (agent.ingest.keys); the old scheme used
the folder's name, which two clones or two projects called `api` share.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from agent.ingest.documents import document_unit, parse_datetime
from agent.ingest.keys import repo_identity
from agent.ingest.units import Episode, Problem, Unit, content_hash
from agent.ingest.walk import TEXT_SUFFIXES, read_text

__all__ = [
    "Commit",
    "RepoNames",
    "read_log",
    "commit_unit",
    "author_units",
    "repo_units",
    "GitError",
]

_REC, _FLD = "\x1e", "\x1f"
_FORMAT = f"--format={_REC}%H{_FLD}%an{_FLD}%ae{_FLD}%aI{_FLD}%B{_FLD}"
MAX_FILES_LISTED = 30


class GitError(RuntimeError):
    """`git` failed or is not installed."""


@dataclass(frozen=True)
class RepoNames:
    """How a repository is named: `name` in texts ("a contributor to api"), `identity` in keys
    and sources, `legacy` (the folder's name) in keys of the old scheme."""

    name: str
    identity: str

    @property
    def legacy(self) -> str:
        return self.name

    def key(self, *parts: str) -> str:
        return ":".join(["git", self.identity, *parts])

    def legacy_keys(self, *parts: str) -> list[str]:
        old = ":".join(["git", self.legacy, *parts])
        return [] if old == self.key(*parts) else [old]

    @classmethod
    def of(cls, repo: Path) -> RepoNames:
        return cls(repo.resolve().name, repo_identity(repo))


@dataclass
class Commit:
    sha: str
    author: str
    email: str
    date: datetime | None
    message: str
    files: list[str] = field(default_factory=list)

    @property
    def subject(self) -> str:
        return self.message.strip().splitlines()[0] if self.message.strip() else ""


def _git(repo: Path, *args: str) -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, check=False, timeout=300
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise GitError(f"git {args[0]} failed: {e}") from e
    if out.returncode != 0:
        raise GitError(out.stderr.decode(errors="replace").strip() or f"git {args[0]} failed")
    return out.stdout.decode("utf-8", errors="replace")


def read_log(repo: Path, max_count: int | None = None) -> list[Commit]:
    """Commits, oldest first, with the files each touched. Empty for a repo without commits."""
    args = ["log", "--no-color", "--name-only", _FORMAT]
    if max_count:
        args.append(f"--max-count={max_count}")
    try:
        raw = _git(repo, *args)
    except GitError as e:
        if "does not have any commits" in str(e):
            return []
        raise
    commits = [_parse_record(r) for r in raw.split(_REC) if r.strip()]
    return list(reversed(commits))


def _parse_record(record: str) -> Commit:
    sha, author, email, date, message, names = (record.split(_FLD) + [""] * 6)[:6]
    files = [n for n in names.splitlines() if n.strip()]
    return Commit(sha.strip(), author.strip(), email.strip(), parse_datetime(date), message, files)


def commit_unit(repo: RepoNames, c: Commit) -> Unit:
    day = c.date.date().isoformat() if c.date else "an unknown date"
    text = f"{c.author} committed {c.sha[:10]} on {day}.\n\n{c.message.strip()}"
    meta = {
        "kind": "commit",
        "repo": repo.name,
        "sha": c.sha,
        "author": c.author,
        "email": c.email,
        "speaker": c.author,
        "occurred_at": c.date.isoformat() if c.date else None,
        "files": c.files[:MAX_FILES_LISTED],
        "files_changed": len(c.files),
    }
    source = repo.key(c.sha)
    ep = Episode(text, source, c.date, meta)
    return Unit(source, "commit", [ep], content_hash(text), c.subject[:60], text, c.date,
                legacy_keys=repo.legacy_keys(c.sha))  # fmt: skip


def author_units(repo: RepoNames, commits: list[Commit]) -> list[Unit]:
    """One unit per distinct author: who they are, under which e-mail, and their activity span."""
    by_email: dict[str, list[Commit]] = {}
    for c in commits:
        by_email.setdefault((c.email or c.author).lower(), []).append(c)
    units = []
    for email, cs in sorted(by_email.items()):
        names = sorted({c.author for c in cs if c.author})
        name = cs[-1].author or email
        first, last = cs[0].date, cs[-1].date
        span = f" between {first.date()} and {last.date()}" if first and last else ""
        text = f"{name} <{email}> is a contributor to {repo.name}; made {len(cs)} commit(s){span}."
        if len(names) > 1:
            text += " Also commits as " + ", ".join(n for n in names if n != name) + "."
        meta = {"kind": "author", "repo": repo.name, "name": name, "email": email,
                "aliases": [email, *[n for n in names if n != name]]}  # fmt: skip
        source = repo.key("author", email)
        ep = Episode(text, source, last, meta)
        units.append(Unit(source, "author", [ep], content_hash(text), name, None, last,
                          legacy_keys=repo.legacy_keys("author", email)))  # fmt: skip
    return units


def last_touched(commits: list[Commit]) -> dict[str, datetime]:
    out: dict[str, datetime] = {}
    for c in commits:  # oldest first: later commits overwrite
        if c.date:
            for f in c.files:
                out[f] = c.date
    return out


def repo_units(
    repo: Path,
    *,
    files: bool = True,
    max_commits: int | None = None,
    suffixes: frozenset[str] = TEXT_SUFFIXES,
) -> Iterator[Unit | Problem]:
    """Everything in a repository, as units (authors, commits, files) or problems.

    `suffixes` picks which tracked files become documents (default: every text-like file).
    """
    names = RepoNames.of(repo)
    try:
        commits = read_log(repo, max_commits)
    except GitError as e:
        yield Problem(f"git:{names.name}", f"git log failed: {e}", "failed")
        commits = []
    yield from author_units(names, commits)
    yield from (commit_unit(names, c) for c in commits)
    if files:
        yield from _file_units(repo, names, last_touched(commits), suffixes)


def _file_units(
    repo: Path, names: RepoNames, touched: dict[str, datetime], suffixes: frozenset[str]
) -> Iterator[Unit | Problem]:
    try:
        tracked = [n for n in _git(repo, "ls-files", "-z").split("\x00") if n]
    except GitError as e:
        yield Problem(f"git:{names.name}", f"git ls-files failed: {e}", "failed")
        return
    for rel in sorted(tracked):
        path = repo / rel
        if path.suffix.lower() not in suffixes or not path.is_file():
            continue
        doc = read_text(path, label=rel)
        if isinstance(doc, Problem):
            yield doc
            continue
        yield document_unit(doc, names.key(rel), rel, legacy_keys=names.legacy_keys(rel),
                            fallback_date=touched.get(rel))  # fmt: skip
