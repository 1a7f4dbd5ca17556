"""Training as a generator: one optimizer step per item, so a page can draw progress and stop early.

    for info in train(model, batches, loss_fn, Adam(1e-2), steps=200, clip=1.0):
        chart.add(info["step"], info["loss"])      # info["model"] is the model after this step

A loss_fn(y, target, lengths) returns (loss, dL/dy); y is the head's output, or the top layer's
features for a model without a head. `length_mask(lengths, T)` turns lengths into a loss mask.
With readout "last" y is (B, O) (or the features read, (B, D)), one per sequence, and the loss
gets lengths=None: every sequence counts once, the lengths only chose which step was read.

Dropout (training only) zeroes each input feature, and each top-layer feature the head reads, with
probability `dropout` and scales the survivors by 1 / (1 - dropout), so the expected input of
every weight is unchanged and evaluation runs the model as it is. Token-id inputs (see
model_pass) with dropout become their one-hot vectors first, so dropout treats them exactly as the
one-hot float array (the same masks from the same seed: a dropped id becomes the zero vector, a
kept one is scaled by 1 / (1 - dropout)); without dropout they keep the faster id path.
"""
import numpy as np

from .model import Dense
from .model_pass import dense, model_backward, model_forward, prediction
from .numerics import one_hot
from .optim import checked_number, clip_by_global_norm, global_norm


def train(model, batches, loss_fn, optimizer, *, steps, clip=None, dropout=0.0, seed=0):
    """A generator of {"step", "loss", "grad_norm", "model"} for up to `steps` batches.

    Each item of `batches` is (xs, target) or (xs, target, lengths). "loss" and "grad_norm" (before
    clipping) are measured before the step's update; it stops early when `batches` runs out.
    `dropout` in [0, 1) is the drop rate; `seed` seeds its masks.
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps must be a whole number >= 0, got {steps!r}")
    if clip is not None:
        checked_number("clip", clip, 0.0, open_low=True)
    dropout = checked_number("dropout", dropout, 0.0, 1.0, open_high=True)
    rng = np.random.default_rng(seed)
    return _steps(model, iter(batches), loss_fn, optimizer, steps, clip, dropout, rng)


def _steps(model, batches, loss_fn, optimizer, steps, clip, dropout, rng):
    """The loop behind train: forward, loss, backward, clip, update."""
    arrays = model.arrays()
    state = optimizer.init(arrays)
    for step in range(1, steps + 1):
        batch = next(batches, None)
        if batch is None:
            return
        loss, grads = loss_and_grads(model, *_unpack(batch), loss_fn, dropout=dropout, rng=rng)
        if clip is None:
            norm = global_norm(grads)
        else:
            grads, norm = clip_by_global_norm(grads, clip)
        arrays, state = optimizer.update(arrays, grads, state)
        model = model.replace_arrays(arrays)
        yield {"step": step, "loss": loss, "grad_norm": norm, "model": model}


def _unpack(batch):
    """(xs, target, lengths) from a 2- or 3-tuple."""
    if not isinstance(batch, (tuple, list)) or len(batch) not in (2, 3):
        raise ValueError("each batch must be (xs, target) or (xs, target, lengths)")
    return (*batch, None) if len(batch) == 2 else tuple(batch)


def loss_and_grads(model, xs, target, lengths, loss_fn, *, dropout=0.0, rng=None):
    """(loss as a float, flat dict of dL/d every array like model.arrays()).

    With dropout > 0, `rng` (a numpy Generator) draws the masks of the inputs and of the features
    the head reads.
    """
    if dropout:
        xs = one_hot(xs, model.input_size, model.dtype)  # token ids as one-hot vectors; features as they are
        xs = xs * _keep_mask(rng, xs.shape, dropout, model.dtype)
    trace = model_forward(model, xs, lengths)
    if dropout and model.head is not None:
        return _dropout_head(model, trace, target, lengths, loss_fn, dropout, rng)
    loss, dread = loss_fn(prediction(model, trace), target, _loss_lengths(model, lengths))
    if model.head is not None:
        grads = model_backward(model, trace, dy=dread)
    elif model.readout == "last":
        grads = model_backward(model, trace, dlast=dread)
    else:
        grads = model_backward(model, trace, doutputs=dread)
    return float(loss), grads.model.arrays()


def _loss_lengths(model, lengths):
    """The lengths the loss masks with: none for readout "last" (one prediction per sequence)."""
    return None if model.readout == "last" else lengths


def _keep_mask(rng, shape, dropout, dtype):
    """Inverted dropout: 1 / (1 - dropout) with probability 1 - dropout, else 0."""
    if rng is None:
        raise ValueError("dropout needs rng, a seeded numpy Generator")
    keep = rng.random(shape) >= dropout
    return keep.astype(dtype) / (1.0 - dropout)


def _dropout_head(model, trace, target, lengths, loss_fn, dropout, rng):
    """loss_and_grads through y = (m * features) W^T + b, m a fresh dropout mask."""
    last = model.readout == "last"
    feats = trace.last if last else trace.outputs  # ([B,] D) or (T, [B,] D): what the head reads
    keep = _keep_mask(rng, feats.shape, dropout, feats.dtype)
    kept = feats * keep  # what the head reads
    loss, dy = loss_fn(dense(kept, model.head.W.T, model.head.b), target, _loss_lengths(model, lengths))
    dy = np.asarray(dy, feats.dtype)  # like y
    dy2, kept2 = dy.reshape(-1, dy.shape[-1]), kept.reshape(-1, kept.shape[-1])
    head = Dense(W=dy2.T @ kept2, b=dy2.sum(axis=0))  # dL/dW (O, D), dL/db (O,)
    dfeats = dense(dy, model.head.W) * keep  # dL/dfeatures
    grads = model_backward(model, trace, **{"dlast" if last else "doutputs": dfeats})
    arrays = grads.model.arrays()
    arrays.update({f"head.{n}": a for n, a in head.arrays().items()})
    return float(loss), arrays


def evaluate(model, xs, target, loss_fn, lengths=None):
    """The loss of `model` on one batch, as a float (no gradients)."""
    trace = model_forward(model, xs, lengths)
    return float(loss_fn(prediction(model, trace), target, _loss_lengths(model, lengths))[0])
