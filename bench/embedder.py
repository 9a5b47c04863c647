"""Embedder throughput and fidelity: sentences/s per engine variant, all in one process.

    python -m bench.embedder [--n 2000] [--repeats 3] [--variants torch_fp32,onnx_t1,...]

The same `n` sentences (LoCoMo turns from ../shared/data/locomo/locomo_dev.json plus short
synthetic project facts, 3:1) go through every variant; rounds are interleaved and each
variant's speed is also taken as a ratio to `torch_fp32` (sentence-transformers fp32, the
reference) in the same round, because the machine is shared. Fidelity per variant: cosine to
the reference vectors (min/mean over all sentences) and top-10 overlap of a retrieval check
(LoCoMo questions as queries over the sentences). The last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["corpus", "facts", "questions", "VARIANTS", "main"]

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "locomo" / "locomo_dev.json"
VARIANTS = (
    "torch_fp32",
    "torch_fp32_t2",
    "torch_fp32_len128",
    "torch_int8",
    "onnx_t1",
    "onnx_t2",
    "onnx_t1_unsorted",
    "onnx_int8_t1",
    "bf16_t1",
    "bf16_t2",
)
Encode = Callable[[list[str]], Any]


def _turns(path: Path) -> list[str]:
    out = []
    for conv in json.loads(path.read_text()):
        c = conv["conversation"]
        for key in sorted(k for k in c if k.startswith("session_") and isinstance(c[k], list)):
            out += [f"{t['speaker']}: {t['text']}" for t in c[key] if t.get("text")]
    return out


def facts(n: int, seed: int = 3) -> list[str]:
    """`n` short synthetic project facts (deterministic)."""
    rng = random.Random(seed)
    people = ["Sarah", "Tom", "Priya", "Mateo", "Aiko", "Jonas", "Fatima", "Liam", "Chen", "Olga"]
    things = ["the PostgreSQL migration", "the batch API", "the auth service", "the CI runners"]
    teams = ["platform", "billing", "search", "mobile", "infra", "data"]
    forms = [
        "{p} finished {t} {n} days early.",
        "{p} is blocked on {t} because the {team} team has not reviewed the design.",
        "The {team} team chose Redis over Memcached for {t}.",
        "{p} thinks {t} is the right next priority.",
        "The deadline for {t} moved to {n} March.",
    ]
    return [
        rng.choice(forms).format(
            p=rng.choice(people), t=rng.choice(things), team=rng.choice(teams), n=rng.randint(2, 30)
        )
        for _ in range(n)
    ]


def corpus(n: int, path: Path = DATA) -> list[str]:
    """`n` sentences: evenly spread LoCoMo turns (3/4) and synthetic short facts (1/4)."""
    turns = _turns(path)
    n_turns = min(len(turns), n * 3 // 4)
    step = len(turns) / n_turns
    picked = [turns[int(i * step)] for i in range(n_turns)]
    return picked + facts(n - n_turns)


def questions(n: int, path: Path = DATA) -> list[str]:
    qs = [q["question"] for conv in json.loads(path.read_text()) for q in conv["qa"]]
    step = max(1, len(qs) // n)
    return qs[::step][:n]


def _torch_encoder(threads: int, max_len: int | None = None, int8: bool = False) -> Encode:
    import torch

    from storage.embedder import _load_torch_model

    model = _load_torch_model()
    if max_len or int8:
        model = copy.deepcopy(model)
    if max_len:
        model.max_seq_length = max_len
    if int8:
        model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)

    def encode(texts: list[str]) -> Any:
        torch.set_num_threads(threads)
        return model.encode(
            texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False
        )

    return encode


def _onnx_encoder(cache: Path, threads: int, quantized: bool = False, sort: bool = True) -> Encode:
    import numpy as np

    from storage.embedder import _load_onnx

    model = _load_onnx(cache, threads, 64, quantized)
    if sort:
        return model.encode  # type: ignore[no-any-return]
    return lambda texts: np.concatenate(
        [model.encode(texts[i : i + 64]) for i in range(0, len(texts), 64)]
    )


def _bf16_encoder(threads: int) -> Encode:
    from storage.embedder import _load_bf16

    model = _load_bf16(threads, 64)

    def encode(texts: list[str]) -> Any:
        import torch

        torch.set_num_threads(threads)
        return model.encode(texts)

    return encode


def build(name: str, cache: Path) -> Encode:
    table: dict[str, Callable[[], Encode]] = {
        "torch_fp32": lambda: _torch_encoder(1),
        "torch_fp32_t2": lambda: _torch_encoder(2),
        "torch_fp32_len128": lambda: _torch_encoder(1, max_len=128),
        "torch_int8": lambda: _torch_encoder(1, int8=True),
        "onnx_t1": lambda: _onnx_encoder(cache, 1),
        "onnx_t2": lambda: _onnx_encoder(cache, 2),
        "onnx_t1_unsorted": lambda: _onnx_encoder(cache, 1, sort=False),
        "onnx_int8_t1": lambda: _onnx_encoder(cache, 1, quantized=True),
        "bf16_t1": lambda: _bf16_encoder(1),
        "bf16_t2": lambda: _bf16_encoder(2),
    }
    return table[name]()


def fidelity(ref: Any, got: Any, ref_q: Any, got_q: Any, k: int = 10) -> dict[str, float]:
    import numpy as np

    cos = np.sum(ref * got, axis=1)
    top_ref = np.argsort(-(ref_q @ ref.T), axis=1)[:, :k]
    top_got = np.argsort(-(got_q @ got.T), axis=1)[:, :k]
    overlap = [len(set(a) & set(b)) / k for a, b in zip(top_ref, top_got, strict=True)]
    return {
        "cos_min": round(float(cos.min()), 5),
        "cos_mean": round(float(cos.mean()), 6),
        "top10_overlap_mean": round(float(np.mean(overlap)), 4),
        "top10_overlap_min": round(float(np.min(overlap)), 2),
    }


def token_stats(texts: Sequence[str]) -> dict[str, Any]:
    from storage.embedder import _model_dir
    from storage.minilm_runtime import load_tokenizer

    tok = load_tokenizer(_model_dir() / "tokenizer.json", 10_000)
    lens = sorted(len(e.ids) for e in tok.encode_batch(list(texts)))
    return {
        "wordpieces_median": lens[len(lens) // 2],
        "wordpieces_max": lens[-1],
        "over_128": sum(x > 128 for x in lens),
        "over_256": sum(x > 256 for x in lens),
    }


def _timed(encode: Encode, texts: list[str]) -> tuple[float, float, Any]:
    """(wall seconds, process CPU seconds, vectors)."""
    t0, c0 = time.perf_counter(), time.process_time()
    vecs = encode(texts)
    return time.perf_counter() - t0, time.process_time() - c0, vecs


def run(variants: Sequence[str], texts: list[str], qs: list[str], repeats: int) -> dict[str, Any]:
    """Export into a throwaway cache (the export is part of no timing), then measure."""
    with tempfile.TemporaryDirectory(prefix="engram-bench-emb-") as tmp:
        encoders = {name: build(name, Path(tmp)) for name in variants}
        return _measure(encoders, texts, qs, repeats)


def _measure(
    encoders: dict[str, Encode], texts: list[str], qs: list[str], repeats: int
) -> dict[str, Any]:
    variants = list(encoders)
    for enc in encoders.values():  # warm-up (lazy init, allocator)
        enc(texts[:64])
    speeds: dict[str, list[float]] = {v: [] for v in variants}
    cpu_speeds: dict[str, list[float]] = {v: [] for v in variants}
    ratios: dict[str, list[float]] = {v: [] for v in variants}
    vecs: dict[str, Any] = {}
    for r in range(repeats):
        order = list(variants) if r % 2 == 0 else list(reversed(variants))
        secs = {}
        for name in order:
            secs[name], cpu, vecs[name] = _timed(encoders[name], texts)
            speeds[name].append(len(texts) / secs[name])
            cpu_speeds[name].append(len(texts) / cpu)
        for name in variants:
            ratios[name].append(secs["torch_fp32"] / secs[name])
        print(f"round {r + 1}: " + ", ".join(f"{v} {speeds[v][-1]:.0f}/s" for v in variants))
    ref, ref_q = vecs["torch_fp32"], encoders["torch_fp32"](qs)
    return {
        name: {
            "sentences_per_s": round(statistics.median(speeds[name]), 1),
            "x_vs_torch_fp32": round(statistics.median(ratios[name]), 2),
            "sentences_per_cpu_s": round(statistics.median(cpu_speeds[name]), 1),
            **fidelity(ref, vecs[name], ref_q, encoders[name](qs)),
        }
        for name in variants
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    args = ap.parse_args(argv)
    variants = [v for v in args.variants.split(",") if v]
    if "torch_fp32" not in variants:
        variants.insert(0, "torch_fp32")
    texts, qs = corpus(args.n), questions(args.queries)
    stats = token_stats(texts)
    print(f"{len(texts)} sentences, {len(qs)} queries; {stats}", file=sys.stderr)
    result = run(variants, texts, qs, args.repeats)
    print(json.dumps({"n": len(texts), "queries": len(qs), "tokens": stats, "variants": result}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
