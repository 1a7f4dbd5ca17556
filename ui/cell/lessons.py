"""Presets that make one point in one click: a one-unit LSTM with hand-set weights and an input.

Each weight row is [w_h, w_x] acting on [h_{t-1}, x_t]; a bias of ±6 or 8 pins a gate near 0 or 1
(σ(6) ≈ 0.998, σ(8) ≈ 0.9997), and a large input weight lets the input open or close a gate.
"""
import dataclasses

import numpy as np

import lstm_core as lc


@dataclasses.dataclass(frozen=True)
class Preset:
    """A named lesson: weights, an input sequence, and the sentence that says what to look for."""

    name: str
    lesson: str
    gates: dict  # gate letter -> (w_h, w_x, b)
    xs: tuple  # the input, one value per step

    def params(self):
        """The one-unit LSTMParams of this preset."""
        arrays = {}
        for g, (w_h, w_x, b) in self.gates.items():
            arrays[f"W_{g}"] = np.array([[w_h, w_x]], dtype=np.float64)
            arrays[f"b_{g}"] = np.array([b], dtype=np.float64)
        return lc.LSTMParams(**arrays).validate()

    def sequence(self):
        """The input as a (T, 1) array."""
        return np.array(self.xs, dtype=np.float64)[:, None]


def _spikes(length, at, value=1.0):
    """Zeros with `value` at the given steps (1-based, as shown on screen)."""
    xs = [0.0] * length
    for step in at:
        xs[step - 1] = value
    return tuple(xs)


PRESETS = (
    Preset("Remember forever",
           "A spike opens the input gate once; after that the forget gate stays ≈ 1 and the input "
           "gate ≈ 0, so the cell state holds the written value for every later step.",
           {"f": (0.0, 0.0, 8.0), "i": (0.0, 10.0, -5.0), "c": (0.0, 3.0, 0.0), "o": (0.0, 0.0, 6.0)},
           _spikes(30, [3])),
    Preset("Forget every step",
           "The forget gate is pinned shut (≈ 0), so each step wipes the belt: the cell state is "
           "just this step's candidate and the past leaves no trace.",
           {"f": (0.0, 0.0, -6.0), "i": (0.0, 0.0, 6.0), "c": (0.0, 2.0, 0.0), "o": (0.0, 0.0, 6.0)},
           tuple(np.round(np.sin(2 * np.pi * np.arange(30) / 12), 3))),
    Preset("Latch a spike and hold it",
           "A positive spike writes into the cell and the memory is held; a negative spike closes "
           "the forget gate and erases it. This is a one-bit memory with set and reset.",
           {"f": (0.0, 10.0, 5.0), "i": (0.0, 10.0, -5.0), "c": (0.0, 3.0, 0.0), "o": (0.0, 0.0, 6.0)},
           tuple(np.add(_spikes(30, [5]), _spikes(30, [20], -1.0)))),
    Preset("Counter",
           "Each spike adds a small fixed amount to the cell state while the forget gate keeps the "
           "total: the cell state counts the spikes.",
           {"f": (0.0, 0.0, 8.0), "i": (0.0, 10.0, -5.0), "c": (0.0, 0.2, 0.0), "o": (0.0, 0.0, 6.0)},
           _spikes(40, [3, 8, 12, 19, 23, 30, 34])),
    Preset("Output gate closed",
           "Same memory as 'Remember forever', but the output gate is shut (≈ 0): the cell state "
           "holds the value while the hidden state shows nothing. Memory and output are separate.",
           {"f": (0.0, 0.0, 8.0), "i": (0.0, 10.0, -5.0), "c": (0.0, 3.0, 0.0), "o": (0.0, 0.0, -6.0)},
           _spikes(30, [3])),
)

BY_NAME = {p.name: p for p in PRESETS}

TRAINED = ("This is the LSTM trained in the Training lab on **{task}**: its input x_t has {features} "
           "The input shown is one example of that task. Change any weight (or pick a preset) and it "
           "is no longer the trained model.")


def trained_banner(task_name, features):
    """The sentence that says the weights shown are the Training lab's LSTM, and what it reads."""
    return TRAINED.format(task=task_name, features=features)
