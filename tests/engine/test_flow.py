"""Gradient flow for the gradients page: exact norms, the lessons' regimes, overflow handled."""
import warnings

import numpy as np
import pytest

import lstm_core as lc
from lstm_core import flow as F


def _flows(xs, **kw):
    cells = F.make_cells(kw.pop("H", 4), **kw)
    return {k: F.gradient_flow(k, cells[k], xs) for k in F.KINDS}


def test_norms_are_the_row_norms_of_the_backward_pass_and_start_at_one():
    xs = np.sin(np.arange(30) / 3)[:, None]
    for kind, flow in _flows(xs).items():
        np.testing.assert_allclose(flow.dh_norm, np.linalg.norm(flow.grads.dh, axis=1), rtol=1e-12)
        assert flow.dh_norm[-1] == pytest.approx(1.0)
    lstm = _flows(xs)["lstm"]
    np.testing.assert_allclose(lstm.dc_norm, np.linalg.norm(lstm.grads.dc, axis=1), rtol=1e-12)


def test_flow_uses_the_engine_backward_with_a_unit_loss_on_the_last_step():
    xs = np.linspace(-1, 1, 12)[:, None]
    cells = F.make_cells(3, seed=2)
    p = cells["lstm"]
    dh = np.zeros((12, 3))
    dh[-1] = 1 / np.sqrt(3)
    expected = lc.lstm_backward(p, lc.lstm_forward(p, xs), dh)
    got = F.gradient_flow("lstm", p, xs)
    np.testing.assert_array_equal(got.grads.params.W_f, expected.params.W_f)


def test_sigmoid_rnn_vanishes_faster_than_tanh_and_lstm_keeps_the_gradient():
    xs = np.sin(np.arange(100) / 3)[:, None]
    f = _flows(xs, H=8, forget_bias=3.0)
    assert f["rnn_sigmoid"].dh_norm[0] < f["rnn_tanh"].dh_norm[0] < 1e-10
    assert f["lstm"].dc_norm[0] > 1e3 * f["rnn_tanh"].dh_norm[0]


def test_large_recurrent_weights_explode_and_overflow_without_warnings():
    xs = np.zeros((500, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f = _flows(xs, H=8, scale=10.0, biases=False)
        tanh = f["rnn_tanh"]
        over = F.last_step_overflowed(tanh.dh_norm)
        above = F.last_step_above(tanh.dh_norm)
        raw, clipped = F.clipped_update(tanh, 1.0, lr=0.1)
    assert over is not None and above is not None and above > over
    assert np.isinf(tanh.dh_norm[0]) and not np.isnan(tanh.dh_norm).any()
    assert clipped <= 0.1 + 1e-12 and (raw > clipped)


def test_without_biases_a_zero_input_keeps_the_state_at_zero_so_the_gain_is_exact():
    xs = np.zeros((20, 1))
    p = F.make_cells(5, seed=1, scale=2.0, biases=False)["rnn_tanh"]
    flow = F.gradient_flow("rnn_tanh", p, xs)
    W_h = p.W[:, :5]
    v = np.full(5, 1 / np.sqrt(5))
    for t in range(19, -1, -1):
        assert np.linalg.norm(v) == pytest.approx(flow.dh_norm[t], rel=1e-10)
        v = v @ W_h  # h stays 0, tanh' = 1: each step back multiplies by W_h


def test_scale_multiplies_only_the_recurrent_columns():
    p = lc.LSTMParams.init(2, 3, seed=0)
    s = F.scale_recurrent(p, 4.0)
    np.testing.assert_array_equal(s.W_c[:, :3], 4 * p.W_c[:, :3])
    np.testing.assert_array_equal(s.W_c[:, 3:], p.W_c[:, 3:])
    np.testing.assert_array_equal(s.b_f, p.b_f)


def test_rnn_step_factors_match_the_jacobian_of_one_step():
    xs = np.random.default_rng(0).normal(size=(6, 1))
    for act in ("tanh", "sigmoid"):
        p = lc.RNNParams.init(1, 3, seed=4)
        trace = lc.rnn_forward(p, xs, activation=act)
        deriv_max, gains = F.rnn_step_factors(p, trace)
        for t in range(1, 6):
            eps, J = 1e-6, np.empty((3, 3))
            for j in range(3):
                e = np.zeros(3)
                e[j] = eps
                up = lc.rnn_forward(p, xs[t:t + 1], h0=trace.h[t - 1] + e, activation=act).h[0]
                dn = lc.rnn_forward(p, xs[t:t + 1], h0=trace.h[t - 1] - e, activation=act).h[0]
                J[:, j] = (up - dn) / (2 * eps)
            assert gains[t] == pytest.approx(np.linalg.norm(J, 2), rel=1e-6)
        assert np.all(deriv_max <= (0.25 if act == "sigmoid" else 1.0))


def test_carry_products_and_half_life():
    gate = np.array([[0.5], [0.5], [0.8], [0.9]])
    np.testing.assert_allclose(F.carry_products(gate)[:, 0], [0.36, 0.72, 0.9, 1.0])
    assert F.half_life(0.5) == pytest.approx(1.0)
    assert F.half_life(0.99) == pytest.approx(68.97, rel=1e-3)
    assert F.half_life(1.0) == np.inf and F.half_life(0.0) == 0.0


def test_threshold_helpers():
    norms = np.array([np.inf, np.inf, 1e8, 1e3, 1.0])
    assert F.last_step_above(norms) == 2 and F.last_step_overflowed(norms) == 1
    assert F.last_step_above(np.ones(3)) is None and F.last_step_overflowed(np.ones(3)) is None


@pytest.mark.parametrize("kind", F.KINDS)
def test_an_empty_sequence_is_refused_with_a_value_error_not_an_index_error(kind):
    cells = F.make_cells(3)
    with pytest.raises(ValueError, match="empty"):
        F.gradient_flow(kind, cells[kind], np.zeros((0, 1)))
