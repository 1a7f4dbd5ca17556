"""The training lab's settings as plain data that travels in a link, and what they ask the engine.

`TrainState` holds what a student sets; `config(state)` turns it into the engine's LabConfig,
which validates it (a bad learning rate or size raises ValueError with a readable reason).
"""
import dataclasses

from lstm_core import canonical, lab, tasks

from ui.common import link

MODEL_CHOICES = ("rnn_tanh", "rnn_sigmoid", "lstm", "gru")  # the kinds the lab offers, in menu order
MAX_DELAY = 200
SWEEP_DELAYS = (5, 10, 20, 50)


@dataclasses.dataclass(frozen=True)
class TrainState:
    """What the training lab shows; `kinds` is comma-separated so the link stays readable."""

    task: str = "remember_first"
    T: int = 50  # the delay / sequence length
    kinds: str = "rnn_tanh,lstm,gru"  # cell kinds (lstm_core.cells), comma-separated
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
    if not state.kind_list() or any(k not in MODEL_CHOICES for k in state.kind_list()):
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
    """A TrainState from a link (ValueError with a readable reason if it is not valid).

    Older links name the tanh RNN "rnn": kinds are read in today's names."""
    state = link.from_query(TrainState, query)
    try:
        state = dataclasses.replace(state, kinds=",".join(canonical(k) for k in state.kind_list()))
    except ValueError as err:
        raise ValueError(f"the link's models are not valid: {err}") from None
    try:
        config(state)
    except ValueError as err:
        raise ValueError(f"the link's settings are not valid: {err}") from None
    return state
