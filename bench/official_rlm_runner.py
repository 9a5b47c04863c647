"""Run the official RLM (alexzhang13/rlm, PyPI `rlms`) once, for `bench.rlm_compare`.

Run with the Python of a separate venv holding `rlms` (its import name `rlm` clashes with
ours), in isolated mode so our repository is never on its path::

    bench/out/rlms-venv/bin/python -I bench/official_rlm_runner.py BASE_URL CONTEXT_FILE QUERY

Standard library + the official package only. Prints one JSON object: {"answer": ...}.
"""

import importlib
import json
import sys


def main() -> int:
    base_url, context_path, query = sys.argv[1:4]
    official = importlib.import_module("rlm")  # the official package, in its own venv
    kwargs = {"base_url": base_url, "api_key": "bench", "max_retries": 0}
    engine = official.RLM(
        backend="openai",
        backend_kwargs={"model_name": "bench-root", **kwargs},
        other_backends=["openai"],
        other_backend_kwargs=[{"model_name": "bench-sub", **kwargs}],
        environment="local",
        max_iterations=10,
    )
    with open(context_path, encoding="utf-8", errors="replace") as fh:
        context = fh.read()
    result = engine.completion(prompt=context, root_prompt=query)
    print(json.dumps({"answer": result.response}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
