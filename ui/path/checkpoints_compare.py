"""The checkpoints of the guided path's Compare steps: Variants and Trade-offs.

Like ui/path/checkpoints.py (read its docstring): each outcome asks the engine and the verdict and
reveal are read off its numbers. Pure: no Streamlit.
"""
import dataclasses

from lstm_core import context as context_engine
from lstm_core import costs
from lstm_core.cells import CELLS

from ui.path.checkpoints import Checkpoint
from ui.tradeoffs.context import config as context_config
from ui.tradeoffs.state import TradeoffsState
from ui.variants.state import VariantsState

H, I = 8, 1  # the variants checkpoint's sizes: the page's default cell


def variants_state(large=0):
    """The Variants page comparing the GRU with the plain LSTM at H = 8, I = 1."""
    return dataclasses.replace(VariantsState(), variant="gru", H=H, I=I, large=large)


def _stored(kind):
    """How many numbers a freshly made cell of `kind` holds: the sizes of its arrays."""
    return sum(a.size for a in CELLS[kind].init(I, H, seed=0).arrays().values())


def _variants_outcome():
    """Parameters of the LSTM, the GRU and the coupled-gate LSTM at H, I, counted from the engine's
    arrays, and the multiply-adds of one step of the first two."""
    return {"lstm": _stored("lstm"), "gru": _stored("gru"), "coupled": _stored("lstm_coupled"),
            "lstm_madds": costs.step_multiply_adds("lstm", I, H), "gru_madds": costs.step_multiply_adds("gru", I, H),
            "torch_lstm": costs.framework_count("lstm", I, H), "torch_gru": costs.framework_count("gru", I, H)}


def _variants_verdict(n):
    """0 the LSTM has fewer, 1 the GRU has fewer, 2 the same."""
    return 0 if n["lstm"] < n["gru"] else 1 if n["gru"] < n["lstm"] else 2


VARIANTS = Checkpoint(
    question=(f"A GRU has two gates and a candidate; an LSTM has three gates and a candidate. Both read "
              f"$I = {I}$ input and have $H = {H}$ units. Which has fewer parameters?"),
    options=("The LSTM", "The GRU", "They have the same number"),
    outcome=_variants_outcome,
    verdict=_variants_verdict,
    reveal=lambda n: (f"The GRU holds {n['gru']} numbers, the LSTM {n['lstm']}: each gate or candidate is one "
                      f"$H \\times (H + I) = {H} \\times {H + I}$ weight block, and the GRU has three blocks to the "
                      f"LSTM's four, so a step costs {n['gru_madds']} multiply-adds instead of {n['lstm_madds']} "
                      f"({n['gru_madds'] / n['lstm_madds']:.0%} as many). "
                      f"The coupled-gate LSTM, whose input gate is $1 - f_t$, has fewer still: {n['coupled']}. "
                      f"torch counts {n['torch_gru']} and {n['torch_lstm']}, since it stores two biases per gate. "
                      "Committing loaded the GRU beside the LSTM: compare their equations and diagrams."),
    settings=variants_state,
)


def tradeoffs_state(large=0):
    """The Trade-offs page's limited-context experiment at its defaults: remember_first trained at a
    delay of 5, tested far beyond it."""
    return dataclasses.replace(TradeoffsState(), experiment="context", ctx="delay", large=large)


def _tradeoffs_outcome():
    """The page's delay run: each cell's accuracy at the training delay and at the longest test delay."""
    cfg = context_config(tradeoffs_state())
    summary = context_engine.delay_summary(list(context_engine.run_delays(cfg)), cfg)
    lstm, rnn = summary["lstm"], summary["rnn_tanh"]
    return {"trained": cfg.train_delay, "far": lstm["far"], "lstm_trained": lstm["train_acc"],
            "lstm_far": lstm["far_acc"], "lstm_worst": lstm["worst_acc"], "rnn_trained": rnn["train_acc"], "rnn_next": rnn["next_acc"],
            "rnn_far": rnn["far_acc"], "units": cfg.hidden_size}


def _tradeoffs_verdict(n):
    """Over 90 %: almost always; under 10 %: rarely; 40–60 %: about half (a coin toss); else none."""
    far = n["lstm_far"]
    return 0 if far > 0.9 else 2 if far < 0.1 else 1 if 0.4 <= far <= 0.6 else None


def _tradeoffs_reveal(n):
    """What the delay run showed, in words with its numbers."""
    if n["lstm_worst"] == n["lstm_far"] == n["lstm_trained"]:
        everywhere = ", as at every delay tested"
    else:
        everywhere = f", and at least {n['lstm_worst']:.0%} at every delay tested"
    return (f"At a delay of {n['trained']} the LSTM is right {n['lstm_trained']:.0%} of the time, at {n['far']} "
            f"{n['lstm_far']:.0%}{everywhere}: it learnt to hold the bit, however long it is asked to. The tanh "
            f"RNN trained beside it is right {n['rnn_trained']:.0%} of the time at {n['trained']} but "
            f"{n['rnn_next']:.0%} at {n['trained'] + 1}: its answer flips sign every step, so at {n['far']} it is "
            f"right only where the flips happen to land ({n['rnn_far']:.0%}). So here the LSTM's context is not "
            f"limited in time; it is limited in amount: the same {n['units']} units recall fewer and fewer bits "
            "as there are more to hold (pick *against number of items*). Committing loaded the delay run: "
            "press **Run**.")


TRADEOFFS = Checkpoint(
    question=("Our notes list *limited context* among the LSTM's disadvantages. An LSTM with 8 units learns the "
              "training lab's memory task with the bit 5 steps back. Now the bit is 500 steps back, a hundred "
              "times further than it ever trained on: how often does it recall the bit?"),
    options=("Almost always (over 90 %)", "About half the time (a coin toss)", "Rarely (under 10 %)"),
    outcome=_tradeoffs_outcome,
    verdict=_tradeoffs_verdict,
    reveal=lambda n: _tradeoffs_reveal(n),
    settings=tradeoffs_state,
)
