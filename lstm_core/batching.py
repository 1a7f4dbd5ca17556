"""Mini-batches the way Keras's model.fit draws them, and prediction over a whole data set.

Data sets are batch-first, like Keras and the source notes: X (N, T, I), Y (N, O). The engine
runs time-major, (T, B, I), like torch.nn.LSTM's default, so batches are transposed on the way in.

    batches = minibatches(X, Y, batch_size=32, epochs=100, seed=0)
    for info in train(model, batches, mse_loss, Adam(1e-3, eps=1e-7),
                      steps=100 * steps_per_epoch(len(X), 32)):
        ...
    y_hat = predict(model, X_test)             # (N, O) for readout "last"

Each epoch visits every sample exactly once, in a fresh seeded order; the last batch of an epoch
is the remainder (smaller) when batch_size does not divide N, as in Keras.
"""
import math

import numpy as np

from .model_pass import model_forward, prediction


def time_major(x):
    """(B, T, I) -> (T, B, I): a batch-first array as the engine reads it."""
    return np.swapaxes(_three_d(x, "(B, T, I)"), 0, 1)


def batch_first(x):
    """(T, B, I) -> (B, T, I): the inverse of time_major."""
    return np.swapaxes(_three_d(x, "(T, B, I)"), 0, 1)


def _three_d(x, axes):
    """`x` as an array, or ValueError unless it has exactly three axes."""
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(f"expected a 3-D array {axes}, got shape {x.shape}")
    return x


def steps_per_epoch(n, batch_size):
    """ceil(n / batch_size): the optimizer steps of one epoch, the last partial batch included."""
    n, batch_size = _count("n", n, 0), _count("batch_size", batch_size, 1)
    return math.ceil(n / batch_size)


def _count(name, value, low):
    """`value` as an int >= low, or ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be a whole number >= {low}, got {value!r}")
    return int(value)


def epoch_order(n, *, epoch, seed, shuffle=True):
    """The order 0..n-1 in which epoch `epoch` visits the samples: a permutation from an rng seeded
    by (seed, epoch), so one epoch's order does not depend on how many epochs came before it."""
    n, epoch = _count("n", n, 0), _count("epoch", epoch, 0)
    if not shuffle:
        return np.arange(n)
    return np.random.default_rng((_count("seed", seed, 0), epoch)).permutation(n)


def minibatches(X, Y, *, batch_size, epochs, seed, shuffle=True):
    """Yield (xs (T, b, I), target (b, O)) time-major batches, epoch by epoch; X (N, T, I), Y (N, O).

    Every sample appears exactly once per epoch; the last batch of an epoch has N mod batch_size
    samples when that is not 0."""
    X, Y = _three_d(X, "(N, T, I)"), np.asarray(Y)
    if len(Y) != len(X):
        raise ValueError(f"X has {len(X)} samples but Y has {len(Y)}")
    batch_size, epochs = _count("batch_size", batch_size, 1), _count("epochs", epochs, 0)
    return _batches(X, Y, batch_size, epochs, seed, shuffle)


def _batches(X, Y, batch_size, epochs, seed, shuffle):
    """The generator behind minibatches (its checks run when it is called, not at the first batch)."""
    for epoch in range(epochs):
        order = epoch_order(len(X), epoch=epoch, seed=seed, shuffle=shuffle)
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            yield np.ascontiguousarray(time_major(X[idx])), Y[idx]


def predict(model, X, *, batch_size=1024):
    """The model's output for every sample of X (N, T, I), batch_size samples at a time.

    Readout "last": (N, O) (the features read, (N, D), without a head); "sequence": (N, T, O)."""
    X = _three_d(X, "(N, T, I)")
    batch_size = _count("batch_size", batch_size, 1)
    parts = []
    for start in range(0, len(X), batch_size):
        trace = model_forward(model, time_major(X[start:start + batch_size]))
        out = prediction(model, trace)  # (b, O) or (T, b, O)
        parts.append(out if model.readout == "last" else batch_first(out))
    if not parts:
        raise ValueError("X has no samples to predict")
    return np.concatenate(parts)
