"""Two of the notes' disadvantages, tested: short-term dependencies and limited context.

    for item in run_short_term(ShortTermConfig(k=3)):      # first the window model, then each LSTM step
        chart.add(item["kind"], item["step"], item["val_acc"])
    for item in run_delays(DelayConfig(train_delay=5)):    # train on remember_first, test far beyond
    for item in run_items(ItemsConfig(hidden_size=8)):     # one LSTM per number of bits to recall

Short-term: the input is a random bit x_t each step; the answer y_t is how many of the last k
inputs were 1 (x_t + ... + x_{t-k+1}, earlier steps counting 0). Only the last k inputs matter.
A window model (least squares over the last k inputs and a constant, solved once in closed form)
against an LSTM trained step by step on the same sequences. An answer counts as right when it
rounds to the true count (|error| < 0.5).

Limited context: (a) an LSTM trained on remember_first at a short delay is tested at delays far
beyond it; (b) for a fixed hidden size, n bits shown at the start must all be recalled at the end,
one LSTM trained per n: the share of bits recalled against n.
"""
import dataclasses

import numpy as np

from .batching import minibatches
from .lab import LabConfig, evaluate_task, run_lab
from .losses import mse_loss
from .model import Model
from .model_pass import model_forward, prediction
from .optim import Adam
from .tasks import make_task
from .training import train

TOLERANCE = 0.5  # a count is right when the answer rounds to it
EPOCHS = 10_000  # more than any run needs: batches never run out
NOISE = 0.5  # standard deviation of the distractors after the items (as in remember_first)


def _checked(name, value, low, high):
    """`value` as an int in low..high, or ValueError a student can read."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number between {low} and {high}, got {value!r}")
    return int(value)


# ---- short-term dependencies -------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class ShortTermConfig:
    """Everything a short-term run depends on: the same config always gives the same numbers."""

    k: int = 3  # the window: y_t counts the ones among x_t .. x_{t-k+1}
    T: int = 20  # steps per sequence; every step is asked its count
    hidden_size: int = 8  # the LSTM's units
    steps: int = 300  # the LSTM's optimizer steps
    lr: float = 0.01  # Adam's learning rate
    batch_size: int = 32  # sequences per step
    n_train: int = 1024  # training sequences (the window model solves over all of them)
    n_val: int = 256  # held-out sequences both models are scored on
    eval_every: int = 10  # LSTM steps between evaluations
    seed: int = 0  # seeds the data, the LSTM's initial weights and the batch order

    def __post_init__(self):
        _checked("k (the window)", self.k, 1, 10)
        _checked("T (steps per sequence)", self.T, self.k, 200)
        _checked("steps", self.steps, 1, 5000)
        _checked("seed", self.seed, 0, 2**31 - 1)

    @property
    def total(self):
        """Items a run yields: the window model's one solve, then every LSTM step."""
        return 1 + self.steps


def count_task(k, T, n, *, seed):
    """(xs (n, T, 1) bits 0/1, y (n, T, 1) the ones among the last k inputs): batch-first."""
    bits = np.random.default_rng(seed).integers(0, 2, size=(n, T)).astype(np.float64)
    csum = np.concatenate([np.zeros((n, 1)), np.cumsum(bits, axis=1)], axis=1)  # (n, T + 1)
    y = csum[:, 1:] - csum[:, np.maximum(np.arange(1, T + 1) - k, 0)]  # sum of x_{t-k+1..t}
    return bits[:, :, None], y[:, :, None]


def windows(xs, k):
    """(n, T, k + 1): at each step the last k inputs (x_t first, zeros before step 1) and a 1."""
    n, T, _ = xs.shape
    padded = np.concatenate([np.zeros((n, k - 1)), xs[:, :, 0]], axis=1)  # (n, T + k - 1)
    cols = [padded[:, k - 1 - j:k - 1 - j + T] for j in range(k)]  # x_{t-j}, each (n, T)
    return np.stack(cols + [np.ones((n, T))], axis=-1)


def fit_window(xs, y, k):
    """Least-squares weights (k + 1,) of y on the last k inputs and a constant: one solve."""
    A = windows(xs, k).reshape(-1, k + 1)
    return np.linalg.lstsq(A, y.reshape(-1), rcond=None)[0]


def count_scores(answers, y):
    """(mean squared error, share of answers that round to the count) over every step."""
    err = np.asarray(answers).reshape(-1) - y.reshape(-1)
    return float(np.mean(err ** 2)), float(np.mean(np.abs(err) < TOLERANCE))


def guess_scores(y_train, y_val):
    """The scores of answering every step with the training mean count: what learning nothing gives."""
    return count_scores(np.full(y_val.shape, y_train.mean()), y_val)


def run_short_term(config):
    """A generator: the window model's item ({"kind": "window", "step": 0, ..., "guess_acc": the
    accuracy of always answering the mean count}), then one item per
    LSTM step ({"kind": "lstm", "step", "loss", "val_loss", "val_acc"}, the last two every
    eval_every steps and at the end, else None)."""
    c = config
    x_tr, y_tr = count_task(c.k, c.T, c.n_train, seed=2 * c.seed)
    x_val, y_val = count_task(c.k, c.T, c.n_val, seed=2 * c.seed + 1)
    w = fit_window(x_tr, y_tr, c.k)
    mse, acc = count_scores(windows(x_val, c.k) @ w, y_val)
    yield {"kind": "window", "step": 0, "loss": mse, "val_loss": mse, "val_acc": acc,
           "guess_acc": guess_scores(y_tr, y_val)[1]}
    model = Model.init("lstm", 1, c.hidden_size, 1, seed=c.seed)
    batches = minibatches(x_tr, y_tr, batch_size=c.batch_size, epochs=EPOCHS, seed=c.seed)
    for info in train(model, batches, _per_step_mse, Adam(lr=c.lr), steps=c.steps, clip=1.0):
        item = {"kind": "lstm", "step": info["step"], "loss": info["loss"], "val_loss": None, "val_acc": None}
        if info["step"] % c.eval_every == 0 or info["step"] == c.steps:
            answers = prediction(info["model"], model_forward(info["model"], np.swapaxes(x_val, 0, 1)))
            item["val_loss"], item["val_acc"] = count_scores(np.swapaxes(answers, 0, 1), y_val)
        yield item


def _per_step_mse(y, target, lengths=None):
    """MSE of every step's answer y (T, B, 1) against a batch-first target (B, T, 1)."""
    return mse_loss(y, np.swapaxes(target, 0, 1))


def short_term_summary(items):
    """The numbers the page's verdict reads: the window model's scores, the LSTM's last and best
    accuracy, the first step at which the LSTM matched the window model's accuracy (or None),
    and the guess's accuracy."""
    window = next(i for i in items if i["kind"] == "window")
    evals = [i for i in items if i["kind"] == "lstm" and i["val_acc"] is not None]
    matched = next((i["step"] for i in evals if i["val_acc"] >= window["val_acc"]), None)
    last = evals[-1] if evals else None
    return {"window_acc": window["val_acc"], "window_mse": window["val_loss"],
            "lstm_acc": None if last is None else last["val_acc"],
            "lstm_mse": None if last is None else last["val_loss"],
            "lstm_steps": None if last is None else last["step"],
            "best_acc": max((i["val_acc"] for i in evals), default=None),
            "matched_step": matched, "guess_acc": window["guess_acc"]}


# ---- limited context (a): delays far beyond the training delay ---------------------------------

@dataclasses.dataclass(frozen=True)
class DelayConfig:
    """A tanh RNN and an LSTM trained together on remember_first at train_delay (the training
    lab's settings), then each tested at every one of `delays`."""

    train_delay: int = 5  # T of the training sequences
    test_delays: tuple = (10, 20, 50, 100, 200, 500)  # T of the test sequences (and train_delay, + 1: see delays)
    kinds: tuple = ("rnn_tanh", "lstm")  # the RNN shows what a context limited in time looks like
    hidden_size: int = 8
    steps: int = 300
    n_test: int = 512  # test sequences per delay
    seed: int = 0

    def __post_init__(self):
        _checked("train_delay", self.train_delay, 2, 50)
        for T in self.test_delays:
            _checked("a test delay", T, 1, 500)
        _checked("seed", self.seed, 0, 2**31 - 1)

    def lab(self):
        """The training lab's settings of the training run: its defaults but the delay, kinds, H, steps."""
        return LabConfig(task="remember_first", T=self.train_delay, kinds=self.kinds,
                         hidden_size=self.hidden_size, steps=self.steps, seed=self.seed)

    @property
    def delays(self):
        """Every delay tested, in order: the training delay, the one step after it (a model whose answer
        flips sign every step is right at one and wrong at the other) and test_delays."""
        return tuple(sorted({self.train_delay, self.train_delay + 1, *self.test_delays}))

    @property
    def total(self):
        """Items a run yields: every training step of every kind, then every test."""
        return len(self.kinds) * (self.steps + len(self.delays))


def run_delays(config):
    """A generator: the lab's step items while the models train (their "kind"), then one item per
    kind and delay in config.delays {"kind": "test", "cell", "step", "T", "acc"} for the model the lab keeps
    (its lowest validation loss)."""
    kept = {}
    for item in run_lab(config.lab()):
        if item["done"]:
            kept[item["kind"]] = item["model"]
        else:
            yield {k: v for k, v in item.items() if k != "model"}
    step = config.steps
    for T in config.delays:
        data = make_task("remember_first", T, config.n_test, seed=10_000 + config.seed + T)
        for kind in config.kinds:
            step += 1
            yield {"kind": "test", "cell": kind, "step": step, "T": T, "acc": evaluate_task(kept[kind], data)[1]}


def delay_summary(items, config):
    """{cell kind: {"by_delay": {T: accuracy}, "train_acc": at the training delay, "next_acc": one step
    after it, "far": the longest delay tested, "far_acc": its accuracy, "worst_acc": the lowest accuracy
    at any delay}}."""
    out = {}
    for kind in config.kinds:
        by_delay = {i["T"]: i["acc"] for i in items if i["kind"] == "test" and i["cell"] == kind}
        far = max(by_delay, default=None)
        out[kind] = {"by_delay": by_delay, "train_acc": by_delay.get(config.train_delay),
                     "next_acc": by_delay.get(config.train_delay + 1), "far": far,
                     "far_acc": None if far is None else by_delay[far],
                     "worst_acc": min(by_delay.values(), default=None)}
    return out


# ---- limited context (b): how many items fit in a fixed H ---------------------------------------

@dataclasses.dataclass(frozen=True)
class ItemsConfig:
    """For each n in counts, an LSTM of hidden_size units shown n bits, then gap noise steps, then
    asked for all n bits at once (n outputs, each +1 or -1)."""

    hidden_size: int = 8
    counts: tuple = (1, 2, 4, 8, 16, 24)  # numbers of bits to recall
    gap: int = 5  # noise steps between the last bit and the question
    steps: int = 600  # optimizer steps per model: at 300, n = 4 was 99 % and n = 8 80 % (H = 8)
    lr: float = 0.01
    batch_size: int = 32
    n_train: int = 2048
    n_val: int = 256
    seed: int = 0

    def __post_init__(self):
        _checked("hidden_size", self.hidden_size, 1, 64)
        for n in self.counts:
            _checked("a number of items", n, 1, 64)
        _checked("gap", self.gap, 0, 100)
        _checked("steps", self.steps, 1, 5000)
        _checked("seed", self.seed, 0, 2**31 - 1)

    @property
    def total(self):
        """Items a run yields: every step of every model and one result each."""
        return len(self.counts) * (self.steps + 1)


def items_task(n_items, gap, n, *, seed):
    """(xs (n, n_items + gap, 2), bits (n, n_items) as -1/+1): steps 1..n_items show [bit, 1],
    the gap steps [noise, 0]."""
    rng = np.random.default_rng(seed)
    bits = 2.0 * rng.integers(0, 2, size=(n, n_items)) - 1.0
    xs = np.zeros((n, n_items + gap, 2))
    xs[:, :n_items, 0], xs[:, :n_items, 1] = bits, 1.0
    xs[:, n_items:, 0] = rng.normal(0.0, NOISE, size=(n, gap))
    return xs, bits


def recalled(answers, bits):
    """Share of bits whose answer has the right sign."""
    return float(np.mean(np.sign(answers) == bits))


def run_items(config):
    """A generator: {"kind": "train", "n", "step", "loss"} for each step of the model for n, then
    {"kind": "result", "n", "step", "acc"}: the share of its held-out bits recalled; n by n."""
    c, done = config, 0
    for n_items in c.counts:
        x_tr, b_tr = items_task(n_items, c.gap, c.n_train, seed=2 * c.seed + 100 * n_items)
        x_val, b_val = items_task(n_items, c.gap, c.n_val, seed=2 * c.seed + 100 * n_items + 1)
        model = Model.init("lstm", 2, c.hidden_size, n_items, seed=c.seed, readout="last",
                           forget_bias=3.0)  # the lab's memory_bias: the cell keeps 95 % a step at first
        batches = minibatches(x_tr, b_tr, batch_size=c.batch_size, epochs=EPOCHS, seed=c.seed)
        for info in train(model, batches, mse_loss, Adam(lr=c.lr), steps=c.steps, clip=1.0):  # y (B, n)
            model = info["model"]
            yield {"kind": "train", "n": n_items, "step": done + info["step"], "loss": info["loss"]}
        done += c.steps
        answers = prediction(model, model_forward(model, np.swapaxes(x_val, 0, 1)))
        yield {"kind": "result", "n": n_items, "step": done, "acc": recalled(answers, b_val)}


def items_summary(items):
    """{n: share of bits recalled} for every n trained so far."""
    return {i["n"]: i["acc"] for i in items if i["kind"] == "result"}
