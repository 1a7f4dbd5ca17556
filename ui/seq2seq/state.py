"""The Sequence-to-sequence page's settings as plain data that travels in a link, and what they ask the engine.

`Seq2SeqState` holds what a student sets: the task, the lengths trained on and the model's recipe (turned
into the engine's Seq2SeqConfig by `config`), and the digit string typed under *Try it* ("" for the
default example of the model's task).
"""
import dataclasses

from lstm_core import seq2seq as S

from ui.common import link

LR_CHOICES = ("0.001", "0.002", "0.005", "0.01", "0.02", "0.05")  # Adam's step, as text for the link
FIRST, SECOND = "271828182845", "314159265358"  # the default examples' digits: e and π


@dataclasses.dataclass(frozen=True)
class Seq2SeqState:
    """What the Sequence-to-sequence page shows; each ranged field's range is its widget's range too."""

    task: str = link.choice("reverse", S.TASKS)
    min_len: int = link.ranged(1, *S.LIMITS["min_len"])
    max_len: int = link.ranged(6, *S.LIMITS["max_len"])
    units: int = link.ranged(64, S.LIMITS["units"][0], 128, step=2)
    reverse_input: int = link.ranged(0, 0, 1)  # 1: the encoder reads the input backwards
    lr: str = link.choice("0.01", LR_CHOICES)
    batch: int = link.ranged(64, *S.LIMITS["batch_size"], step=1)
    steps: int = link.ranged(600, 20, 5000, step=20)
    seed: int = link.ranged(0, 0, 9999, step=1)
    text: str = ""  # the learner's input under Try it; "": default_text of the model's task
    preset: str = ""  # the lesson last picked ("" when none, OWN when the student picked their own settings)
    large: int = link.ranged(0, 0, 1)


def config(state):
    """The engine's Seq2SeqConfig for these settings (ValueError if the engine rejects them)."""
    link.check(state)
    cfg = S.Seq2SeqConfig(task=state.task, min_len=state.min_len, max_len=state.max_len, units=state.units,
                          lr=float(state.lr), batch_size=state.batch, steps=state.steps,
                          reverse_input=bool(state.reverse_input), report_every=report_every(state.steps),
                          seed=state.seed)
    return S.validate(cfg)


def report_every(steps):
    """Adam steps between two progress items: about 30 items a run, at least every 10 steps."""
    return max(10, steps // 30)


def default_text(task, n):
    """The example Try it opens on: n digits of e (reversed or sorted), or n of e + n of π for add."""
    return FIRST[:n] + "+" + SECOND[:n] if task == "add" else FIRST[:n]


def check_text(text, task):
    """The typed text, stripped of spaces, if `task` can read it; else ValueError saying why."""
    S.encode_digits(text, task)
    return "".join(text.split())


def from_query(query):
    """A Seq2SeqState from a link (ValueError with a readable reason if it is not valid)."""
    state = link.from_query(Seq2SeqState, query)
    try:
        config(state)
        if state.text:
            check_text(state.text, state.task)
    except ValueError as err:
        raise ValueError(f"the link's settings are not valid: {err}") from None
    return state
