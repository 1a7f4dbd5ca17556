"""The guided path's predict-then-reveal checkpoints: a question, the experiment that answers it.

Each checkpoint is built from explicit settings (weights, biases, an input), never from a page's
preset names. `outcome()` runs the experiment in the engine and returns its numbers; `verdict`
says which option those numbers make true, and `reveal` says what happened with them. So no
answer is written down anywhere: the engine decides it. `settings(large)` is the state that runs
the same experiment on the checkpoint's page (None: nothing to load, e.g. on Home).
Pure: no Streamlit; the training lab's, the forecaster's and the text page's outcomes train small models
(a second or two each).
"""
import dataclasses
from typing import Callable

import numpy as np

import lstm_core as lc
from lstm_core import flow, forecast
from lstm_core import text as text_engine

from ui.cell.state import CellState
from ui.forecast.data import load_builtin
from ui.forecast.state import ForecastState
from ui.forecast.state import config as forecast_config
from ui.gradients.state import GradState
from ui.text.corpora import zen
from ui.text.state import TextState
from ui.text.state import config as text_config
from ui.training.state import TrainState, config

SPIKE_AT = 2  # 0-based: the cell checkpoints' input spikes at step 3
CELL_STEPS = 12


@dataclasses.dataclass(frozen=True)
class Checkpoint:
    """A question the learner commits to before the app shows the answer."""

    question: str
    options: tuple  # the answers the learner can commit to
    outcome: Callable  # () -> dict of the engine's numbers
    verdict: Callable  # numbers -> index of the option they make true, or None
    reveal: Callable  # numbers -> what happened, in words with the numbers
    settings: Callable = None  # large -> the page's state that runs the experiment; None: none


def sci(x):
    """A number as the pages write small and large ones: $3.2 \\times 10^{-7}$ (LaTeX)."""
    mantissa, exponent = f"{x:.1e}".split("e")
    mantissa = mantissa.removesuffix(".0")
    power = f"10^{{{int(exponent)}}}"
    return f"${power}$" if mantissa == "1" else f"${mantissa} \\times {power}$"


def _spike_params(b_f):
    """A one-unit LSTM that writes a spike and then only forgets: f_t = σ(b_f) at every step.

    i_t = σ(10 x_t − 5) opens on the spike only, C̃_t = tanh(3 x_t), o_t = σ(3); no h_{t-1} weights.
    """
    row = lambda w_x: np.array([[0.0, w_x]])  # noqa: E731  (W acts on [h_{t-1}, x_t])
    one = lambda b: np.array([float(b)])  # noqa: E731
    return lc.LSTMParams(W_f=row(0.0), W_i=row(10.0), W_c=row(3.0), W_o=row(0.0),
                         b_f=one(b_f), b_i=one(-5.0), b_c=one(0.0), b_o=one(3.0))


def _spike_input():
    """(CELL_STEPS, 1): zeros with a single 1 at SPIKE_AT."""
    xs = np.zeros((CELL_STEPS, 1))
    xs[SPIKE_AT] = 1.0
    return xs


def spike_cell(b_f, t, large=0):
    """The cell pages' state of the spike experiment with forget bias b_f, cursor at step t (0-based)."""
    base = dataclasses.replace(CellState(), H=1, I=1, t=t, large=large, forget_bias=float(b_f))
    return base.with_params(_spike_params(b_f)).with_sequence(_spike_input())


def _memory(b_f):
    """C_t of the spike experiment, (CELL_STEPS,)."""
    return lc.lstm_forward(_spike_params(b_f), _spike_input()).c[:, 0]


# --- Home: what an RNN is ------------------------------------------------------------------
RNN_STEPS = 30


def _rnn_outcome():
    """A tanh RNN h_t = tanh(1·h_{t-1} + x_t): a spike at step 1, then zeros."""
    xs = np.zeros((RNN_STEPS, 1))
    xs[0] = 1.0
    h = lc.rnn_forward(lc.RNNParams(W=np.array([[1.0, 1.0]]), b=np.zeros(1)), xs).h[:, 0]
    half = lc.rnn_forward(lc.RNNParams(W=np.array([[0.5, 1.0]]), b=np.zeros(1)), xs[:10]).h[:, 0]
    return {"h1": h[0], "h10": h[9], "hT": h[-1], "share": h[-1] / h[0], "half_share": half[-1] / half[0]}


RNN = Checkpoint(
    question=(f"A plain RNN with one unit, $h_t = \\tanh(1 \\cdot h_{{t-1}} + x_t)$, reads a spike "
              f"$x_1 = 1$ and then zeros. Its recurrent weight is exactly 1, so nothing is scaled "
              f"down. How much of $h_1$ is left at step {RNN_STEPS}?"),
    options=("All of it: a weight of 1 keeps it", "Some of it: between a tenth and a half",
             "Almost nothing: under 1 %"),
    outcome=_rnn_outcome,
    verdict=lambda n: 0 if n["share"] > 0.9 else 1 if 0.1 <= n["share"] <= 0.5 else
    2 if n["share"] < 0.01 else None,
    reveal=lambda n: (f"$h_1 = {n['h1']:.3f}$, $h_{{10}} = {n['h10']:.3f}$, $h_{{{RNN_STEPS}}} = "
                      f"{n['hT']:.3f}$: {n['share']:.0%} is left. tanh squashes every value towards 0 "
                      f"($\\tanh(h) < h$), so even a weight of 1 loses a little each step; with a "
                      f"weight of 0.5 only {n['half_share']:.1%} is left after 10 steps. An LSTM "
                      "adds to its memory instead of squashing it."),
)

# --- Inside the cell: the forget gate ----------------------------------------------------
SHOW_AT = SPIKE_AT + 5  # the cell checkpoint looks five steps after the spike


def _cell_outcome():
    """C_t five steps after the spike with b_f = −3, and with b_f = +3 for contrast."""
    low, high = _memory(-3.0), _memory(3.0)
    return {"f": float(1 / (1 + np.exp(3.0))), "written": low[SPIKE_AT], "left": low[SHOW_AT],
            "share": low[SHOW_AT] / low[SPIKE_AT], "kept_high": high[SHOW_AT] / high[SPIKE_AT]}


CELL = Checkpoint(
    question=(f"This one-unit cell writes a spike into $C_t$ at step {SPIKE_AT + 1}. Set its forget "
              f"bias $b_f = -3$, so $f_t = \\sigma(-3)$ at every step. At step {SHOW_AT + 1}, five "
              "steps later, will $C_t$ still hold the spike?"),
    options=("Yes, most of it", "About half of it", "No: almost nothing is left"),
    outcome=_cell_outcome,
    verdict=lambda n: 0 if n["share"] > 0.6 else 1 if 0.3 <= n["share"] <= 0.6 else
    2 if n["share"] < 0.01 else None,
    reveal=lambda n: (f"$f_t = \\sigma(-3) = {n['f']:.3f}$: each step keeps {n['f']:.1%} of $C_{{t-1}}$. "
                      f"The spike wrote $C_{{{SPIKE_AT + 1}}} = {n['written']:.3f}$; five steps later "
                      f"$C_{{{SHOW_AT + 1}}}$ = {sci(n['left'])}. With $b_f = +3$ the same cell keeps "
                      f"{n['kept_high']:.0%} of it. Committing loaded this cell at step {SHOW_AT + 1}: "
                      "press Back to watch it fade."),
    settings=lambda large: spike_cell(-3.0, SHOW_AT, large),
)

# --- Through time: the memory's half-life -------------------------------------------------
TIME_BIAS = 2.0


def _time_outcome():
    """The first step at which C_t has fallen to half of what the spike wrote, with b_f = 2."""
    c = _memory(TIME_BIAS)
    later = np.flatnonzero(c[SPIKE_AT:] <= c[SPIKE_AT] / 2)
    f = float(1 / (1 + np.exp(-TIME_BIAS)))
    return {"f": f, "half_life": flow.half_life(f), "written": c[SPIKE_AT],
            "half_step": int(SPIKE_AT + later[0]) if later.size else None}


def _time_verdict(n):
    """Which option the first half step falls in (steps are 1-based on screen)."""
    after = None if n["half_step"] is None else n["half_step"] - SPIKE_AT
    if after is None or after > 12:
        return 2
    return 0 if after <= 1 else 1 if 4 <= after <= 7 else None


TIME = Checkpoint(
    question=(f"The same cell with $b_f = {TIME_BIAS:g}$: $f_t = \\sigma({TIME_BIAS:g})$ at every step. The "
              f"spike is written at step {SPIKE_AT + 1}. How many steps later has $C_t$ fallen to half?"),
    options=("One step later", "Four to seven steps later", "Not within the sequence"),
    outcome=_time_outcome,
    verdict=_time_verdict,
    reveal=lambda n: (f"$f_t = {n['f']:.3f}$, so the memory halves every $\\ln 0.5 / \\ln f = "
                      f"{n['half_life']:.1f}$ steps: $C_{{{SPIKE_AT + 1}}} = {n['written']:.3f}$ and "
                      f"step {n['half_step'] + 1} is the first at or below half. Committing set the time "
                      "step there (the cursor of *Lines and heatmaps*); the ledger below shows each "
                      "step keeping $f_t \\cdot C_{t-1}$ and writing nothing new."),
    settings=lambda large: spike_cell(TIME_BIAS, _time_outcome()["half_step"], large),
)

# --- Gradients: the forget bias carries the gradient --------------------------------------
GRAD_STEPS = 100


def grad_state(forget_bias, large=0):
    """The gradients page at T = GRAD_STEPS with this LSTM forget bias, other settings default."""
    return dataclasses.replace(GradState(), length=GRAD_STEPS, forget_bias=float(forget_bias),
                               large=large)


def _reach(forget_bias):
    """The LSTM's and the tanh RNN's gradient reaching step 1 (the larger of the LSTM's two paths)."""
    flows = grad_state(forget_bias).flows()
    lstm = flows["lstm"]
    return max(float(lstm.dh_norm[0]), float(lstm.dc_norm[0])), float(flows["rnn_tanh"].dh_norm[0])


def _grad_outcome():
    """Step-1 gradients at b_f = 1 and b_f = 3, against the vanishing threshold."""
    (low, rnn), (high, _) = _reach(1.0), _reach(3.0)
    return {"low": low, "high": high, "rnn": rnn, "threshold": flow.VANISHED}


def _grad_verdict(n):
    """Which option: survived means above the engine's vanishing threshold."""
    low, high = n["low"] >= n["threshold"], n["high"] >= n["threshold"]
    return {(False, True): 0, (True, True): 1, (False, False): 2}.get((low, high))


GRAD = Checkpoint(
    question=(f"A loss on the last of {GRAD_STEPS} steps is backpropagated to step 1. Raise the LSTM's "
              "forget bias from $b_f = 1$ ($f \\approx 0.73$) to $b_f = 3$ ($f \\approx 0.95$). Does "
              f"its gradient at step 1 survive, i.e. keep at least {sci(flow.VANISHED)} of the last step's?"),
    options=("It vanishes at b_f = 1 and survives at b_f = 3", "It survives at both",
             "It vanishes at both"),
    outcome=_grad_outcome,
    verdict=_grad_verdict,
    reveal=lambda n: (f"At $b_f = 1$ the LSTM's gradient at step 1 is {sci(n['low'])}, at $b_f = 3$ it is "
                      f"{sci(n['high'])} (the threshold is {sci(n['threshold'])}). The tanh RNN, which has "
                      f"no forget gate, gets {sci(n['rnn'])} either way. Committing set the page to $b_f = 3$."),
    settings=lambda large: grad_state(3.0, large),
)

# --- Training lab: who learns a long delay ------------------------------------------------
TRAIN_SETTINGS = dict(task="remember_first", T=30, kinds="rnn_tanh,lstm", H=4, steps=200,
                      n_train=1024, seed=0)
CHANCE = 0.5  # remember_first asks for one bit


def train_state(large=0):
    """The training lab's small race: a tanh RNN and an LSTM, delay 30, 200 steps each."""
    return dataclasses.replace(TrainState(), large=large, **TRAIN_SETTINGS)


def _train_outcome():
    """Each model's validation accuracy after training (the model kept at its best check)."""
    done = {item["kind"]: item["val_acc"] for item in lc.run_lab(config(train_state())) if item["done"]}
    return {"rnn": done["rnn_tanh"], "lstm": done["lstm"]}


def _train_verdict(n):
    """Beating chance means 25 points above the 50 % of a coin toss."""
    rnn, lstm = n["rnn"] > CHANCE + 0.25, n["lstm"] > CHANCE + 0.25
    return {(True, True): 0, (False, True): 1, (True, False): 2, (False, False): 3}[(rnn, lstm)]


TRAIN = Checkpoint(
    question=(f"Both models must remember a bit for {TRAIN_SETTINGS['T']} steps (chance is 50 %). "
              f"After {TRAIN_SETTINGS['steps']} training steps each, which one beats chance clearly "
              "(more than 75 % right)?"),
    options=("Both", "Only the LSTM", "Only the tanh RNN", "Neither"),
    outcome=_train_outcome,
    verdict=_train_verdict,
    reveal=lambda n: (f"The LSTM gets {n['lstm']:.0%} of the validation sequences right, the tanh RNN "
                      f"{n['rnn']:.0%}: a coin toss. Committing loaded these settings into the lab: press "
                      "**Train** to watch the same race, step by step."),
    settings=train_state,
)

# --- Forecasting: beat tomorrow = today? ----------------------------------------------------
FORECAST_SERIES = "aapl"  # the notes' kind of data: monthly stock closes


def forecast_state(large=0):
    """The Forecasting page with the notes' recipe on Apple's monthly closes."""
    return dataclasses.replace(ForecastState(), series=FORECAST_SERIES, large=large)


def _forecast_outcome():
    """The fitted LSTM's and persistence's test RMSE on the notes' recipe (about a second to fit)."""
    values = load_builtin(FORECAST_SERIES).values
    cfg = forecast_config(forecast_state())
    report = forecast.evaluate_forecast(values, cfg, forecast.fit(values, cfg))
    errors = report.errors
    return {"lstm": errors["lstm"]["test_rmse"], "persistence": errors["persistence"]["test_rmse"],
            "linear_ar": errors["linear_ar"]["test_rmse"], "windows": int(report.t_train.size)}


def _forecast_verdict(n):
    """Beating means a test RMSE at least 10 % under persistence's; within 10 % is a tie."""
    ratio = n["lstm"] / n["persistence"]
    return 0 if ratio < 0.9 else 1 if ratio <= 1.1 else 2


FORECAST = Checkpoint(
    question=("The notes' program: a stacked LSTM (2 × 50 units, 100 epochs) forecasts Apple's monthly "
              "closing price from the last 10 months. The simplest forecast, *tomorrow = today* "
              "(persistence), repeats the last value. On the test years, which forecast is better?"),
    options=("The LSTM, clearly", "About the same", "Tomorrow = today, clearly"),
    outcome=_forecast_outcome,
    verdict=_forecast_verdict,
    reveal=lambda n: (f"Test RMSE: the LSTM {n['lstm']:.1f} USD, persistence {n['persistence']:.1f} USD: "
                      f"the LSTM's error is {n['lstm'] / n['persistence']:.1f}× the naive one (a straight-line "
                      f"autoregression gets {n['linear_ar']:.1f}). It learned from only {n['windows']} windows, "
                      "and a price that wanders like this is best forecast by its last value. Committing "
                      "loaded this run: press **Train** and read *The recipe's traps*."),
    settings=forecast_state,
)


TEXT_STEPS = 100  # Adam steps of the text checkpoint's two runs


def text_state(large=0):
    """The Writing-text page with its default one-hot recipe on the Zen of Python."""
    return dataclasses.replace(TextState(), corpus="zen", large=large)


def _text_outcome():
    """The training loss (nats per character) at step TEXT_STEPS of the page's default recipe, with
    one-hot input and with the notes' one integer feature: the point the page's loss chart draws
    there (the mean of the steps since its last point), since a shorter run of the same settings
    is the same run cut short."""
    cfg = dataclasses.replace(text_config(text_state()), steps=TEXT_STEPS)
    loss = {enc: text_engine.fit(zen(), dataclasses.replace(cfg, encoding=enc))[1]["loss"]
            for enc in text_engine.ENCODINGS}
    return {"onehot": loss["onehot"], "integer": loss["integer"],
            "vocab": text_engine.vocabulary(zen()).size}


def _text_verdict(n):
    """Learnt more: a loss at least 0.5 nats/char lower; closer than that is about the same."""
    gap = n["integer"] - n["onehot"]
    return 0 if gap >= 0.5 else 2 if gap <= -0.5 else 1


TEXT = Checkpoint(
    question=("The notes' program feeds each character to the LSTM as one number, its index divided by "
              "the number of distinct characters. The other way gives each character an input of its own "
              "(one-hot: a 1 in its column, 0 elsewhere). Train the same LSTM (128 units) both ways for "
              f"{TEXT_STEPS} steps on the Zen of Python: which has learnt more?"),
    options=("One-hot, clearly", "About the same", "The one integer feature, clearly"),
    outcome=_text_outcome,
    verdict=_text_verdict,
    reveal=lambda n: (f"At step {TEXT_STEPS} of the loss chart the one-hot model is at {n['onehot']:.2f} nats "
                      f"per character and the integer one at {n['integer']:.2f} (guessing among all "
                      f"{n['vocab']} characters "
                      f"costs ln {n['vocab']} = {np.log(n['vocab']):.2f}). With one number per character, "
                      "'e' and 'f' are almost the same input, so the first layer can hardly tell letters "
                      "apart. Committing loaded the one-hot recipe: press **Train**, then switch the "
                      "encoding to the integer feature and train again."),
    settings=text_state,
)
