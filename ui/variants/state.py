"""The Variants page's settings as plain data that travels in a link.

`VariantsState` holds the variant compared with the plain LSTM, the cells' sizes and seed, the input
(a generator and a length, or typed numbers: `xs`, flat and time-major), the step and unit the
diagrams show (1-based, kept inside the input and the cell by `step_shown` and `unit_shown`), and the
race's own seed (the race section: ui/variants/races.py).
"""
import dataclasses

import numpy as np

from lstm_core.variants import VARIANTS
from ui.common import link
from ui.common.sequences import GENERATORS, MAX_ABS, generate

MAX_LENGTH = 60  # steps: enough to see a gradient vanish, few enough for a rerun in a blink


@dataclasses.dataclass(frozen=True)
class VariantsState:
    """What the Variants page shows; each ranged field's range is its widget's range too."""

    variant: str = link.choice("peephole", VARIANTS)
    H: int = link.ranged(8, 1, 16, step=1)  # hidden units of every cell
    I: int = link.ranged(1, 1, 4, step=1)  # input features
    seed: int = link.ranged(0, 0, 9999, step=1)  # the weights of both models
    gen: str = link.choice("sine", GENERATORS + ("typed",))  # generator name, or "typed"
    length: int = link.ranged(24, 1, MAX_LENGTH, step=1)
    xs: tuple = link.ranged(None, -MAX_ABS, MAX_ABS)  # None: generated; else flat (T * I), time-major
    t: int = link.ranged(24, 1, MAX_LENGTH, step=1)  # the step the diagrams show, 1-based
    unit: int = link.ranged(1, 1, 16, step=1)  # the unit the diagrams show, 1-based
    race_seed: int = link.ranged(0, 0, 9999, step=1)  # the race's seed (its own: a race is slow)
    preset: str = ""  # the lesson last picked ("" when none, OWN when the student picked their own)
    large: int = link.ranged(0, 0, 1)

    def sequence(self):
        """The input, (T, I) float64."""
        if self.xs is None:
            return generate(self.gen, self.length, input_size=self.I, seed=self.seed)
        return np.array(self.xs, dtype=np.float64).reshape(-1, self.I)

    def step_shown(self):
        """The 0-based step the diagrams show: t, kept inside the input."""
        return min(self.t, self.length) - 1

    def unit_shown(self):
        """The 0-based unit the diagrams show: unit, kept inside the cell."""
        return min(self.unit, self.H) - 1

    def with_sequence(self, xs):
        """A copy holding the typed (T, I) input `xs`; ValueError if it has more steps than the page
        shows (its link could not be opened again)."""
        xs = np.asarray(xs, dtype=np.float64)
        if len(xs) > MAX_LENGTH:
            raise ValueError(f"The input has {len(xs)} steps; this page shows at most {MAX_LENGTH}, so type "
                             f"at most {MAX_LENGTH} numbers per line.")
        return dataclasses.replace(self, xs=tuple(float(v) for v in xs.ravel()), gen="typed",
                                   length=len(xs), preset="")


def check(state):
    """The state if its fields fit together (a typed input exactly when gen is typed, of length·I
    values), else ValueError saying which part does not."""
    link.check(state)
    if (state.gen == "typed") != (state.xs is not None):
        raise ValueError("the link's input must be typed numbers ('xs') exactly when 'gen' is 'typed'")
    if state.xs is not None and len(state.xs) != state.length * state.I:
        raise ValueError(f"the link's 'xs' has {len(state.xs)} values, but 'length' {state.length} "
                         f"steps of 'I' {state.I} input(s) need {state.length * state.I}")
    return state


def from_query(query):
    """A VariantsState from a link (ValueError with a readable reason if it is not valid)."""
    return check(link.from_query(VariantsState, query))


def resized(state, H=None, I=None):
    """New sizes; a typed input of another width than the new I falls back to the sine."""
    H, I = H or state.H, I or state.I
    keep = state.xs is not None and I == state.I
    return dataclasses.replace(state, H=H, I=I, xs=state.xs if keep else None, preset="",
                               gen=state.gen if keep or state.gen != "typed" else "sine")
