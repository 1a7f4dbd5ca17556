"""Milliseconds per training step of the Forecasting recipe in lstm_core, on one BLAS thread.

    python3 benchmarks/forecast_step.py                  # this checkout
    PYTHONPATH=/tmp/old python3 benchmarks/forecast_step.py   # an older lstm_core, for before/after

The recipe's step: LSTM(50, return_sequences=True) -> LSTM(50) -> Dense(1) (readout "last"),
Adam (eps 1e-7), MSE, batch 32, over minibatches of 1,157 windows; shapes (T, I) = (1, 10), the
seed's one step of ten values, and (10, 1), ten steps of one value. Each figure is the lowest CPU
time (time.process_time) per step of --rounds one-epoch runs, so a burst of other work on a shared
machine spoils a round, not the result. The final loss is printed in full: a speed-up must not
change it.
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.append(str(Path(__file__).resolve().parents[1]))  # appended: a PYTHONPATH lstm_core comes first
import lstm_core as lc  # noqa: E402

N, H, BATCH = 1157, 50, 32  # Seattle's training windows, units per LSTM, Keras's default batch
SHAPES = [(1, 10), (10, 1)]  # (T, I)


def ms_per_step(T, I, rounds):
    """(lowest CPU ms per step over `rounds` one-epoch runs, the last run's final loss)."""
    rng = np.random.default_rng(0)
    X, Y = rng.uniform(size=(N, T, I)), rng.uniform(size=(N, 1))
    model = lc.Model.init("lstm", I, H, 1, num_layers=2, init="keras", readout="last", seed=0)
    steps = lc.steps_per_epoch(N, BATCH)
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for info in lc.train(model, lc.minibatches(X, Y, batch_size=BATCH, epochs=1, seed=0),
                             lc.mse_loss, lc.Adam(1e-3, eps=1e-7), steps=steps):
            pass
        best = min(best, (time.process_time() - start) / steps * 1e3)
    return best, info["loss"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=25, help="one-epoch runs per shape")
    args = parser.parse_args()
    with threadpool_limits(1):
        for T, I in SHAPES:
            ms, loss = ms_per_step(T, I, args.rounds)
            print(f"T={T:<2} I={I:<2}  {ms:6.3f} ms/step   final loss {loss!r}")


if __name__ == "__main__":
    main()
