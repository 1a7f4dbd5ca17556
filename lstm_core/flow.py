"""Gradient flow through time: how much of a last-step loss reaches every earlier step.

The loss sits on the last step only, with dL/dh_T a unit vector, so whatever reaches step t has
travelled T - t steps back and ||dL/dh_t|| reads directly as "how much of the signal survived".
The same input feeds a sigmoid RNN, a tanh RNN, an LSTM and a GRU, so they can be compared.
"""
import dataclasses

import numpy as np

from .cells import CELLS
from .numerics import dsigmoid_from_output, dtanh_from_output, quiet
from .optim import clip_by_global_norm, global_norm

KINDS = ("rnn_sigmoid", "rnn_tanh", "lstm", "gru")  # the cells compared, in cells.CELLS's names
EXPLODED = 1e6  # a gradient norm above this is called exploded
# A gradient that reaches step 1 with less than this share of the last step's is called vanished.
# 10^-3 is about 2^-10, ten half-lives: the LSTM at b_f = 1 (f ~ 0.73, half-life ~ 2 steps) vanishes
# over 50 steps, at b_f = 3..4 (half-life 14..38 steps) its gradient survives 50..100 steps.
VANISHED = 1e-3


@dataclasses.dataclass(frozen=True, eq=False)
class GradientFlow:
    """One cell's exact backward pass for a loss on the last step. Arrays are (T, H) or (T,)."""

    kind: str
    params: object  # the cell's parameters
    trace: object  # its forward trace
    grads: object  # its backward result: .params, .dh (and .dc for the LSTM)
    dh_norm: np.ndarray  # ||dL/dh_t||_2 per step; inf where it overflowed
    dc_norm: np.ndarray = None  # ||dL/dc_t||_2 per step (LSTM only)

    @property
    def param_grad_norm(self):
        """Global 2-norm of every weight's gradient: the size of the update before clipping."""
        return global_norm(self.grads.params.arrays())


def make_cells(hidden_size, *, input_size=1, seed=0, scale=1.0, forget_bias=1.0, biases=True):
    """The four cells of the comparison, seeded alike, recurrent weights multiplied by `scale`.

    biases=False zeroes every bias but the LSTM's forget bias: with a zero input the state then
    stays at 0, where tanh is linear, and the gradient grows or shrinks exactly like scale^(T-t).
    """
    cells = {kind: CELLS[kind].init(input_size, hidden_size, seed=seed, forget_bias=forget_bias)
             for kind in KINDS}  # the two RNNs get the same weights: only phi differs
    if not biases:
        cells = {k: _without_biases(p) for k, p in cells.items()}
    return {kind: scale_recurrent(p, scale) for kind, p in cells.items()}


def _without_biases(params):
    """Every bias set to zero, except b_f (the forget-gate bias is a lesson of its own)."""
    return params.replace(**{k: np.zeros_like(v) for k, v in params.arrays().items()
                             if k.startswith("b") and k != "b_f"})


def scale_recurrent(params, scale):
    """Multiply the hidden-state columns W[:, :H] of every weight matrix by `scale`."""
    H = params.hidden_size
    scaled = {}
    for name, W in params.arrays().items():
        if name.startswith("W"):
            W = W.copy()
            W[:, :H] *= scale  # the part that multiplies h_{t-1}
            scaled[name] = W
    return params.replace(**scaled)


def gradient_flow(kind, params, xs):
    """Forward and backward one cell on xs (T, I) with dL/dh_T = 1/sqrt(H) in every unit.

    ValueError for an empty sequence: there is no last step to put the loss on."""
    if len(xs) == 0:
        raise ValueError("the gradient flow needs at least one time step; the sequence is empty")
    cell = CELLS[kind]
    trace = cell.forward(params, xs)
    dh = np.zeros_like(trace.h)  # (T, H): the loss touches the last step only
    dh[-1] = 1.0 / np.sqrt(params.hidden_size)  # a unit vector: ||dL/dh_T|| = 1
    grads = cell.backward(params, trace, dh)
    dc_norm = _norms(grads.dc) if kind == "lstm" else None
    return GradientFlow(kind=kind, params=params, trace=trace, grads=grads,
                        dh_norm=_norms(grads.dh), dc_norm=dc_norm)


def _norms(d):
    """Row 2-norms of (T, H) that overflow to inf, never to NaN, and never warn."""
    with quiet():
        scale = np.max(np.abs(d), axis=-1)  # divide first so squaring cannot overflow
        safe = np.where(np.isfinite(scale) & (scale > 0), scale, 1.0)
        norms = scale * np.sqrt(np.sum((d / safe[:, None]) ** 2, axis=-1))
    return np.where(np.isfinite(scale), norms, np.inf)


def rnn_step_factors(params, trace):
    """Per step: the largest phi'(a_t) and ||diag(phi'(a_t)) W_h||_2, the factor BPTT multiplies by.

    For the sigmoid phi' is at most 0.25, for tanh at most 1: the reason a sigmoid RNN vanishes fast.
    """
    H = params.hidden_size
    a = trace.a  # (T, H) pre-activations
    with quiet():
        if trace.activation == "sigmoid":
            deriv = dsigmoid_from_output(trace.h)  # phi'(a_t) = s (1 - s)
        else:
            deriv = dtanh_from_output(np.tanh(a))  # phi'(a_t) = 1 - tanh^2
        W_h = params.W[:, :H]  # (H, H)
        factors = deriv[:, :, None] * W_h[None]  # (T, H, H): one Jacobian dh_t/dh_{t-1} per step
        gains = np.linalg.norm(factors, ord=2, axis=(1, 2)) if len(a) else np.zeros(0)
    return deriv.max(axis=-1), gains


def carry_products(gate):
    """P[t] = prod of gate[s] for s > t: what the additive path keeps from step t to step T.

    With the LSTM's forget gates this is dC_T/dC_t along the cell path alone; with the GRU's
    update gates z it is the same for its h_{t-1} -> h_t carry. gate is (T, H); returns (T, H).
    """
    P = np.ones_like(gate)
    with quiet():
        for t in range(len(gate) - 2, -1, -1):
            P[t] = P[t + 1] * gate[t + 1]
    return P


def half_life(mean_gate):
    """Steps after which a memory kept by a gate of this mean value is halved: ln 0.5 / ln f."""
    f = float(mean_gate)
    if f >= 1.0:
        return np.inf
    if f <= 0.0:
        return 0.0
    return float(np.log(0.5) / np.log(f))


def last_step_above(norms, threshold=EXPLODED):
    """The latest step (0-based) whose gradient norm exceeds `threshold` (inf counts), or None."""
    idx = np.flatnonzero(~(norms <= threshold))  # NaN and inf count as above
    return int(idx[-1]) if idx.size else None


def last_step_overflowed(norms):
    """The latest step (0-based) where the gradient is no longer a finite number, or None."""
    idx = np.flatnonzero(~np.isfinite(norms))
    return int(idx[-1]) if idx.size else None


def clipped_update(flow, max_norm, lr=0.1):
    """The SGD step -lr * g the weights would get, with and without clipping at `max_norm`.

    Returns (norm of the unclipped step, norm of the clipped step); max_norm None means no clip.
    An overflowed gradient has an unclipped step of inf, and clipping turns it into no step at all.
    """
    arrays = flow.grads.params.arrays()
    raw = lr * global_norm(arrays)
    raw = raw if np.isfinite(raw) else np.inf  # inf - inf inside a sum gives NaN: still "overflowed"
    if max_norm is None:
        return raw, raw
    clipped, _ = clip_by_global_norm(arrays, max_norm)
    return raw, lr * global_norm(clipped)
