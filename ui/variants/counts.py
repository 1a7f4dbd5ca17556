"""What each model costs: its parameter count (formula and number) and its multiply-adds per step.

The numbers come from lstm_core.variants (the formulas of lstm_core.costs); tests check every one
against the sizes of the engine's own arrays (Model.init(...).arrays()).
"""
import dataclasses

from lstm_core import variants as V
from ui.variants.words import NAMES


@dataclasses.dataclass(frozen=True)
class Cost:
    """One model's costs at I inputs and H units."""

    name: str
    formula: str
    params: int
    multiply_adds: int


def cost(variant, input_size, hidden_size):
    """The Cost of `variant` (or of the plain LSTM, V.PLAIN)."""
    return Cost(NAMES[variant], V.formula(variant), V.param_count(variant, input_size, hidden_size),
                V.multiply_adds(variant, input_size, hidden_size))


def difference(plain, other):
    """How `other`'s parameters compare with `plain`'s, in words: '75 % of the plain LSTM's (80 fewer)'."""
    share = other.params / plain.params
    delta = other.params - plain.params
    more = f"{abs(delta)} {'more' if delta > 0 else 'fewer'}" if delta else "the same number"
    return f"{share:.0%} of the plain LSTM's ({more})"
