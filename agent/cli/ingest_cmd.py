"""`engram ingest PATH`: a git repository, a folder of documents, or an issues export → memory.

Progress bars on a terminal (stderr), a summary at the end (ingested / already done / skipped /
failed, with reasons), `--json` for one document on stdout. Re-running skips what is done.

With `--rlm` and an endpoint, the whole input is then read by the RLM as one corpus
(agent.ingest.corpus_ingest): findings across units become episodes citing their units and
spans. If every RLM batch failed the exit code says so (6: the endpoint did not answer; 1: the
answers were unusable); the raw episodes are stored either way.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from agent.cli.errors import EXIT_FAILED, EXIT_LLM, EXIT_STORAGE
from agent.ingest.corpus_ingest import CorpusReader, CorpusSettings
from agent.ingest.issues_export import load_export
from agent.ingest.pipeline import Ingestor, IngestReport
from agent.ingest.walk import detect_kind

__all__ = ["register", "cmd_ingest", "RichProgress", "format_report"]


def register(sub: Any) -> None:
    p = sub.add_parser(
        "ingest", help="ingest a git repository, a folder of documents, or an issues export"
    )
    p.add_argument("path", help="repository, folder, document, or issues export (.json)")
    p.add_argument("--bank", default=None, help="memory bank (default: ENGRAM_BANK or 'default')")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.add_argument("--rlm", action="store_true",
                   help="then read the whole input as one corpus with the RLM: decisions, owners, "
                        "links, open problems, each citing its units (needs an LLM endpoint)")  # fmt: skip
    p.add_argument("--rlm-batch-chars", type=int, default=None, metavar="CHARS",
                   help="corpus text per RLM run (default: ENGRAM_RLM_BATCH_CHARS, 120000)")  # fmt: skip
    p.add_argument("--rlm-concurrency", type=int, default=None, metavar="N",
                   help="RLM batches run at once (default: ENGRAM_RLM_CONCURRENCY, 2)")  # fmt: skip
    p.add_argument("--rlm-max-cost", type=float, default=None, metavar="USD",
                   help="spending limit for all RLM runs of this ingest (default: ENGRAM_RLM_MAX_COST)")  # fmt: skip
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_ingest)


class RichProgress:
    """A rich progress bar on stderr (only used on a terminal)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._p = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("[dim]{task.fields[item]}"),
            console=Console(stderr=True),
            transient=False,
        )
        self._task: Any = None

    def start(self, total: int, description: str) -> None:
        self._p.start()
        self._task = self._p.add_task(description, total=total, item="")

    def advance(self, label: str) -> None:
        self._p.update(self._task, advance=1, item=label[:60])

    def stop(self) -> None:
        self._p.stop()


def format_report(report: IngestReport, limit: int = 20) -> str:
    d = report.to_dict()
    lines = [
        f"ingested {d['ingested']} of {d['units']} {d['kind']} unit(s) into bank {d['bank']!r} "
        f"({d['episodes']} episodes) in {d['duration_s']:.1f}s; already done {d['already_done']}, "
        f"skipped {d['skipped']}, failed {d['failed']}, warnings {d['warnings']}"
    ]
    if (r := d.get("rlm")) is not None:
        lines.append(
            f"  RLM: read {r['changed']} of {r['units']} unit(s) in {r['batches']} batch(es), "
            f"{r['runs']} run(s), {r['findings']} finding(s) kept, {r['dropped']} dropped, "
            f"{r['failed']} batch(es) failed, {r['skipped']} not started; "
            f"{r['tokens']:,} tokens, ${r['cost']:.4f}"
        )
    for p in report.problems[:limit]:
        lines.append(f"  {p.status:8} {p.item}: {p.reason}")
    if len(report.problems) > limit:
        lines.append(f"  ... and {len(report.problems) - limit} more (use --json for all)")
    if report.stopped_by:
        lines.append(f"  stopped: {report.not_attempted} unit(s) not attempted; run the same "
                     "command again once storage is back")  # fmt: skip
    return "\n".join(lines)


def cmd_ingest(args: argparse.Namespace) -> int:
    from agent.cli.remote import remote_engram
    from agent.wiring import from_env

    path = Path(args.path).expanduser()
    if detect_kind(path) == "issues":  # fail fast, before the store and embedder load
        load_export(path)
    with remote_engram() or from_env() as engram:  # ENGRAM_URL: into a running engram serve
        return _run(args, path, engram)


def _run(args: argparse.Namespace, path: Path, engram: Any) -> int:
    bank = args.bank or engram.settings.bank
    show = not args.no_progress and sys.stderr.isatty()
    corpus = None
    if args.rlm:
        if engram.rlm is None:
            print("engram ingest: --rlm needs an LLM endpoint (set OPENAI_BASE_URL / "
                  "OPENAI_API_KEY); using the offline extractor only", file=sys.stderr)  # fmt: skip
        else:
            corpus = CorpusReader(engram.rlm, corpus_settings(args, engram.settings),
                                  progress=RichProgress() if show else None)  # fmt: skip
    ingestor = Ingestor(engram.memory, engram.ingest_state(), corpus=corpus,
                        progress=RichProgress() if show else None)  # fmt: skip
    report = ingestor.ingest(path, bank=bank)
    if args.json:
        print(json.dumps(report.to_dict()))
    else:
        print(format_report(report))
    if report.stopped_by:
        print(f"engram: ingest stopped: {report.stopped_by}", file=sys.stderr)
        return EXIT_STORAGE
    rlm = report.rlm
    if (
        rlm
        and rlm["batches"]
        and rlm["failed"] + rlm["skipped"] == rlm["batches"]
        and rlm["failed"]
    ):
        print(f"engram: ingest --rlm: every RLM batch failed ({rlm['failed']}); the raw episodes "
              "are stored, run the same command again to read the corpus", file=sys.stderr)  # fmt: skip
        return EXIT_LLM if rlm["endpoint_failed"] else EXIT_FAILED
    return EXIT_FAILED if report.count("failed") and not report.ingested and report.units else 0


def corpus_settings(args: argparse.Namespace, settings: Any) -> CorpusSettings:
    """Flags first, then the environment (agent.wiring.Settings)."""
    from agent.cli.errors import CLIError

    for name in ("rlm_batch_chars", "rlm_concurrency", "rlm_max_cost"):
        value = getattr(args, name)
        if value is not None and value <= 0:
            raise CLIError(f"--{name.replace('_', '-')} must be positive, not {value}")
    return CorpusSettings(
        batch_chars=args.rlm_batch_chars or settings.rlm_batch_chars,
        concurrency=args.rlm_concurrency or settings.rlm_concurrency,
        max_cost=args.rlm_max_cost if args.rlm_max_cost is not None else settings.rlm_max_cost,
    )
