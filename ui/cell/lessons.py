"""The cell pages' words: presets that make one point in one click (a one-unit LSTM with hand-set
weights, an input and the step that shows the point), the trained model's banner, the animation's note.

Each weight row is [w_h, w_x] acting on [h_{t-1}, x_t]; a bias of ±6 or 8 pins a gate near 0 or 1
(σ(6) ≈ 0.998, σ(8) ≈ 0.9997), and a large input weight lets the input open or close a gate.
"""
import dataclasses

import numpy as np

import lstm_core as lc


@dataclasses.dataclass(frozen=True)
class Preset:
    """A named lesson: weights, an input sequence, the step it opens on, and the sentence that
    says what to look for there (every number in it is asserted by tests/ui/test_presets.py)."""

    name: str
    lesson: str
    gates: dict  # gate letter -> (w_h, w_x, b)
    xs: tuple  # the input, one value per step
    step: int  # the time step (1-based, as on screen) that makes the point: the page opens there

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


COUNTER_SPIKES = (3, 8, 12, 19, 23, 30, 34)

PRESETS = (
    Preset("Remember forever",
           r"Shown: step 3, where the spike $x_t = 1$ opens the input gate ($i_t = 0.993$) and writes "
           r"$C_t = 0.988$. At every later step the forget gate stays at $f_t = 0.9997$ (1.000 to three "
           r"decimals) and the input gate at 0.007, so the cell keeps 99.97 % of its memory a step: "
           r"drag to step 30 and $C_t$ is still 0.979.",
           {"f": (0.0, 0.0, 8.0), "i": (0.0, 10.0, -5.0), "c": (0.0, 3.0, 0.0), "o": (0.0, 0.0, 6.0)},
           _spikes(30, [3]), step=3),
    Preset("Forget every step",
           r"Shown: step 7. The forget gate is pinned shut ($f_t = 0.002$ at every step), so each step "
           r"wipes the belt: $C_{t-1} = 0.762$ came in, and $f_t \cdot C_{t-1} = 0.002$ is all that is "
           r"kept of it; with $x_t = 0$ the candidate writes nothing, so $C_t = 0.002$. At every step the "
           r"cell state is this step's $i_t \cdot \tilde C_t$ plus a scrap of the past too small to "
           r"matter: the past leaves almost no trace.",
           {"f": (0.0, 0.0, -6.0), "i": (0.0, 0.0, 6.0), "c": (0.0, 2.0, 0.0), "o": (0.0, 0.0, 6.0)},
           tuple(np.round(np.sin(2 * np.pi * np.arange(30) / 12), 3)), step=7),
    Preset("Latch a spike and hold it",
           r"Shown: step 20, the reset. At step 5 a +1 spike wrote $C_t = 0.988$; from step 6 to 19 the "
           r"forget gate stayed at $f_t = 0.9997$, and 14 such steps keep $0.9997^{14}$ = 99.5 % of the "
           r"memory, so $C_{t-1}$ is still 0.984 here. Now $x_t = -1$ shuts the forget gate "
           r"($f_t = 0.002$) and the input gate ($i_t = 0.000$), and $C_t$ drops to 0.002: a one-bit "
           r"memory with set and reset.",
           {"f": (0.0, 14.0, 8.0), "i": (0.0, 10.0, -5.0), "c": (0.0, 3.0, 0.0), "o": (0.0, 0.0, 6.0)},
           tuple(np.add(_spikes(30, [5]), _spikes(30, [20], -1.0))), step=20),
    Preset("Counter",
           "Shown: step 34, the 7th spike (they come at steps " + ", ".join(map(str, COUNTER_SPIKES))
           + r"). Each spike writes $i_t \cdot \tilde C_t = 0.196$ into the cell, and in between the "
           r"forget gate ($f_t = 0.9997$, which the diagram rounds to 1.000) keeps the total: here $C_t = 1.365$, seven spikes of 0.196 "
           r"(1.372) less a small leak. The cell state counts the spikes.",
           {"f": (0.0, 0.0, 8.0), "i": (0.0, 10.0, -5.0), "c": (0.0, 0.2, 0.0), "o": (0.0, 0.0, 6.0)},
           _spikes(40, COUNTER_SPIKES), step=34),
    Preset("Output gate closed",
           r"Shown: step 10. As in 'Remember forever', the spike at step 3 wrote $C_t = 0.988$ and the "
           r"cell still holds it ($C_t = 0.986$), but the output gate is shut ($o_t = 0.002$), so "
           r"$h_t = o_t \tanh(C_t) = 0.002$: the hidden state shows almost nothing. Memory and output "
           r"are separate.",
           {"f": (0.0, 0.0, 8.0), "i": (0.0, 10.0, -5.0), "c": (0.0, 3.0, 0.0), "o": (0.0, 0.0, -6.0)},
           _spikes(30, [3]), step=10),
)

BY_NAME = {p.name: p for p in PRESETS}

TRAINED = ("This is the LSTM trained in the Training lab on **{task}**: its input $x_t$ has {features} "
           "It came with one example input of that task. Change any weight (or pick a preset) and it "
           "is no longer the trained model.")


FORECAST_SOURCE = "forecast"  # CellState.source of the Forecasting page's trained first layer
FORECASTER = ("This is the first LSTM layer of the forecaster trained on the **Forecasting** page, on the "
              "last test window of its series: {features} Change any weight (or pick a preset) and it is "
              "no longer the trained model.")
FORECAST_FEATURES = {True: "its input $x_t$ is one value of the window per step, scaled by the page's "
                           "MinMax scaler (0..1 over the part it was fitted on).",
                     False: "the notes' layout, one step whose {I} input features are the window's "
                            "values, scaled by the page's MinMax scaler."}


TEXT_SOURCE = "text"  # CellState.source of the Writing-text page's first layer on a window of characters
TEXTER = ("This is the first LSTM layer of the character model trained on the **Writing text** page "
          "(H = {H} units), on the window of {T} characters ending at the one you picked: {window}. "
          "{features} Change any weight (or pick a preset) and it is no longer the trained model.")
TEXT_FEATURES = {True: "Its input $x_t$ is one-hot: one feature per character. The {I} characters of this "
                       "window have their own feature here; the model's other characters' columns of $W$ "
                       "multiply zeros at every step, so they are left out and every number is the model's.",
                 False: "Its input $x_t$ is one number per step, as in the notes' program: the character's "
                        "id divided by the vocabulary's size V = {V} ('a' and 'b' differ by 1/{V})."}


def text_banner(H, T, I, V, window, onehot):
    """The sentence that says the weights shown are the Writing-text page's first layer, and what x_t is."""
    return TEXTER.format(H=H, T=T, window=window, features=TEXT_FEATURES[onehot].format(I=I, V=V))


def forecast_banner(I):
    """The sentence that says the weights shown are the Forecasting page's first layer, and what it reads."""
    return FORECASTER.format(features=FORECAST_FEATURES[I == 1].format(I=I))


def trained_banner(task_name, features):
    """The sentence that says the weights shown are the Training lab's LSTM, and what it reads."""
    return TRAINED.format(task=task_name, features=features)


ANIMATION_NOTE = ("The cell of *Inside the cell*, in motion. Press **▶ Play** and your browser steps it "
                  "through the sequence, starting at the step chosen above (t = {t}). The slider under "
                  "the picture moves the picture only: the time step above stays where you set it, "
                  "and it is where the animation starts.")
