"""The notes' forecaster: a stacked LSTM fitted to look-back windows of one series, as a generator.

    for item in run_forecast(values, ForecastConfig()):     # the notes' recipe, as defaults
        chart.add(item["epoch"], item["loss"], item["test_loss"])
    report = evaluate_forecast(values, config, item["model"])   # RMSE, MAE, baselines, horizon

The recipe is the notes' Keras program: MinMaxScaler(0, 1), an 80/20 split without shuffling,
`create_dataset(look_back)` windows inside each part, the windows shown to the LSTM as one step
of look_back features (`layout="one_step"`) or look_back steps of one feature (`"steps"`),
LSTM(50, return_sequences=True) -> LSTM(50) -> Dense(1) read on the last step, Adam, MSE,
100 epochs of shuffled batches of 32 (the last partial batch kept), Keras's initialisers.
Every number a forecast is judged by is in the series' own units (inverse-transformed).
"""
import dataclasses
import math

import numpy as np

from . import series as S
from .batching import minibatches, predict, steps_per_epoch
from .losses import mse_loss
from .model import Model
from .optim import Adam, checked_number
from .training import train

MAX_VALUES = 20_000  # rows a forecast may read: an upload's limit too
LIMITS = {"look_back": (1, 60), "layers": (1, 3), "units": (1, 128), "epochs": (1, 500),
          "batch_size": (1, 4096), "horizon": (1, 60), "seed": (0, 2**31 - 1)}
INITS = ("keras", "torch")


@dataclasses.dataclass(frozen=True)
class ForecastConfig:
    """Everything a forecast depends on; the defaults are the notes' recipe."""

    look_back: int = 10  # values in each input window (the notes' create_dataset(look_back=10))
    train_fraction: float = 0.8  # the first 80 % trains, the rest tests; never shuffled across
    leak: bool = True  # True: the scaler is fitted on the whole series (the notes), False: training part
    layout: str = "one_step"  # "one_step": (samples, 1, look_back), the notes; "steps": (samples, look_back, 1)
    layers: int = 2  # stacked LSTM layers: every layer but the last returns its whole sequence
    units: int = 50  # hidden size H of every layer
    epochs: int = 100  # passes over the training windows
    batch_size: int = 32  # windows per Adam step
    lr: float = 1e-3  # Adam's learning rate (Keras's default)
    eps: float = 1e-7  # Adam's epsilon: Keras's default (torch's is 1e-8), added where Keras adds it
    init: str = "keras"  # "keras": Glorot/orthogonal/unit forget bias; "torch": PyTorch's uniform
    horizon: int = 10  # steps of the multi-step forecast (predictions fed back)
    seed: int = 0  # seeds the initial weights and the batch order


def validate(config, n_values=None):
    """Return `config` if a forecast can run it (on `n_values` values), else ValueError saying why."""
    if not isinstance(config, ForecastConfig):
        raise ValueError(f"a forecast needs a ForecastConfig, got {type(config).__name__}")
    for name, (low, high) in LIMITS.items():
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{name.replace('_', ' ')} must be a whole number in {low}..{high}, got {value!r}")
    checked_number("train fraction", config.train_fraction, 0.0, 1.0, open_low=True, open_high=True)
    checked_number("learning rate", config.lr, 0.0, 10.0, open_low=True)
    checked_number("Adam's epsilon", config.eps, 0.0, 1.0, open_low=True)
    if config.layout not in S.LAYOUTS:
        raise ValueError(f"layout must be one of {S.LAYOUTS}, got {config.layout!r}")
    if config.init not in INITS:
        raise ValueError(f"init must be one of {INITS}, got {config.init!r}")
    if n_values is not None:
        if n_values > MAX_VALUES:
            raise ValueError(f"the series has {n_values:,} values; a forecast reads at most {MAX_VALUES:,}")
        S.split_point(n_values, config.train_fraction, config.look_back)  # both parts hold windows
    return config


def check(values, config):
    """Return `config` if a forecast can run it on `values` with either scaler, else ValueError saying why.

    Beyond validate: the training part alone must not be constant, or the leak-free scaler (and the
    page's scaling chart, which draws both) has nothing to map onto 0..1."""
    values = np.asarray(values, dtype=np.float64)
    validate(config, values.size)
    n_train = S.split_point(values.size, config.train_fraction, config.look_back)
    if np.ptp(values[:n_train]) == 0:
        raise ValueError(f"the training part (the first {n_train:,} values) is constant, so a scaler fitted "
                         "on it has nothing to map onto 0..1: use a series that varies before the split")
    return config


@dataclasses.dataclass(frozen=True, eq=False)
class Prepared:
    """The series cut, scaled and windowed as the recipe does, before any training."""

    values: np.ndarray  # the series in its own units, (n,)
    n_train: int  # values[:n_train] is the training part
    scaler: S.MinMaxScaler
    windows: S.Windows  # scaled windows and targets, with the series index of each target

    def inputs(self, X, layout):
        """Scaled windows (N, L) in the model's batch-first layout (N, T, I)."""
        return S.layout(X, layout)


def prepare(values, config):
    """Split, scale (leaky or not) and window `values` exactly as the notes' program does."""
    values = np.asarray(values, dtype=np.float64)
    validate(config, values.size)
    n_train = S.split_point(values.size, config.train_fraction, config.look_back)
    scaler = S.fit_scaler(values, n_train, leak=config.leak)
    windows = S.make_windows(scaler.transform(values), n_train, config.look_back)
    return Prepared(values=values, n_train=n_train, scaler=scaler, windows=windows)


def build_model(config):
    """The notes' stack: `layers` LSTMs of `units`, read on the last step by Dense(1)."""
    input_size = config.look_back if config.layout == "one_step" else 1
    return Model.init("lstm", input_size, config.units, 1, num_layers=config.layers,
                      seed=config.seed, init=config.init, readout="last")


def total_steps(n_windows, config):
    """Adam steps of the whole fit: epochs times ceil(windows / batch)."""
    return config.epochs * steps_per_epoch(n_windows, config.batch_size)


def run_forecast(values, config, model=None):
    """A generator: one item per epoch, {"kind", "epoch", "step", "loss", "test_loss", "best_step",
    "done", "model"}.

    "loss" is the mean training MSE of the epoch's batches (what Keras prints), "test_loss" the
    scaled test windows' MSE after the epoch. The model kept is the last one, as Keras's fit
    leaves it: "best_step" is always this epoch. `model` starts the fit from given weights.
    """
    prep = prepare(values, config)
    model = build_model(config) if model is None else model.validate()
    return _epochs(prep, config, model)


def _epochs(prep, config, model):
    """Train epoch by epoch, yielding after each."""
    w = prep.windows
    X, Y = prep.inputs(w.X_train, config.layout), w.y_train[:, None]
    X_test, Y_test = prep.inputs(w.X_test, config.layout), w.y_test[:, None]
    per_epoch = steps_per_epoch(len(Y), config.batch_size)
    batches = minibatches(X, Y, batch_size=config.batch_size, epochs=config.epochs, seed=config.seed)
    adam = Adam(lr=config.lr, eps=config.eps, eps_placement="keras")  # the recipe's optimizer is Keras's
    steps = train(model, batches, _loss, adam,
                  steps=config.epochs * per_epoch)
    for epoch in range(1, config.epochs + 1):
        losses = []
        for _ in range(per_epoch):
            info = next(steps)
            losses.append(info["loss"])
        model = info["model"]
        test_loss = mse_loss(predict(model, X_test), Y_test)[0]
        loss = float(np.mean(losses))
        if not (math.isfinite(loss) and math.isfinite(test_loss)):
            raise FloatingPointError(f"training diverged at epoch {epoch}: the loss is no longer a "
                                     "number. Lower the learning rate.")
        yield {"kind": "lstm", "epoch": epoch, "step": epoch, "loss": loss, "test_loss": float(test_loss),
               "best_step": epoch, "done": epoch == config.epochs, "model": model}


def _loss(y, target, lengths=None):
    """MSE of the last-step prediction (B, 1) against the window's next value (B, 1)."""
    return mse_loss(y, target)


def fit(values, config):
    """The fitted model at the end of all epochs (for tests, checkpoints and benchmarks)."""
    item = None
    for item in run_forecast(values, config):
        pass
    return item["model"]


@dataclasses.dataclass(frozen=True, eq=False)
class Report:
    """What a forecast is judged by, in the series' units: predictions, errors, baselines, horizon."""

    t_train: np.ndarray  # series index of each training target
    t_test: np.ndarray
    pred_train: np.ndarray  # the LSTM's one-step predictions, original units
    pred_test: np.ndarray
    errors: dict  # method -> {"train_rmse", "train_mae", "test_rmse", "test_mae"}
    baseline_test: dict  # baseline method -> its test predictions, original units
    horizon: dict  # method -> RMSE per step ahead 1..horizon over the test origins, original units
    origins: int  # how many test origins the multi-step forecast is scored over
    scaled_test_range: tuple  # (min, max) of the scaled test values: beyond [0, 1] the model extrapolates


METHODS = ("lstm", "persistence", "moving_average", "linear_ar")


def evaluate_forecast(values, config, model):
    """The Report of `model` on `values`: the LSTM against the three baselines on the same windows."""
    prep = prepare(values, config)
    w, sc = prep.windows, prep.scaler
    one = _predictor(model, config.layout)
    coef = S.fit_linear_ar(w.X_train, w.y_train)
    predictors = {"lstm": one, "persistence": S.persistence,
                  "moving_average": lambda X: S.moving_average(X, config.look_back),
                  "linear_ar": lambda X: S.linear_ar(coef, X)}
    errors, test_pred = {}, {}
    for method, fn in predictors.items():
        p_train, p_test = sc.inverse(fn(w.X_train)), sc.inverse(fn(w.X_test))
        true_train, true_test = sc.inverse(w.y_train), sc.inverse(w.y_test)
        errors[method] = {"train_rmse": S.rmse(p_train, true_train), "train_mae": S.mae(p_train, true_train),
                          "test_rmse": S.rmse(p_test, true_test), "test_mae": S.mae(p_test, true_test)}
        test_pred[method] = p_test
    scaled = sc.transform(prep.values)
    origins = S.forecast_origins(prep.values.size, prep.n_train, config.look_back, config.horizon)
    horizon = {m: S.horizon_errors(fn, scaled, origins, config.look_back, config.horizon, sc)
               for m, fn in predictors.items()} if origins.size else {}
    pred_train = sc.inverse(one(w.X_train))
    test_scaled = scaled[prep.n_train:]
    return Report(t_train=w.t_train, t_test=w.t_test, pred_train=pred_train,
                  pred_test=test_pred["lstm"], errors=errors,
                  baseline_test={m: p for m, p in test_pred.items() if m != "lstm"}, horizon=horizon,
                  origins=int(origins.size),
                  scaled_test_range=(float(test_scaled.min()), float(test_scaled.max())))


def _predictor(model, layout):
    """(N, L) scaled windows -> (N,) scaled next values, through the model."""
    return lambda X: predict(model, S.layout(X, layout))[:, 0]


def winner(errors, metric="test_rmse"):
    """The method with the lowest `metric`; a tie goes to the simpler method."""
    return min(("persistence", "moving_average", "linear_ar", "lstm"), key=lambda m: errors[m][metric])
