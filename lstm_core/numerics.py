"""Numerically safe activations shared by every cell.

The sigmoid is written through tanh, sigma(z) = 1/2 (1 + tanh(z/2)), so that it never
overflows (np.exp(1e4) would) and so that several gates can be squashed in one call.
"""
import math

import numpy as np


def sigmoid(z, out=None):
    """Logistic sigmoid, elementwise, stable for any finite z; `out` may alias `z`."""
    out = np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5
    return out


def sigmoid_from_tanh(t, out=None):
    """sigma(z) from t = tanh(z/2): (1 + t) / 2, elementwise; `out` may alias `t`."""
    out = np.add(t, 1.0, out=out)
    out *= 0.5
    return out


def dsigmoid_from_output(s, out=None):
    """sigma'(z) written with s = sigma(z): s (1 - s); at most 0.25. `out` may alias `s`."""
    out = np.subtract(1.0, s, out=out)
    out *= s
    return out


def dtanh_from_output(t, out=None):
    """tanh'(z) written with t = tanh(z): 1 - t^2; at most 1. `out` may alias `t`."""
    out = np.multiply(t, t, out=out)
    return np.subtract(1.0, out, out=out)


def as_batch(xs, dtype):
    """Return `xs` as a (T, B, I) array of `dtype` and whether the caller passed (T, I)."""
    xs = np.asarray(xs, dtype=dtype)
    if xs.ndim == 2:
        return xs[:, None, :], True
    if xs.ndim != 3:
        raise ValueError(f"xs must be (T, I) or (T, B, I), got shape {xs.shape}")
    return xs, False


def initial_state(state, batch, hidden, dtype):
    """A (B, H) initial state: zeros when `state` is None, else `state` broadcast to (B, H)."""
    if state is None:
        return np.zeros((batch, hidden), dtype=dtype)
    return np.broadcast_to(np.asarray(state, dtype=dtype), (batch, hidden)).copy()


def as_mask(mask, steps, batch, dtype):
    """A (T, B, 1) array of 0/1 from a (T, B) mask, or None when there is no mask."""
    if mask is None:
        return None
    mask = np.asarray(mask)
    if mask.shape != (steps, batch):
        raise ValueError(f"mask must be (T, B) = {(steps, batch)}, got {mask.shape}")
    return mask.astype(dtype)[:, :, None]


def quiet():
    """Context that silences overflow/invalid warnings: exploding gradients are a lesson, not an error."""
    return np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore")


def shape_out(a, unbatched):
    """Drop the batch axis of a (T, 1, ...) or (1, ...) array for an unbatched caller."""
    return a[:, 0] if unbatched and a.ndim == 3 else (a[0] if unbatched else a)


def forward_inputs(params, xs, h0, mask):
    """The start every cell's forward pass shares: xs as (T, B, I), whether the caller passed (T, I),
    the (T, B, 1) mask or None, and the (B, H) initial hidden state; ValueError on a size mismatch."""
    X, unbatched = as_batch(xs, params.dtype)  # (T, B, I)
    T, B, I = X.shape
    if I != params.input_size:
        raise ValueError(f"xs has {I} features, the cell expects {params.input_size}")
    M = as_mask(None if mask is None else np.reshape(mask, (T, B)), T, B, params.dtype)
    return X, unbatched, M, initial_state(h0, B, params.hidden_size, params.dtype)


def backward_inputs(params, trace, dh):
    """The start the RNN's and GRU's backward passes share: what the loss injects at each step,
    dh as (T, B, H), and h_{t-1} for every t, (T, B, H)."""
    T, B, _ = trace.xs.shape
    H = params.hidden_size
    dH_in = np.asarray(dh, dtype=params.dtype).reshape(T, B, H)
    H_prev = np.concatenate([trace.h0[None], trace.h.reshape(T, B, H)])[:T]  # h_{t-1} for every t
    return dH_in, H_prev


def carve(dtype, *shapes):
    """Contiguous arrays of these shapes cut from one allocation. Fresh memory costs a page fault
    per 4 KiB page (~3 us on the project's VMs); one block, which numpy backs with huge pages
    from 4 MiB on, costs far fewer than several arrays."""
    sizes = [math.prod(shape) for shape in shapes]
    block = np.empty(sum(sizes), dtype)
    parts, start = [], 0
    for size, shape in zip(sizes, shapes):  # plain slices: np.split costs more than the allocation
        parts.append(block[start:start + size].reshape(shape))
        start += size
    return parts
