"""Gradient clipping and the two optimizers the app trains with, step for step like torch.optim.

Everything works on flat dicts name -> array (`Model.arrays()`) and is functional: `init` gives a
plain-data state, `update` returns new arrays and a new state and never changes its inputs.
Inside, an update runs on one vector of all the entries (a model's arrays are many and small, so a
few passes over one vector cost far less than a few per array); the arrays it hands back are views
of one new vector, and the state keeps that vector, so the next update need not gather them again.
"""
import collections.abc
import dataclasses
import math

import numpy as np

from .numerics import carve, quiet


def global_norm(grads):
    """sqrt of the sum of every squared entry of every array; inf or nan if an entry is, never a warning."""
    flat = flatten(list(grads.values()))  # one vector: a few whole-vector passes instead of several per array
    if not flat.size:
        return 0.0
    with quiet():
        scale = float(np.maximum(flat.max(), -flat.min()))  # largest |entry|, NaN if any entry is
        if scale == 0.0 or not math.isfinite(scale):
            return scale
        flat = flat.astype(np.float64, copy=False)  # float32 gradients summed in float64 too
        if not _SAFE_SQUARES[0] < scale < math.sqrt(_SAFE_SQUARES[1] / flat.size):
            flat = flat / scale  # squares that would overflow or underflow: divided first
            return scale * math.sqrt(float(np.dot(flat, flat)))
        return math.sqrt(float(np.dot(flat, flat)))


_SAFE_SQUARES = (1e-100, 1e300)  # float64, unscaled: largest |entry| above 1e-100 (no underflow
# worth a bit) and its square times the count below 1e300 (no overflow)


def flatten(arrays):
    """Every array's entries in one fresh vector, in order (the arrays may differ in shape)."""
    return np.concatenate(arrays, axis=None) if arrays else np.zeros(0)  # axis None: each flattened


def unflatten(vector, like):
    """Dict name -> the slice of `vector` shaped like like[name] (views, in like's order)."""
    out, start = {}, 0
    for name, a in like.items():
        out[name] = vector[start:start + a.size].reshape(a.shape)
        start += a.size
    return out


class Views(collections.abc.Mapping):
    """A read-only mapping name -> the slice of `vector` shaped like like[name], each view made when
    asked: an optimizer's state is written at every step and read far less often."""

    def __init__(self, vector, like):
        self.vector, self._like = vector, like

    def __getitem__(self, name):
        return unflatten(self.vector, self._like)[name]

    def __iter__(self):
        return iter(self._like)

    def __len__(self):
        return len(self._like)


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


def _times(a, b):
    """a *= b, returned: (1 - beta2) g g rounded like the plain expression, in place."""
    a *= b
    return a


def _gathered(arrays, grads, state, fresh):
    """(parameters, gradients, scratch, *fresh vectors) in the order of `arrays`: the parameters are
    the vector the last update handed out when `arrays` are still its views, else a fresh copy; the
    gradients, the scratch and `fresh` more vectors (the new state's) are cut from one block, since
    fresh memory costs page faults and one block of a step's size is recycled without any."""
    _check_keys(arrays, grads)
    handed = state.get("params")
    same = handed is not None and len(handed[0]) == len(arrays) and all(
        a is b for a, b in zip(arrays.values(), handed[0].values()))
    p = handed[1] if same else flatten(list(arrays.values()))
    g, *rest = carve(np.result_type(p, *grads.values()), *[p.shape] * (2 + fresh))
    np.concatenate([grads[k] for k in arrays], axis=None, out=g)
    return p, g, *rest


def _handed_out(vector, arrays):
    """New arrays as views of `vector`, and the state's record of them for the next _gathered."""
    new = unflatten(vector, arrays)
    return new, (new, vector)


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
        """Zero momentum buffers, one per array (views of one vector)."""
        buf = np.zeros_like(flatten(list(arrays.values())))
        return {"step": 0, "buf": Views(buf, arrays)}

    def update(self, arrays, grads, state):
        """One step: (new arrays, new state)."""
        p, g, scratch, buf = _gathered(arrays, grads, state, fresh=1)
        with quiet():
            if self.weight_decay:
                g += np.multiply(self.weight_decay, p, out=scratch)  # L2 term
            np.multiply(self.momentum, state["buf"].vector, out=buf)
            buf += g  # velocity; = g on the first step
            new = np.multiply(self.lr, buf)
            new, handed = _handed_out(np.subtract(p, new, out=new), arrays)
        return new, {"step": state["step"] + 1, "buf": Views(buf, arrays), "params": handed}


EPS_PLACEMENTS = ("torch", "keras")  # where Adam adds eps: after or before the bias correction


@dataclasses.dataclass(frozen=True)
class Adam:
    """torch.optim.Adam (L2 weight decay, no AMSGrad): bias-corrected moments m, v of the gradient.

    eps guards the division by sqrt(v_hat). Torch's default is 1e-8; Keras's Adam uses 1e-7 (its
    `epsilon`), so pass eps=1e-7 to follow a Keras recipe. It matters only where |g| is near eps:
    step 1 moves by lr * g / (|g| + eps), lr/2 for |g| = 1e-8 with torch's eps and lr/11 with Keras's.
    Keras also adds eps at another place: to sqrt(v) before the bias correction, so its eps acts
    like eps / sqrt(1 - beta2^t) in torch's formula (3.2e-6 at step 1 for 1e-7).
    `eps_placement="keras"` computes Keras's update, p - lr sqrt(1 - beta2^t) / (1 - beta1^t) *
    m / (sqrt(v) + eps); "torch" (the default) torch's, p - lr / (1 - beta1^t) * m / (sqrt(v_hat) + eps).
    """

    lr: float = 1e-3
    betas: tuple = (0.9, 0.999)
    eps: float = 1e-8
    weight_decay: float = 0.0
    eps_placement: str = "torch"  # or "keras": eps added to sqrt(v) before the bias correction

    def __post_init__(self):
        if self.eps_placement not in EPS_PLACEMENTS:
            raise ValueError(f"eps_placement must be one of {EPS_PLACEMENTS}, got {self.eps_placement!r}")
        if not isinstance(self.betas, (tuple, list)) or len(self.betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {self.betas!r}")
        betas = tuple(checked_number(f"beta{k + 1}", b, 0.0, 1.0, open_high=True)
                      for k, b in enumerate(self.betas))
        object.__setattr__(self, "lr", checked_number("lr", self.lr, 0.0, open_low=True))
        object.__setattr__(self, "betas", betas)
        object.__setattr__(self, "eps", checked_number("eps", self.eps, 0.0))
        object.__setattr__(self, "weight_decay", checked_number("weight_decay", self.weight_decay, 0.0))

    def init(self, arrays):
        """Zero first and second moments, one per array (views of one vector each), at step 0."""
        zeros = np.zeros_like(flatten(list(arrays.values())))
        return {"step": 0, "m": Views(zeros, arrays), "v": Views(zeros, arrays)}

    def update(self, arrays, grads, state):
        """One step: (new arrays, new state)."""
        p, g, scratch, m, v = _gathered(arrays, grads, state, fresh=2)
        beta1, beta2 = self.betas
        t = state["step"] + 1
        step_size = self.lr / (1 - beta1 ** t)  # lr over the first moment's bias correction
        root_bc2 = math.sqrt(1 - beta2 ** t)  # sqrt of the second moment's bias correction
        m_prev, v_prev = state["m"].vector, state["v"].vector
        with quiet():
            if self.weight_decay:
                g += np.multiply(self.weight_decay, p, out=scratch)  # L2 term
            np.multiply(beta1, m_prev, out=m)
            m += np.multiply(1 - beta1, g, out=scratch)  # running mean of g
            np.multiply(beta2, v_prev, out=v)
            v += _times(np.multiply(1 - beta2, g, out=scratch), g)  # running mean of g^2
            denom = np.sqrt(v, out=scratch)
            if self.eps_placement == "keras":
                denom += self.eps
                denom /= root_bc2  # (sqrt(v) + eps) / sqrt(1 - beta2^t): Keras's alpha, rearranged
            else:
                denom /= root_bc2
                denom += self.eps  # sqrt(v_hat) + eps
            update = np.multiply(step_size, m)
            update /= denom
            new, handed = _handed_out(np.subtract(p, update, out=update), arrays)  # p - step_size m / (sqrt(v_hat) + eps)
        return new, {"step": t, "m": Views(m, arrays), "v": Views(v, arrays), "params": handed}
