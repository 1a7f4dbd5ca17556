"""The checkpoints of the guided path's Compare steps: Variants and Trade-offs.

Like ui/path/checkpoints.py (read its docstring): each outcome asks the engine and the verdict and
reveal are read off its numbers. Pure: no Streamlit.
"""
import dataclasses

from lstm_core import costs
from lstm_core.cells import CELLS

from ui.path.checkpoints import Checkpoint
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
