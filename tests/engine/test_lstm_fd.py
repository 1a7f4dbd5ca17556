"""Finite differences prove lstm_backward exact: every parameter, xs, h0, c0 and the per-step totals.

The loss is linear in the trace, L = sum(R_h * h) + sum(r_c * c_T), so dh = R_h and dc_last = r_c.
Central differences in float64 with eps = 1e-6 agree with the analytic gradient to ~1e-9.
"""
import itertools

import numpy as np
import pytest

import lstm_core as lc
from fdcheck import numeric_grad

T, B, I, H = 4, 2, 2, 3
CASES = list(itertools.product([False, True], [False, True], [False, True]))
IDS = [f"{'peep' if p else 'plain'}-{'mask' if m else 'nomask'}-{'batched' if b else 'unbatched'}"
       for p, m, b in CASES]


def _problem(peephole, masked, batched):
    """A seeded cell, inputs, initial state, mask and loss weights for one case."""
    rng = np.random.default_rng(7)
    params = lc.LSTMParams.init(I, H, seed=3, peephole=peephole)
    params = params.map(lambda a: 2.0 * a)  # larger weights: gates away from 0.5
    lead = (T, B) if batched else (T,)
    xs = rng.normal(size=lead + (I,))
    h0, c0 = rng.normal(size=lead[1:] + (H,)), rng.normal(size=lead[1:] + (H,))
    mask = None
    if masked:
        mask = np.array([[1, 1], [0, 1], [1, 0], [0, 0]])[:, :B if batched else 1].reshape(lead)
    R_h, r_c = rng.normal(size=lead + (H,)), rng.normal(size=lead[1:] + (H,))
    return params, xs, h0, c0, mask, R_h, r_c


def _loss(params, xs, h0, c0, mask, R_h, r_c):
    """L = sum(R_h * h) + sum(r_c * c_T) for one forward pass."""
    tr = lc.lstm_forward(params, xs, h0, c0, mask)
    return np.sum(R_h * tr.h) + np.sum(r_c * tr.c[-1])



def _analytic(params, xs, h0, c0, mask, R_h, r_c):
    """The trace and lstm_backward's gradients of the same loss."""
    tr = lc.lstm_forward(params, xs, h0, c0, mask)
    return tr, lc.lstm_backward(params, tr, R_h, r_c)


def _close(analytic, numeric):
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("peephole, masked, batched", CASES, ids=IDS)
def test_param_grads_match_finite_differences(peephole, masked, batched):
    params, xs, h0, c0, mask, R_h, r_c = _problem(peephole, masked, batched)
    _, grads = _analytic(params, xs, h0, c0, mask, R_h, r_c)
    arrays = {k: v.copy() for k, v in params.arrays().items()}
    assert set(grads.params.arrays()) == set(arrays)
    for name, arr in arrays.items():
        numeric = numeric_grad(lambda: _loss(lc.LSTMParams(**arrays), xs, h0, c0, mask, R_h, r_c), arr)
        _close(getattr(grads.params, name), numeric)


@pytest.mark.parametrize("peephole, masked, batched", CASES, ids=IDS)
def test_input_and_initial_state_grads_match_finite_differences(peephole, masked, batched):
    params, xs, h0, c0, mask, R_h, r_c = _problem(peephole, masked, batched)
    _, grads = _analytic(params, xs, h0, c0, mask, R_h, r_c)

    def f():  # reads xs, h0, c0 as _numeric_grad perturbs them
        return _loss(params, xs, h0, c0, mask, R_h, r_c)

    _close(grads.dxs, numeric_grad(f, xs))
    _close(grads.dh0, numeric_grad(f, h0))
    _close(grads.dc0, numeric_grad(f, c0))


def _h_of_c(params, tr, t, c, mask):
    """h_t recomputed from a perturbed c_t: o_t * tanh(c_t), o_t peeking at c_t; padded rows keep h_t."""
    o = tr.o[t]
    if params.peephole:
        z_o = np.log(o / (1 - o)) + params.p_o * (c - tr.c[t])  # o_t's pre-activation moves with c_t
        o = 1 / (1 + np.exp(-z_o))
    h = o * np.tanh(c)
    if mask is None:
        return h
    m = np.asarray(mask[t], dtype=float)[..., None]
    return m * h + (1 - m) * tr.h[t]


@pytest.mark.parametrize("peephole, masked, batched", CASES, ids=IDS)
def test_per_step_totals_dh_dc_match_finite_differences(peephole, masked, batched):
    """grads.dh[t] is dL/dh_t with c_t held; grads.dc[t] is dL/dc_t with h_t following c_t."""
    params, xs, h0, c0, mask, R_h, r_c = _problem(peephole, masked, batched)
    tr, grads = _analytic(params, xs, h0, c0, mask, R_h, r_c)
    for t in range(T - 1):
        h_t, c_t = tr.h[t].copy(), tr.c[t].copy()
        tail_mask = None if mask is None else mask[t + 1:]

        def loss_from(h, c):
            return np.sum(R_h[t] * h) + _loss(params, xs[t + 1:], h, c, tail_mask, R_h[t + 1:], r_c)

        _close(grads.dh[t], numeric_grad(lambda: loss_from(h_t, tr.c[t]), h_t))
        _close(grads.dc[t], numeric_grad(lambda: loss_from(_h_of_c(params, tr, t, c_t, mask), c_t), c_t))
    _close(grads.dh[-1], R_h[-1])  # nothing but the loss reads h_T


@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize("peephole", [False, True])
def test_float32_agrees_with_float64(peephole, batched):
    params, xs, h0, c0, mask, R_h, r_c = _problem(peephole, True, batched)
    tr64, g64 = _analytic(params, xs, h0, c0, mask, R_h, r_c)
    tr32, g32 = _analytic(params.astype(np.float32), xs, h0, c0, mask, R_h, r_c)
    assert tr32.h.dtype == np.float32 and g32.dxs.dtype == np.float32
    assert g32.params.W_f.dtype == np.float32
    for a64, a32 in [(tr64.h, tr32.h), (tr64.c, tr32.c), (g64.dxs, g32.dxs), (g64.dh0, g32.dh0),
                     (g64.dc0, g32.dc0), (g64.dh, g32.dh), (g64.dc, g32.dc)]:
        np.testing.assert_allclose(a32, a64, rtol=1e-4, atol=1e-5)
    for name, a64 in g64.params.arrays().items():
        np.testing.assert_allclose(getattr(g32.params, name), a64, rtol=1e-4, atol=1e-5)
