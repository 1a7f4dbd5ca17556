"""Training races for the Variants page: a variant of the LSTM against the plain one, on a task where they differ.

    config = race_config("gru", seed=0)
    for item in run_race(config):
        chart.add(item["who"], item["step"], item["loss"])     # item["ms"]: CPU time of that step
    result = standings(config, items)                          # who -> Standing: steps to learn, ...

    peephole       LSTM vs peephole LSTM      interval: how many steps lie between two spikes (timing)
    coupled        LSTM vs coupled-gate LSTM  remember_first: the bit shown at step 1 (memory)
    gru            LSTM vs GRU                remember_first: the bit shown at step 1 (memory)
    bidirectional  LSTM vs biLSTM             later: at every step, is there a marker now or later?
    stacked        1 vs 2 LSTM layers         sign_parity: is the number of +1s among 5 signs odd?

Both contenders get the same data, the same batches in the same order, the same seed for their
weights and the same number of steps, so a difference comes from the model alone. A step's CPU
time is measured around its optimizer step only (forward, backward, update; not the evaluations),
with the thread's clock, so other work on the server slows it less than a wall clock would; still
it moves with the load, so it is reported and no verdict rests on it (claim_holds counts instead).
"""
import dataclasses
import statistics
import time

import numpy as np

from .costs import model_param_count, step_multiply_adds
from .lab import evaluate_task
from .losses import accuracy, softmax_cross_entropy
from .model import Model
from .model_pass import model_forward
from .optim import Adam
from .tasks import TaskData, make_task, task_loss
from .training import train
from .variants import VARIANTS

TIE_STEPS = 20  # reaching the threshold this many steps apart or less counts as learning equally fast
TIE_POINTS = 0.02  # final accuracies this close count as equal


@dataclasses.dataclass(frozen=True)
class Contender:
    """One model in a race: its key in items, its cell kind, layers and directions."""

    key: str  # "lstm", "lstm_peephole", "lstm_coupled", "gru", "lstm_bi", "lstm_stacked"
    kind: str  # a cells.CELLS kind
    num_layers: int = 1
    bidirectional: bool = False


PLAIN = Contender("lstm", "lstm")
VARIANT_CONTENDER = {
    "peephole": Contender("lstm_peephole", "lstm_peephole"),
    "coupled": Contender("lstm_coupled", "lstm_coupled"),
    "gru": Contender("gru", "gru"),
    "bidirectional": Contender("lstm_bi", "lstm", bidirectional=True),
    "stacked": Contender("lstm_stacked", "lstm", num_layers=2),
}


def contenders(variant):
    """(the plain LSTM, the variant's model): the two a race trains, in that order."""
    return PLAIN, VARIANT_CONTENDER[variant]


@dataclasses.dataclass(frozen=True)
class RaceConfig:
    """Everything a race depends on: the same config always trains the same models."""

    variant: str = "gru"  # one of VARIANTS
    task: str = "remember_first"  # a key of TASK_MAKERS or a tasks.TASKS task
    T: int = 50  # sequence length
    hidden_size: int = 8  # units per cell (per direction and per layer)
    memory_bias: float = 3.0  # initial b_f (LSTM kinds) and b_z (GRU), as in the training lab
    lr: float = 0.01  # Adam's learning rate
    batch_size: int = 32  # sequences per optimizer step
    steps: int = 300  # optimizer steps per contender
    n_train: int = 2048  # training sequences, reshuffled each epoch
    n_val: int = 256  # held-out sequences the accuracy is measured on
    eval_every: int = 10  # steps between evaluations
    threshold: float = 0.9  # validation accuracy that counts as "learned"
    clip: float = 1.0  # largest global gradient norm
    seed: int = 0  # seeds the data, both models' weights (the same seed) and the batch order


DEFAULTS = {  # each race's settings, tuned to run both models in 2 to 3 s of CPU here (tests time them;
    # the browser took 11 to 20 s at 800 and 1000 steps on a busy server, so the longest were cut to
    # steps that keep every outcome over seeds 0..4)
    # 11 intervals (1..11 steps) to tell apart by timing alone; b_f = 1: nothing to hold for long
    "peephole": dict(task="interval", T=12, memory_bias=1.0, lr=0.02, steps=600),
    # the training lab's default memory task: one bit across 50 steps
    "coupled": dict(task="remember_first", T=50, steps=300),
    "gru": dict(task="remember_first", T=50, steps=300),
    # a marker with probability LATER_P at each step; 20 steps; 1024 validation sequences (20 480
    # answers) bring the best one-way rule's score on them near its expected 72.7 %
    "bidirectional": dict(task="later", T=20, steps=300, n_val=1024),
    # parity of 5 signs; 512 validation sequences, since a class of 256 can be 40 % of them; lr 0.05:
    # over seeds 0..4 two layers learned first in 4 (at 0.03: in 2, one layer in 1, neither in 2)
    "stacked": dict(task="sign_parity", T=5, memory_bias=1.0, lr=0.05, steps=800, n_val=512),
}
MAX_SEED = 2**31 - 1  # as the training lab's; the page's control declares its own, narrower range


def race_config(variant, seed=0):
    """The default race of `variant` with `seed`; ValueError with a readable message on bad input."""
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {', '.join(VARIANTS)}; got {variant!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"the race's seed must be a whole number from 0 to {MAX_SEED}, got {seed!r}")
    return RaceConfig(variant=variant, seed=int(seed), **DEFAULTS[variant])


LATER_P = 0.08  # the chance of a marker at each step of the "later" task


def _interval(rng, T, n):
    """Two spikes at steps a < b (b - a in 1..T-1) on one input; the answer at step T: b - a, one class each."""
    gap = rng.integers(1, T, size=n)  # 1..T-1
    a = (rng.random(n) * (T - gap)).astype(int)  # 0..T-1-gap: both spikes fit
    xs = np.zeros((T, n, 1))
    cols = np.arange(n)
    xs[a, cols, 0] = 1.0
    xs[a + gap, cols, 0] = 1.0
    return xs, gap - 1, T - 1, 1.0 / (T - 1)  # labels 0..T-2 for gaps 1..T-1, all equally likely


def _later(rng, T, n):
    """A marker (1) at each step with probability LATER_P, else 0; the label of step t: is there a
    marker at step t or later? Labels (T, n): one per step. A guesser blind to the input answers the
    likelier label of each step (chance 1 - (1 - p)^(T - t + 1) of "yes")."""
    marks = rng.random((T, n)) < LATER_P
    later = np.flip(np.logical_or.accumulate(np.flip(marks, 0), axis=0), 0)  # (T, n): any mark at >= t
    yes = 1.0 - (1.0 - LATER_P) * (1.0 - marker_after(T))  # (T,) chance of a marker at t or after
    return marks[:, :, None].astype(np.float64), later.astype(int), 2, float(np.mean(np.maximum(yes, 1 - yes)))


def _sign_parity(rng, T, n):
    """T signs, -1 or +1; the answer at step T: is the number of +1s odd? (±1 trains better than 0/1 bits.)"""
    bits = rng.integers(0, 2, size=(T, n))
    return 2.0 * bits[:, :, None] - 1.0, bits.sum(axis=0) % 2, 2, 0.5


TASK_MAKERS = {"interval": _interval, "later": _later, "sign_parity": _sign_parity}
PER_STEP = ("later",)  # tasks labelled at every step (the others answer at step T only)


def make_data(task, T, n, seed):
    """n seeded sequences of `task` as a TaskData: xs (T, n, I); labels (n,), or (T, n) for PER_STEP."""
    if task not in TASK_MAKERS:
        return make_task(task, T, n, seed=seed)
    xs, target, classes, chance = TASK_MAKERS[task](np.random.default_rng(seed), T, n)
    return TaskData(name=task, xs=xs, target=target, kind="classify", n_out=classes, chance=chance)


def marker_after(T, p=LATER_P):
    """(T,) the chance q_t = 1 - (1 - p)^(T - t) of a marker after step t, t = 1..T, in the "later" task."""
    return 1.0 - (1.0 - p) ** (T - np.arange(1, T + 1))


def one_way_best(T, p=LATER_P):
    """The expected accuracy of the best forward-only answer to "later" (an average over the T steps).

    At step t a forward model has seen x_1..x_t. A marker at t answers "yes" for sure; otherwise
    the past says nothing about the independent steps t+1..T, so the best guess is the likelier
    answer, "yes" with chance q_t = 1 - (1 - p)^(T - t): right with max(q_t, 1 - q_t)."""
    q = marker_after(T, p)  # (T,)
    return float(np.mean(p + (1.0 - p) * np.maximum(q, 1.0 - q)))


def one_way_rule(config):
    """The accuracy, on the race's validation sequences, of the best forward-only rule of one_way_best:
    "yes" at a marker, else "yes" when q_t > 1/2 (any rule can beat it on a sample by luck, a little)."""
    return float(np.mean(_one_way_right(config)))


def _one_way_right(config):
    """(T, n) whether the one-way rule answers each step of each validation sequence right."""
    data = validation_data(config)
    likely = marker_after(config.T) > 0.5  # (T,)
    answer = (data.xs[:, :, 0] > 0) | likely[:, None]  # (T, n)
    return answer == data.target.astype(bool)


def one_way_spread(config):
    """Two standard errors of the one-way rule's score on the race's n_val validation sequences: how far
    a score on that many sequences moves from one draw of them to another. From the rule's score on each
    sequence (its T answers hang together, so they are not T·n independent ones)."""
    per_sequence = _one_way_right(config).mean(axis=0)  # (n,)
    return float(2.0 * per_sequence.std(ddof=1) / np.sqrt(per_sequence.size))


def validation_data(config):
    """The held-out sequences a race measures accuracy on (seeded apart from the training ones)."""
    return make_data(config.task, config.T, config.n_val, 2 * config.seed + 1)


def run_race(config):
    """A generator: one item per optimizer step of each contender in turn (plain LSTM first).

    Items: {"who" (a Contender key), "step", "loss" (this batch, before the update), "ms" (CPU
    time of the step), "val_loss", "val_acc" (None except every eval_every steps and at the last)}.
    """
    train_data = make_data(config.task, config.T, config.n_train, 2 * config.seed)
    val_data = validation_data(config)
    runs = {who.key: _trainer(config, who, train_data) for who in contenders(config.variant)}
    for step in range(1, config.steps + 1):
        for key, steps in runs.items():
            start = time.thread_time()
            info = next(steps)
            ms = 1000.0 * (time.thread_time() - start)
            item = {"who": key, "step": step, "loss": info["loss"], "ms": ms, "val_loss": None, "val_acc": None}
            if step % config.eval_every == 0 or step == config.steps:
                item["val_loss"], item["val_acc"] = _evaluate(info["model"], val_data)
            yield item


def _trainer(config, who, data):
    """The train() generator of one contender: seeded init, the shared batch order, Adam."""
    model = Model.init(who.kind, data.input_size, config.hidden_size, data.n_out, num_layers=who.num_layers,
                       bidirectional=who.bidirectional, seed=config.seed, forget_bias=config.memory_bias)
    if who.kind == "gru":  # its keep gate is z: h_t = (1 - z_t) n_t + z_t h_{t-1}, as in the lab
        model = model.replace_arrays({"layers.0.fwd.b_z": np.full(config.hidden_size, config.memory_bias)})
    batches = _batches(data, config.batch_size, config.seed)
    return train(model, batches, _loss(data), Adam(lr=config.lr), steps=config.steps, clip=config.clip,
                 seed=config.seed)


def _batches(data, batch_size, seed):
    """Endless (xs (T, B, I), labels (B,) or (B, T)) batches: each epoch a seeded shuffle."""
    rng = np.random.default_rng(seed)
    per_step = data.name in PER_STEP
    n = data.xs.shape[1]
    while True:
        order = rng.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            idx = order[start:start + batch_size]
            yield data.xs[:, idx], (data.target[:, idx].T if per_step else data.target[idx])


def _loss(data):
    """A loss_fn for train(): cross-entropy at every step (PER_STEP tasks, labels (B, T)) or at step T."""
    if data.name not in PER_STEP:
        return task_loss(data)
    return lambda y, labels, lengths=None: softmax_cross_entropy(y, labels.T)  # y (T, B, 2)


def _evaluate(model, data):
    """(loss, accuracy) on every sequence of `data`: over all steps for PER_STEP tasks, else at step T."""
    if data.name not in PER_STEP:
        return evaluate_task(model, data)
    y = model_forward(model, data.xs).y  # (T, n, 2)
    return softmax_cross_entropy(y, data.target)[0], accuracy(y, data.target)


@dataclasses.dataclass(frozen=True)
class Standing:
    """Where one contender stands after the items so far."""

    who: str  # its Contender key
    steps: int  # steps trained
    reached: int  # the first evaluated step at or above the threshold; None if not yet
    final_acc: float  # validation accuracy at the latest evaluation (None before the first)
    ms_per_step: float  # median CPU time of a step
    weights: int  # the cells' parameters (without the head)
    multiply_adds: int  # the matrix products' multiply-adds of one time step, all layers and directions


def standings(config, items):
    """{who: Standing} of each contender that has items, from a race's items (so far)."""
    table = {}
    for who in contenders(config.variant):
        mine = [item for item in items if item["who"] == who.key]
        if not mine:
            continue
        evaluated = [item for item in mine if item["val_acc"] is not None]
        reached = next((item["step"] for item in evaluated if item["val_acc"] >= config.threshold), None)
        table[who.key] = Standing(
            who=who.key, steps=mine[-1]["step"], reached=reached,
            final_acc=evaluated[-1]["val_acc"] if evaluated else None,
            ms_per_step=statistics.median(item["ms"] for item in mine),
            weights=model_param_count(who.kind, _input_size(config), config.hidden_size,
                                      num_layers=who.num_layers, bidirectional=who.bidirectional),
            multiply_adds=multiply_adds(who, _input_size(config), config.hidden_size))
    return table


def head_weights(config, who):
    """The weights of `who`'s head in the race (O·(D + 1), D the features it reads): the same for both
    contenders but the bidirectional one's, and left out of Standing.weights, as the Variants page does."""
    data = make_data(config.task, config.T, 1, 0)
    shape = dict(num_layers=who.num_layers, bidirectional=who.bidirectional)
    return (model_param_count(who.kind, data.input_size, config.hidden_size, output_size=data.n_out, **shape)
            - model_param_count(who.kind, data.input_size, config.hidden_size, **shape))


def _input_size(config):
    """Inputs per step of the race's task."""
    return make_data(config.task, config.T, 1, 0).input_size


def multiply_adds(who, input_size, hidden_size):
    """Multiply-adds of one time step of `who`'s cells: each layer's directions, layer 2 reading layer 1."""
    directions = 2 if who.bidirectional else 1
    total, size = 0, input_size
    for _ in range(who.num_layers):
        total += directions * step_multiply_adds(who.kind, size, hidden_size)
        size = directions * hidden_size
    return total


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What a finished race says, as facts a sentence is written from."""

    learned: str  # "variant" or "plain": it reached the threshold first (by more than TIE_STEPS);
    # "both": both did, within TIE_STEPS; "neither": no one reached it
    accuracy: str  # "variant", "plain" (ended more accurate by more than TIE_POINTS) or "same"
    faster_step: str  # "variant" or "plain": the lower median CPU time per step, by more than TIE_CLOCK;
    # "same" within it. Measured, so it moves with the server's load: reported, never a verdict


TIE_CLOCK = 0.05  # median CPU times per step this close (relative) count as equally fast


def outcome(plain, variant):
    """The Outcome of two Standings (the plain LSTM's, the variant's)."""
    if plain.reached is None and variant.reached is None:
        learned = "neither"
    elif plain.reached is None or (variant.reached is not None and plain.reached - variant.reached > TIE_STEPS):
        learned = "variant"
    elif variant.reached is None or variant.reached - plain.reached > TIE_STEPS:
        learned = "plain"
    else:
        learned = "both"
    gap = variant.final_acc - plain.final_acc
    accuracy_word = "same" if abs(gap) <= TIE_POINTS else ("variant" if gap > 0 else "plain")
    clock = variant.ms_per_step / plain.ms_per_step - 1.0
    faster = "same" if abs(clock) <= TIE_CLOCK else ("variant" if clock < 0 else "plain")
    return Outcome(learned=learned, accuracy=accuracy_word, faster_step=faster)


def work_to_learn(config, standing):
    """The multiply-adds of the cells' matrix products (forward) over every time step of every sequence
    the contender trained on until it reached the threshold: steps × B × T × multiply_adds; None if it
    did not. Counted, not timed: the same seed gives the same number on any machine, under any load."""
    if standing.reached is None:
        return None
    return standing.reached * config.batch_size * config.T * standing.multiply_adds


def judgement(result):
    """Who did better, from an Outcome: the more accurate in the end ("variant", "plain"), "mixed"
    if the other learned first; equally accurate: "variant_sooner", "plain_sooner" or "even"."""
    if result.accuracy != "same":
        return "mixed" if result.learned == _other(result.accuracy) else result.accuracy
    return {"variant": "variant_sooner", "plain": "plain_sooner"}.get(result.learned, "even")


def _other(side):
    return "plain" if side == "variant" else "variant"


def claim_holds(config, plain, variant):
    """Whether the race supports the notes' claim about its variant (ui/variants/race_words.CLAIMS):
    peephole, stacked: the variant did better or as well but sooner; coupled: it ended as accurate
    or more; gru: it did less work to learn (work_to_learn; with neither learning, less per step);
    bidirectional: it beat the best one-way rule on the validation sequences by more than the sampling
    spread of their score (one_way_spread) while the plain LSTM did not. Every verdict rests on seeded
    counts, never on a clock."""
    result = outcome(plain, variant)
    if config.variant == "coupled":
        return result.accuracy != "plain"
    if config.variant == "gru":
        return _less_work(config, plain, variant)
    if config.variant == "bidirectional":
        bound = one_way_rule(config) + one_way_spread(config)
        return variant.final_acc > bound >= plain.final_acc
    return judgement(result) in ("variant", "variant_sooner")


def _less_work(config, plain, variant):
    """Whether the variant learned with fewer multiply-adds in all (work_to_learn), or, with neither
    learning, does fewer a step; a contender that learned beats one that did not."""
    mine, theirs = work_to_learn(config, variant), work_to_learn(config, plain)
    if mine is None and theirs is None:
        return variant.multiply_adds < plain.multiply_adds
    return theirs is None or (mine is not None and mine < theirs)
