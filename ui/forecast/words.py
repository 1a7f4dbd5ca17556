"""The Forecasting page's sentences that carry numbers: each is built from the engine's results.

Pure functions, no Streamlit. The fixed paragraphs (the traps, the hints) are here too, so the
page's prose lives in one module beside lessons.py (settings and experiments).
"""
import numpy as np

from lstm_core import forecast as F
from lstm_core import series as S
from lstm_core.batching import steps_per_epoch
from ui.forecast.figures import METHOD_NAMES

PRESS_TRAIN = ("Press **Train** to fit the model to the training windows. The loss curves grow as it "
               "learns; the results and the baselines appear when it has finished (or when you stop it).")
METRICS = ("**RMSE** (root mean squared error) is the typical size of a miss, with big misses weighing "
           "more; **MAE** (mean absolute error) the average miss. Both are in the series' own units, on "
           "windows the model never trained on (test) or did (train); lower is better.")
STALE = ("These results are from the last run, with the settings it was trained with; the settings "
         "have changed since. Press **Train** to fit the new ones.")
RETURN_SEQUENCES = (
    "`return_sequences=True` makes an LSTM layer hand on its output at every step, (batch, steps, "
    "units), so the layer above has a sequence to read. The last LSTM returns only its final step, "
    "(batch, units): that one vector is all the Dense layer sees, and it turns it into one number, "
    "the next value. Parameters: 4 · H · (I + H + 1) per LSTM layer (four gates, each with weights on "
    "the input, on the hidden state and a bias), D + 1 for the Dense layer, D being the number of "
    "values it reads (the last layer's units).")
LEAK = (
    "**1. The leaky scaler.** The notes fit `MinMaxScaler` on the whole series before splitting it, so "
    "the scaling already knows the test part's lowest and highest values: information a forecaster "
    "standing at the end of the training part cannot have. Fitted on the training part only, the test "
    "values may leave 0..1, and the model must answer outside the range it ever saw.")
ONE_STEP = (
    "**2. The one-step reshape.** The notes reshape each window to `(samples, 1, look_back)`: one time "
    "step carrying all look_back values as features. The LSTM then runs a single step from a zero state, "
    "so $C_{t-1} = 0$ and the forget gate multiplies nothing: it is a feed-forward network over the "
    "window. Its recurrent weights, the ones that read $h_{t-1}$ (20,000), and its forget gates' other "
    "weights and biases (3,100) get no gradient and never change: 23,100 of the notes' 32,451 parameters. `(samples, look_back, 1)` gives it "
    "look_back steps of one value, and the recurrence, the gates and the cell state do the work this app "
    "is about.")
SMALL_DATA = (
    "**3. Small data with a trend**, as in Apple's monthly close, the notes' kind of data. It gives 123 "
    "values: 87 training windows, three batches an epoch, 300 Adam steps in 100 epochs. The price also climbs past anything in the training "
    "part, so the test targets lie beyond the values the model was fitted to, and a network squashed "
    "through tanh and sigmoid cannot follow. *Tomorrow = today* (persistence) follows any level, and it "
    "is hard to beat.")


def data_size_words(n_values, n_windows, cfg):
    """This series' own numbers for the third trap: windows, batches per epoch, Adam steps."""
    per_epoch = steps_per_epoch(n_windows, cfg.batch_size)
    return (f"This series: {n_values:,} values, {n_windows:,} training windows, {per_epoch:,} batches an "
            f"epoch, {F.total_steps(n_windows, cfg):,} Adam steps in {cfg.epochs} epochs.")


def plural(n, word):
    """"1 window", "14 windows"."""
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def signed(x, digits=2):
    """A number as the page writes it, with a true minus sign: −0.07."""
    return f"{x:.{digits}f}".replace("-", "−")


def split_words(series, n_train, n_train_windows, n_test_windows, cfg):
    """How the series is cut: rows per part, the windows each part gives, and which rows get a prediction."""
    n = series.values.size
    return (f"{n:,} values: the first {n_train:,} ({cfg.train_fraction:.0%}) train, the last {n - n_train:,} "
            f"test. Windows of {plural(cfg.look_back, 'value')} give {plural(n_train_windows, 'training example')} "
            f"and {plural(n_test_windows, 'test example')}. A window never crosses the split, so the first "
            f"{cfg.look_back} values of each part get no prediction, and the notes' `create_dataset` leaves "
            "out the last possible window of each part.")


FEW_TEST = 20  # fewer test windows than this: a test score is mostly luck
FEW_ORIGINS = 30  # fewer multi-step origins than this: no error-against-horizon chart


def few_test_words(n_test):
    """The warning for a test part too small to judge a forecaster by, or "" when it is large enough."""
    if n_test >= FEW_TEST:
        return ""
    return (f"Only {plural(n_test, 'test window')}: a score over so few is mostly luck. Use a longer series "
            "or a larger test part (a smaller *Training part*) before trusting who wins.")


def no_horizon_words(origins, horizon):
    """Why the multi-step chart is not drawn: too few test windows have `horizon` true values after them."""
    return (f"The multi-step forecast is not scored here: only {plural(origins, 'test window')} "
            f"{'has' if origins == 1 else 'have'} {horizon} true values after {'it' if origins == 1 else 'them'}, "
            f"too few to trust (at least {FEW_ORIGINS} are needed). Use fewer *Steps ahead* or a longer series.")


def _number(x, unit):
    """A value with its unit, to 3 significant figures, trailing zeros kept (13.0, 2.87, 105)."""
    return f"{f'{x:#.3g}'.rstrip('.')} {unit}".strip()


def error_rows(errors, unit):
    """One row per method: RMSE and MAE on the training and the test windows, in the series' units."""
    suffix = f" ({unit})" if unit else ""
    return [{"method": METHOD_NAMES[m], f"train RMSE{suffix}": f"{e['train_rmse']:.3f}",
             f"train MAE{suffix}": f"{e['train_mae']:.3f}", f"test RMSE{suffix}": f"{e['test_rmse']:.3f}",
             f"test MAE{suffix}": f"{e['test_mae']:.3f}"} for m, e in errors.items()]


def verdict(errors, unit):
    """One plain sentence: who wins on the test windows, and the LSTM against persistence."""
    best = F.winner(errors)
    lstm, pers = errors["lstm"]["test_rmse"], errors["persistence"]["test_rmse"]
    numbers = f"test RMSE {_number(lstm, unit)} against {_number(pers, unit)}"
    if pers == 0:
        against = ("*Tomorrow = today* is exact on these test windows (each target repeats the value "
                   "before it): nothing can beat it.")
    elif lstm < pers:
        against = f"The LSTM beats *tomorrow = today*: {numbers} ({_percent(1 - lstm / pers)} lower)."
    elif lstm == pers:
        against = f"The LSTM ties with *tomorrow = today*: {numbers}."
    else:
        against = (f"The LSTM loses to *tomorrow = today*: {numbers}, {lstm / pers:.2f}× the error of "
                   "repeating the last value.")
    return f"**Best on the test windows: {METHOD_NAMES[best]}.** {against}"


def _percent(fraction):
    """A fraction as per cent, 2 significant figures below 10 % (so 0.4 % never shows as 0 %)."""
    pct = 100 * fraction
    return f"{pct:.0f} %" if pct >= 10 else f"{pct:.2g} %"


def horizon_words(horizon, origins, unit):
    """How the error grows from one step ahead to the last, for the LSTM and persistence, and over what."""
    lstm, pers = horizon["lstm"], horizon["persistence"]
    H = len(lstm)
    return (f"Feeding predictions back: the LSTM's RMSE goes from {_number(lstm[0], unit)} one step ahead "
            f"to {_number(lstm[-1], unit)} {H} steps ahead; persistence's from {_number(pers[0], unit)} to "
            f"{_number(pers[-1], unit)}. Scored over the {plural(origins, 'test window')} that have {H} true "
            f"values after them, fewer than the table's, so one step ahead here need not equal the "
            "table's test RMSE.")


def outside_range(test_scaled):
    """Why scaled test values outside 0..1 (possible only with the leak-free scaler) matter."""
    out = int(np.sum((test_scaled < 0) | (test_scaled > 1)))
    return (f"Scaled on the training part only, this series' test values span {signed(test_scaled.min())} to "
            f"{signed(test_scaled.max())}: {out:,} of {test_scaled.size:,} lie outside 0..1, the range the "
            "model was trained on, and its predictions there are extrapolations.")


def leak_words(series, n_train):
    """The scaled test range under both scalers, on this series."""
    values = series.values
    fair = S.fit_scaler(values, n_train, leak=False).transform(values[n_train:])
    out = int(np.sum((fair < 0) | (fair > 1)))
    where = ("so here the leak changes nothing: the training part already holds the extremes" if not out else
             f"so the leaky scaler hides that {out:,} of the {fair.size:,} test values leave the training range")
    return (f"On this series, scaled on the training part only, the test values span {signed(fair.min())} to "
            f"{signed(fair.max())}; scaled on the whole series they stay inside 0..1 by construction — {where}.")


def too_big(max_hidden, max_input):
    """Why this forecaster cannot be opened in the cell pages, and how to train one that can."""
    return (f"The cell pages show up to H = {max_hidden} units and I = {max_input} inputs. To look inside "
            f"a forecaster, train one with at most {max_hidden} units and the *look_back steps* layout "
            "(one input per step): the experiment *A real sequence: look_back steps* does.")
