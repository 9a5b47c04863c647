"""An issues export: a JSON list of GitHub issues with comments, authors, labels and dates.

Both the REST API shape (`user.login`, `created_at`, `labels[].name`) and the `gh issue list
--json` shape (`author.login`, `createdAt`) are read. A file that is not a JSON list of objects
raises `MalformedExportError`; a bad issue or comment inside a good file is reported as a
`Problem` and the rest is ingested.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from agent.ingest.documents import parse_datetime
from agent.ingest.errors import MalformedExportError
from agent.ingest.units import Episode, Problem, Unit, content_hash

__all__ = ["load_export", "issue_units", "export_units"]

_REPO_IN_URL = re.compile(r"github\.com/(?:repos/)?([^/]+/[^/]+)/(?:issues|pull)")


def load_export(path: Path) -> list[Any]:
    """The list of raw issues; raises MalformedExportError if the file is not such a list."""
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as e:
        raise MalformedExportError(path, f"not valid JSON ({e})") from e
    except OSError as e:
        raise MalformedExportError(path, f"unreadable ({e.strerror or e})") from e
    if isinstance(data, dict) and isinstance(data.get("issues"), list):
        data = data["issues"]
    if not isinstance(data, list):
        raise MalformedExportError(path, f"the top level is a {type(data).__name__}, not a list")
    if data and not any(isinstance(x, dict) for x in data):
        raise MalformedExportError(path, "the list holds no objects")
    return data


def _login(obj: dict[str, Any]) -> str | None:
    who = obj.get("user") or obj.get("author")
    if isinstance(who, dict):
        return who.get("login") or who.get("name")
    return who if isinstance(who, str) else None


def _created(obj: dict[str, Any]) -> datetime | None:
    raw = obj.get("created_at") or obj.get("createdAt")
    return parse_datetime(raw) if isinstance(raw, str) else None


def _labels(issue: dict[str, Any]) -> list[str]:
    out = []
    for lab in issue.get("labels") or []:
        name = lab.get("name") if isinstance(lab, dict) else lab
        if isinstance(name, str):
            out.append(name)
    return out


def _repo_name(issue: dict[str, Any]) -> str | None:
    for key in ("repository_url", "html_url", "url"):
        m = _REPO_IN_URL.search(str(issue.get(key) or ""))
        if m:
            return m.group(1)
    return None


def issue_units(issue: Any, index: int, export: Path) -> Iterator[Unit | Problem]:
    """One issue as a unit (its body and each comment an episode), or a problem. The key names
    the issue's repository when the export says it (`issue:owner/repo#12`), else the export
    file's absolute path (the old scheme used the file's name, shared by every `issues.json`)."""
    label = f"issue[{index}]"
    if not isinstance(issue, dict):
        yield Problem(label, f"not an object ({type(issue).__name__})", "failed")
        return
    number, title = issue.get("number"), issue.get("title")
    if not isinstance(number, int) or not isinstance(title, str):
        yield Problem(label, "missing an integer 'number' or a string 'title'", "failed")
        return
    created = _created(issue)
    if created is None:
        yield Problem(f"{label} #{number}", "missing or unreadable 'created_at'", "failed")
        return
    named = _repo_name(issue)
    repo = named or export.stem
    base = f"issue:{named or export.resolve().as_posix()}#{number}"
    legacy = [] if named else [f"issue:{export.stem}#{number}"]
    common = {"repo": repo, "number": number, "title": title, "labels": _labels(issue),
              "state": issue.get("state")}  # fmt: skip
    author = _login(issue) or "someone"
    body = str(issue.get("body") or "").strip()
    text = f'{author} opened issue #{number} "{title}" on {created.date()}.'
    if body:
        text += f"\n\n{body}"

    episodes = [Episode(text, base, created, {**common, "kind": "issue", "speaker": author})]
    problems: list[Problem] = []
    for j, c in enumerate(_comments(issue)):
        ep = _comment_episode(c, j, base, title, number, common)
        (problems if isinstance(ep, Problem) else episodes).append(ep)  # type: ignore[arg-type]
    yield from problems
    digest = content_hash(*(e.text for e in episodes))
    full = "\n\n".join(e.text for e in episodes)
    yield Unit(base, "issue", episodes, digest, f"#{number} {title[:50]}", full, created,
               legacy_keys=legacy)  # fmt: skip


def _comments(issue: dict[str, Any]) -> list[Any]:
    raw = issue.get("comments")
    if isinstance(raw, dict):  # GraphQL-ish {"nodes": [...]}
        raw = raw.get("nodes")
    return raw if isinstance(raw, list) else []  # the REST API gives a count here


def _comment_episode(
    c: Any, j: int, base: str, title: str, number: int, common: dict[str, Any]
) -> Episode | Problem:
    where = f"{base} comment {j}"
    if not isinstance(c, dict) or not str(c.get("body") or "").strip():
        return Problem(where, "comment is not an object with a 'body'", "failed")
    when = _created(c)
    if when is None:
        return Problem(where, "comment has no readable 'created_at'", "failed")
    who = _login(c) or "someone"
    head = f'{who} commented on issue #{number} "{title}" on {when.date()}.'
    text = f"{head}\n\n{c['body'].strip()}"
    cid = c.get("id", j)
    meta = {**common, "kind": "issue_comment", "speaker": who, "comment": cid}
    return Episode(text, f"{base}/comment/{cid}", when, meta)


def export_units(path: Path) -> Iterator[Unit | Problem]:
    data = load_export(path)
    for i, issue in enumerate(data):
        yield from issue_units(issue, i, path)
