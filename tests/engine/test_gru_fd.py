"""Finite differences prove gru_backward exact: every parameter, xs, h0 and the per-step totals dh.

The loss is linear in the trace, L = sum(R_h * h), so dh = R_h. Central differences in float64
with eps = 1e-6 agree with the analytic gradient to ~1e-9. Also: padding, overflow, float32, T = 0.
"""
import itertools
import warnings

import numpy as np
import pytest

import lstm_core as lc
from fdcheck import numeric_grad

T, B, I, H = 4, 2, 2, 3
CASES = list(itertools.product([False, True], [False, True]))
IDS = [f"{'mask' if m else 'nomask'}-{'batched' if b else 'unbatched'}" for m, b in CASES]
MASK = np.array([[1, 1], [1, 1], [1, 0], [0, 0]])  # lengths 3 and 2: trailing padding
PARAM_NAMES = {"W_r", "W_z", "W_n", "b_r", "b_z", "b_in", "b_hn"}


def _problem(masked, batched):
    """A seeded cell, inputs, initial state, mask and loss weights for one case."""
    rng = np.random.default_rng(13)
    params = lc.GRUParams.init(I, H, seed=4).map(lambda a: 2.0 * a)  # larger weights: gates away from 0.5
    lead = (T, B) if batched else (T,)
    xs = rng.normal(size=lead + (I,))
    h0 = rng.normal(size=lead[1:] + (H,))
    mask = MASK[:, :B if batched else 1].reshape(lead) if masked else None
    R_h = rng.normal(size=lead + (H,))
    return params, xs, h0, mask, R_h


def _loss(params, xs, h0, mask, R_h):
    """L = sum(R_h * h) for one forward pass."""
    return np.sum(R_h * lc.gru_forward(params, xs, h0, mask).h)



def _analytic(params, xs, h0, mask, R_h):
    """The trace and gru_backward's gradients of the same loss."""
    tr = lc.gru_forward(params, xs, h0, mask)
    return tr, lc.gru_backward(params, tr, R_h)


def _close(analytic, numeric):
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("masked, batched", CASES, ids=IDS)
def test_param_grads_match_finite_differences(masked, batched):
    params, xs, h0, mask, R_h = _problem(masked, batched)
    _, grads = _analytic(params, xs, h0, mask, R_h)
    arrays = {k: v.copy() for k, v in params.arrays().items()}
    assert set(grads.params.arrays()) == set(arrays) == PARAM_NAMES
    for name, arr in arrays.items():
        numeric = numeric_grad(lambda: _loss(lc.GRUParams(**arrays), xs, h0, mask, R_h), arr)
        _close(getattr(grads.params, name), numeric)


@pytest.mark.parametrize("masked, batched", CASES, ids=IDS)
def test_input_and_initial_state_grads_match_finite_differences(masked, batched):
    params, xs, h0, mask, R_h = _problem(masked, batched)
    _, grads = _analytic(params, xs, h0, mask, R_h)

    def f():  # reads xs, h0 as _numeric_grad perturbs them
        return _loss(params, xs, h0, mask, R_h)

    assert grads.dxs.shape == xs.shape and grads.dh0.shape == h0.shape
    _close(grads.dxs, numeric_grad(f, xs))
    _close(grads.dh0, numeric_grad(f, h0))


@pytest.mark.parametrize("masked, batched", CASES, ids=IDS)
def test_per_step_total_dh_matches_finite_differences(masked, batched):
    """grads.dh[t] is dL/dh_t: the loss's own term at t plus all that flows back from later steps."""
    params, xs, h0, mask, R_h = _problem(masked, batched)
    tr, grads = _analytic(params, xs, h0, mask, R_h)
    assert grads.dh.shape == tr.h.shape
    for t in range(T - 1):
        h_t = tr.h[t].copy()
        tail_mask = None if mask is None else mask[t + 1:]

        def loss_from():  # reads h_t as _numeric_grad perturbs it
            return np.sum(R_h[t] * h_t) + _loss(params, xs[t + 1:], h_t, tail_mask, R_h[t + 1:])

        _close(grads.dh[t], numeric_grad(loss_from, h_t))
    _close(grads.dh[-1], R_h[-1])  # nothing but the loss reads h_T


def test_trace_gates_satisfy_the_update_equation():
    params, xs, h0, _, _ = _problem(masked=False, batched=True)
    tr = lc.gru_forward(params, xs, h0)
    h_prev = np.concatenate([h0[None], tr.h[:-1]])
    np.testing.assert_allclose(tr.h, (1 - tr.z) * tr.n + tr.z * h_prev, rtol=0, atol=1e-15)
    for gate in (tr.r, tr.z):
        assert gate.shape == tr.h.shape and np.all((gate > 0) & (gate < 1))


def test_padded_steps_keep_h_and_ignore_their_inputs():
    params, xs, h0, _, R_h = _problem(masked=True, batched=True)
    tr, grads = _analytic(params, xs, h0, MASK, R_h)
    np.testing.assert_array_equal(tr.h[2, 1], tr.h[1, 1])  # sequence 1 ends after step 2
    np.testing.assert_array_equal(tr.h[3], tr.h[2])  # both sequences are padded at step 4
    assert not np.allclose(tr.h[2, 0], tr.h[1, 0])  # a real step does move h
    noisy = xs.copy()
    noisy[MASK == 0] = 100.0  # whatever sits in the padding
    np.testing.assert_array_equal(lc.gru_forward(params, noisy, h0, MASK).h, tr.h)
    assert np.all(grads.dxs[MASK == 0] == 0)


def test_huge_weights_give_finite_forward_without_warnings():
    params, xs, h0, mask, R_h = _problem(masked=True, batched=True)
    huge = params.map(lambda a: np.sign(a) * 1e4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tr, grads = _analytic(huge, 1e3 * xs, h0, mask, R_h)
    for name in "rznh":
        assert np.all(np.isfinite(getattr(tr, name))), name
    assert np.all(np.abs(tr.n) <= 1.0)


def test_exploding_gradients_overflow_quietly():
    """With z_t ~ 0 and r_t ~ 1, h_t = tanh(W_n h_{t-1}) at h = 0: each step doubles dh until it overflows."""
    W_n = np.zeros((H, H + I))
    W_n[:, :H] = 2.0 / H  # all-positive hidden part with eigenvalue 2
    zeros = np.zeros((H, H + I))
    params = lc.GRUParams(W_r=zeros, W_z=zeros, W_n=W_n, b_r=np.full(H, 30.0), b_z=np.full(H, -30.0),
                          b_in=np.zeros(H), b_hn=np.zeros(H))
    steps = 40
    dh = np.zeros((steps, H))
    dh[-1] = 1e300
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tr = lc.gru_forward(params, np.zeros((steps, I)))
        grads = lc.gru_backward(params, tr, dh)
    assert not np.any(tr.h)
    np.testing.assert_allclose(grads.dh[-2] / grads.dh[-1], 2.0, rtol=1e-9)
    assert not np.any(np.isfinite(grads.dh0))


@pytest.mark.parametrize("batched", [False, True])
def test_float32_agrees_with_float64(batched):
    params, xs, h0, mask, R_h = _problem(True, batched)
    tr64, g64 = _analytic(params, xs, h0, mask, R_h)
    tr32, g32 = _analytic(params.astype(np.float32), xs, h0, mask, R_h)
    assert tr32.h.dtype == np.float32 and g32.dxs.dtype == np.float32
    assert g32.params.W_n.dtype == np.float32 and g32.params.b_hn.dtype == np.float32
    for a64, a32 in [(tr64.r, tr32.r), (tr64.z, tr32.z), (tr64.n, tr32.n), (tr64.h, tr32.h),
                     (g64.dxs, g32.dxs), (g64.dh0, g32.dh0), (g64.dh, g32.dh)]:
        np.testing.assert_allclose(a32, a64, rtol=1e-4, atol=1e-5)
    for name, a64 in g64.params.arrays().items():
        np.testing.assert_allclose(getattr(g32.params, name), a64, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("batched", [False, True])
def test_empty_sequence_gives_empty_trace_and_zero_grads(batched):
    params = lc.GRUParams.init(I, H, seed=0)
    lead = (0, B) if batched else (0,)
    tr = lc.gru_forward(params, np.zeros(lead + (I,)))
    assert tr.h.shape == tr.r.shape == lead + (H,)
    grads = lc.gru_backward(params, tr, np.zeros(lead + (H,)))
    assert grads.dxs.shape == lead + (I,) and not np.any(grads.params.W_n) and not np.any(grads.dh0)


def test_torch_layout_round_trips_and_keeps_the_candidate_biases_apart():
    params = lc.GRUParams.init(I, H, seed=2)
    torch_dict = params.to_torch()
    assert torch_dict["weight_ih"].shape == (3 * H, I) and torch_dict["weight_hh"].shape == (3 * H, H)
    bias_sum = torch_dict["bias_ih"] + torch_dict["bias_hh"]
    np.testing.assert_array_equal(bias_sum[:2 * H], np.concatenate([params.b_r, params.b_z]))
    np.testing.assert_array_equal(torch_dict["bias_ih"][2 * H:], params.b_in)
    np.testing.assert_array_equal(torch_dict["bias_hh"][2 * H:], params.b_hn)
    back = lc.GRUParams.from_torch(**torch_dict)
    for name, arr in params.arrays().items():
        np.testing.assert_array_equal(getattr(back, name), arr)
    with pytest.raises(ValueError, match="b_hn must have shape"):
        params.replace(b_hn=np.zeros(H + 1)).validate()
    with pytest.raises(ValueError, match="features"):
        lc.gru_forward(params, np.zeros((3, I + 1)))
