"""Shared behaviour of every parameter set: arrays by name, JSON round-trips, dtype casts.

Each cell's parameters are a frozen dataclass whose fields are NumPy arrays (or None for an
absent optional part such as peepholes). Optimizers, clipping and the JSON export all walk
the same `arrays()` mapping, so a new cell only lists its fields.
"""
import dataclasses
import functools

import numpy as np


class ParamsMixin:
    """Mixed into frozen dataclasses of arrays: named access, mapping, serialisation."""

    def arrays(self):
        """Dict field name -> array, skipping absent (None) fields, in field order."""
        arrays = {name: getattr(self, name) for name in field_names(type(self))}
        return {name: a for name, a in arrays.items() if a is not None}

    def replace(self, **arrays):
        """A copy with some arrays replaced (dataclasses.replace without its per-call field walk)."""
        values = {name: getattr(self, name) for name in field_names(type(self))}
        values.update(arrays)
        return type(self)(**values)

    def map(self, fn):
        """A copy with `fn(array)` applied to every present array."""
        return self.replace(**{k: fn(v) for k, v in self.arrays().items()})

    def astype(self, dtype):
        """A copy with every array cast to `dtype` (float64 or float32)."""
        return self.map(lambda a: np.asarray(a, dtype=dtype))

    @property
    def dtype(self):
        return getattr(self, field_names(type(self))[0]).dtype  # the first field is never absent

    def zeros_like(self):
        """Same structure, every array zero: the starting point of a gradient sum."""
        return self.map(np.zeros_like)

    def to_dict(self):
        """JSON-safe dict: nested lists of floats, plus a `kind` tag for from_dict."""
        out = {"kind": type(self).__name__}
        out.update({k: np.asarray(v, dtype=np.float64).tolist() for k, v in self.arrays().items()})
        return out

    @classmethod
    def from_dict(cls, d):
        """Inverse of to_dict; raises ValueError with a readable message on a malformed dict."""
        if not isinstance(d, dict):
            raise ValueError("parameters must be a JSON object")
        kind = d.get("kind", cls.__name__)
        if kind != cls.__name__:
            raise ValueError(f"these parameters are for a {kind}, not a {cls.__name__}")
        fields = dataclasses.fields(cls)
        names = [f.name for f in fields]
        unknown = set(d) - set(names) - {"kind"}
        if unknown:
            raise ValueError(f"unknown parameter names: {sorted(unknown)}")
        missing = [f.name for f in fields if f.default is dataclasses.MISSING and d.get(f.name) is None]
        if missing:
            raise ValueError(f"missing parameters: {', '.join(missing)}")
        kwargs = {}
        for name in names:
            value = d.get(name)
            kwargs[name] = None if value is None else _float_array(name, value)
        params = cls(**kwargs)
        params.validate()
        return params


class CellParamsMixin(ParamsMixin):
    """A recurrent cell's parameters: the first field is a weight matrix (H, H+I) on [h_{t-1}, x_t]."""

    @property
    def hidden_size(self):
        return getattr(self, field_names(type(self))[0]).shape[0]

    @property
    def input_size(self):
        W = getattr(self, field_names(type(self))[0])
        return W.shape[1] - W.shape[0]


@functools.cache
def field_names(cls):
    """The field names of a parameters class, in order: looked up once, since a training step asks
    for them hundreds of times and dataclasses.fields rebuilds the list at every call."""
    return tuple(f.name for f in dataclasses.fields(cls))


def _float_array(name, value):
    """A finite float64 array from nested lists, or ValueError naming the field."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinity")
    return arr


def check_shape(name, arr, shape):
    """Raise ValueError unless `arr` has exactly `shape`."""
    if arr is not None and tuple(arr.shape) != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got {tuple(arr.shape)}")


def uniform_init(rng, shape, hidden_size):
    """PyTorch's default: U(-1/sqrt(H), 1/sqrt(H))."""
    bound = 1.0 / np.sqrt(hidden_size)
    return rng.uniform(-bound, bound, size=shape)
