"""Central finite differences, the reference every engine gradient test compares against,
and the seeded cell cases the finite-difference tests of every cell kind differentiate."""
import dataclasses

import numpy as np

import lstm_core as lc

EPS = 1e-6  # float64: truncation error ~EPS^2, rounding error ~1e-16 / EPS; both ~1e-10

T, B, I, H = 4, 2, 2, 3  # steps, batch, input and hidden size of every CellCase
MASKS = {  # 0 marks a padded step; the unbatched case takes column 0
    "nomask": None,
    "trailing": np.array([[1, 1], [1, 1], [1, 0], [0, 0]]),  # lengths 3 and 2: trailing padding
    "gaps": np.array([[1, 1], [0, 1], [1, 0], [0, 0]]),  # a real step after a padded one
}
LSTM_KINDS = ("lstm", "lstm_peephole", "lstm_coupled")  # the kinds whose cell state c rides beside h


def numeric_grad(f, x, eps=EPS):
    """d f() / d x for every element of x, by central differences; x is perturbed in place."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        up = f()
        x[idx] = old - eps
        down = f()
        x[idx] = old
        grad[idx] = (up - down) / (2 * eps)
    return grad


@dataclasses.dataclass(frozen=True, eq=False)
class CellCase:
    """A cell of kind `kind` of lstm_core.CELLS, its inputs and initial state, and the loss
    L = sum(R_h * h) + sum(r_c * c_T), linear in the trace: its dh is R_h and its dc_last r_c.
    c0 and r_c are None for the kinds without a cell state. The arrays are read at every call,
    so numeric_grad may perturb them in place."""

    kind: str
    params: object
    xs: np.ndarray
    h0: np.ndarray
    c0: np.ndarray
    mask: np.ndarray
    R_h: np.ndarray
    r_c: np.ndarray

    @classmethod
    def seeded(cls, kind, mask="nomask", batched=True):
        """The case of `kind` for a mask of MASKS, batched (T, B, I) or unbatched (T, I)."""
        rng = np.random.default_rng(7)
        params = lc.CELLS[kind].init(I, H, seed=3).map(lambda a: 2.0 * a)  # gates away from 0.5
        lead = (T, B) if batched else (T,)
        m = MASKS[mask]
        has_c = kind in LSTM_KINDS
        xs, h0 = rng.normal(size=lead + (I,)), rng.normal(size=lead[1:] + (H,))
        c0 = rng.normal(size=lead[1:] + (H,)) if has_c else None
        R_h = rng.normal(size=lead + (H,))
        r_c = rng.normal(size=lead[1:] + (H,)) if has_c else None
        mask = None if m is None else m[:, :B if batched else 1].reshape(lead)
        return cls(kind, params, xs, h0, c0, mask, R_h, r_c)

    def replace(self, **fields):
        return dataclasses.replace(self, **fields)

    def after(self, t, h, c=None):
        """The case from step t + 1 on, started from h_t = h (and c_t = c): the loss it has left."""
        return self.replace(xs=self.xs[t + 1:], h0=h, c0=c, R_h=self.R_h[t + 1:],
                            mask=None if self.mask is None else self.mask[t + 1:])

    def trace(self, params=None):
        """The forward pass of the registry's cell, on this case's (or the given) parameters."""
        state = {} if self.c0 is None else {"c0": self.c0}
        params = self.params if params is None else params
        return lc.CELLS[self.kind].forward(params, self.xs, self.h0, mask=self.mask, **state)

    def loss(self, params=None):
        tr = self.trace(params)
        return np.sum(self.R_h * tr.h) + (0.0 if self.r_c is None else np.sum(self.r_c * tr.c[-1]))

    def grads(self, params=None):
        """The trace and the registry's backward gradients of the loss."""
        params = self.params if params is None else params
        tr = self.trace(params)
        dc = {} if self.r_c is None else {"dc_last": self.r_c}
        return tr, lc.CELLS[self.kind].backward(params, tr, self.R_h, **dc)
