"""What only the plain RNN has, beside the finite-difference tests every cell kind shares.

Its activation is named (tanh or sigmoid, an unknown one refused); at the fixed point h = phi(0)
its gradient explodes to inf without a warning; its one bias maps onto PyTorch's two.
The gradients, padding, huge weights, float32 and T = 0 of both RNN kinds are in test_cells_fd.py.
"""
import warnings

import numpy as np
import pytest

import lstm_core as lc
from fdcheck import H, I, T


def test_unknown_activation_is_a_value_error():
    params = lc.RNNParams.init(I, H, seed=5)
    with pytest.raises(ValueError, match="activation"):
        lc.rnn_forward(params, np.zeros((T, I)), activation="relu")


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
