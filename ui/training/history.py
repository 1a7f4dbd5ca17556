"""The training lab's results as plain data: one model's history as arrays, smoothing, the best step.

`history` maps a cell kind (lstm_core.cells) to its list of lstm_core.lab.run_lab items
{"step", "loss", "val_loss", "val_acc", ...}; val_* are None between evaluations.
"""
import math

import numpy as np

from lstm_core import KINDS

SMOOTHING = 0.9  # weight of the past in the moving average: it follows roughly the last 10 steps
OVERFIT_RISE = 0.1  # a final validation loss 10 % above its best counts as turned up: less is noise


def by_kind(items):
    """The run's items grouped per model, in the order they were trained."""
    history = {}
    for item in items:
        history.setdefault(item["kind"], []).append(item)
    return history


def kinds_of(data):
    """The cell kinds in `data` (a dict or set), in lstm_core.KINDS order; refuses unknown kinds."""
    unknown = set(data) - set(KINDS)
    if unknown:
        raise ValueError(f"kinds must be some of {KINDS}, got {sorted(map(str, unknown))}")
    return [k for k in KINDS if k in data]


def columns(items):
    """A model's history as float arrays "step", "loss", "val_loss", "val_acc", each (n,); None -> NaN.

    An item whose step is not past the one before is left out: run_lab closes each model with a
    "done" item that repeats its best step.
    """
    kept, last = [], -math.inf
    for item in items:
        if item["step"] > last:
            kept.append(item)
            last = item["step"]
    return {key: np.array([item.get(key) for item in kept], dtype=float)
            for key in ("step", "loss", "val_loss", "val_acc")}


def smooth(values, weight=SMOOTHING):
    """Exponential moving average s_1 = y_1, s_t = weight · s_{t−1} + (1 − weight) · y_t, shape (n,).

    A NaN or infinite y_t is left out: s_t is NaN there (a gap) and the average resumes after it.
    """
    out, s = [], None
    for y in np.asarray(values, dtype=float).tolist():
        if math.isfinite(y):
            s = y if s is None else weight * s + (1 - weight) * y  # the running average
        out.append(s if math.isfinite(y) else math.nan)
    return np.array(out, dtype=float)


def diverged_step(steps, loss):
    """The first step whose loss is NaN or infinite, or None when every loss is finite."""
    bad = np.flatnonzero(~np.isfinite(loss))
    return int(steps[bad[0]]) if bad.size else None


def best_validation(steps, val_loss):
    """(step, loss) of the lowest finite validation loss, the first if tied; None before any."""
    finite = np.isfinite(val_loss)
    if not finite.any():
        return None
    best = np.flatnonzero(finite)[np.argmin(val_loss[finite])]
    return int(steps[best]), float(val_loss[best])


def check_chance(chance):
    """The chance accuracy as a float in 0..1, or a clear error."""
    if isinstance(chance, bool) or not isinstance(chance, (int, float)) or not 0 <= chance <= 1:
        raise ValueError(f"chance must be an accuracy between 0 and 1, got {chance!r}")
    return float(chance)


def sweep_table(sweep_results):
    """kind -> (delays T ascending, accuracies), each (n,); the last result wins for a repeated (kind, T)."""
    table = {}
    for item in sweep_results:
        acc = item.get("val_acc")
        table.setdefault(item["kind"], {})[int(item["T"])] = math.nan if acc is None else float(acc)
    return {k: (np.array(sorted(table[k]), dtype=float), np.array([table[k][T] for T in sorted(table[k])]))
            for k in kinds_of(table)}


def most_overfit(history):
    """The kind whose validation loss rose most above its own best (by more than OVERFIT_RISE of
    it): the one whose training-against-validation chart shows overfitting. The LSTM (else the
    first kind) when none has turned up, or none was measured."""
    kinds = list(history)
    rises = {}
    for kind in kinds:
        val = columns(history[kind])["val_loss"]
        val = val[np.isfinite(val)]
        if val.size and val.min() > 0:
            rises[kind] = val[-1] / val.min() - 1  # 0 while the last check is the best
    risen = {k: r for k, r in rises.items() if r > OVERFIT_RISE}
    if risen:
        return max(risen, key=risen.get)
    return "lstm" if "lstm" in kinds else (kinds[0] if kinds else None)
