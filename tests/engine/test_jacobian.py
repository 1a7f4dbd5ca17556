"""jacobian_norms is exact: each norm equals the one of a Jacobian built by finite differences,
restarting the recurrence from a perturbed state at step t."""
import numpy as np
import pytest

import lstm_core as lc


def _fd_jacobian(run_from, state_t, eps=1e-6):
    """J[k, j] = d out[k] / d state_t[j] by central differences of run_from(state)."""
    H = state_t.shape[0]
    J = np.empty((H, H))
    for j in range(H):
        e = np.zeros(H)
        e[j] = eps
        J[:, j] = (run_from(state_t + e) - run_from(state_t - e)) / (2 * eps)
    return J


def _cases():
    rng = np.random.default_rng(3)
    xs = rng.normal(size=(6, 2))
    return xs


def test_lstm_norms_equal_finite_difference_jacobians_for_h_and_c():
    xs = _cases()
    p = lc.LSTMParams.init(2, 3, seed=1)
    tr = lc.lstm_forward(p, xs)
    norms = lc.jacobian_norms(p, tr)
    for t in range(len(xs) - 1):
        rest = xs[t + 1:]
        Jh = _fd_jacobian(lambda h: lc.lstm_forward(p, rest, h0=h, c0=tr.c[t]).h[-1], tr.h[t])
        # c_t also reaches the future through h_t = o_t * tanh(c_t), so h_t moves with c_t
        Jc = _fd_jacobian(lambda c: lc.lstm_forward(p, rest, h0=tr.o[t] * np.tanh(c), c0=c).c[-1], tr.c[t])
        assert norms.h[t] == pytest.approx(np.linalg.norm(Jh, 2), rel=1e-6)
        assert norms.c[t] == pytest.approx(np.linalg.norm(Jc, 2), rel=1e-6)
    assert norms.h[-1] == pytest.approx(1.0) and norms.c[-1] == pytest.approx(1.0)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_rnn_norms_equal_finite_difference_jacobians(activation):
    xs = _cases()
    p = lc.RNNParams.init(2, 3, seed=2)
    tr = lc.rnn_forward(p, xs, activation=activation)
    norms = lc.jacobian_norms(p, tr)
    assert norms.c is None
    for t in range(len(xs) - 1):
        Jh = _fd_jacobian(lambda h: lc.rnn_forward(p, xs[t + 1:], h0=h, activation=activation).h[-1], tr.h[t])
        assert norms.h[t] == pytest.approx(np.linalg.norm(Jh, 2), rel=1e-6)


def test_gru_norms_equal_finite_difference_jacobians():
    xs = _cases()
    p = lc.GRUParams.init(2, 3, seed=4)
    tr = lc.gru_forward(p, xs)
    norms = lc.jacobian_norms(p, tr)
    for t in range(len(xs) - 1):
        Jh = _fd_jacobian(lambda h: lc.gru_forward(p, xs[t + 1:], h0=h).h[-1], tr.h[t])
        assert norms.h[t] == pytest.approx(np.linalg.norm(Jh, 2), rel=1e-6)


def test_batched_norms_are_per_sequence():
    rng = np.random.default_rng(5)
    xs = rng.normal(size=(5, 2, 2))
    p = lc.LSTMParams.init(2, 3, seed=1)
    both = lc.jacobian_norms(p, lc.lstm_forward(p, xs))
    for b in range(2):
        one = lc.jacobian_norms(p, lc.lstm_forward(p, xs[:, b]))
        np.testing.assert_allclose(both.h[:, b], one.h, rtol=1e-12)
        np.testing.assert_allclose(both.c[:, b], one.c, rtol=1e-12)


def test_exploded_jacobian_reports_inf_without_warning():
    import warnings
    p = lc.RNNParams.init(1, 4, seed=0)
    p = p.replace(W=p.W * 1e20, b=np.zeros(4))
    xs = np.zeros((40, 1))  # h stays 0, so tanh' = 1 and each step multiplies by the huge W_h
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        norms = lc.jacobian_norms(p, lc.rnn_forward(p, xs))
    assert np.isinf(norms.h[0]) and norms.h[-1] == pytest.approx(1.0)


def test_the_trace_of_an_empty_sequence_is_refused_with_a_value_error():
    p = lc.LSTMParams.init(2, 3, seed=0)
    with pytest.raises(ValueError, match="empty"):
        lc.jacobian_norms(p, lc.lstm_forward(p, np.zeros((0, 2))))
