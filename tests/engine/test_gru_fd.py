"""What only the GRU has, beside the finite-difference tests every cell kind shares.

Its trace satisfies h_t = (1 - z_t) n_t + z_t h_{t-1}; with the reset gate open and the update gate
shut its gradient doubles each step until it overflows, quietly; PyTorch keeps its candidate's
two biases b_in and b_hn apart. Its gradients, padding, huge weights, float32 and T = 0 are in
test_cells_fd.py.
"""
import warnings

import numpy as np
import pytest

import lstm_core as lc
from fdcheck import H, I, CellCase


def test_trace_gates_satisfy_the_update_equation():
    case = CellCase.seeded("gru", "nomask", batched=True)
    tr = lc.gru_forward(case.params, case.xs, case.h0)
    h_prev = np.concatenate([case.h0[None], tr.h[:-1]])
    np.testing.assert_allclose(tr.h, (1 - tr.z) * tr.n + tr.z * h_prev, rtol=0, atol=1e-15)
    for gate in (tr.r, tr.z):
        assert gate.shape == tr.h.shape and np.all((gate > 0) & (gate < 1))


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
