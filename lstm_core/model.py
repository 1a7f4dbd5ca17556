"""Layers of cells, stacked and optionally bidirectional, with a dense head: the shape torch.nn.LSTM has.

    layer 0:  h^0_t = cell(x_t, h^0_{t-1})                       (T, B, H) or (T, B, 2H)
    layer l:  h^l_t = cell(h^{l-1}_t, h^l_{t-1})                 stacked: each layer reads the one below
    head:     y_t   = W h^L_t + b                                (T, B, O), at every step

A bidirectional layer runs a second cell over each sequence reversed within its own length and
concatenates [forward, backward] features, exactly like torch's packed sequences. Padded steps
(t >= length) leave every state unchanged and output zeros.
"""
import dataclasses

import numpy as np

from .gru import GRUParams, gru_backward, gru_forward
from .lstm import LSTMParams, lstm_backward, lstm_forward
from .numerics import as_batch
from .params import ParamsMixin, check_shape, uniform_init
from .rnn import RNNParams, rnn_backward, rnn_forward


@dataclasses.dataclass(frozen=True)
class _Cell:
    """One cell kind: its parameter class and its forward/backward on batched (T, B, .) arrays."""

    params_cls: type
    forward: object  # (params, X, mask) -> trace
    backward: object  # (params, trace, dh) -> grads with .params, .dxs


CELLS = {
    "lstm": _Cell(LSTMParams, lambda p, X, m: lstm_forward(p, X, mask=m), lstm_backward),
    "rnn": _Cell(RNNParams, lambda p, X, m: rnn_forward(p, X, activation="tanh", mask=m), rnn_backward),
    "rnn_sigmoid": _Cell(RNNParams, lambda p, X, m: rnn_forward(p, X, activation="sigmoid", mask=m),
                         rnn_backward),
    "gru": _Cell(GRUParams, lambda p, X, m: gru_forward(p, X, mask=m), gru_backward),
}
TORCH_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")  # per layer, then _l{k}[_reverse]


@dataclasses.dataclass(frozen=True, eq=False)
class Dense(ParamsMixin):
    """The head y = W h + b: W is (O, D), b is (O,)."""

    W: np.ndarray
    b: np.ndarray

    def validate(self):
        """Raise ValueError if W is not (O, D) with b (O,)."""
        if self.W.ndim != 2 or min(self.W.shape) < 1:
            raise ValueError(f"head W must be (O, D), got shape {self.W.shape}")
        check_shape("head b", self.b, (self.W.shape[0],))
        return self

    @classmethod
    def init(cls, in_size, out_size, *, seed, dtype=np.float64):
        """torch.nn.Linear's init, U(-1/sqrt(D), 1/sqrt(D)), with a seed."""
        rng = np.random.default_rng(seed)
        W = uniform_init(rng, (out_size, in_size), in_size)
        b = uniform_init(rng, (out_size,), in_size)
        return cls(W=W, b=b).astype(dtype)


@dataclasses.dataclass(frozen=True, eq=False)
class Layer:
    """One layer: `kind` in CELLS, the forward cell, and the backward cell if bidirectional."""

    kind: str
    fwd: ParamsMixin
    bwd: ParamsMixin = None

    @property
    def output_size(self):
        return self.fwd.hidden_size * (1 if self.bwd is None else 2)

    def cells(self):
        """(direction name, params) for each present direction."""
        return (("fwd", self.fwd),) if self.bwd is None else (("fwd", self.fwd), ("bwd", self.bwd))

    def validate(self):
        """Raise ValueError unless both directions are valid cells of `kind` with equal shapes."""
        if self.kind not in CELLS:
            raise ValueError(f"layer kind must be one of {tuple(CELLS)}, got {self.kind!r}")
        cls = CELLS[self.kind].params_cls
        for _, params in self.cells():
            if not isinstance(params, cls):
                raise ValueError(f"a {self.kind} layer needs {cls.__name__}, got {type(params).__name__}")
            params.validate()
        shapes = [{n: a.shape for n, a in p.arrays().items()} for _, p in self.cells()]
        if shapes[-1] != shapes[0]:
            raise ValueError("the backward cell must have the same shapes as the forward cell")
        return self


@dataclasses.dataclass(frozen=True, eq=False)
class Model:
    """Stacked layers (tuple of Layer) and an optional Dense head applied at every step."""

    layers: tuple
    head: Dense = None

    @property
    def input_size(self):
        return self.layers[0].fwd.input_size

    @property
    def feature_size(self):
        """Size D of the top layer's output (2H when bidirectional)."""
        return self.layers[-1].output_size

    @property
    def dtype(self):
        return self.layers[0].fwd.dtype

    def validate(self):
        """Raise ValueError unless each layer reads what the layer below outputs and the head fits."""
        if not isinstance(self.layers, tuple) or not self.layers:
            raise ValueError("a model needs a non-empty tuple of layers")
        for k, layer in enumerate(self.layers):
            layer.validate()
            if k and layer.fwd.input_size != self.layers[k - 1].output_size:
                raise ValueError(f"layer {k} reads {layer.fwd.input_size} features, "
                                 f"layer {k - 1} outputs {self.layers[k - 1].output_size}")
        if self.head is not None:
            self.head.validate()
            if self.head.W.shape[1] != self.feature_size:
                raise ValueError(f"head reads {self.head.W.shape[1]} features, "
                                 f"the top layer outputs {self.feature_size}")
        return self

    @classmethod
    def init(cls, kind, input_size, hidden_size, output_size=None, *, num_layers=1,
             bidirectional=False, seed=0, forget_bias=1.0):
        """Seeded init: cell k (layer l, direction d: k = 2l + d) gets seed + k, the head seed + 2L."""
        if kind not in CELLS:
            raise ValueError(f"kind must be one of {tuple(CELLS)}, got {kind!r}")
        extra = {"forget_bias": forget_bias} if kind == "lstm" else {}
        init = CELLS[kind].params_cls.init
        layers, size = [], input_size
        for l in range(num_layers):
            fwd = init(size, hidden_size, seed=seed + 2 * l, **extra)
            bwd = init(size, hidden_size, seed=seed + 2 * l + 1, **extra) if bidirectional else None
            layers.append(Layer(kind, fwd, bwd))
            size = layers[-1].output_size
        head = None if output_size is None else Dense.init(size, output_size, seed=seed + 2 * num_layers)
        return cls(tuple(layers), head).validate()

    @classmethod
    def from_torch(cls, kind, state_dict, num_layers, bidirectional, head=None):
        """From a torch.nn.LSTM / GRU / RNN state_dict as NumPy arrays.

        Names are torch's: weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, plus the same
        with a `_reverse` suffix for the backward direction. `head` is None, a Dense, or a
        torch.nn.Linear state_dict {"weight": (O, D), "bias": (O,)}. Unknown or missing names
        raise ValueError.
        """
        if kind not in CELLS:
            raise ValueError(f"kind must be one of {tuple(CELLS)}, got {kind!r}")
        suffixes = ("", "_reverse") if bidirectional else ("",)
        wanted = [f"{n}_l{l}{s}" for l in range(num_layers) for s in suffixes for n in TORCH_NAMES]
        missing, unknown = sorted(set(wanted) - set(state_dict)), sorted(set(state_dict) - set(wanted))
        if missing or unknown:
            raise ValueError(f"state_dict does not fit {num_layers} layer(s), bidirectional="
                             f"{bidirectional}: missing {missing}, unexpected {unknown}")
        from_torch = CELLS[kind].params_cls.from_torch
        layers = []
        for l in range(num_layers):
            cells = [from_torch(*(np.asarray(state_dict[f"{n}_l{l}{s}"], dtype=np.float64)
                                  for n in TORCH_NAMES)) for s in suffixes]
            layers.append(Layer(kind, *cells))
        if isinstance(head, dict):
            if set(head) != {"weight", "bias"}:
                raise ValueError(f"a torch.nn.Linear head has keys weight and bias, got {sorted(head)}")
            head = Dense(W=np.asarray(head["weight"], np.float64), b=np.asarray(head["bias"], np.float64))
        return cls(tuple(layers), head).validate()

    def arrays(self):
        """Flat dict name -> array: "layers.0.fwd.W_f", ..., "head.W", "head.b"."""
        out = {}
        for k, layer in enumerate(self.layers):
            for direction, params in layer.cells():
                out.update({f"layers.{k}.{direction}.{n}": a for n, a in params.arrays().items()})
        if self.head is not None:
            out.update({f"head.{n}": a for n, a in self.head.arrays().items()})
        return out

    def replace_arrays(self, arrays):
        """A new Model with some arrays replaced by name; unknown names or changed shapes raise ValueError."""
        current = self.arrays()
        unknown = sorted(set(arrays) - set(current))
        if unknown:
            raise ValueError(f"unknown parameter names: {unknown}")
        for name, a in arrays.items():
            check_shape(name, np.asarray(a), current[name].shape)
        def swap(prefix, params):
            new = {n: np.asarray(arrays[prefix + n], dtype=a.dtype)
                   for n, a in params.arrays().items() if prefix + n in arrays}
            return params.replace(**new) if new else params  # untouched parts stay shared
        return self._rebuild(swap)

    def map(self, fn):
        """A new Model with `fn(array)` applied to every array (e.g. zeros, a dtype cast)."""
        return self._rebuild(lambda prefix, params: params.map(fn))

    def _rebuild(self, fn):
        """Same structure, each parameter set replaced by fn(name prefix, params)."""
        layers = tuple(Layer(layer.kind, *(fn(f"layers.{k}.{d}.", p) for d, p in layer.cells()))
                       for k, layer in enumerate(self.layers))
        head = None if self.head is None else fn("head.", self.head)
        return Model(layers, head)

    def to_dict(self):
        """JSON-safe dict of nested lists, tagged for from_dict."""
        layers = [{"kind": layer.kind, "fwd": layer.fwd.to_dict(),
                   "bwd": None if layer.bwd is None else layer.bwd.to_dict()} for layer in self.layers]
        return {"kind": "Model", "layers": layers,
                "head": None if self.head is None else self.head.to_dict()}

    @classmethod
    def from_dict(cls, d):
        """Inverse of to_dict; raises ValueError with a readable message on a malformed dict."""
        if not isinstance(d, dict) or d.get("kind") != "Model":
            raise ValueError("a model must be a JSON object with kind 'Model'")
        if not isinstance(d.get("layers"), list) or not d["layers"]:
            raise ValueError("a model needs a non-empty list of layers")
        layers = []
        for k, spec in enumerate(d["layers"]):
            if not isinstance(spec, dict) or spec.get("kind") not in CELLS:
                raise ValueError(f"layer {k} must be an object with kind in {tuple(CELLS)}")
            load = CELLS[spec["kind"]].params_cls.from_dict
            bwd = spec.get("bwd")
            layers.append(Layer(spec["kind"], load(spec.get("fwd")), None if bwd is None else load(bwd)))
        head = None if d.get("head") is None else Dense.from_dict(d["head"])
        return cls(tuple(layers), head).validate()


@dataclasses.dataclass(frozen=True, eq=False)
class ModelTrace:
    """A forward pass. Cell traces are batched (T, B, .); outputs and y drop B for a (T, I) input."""

    layers: tuple  # per layer, a tuple of cell traces: (fwd,) or (fwd, bwd); bwd runs on reversed time
    layer_outputs: tuple  # per layer, its (T, B, D_l) output, zero on padded steps
    outputs: np.ndarray  # top layer features, (T, [B,] D)
    y: np.ndarray  # head at every step, (T, [B,] O), or None without a head
    xs: np.ndarray  # (T, B, I)
    mask: np.ndarray  # (T, B) of 0/1 from lengths, or None
    order: np.ndarray  # (T, B) time index of the reversed sequences, or None for plain reversal
    unbatched: bool


@dataclasses.dataclass(frozen=True, eq=False)
class ModelGrads:
    """Gradients of a scalar loss: `model` like the model, dxs like xs, per-layer cell grads."""

    model: Model
    dxs: np.ndarray
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
    """Run every layer and the head over xs (T, I) or (T, B, I); lengths (B,) for end-padded batches."""
    X, unbatched = as_batch(xs, model.dtype)  # (T, B, I)
    T, B, I = X.shape
    if I != model.input_size:
        raise ValueError(f"xs has {I} features, the model expects {model.input_size}")
    if lengths is not None and np.shape(lengths) != (B,):
        raise ValueError(f"lengths must have shape ({B},), got {np.shape(lengths)}")
    mask, order = length_mask(lengths, T), _reversal(lengths, T)
    traces, outs, inp = [], [], X
    for layer in model.layers:
        cell_traces, inp = _layer_forward(layer, inp, mask, order)
        traces.append(cell_traces)
        outs.append(inp)
    y = None if model.head is None else inp @ model.head.W.T + model.head.b  # (T, B, O)
    strip = (lambda a: a[:, 0]) if unbatched else (lambda a: a)
    return ModelTrace(layers=tuple(traces), layer_outputs=tuple(outs), outputs=strip(inp),
                      y=None if y is None else strip(y), xs=X, mask=mask, order=order, unbatched=unbatched)


def _layer_forward(layer, X, mask, order):
    """One layer over X (T, B, I): (cell traces, output (T, B, D) zeroed on padded steps)."""
    cell = CELLS[layer.kind]
    traces = (cell.forward(layer.fwd, X, mask),)
    out = traces[0].h  # (T, B, H)
    if layer.bwd is not None:
        traces += (cell.forward(layer.bwd, _reverse(X, order), mask),)
        out = np.concatenate([out, _reverse(traces[1].h, order)], axis=2)  # [forward, backward]: (T, B, 2H)
    if mask is not None:
        out = out * mask[:, :, None]  # padded steps output zeros, like torch's pad_packed_sequence
    return traces, out


def model_backward(model, trace, dy=None, doutputs=None):
    """Backprop a scalar loss given dL/dy (like trace.y) and/or dL/doutputs (like trace.outputs)."""
    if dy is None and doutputs is None:
        raise ValueError("give dy (the head's gradient) or doutputs (the top layer's)")
    top = trace.layer_outputs[-1]  # (T, B, D)
    T, B, D = top.shape
    dtype = model.dtype
    dtop = np.zeros((T, B, D), dtype) if doutputs is None else np.asarray(doutputs, dtype).reshape(T, B, D)
    head = None
    if dy is not None:
        if model.head is None:
            raise ValueError("this model has no head: give doutputs instead of dy")
        dY = np.asarray(dy, dtype).reshape(T, B, -1)  # (T, B, O)
        dY2 = dY.reshape(T * B, -1)
        head = Dense(W=dY2.T @ top.reshape(T * B, D), b=dY2.sum(axis=0))  # dL/dW (O, D), dL/db (O,)
        dtop = dtop + dY @ model.head.W  # (T, B, D)
    elif model.head is not None:
        head = model.head.zeros_like()
    layers, cell_grads, dout = [], [], dtop
    for layer, traces in zip(model.layers[::-1], trace.layers[::-1]):
        grads, dout = _layer_backward(layer, traces, dout, trace.mask, trace.order)
        layers.append(Layer(layer.kind, *(g.params for g in grads)))
        cell_grads.append(grads)
    dxs = dout[:, 0] if trace.unbatched else dout
    return ModelGrads(model=Model(tuple(layers[::-1]), head), dxs=dxs, layers=tuple(cell_grads[::-1]))


def _layer_backward(layer, traces, dout, mask, order):
    """One layer back from dL/d output (T, B, D): (cell grads, dL/d input (T, B, I))."""
    cell = CELLS[layer.kind]
    H = layer.fwd.hidden_size
    if mask is not None:
        dout = dout * mask[:, :, None]  # padded outputs were zeros: no gradient flows through them
    grads = (cell.backward(layer.fwd, traces[0], dout[:, :, :H]),)
    dX = grads[0].dxs  # (T, B, I)
    if layer.bwd is not None:
        grads += (cell.backward(layer.bwd, traces[1], _reverse(dout[:, :, H:], order)),)
        dX = dX + _reverse(grads[1].dxs, order)  # back to the original time order
    return grads, dX
