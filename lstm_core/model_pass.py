"""Running a Model: forward over (T, B, I) inputs and exact backprop through every layer.

A bidirectional layer runs a second cell over each sequence reversed within its own length and
concatenates [forward, backward] features, exactly like torch's packed sequences. Padded steps
(t >= length) leave every state unchanged and output zeros.

Inputs are float features (T, [B,] I), or integer token ids (T, [B]) meaning exactly the one-hot
vectors of I = model.input_size entries: layer 0 then gathers columns of W_x instead of a matmul
and sums dL/dW_x per id, and there is no dL/dxs (ModelGrads.dxs is None).

With readout "last" (sequence-to-one) the head reads only each sequence's last valid step,
t_b = lengths[b] - 1 (T - 1 without lengths): y and `last` are (B, .), and backward puts dL/dy's
share of the features back at those steps only. In a bidirectional top layer that row holds the
backward cell's first step, as torch's output[-1] does (Keras's Bidirectional would hand over the
backward cell's final state instead).
"""
import dataclasses

import numpy as np

from .cells import CELLS
from .model import Dense, Layer, Model
from .numerics import as_inputs, is_ids


@dataclasses.dataclass(frozen=True, eq=False)
class ModelTrace:
    """A forward pass. Cell traces are batched (T, B, .); outputs and y drop B for a (T, I) input."""

    layers: tuple  # per layer, a tuple of cell traces: (fwd,) or (fwd, bwd); bwd runs on reversed time
    layer_outputs: tuple  # per layer, its (T, B, D_l) output, zero on padded steps
    outputs: np.ndarray  # top layer features, (T, [B,] D)
    y: np.ndarray  # head output: (T, [B,] O) at every step, or ([B,] O) for readout "last"; None without a head
    last: np.ndarray  # readout "last": the features the head reads, ([B,] D); None for readout "sequence"
    last_step: np.ndarray  # readout "last": (B,) the step t_b read in each sequence; else None
    xs: np.ndarray  # (T, B, I), or token ids (T, B)
    mask: np.ndarray  # (T, B) of 0/1 from lengths, or None
    order: np.ndarray  # (T, B) time index of the reversed sequences, or None for plain reversal
    unbatched: bool


@dataclasses.dataclass(frozen=True, eq=False)
class ModelGrads:
    """Gradients of a scalar loss: `model` like the model, dxs like xs, per-layer cell grads."""

    model: Model
    dxs: np.ndarray  # None for token-id inputs
    layers: tuple  # per layer, a tuple of cell grads (dh per step, in each cell's own time order)


def length_mask(lengths, steps):
    """A (T, B) 0/1 float mask of the valid steps t < lengths[b], or None when lengths is None."""
    if lengths is None:
        return None
    lengths = np.asarray(lengths)
    if lengths.ndim != 1 or not np.issubdtype(lengths.dtype, np.integer):
        raise ValueError(f"lengths must be a 1-D array of integers, got {lengths.dtype} {lengths.shape}")
    if lengths.size and (lengths.min() < 0 or lengths.max() > steps):
        raise ValueError(f"lengths must lie in 0..{steps}, got {lengths.min()}..{lengths.max()}")
    return (np.arange(steps)[:, None] < lengths[None, :]).astype(np.float64)  # (T, B)


def _reversal(lengths, steps):
    """(T, B) indices reversing each sequence within its length; padded steps stay put. None: plain."""
    if lengths is None:
        return None
    t = np.arange(steps)[:, None]  # (T, 1)
    L = np.asarray(lengths)[None, :]  # (1, B)
    return np.where(t < L, L - 1 - t, t)


def _reverse(A, order):
    """A (T, B, .) with each sequence reversed; applying it twice gives A back."""
    if order is None:
        return A[::-1]
    return A[order, np.arange(A.shape[1])[None, :]]


def model_forward(model, xs, lengths=None):
    """Run every layer and the head over xs (T, I) or (T, B, I), or token ids (T,) or (T, B) of
    the one-hot vectors of model.input_size entries; lengths (B,) for end-padded batches."""
    X, unbatched = as_inputs(xs, model.dtype, model.input_size)  # (T, B, I) or ids (T, B)
    T, B = X.shape[:2]
    if not is_ids(X) and X.shape[2] != model.input_size:
        raise ValueError(f"xs has {X.shape[2]} features, the model expects {model.input_size}")
    if lengths is not None and np.shape(lengths) != (B,):
        raise ValueError(f"lengths must have shape ({B},), got {np.shape(lengths)}")
    mask, order = length_mask(lengths, T), _reversal(lengths, T)
    traces, outs, inp = [], [], X
    for layer in model.layers:
        cell_traces, inp = _layer_forward(layer, inp, mask, order)
        traces.append(cell_traces)
        outs.append(inp)
    strip = (lambda a: a[..., 0, :]) if unbatched else (lambda a: a)  # drop B of (T, B, .) or (B, .)
    last_step = last = None
    read = inp  # (T, B, D): what the head reads
    if model.readout == "last":
        last_step = _last_steps(lengths, T, B)
        read = last = inp[last_step, np.arange(B)]  # (B, D)
    y = None if model.head is None else dense(read, model.head.W.T, model.head.b)  # (T, B, O) or (B, O)
    return ModelTrace(layers=tuple(traces), layer_outputs=tuple(outs), outputs=strip(inp),
                      y=None if y is None else strip(y), last=None if last is None else strip(last),
                      last_step=last_step, xs=X, mask=mask, order=order, unbatched=unbatched)


def dense(A, W, b=None):
    """A @ W (+ b) over A's last axis, as one matmul of A's rows: numpy runs a (T, B, D) @ (D, O)
    product as T small ones, twice as slow at the text page's shapes (same numbers)."""
    out = A.reshape(-1, A.shape[-1]) @ W
    if b is not None:
        out += b
    return out.reshape(A.shape[:-1] + (W.shape[1],))


def prediction(model, trace):
    """What a loss compares with the target: the head's y, or without a head the features read
    (trace.last for readout "last", trace.outputs for "sequence")."""
    if model.head is not None:
        return trace.y
    return trace.last if model.readout == "last" else trace.outputs


def _last_steps(lengths, steps, batch):
    """(B,) index of each sequence's last valid step, lengths - 1 (steps - 1 without lengths)."""
    if steps == 0 or (lengths is not None and np.min(lengths, initial=steps) < 1):
        raise ValueError("readout 'last' needs every sequence to have at least one step")
    if lengths is None:
        return np.full(batch, steps - 1)
    return np.asarray(lengths) - 1


def _layer_forward(layer, X, mask, order):
    """One layer over X (T, B, I): (cell traces, output (T, B, D) zeroed on padded steps)."""
    cell = CELLS[layer.kind]
    traces = (cell.forward(layer.fwd, X, mask=mask),)
    out = traces[0].h  # (T, B, H)
    if layer.bwd is not None:
        traces += (cell.forward(layer.bwd, _reverse(X, order), mask=mask),)
        out = np.concatenate([out, _reverse(traces[1].h, order)], axis=2)  # [forward, backward]: (T, B, 2H)
    if mask is not None:
        out = out * mask[:, :, None]  # padded steps output zeros, like torch's pad_packed_sequence
    return traces, out


def model_backward(model, trace, dy=None, doutputs=None, dlast=None):
    """Backprop a scalar loss given dL/dy (like trace.y), dL/doutputs (like trace.outputs) and/or,
    for readout "last", dL/dlast (like trace.last: the features read, for a model without a head)."""
    if dy is None and doutputs is None and dlast is None:
        raise ValueError("give dy (the head's gradient), doutputs (the top layer's) or dlast")
    if dlast is not None and trace.last is None:
        raise ValueError("dlast needs a model with readout 'last'")
    head, dread = _head_backward(model, trace, dy, dlast)
    dtop = _top_gradient(model, trace, doutputs, dread)
    layers, cell_grads, dout = [], [], dtop
    for layer, traces in zip(model.layers[::-1], trace.layers[::-1]):
        grads, dout = _layer_backward(layer, traces, dout, trace.mask, trace.order)
        layers.append(Layer(layer.kind, *(g.params for g in grads)))
        cell_grads.append(grads)
    dxs = dout[:, 0] if trace.unbatched and dout is not None else dout
    return ModelGrads(model=Model(tuple(layers[::-1]), head, model.readout), dxs=dxs,
                      layers=tuple(cell_grads[::-1]))


def _top_gradient(model, trace, doutputs, dread):
    """dL/d the top layer's outputs (T, B, D): doutputs plus the head's share dread, at every step
    or, for readout "last", at the steps read; never written into the caller's array."""
    T, B, D = trace.layer_outputs[-1].shape
    if doutputs is None and dread is not None and trace.last is None:
        return dread  # the head's gradient alone: already a fresh array, no zeros to add it to
    dtop = (np.zeros((T, B, D), model.dtype) if doutputs is None
            else np.asarray(doutputs, model.dtype).reshape(T, B, D))
    if dread is None:
        return dtop
    if trace.last is None:
        return dtop + dread
    dtop = dtop.copy() if doutputs is not None else dtop
    dtop[trace.last_step, np.arange(B)] += dread  # only the steps read get the head's gradient
    return dtop


def _head_backward(model, trace, dy, dlast):
    """(the head's grads or None, dL/d the features the head read or None) from dy and dlast.

    The features read are the top layer's outputs (T, B, D), or for readout "last" their rows
    at trace.last_step, (B, D)."""
    top = trace.layer_outputs[-1]  # (T, B, D)
    T, B, D = top.shape
    read = top if trace.last is None else top[trace.last_step, np.arange(B)]
    dread = None if dlast is None else np.asarray(dlast, model.dtype).reshape(B, D)
    if dy is None:
        return (None if model.head is None else model.head.zeros_like()), dread
    if model.head is None:
        raise ValueError("this model has no head: give doutputs instead of dy")
    dY = np.asarray(dy, model.dtype).reshape(read.shape[:-1] + (-1,))  # (T, B, O) or (B, O)
    dY2, read2 = dY.reshape(-1, dY.shape[-1]), read.reshape(-1, D)
    head = Dense(W=dY2.T @ read2, b=dY2.sum(axis=0))  # dL/dW (O, D), dL/db (O,)
    dhead = dense(dY, model.head.W)  # dL/d what the head read
    return head, (dhead if dread is None else dread + dhead)


def _layer_backward(layer, traces, dout, mask, order):
    """One layer back from dL/d output (T, B, D): (cell grads, dL/d input (T, B, I))."""
    cell = CELLS[layer.kind]
    H = layer.fwd.hidden_size
    if mask is not None:
        dout = dout * mask[:, :, None]  # padded outputs were zeros: no gradient flows through them
    grads = (cell.backward(layer.fwd, traces[0], dout[:, :, :H]),)
    dX = grads[0].dxs  # (T, B, I), or None for token ids
    if layer.bwd is not None:
        grads += (cell.backward(layer.bwd, traces[1], _reverse(dout[:, :, H:], order)),)
        if dX is not None:
            dX = dX + _reverse(grads[1].dxs, order)  # back to the original time order
    return grads, dX
