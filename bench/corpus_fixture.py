"""A generated corpus (git repository, issues export) and a scripted RLM root for it.

Shared by tests/agent/test_ingest_corpus.py and bench/corpus_ingest.py. The scripted root model
answers every root turn with one REPL cell: plain Python that walks `context['manifest']`,
reads each unit's text and cites the sentences it keeps verbatim (what a model's code would do),
then calls FINAL with the findings JSON. Nothing here knows the generated texts' answers.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

__all__ = ["make_repo", "make_issues_export", "findings_cell", "corpus_responder"]

_PEOPLE = [("Alice Chen", "alice@example.com"), ("Bob Stone", "bob@example.com"),
           ("Carol Diaz", "carol@example.com"), ("Dan Wu", "dan@example.com")]  # fmt: skip
_TECH = [("PostgreSQL", "MySQL lacked partial indexes"), ("Redis", "the cache misses doubled"),
         ("Kafka", "the queue lost events under load"), ("gRPC", "JSON parsing dominated latency"),
         ("Terraform", "manual changes drifted"), ("OpenTelemetry", "traces were incomplete")]  # fmt: skip
_SERVICES = ["billing", "search", "auth", "payments", "ingest", "reports", "gateway", "alerts"]


def _git(root: Path, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={**os.environ, **(env or {})})  # fmt: skip


def _files(n: int) -> dict[str, str]:
    out: dict[str, str] = {}
    for i in range(n):
        person = _PEOPLE[i % len(_PEOPLE)][0]
        svc = _SERVICES[i % len(_SERVICES)]
        tech, why = _TECH[i % len(_TECH)]
        kind = i % 4
        if kind == 0:
            out[f"docs/adr/adr-{i:02d}.md"] = (
                f"# ADR {i}: {tech} for {svc}\n\nDate: 2025-10-{1 + i % 28:02d}\n\n"
                f"We decided to use {tech} for the {svc} service because {why}.\n"
            )
        elif kind == 1:
            out[f"team/{svc}-{i:02d}.md"] = (
                f"# {svc.title()} team\n\n{person} owns the {svc} service.\n\n"
                f"On-call rotates weekly; see issue #{1 + i % 6} for the handover.\n"
            )
        elif kind == 2:
            out[f"notes/2025-10-{1 + i % 28:02d}-{svc}.md"] = (
                f"# Notes {i}\n\n{person} reviewed the {svc} dashboards.\n\n"
                f"TODO: the {svc} retry policy is still open after the incident.\n"
            )
        else:
            out[f"src/{svc}_{i:02d}.py"] = (
                f'"""The {svc} worker {i}."""\n\n\ndef run() -> str:\n    return "{svc}-{i}"\n'
            )
    return out


def make_repo(root: Path, n_files: int = 40, commits: int = 8) -> Path:
    """A git repository of `n_files` small files added over `commits` commits by four people."""
    root.mkdir(parents=True, exist_ok=True)
    _git(root, "init", "-q", "-b", "main")
    items = sorted(_files(n_files).items())
    per = max(1, len(items) // commits)
    for c in range(commits):
        chunk = items[c * per : (c + 1) * per] if c < commits - 1 else items[c * per :]
        if not chunk:
            continue
        for rel, text in chunk:
            f = root / rel
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text(text)
            _git(root, "add", rel)
        name, email = _PEOPLE[c % len(_PEOPLE)]
        date = f"2025-10-{1 + c * 3:02d}T10:00:00+00:00"
        env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date,
               "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email,
               "GIT_COMMITTER_DATE": date}  # fmt: skip
        _git(root, "commit", "-q", "-m", f"Add batch {c} of documents (refs #{1 + c % 6})", env=env)
    return root


def make_issues_export(path: Path, n: int = 8) -> Path:
    """A REST-shaped issues export; later issues mention earlier ones."""
    issues: list[dict[str, Any]] = []
    for i in range(1, n + 1):
        login = _PEOPLE[i % len(_PEOPLE)][0].split()[0].lower()
        tech, why = _TECH[i % len(_TECH)]
        svc = _SERVICES[i % len(_SERVICES)]
        body = f"The {svc} service is slow since the last release."
        if i > 1:
            body += f" This looks related to #{i - 1}."
        comments = [{"id": 100 + i, "user": {"login": "carol"},
                     "created_at": f"2025-10-{i + 1:02d}T12:00:00Z",
                     "body": f"We decided to move {svc} to {tech} because {why}."}]  # fmt: skip
        issues.append({"number": i, "title": f"{svc} is slow", "body": body,
                       "user": {"login": login}, "created_at": f"2025-10-{i:02d}T09:00:00Z",
                       "html_url": f"https://github.com/acme/api/issues/{i}",
                       "labels": [{"name": "perf"}], "state": "open",
                       "comments": comments})  # fmt: skip
    path.write_text(json.dumps(issues))
    return path


_CELL = r"""
import json, re
found = []
units = context['units']
for row in context['manifest']:
    if row['role'] != 'read':
        continue
    uid = row['id']
    text = units[uid]
    for sent in re.split(r'(?<=[.!?])\s+|\n+', text):
        s = sent.strip()
        low = ' ' + s.lower() + ' '
        if len(s) < 15:
            continue
        if ' decided ' in low:
            reason = s.split('because', 1)[1].strip(' .') if 'because' in s else None
            found.append({'type': 'decision', 'text': s, 'reason': reason,
                          'date': row['date'], 'cites': [{'unit': uid, 'quote': s}]})
        elif ' owns ' in low:
            found.append({'type': 'ownership', 'text': s, 'who': s.split(' owns ')[0],
                          'cites': [{'unit': uid, 'quote': s}]})
        elif 'todo' in low or 'still open' in low:
            found.append({'type': 'open_problem', 'text': s, 'cites': [{'unit': uid, 'quote': s}]})
        for n in re.findall(r'#(\d+)', s):
            target = 'issue#' + n
            if target in units and target != uid:
                head = units[target].splitlines()[0]
                found.append({'type': 'link', 'text': uid + ' refers to ' + target,
                              'cites': [{'unit': uid, 'quote': s}, {'unit': target, 'quote': head}]})
found += EXTRA
print(len(found), 'findings')
FINAL(json.dumps({'findings': found}))
"""


def findings_cell(extra: list[dict[str, Any]] | None = None) -> str:
    """The scripted root's reply: one REPL cell computing findings, then FINAL."""
    code = _CELL.replace("EXTRA", repr(extra or []))
    return f"```repl\n{code.strip()}\n```"


def corpus_responder(extra: list[dict[str, Any]] | None = None) -> Any:
    """A ScriptedEndpoint responder answering every root turn with `findings_cell(extra)`."""
    reply = findings_cell(extra)

    def respond(request: dict[str, Any]) -> str:
        return reply

    return respond
