"""Seeded toy tasks for the training lab: each asks one question at the last step of a sequence.

    remember_first   the bit shown at step 1, after T - 1 steps of noise        classify, 2 classes
    adding           the sum of the two marked numbers (Hochreiter & Schmidhuber) regress, |err| < 0.04
    sine             the next value of a sine wave seen for T steps              regress, |err| < 0.1
    parity           whether the T bits hold an odd number of ones               classify, 2 classes

Inputs are (T, n, I) float64; targets are (n,) int labels or (n, O) floats. The loss and the
metric look at the model's output at step T only. A regression's metric is the share of answers
within TOLERANCE of the truth (the page calls it accuracy within ±tolerance); its RMSE is
sqrt(MSE loss). Each maker returns (xs, target, kind, guess): for a classification the guess is
its chance accuracy, for a regression the answer of a model that learned nothing.
"""
import dataclasses

import numpy as np

from .losses import accuracy, mse_loss, softmax_cross_entropy

TASKS = ("remember_first", "adding", "sine", "parity")
MAX_T = 500  # longest sequence a task makes
MAX_N = 20_000  # most sequences a task makes: (T, n, 2) float64 at the largest is 160 MB
TOLERANCE = {"adding": 0.04, "sine": 0.1}  # a regression answer counts as right within this |error|


@dataclasses.dataclass(frozen=True, eq=False)
class TaskData:
    """n sequences of one task: inputs, targets, and what a model that learned nothing would score."""

    name: str  # one of TASKS
    xs: np.ndarray  # inputs, (T, n, I)
    target: np.ndarray  # (n,) int labels for "classify", (n, n_out) floats for "regress"
    kind: str  # "classify" or "regress"
    n_out: int  # classes (classify) or output values (regress): the size of the model's head
    chance: float  # the metric a guesser gets (see each task's maker for the guess)
    guess_rmse: float = None  # regress: the root mean squared error of that guess; classify: None

    @property
    def input_size(self):
        return self.xs.shape[2]

    def head(self, n):
        """The first n sequences (all of them if there are fewer), chance unchanged."""
        return dataclasses.replace(self, xs=self.xs[:, :n], target=self.target[:n])


def make_task(name, T, n, *, seed):
    """n seeded sequences of T steps of task `name`; ValueError with a readable message on bad input."""
    if name not in TASKS:
        raise ValueError(f"task must be one of {', '.join(TASKS)}; got {name!r}")
    T = _checked_int("T (sequence length)", T, 2 if name == "adding" else 1, MAX_T)
    n = _checked_int("n (number of sequences)", n, 1, MAX_N)
    seed = _checked_int("seed", seed, 0, None)
    rng = np.random.default_rng(seed)
    xs, target, kind, guess = _MAKERS[name](rng, T, n)
    if kind == "classify":  # the guess is a coin toss: its accuracy is the chance level
        return TaskData(name=name, xs=xs, target=target, kind=kind, n_out=2, chance=guess)
    return TaskData(name=name, xs=xs, target=target, kind=kind, n_out=target.shape[1],
                    chance=_regress_metric(name, guess, target), guess_rmse=rmse(guess, target))


def _checked_int(name, value, low, high):
    """`value` as an int in low..high (high None: no upper bound), or ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if value < low or (high is not None and value > high):
        bounds = f"at least {low}" if high is None else f"between {low} and {high}"
        raise ValueError(f"{name} must be {bounds}, got {value}")
    return int(value)


def _remember_first(rng, T, n):
    """Step 1: [bit, 1]; steps 2..T: [noise ~ N(0, 0.5^2), 0]. Label 1 for +1, 0 for -1. Chance 0.5."""
    bits = rng.integers(0, 2, size=n)  # the labels
    xs = np.zeros((T, n, 2))
    xs[0, :, 0] = 2.0 * bits - 1.0  # the bit as -1 or +1
    xs[0, :, 1] = 1.0  # the marker: "remember this"
    xs[1:, :, 0] = rng.normal(0.0, 0.5, size=(T - 1, n))  # distractors
    return xs, bits, "classify", 0.5


def _adding(rng, T, n):
    """[value ~ U(0, 1), marker]: one marker in the first half, one in the second; target their sum.

    The guess is the constant 1.0 (the mean sum): it gets about 0.08 of the targets within the
    tolerance, with an RMSE of about sqrt(1/6) = 0.41 (the sum's standard deviation).
    """
    half = T // 2
    xs = np.zeros((T, n, 2))
    xs[:, :, 0] = rng.uniform(0.0, 1.0, size=(T, n))
    first = rng.integers(0, half, size=n)  # a step in 0..T/2 - 1
    second = rng.integers(half, T, size=n)  # a step in T/2..T - 1
    cols = np.arange(n)
    xs[first, cols, 1] = 1.0
    xs[second, cols, 1] = 1.0
    target = (xs[first, cols, 0] + xs[second, cols, 0])[:, None]  # (n, 1)
    return xs, target, "regress", np.ones_like(target)


def _sine(rng, T, n):
    """sin(w t + phase), t = 1..T, w ~ U(0.25, 1) rad per step, phase ~ U(0, 2 pi); target at T + 1.

    The guess repeats the last value seen (a persistence forecast).
    """
    w = rng.uniform(0.25, 1.0, size=n)  # angular frequency: periods of 6 to 25 steps
    phase = rng.uniform(0.0, 2 * np.pi, size=n)
    wave = np.sin(np.arange(1, T + 2)[:, None] * w + phase)  # (T + 1, n)
    xs, target = wave[:T, :, None], wave[T][:, None]  # (T, n, 1), (n, 1)
    return xs, target, "regress", wave[T - 1][:, None]


def _parity(rng, T, n):
    """Bits 0 or 1 at every step; label = their sum mod 2. Chance 0.5."""
    bits = rng.integers(0, 2, size=(T, n))
    return bits[:, :, None].astype(np.float64), bits.sum(axis=0) % 2, "classify", 0.5


_MAKERS = {"remember_first": _remember_first, "adding": _adding, "sine": _sine, "parity": _parity}


def task_loss(data):
    """A loss_fn(y, target, lengths) for lstm_core.train: cross-entropy or MSE of y at step T only.

    y is (T, B, n_out); the gradient is zero at every step but the last. Every sequence has T
    steps, so lengths is ignored.
    """
    loss = softmax_cross_entropy if data.kind == "classify" else mse_loss

    def last_step_loss(y, target, lengths=None):
        value, dy_last = loss(y[-1], target)  # dy_last: (B, n_out)
        dy = np.zeros(np.shape(y))
        dy[-1] = dy_last
        return value, dy

    return last_step_loss


def task_metric(data, y_last, target):
    """Accuracy in [0, 1] of the outputs at step T, y_last (B, n_out), against target."""
    if data.kind == "classify":
        return accuracy(y_last, target)
    return _regress_metric(data.name, y_last, target)


def rmse(y, target):
    """Root mean squared error of predictions y against target, both (n, n_out): the error's typical size."""
    return float(np.sqrt(np.mean((np.asarray(y, np.float64) - target) ** 2)))


def _regress_metric(name, y, target):
    """Fraction of rows whose every output is within TOLERANCE[name] of the target."""
    close = np.abs(np.asarray(y, np.float64) - target) < TOLERANCE[name]  # (B, n_out)
    return float(np.mean(np.all(close, axis=-1)))
