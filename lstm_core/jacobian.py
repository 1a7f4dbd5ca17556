"""How much the last state depends on each earlier state: norms of dh_T/dh_t and dc_T/dc_t.

Backprop already computes vector-Jacobian products: injecting dL/dh_T = e_k at the last step
makes the backward pass's `dh[t]` equal to row k of dh_T/dh_t (with c_t held as its own node).
One backward pass per hidden unit k therefore gives every Jacobian exactly, for any cell, and
reuses the golden-tested backward code instead of a second derivation.
"""
import dataclasses

import numpy as np

from .cells import for_params
from .lstm import LSTMParams
from .lstm_coupled import CoupledLSTMParams
from .numerics import quiet


@dataclasses.dataclass(frozen=True)
class JacobianNorms:
    """Spectral norms (largest singular value) per step: (T,) unbatched, (T, B) batched.

    `h[t]` is ||dh_T/dh_t||_2: how much a small push to h_t can move h_T, at most.
    `c[t]` is ||dc_T/dc_t||_2 (LSTM only; None for RNN and GRU), counting every route from c_t,
    the additive cell path and the one through h_t = o_t tanh(c_t); h_t holds c_t fixed.
    Non-finite Jacobians (an exploded backward pass) have norm inf.
    """

    h: np.ndarray
    c: np.ndarray = None


def jacobian_norms(params, trace):
    """Exact per-step Jacobian norms of an LSTM, RNN or GRU trace (see module docstring).

    ValueError for the trace of an empty sequence: it has no last state to differentiate."""
    if len(trace.h) == 0:
        raise ValueError("the Jacobian needs at least one time step; the trace is empty")
    backward = for_params(params).backward  # TypeError for anything that is not a cell
    if isinstance(params, (LSTMParams, CoupledLSTMParams)):  # the kinds with a cell state C_t
        def vjp(dh, dc_last):
            return backward(params, trace, dh, dc_last=dc_last)
        h_rows = _rows(vjp, trace.h.shape, via="h")
        c_rows = _rows(vjp, trace.h.shape, via="c")
        return JacobianNorms(h=_spectral_norms(h_rows), c=_spectral_norms(c_rows))
    h_rows = _rows(lambda dh, _: backward(params, trace, dh), trace.h.shape, via="h")
    return JacobianNorms(h=_spectral_norms(h_rows))


def _rows(vjp, shape, via):
    """Jacobian rows: out[t, ..., k, :] = d state_T[k] / d state_t, from one backward per unit k."""
    T, H = shape[0], shape[-1]
    rows = np.empty(shape[:-1] + (H, H))  # (T, [B,] H, H)
    for k in range(H):
        seed = np.zeros(shape[1:])  # ([B,] H): one unit of the last state
        seed[..., k] = 1.0
        dh = np.zeros(shape)
        if via == "h":
            dh[-1] = seed
            rows[..., k, :] = vjp(dh, None).dh
        else:
            rows[..., k, :] = vjp(dh, seed).dc
    return rows


def _spectral_norms(J):
    """Largest singular value of each trailing (H, H) matrix; inf where it is not finite."""
    out = np.full(J.shape[:-2], np.inf)
    with quiet():
        ok = np.all(np.isfinite(J), axis=(-2, -1))
        if ok.any():
            out[ok] = np.linalg.svd(J[ok], compute_uv=False)[..., 0]
    return out
