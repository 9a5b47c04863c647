"""`engram ingest --rlm` on a generated repository: time, tokens and dollars per phase.

    .venv/bin/python -m bench.corpus_ingest            # --files 40 --batch-chars 120000 --concurrency 2

Builds a git repository of `--files` small files (bench/corpus_fixture.py) in a temporary
folder and ingests it three times into a fresh embedded memory (real store, MiniLM, the
offline extractor) with the RLM reading the corpus through the real `openai` client against
the local scripted endpoint (bench/scripted_endpoint.py, model name gpt-4o-mini so that
rlm/prices.py prices the tokens it reports, ~chars/4): a first run (everything new), a run
after one file was edited (only its batch is re-read), and an unchanged run (no RLM call).
The scripted root answers each run with one REPL cell (findings computed from `context`), so
the figures are engram's own overhead — sandbox start, context transfer, validation, retain —
plus the token count a real model would be billed for the same prompts. The last stdout line
is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.corpus_fixture import corpus_responder, make_repo
from bench.scripted_endpoint import ScriptedEndpoint

__all__ = ["main", "run"]

MODEL = "gpt-4o-mini"


def _phase(engram: Any, repo: Path, settings: Any, ep: ScriptedEndpoint) -> dict[str, Any]:
    from agent.ingest.corpus_ingest import CorpusReader
    from agent.ingest.pipeline import Ingestor

    before = len(ep.chat_requests)
    t0 = time.perf_counter()
    reader = CorpusReader(engram.rlm, settings)
    report = Ingestor(engram.memory, engram.ingest_state(), corpus=reader).ingest(repo)
    total = time.perf_counter() - t0
    r = report.rlm or {}
    return {
        "total_s": round(total, 3),
        "rlm_s": r.get("duration_s"),
        "raw_s": round(total - (r.get("duration_s") or 0.0), 3),
        "units": report.units,
        "ingested": report.ingested,
        "changed": r.get("changed"),
        "batches": r.get("batches"),
        "runs": r.get("runs"),
        "calls": len(ep.chat_requests) - before,
        "findings": r.get("findings"),
        "dropped": r.get("dropped"),
        "failed": r.get("failed"),
        "tokens": r.get("tokens"),
        "cost_usd": r.get("cost"),
        "max_in_flight": r.get("max_in_flight"),
    }


def run(files: int, batch_chars: int, concurrency: int) -> dict[str, Any]:
    from agent.ingest.corpus_ingest import CorpusSettings
    from agent.wiring import from_env

    settings = CorpusSettings(batch_chars=batch_chars, concurrency=concurrency)
    with tempfile.TemporaryDirectory() as tmp, ScriptedEndpoint(corpus_responder()) as ep:
        repo = make_repo(Path(tmp) / "repo", n_files=files)
        env = {**os.environ, "ENGRAM_HOME": str(Path(tmp) / "home"), "OPENAI_BASE_URL": ep.base_url,
               "OPENAI_API_KEY": "k", "ENGRAM_ROOT_MODEL": MODEL, "ENGRAM_LM_MAX_RETRIES": "0"}  # fmt: skip
        for var in ("ENGRAM_DATABASE_URL", "ENGRAM_CHROMA_URL", "ENGRAM_URL", "ENGRAM_MEMORY_LLM"):
            env.pop(var, None)
        with from_env(env) as engram:
            first = _phase(engram, repo, settings, ep)
            edited = next(iter(sorted((repo / "docs" / "adr").glob("*.md"))))
            edited.write_text(edited.read_text() + "\nWe decided to keep the old backups.\n")
            one_edit = _phase(engram, repo, settings, ep)
            unchanged = _phase(engram, repo, settings, ep)
    return {
        "files": files,
        "batch_chars": batch_chars,
        "concurrency": concurrency,
        "model_priced_as": MODEL,
        "first": first,
        "one_file_edited": one_edit,
        "unchanged": unchanged,
        "goals": {
            "unchanged_calls==0": unchanged["calls"] == 0,
            "one_edit_batches==1": one_edit["batches"] == 1,
            "first_failed==0": first["failed"] == 0,
        },
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--files", type=int, default=40)
    p.add_argument("--batch-chars", type=int, default=120_000)
    p.add_argument("--concurrency", type=int, default=2)
    args = p.parse_args(argv)
    print(json.dumps(run(args.files, args.batch_chars, args.concurrency)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
