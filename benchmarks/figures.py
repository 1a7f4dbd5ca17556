"""How long the training lab's live charts take to build: they redraw while models train.

    python3 benchmarks/figures.py

Builds each chart from a synthetic history of three models by 1,000 steps (evaluated every 10,
one divergence at step 900), the size a default run reaches, and prints the best of 5 builds in
a Markdown table against the 30 ms target. Timings belong here, not in tests.
"""
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ui.training import figures as tf  # noqa: E402 (after the path line, so the script runs from anywhere)

TARGET_MS, REPEATS = 30, 5


def history(n=1000, bad_from=900):
    """Three models' run items: a noisy falling loss, validation every 10 steps, NaN from bad_from."""
    out = {}
    for seed, kind in enumerate(("rnn_tanh", "lstm", "gru")):
        rng, items = np.random.default_rng(seed), []
        for step in range(1, n + 1):
            loss = math.nan if step >= bad_from else 0.7 * math.exp(-step / 300) * math.exp(rng.normal(0, 0.2))
            measured = step % 10 == 0
            items.append({"kind": kind, "step": step, "loss": loss, "done": step == n,
                          "val_loss": rng.uniform(0.05, 0.8) if measured else None,
                          "val_acc": rng.uniform(0.4, 1.0) if measured else None})
        out[kind] = items
    return out


def sweep():
    """A sweep's results for two models at five delays, three times over."""
    return [{"kind": k, "T": T, "val_acc": 0.5 + 0.5 / (1 + (T / f) ** 2)}
            for k, f in (("rnn_tanh", 20.0), ("lstm", 2000.0)) for T in (5, 10, 20, 50, 100)] * 3


def best_ms(build):
    """The fastest of REPEATS builds after one warm-up, in ms."""
    build()
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        build()
        times.append(time.perf_counter() - start)
    return 1000 * min(times)


def main():
    h = history()
    builds = {"loss_curves": lambda: tf.loss_curves(h, steps=1000),
              "accuracy_curves": lambda: tf.accuracy_curves(h, 0.5),
              "train_val_curves": lambda: tf.train_val_curves(h, "lstm"),
              "accuracy_vs_delay": lambda: tf.accuracy_vs_delay(sweep(), 0.5)}
    print(f"| training chart (3 models × 1000 steps) | best of {REPEATS} ms | target ms | met |")
    print("| --- | --- | --- | --- |")
    for name, build in builds.items():
        ms = best_ms(build)
        print(f"| `{name}` | {ms:.1f} | {TARGET_MS} | {'yes' if ms <= TARGET_MS else '**no**'} |")


if __name__ == "__main__":
    main()
