"""The Trade-offs page's settings as plain data that travels in a link, and what they ask the engine.

`TradeoffsState` holds the experiment on screen and every experiment's settings, each group named by its
prefix: `cost_` (time against T), `fit_` (overfitting on small data), `lr_` (final loss against learning
rate), and Helper D's fields for the short-term and limited-context sections (ui/tradeoffs/fields_d.md).
`timing_request`, `fit_config` and `sweep_config` turn a group into what the engine runs; each raises
ValueError with a readable reason for settings it cannot run.
"""
import dataclasses

from lstm_core import lab
from lstm_core import tradeoffs as X

from ui.common import link

EXPERIMENTS = ("cost", "overfit", "lr", "short_term", "context")  # the picker's order
COST_KINDS = ("rnn_tanh", "gru", "lstm")  # the cells timed and swept, cheapest step first
LENGTHS = (10, 20, 50, 100, 200)  # the sequence lengths T timed
REPEATS = 5  # calls per measurement; the median is kept
FIT_TASK = dict(task="parity", T=8, hidden_size=16, kinds=("lstm",))  # the lab's "Overfitting on 32 examples"
LR_TASK = "remember_first"  # the lab's memory task: the bit at step 1, asked at step T
LR_EXPONENTS = {"adam": (-4, 0), "sgd": (-2, 1)}  # each optimizer's learning-rate grid, 10^low .. 10^high


@dataclasses.dataclass(frozen=True)
class TradeoffsState:
    """What the Trade-offs page shows; each ranged field's range is its widget's range too."""

    experiment: str = link.choice("cost", EXPERIMENTS)
    # Computational cost: forward passes timed against T
    cost_H: int = link.ranged(32, 2, 128, step=2)  # units H of every cell timed
    cost_B: int = link.ranged(32, 1, 256, step=1)  # sequences per forward pass
    # Overfitting on small data: the lab's LSTM on parity of 8 bits
    fit_n: int = link.ranged(32, 8, 4096, step=8)  # training sequences
    fit_dropout: float = link.ranged(0.0, 0.0, 0.9, step=0.05)
    fit_decay: float = link.ranged(0.0, 0.0, 0.1, step=0.0005)  # weight decay (L2), shown to 4 decimals
    fit_patience: int = link.ranged(0, 0, 100, step=1)  # early stopping after this many evaluations; 0: off
    fit_steps: int = link.ranged(600, 50, 3000, step=50)
    fit_seed: int = link.ranged(0, 0, 9999, step=1)
    # Training difficulty: final loss against learning rate
    lr_optimizer: str = link.choice("adam", tuple(LR_EXPONENTS))
    lr_clip: float = link.ranged(0.0, 0.0, 10.0, step=0.5)  # largest gradient norm; 0: off
    lr_T: int = link.ranged(20, 5, 50, step=1)  # the delay of the memory task
    lr_steps: int = link.ranged(150, 50, 1000, step=50)  # 27 trainings in ~6 s of CPU
    lr_seed: int = link.ranged(0, 0, 9999, step=1)
    # Short-term dependencies (Helper D: ui/tradeoffs/short_term.py)
    k: int = link.ranged(3, 1, 10)  # the window: the answer depends on the last k inputs only
    st_steps: int = link.ranged(300, 50, 1000, 50)  # the LSTM's training steps
    st_seed: int = link.ranged(0, 0, 9999)  # data, init and batches of the short-term run
    # Limited context (Helper D: ui/tradeoffs/context.py)
    ctx: str = link.choice("delay", ("delay", "items"))  # (a) accuracy against delay, (b) against number of items
    ctx_delay: int = link.ranged(5, 2, 20)  # (a) the delay the model is trained at
    ctx_H: int = link.ranged(8, 2, 32)  # (b) the fixed hidden size
    ctx_seed: int = link.ranged(0, 0, 9999)  # data, init and batches of the limited-context run
    preset: str = ""  # the lesson last picked ("" when none, OWN once the student picked their own settings)
    large: int = link.ranged(0, 0, 1)


@dataclasses.dataclass(frozen=True)
class TimingRequest:
    """What one measurement times: the cells, the lengths, their sizes (I is the lab's 2 features)."""

    kinds: tuple = COST_KINDS
    lengths: tuple = LENGTHS
    hidden_size: int = 32
    batch_size: int = 32
    input_size: int = 2
    repeats: int = REPEATS


def timing_request(state):
    """The TimingRequest of the cost settings."""
    link.check(state)
    return TimingRequest(hidden_size=state.cost_H, batch_size=state.cost_B)


def fit_config(state):
    """The lab's LabConfig of the overfitting settings (ValueError if the lab refuses them)."""
    link.check(state)
    return lab.validate(lab.LabConfig(**FIT_TASK, n_train=state.fit_n, batch_size=min(32, state.fit_n),
                                      dropout=state.fit_dropout, weight_decay=state.fit_decay,
                                      patience=state.fit_patience or None, steps=state.fit_steps,
                                      seed=state.fit_seed))


def sweep_config(state):
    """(LabConfig, learning rates) of the training-difficulty settings: every cost kind on the memory
    task, evaluated after the last step, at each rate of the optimizer's grid."""
    link.check(state)
    cfg = lab.LabConfig(task=LR_TASK, T=state.lr_T, kinds=COST_KINDS, optimizer=state.lr_optimizer,
                        clip=state.lr_clip or None, steps=state.lr_steps, n_train=1024, seed=state.lr_seed)
    return lab.validate(cfg), X.lr_grid(*LR_EXPONENTS[state.lr_optimizer])


CHECKS = {"cost": timing_request, "overfit": fit_config, "lr": sweep_config}
ON_STEP = ("fit_dropout", "fit_decay", "lr_clip")  # float settings whose widget shows only multiples of the step


def on_step(state):
    """Raise ValueError if a float setting lies off its widget's step: its box would show a rounded value
    while the run used another (0.0005 shown as 0.001)."""
    for name in ON_STEP:
        value, step = getattr(state, name), link.limits(TradeoffsState, name)["step"]
        if abs(value / step - round(value / step)) > 1e-6:
            raise ValueError(f"'{name}' = {value:g} is not a multiple of {step:g}, the step its box shows")
    return state


def check(state):
    """Raise ValueError if the settings of the experiment on screen cannot run; return state."""
    on_step(link.check(state))
    if state.experiment in CHECKS:
        CHECKS[state.experiment](state)
    return state


def training_link(state):
    """The training lab's link with the overfitting run's settings, to see it there (its TrainState's names)."""
    query = {"task": FIT_TASK["task"], "T": FIT_TASK["T"], "H": FIT_TASK["hidden_size"],
             "kinds": ",".join(FIT_TASK["kinds"]), "n_train": state.fit_n, "batch": min(32, state.fit_n),
             "steps": state.fit_steps, "dropout": state.fit_dropout, "weight_decay": state.fit_decay,
             "patience": state.fit_patience, "seed": state.fit_seed}
    return "/training?" + "&".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in query.items())


def from_query(query):
    """A TradeoffsState from a link (ValueError with a readable reason if it is not valid)."""
    state = link.from_query(TradeoffsState, query)
    try:
        check(state)
    except ValueError as err:
        raise ValueError(f"the link's settings are not valid: {err}") from None
    return state
