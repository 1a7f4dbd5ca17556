"""Losses that return their gradient: each takes predictions and targets, gives (loss, dL/dpredictions).

A mask (the leading axes of the predictions, e.g. (T, B) from `length_mask`) picks the positions
that count; the loss is the mean over them and masked positions get zero gradient.
"""
import numpy as np

from .numerics import quiet


def _weights(mask, shape, dtype):
    """The mask broadcast to `shape` (1 everywhere without a mask); its leading axes must match."""
    if mask is None:
        return np.ones(shape, dtype)
    mask = np.asarray(mask, dtype=dtype)
    if mask.shape != tuple(shape[:mask.ndim]):
        raise ValueError(f"mask {mask.shape} must match the leading axes of {tuple(shape)}")
    return np.broadcast_to(mask.reshape(mask.shape + (1,) * (len(shape) - mask.ndim)), shape)


def mse_loss(y, target, mask=None):
    """Mean squared error over unmasked elements: (loss, dy); 0 and zero gradient if none count."""
    y, target = np.asarray(y, dtype=np.float64), np.asarray(target, dtype=np.float64)
    if target.shape != y.shape:
        raise ValueError(f"target must have the prediction's shape {y.shape}, got {target.shape}")
    w = _weights(mask, y.shape, np.float64)
    count = max(w.sum(), 1.0)  # number of elements that count
    err = np.where(w > 0, y - target, 0.0)  # masked errors vanish, even against NaN padding
    with quiet():
        loss = float(np.sum(err * err) / count)  # mean of (y - target)^2
    return loss, (2.0 / count) * err  # dL/dy


def softmax_cross_entropy(logits, labels, mask=None):
    """Mean -log softmax(logits)[label] over unmasked positions: logits (..., C), labels (...) ints.

    Works in float32 for float32 logits (half the memory traffic of the text page's (T, B, V)
    logits), else in float64; dlogits comes in that dtype, the loss as a float."""
    logits = np.asarray(logits)
    dtype = np.float32 if logits.dtype == np.float32 else np.float64
    logits = logits.astype(dtype, copy=False)
    labels = np.asarray(labels)
    C = logits.shape[-1]
    if labels.shape != logits.shape[:-1]:
        raise ValueError(f"labels must have shape {logits.shape[:-1]}, got {labels.shape}")
    w = _weights(mask, labels.shape, dtype)
    safe = _checked_labels(labels if mask is None else np.where(w > 0, labels, 0), C)  # masked: padding
    count = max(float(w.sum()), 1.0)
    log_p = logits - logits.max(axis=-1, keepdims=True)  # largest logit is 0: exp never overflows
    log_p -= np.log(np.exp(log_p).sum(axis=-1, keepdims=True))  # minus log-sum-exp: log softmax (..., C)
    picked = np.take_along_axis(log_p, safe[..., None], axis=-1)[..., 0]  # log p(label), (...)
    loss = float(-np.sum(w * picked, dtype=np.float64) / count)
    dlogits = np.exp(log_p, out=log_p)  # softmax, in place
    dlogits.reshape(-1, C)[np.arange(safe.size), safe.reshape(-1)] -= 1.0  # softmax - onehot
    if mask is None:
        dlogits *= 1.0 / count
    else:
        dlogits *= (w / count)[..., None]  # / count where counted, 0 elsewhere
    return loss, dlogits


def accuracy(logits, labels, mask=None):
    """Fraction of unmasked positions whose largest logit is the label; 0.0 if none count."""
    logits, labels = np.asarray(logits), np.asarray(labels)
    if labels.shape != logits.shape[:-1]:
        raise ValueError(f"labels must have shape {logits.shape[:-1]}, got {labels.shape}")
    w = _weights(mask, labels.shape, np.float64)
    hits = (np.argmax(logits, axis=-1) == labels) & (w > 0)
    return float(hits.sum() / max(w.sum(), 1.0))


def _checked_labels(labels, classes):
    """Labels as ints in 0..classes-1, or ValueError."""
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integers, got {labels.dtype}")
    labels = labels.astype(np.intp)
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(f"labels must lie in 0..{classes - 1}, got {labels.min()}..{labels.max()}")
    return labels
