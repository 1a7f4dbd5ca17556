"""The gradients page's state as plain data, its presets, and the flows it shows.

A `GradState` decides everything on the page: the four cells' size, seed and weight scale, the
LSTM's forget bias, clipping, and the input. It travels in the link like the cell pages' state.
"""
import dataclasses

import numpy as np

from lstm_core import flow as F

from ui.common import link
from ui.common.sequences import GENERATORS, MAX_STEPS, generate

MAX_HIDDEN = 32
SCALE_RANGE = (0.1, 10.0)
FORGET_BIAS_RANGE = (-6.0, 6.0)
VANISHED = 1e-6  # below this share of the last step's gradient, call it vanished


@dataclasses.dataclass(frozen=True)
class GradState:
    """What the gradients page shows."""

    H: int = 8
    seed: int = 0
    scale: float = 1.0  # multiplies every recurrent matrix
    forget_bias: float = 1.0  # the LSTM's b_f
    biases: int = 1  # 0: all other biases zero
    clip: float = 0.0  # max gradient norm; 0 means no clipping
    gen: str = "sine"  # generator, or "typed"
    length: int = 100
    xs: tuple = None  # typed input, one value per step
    preset: str = ""
    large: int = 0

    def sequence(self):
        """The (T, 1) input."""
        if self.xs is None:
            return generate(self.gen, self.length, input_size=1, seed=self.seed)
        return np.array(self.xs, dtype=np.float64)[:, None]

    def flows(self):
        """Exact gradient flows of the four cells on this input: dict kind -> GradientFlow."""
        cells = F.make_cells(self.H, seed=self.seed, scale=self.scale,
                             forget_bias=self.forget_bias, biases=bool(self.biases))
        xs = self.sequence()
        return {kind: F.gradient_flow(kind, cells[kind], xs) for kind in F.KINDS}

    def max_norm(self):
        """The clipping threshold, or None when clipping is off."""
        return self.clip if self.clip > 0 else None


def validate(state):
    """Raise ValueError (mentioning the link) unless the page can show this state."""
    checks = [
        (1 <= state.H <= MAX_HIDDEN, f"H must be 1..{MAX_HIDDEN}"),
        (0 <= state.seed < 2**32, "the seed must be 0..4294967295"),
        (SCALE_RANGE[0] <= state.scale <= SCALE_RANGE[1], f"the scale must be {SCALE_RANGE[0]}..{SCALE_RANGE[1]}"),
        (FORGET_BIAS_RANGE[0] <= state.forget_bias <= FORGET_BIAS_RANGE[1], "the forget bias is out of range"),
        (state.biases in (0, 1) and state.large in (0, 1), "a switch must be 0 or 1"),
        (0 <= state.clip <= 1e6, "the clipping threshold must be 0 (off) to 1e6"),
        (state.gen in GENERATORS + ("typed",), f"the generator '{state.gen}' is unknown"),
        (1 <= state.length <= MAX_STEPS, f"the length must be 1..{MAX_STEPS}"),
        (state.xs is None or 0 < len(state.xs) <= MAX_STEPS, f"the input must have 1..{MAX_STEPS} values"),
    ]
    for ok, message in checks:
        if not ok:
            raise ValueError(f"the link's {message}")
    return state


def from_query(query):
    """A valid GradState from a link's query dict; ValueError with a readable reason if bad."""
    return validate(link.from_query(GradState, query))


def with_sequence(state, xs):
    """A copy whose input is the typed (T, 1) array xs."""
    xs = np.asarray(xs, dtype=np.float64)
    return dataclasses.replace(state, xs=tuple(float(v) for v in xs[:, 0]), gen="typed",
                               length=len(xs), preset="")


def status(flow):
    """One word for what happened to this cell's gradient by step 1, with the number.

    For the LSTM the larger of the h and cell paths counts: either carries the signal back.
    """
    first = float(flow.dh_norm[0])
    if flow.dc_norm is not None and not flow.dc_norm[0] <= first:
        first = float(flow.dc_norm[0])
    if not np.isfinite(first):
        return "overflowed", first
    if first > F.EXPLODED:
        return "exploded", first
    if first < VANISHED:
        return "vanished", first
    return "survived", first
