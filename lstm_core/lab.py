"""The training lab: RNN, LSTM and GRU trained side by side on one task, as a generator.

    for item in run_lab(LabConfig(task="remember_first", T=50)):
        chart.add(item["kind"], item["step"], item["loss"])    # item["model"]: the model so far

Every kind gets the same data, the same batches in the same order, the same seeds and the same
number of steps, so differences come from the cell alone. `sweep` repeats the lab at several
delays T for the accuracy-against-delay curve.
"""
import dataclasses
import math

import numpy as np

from .cells import CELLS, KINDS
from .model import Model
from .model_pass import model_forward
from .optim import SGD, Adam, checked_number
from .tasks import MAX_T, TASKS, make_task, task_loss, task_metric
from .training import train

OPTIMIZERS = {"adam": Adam, "sgd": SGD}


@dataclasses.dataclass(frozen=True)
class LabConfig:
    """Everything a lab run depends on: the same config always trains the same models."""

    task: str = "remember_first"  # one of tasks.TASKS
    T: int = 50  # sequence length: for remember_first, the delay between the bit and the question
    kinds: tuple = ("rnn_tanh", "lstm", "gru")  # cells.CELLS kinds trained side by side, in this order
    hidden_size: int = 8  # units per cell: small enough to train in seconds, enough to remember a bit
    memory_bias: float = 3.0  # initial b_f of the LSTM and b_z of the GRU (the RNN has no such gate):
    # sigma(3) = 0.95 of the memory kept per step lets a gradient cross 50 steps along the cell
    # path (sigma(3)^49 = 0.09); with b_f = 1, sigma(1)^49 = 2e-7 is under flow.VANISHED and the
    # LSTM fails at T = 50 as well. The GRU writes only 1 - sigma(3) = 5 % per step: too slow for sine
    lr: float = 0.01  # learning rate: with Adam, the LSTM and GRU solve the default task in 300 steps
    optimizer: str = "adam"  # "adam" or "sgd" (plain, no momentum)
    batch_size: int = 32  # sequences per optimizer step
    clip: float = 1.0  # largest global gradient norm; None turns clipping off
    steps: int = 300  # optimizer steps per model
    n_train: int = 4096  # training sequences, reshuffled each epoch; with a few hundred the RNN can
    # stumble on the answer while fitting the noise, which blurs the lesson
    n_val: int = 256  # held-out sequences for val_loss and val_acc
    weight_decay: float = 0.0  # L2 penalty added to every gradient (torch's weight_decay)
    dropout: float = 0.0  # drop rate of the inputs and of the features the head reads, training only
    patience: int = None  # stop a model after this many evaluations without a better val_loss; None: never
    eval_every: int = 10  # steps between evaluations on the validation (and training) set
    seed: int = 0  # seeds the data, the initial weights, the batch order and the dropout masks

LIMITS = {"T": (1, MAX_T), "hidden_size": (1, 128), "batch_size": (1, 4096), "steps": (1, 20_000),
          "n_train": (1, 20_000), "n_val": (1, 20_000), "eval_every": (1, 20_000),
          "seed": (0, 2**31 - 1)}  # whole-number settings: allowed range


def validate(config):
    """Return `config` if a lab can run it, else ValueError with a message a student understands."""
    if not isinstance(config, LabConfig):
        raise ValueError(f"the lab needs a LabConfig, got {type(config).__name__}")
    if config.task not in TASKS:
        raise ValueError(f"task must be one of {', '.join(TASKS)}; got {config.task!r}")
    for name, (low, high) in LIMITS.items():
        _check_int(name, getattr(config, name), low, high)
    if config.batch_size > config.n_train:
        raise ValueError(f"batch_size ({config.batch_size}) cannot exceed n_train ({config.n_train}): "
                         "a batch is drawn from the training sequences")
    _check_kinds(config.kinds)
    if config.optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be 'adam' or 'sgd', got {config.optimizer!r}")
    checked_number("lr (learning rate)", config.lr, 0.0, 10.0, open_low=True)
    checked_number("weight_decay", config.weight_decay, 0.0, 1.0)
    checked_number("memory_bias", config.memory_bias, -10.0, 10.0)
    checked_number("dropout", config.dropout, 0.0, 1.0, open_high=True)
    if config.clip is not None:
        checked_number("clip (largest gradient norm)", config.clip, 0.0, open_low=True)
    if config.patience is not None:
        _check_int("patience", config.patience, 1, 20_000)
    make_task(config.task, config.T, 1, seed=config.seed)  # the task's own limits (adding: T >= 2)
    return config


def _check_int(name, value, low, high):
    """Raise ValueError unless value is a whole number in low..high."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")


def _check_kinds(kinds):
    """Raise ValueError unless kinds is a non-empty tuple of distinct cell kinds."""
    if not isinstance(kinds, (tuple, list)) or not kinds:
        raise ValueError(f"kinds must be a non-empty list of cells from {', '.join(KINDS)}")
    unknown = [k for k in kinds if k not in CELLS]
    if unknown:
        raise ValueError(f"unknown cell kinds {unknown}: choose from {', '.join(KINDS)}")
    if len(set(kinds)) != len(kinds):
        raise ValueError(f"each cell kind may appear once, got {list(kinds)}")


def run_lab(config):
    """A generator: one item per optimizer step of each kind in turn, then one done item per kind.

    Items: {"kind", "step", "loss" (this batch, before the update), "val_loss", "val_acc",
    "train_acc" (on the first n_val training sequences; these three are None except every
    eval_every steps and at the last step), "best_step" (the step of the lowest val_loss so
    far, the model the lab keeps; None before the first evaluation), "done", "model"}.
    A done item carries the kept model, its numbers and its "best_step".
    """
    validate(config)
    train_data = make_task(config.task, config.T, config.n_train, seed=2 * config.seed)
    return _interleave(config, train_data, validation_data(config))


def validation_data(config):
    """The held-out sequences a lab run evaluates on (seeded apart from the training ones)."""
    return make_task(config.task, config.T, config.n_val, seed=2 * config.seed + 1)


def predictions(config, models):
    """(targets (n_val, n_out), {kind: the model's answers at step T, (n_val, n_out)}) on the
    validation sequences: what a regression task's predicted-against-true chart plots."""
    data = validation_data(config)
    return data.target, {kind: model_forward(model, data.xs).y[-1] for kind, model in models.items()}


def _interleave(config, train_data, val_data):
    """Round-robin one step per running kind; retire a kind at its last step or early stop."""
    runs = {kind: _Run(kind, _trainer(config, kind, train_data)) for kind in config.kinds}
    while runs:
        for kind, run in list(runs.items()):
            info = next(run.steps, None)
            if info is not None:
                yield _step_item(config, run, info, train_data, val_data)
            if info is None or run.stale(config.patience) or info["step"] == config.steps:
                del runs[kind]
                yield run.done_item()


@dataclasses.dataclass
class _Run:
    """One kind's training in progress and the best model seen so far (mutable bookkeeping)."""

    kind: str
    steps: object  # the train() generator
    last: dict = None  # the latest step item
    best: dict = None  # the evaluated item with the lowest val_loss
    since_best: int = 0  # evaluations since best improved

    def record(self, item):
        """Keep item as the latest; as the best if it was evaluated and beats the best val_loss."""
        self.last = item
        if item["val_loss"] is None:
            return
        if self.best is None or item["val_loss"] < self.best["val_loss"]:
            self.best, self.since_best = item, 0
        else:
            self.since_best += 1

    def stale(self, patience):
        """True once `patience` evaluations in a row have not improved val_loss."""
        return patience is not None and self.since_best >= patience

    def done_item(self):
        """The final item: the best model (or the last, if none was evaluated) and its numbers."""
        best = self.best or self.last
        return {**best, "done": True, "best_step": best["step"]}


def _trainer(config, kind, data):
    """The train() generator for one kind: seeded init, shared batch order, the configured optimizer."""
    model = Model.init(kind, data.input_size, config.hidden_size, data.n_out, seed=config.seed,
                       forget_bias=config.memory_bias)
    if kind == "gru":  # its keep gate is z: h_t = (1 - z_t) n_t + z_t h_{t-1}
        b_z = np.full(config.hidden_size, float(config.memory_bias))
        model = model.replace_arrays({"layers.0.fwd.b_z": b_z})
    optimizer = OPTIMIZERS[config.optimizer](lr=config.lr, weight_decay=config.weight_decay)
    batches = _batches(data, config.batch_size, config.seed)
    return train(model, batches, task_loss(data), optimizer, steps=config.steps, clip=config.clip,
                 dropout=config.dropout, seed=config.seed)


def _batches(data, batch_size, seed):
    """Endless (xs (T, B, I), target) batches: each epoch a seeded shuffle, cut into full batches."""
    rng = np.random.default_rng(seed)
    n = data.target.shape[0]
    while True:
        order = rng.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            idx = order[start:start + batch_size]
            yield data.xs[:, idx], data.target[idx]


def _step_item(config, run, info, train_data, val_data):
    """The item for one step; evaluated on both sets every eval_every steps and at the last step."""
    step, model = info["step"], info["model"]
    item = {"kind": run.kind, "step": step, "loss": info["loss"], "val_loss": None,
            "val_acc": None, "train_acc": None, "done": False, "model": model}
    if step % config.eval_every == 0 or step == config.steps:
        item["val_loss"], item["val_acc"] = evaluate_task(model, val_data)
        item["train_acc"] = evaluate_task(model, train_data.head(val_data.target.shape[0]))[1]
    run.record(item)
    item["best_step"] = None if run.best is None else run.best["step"]
    return item


def evaluate_task(model, data):
    """(loss, metric) of `model` on every sequence of `data`, without dropout; a NaN loss becomes inf."""
    y = model_forward(model, data.xs).y  # (T, n, n_out)
    loss = task_loss(data)(y, data.target)[0]
    return (loss if math.isfinite(loss) else math.inf), task_metric(data, y[-1], data.target)


def sweep(config, delays):
    """A generator of {"kind", "T", "val_acc"}: the lab's best model per kind, at each delay T.

    The budget is the config's; at LabConfig's defaults, delays (5, 10, 20, 50) take about 5 s
    on two cores.
    """
    delays = tuple(delays)
    if not delays:
        raise ValueError("give at least one delay T")
    configs = [validate(dataclasses.replace(config, T=T)) for T in delays]  # all checked up front
    return _sweep(configs)


def _sweep(configs):
    """Run each config's lab to the end, yielding each kind's final accuracy."""
    for config in configs:
        for item in run_lab(config):
            if item["done"]:
                yield {"kind": item["kind"], "T": config.T, "val_acc": item["val_acc"]}
