"""The readable one-step cells in reference.py compute exactly what the fast cells compute."""
import inspect
import re

import numpy as np
import pytest

import lstm_core as lc
from lstm_core import reference

FIELDS = ("f", "i", "c_tilde", "o", "c", "h")


def _lstm(seed, peephole, H=3, I=2, T=7):
    """A random LSTM with a large forget bias spread, its input and a random initial state."""
    rng = np.random.default_rng(seed)
    p = lc.LSTMParams.init(I, H, seed=seed, peephole=peephole, forget_bias=rng.normal())
    p = p.map(lambda a: a * 2.0)  # away from the linear regime, so every derivative matters
    return p, rng.normal(size=(T, I)), rng.normal(size=H), rng.normal(size=H)


@pytest.mark.parametrize("peephole", [False, True], ids=["plain", "peephole"])
@pytest.mark.parametrize("seed", range(4))
def test_lstm_step_equals_the_fast_forward_at_every_step(seed, peephole):
    p, xs, h0, c0 = _lstm(seed, peephole)
    steps = reference.lstm_run(p, xs, h0, c0)
    trace = lc.lstm_forward(p, xs, h0=h0, c0=c0)
    for name in FIELDS:
        np.testing.assert_allclose([getattr(s, name) for s in steps], getattr(trace, name),
                                   rtol=1e-12, atol=1e-14, err_msg=name)


@pytest.mark.parametrize("peephole", [False, True], ids=["plain", "peephole"])
@pytest.mark.parametrize("seed", range(4))
def test_lstm_step_backward_equals_the_fast_backward(seed, peephole):
    p, xs, h0, c0 = _lstm(seed, peephole)
    dh = np.random.default_rng(seed + 100).normal(size=(len(xs), p.hidden_size))
    grads, dxs, dh0, dc0 = reference.lstm_run_backward(p, reference.lstm_run(p, xs, h0, c0), dh)
    fast = lc.lstm_backward(p, lc.lstm_forward(p, xs, h0=h0, c0=c0), dh)
    for name, value in fast.params.arrays().items():
        np.testing.assert_allclose(getattr(grads, name), value, rtol=1e-10, atol=1e-13, err_msg=name)
    np.testing.assert_allclose(dxs, fast.dxs, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(dh0, fast.dh0, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(dc0, fast.dc0, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_rnn_step_equals_the_fast_forward(activation):
    rng = np.random.default_rng(1)
    p = lc.RNNParams.init(2, 3, seed=1)
    xs = rng.normal(size=(6, 2))
    h, hs = np.zeros(3), []
    for x_t in xs:
        h = reference.rnn_step(p, x_t, h, activation)
        hs.append(h)
    np.testing.assert_allclose(hs, lc.rnn_forward(p, xs, activation=activation).h, rtol=1e-12)


def test_gru_step_equals_the_fast_forward():
    rng = np.random.default_rng(2)
    p = lc.GRUParams.init(2, 3, seed=2)
    xs = rng.normal(size=(6, 2))
    trace = lc.gru_forward(p, xs)
    h = np.zeros(3)
    for t, x_t in enumerate(xs):
        r, z, n, h = reference.gru_step(p, x_t, h)
        for name, value in zip("rznh", (r, z, n, h)):
            np.testing.assert_allclose(value, getattr(trace, name)[t], rtol=1e-12, err_msg=name)


def test_a_student_finds_one_line_per_equation_in_the_notes_names():
    source = inspect.getsource(reference.lstm_step)
    for line in (r"f_t = sigmoid\(z_f\)", r"i_t = sigmoid\(z_i\)", r"c_tilde = np.tanh\(z_c\)",
                 r"c_t = f_t \* c_prev \+ i_t \* c_tilde", r"o_t = sigmoid\(z_o\)",
                 r"h_t = o_t \* np.tanh\(c_t\)", r"z_f = p.W_f @ hx \+ p.b_f"):
        assert re.search(line, source), line
