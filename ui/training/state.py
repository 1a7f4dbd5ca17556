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
    """What the training lab shows; `kinds` is comma-separated so the link stays readable.

    Each ranged field's range is both what a link may hold and its widget's range; the engine
    (lab.validate, through `config`) adds what ties settings together.
    """

    task: str = link.choice("remember_first", tasks.TASKS)
    T: int = link.ranged(50, 5, MAX_DELAY)  # the delay / sequence length
    kinds: str = "rnn_tanh,lstm,gru"  # cell kinds (lstm_core.cells), comma-separated
    H: int = link.ranged(4, 1, 32)  # 4 or less can be opened in the cell pages
    lr: float = link.ranged(0.01, 0.0, 10.0, step=0.001)  # the widget's floor 0: the engine refuses it
    optimizer: str = link.choice("adam", ("adam", "sgd"))
    batch: int = link.ranged(32, 1, 512, step=1)
    clip: float = link.ranged(1.0, 0.0, 100.0, step=0.5)  # 0: off
    steps: int = link.ranged(300, 1, 5000, step=50)
    n_train: int = link.ranged(4096, 8, 8192, step=8)  # many: the RNN cannot pass by memorising noise
    weight_decay: float = link.ranged(0.0, 0.0, 1.0, step=0.001)
    dropout: float = link.ranged(0.0, 0.0, 0.9, step=0.05)
    patience: int = link.ranged(0, 0, 100, step=1)  # 0: no early stopping
    memory_bias: float = link.ranged(3.0, -2.0, 6.0, step=0.5)  # initial b_f (LSTM), b_z (GRU): σ(3) = 0.95
    seed: int = link.ranged(0, 0, 2**31 - 1, step=1)
    large: int = link.ranged(0, 0, 1)

    def kind_list(self):
        return tuple(k for k in self.kinds.split(",") if k)


def config(state, **overrides):
    """The engine's LabConfig for these settings (ValueError if the engine rejects them)."""
    link.check(state)  # every field within its widget's range
    if not state.kind_list() or any(k not in MODEL_CHOICES for k in state.kind_list()):
        raise ValueError("choose at least one model to train")
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
