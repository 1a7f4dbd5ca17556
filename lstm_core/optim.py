"""Gradient clipping and the two optimizers the app trains with, step for step like torch.optim.

Everything works on flat dicts name -> array (`Model.arrays()`) and is functional: `init` gives a
plain-data state, `update` returns new arrays and a new state and never changes its inputs.
"""
import dataclasses
import math

import numpy as np

from .numerics import quiet


def global_norm(grads):
    """sqrt of the sum of every squared entry of every array; inf or nan if an entry is, never a warning."""
    grads = [np.asarray(g) for g in grads.values()]
    with quiet():
        peaks = [np.abs(g).max() for g in grads if g.size]
        scale = float(np.max(peaks)) if peaks else 0.0  # largest |entry|, NaN if any entry is
        if scale == 0.0 or not math.isfinite(scale):
            return scale
        squares = sum(float(_square(g / scale).sum()) for g in grads)  # divided first: no overflow
        return scale * math.sqrt(squares)


def _square(a):
    """a * a in place (a is a fresh temporary): one allocation fewer per array."""
    return np.square(a, out=a)


def clip_by_global_norm(grads, max_norm):
    """(grads scaled so their global norm is at most max_norm, the norm before clipping).

    Like torch.nn.utils.clip_grad_norm_: the scale is max_norm / (norm + 1e-6) when below 1, so the
    direction is kept. A non-finite norm (an inf or NaN entry) gives all-zero gradients instead of
    NaN weights.
    """
    max_norm = checked_number("max_norm", max_norm, low=0.0, open_low=True)
    total = global_norm(grads)
    if not math.isfinite(total):
        return {k: np.zeros_like(g) for k, g in grads.items()}, total
    coef = max_norm / (total + 1e-6)
    if coef >= 1.0:
        return dict(grads), total
    return {k: g * coef for k, g in grads.items()}, total


def checked_number(name, value, low, high=math.inf, open_low=False, open_high=False):
    """`value` as a finite float in the interval, or ValueError with a readable message."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    below = value <= low if open_low else value < low
    above = value >= high if open_high else value > high
    if not math.isfinite(value) or below or above:
        interval = f"{'(' if open_low else '['}{low:g}, {high:g}{')' if open_high else ']'}"
        raise ValueError(f"{name} must be a finite number in {interval}, got {value}")
    return value


def _check_keys(arrays, grads):
    """Raise ValueError unless grads has exactly the names of arrays."""
    if set(arrays) != set(grads):
        missing, unexpected = sorted(set(arrays) - set(grads)), sorted(set(grads) - set(arrays))
        raise ValueError(f"gradients do not match the parameters: missing {missing}, unexpected {unexpected}")


def _axpby(a, x, b, y, z=None):
    """a x + b y (times z if given: b y z), rounded exactly like the plain expression, in place on
    temporaries: Adam's moments are most of a training step's elementwise work."""
    out = np.multiply(a, x)
    term = np.multiply(b, y)
    if z is not None:
        term *= z
    out += term
    return out


@dataclasses.dataclass(frozen=True)
class SGD:
    """torch.optim.SGD (dampening 0, no Nesterov): g += wd p; buf = momentum buf + g; p -= lr buf."""

    lr: float
    momentum: float = 0.0
    weight_decay: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "lr", checked_number("lr", self.lr, 0.0, open_low=True))
        object.__setattr__(self, "momentum", checked_number("momentum", self.momentum, 0.0))
        object.__setattr__(self, "weight_decay", checked_number("weight_decay", self.weight_decay, 0.0))

    def init(self, arrays):
        """Zero momentum buffers, one per array."""
        return {"step": 0, "buf": {k: np.zeros_like(a) for k, a in arrays.items()}}

    def update(self, arrays, grads, state):
        """One step: (new arrays, new state)."""
        _check_keys(arrays, grads)
        new, buf = {}, {}
        with quiet():
            for k, p in arrays.items():
                g = grads[k] + self.weight_decay * p if self.weight_decay else grads[k]  # L2 term
                buf[k] = self.momentum * state["buf"][k] + g  # velocity; = g on the first step
                new[k] = p - self.lr * buf[k]
        return new, {"step": state["step"] + 1, "buf": buf}


@dataclasses.dataclass(frozen=True)
class Adam:
    """torch.optim.Adam (L2 weight decay, no AMSGrad): bias-corrected moments m, v of the gradient.

    eps guards the division by sqrt(v_hat). Torch's default is 1e-8; Keras's Adam uses 1e-7 (its
    `epsilon`), so pass eps=1e-7 to follow a Keras recipe. It matters only where |g| is near eps:
    step 1 moves by lr * g / (|g| + eps), lr/2 for |g| = 1e-8 with torch's eps and lr/11 with Keras's.
    """

    lr: float = 1e-3
    betas: tuple = (0.9, 0.999)
    eps: float = 1e-8
    weight_decay: float = 0.0

    def __post_init__(self):
        if not isinstance(self.betas, (tuple, list)) or len(self.betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {self.betas!r}")
        betas = tuple(checked_number(f"beta{k + 1}", b, 0.0, 1.0, open_high=True)
                      for k, b in enumerate(self.betas))
        object.__setattr__(self, "lr", checked_number("lr", self.lr, 0.0, open_low=True))
        object.__setattr__(self, "betas", betas)
        object.__setattr__(self, "eps", checked_number("eps", self.eps, 0.0))
        object.__setattr__(self, "weight_decay", checked_number("weight_decay", self.weight_decay, 0.0))

    def init(self, arrays):
        """Zero first and second moments, one per array, at step 0."""
        zeros = {k: np.zeros_like(a) for k, a in arrays.items()}
        return {"step": 0, "m": zeros, "v": dict(zeros)}

    def update(self, arrays, grads, state):
        """One step: (new arrays, new state)."""
        _check_keys(arrays, grads)
        beta1, beta2 = self.betas
        t = state["step"] + 1
        step_size = self.lr / (1 - beta1 ** t)  # lr over the first moment's bias correction
        root_bc2 = math.sqrt(1 - beta2 ** t)  # sqrt of the second moment's bias correction
        new, m, v = {}, {}, {}
        with quiet():
            for k, p in arrays.items():
                g = grads[k] + self.weight_decay * p if self.weight_decay else grads[k]  # L2 term
                m[k] = _axpby(beta1, state["m"][k], 1 - beta1, g)  # running mean of g
                v[k] = _axpby(beta2, state["v"][k], 1 - beta2, g, g)  # running mean of g^2
                denom = np.sqrt(v[k])
                denom /= root_bc2
                denom += self.eps  # sqrt(v_hat) + eps
                update = np.multiply(step_size, m[k])
                update /= denom
                new[k] = np.subtract(p, update, out=update)  # p - step_size m / (sqrt(v_hat) + eps)
        return new, {"step": t, "m": m, "v": v}
