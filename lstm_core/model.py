"""Layers of cells, stacked and optionally bidirectional, with a dense head: the shape torch.nn.LSTM has.

    layer 0:  h^0_t = cell(x_t, h^0_{t-1})                       (T, B, H) or (T, B, 2H)
    layer l:  h^l_t = cell(h^{l-1}_t, h^l_{t-1})                 stacked: each layer reads the one below
    head:     y_t   = W h^L_t + b                                (T, B, O), at every step (readout "sequence")
              y     = W h^L_{t_b} + b,  t_b = lengths[b] - 1       (B, O), at the last valid step (readout "last")

The readout "last" is Keras's return_sequences=False (sequence-to-one): the head reads only the
top layer's output at each sequence's last valid step.

This module holds the model's parameters (init, torch and JSON round trips, flat arrays by name);
`model_pass.py` runs it forward and backward. A layer's `kind` is a key of `cells.CELLS`.
"""
import dataclasses

import numpy as np

from .cells import ALIASES, CELLS, KINDS, canonical
from .init import INITS, keras_cell, keras_dense
from .params import ParamsMixin, check_shape, uniform_init

TORCH_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")  # per layer, then _l{k}[_reverse]
READOUTS = ("sequence", "last")  # head at every step (seq-to-seq), or at each sequence's last step


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
    """One layer: `kind` in cells.CELLS, the forward cell, and the backward cell if bidirectional."""

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
            raise ValueError(f"layer kind must be one of {KINDS}, got {self.kind!r}")
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
    """Stacked layers (tuple of Layer), an optional Dense head, and where it reads (a READOUTS key)."""

    layers: tuple
    head: Dense = None
    readout: str = "sequence"  # "sequence": the head at every step; "last": at the last valid step

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
        if self.readout not in READOUTS:
            raise ValueError(f"readout must be one of {READOUTS}, got {self.readout!r}")
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
             bidirectional=False, seed=0, forget_bias=1.0, init="torch", readout="sequence"):
        """Seeded init: cell k (layer l, direction d: k = 2l + d) gets seed + k, the head seed + 2L.

        `init` in INITS: "torch" (PyTorch's uniform defaults) or "keras" (Keras 3's: glorot
        kernels, orthogonal recurrent kernels, zero biases but b_f; see init.py). `readout` in
        READOUTS: "sequence" (the head at every step) or "last" (at each sequence's last step)."""
        kind = _kind(kind)
        if init not in INITS:
            raise ValueError(f"init must be one of {INITS}, got {init!r}")
        layers, size = [], input_size
        for l in range(num_layers):
            fwd = _cell(init, kind, size, hidden_size, seed + 2 * l, forget_bias)
            bwd = _cell(init, kind, size, hidden_size, seed + 2 * l + 1, forget_bias) if bidirectional else None
            layers.append(Layer(kind, fwd, bwd))
            size = layers[-1].output_size
        head = None if output_size is None else _head(init, size, output_size, seed + 2 * num_layers)
        return cls(tuple(layers), head, readout).validate()

    @classmethod
    def from_torch(cls, kind, state_dict, num_layers, bidirectional, head=None, readout="sequence"):
        """From a torch.nn.LSTM / GRU / RNN state_dict as NumPy arrays.

        Names are torch's: weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, plus the same
        with a `_reverse` suffix for the backward direction. `head` is None, a Dense, or a
        torch.nn.Linear state_dict {"weight": (O, D), "bias": (O,)}; `readout` a READOUTS key.
        Unknown or missing names raise ValueError.
        """
        kind = _kind(kind)
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
        return cls(tuple(layers), head, readout).validate()

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
        return Model(layers, head, self.readout)

    def to_dict(self):
        """JSON-safe dict of nested lists, tagged for from_dict."""
        layers = [{"kind": layer.kind, "fwd": layer.fwd.to_dict(),
                   "bwd": None if layer.bwd is None else layer.bwd.to_dict()} for layer in self.layers]
        return {"kind": "Model", "layers": layers, "readout": self.readout,
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
            if not isinstance(spec, dict) or spec.get("kind") not in (*KINDS, *ALIASES):
                raise ValueError(f"layer {k} must be an object with kind in {KINDS}")
            kind = canonical(spec["kind"])
            load = CELLS[kind].params_cls.from_dict
            bwd = spec.get("bwd")
            layers.append(Layer(kind, load(spec.get("fwd")), None if bwd is None else load(bwd)))
        head = None if d.get("head") is None else Dense.from_dict(d["head"])
        return cls(tuple(layers), head, d.get("readout", "sequence")).validate()  # older files: "sequence"


def _cell(init, kind, input_size, hidden_size, seed, forget_bias):
    """One cell of a Model.init: its kind's PyTorch-style init, or Keras's (init.keras_cell)."""
    cell = CELLS[kind]
    if init == "keras":
        return keras_cell(cell.params_cls, input_size, hidden_size, seed=seed,
                          forget_bias=forget_bias, **dict(cell.init_options))
    return cell.init(input_size, hidden_size, seed=seed, forget_bias=forget_bias)


def _head(init, in_size, out_size, seed):
    """The Dense head of a Model.init: torch.nn.Linear's or keras.layers.Dense's default init."""
    if init == "keras":
        W, b = keras_dense(in_size, out_size, seed=seed)
        return Dense(W=W, b=b)
    return Dense.init(in_size, out_size, seed=seed)


def _kind(kind):
    """Today's name of a kind, or ValueError listing the kinds."""
    try:
        return canonical(kind)
    except ValueError:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}") from None
