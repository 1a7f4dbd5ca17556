"""The gradients page's state as plain data, its presets, and the flows it shows.

A `GradState` decides everything on the page: the four cells' size, seed and weight scale, the
LSTM's forget bias, clipping, and the input. It travels in the link like the cell pages' state.
"""
import dataclasses

import numpy as np

from lstm_core import flow as F

from ui.common import link
from ui.common.sequences import GENERATORS, MAX_ABS, MAX_STEPS, generate

MAX_HIDDEN = 32
VIEWS = ("animation", "heatmaps", "factors", "clipping")  # the figure under the main chart


@dataclasses.dataclass(frozen=True)
class GradState:
    """What the gradients page shows; each ranged field's range is its link's and its widget's."""

    H: int = link.ranged(8, 1, MAX_HIDDEN)
    seed: int = link.ranged(0, 0, 2**32 - 1, step=1)
    scale: float = link.ranged(1.0, 0.1, 10.0, step=0.1)  # multiplies every recurrent matrix
    forget_bias: float = link.ranged(1.0, -6.0, 6.0, step=0.5)  # the LSTM's b_f
    biases: int = link.ranged(1, 0, 1)  # 0: all other biases zero
    clip: float = link.ranged(0.0, 0.0, 1e6, step=0.5)  # max gradient norm; 0 means no clipping
    gen: str = link.choice("sine", GENERATORS + ("typed",))  # generator, or "typed"
    length: int = link.ranged(100, 1, MAX_STEPS, step=1)
    xs: tuple = link.ranged(None, -MAX_ABS, MAX_ABS)  # typed input, one value per step
    view: str = link.choice("animation", VIEWS)  # which figure the page shows under the main chart
    preset: str = ""  # a lesson's name (checked in from_query: the lessons are built from this class)
    large: int = link.ranged(0, 0, 1)

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
    """Raise ValueError (mentioning the link) unless the page can show this state.

    The fields' own ranges and choices are link.check's; here: what ties fields together.
    """
    link.check(state)
    if (state.gen == "typed") != (state.xs is not None):
        raise ValueError("the link's input must be typed numbers ('xs') exactly when 'gen' is 'typed'")
    if state.xs is not None and len(state.xs) != state.length:
        raise ValueError(f"the link's 'xs' has {len(state.xs)} values, but 'length' says {state.length}")
    return state


def from_query(query):
    """A valid GradState from a link's query dict; ValueError with a readable reason if bad.

    A link to a lesson under its older name opens today's lesson of that name, whole."""
    from ui.gradients.lessons import BY_NAME, OLD_NAMES  # here, not on top: the lessons are GradStates
    state = validate(link.from_query(GradState, query))
    if state.preset in OLD_NAMES:
        return BY_NAME[OLD_NAMES[state.preset]].state(state.large)
    if state.preset and state.preset not in BY_NAME:
        raise ValueError(f"the link's preset '{state.preset[:40]}' is not one of this page's lessons")
    return state


def with_sequence(state, xs):
    """A copy whose input is the typed (T, 1) array xs."""
    xs = np.asarray(xs, dtype=np.float64)
    return dataclasses.replace(state, xs=tuple(float(v) for v in xs[:, 0]), gen="typed",
                               length=len(xs), preset="")


def status(flow):
    """One word for what happened to this cell's gradient by step 1, with the number: vanished
    below F.VANISHED, exploded above F.EXPLODED (with dL/dh_T of size 1), else survived.

    For the LSTM the larger of the h and cell paths counts: either carries the signal back.
    """
    first = float(flow.dh_norm[0])
    if flow.dc_norm is not None and not flow.dc_norm[0] <= first:
        first = float(flow.dc_norm[0])
    if not np.isfinite(first):
        return "overflowed", first
    if first > F.EXPLODED:
        return "exploded", first
    if first < F.VANISHED:
        return "vanished", first
    return "survived", first


@dataclasses.dataclass(frozen=True)
class Memory:
    """What the LSTM's cell path alone keeps over the steps back from T to 1: the numbers behind
    its status word. One step back along C multiplies the gradient by f_t, so T - 1 steps keep ∏ f."""

    mean_f: float  # f̄, the mean forget gate over steps and units
    kept: float  # ∏ f_t over t = 2..T, the mean over units (the factor chart's value at step 1)
    steps_back: int  # T - 1
    half_life: float  # ln 0.5 / ln f̄: steps after which the cell path has halved a memory

    @property
    def half_lives(self):
        """How many half-lives the steps back span: about 10 of them take ∏ f below F.VANISHED."""
        return self.steps_back / self.half_life if self.half_life > 0 else np.inf


def memory(lstm_flow):
    """The Memory of an LSTM's flow."""
    f = lstm_flow.trace.f  # (T, H)
    mean_f = float(np.mean(f))
    return Memory(mean_f=mean_f, kept=float(F.carry_products(f)[0].mean()), steps_back=len(f) - 1,
                  half_life=F.half_life(mean_f))


def per_step(flow):
    """The gradient's mean factor per step back, ||dL/dh_1||^(1/(T-1)): below 1 it shrinks, above
    1 it grows. None where it cannot be read: T = 1, or a gradient of 0 or ∞ at step 1."""
    first, steps = float(flow.dh_norm[0]), len(flow.dh_norm) - 1
    if steps == 0 or not 0 < first < np.inf:
        return None
    return first ** (1.0 / steps)


def steps_back(flow, step):
    """How many steps back from the loss at step T the 0-based row `step` is."""
    return len(flow.dh_norm) - 1 - step
