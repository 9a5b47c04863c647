"""A deterministic three-month project history for the examples (project "Atlas", 2025).

People appear under alias variants ("Alice Chen" / "Alice" / "Alice C."), a decision is
reversed (MySQL in September, PostgreSQL in October), deployments get blocked, opinions firm
up or collapse, and a reorg happens on 2025-11-03. Output: dated markdown notes (file-name
dates and front matter) and a GitHub-style issues export.

    python examples/project_history.py OUT_DIR [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

__all__ = ["ALIASES", "REORG_DATE", "generate", "write_history"]

REORG_DATE = "2025-11-03"
ALIASES = {
    "alice": ["Alice Chen", "Alice", "Alice C."],
    "bob": ["Bob Martinez", "Bob", "Bob M."],
    "sarah": ["Sarah Kim", "Sarah", "S. Kim"],
    "dmitri": ["Dmitri Volkov", "Dmitri", "Dmitri V."],
    "priya": ["Priya Patel", "Priya", "Priya P."],
}
LOGINS = {
    "alice": "achen",
    "bob": "bmartinez",
    "sarah": "skim",
    "dmitri": "dvolkov",
    "priya": "ppatel",
}

# Weekly standups: date -> lines ({alice} etc. become a seeded alias variant).
STANDUPS: dict[str, list[str]] = {
    "2025-09-08": ["{alice} set up the events service skeleton.",
                   "{sarah} started the login page, due on September 19.",
                   "{dmitri} started the CSV export job, due on September 26."],
    "2025-09-15": ["{sarah} finished the login page on September 12, a week ahead of schedule.",
                                      "We are confident the November 28 launch date is realistic."],
    "2025-09-22": ["{dmitri} says the CSV export job slipped by a week.",
                   "{bob} prepared the production cluster for the first deployment."],
    "2025-09-29": ["{bob} deployed v0.1 to production on September 26 without problems.",
                   "{dmitri} is still finishing the CSV export job."],
    "2025-10-06": ["{sarah} delivered the dashboard filters early, on Thursday instead of Monday.",
                   "{dmitri} finished the CSV export job on October 3, a week late.",
                   "{priya} ran the customer interviews for the batch API."],
    "2025-10-13": ["Reporting queries on MySQL take 40 seconds and replication lag blocked the nightly reports.",
                   "{alice} proposed moving the events store to PostgreSQL."],
    "2025-10-20": ["{alice} and {bob} are migrating the events store from MySQL to PostgreSQL.",
                   "Three customers asked for bulk import."],
    "2025-10-27": ["The v0.2 deployment on October 24 was blocked by a failing PostgreSQL migration script.",
                   "{alice} fixed the migration script and {bob} shipped v0.2 on October 27.",
                   "{sarah} wrapped up the chart export a week early."],
    "2025-11-10": ["{alice} now runs the Data team standup.",
                   "Usage data shows only 2% of accounts would use a batch export.",
                   "The streaming API is the priority now.",
                   "{dmitri} is still behind on the streaming API prototype."],
    "2025-11-17": ["{sarah} closed the accessibility fixes two days ahead of the deadline.",
                   "We are not sure that the November 28 launch date is realistic. The launch moves to December 12."],
    "2025-11-24": ["The v0.3 deployment on November 21 was blocked by an expired TLS certificate on the staging load balancer.",
                   "{bob} renewed the certificate and v0.3 shipped on November 24."],
}  # fmt: skip

RECORDS: list[dict[str, Any]] = [
    {"file": "kickoff.md", "date": "2025-09-01", "title": "Project Atlas kickoff", "body": [
        "Project Atlas kicks off today. {priya} is the project manager.",
        "{alice} leads the backend. {bob} owns infrastructure and deployments. "
        "{sarah} builds the dashboard. {dmitri} builds the export service.",
        "The launch is planned for November 28."]},
    {"file": "2025-09-10-decision-database.md", "title": "ADR 1: events store", "body": [
        "Decision: we will use MySQL for the events store.",
        "Why: the team already knows MySQL and our hosting provider offers managed MySQL. "
        "{alice} proposed it and {priya} approved."]},
    {"file": "2025-10-14-decision-postgresql.md", "title": "ADR 2: PostgreSQL over MySQL", "body": [
        "Decision: we switch the events store from MySQL to PostgreSQL. This reverses ADR 1.",
        "Why PostgreSQL over MySQL: the reporting queries need window functions and JSONB, "
        "MySQL replication lag kept blocking the nightly reports, and in {bob}'s benchmark "
        "PostgreSQL cut the slowest report from 40 seconds to 3 seconds.",
        "{alice} proposed the switch and {priya} approved it on October 14."]},
    {"file": "2025-11-03-reorg.md", "title": "Reorg announcement", "body": [
        "Reorg: the platform team splits into a Data team and an Infra team, effective November 3.",
        "{alice} becomes tech lead of the Data team. {bob} moves to the Infra team. "
        "{dmitri} joins the Data team under {alice}. {sarah} stays on the dashboard."]},
]  # fmt: skip

ISSUES: list[dict[str, Any]] = [
    {"number": 12, "title": "Reports time out on MySQL", "by": "sarah", "at": "2025-10-07T09:12:00Z",
     "labels": ["bug", "database"], "body": "The weekly report takes 40 seconds and times out.",
     "comments": [("alice", "2025-10-08T10:00:00Z", "Replication lag on MySQL makes it worse. PostgreSQL window functions would fix the query.")]},
    {"number": 15, "title": "Migrate events store to PostgreSQL", "by": "alice", "at": "2025-10-14T15:00:00Z",
     "labels": ["database"], "body": "Follow-up of ADR 2. Migrate all event tables from MySQL to PostgreSQL.",
     "comments": [("bob", "2025-10-22T11:00:00Z", "Data copied; cut-over planned with the v0.2 deployment.")]},
    {"number": 18, "title": "Batch API proposal", "by": "priya", "at": "2025-09-16T08:00:00Z",
     "labels": ["feature"], "body": "Customers might want to upload events in bulk. Is a batch API our next feature?",
     "comments": [("priya", "2025-09-16T08:05:00Z", "Opening this for discussion. I think the batch API might be the right next feature."),
                  ("priya", "2025-10-06T17:00:00Z", "The customer interviews are done. I am fairly sure the batch API is the right next feature."),
                  ("alice", "2025-10-20T10:30:00Z", "Three customers asked for bulk import. I believe the batch API is the right next feature."),
                  ("priya", "2025-11-10T16:00:00Z", "Usage data shows only 2% of accounts would use it. I do not think the batch API is the right next feature. Closing; the streaming API comes first.")]},
    {"number": 21, "title": "v0.2 deployment blocked: migration script fails", "by": "bob", "at": "2025-10-24T13:30:00Z",
     "labels": ["blocker", "deployment"], "body": "The PostgreSQL migration script fails on the events table; v0.2 deployment is on hold.",
     "comments": [("alice", "2025-10-27T09:00:00Z", "Fixed the migration script; v0.2 is out.")]},
    {"number": 25, "title": "CSV export slipping", "by": "dmitri", "at": "2025-09-23T10:00:00Z",
     "labels": ["schedule"], "body": "The CSV export job will be a week late.", "comments": []},
    {"number": 34, "title": "v0.3 deployment blocked: staging TLS certificate expired", "by": "bob", "at": "2025-11-21T17:45:00Z",
     "labels": ["blocker", "deployment"], "body": "The TLS certificate on the staging load balancer expired; the v0.3 deployment cannot pass the smoke tests.",
     "comments": [("bob", "2025-11-24T08:30:00Z", "Renewed the certificate; v0.3 shipped.")]},
]  # fmt: skip


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def fill(self, template: str) -> str:
        return template.format(**{k: self.rng.choice(v) for k, v in ALIASES.items()})


def generate(seed: int = 7) -> dict[str, str]:
    """{relative path: content} for the whole history. Same seed, same bytes."""
    names = _Names(random.Random(seed))
    files: dict[str, str] = {}
    for rec in RECORDS:
        front = f"---\ntitle: {rec['title']}\n" + (
            f"date: {rec['date']}\n" if "date" in rec else ""
        )
        paras = [names.fill(p) for p in rec["body"]]
        files[f"notes/{rec['file']}"] = (
            front + f"---\n# {rec['title']}\n\n" + "\n\n".join(paras) + "\n"
        )
    for date, lines in STANDUPS.items():
        bullets = "\n".join(names.fill(line) for line in lines)
        files[f"notes/{date}-standup.md"] = f"# Standup {date}\n\n{bullets}\n"
    files["issues.json"] = json.dumps([_issue(i, names) for i in ISSUES], indent=1) + "\n"
    return files


def _issue(spec: dict[str, Any], names: _Names) -> dict[str, Any]:
    return {
        "number": spec["number"],
        "title": spec["title"],
        "body": names.fill(spec["body"]),
        "user": {"login": LOGINS[spec["by"]]},
        "created_at": spec["at"],
        "labels": [{"name": n} for n in spec["labels"]],
        "html_url": f"https://github.com/acme/atlas/issues/{spec['number']}",
        "comments": [
            {
                "id": spec["number"] * 100 + i,
                "user": {"login": LOGINS[who]},
                "created_at": at,
                "body": names.fill(text),
            }  # fmt: skip
            for i, (who, at, text) in enumerate(spec["comments"])
        ],
    }


def write_history(out: Path, seed: int = 7) -> Path:
    for rel, content in generate(seed).items():
        p = out / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(content, encoding="utf-8")
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    print(write_history(a.out, a.seed))
