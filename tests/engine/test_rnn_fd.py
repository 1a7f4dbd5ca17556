"""Finite differences prove rnn_backward exact: W, b, xs, h0 and the per-step totals dh.

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
CASES = list(itertools.product(["tanh", "sigmoid"], [False, True], [False, True]))
IDS = [f"{act}-{'mask' if m else 'nomask'}-{'batched' if b else 'unbatched'}" for act, m, b in CASES]
MASK = np.array([[1, 1], [1, 1], [1, 0], [0, 0]])  # lengths 3 and 2: trailing padding


def _problem(masked, batched):
    """A seeded cell, inputs, initial state, mask and loss weights for one case."""
    rng = np.random.default_rng(11)
    params = lc.RNNParams.init(I, H, seed=5).map(lambda a: 2.0 * a)  # larger weights: phi away from linear
    lead = (T, B) if batched else (T,)
    xs = rng.normal(size=lead + (I,))
    h0 = rng.normal(size=lead[1:] + (H,))
    mask = MASK[:, :B if batched else 1].reshape(lead) if masked else None
    R_h = rng.normal(size=lead + (H,))
    return params, xs, h0, mask, R_h


def _loss(params, xs, h0, activation, mask, R_h):
    """L = sum(R_h * h) for one forward pass."""
    return np.sum(R_h * lc.rnn_forward(params, xs, h0, activation, mask).h)



def _analytic(params, xs, h0, activation, mask, R_h):
    """The trace and rnn_backward's gradients of the same loss."""
    tr = lc.rnn_forward(params, xs, h0, activation, mask)
    return tr, lc.rnn_backward(params, tr, R_h)


def _close(analytic, numeric):
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("activation, masked, batched", CASES, ids=IDS)
def test_param_grads_match_finite_differences(activation, masked, batched):
    params, xs, h0, mask, R_h = _problem(masked, batched)
    _, grads = _analytic(params, xs, h0, activation, mask, R_h)
    arrays = {k: v.copy() for k, v in params.arrays().items()}
    assert set(grads.params.arrays()) == {"W", "b"}
    for name, arr in arrays.items():
        numeric = numeric_grad(lambda: _loss(lc.RNNParams(**arrays), xs, h0, activation, mask, R_h), arr)
        _close(getattr(grads.params, name), numeric)


@pytest.mark.parametrize("activation, masked, batched", CASES, ids=IDS)
def test_input_and_initial_state_grads_match_finite_differences(activation, masked, batched):
    params, xs, h0, mask, R_h = _problem(masked, batched)
    _, grads = _analytic(params, xs, h0, activation, mask, R_h)

    def f():  # reads xs, h0 as _numeric_grad perturbs them
        return _loss(params, xs, h0, activation, mask, R_h)

    assert grads.dxs.shape == xs.shape and grads.dh0.shape == h0.shape
    _close(grads.dxs, numeric_grad(f, xs))
    _close(grads.dh0, numeric_grad(f, h0))


@pytest.mark.parametrize("activation, masked, batched", CASES, ids=IDS)
def test_per_step_total_dh_matches_finite_differences(activation, masked, batched):
    """grads.dh[t] is dL/dh_t: the loss's own term at t plus all that flows back from later steps."""
    params, xs, h0, mask, R_h = _problem(masked, batched)
    tr, grads = _analytic(params, xs, h0, activation, mask, R_h)
    assert grads.dh.shape == tr.h.shape
    for t in range(T - 1):
        h_t = tr.h[t].copy()
        tail_mask = None if mask is None else mask[t + 1:]

        def loss_from():  # reads h_t as _numeric_grad perturbs it
            return np.sum(R_h[t] * h_t) + _loss(params, xs[t + 1:], h_t, activation, tail_mask, R_h[t + 1:])

        _close(grads.dh[t], numeric_grad(loss_from, h_t))
    _close(grads.dh[-1], R_h[-1])  # nothing but the loss reads h_T


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_padded_steps_keep_h_and_ignore_their_inputs(activation):
    params, xs, h0, _, R_h = _problem(masked=True, batched=True)
    tr, grads = _analytic(params, xs, h0, activation, MASK, R_h)
    np.testing.assert_array_equal(tr.h[2, 1], tr.h[1, 1])  # sequence 1 ends after step 2
    np.testing.assert_array_equal(tr.h[3], tr.h[2])  # both sequences are padded at step 4
    assert not np.allclose(tr.h[2, 0], tr.h[1, 0])  # a real step does move h
    noisy = xs.copy()
    noisy[MASK == 0] = 100.0  # whatever sits in the padding
    np.testing.assert_array_equal(lc.rnn_forward(params, noisy, h0, activation, MASK).h, tr.h)
    assert np.all(grads.dxs[MASK == 0] == 0)


def test_unknown_activation_is_a_value_error():
    params, xs, h0, _, _ = _problem(masked=False, batched=False)
    with pytest.raises(ValueError, match="activation"):
        lc.rnn_forward(params, xs, h0, activation="relu")


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_huge_weights_give_finite_forward_without_warnings(activation):
    params, xs, h0, mask, R_h = _problem(masked=True, batched=True)
    huge = params.map(lambda a: np.sign(a) * 1e4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tr, grads = _analytic(huge, 1e3 * xs, h0, activation, mask, R_h)
    assert np.all(np.isfinite(tr.a)) and np.all(np.isfinite(tr.h))
    assert np.all(np.abs(tr.h) <= 1.0)


@pytest.mark.parametrize("activation, gain, bias", [("tanh", 2.0, 0.0), ("sigmoid", 10.0, -5.0)])
def test_exploding_gradients_overflow_to_inf_quietly(activation, gain, bias):
    """At the fixed point h = phi(0) each step multiplies dh by phi'(0) * gain = 2 or 2.5: it explodes."""
    W = np.zeros((H, H + I))
    W[:, :H] = gain / H  # all-positive W_h with eigenvalue `gain`: overflow gives inf, never inf * 0
    params = lc.RNNParams(W=W, b=np.full(H, bias))
    steps = 40
    h0 = np.full(H, 0.0 if activation == "tanh" else 0.5)
    dh = np.zeros((steps, H))
    dh[-1] = 1e300
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tr = lc.rnn_forward(params, np.zeros((steps, I)), h0, activation)
        grads = lc.rnn_backward(params, tr, dh)
    np.testing.assert_allclose(tr.h, np.broadcast_to(h0, (steps, H)))
    assert np.all(np.isposinf(grads.dh0))
    assert np.all(np.isfinite(grads.dh[-2:])) and np.all(np.isposinf(grads.dh[:5]))


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
@pytest.mark.parametrize("batched", [False, True])
def test_float32_agrees_with_float64(activation, batched):
    params, xs, h0, mask, R_h = _problem(True, batched)
    tr64, g64 = _analytic(params, xs, h0, activation, mask, R_h)
    tr32, g32 = _analytic(params.astype(np.float32), xs, h0, activation, mask, R_h)
    assert tr32.h.dtype == np.float32 and g32.dxs.dtype == np.float32
    assert g32.params.W.dtype == np.float32
    for a64, a32 in [(tr64.h, tr32.h), (tr64.a, tr32.a), (g64.dxs, g32.dxs), (g64.dh0, g32.dh0),
                     (g64.dh, g32.dh), (g64.params.W, g32.params.W), (g64.params.b, g32.params.b)]:
        np.testing.assert_allclose(a32, a64, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("batched", [False, True])
def test_empty_sequence_gives_empty_trace_and_zero_grads(batched):
    params = lc.RNNParams.init(I, H, seed=0)
    lead = (0, B) if batched else (0,)
    tr = lc.rnn_forward(params, np.zeros(lead + (I,)))
    assert tr.h.shape == lead + (H,)
    grads = lc.rnn_backward(params, tr, np.zeros(lead + (H,)))
    assert grads.dxs.shape == lead + (I,) and not np.any(grads.params.W) and not np.any(grads.dh0)


def test_torch_layout_round_trips_and_rejects_bad_shapes():
    params = lc.RNNParams.init(I, H, seed=2)
    torch_dict = params.to_torch()
    assert torch_dict["weight_ih"].shape == (H, I) and torch_dict["weight_hh"].shape == (H, H)
    np.testing.assert_array_equal(torch_dict["bias_ih"] + torch_dict["bias_hh"], params.b)
    back = lc.RNNParams.from_torch(**torch_dict)
    for name, arr in params.arrays().items():
        np.testing.assert_array_equal(getattr(back, name), arr)
    with pytest.raises(ValueError, match="b must have shape"):
        lc.RNNParams(W=params.W, b=np.zeros(H + 1)).validate()
    with pytest.raises(ValueError, match="features"):
        lc.rnn_forward(params, np.zeros((3, I + 1)))
