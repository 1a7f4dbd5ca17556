"""Two of the notes' disadvantages as experiments: computational cost, and training difficulty.

    for item in timings(("rnn_tanh", "gru", "lstm"), (10, 50, 100), hidden_size=32):
        table.add(item["kind"], item["T"], item["seconds"], item["fraction"])
    for item in lr_sweep(LabConfig(T=20), (1e-3, 1e-2, 1e-1)):
        chart.add(item["kind"], item["lr"], item["val_loss"])

Cost: a recurrent cell's step t needs h_{t-1}, so the T steps of a sequence run one after the other.
Only the input part of every pre-activation, x_t W^x.T + b, does not depend on the past: the engine
computes it for all T steps at once, as one matrix product over T·B rows (numerics.project_inputs),
before the loop. `timings` measures both, in CPU time of the calling thread (`time.thread_time`:
what this computation cost, whatever else the machine runs; the app's BLAS runs on that one thread),
the median of `repeats` calls after a warm-up. The multiply-adds (`split_multiply_adds`) are the
deterministic side of the same story: the recurrent part, H·H per gate and step, is what must wait.

Training difficulty: `lr_sweep` trains the lab's models (lab.run_lab) once per learning rate, with
the same data, initial weights and batches, and reports each one's validation loss after the last step.
"""
import dataclasses
import math
import statistics
import time

import numpy as np

from .cells import CELLS, canonical
from .costs import COSTS, step_multiply_adds
from .lab import run_lab, validate
from .numerics import project_inputs

LIMITS = {"T": (1, 2000), "hidden_size": (1, 512), "input_size": (1, 64), "batch_size": (1, 256),
          "repeats": (1, 50)}  # what `timings` accepts
DIVERGED = math.inf  # the validation loss of a model whose loss became NaN or infinite


def split_multiply_adds(kind, input_size, hidden_size):
    """(input part, recurrent part) of one step's multiply-adds: each gate's x_t W^x.T (H·I, can run
    for all steps at once) and h_{t-1} W^h.T (H·H, plus a peephole's H: must wait for step t−1).
    Their sum is costs.step_multiply_adds."""
    c, H, I = COSTS[canonical(kind)], hidden_size, input_size
    return c.gates * H * I, c.gates * H * H + c.diagonal * H


def input_rows(kind, hidden_size):
    """The rows N of the input projection's weight (N, I): H per gate (the GRU's three, the LSTM's four)."""
    return COSTS[canonical(kind)].gates * hidden_size


def _check(name, value):
    """`value` as an int within LIMITS[name], or ValueError a student can read."""
    low, high = LIMITS[name]
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number between {low} and {high}, got {value!r}")
    return int(value)


def median_cpu_seconds(fn, repeats):
    """Median CPU seconds of this thread over `repeats` calls of fn(), after one warm-up call."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.thread_time()
        fn()
        times.append(time.thread_time() - start)
    return statistics.median(times)


def _inputs(T, batch_size, input_size, seed):
    """Seeded standard-normal inputs xs (T, B, I)."""
    return np.random.default_rng(seed).standard_normal((T, batch_size, input_size))


def measure(kind, T, *, hidden_size, input_size, batch_size, repeats, seed=0):
    """One kind's forward pass over T steps: {"kind", "T", "seconds" (the whole pass), "per_step"
    (seconds / T), "projection" (the all-steps-at-once input projection alone), "fraction"
    (projection / seconds, at most 1)}."""
    cell = CELLS[canonical(kind)]
    params = cell.init(input_size, hidden_size, seed=seed)
    xs = _inputs(T, batch_size, input_size, seed)
    N = input_rows(kind, hidden_size)
    Wx = np.random.default_rng(seed + 1).standard_normal((N, input_size))  # the projection's shape
    b, out = np.zeros(N), np.empty((T * batch_size, N))
    seconds = median_cpu_seconds(lambda: cell.forward(params, xs), repeats)
    projection = median_cpu_seconds(lambda: project_inputs(xs, Wx, b, out), repeats)
    fraction = min(1.0, projection / seconds) if seconds > 0 else 0.0
    return {"kind": cell.kind, "T": T, "seconds": seconds, "per_step": seconds / T,
            "projection": projection, "fraction": fraction}


def timings(kinds, lengths, *, hidden_size=32, input_size=2, batch_size=32, repeats=5, seed=0):
    """A generator of `measure` items, one per kind and length T (lengths in order, kinds in turn
    at each), so a page can show progress; every setting is checked before the first measurement."""
    kinds = tuple(canonical(k) for k in kinds)
    lengths = tuple(_check("T", T) for T in lengths)
    if not kinds or not lengths:
        raise ValueError("give at least one cell kind and one sequence length T")
    sizes = dict(hidden_size=_check("hidden_size", hidden_size), input_size=_check("input_size", input_size),
                 batch_size=_check("batch_size", batch_size), repeats=_check("repeats", repeats))
    return (measure(kind, T, seed=seed, **sizes) for T in lengths for kind in kinds)


def lr_grid(low_exponent, high_exponent):
    """Learning rates at half-decade steps from 10^low to 10^high: 1e-3, 3e-3, 1e-2, ... (the odd points
    are 10^(k + 1/2) rounded to one digit, as people write them: 3e-3 for 3.16e-3)."""
    if not (isinstance(low_exponent, int) and isinstance(high_exponent, int)) or low_exponent > high_exponent:
        raise ValueError("the learning-rate grid needs whole exponents, the lowest first")
    grid = []
    for k in range(low_exponent, high_exponent + 1):
        grid.append(10.0 ** k)
        if k < high_exponent:
            grid.append(float(f"{3 * 10.0 ** k:.0e}"))
    return tuple(grid)


def lr_sweep(config, lrs):
    """A generator of {"kind", "lr", "val_loss", "val_acc", "diverged"}: each kind of the lab's
    `config` trained at each learning rate (the same data, initial weights and batches), evaluated
    once, after its last step. A diverged model's loss is DIVERGED (inf)."""
    lrs = tuple(lrs)
    if not lrs:
        raise ValueError("give at least one learning rate")
    configs = [validate(dataclasses.replace(config, lr=float(lr), eval_every=config.steps, patience=None))
               for lr in lrs]  # all checked up front
    return _sweep(configs)


def _sweep(configs):
    """Run each config's lab to the end, yielding each kind's result at its last step."""
    for config in configs:
        for item in run_lab(config):
            if item["done"]:
                loss = item["val_loss"]
                diverged = not math.isfinite(item["loss"]) or not math.isfinite(loss)
                yield {"kind": item["kind"], "lr": config.lr, "val_loss": DIVERGED if diverged else loss,
                       "val_acc": item["val_acc"], "diverged": diverged}


def learned(items, kind, level):
    """The learning rates at which `kind` reached a validation accuracy of at least `level`, in order."""
    return tuple(i["lr"] for i in items if i["kind"] == kind and i["val_acc"] is not None
                 and i["val_acc"] >= level)


def total_multiply_adds(kind, input_size, hidden_size, T):
    """Multiply-adds of a forward pass over T steps of one sequence: T steps of the same cost."""
    return T * step_multiply_adds(kind, input_size, hidden_size)
