"""The training lab's settings as plain data that travels in a link, and what they ask the engine.

`TrainState` holds what a student sets; `config(state)` turns it into the engine's LabConfig,
which validates it (a bad learning rate or size raises ValueError with a readable reason).
"""
import dataclasses

from lstm_core import lab, tasks

from . import link
from .lessons import Lesson

KIND_NAMES = {"rnn": "tanh RNN", "rnn_sigmoid": "sigmoid RNN", "lstm": "LSTM", "gru": "GRU"}
TASK_NAMES = {"remember_first": "Remember the first value", "adding": "The adding problem",
              "sine": "Continue a sine wave", "parity": "Parity of a bit sequence"}
MAX_DELAY = 200
SWEEP_DELAYS = (5, 10, 20, 50)


@dataclasses.dataclass(frozen=True)
class TrainState:
    """What the training lab shows; `kinds` is comma-separated so the link stays readable."""

    task: str = "remember_first"
    T: int = 50  # the delay / sequence length
    kinds: str = "rnn,lstm,gru"
    H: int = 4  # 4 or less can be opened in the cell pages
    lr: float = 0.01
    optimizer: str = "adam"
    batch: int = 32
    clip: float = 1.0  # 0: off
    steps: int = 300
    n_train: int = 4096  # many examples: the RNN cannot pass by memorising noise
    weight_decay: float = 0.0
    dropout: float = 0.0
    patience: int = 0  # 0: no early stopping
    memory_bias: float = 3.0  # initial b_f (LSTM) and b_z (GRU): sigma(3) = 0.95 kept per step
    seed: int = 0
    large: int = 0

    def kind_list(self):
        return tuple(k for k in self.kinds.split(",") if k)


def config(state, **overrides):
    """The engine's LabConfig for these settings (ValueError if the engine rejects them)."""
    if state.task not in tasks.TASKS:
        raise ValueError(f"unknown task '{state.task}'")
    if not state.kind_list() or any(k not in KIND_NAMES for k in state.kind_list()):
        raise ValueError("choose at least one model to train")
    if not 1 <= state.T <= MAX_DELAY:
        raise ValueError(f"the delay must be between 1 and {MAX_DELAY} steps")
    settings = dict(task=state.task, T=state.T, kinds=state.kind_list(), hidden_size=state.H,
                    lr=state.lr, optimizer=state.optimizer, batch_size=state.batch,
                    clip=state.clip if state.clip > 0 else None, steps=state.steps,
                    n_train=state.n_train, weight_decay=state.weight_decay, dropout=state.dropout,
                    patience=state.patience if state.patience > 0 else None, seed=state.seed,
                    memory_bias=state.memory_bias)
    settings.update(overrides)
    cfg = lab.LabConfig(**settings)
    lab.validate(cfg)
    return cfg


def from_query(query):
    """A TrainState from a link (ValueError with a readable reason if it is not valid)."""
    state = link.from_query(TrainState, query)
    try:
        config(state)
    except ValueError as err:
        raise ValueError(f"the link's settings are not valid: {err}") from None
    return state


TRAIN_PRESETS = (
    Lesson("LSTM remembers, RNN forgets",
           "A bit arrives at step 1 and must be reported at step 50, with noise in between. "
           "Watch the LSTM's accuracy climb to 100 % while the RNN stays at chance: its "
           "gradient from step 50 never reaches step 1.",
           TrainState, {"task": "remember_first", "T": 50}),
    Lesson("Short delay: everyone learns",
           "With a delay of 5 steps the gradient survives even in a plain RNN: all three "
           "models learn. Raise the delay and see which one keeps up.",
           TrainState, {"task": "remember_first", "T": 5}),
    Lesson("The adding problem",
           "Hochreiter & Schmidhuber's test: add the two marked numbers of a long sequence. "
           "The loss falls below the 'always guess 1' level only when a model can carry "
           "both values to the end.",
           TrainState, {"task": "adding", "T": 30, "steps": 400}),
    Lesson("A low forget bias forgets too",
           "Start the LSTM with b_f = 1 instead of 3: it keeps only σ(1) = 0.73 of its memory per "
           "step, its gradient vanishes across 50 steps like the RNN's, and it fails too.",
           TrainState, {"task": "remember_first", "T": 50, "memory_bias": 1.0, "kinds": "rnn,lstm"}),
    Lesson("Overfitting on 32 examples",
           "Only 32 training sequences: the training loss keeps falling while the "
           "validation loss turns up. Try weight decay, dropout or early stopping.",
           TrainState, {"task": "parity", "T": 8, "n_train": 32, "steps": 600, "H": 16, "kinds": "lstm"}),
)
TRAIN_PRESETS_BY_NAME = {p.name: p for p in TRAIN_PRESETS}
