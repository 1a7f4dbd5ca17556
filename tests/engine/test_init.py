"""Keras's defaults in our engine: glorot_uniform kernels, orthogonal recurrent kernels, zero biases
with b_f = 1 (Model.init(init="keras")), and Adam's eps (Keras 1e-7, torch 1e-8)."""
import numpy as np
import pytest

import lstm_core as lc
from lstm_core.init import orthogonal

I, H, O = 10, 50, 1  # the source notes' recipe: 10 inputs, LSTM(50), Dense(1)


def _bound(fan_in, fan_out):
    return np.sqrt(6.0 / (fan_in + fan_out))


def _assert_glorot(a, fan_in, fan_out):
    """Inside the Glorot bound, reaching near it, with the uniform's variance l^2 / 3."""
    limit = _bound(fan_in, fan_out)
    assert np.abs(a).max() <= limit
    assert np.abs(a).max() > 0.95 * limit  # a smaller bound would fail here
    assert np.var(a) == pytest.approx(limit ** 2 / 3, rel=0.15)


def _assert_orthonormal_rows(a):
    np.testing.assert_allclose(a @ a.T, np.eye(a.shape[0]), rtol=0, atol=1e-12)


def test_glorot_uniform_has_keras_bound_and_variance():
    rng = np.random.default_rng(0)
    _assert_glorot(lc.glorot_uniform(rng, 10, 200, (10, 200)), 10, 200)


@pytest.mark.parametrize("shape", [(5, 20), (20, 5), (8, 8)])
def test_orthogonal_is_orthonormal_along_its_shorter_side(shape):
    q = lc.orthogonal(np.random.default_rng(1), shape)
    assert q.shape == shape
    _assert_orthonormal_rows(q if shape[0] <= shape[1] else q.T)


def test_orthogonal_is_sign_fixed_so_its_entries_are_centred():
    """Haar-distributed: over many draws each entry averages 0 (QR's own signs would bias the diagonal)."""
    draws = np.stack([orthogonal(np.random.default_rng(s), (4, 4)) for s in range(2000)])
    assert np.abs(draws.mean(axis=0)).max() < 0.06


def test_keras_lstm_init_has_glorot_kernel_orthogonal_recurrent_and_unit_forget_bias():
    model = lc.Model.init("lstm", I, H, O, num_layers=2, init="keras", seed=3)
    for k, layer in enumerate(model.layers):
        kernel, recurrent, bias = layer.fwd.to_keras()  # (I, 4H), (H, 4H), (4H,) in order i, f, c, o
        fan_in = I if k == 0 else H
        _assert_glorot(kernel, fan_in, 4 * H)
        _assert_orthonormal_rows(recurrent)
        np.testing.assert_array_equal(bias, np.r_[np.zeros(H), np.ones(H), np.zeros(2 * H)])
        np.testing.assert_array_equal(layer.fwd.b_f, np.ones(H))
    assert np.abs(model.head.W).max() <= _bound(H, O)
    np.testing.assert_array_equal(model.head.b, np.zeros(O))


def test_keras_forget_bias_can_be_overridden():
    model = lc.Model.init("lstm", I, H, init="keras", forget_bias=2.0)
    np.testing.assert_array_equal(model.layers[0].fwd.b_f, np.full(H, 2.0))
    np.testing.assert_array_equal(model.layers[0].fwd.b_i, np.zeros(H))


@pytest.mark.parametrize("kind, blocks", [("gru", 3), ("rnn_tanh", 1), ("rnn_sigmoid", 1)])
def test_keras_gru_and_rnn_init_have_glorot_orthogonal_and_zero_biases(kind, blocks):
    model = lc.Model.init(kind, I, H, init="keras", bidirectional=True, seed=4)
    for _, params in model.layers[0].cells():
        t = params.to_torch()
        _assert_glorot(t["weight_ih"], I, blocks * H)
        _assert_orthonormal_rows(t["weight_hh"].T)  # Keras's recurrent kernel (H, nH)
        assert not np.any(t["bias_ih"]) and not np.any(t["bias_hh"])


def test_keras_peephole_lstm_starts_with_zero_peepholes():
    params = lc.Model.init("lstm_peephole", 2, 3, init="keras").layers[0].fwd
    assert params.peephole and not np.any(params.p_f) and not np.any(params.p_o)


def test_keras_init_is_seeded_and_each_cell_gets_its_own_seed():
    a = lc.Model.init("lstm", I, H, O, num_layers=2, bidirectional=True, init="keras", seed=7)
    b = lc.Model.init("lstm", I, H, O, num_layers=2, bidirectional=True, init="keras", seed=7)
    c = lc.Model.init("lstm", I, H, O, num_layers=2, bidirectional=True, init="keras", seed=8)
    for name, array in a.arrays().items():
        np.testing.assert_array_equal(array, b.arrays()[name])
    assert not np.array_equal(a.layers[0].fwd.W_f, c.layers[0].fwd.W_f)
    assert not np.array_equal(a.layers[0].fwd.W_f, a.layers[0].bwd.W_f)


def test_keras_and_torch_inits_differ_and_unknown_inits_are_refused():
    torch_like = lc.Model.init("lstm", I, H, O)
    assert np.any(torch_like.layers[0].fwd.b_i)  # torch draws biases, Keras zeros them
    assert set(lc.INITS) == {"torch", "keras"}
    with pytest.raises(ValueError, match="init must be one of"):
        lc.Model.init("lstm", I, H, init="xavier")


@pytest.mark.parametrize("eps, step", [(1e-7, 1e-3 / 11), (1e-8, 1e-3 / 2)])
def test_adam_eps_decides_the_first_step_of_a_tiny_gradient(eps, step):
    """Step 1 moves by lr g / (|g| + eps): for |g| = 1e-8 Keras's eps 1e-7 takes lr/11, torch's lr/2."""
    opt = lc.Adam(1e-3, eps=eps)
    arrays = {"w": np.zeros(1)}
    new, _ = opt.update(arrays, {"w": np.full(1, 1e-8)}, opt.init(arrays))
    assert -new["w"][0] == pytest.approx(step, rel=1e-6)
