"""Numerically safe activations shared by every cell.

The sigmoid is written through tanh, sigma(z) = 1/2 (1 + tanh(z/2)), so that it never
overflows (np.exp(1e4) would) and so that several gates can be squashed in one call.
"""
import math
import sys
import threading

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
        raise ValueError(f"xs must be (T, I) or (T, B, I) floats, or (T,) or (T, B) integer token "
                         f"ids, got shape {xs.shape}")
    return xs, False


def as_inputs(xs, dtype, size):
    """The inputs of a forward pass and whether the caller left out B: token ids as a (T, B) intp
    array when xs is an integer array of shape (T,) or (T, B), else float features (T, B, I) of
    `dtype` (an integer (T, B, I) array too). Id k stands for the one-hot vector e_k of `size`
    entries; ValueError for an id outside 0..size-1 or floats of the wrong shape."""
    ids = np.asarray(xs)
    if not (np.issubdtype(ids.dtype, np.integer) and ids.ndim in (1, 2)):
        return as_batch(xs, dtype)
    if ids.size and (ids.min() < 0 or ids.max() >= size):
        raise ValueError(f"token ids must lie in 0..{size - 1} (the input size), "
                         f"got {ids.min()}..{ids.max()}")
    ids = ids.astype(np.intp, copy=False)
    return (ids[:, None], True) if ids.ndim == 1 else (ids, False)


def one_hot(xs, size, dtype):
    """Token ids (T,) or (T, B) as their one-hot vectors (T, [B,] size) of `dtype`; any other xs as
    a float array of `dtype`, unchanged (ValueError as as_inputs)."""
    X, unbatched = as_inputs(xs, dtype, size)
    if not is_ids(X):
        return np.asarray(xs, dtype=dtype)
    vectors = np.eye(size, dtype=dtype)[X]  # (T, B, size)
    return vectors[:, 0] if unbatched else vectors


def is_ids(X):
    """Whether a trace's inputs X are token ids (T, B) rather than features (T, B, I)."""
    return X.ndim == 2


def project_inputs(X, Wx, b, out):
    """out (T*B, N) = x_t Wx^T + b for every step at once, Wx (N, I): one matmul over features
    X (T, B, I); for token ids X (T, B) a gather of rows of the (I, N) table Wx^T + b, exactly the
    one-hot product's numbers (1 * w + 0 * the rest is w, then the same + b)."""
    if is_ids(X):
        table = np.add(Wx.T, b, order="C")  # (I, N): row k is what the one-hot e_k projects to
        np.take(table, X.reshape(-1), axis=0, out=out, mode="clip")  # ids are checked: clip never
        return out                                                    # clips, and skips a buffer
    np.matmul(X.reshape(-1, X.shape[2]), Wx.T, out=out)
    out += b
    return out


def input_weight_grad(dA, X, out):
    """out (N, I) = sum over every step and sequence of dA_t^T x_t, dA (T*B, N): one matmul over
    features X (T, B, I); for token ids X (T, B), column k sums the rows of dA whose id is k (a
    sum per id present beats np.add.at and a one-hot matmul at the text page's shapes)."""
    if not is_ids(X):
        return np.matmul(dA.T, X.reshape(-1, X.shape[2]), out=out)
    ids = X.reshape(-1)
    out[...] = 0.0
    for k in np.flatnonzero(np.bincount(ids, minlength=out.shape[1])):
        np.sum(dA[ids == k], axis=0, out=out[:, k])
    return out


def recurrent_weight_grad(dA, S, s0, out):
    """The recurrent weights' gradient, out[...] = sum over t of dA_t^T S_{t-1}, where S_{-1} = s0: (T, B, N), (T, B, M), (B, M) ->
    (N, M). An all-zero s0 (the default initial state) adds nothing, so its product is skipped."""
    (T, B, N), M = dA.shape, S.shape[2]
    from_zero = not s0.any()
    if T == 1:  # no later steps: skip an empty product, which still costs a BLAS call
        if from_zero:
            out[...] = 0.0
        else:
            np.matmul(dA[0].T, s0, out=out)
        return
    np.matmul(dA[1:].reshape((T - 1) * B, N).T, S[:-1].reshape((T - 1) * B, M), out=out)
    if not from_zero:
        out += dA[0].T @ s0  # the step that reads s0


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
    """The start every cell's forward pass shares: the inputs (features (T, B, I), or token ids
    (T, B): see as_inputs), whether the caller left out B, the (T, B, 1) mask or None, and the
    (B, H) initial hidden state; ValueError on a size mismatch."""
    X, unbatched = as_inputs(xs, params.dtype, params.input_size)
    T, B = X.shape[:2]
    if not is_ids(X) and X.shape[2] != params.input_size:
        raise ValueError(f"xs has {X.shape[2]} features, the cell expects {params.input_size}")
    M = as_mask(None if mask is None else np.reshape(mask, (T, B)), T, B, params.dtype)
    return X, unbatched, M, initial_state(h0, B, params.hidden_size, params.dtype)


def backward_inputs(params, trace, dh):
    """The start the RNN's and GRU's backward passes share: what the loss injects at each step,
    dh as (T, B, H), and h_{t-1} for every t, (T, B, H)."""
    T, B = trace.xs.shape[:2]
    H = params.hidden_size
    dH_in = np.asarray(dh, dtype=params.dtype).reshape(T, B, H)
    H_prev = np.concatenate([trace.h0[None], trace.h.reshape(T, B, H)])[:T]  # h_{t-1} for every t
    return dH_in, H_prev


def carve(dtype, *shapes):
    """Contiguous arrays of these shapes cut from one block (see _block). Fresh memory costs a page
    fault per 4 KiB page (~3 us on the project's VMs): one block costs fewer than several arrays,
    and a reused one none."""
    sizes = [math.prod(shape) for shape in shapes]
    block = _block(sum(sizes), np.dtype(dtype))
    parts, start = [], 0
    for size, shape in zip(sizes, shapes):  # plain slices: np.split costs more than the allocation
        parts.append(block[start:start + size].reshape(shape))
        start += size
    return parts


REUSE_BYTES = 1 << 20  # carve keeps blocks from 1 MiB on for reuse ...
IDLE_BYTES = 128 << 20  # ... up to this much memory that nothing uses
_blocks = []  # carve's large blocks, least recently handed out first
_blocks_lock = threading.Lock()  # Streamlit runs sessions in threads


def _block(n, dtype):
    """A 1-D array of n entries of dtype, uninitialised like np.empty. From REUSE_BYTES on it is a
    block carve made before once nothing holds it any more (no array, no view: every view of it
    counts as a reference to it), so a training loop stops paying the page faults of mapping its
    forward and backward blocks afresh at every step: glibc hands blocks of that size back to the
    kernel when they are freed. Reuse changes no number: carve's callers write before they read."""
    if n * dtype.itemsize < REUSE_BYTES:
        return np.empty(n, dtype)
    with _blocks_lock:
        for k in range(len(_blocks)):
            if _blocks[k].size == n and _blocks[k].dtype == dtype and _idle(_blocks, k):
                _blocks.append(_blocks.pop(k))  # now the most recently handed out
                return _blocks[-1]
        _drop_idle(IDLE_BYTES)
        _blocks.append(np.empty(n, dtype))
        return _blocks[-1]


def _refs(blocks, k):
    """References to blocks[k] seen from here: the list's, the argument's, and any array's or view's."""
    return sys.getrefcount(blocks[k])


_IDLE_REFS = _refs([np.empty(0)], 0)  # what _refs says of a block nothing else holds


def _idle(blocks, k):
    """Whether only the list holds blocks[k]."""
    return _refs(blocks, k) == _IDLE_REFS


def _drop_idle(keep_bytes):
    """Forget the least recently used idle blocks until at most keep_bytes of idle ones remain."""
    idle = [k for k in range(len(_blocks)) if _idle(_blocks, k)]  # oldest first
    excess = sum(_blocks[k].nbytes for k in idle) - keep_bytes
    drop = set()
    for k in idle:
        if excess <= 0:
            break
        drop.add(k)
        excess -= _blocks[k].nbytes
    _blocks[:] = [b for k, b in enumerate(_blocks) if k not in drop]
