"""Time-series preparation the way the seed's forecasting recipe does it, and the baselines it must beat.

The recipe (the source notes' Keras stock example): scale to [0, 1] with a MinMaxScaler fitted on the WHOLE
series, split 80/20 without shuffling, cut each part into look-back windows with `create_dataset` (note its
"- 1": one window fewer than possible), reshape to (samples, 1, look_back), train, inverse-transform, RMSE.
Everything here is NumPy and pure: values in, arrays out. Baselines work in whatever units they are given.

Which series rows get a prediction (n rows, n_train = split_point(n, fraction), L = look_back):
train targets are rows L .. n_train - 2, test targets rows n_train + L .. n - 2. Rows 0..L-1 and the first
L test rows only ever appear inside windows; row n_train - 1 and the last row n - 1 are never a target
(the seed's "- 1"); and no window straddles the split.
"""
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

LAYOUTS = ("one_step", "steps")  # the seed's (N, 1, L) and the sequence (N, L, 1)


def split_point(n, train_fraction, look_back=1):
    """Rows in the training part, int(n * train_fraction) like the seed; ValueError if a part is too short.

    Each part needs look_back + 2 rows to give `create_dataset` at least one window.
    """
    if not 0.0 < train_fraction < 1.0:
        raise ValueError(f"the train fraction must lie strictly between 0 and 1, got {train_fraction}")
    n_train = int(n * train_fraction)
    need = look_back + 2
    if n_train < need or n - n_train < need:
        raise ValueError(_too_short(n, n_train, look_back))
    return n_train


def _too_short(n, n_train, look_back):
    """Why a split leaves a part without a window, and what would fit: a smaller window, or a fairer split."""
    need, shorter = look_back + 2, min(n_train, n - n_train)
    text = (f"a look-back window of {look_back} needs at least {need} values in each part, but the {n:,} "
            f"values split {n_train:,} for training and {n - n_train:,} for testing")
    if shorter >= 3:
        text += f": this split allows a window of at most {shorter - 2}"
    if n // 2 >= need and shorter < need:
        text += ", or keep this window with a training part nearer 50 %"
    elif n // 2 < need:
        text += f"; no split of {n:,} values fits this window: use a longer series or a smaller window"
    return text


@dataclass(frozen=True)
class MinMaxScaler:
    """Maps [lo, hi] onto [0, 1] (sklearn's MinMaxScaler(feature_range=(0, 1)) for one column)."""
    lo: float
    hi: float

    @classmethod
    def fit(cls, values):
        """The scaler whose lo and hi are the values' minimum and maximum; ValueError if they are equal."""
        v = _column(values)
        if v.size == 0 or not np.all(np.isfinite(v)):
            raise ValueError("the scaler needs at least one value, all of them finite")
        lo, hi = float(v.min()), float(v.max())
        if hi == lo:
            raise ValueError(f"every value is {lo:g}: a constant series cannot be scaled to [0, 1] (or forecast)")
        return cls(lo, hi)

    def transform(self, v):
        """(v - lo) / (hi - lo): values outside [lo, hi] land outside [0, 1]."""
        return (np.asarray(v, dtype=np.float64) - self.lo) / (self.hi - self.lo)

    def inverse(self, v):
        """Back to original units: v * (hi - lo) + lo."""
        return np.asarray(v, dtype=np.float64) * (self.hi - self.lo) + self.lo


def fit_scaler(values, n_train, *, leak):
    """leak=True: fitted on the whole series (the seed: the test part's range leaks into training);
    leak=False: on values[:n_train] only (leak-free; scaled test values may then leave [0, 1])."""
    v = _column(values)
    return MinMaxScaler.fit(v if leak else v[:n_train])


def create_dataset(values, look_back):
    """The seed's windows: X[i] = values[i : i + look_back], Y[i] = values[i + look_back]
    for i in range(len(values) - look_back - 1). values (n,) or (n, 1); returns X (N, L), Y (N,)."""
    v = _column(values)
    if look_back < 1:
        raise ValueError(f"look_back must be at least 1, got {look_back}")
    N = max(len(v) - look_back - 1, 0)  # the seed's "- 1": the last possible window is dropped
    if N == 0:
        return np.empty((0, look_back)), np.empty(0)
    X = sliding_window_view(v, look_back)[:N].copy()  # (N, L), oldest value first
    return X, v[look_back:look_back + N].copy()  # targets, (N,)


@dataclass(frozen=True)
class Windows:
    """The seed's training and test windows; t_train / t_test are the series rows of the targets."""
    X_train: np.ndarray  # (N_train, L)
    y_train: np.ndarray  # (N_train,)
    X_test: np.ndarray  # (N_test, L)
    y_test: np.ndarray  # (N_test,)
    t_train: np.ndarray  # (N_train,) ints
    t_test: np.ndarray  # (N_test,) ints


def make_windows(scaled, n_train, look_back):
    """Split first, then `create_dataset` inside each part, exactly like the seed (see the module note)."""
    v = _column(scaled)
    X_train, y_train = create_dataset(v[:n_train], look_back)
    X_test, y_test = create_dataset(v[n_train:], look_back)
    t_train = look_back + np.arange(len(y_train))  # target i of a part is that part's row i + L
    t_test = n_train + look_back + np.arange(len(y_test))
    return Windows(X_train, y_train, X_test, y_test, t_train, t_test)


def layout(X, how):
    """Windows (N, L) as model inputs: "one_step" -> (N, 1, L), the seed's one step of L features;
    "steps" -> (N, L, 1), L steps of one feature (the LSTM then sees a sequence)."""
    X = np.asarray(X, dtype=np.float64)
    if how == "one_step":
        return X[:, None, :]
    if how == "steps":
        return X[:, :, None]
    raise ValueError(f"layout must be one of {LAYOUTS}, got {how!r}")


def persistence(X):
    """'Tomorrow = today': each window's last value, (N,)."""
    return np.asarray(X, dtype=np.float64)[:, -1]


def moving_average(X, k):
    """Mean of the last k values of each window, (N,); 1 <= k <= L."""
    X = np.asarray(X, dtype=np.float64)
    if not 1 <= k <= X.shape[1]:
        raise ValueError(f"the moving average needs 1 <= k <= look_back = {X.shape[1]}, got {k}")
    return X[:, -k:].mean(axis=1)


def fit_linear_ar(X, y):
    """Least-squares linear autoregression on the windows: coef (L + 1,), coef[0] the intercept,
    coef[1:] the weights of the window's values, oldest first."""
    X = np.asarray(X, dtype=np.float64)
    A = np.hstack([np.ones((len(X), 1)), X])  # (N, 1 + L): a column of ones for the intercept
    coef, *_ = np.linalg.lstsq(A, np.asarray(y, dtype=np.float64), rcond=None)
    return coef


def linear_ar(coef, X):
    """The autoregression's next values: coef[0] + X @ coef[1:], (N,)."""
    return coef[0] + np.asarray(X, dtype=np.float64) @ coef[1:]


def rmse(pred, true):
    """Root mean squared error, sqrt(mean((pred - true)^2))."""
    pred, true = _paired(pred, true)
    return float(np.sqrt(np.mean((pred - true) ** 2)))


def mae(pred, true):
    """Mean absolute error, mean(|pred - true|)."""
    pred, true = _paired(pred, true)
    return float(np.mean(np.abs(pred - true)))


def recursive_forecast(predict_one, windows, horizon):
    """Multi-step forecast by feeding predictions back: predict_one maps (N, L) -> (N,); each step drops
    the window's oldest value and appends the prediction. Returns (N, horizon)."""
    w = np.array(windows, dtype=np.float64)  # (N, L), a copy we may shift
    out = np.empty((len(w), horizon))
    for h in range(horizon):
        out[:, h] = np.asarray(predict_one(w), dtype=np.float64).reshape(len(w))
        w = np.hstack([w[:, 1:], out[:, h:h + 1]])  # slide: the prediction becomes the newest value
    return out


def forecast_origins(n, n_train, look_back, horizon):
    """Origins in the test part whose window and whole horizon stay inside it: rows o with
    n_train + look_back <= o <= n - horizon (an origin is the first forecast row)."""
    return np.arange(n_train + look_back, n - horizon + 1)


def horizon_errors(predict_one, scaled_series, origins, look_back, horizon, scaler):
    """RMSE per horizon h = 1..horizon in ORIGINAL units over the origins, (horizon,).

    Origin o forecasts rows o .. o + horizon - 1 from the window scaled_series[o - L : o];
    scaler inverts the scaling (None: the series is already in original units)."""
    v = _column(scaled_series)
    origins = np.asarray(origins, dtype=int)
    if origins.size == 0 or origins.min() < look_back or origins.max() + horizon > len(v):
        raise ValueError(f"origins need a full window before them and {horizon} rows after them")
    windows = np.stack([v[o - look_back:o] for o in origins])  # (K, L)
    pred = recursive_forecast(predict_one, windows, horizon)  # (K, horizon)
    true = np.stack([v[o:o + horizon] for o in origins])  # (K, horizon)
    if scaler is not None:
        pred, true = scaler.inverse(pred), scaler.inverse(true)
    return np.sqrt(np.mean((pred - true) ** 2, axis=0))


def _column(values):
    """values (n,) or (n, 1) as a float64 vector (the seed keeps a one-column 2-D dataset)."""
    v = np.asarray(values, dtype=np.float64)
    if v.ndim == 2 and v.shape[1] == 1:
        v = v[:, 0]
    if v.ndim != 1:
        raise ValueError(f"a series must be (n,) or (n, 1), got shape {v.shape}")
    return v


def _paired(pred, true):
    """Both as float64 arrays of one shape, non-empty."""
    pred, true = np.asarray(pred, dtype=np.float64), np.asarray(true, dtype=np.float64)
    if pred.shape != true.shape or pred.size == 0:
        raise ValueError(f"predictions {pred.shape} and targets {true.shape} must share one non-empty shape")
    return pred, true
