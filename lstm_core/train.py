"""Training as a generator: one optimizer step per item, so a page can draw progress and stop early.

    for info in train(model, batches, loss_fn, Adam(1e-2), steps=200, clip=1.0):
        chart.add(info["step"], info["loss"])      # info["model"] is the model after this step

A loss_fn(y, target, lengths) returns (loss, dL/dy); y is the head's output, or the top layer's
features for a model without a head. `length_mask(lengths, T)` turns lengths into a loss mask.
"""
from .model import model_backward, model_forward
from .optim import checked_number, clip_by_global_norm, global_norm


def train(model, batches, loss_fn, optimizer, *, steps, clip=None):
    """A generator of {"step", "loss", "grad_norm", "model"} for up to `steps` batches.

    Each item of `batches` is (xs, target) or (xs, target, lengths). "loss" and "grad_norm" (before
    clipping) are measured before the step's update; it stops early when `batches` runs out.
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps must be a whole number >= 0, got {steps!r}")
    if clip is not None:
        checked_number("clip", clip, 0.0, open_low=True)
    return _steps(model, iter(batches), loss_fn, optimizer, steps, clip)


def _steps(model, batches, loss_fn, optimizer, steps, clip):
    """The loop behind train: forward, loss, backward, clip, update."""
    arrays = model.arrays()
    state = optimizer.init(arrays)
    for step in range(1, steps + 1):
        batch = next(batches, None)
        if batch is None:
            return
        loss, grads = loss_and_grads(model, *_unpack(batch), loss_fn)
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


def loss_and_grads(model, xs, target, lengths, loss_fn):
    """(loss as a float, flat dict of dL/d every array like model.arrays())."""
    trace = model_forward(model, xs, lengths)
    if model.head is None:
        loss, dout = loss_fn(trace.outputs, target, lengths)
        grads = model_backward(model, trace, doutputs=dout)
    else:
        loss, dy = loss_fn(trace.y, target, lengths)
        grads = model_backward(model, trace, dy=dy)
    return float(loss), grads.model.arrays()


def evaluate(model, xs, target, loss_fn, lengths=None):
    """The loss of `model` on one batch, as a float (no gradients)."""
    trace = model_forward(model, xs, lengths)
    y = trace.outputs if model.head is None else trace.y
    return float(loss_fn(y, target, lengths)[0])
