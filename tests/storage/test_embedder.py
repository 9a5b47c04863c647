"""MiniLM engines: fidelity to sentence-transformers, ONNX cache reuse, fallbacks, edge cases."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import storage.embedder as emb
import storage.minilm_runtime as rt
import storage.onnx_embed as ox
from storage.embedder import MiniLMEmbedder
from storage.onnx_embed import OnnxUnavailable

GATE = 0.99
SENTENCES = [
    "Sarah finishes the PostgreSQL migration two weeks early.",
    "We picked PostgreSQL over MySQL in October because of JSONB.",
    "Caroline: I went to a LGBTQ support group yesterday and it was so powerful.",
    "Melanie: Wow, that's awesome! What did you paint last weekend?",
    "The deploy was blocked by the flaky CI runners.",
    "I think the batch API is the right next feature, fairly sure.",
    "Room 101 and Room 102 are booked for Tuesday.",
    "UA123 to Lisbon left at 9:40.",
    "ok",
    "",
    "   padded with spaces   ",
    "Émile a réservé la salle à Zürich pour jeudi.",
    "東京でのミーティングは来週です。",
    "Numbers 3.14159 and 2,718 and 1e-9 appear here.",
    "Tom joined the billing team to help with the rate limiter.",
    "Budget for the search index was cut by 20 percent after the infra review.",
    "Who finished the auth service early?",
    "What is Priya blocked on?",
] + [f"Fact {i}: {name} owns the {thing}." for i, (name, thing) in enumerate(
    [("Aiko", "audit log"), ("Chen", "data warehouse"), ("Olga", "mobile app"),
     ("Ravi", "onboarding flow"), ("Mei", "release pipeline"), ("Lars", "CI runners")]
)]  # fmt: skip
LONG = [
    "word " * 2000,
    "The quarterly planning notes are long. " * 120,
    "Short one.",
    "A medium sentence about the rollout, with a few more words than usual in it.",
]


@pytest.fixture(scope="module")
def reference() -> MiniLMEmbedder:
    return MiniLMEmbedder(backend="torch")


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("onnx-cache")


@pytest.fixture()
def no_amx(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rt, "amx_bf16_available", lambda *a: False)


def _cosines(a: list[list[float]], b: list[list[float]]) -> np.ndarray:
    return np.sum(np.asarray(a) * np.asarray(b), axis=1)


def _assert_close(got: list[list[float]], want: list[list[float]]) -> None:
    assert len(got) == len(want)
    cos = _cosines(got, want)
    assert cos.min() >= GATE, cos.min()
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)


# --- real model --------------------------------------------------------------------------


@pytest.mark.slow
def test_onnx_matches_reference_and_reuses_cache(
    reference: MiniLMEmbedder, onnx_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = MiniLMEmbedder(backend="onnx", cache_dir=onnx_cache)
    got = fast.embed(SENTENCES)
    assert fast.engine == "onnx"
    cos = _cosines(got, reference.embed(SENTENCES))
    assert cos.min() >= 0.9999, cos.min()
    files = list(onnx_cache.glob("*.onnx"))
    assert len(files) == 1 and not list(onnx_cache.glob("*.tmp"))
    mtime = files[0].stat().st_mtime_ns

    def no_export(*_a: object) -> None:
        raise AssertionError("the cached export must be reused")

    monkeypatch.setattr(ox, "_export_verified", no_export)
    monkeypatch.setattr(emb, "_MODELS", {})  # a fresh process, as far as the engine is concerned
    again = MiniLMEmbedder(backend="onnx", cache_dir=onnx_cache)
    assert _cosines(again.embed(SENTENCES[:3]), got[:3]).min() > 0.99999
    assert files[0].stat().st_mtime_ns == mtime


@pytest.mark.slow
def test_long_texts_truncate_like_reference_and_keep_order(
    reference: MiniLMEmbedder, onnx_cache: Path
) -> None:
    texts = LONG + SENTENCES[:4] + LONG[::-1]
    got = MiniLMEmbedder(backend="onnx", cache_dir=onnx_cache, batch_size=3).embed(texts)
    _assert_close(got, reference.embed(texts))
    assert _cosines(got[:4], got[-4:][::-1]).min() > 0.99999  # same text, same vector


@pytest.mark.slow
@pytest.mark.skipif(not rt.amx_bf16_available(), reason="CPU has no AMX bf16")
def test_bf16_matches_reference(reference: MiniLMEmbedder) -> None:
    fast = MiniLMEmbedder(backend="bf16")
    texts = SENTENCES + LONG
    got = fast.embed(texts)
    assert fast.engine == "bf16"
    cos = _cosines(got, reference.embed(texts))
    assert cos.min() >= 0.999, cos.min()
    assert MiniLMEmbedder().embed(["x"]) and MiniLMEmbedder()._pick()[1] == "bf16"


@pytest.mark.slow
def test_auto_falls_back_to_torch_when_cache_unwritable(
    reference: MiniLMEmbedder, tmp_path: Path, no_amx: None, caplog: pytest.LogCaptureFixture
) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("occupied")
    embedder = MiniLMEmbedder(cache_dir=not_a_dir / "models")
    with caplog.at_level(logging.WARNING, logger="storage.embedder"):
        got = embedder.embed(SENTENCES[:5])
    assert embedder.engine == "torch"
    assert "falling back to sentence-transformers" in caplog.text
    _assert_close(got, reference.embed(SENTENCES[:5]))


@pytest.mark.slow
def test_auto_falls_back_when_export_fails(
    tmp_path: Path, no_amx: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_model_dir: Path, dest: Path) -> None:
        dest.write_bytes(b"half a model")
        raise RuntimeError("exporter exploded")

    monkeypatch.setattr(ox, "_export_verified", broken)
    embedder = MiniLMEmbedder(cache_dir=tmp_path)
    with caplog.at_level(logging.WARNING, logger="storage.embedder"):
        assert len(embedder.embed(["hello"])) == 1
    assert embedder.engine == "torch" and "exporter exploded" in caplog.text
    assert list(tmp_path.iterdir()) == [tmp_path / ".export.lock"]  # no partial file left
    with pytest.raises(OnnxUnavailable, match="exporter exploded"):
        MiniLMEmbedder(backend="onnx", cache_dir=tmp_path).embed(["hello"])


# --- no model needed ---------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["auto", "bf16", "onnx-int8", "onnx", "torch"])
def test_empty_input_loads_nothing(backend: str) -> None:
    embedder = MiniLMEmbedder(backend=backend)  # type: ignore[arg-type]
    assert embedder.embed([]) == []
    assert embedder.engine is None


def test_unknown_backend_is_rejected() -> None:
    with pytest.raises(ValueError, match="backend"):
        MiniLMEmbedder(backend="gpu")  # type: ignore[arg-type]


def test_concurrent_exports_run_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def fake_export(_model_dir: Path, dest: Path) -> None:
        calls.append(1)
        time.sleep(0.2)
        dest.write_bytes(b"model")

    monkeypatch.setattr(ox, "_export_verified", fake_export)
    model_dir = emb._model_dir()
    paths: list[Path] = []
    threads = [
        threading.Thread(target=lambda: paths.append(ox.ensure_onnx(model_dir, tmp_path)))
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(set(paths)) == 1 and paths[0].read_bytes() == b"model"


def test_fingerprint_changes_with_recipe(monkeypatch: pytest.MonkeyPatch) -> None:
    model_dir = emb._model_dir()
    before = ox.onnx_path(model_dir, Path("/c"))
    monkeypatch.setattr(ox, "EXPORT_RECIPE", "minilm-onnx-test")
    monkeypatch.setattr(ox, "_FINGERPRINTS", {})
    assert ox.onnx_path(model_dir, Path("/c")) != before
    assert ox.onnx_path(model_dir, Path("/c"), quantized=True).name.endswith("-int8pc.onnx")


def test_amx_detection_reads_cpu_flags(tmp_path: Path) -> None:
    info = tmp_path / "cpuinfo"
    info.write_text("processor : 0\nflags : fpu avx512f amx_bf16 amx_tile\n")
    assert rt.amx_bf16_available(info)
    info.write_text("processor : 0\nflags : fpu avx2 fma\n")
    assert not rt.amx_bf16_available(info)
    assert not rt.amx_bf16_available(tmp_path / "missing")


def test_sorted_encoder_pools_and_restores_order() -> None:
    class Echo(rt.SortedEncoder):
        """Hidden state = token id on every dimension: pooled vector ∝ mean token id."""

        dim = 2
        batches: list[int] = []

        def _forward(self, arrays: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
            ids = arrays[0].astype(np.float32)
            self.batches.append(arrays[0].shape[1])
            return np.stack([ids, np.ones_like(ids)], axis=-1)

    enc = Echo(emb._model_dir() / "tokenizer.json", batch_size=2)
    texts = ["a much longer sentence than the others here", "hi", "hello there", "hi"]
    out = enc.encode(texts)
    assert np.allclose(out[1], out[3]) and not np.allclose(out[0], out[1])
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0)
    assert Echo.batches == sorted(Echo.batches)  # short batches first, little padding
    assert enc.encode([]).shape == (0, 2)


def test_mean_pool_ignores_padding() -> None:
    hidden = np.array([[[3.0, 4.0], [100.0, 100.0]]], dtype=np.float32)
    mask = np.array([[1, 0]])
    assert np.allclose(rt.mean_pool_normalise(hidden, mask), [[0.6, 0.8]])


@pytest.mark.slow
def test_quantized_model_from_an_empty_cache_exports_both(tmp_path: Path) -> None:
    """Regression: the int8 export took the export lock, then asked for the float model,
    which took the same flock again on another file handle and waited for itself forever."""
    done: list[Path] = []
    worker = threading.Thread(
        target=lambda: done.append(ox.ensure_onnx(emb._model_dir(), tmp_path, quantized=True)),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=300)
    assert done and done[0].name.endswith("-int8pc.onnx")
    assert ox.onnx_path(emb._model_dir(), tmp_path).is_file()  # the float model it came from


@pytest.mark.slow
def test_auto_without_amx_runs_int8_close_to_the_reference(
    reference: MiniLMEmbedder, onnx_cache: Path, no_amx: None
) -> None:
    embedder = MiniLMEmbedder(cache_dir=onnx_cache)
    texts = SENTENCES + LONG
    got = embedder.embed(texts)
    assert embedder.engine == "onnx-int8"
    cos = _cosines(got, reference.embed(texts))
    assert cos.mean() >= 0.985 and cos.min() >= 0.95, (cos.mean(), cos.min())
    assert MiniLMEmbedder(quantized=True).backend == "onnx-int8"
    with pytest.raises(ValueError, match="onnx-int8"):
        MiniLMEmbedder(backend="int4")  # type: ignore[arg-type]


def test_onnx_cache_dir_follows_the_environment(tmp_path: Path) -> None:
    from agent.wiring import build_embedder, settings_from_env

    def cache(**env: str) -> Path | None:
        return settings_from_env({"HOME": str(tmp_path / "home"), **env}).model_cache

    assert cache() == tmp_path / "home" / ".cache" / "engram" / "models"
    assert cache(XDG_CACHE_HOME=str(tmp_path / "xdg")) == tmp_path / "xdg" / "engram" / "models"
    both = {"XDG_CACHE_HOME": str(tmp_path / "xdg"), "ENGRAM_MODEL_CACHE": str(tmp_path / "m")}
    assert cache(**both) == tmp_path / "m"
    settings = settings_from_env({"HOME": str(tmp_path), "ENGRAM_MODEL_CACHE": str(tmp_path / "m")})
    assert build_embedder(settings).cache_dir == tmp_path / "m"  # type: ignore[attr-defined]


def test_loading_the_model_draws_no_progress_bar_and_leaves_the_setting_alone():
    """Every CLI command loads the model: transformers' "Loading weights" bar must not reach
    stderr, and a host application that wants transformers' bars keeps them."""
    import subprocess
    import sys

    code = (
        "from transformers.utils import logging as l\n"
        "import storage.embedder as e\n"
        "e._load_torch_model()\n"
        "print(l.is_progress_bar_enabled())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Loading weights" not in out.stderr
    assert out.stdout.strip() == "True"


@pytest.mark.slow
def test_reference_twin_is_float_and_matches_sentence_transformers(
    reference: MiniLMEmbedder, onnx_cache: Path, no_amx: None
) -> None:
    """Judgements against a fixed line (slot meaning, belief matching) use the float twin: its
    vectors are the float model's on any CPU, where int8's move with the instruction set."""
    embedder = MiniLMEmbedder(cache_dir=onnx_cache)
    twin = embedder.reference()
    assert twin is embedder.reference()  # one twin, loaded once
    got = twin.embed(SENTENCES)
    assert twin.engine == "onnx"
    assert np.allclose(got, reference.embed(SENTENCES), atol=1e-4)
    assert embedder.engine is None  # asking the twin loads nothing of the int8 engine
    for backend in ("onnx", "torch"):
        plain = MiniLMEmbedder(backend=backend, cache_dir=onnx_cache)  # type: ignore[arg-type]
        assert plain.reference() is plain
