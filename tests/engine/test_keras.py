"""LSTMParams.from_keras / to_keras agree with Keras 3 (torch backend, float64) to 1e-9.

keras_golden.npz was made by tests/fixtures/make_keras.py with keras.layers.LSTM; this file reads
it with NumPy only. The sensitivity test shows the same check fails if two gates are swapped.
"""
import pathlib

import numpy as np
import pytest

import lstm_core as lc

FIXTURES = pathlib.Path(__file__).parents[1] / "fixtures"
TOL = 1e-9


@pytest.fixture(scope="module")
def golden():
    with np.load(FIXTURES / "keras_golden.npz") as data:
        return {k: data[k] for k in data.files}


def keras_run(params, fx, suffix):
    """The engine's (output (B, T, H), c_n (B, H)) on the fixture's batch, Keras's batch-major way."""
    x = np.swapaxes(fx["x"], 0, 1)  # (T, B, I): the engine is time-major
    h0, c0 = (fx["h0"], fx["c0"]) if suffix else (None, None)
    trace = lc.lstm_forward(params, x, h0=h0, c0=c0)
    return np.swapaxes(trace.h, 0, 1), trace.c[-1]


@pytest.mark.parametrize("suffix", ["", "_init"])
def test_from_keras_reproduces_keras_outputs_and_final_cell_state(golden, suffix):
    params = lc.LSTMParams.from_keras(golden["kernel"], golden["recurrent_kernel"], golden["bias"])
    output, c_n = keras_run(params, golden, suffix)
    np.testing.assert_allclose(output, golden[f"output{suffix}"], rtol=TOL, atol=TOL)
    np.testing.assert_allclose(output[:, -1], golden[f"h_n{suffix}"], rtol=TOL, atol=TOL)
    np.testing.assert_allclose(c_n, golden[f"c_n{suffix}"], rtol=TOL, atol=TOL)


def test_swapping_two_keras_gates_breaks_the_agreement(golden):
    """The check can fail: Keras's order i, f, c, o read as f, i, c, o no longer matches."""
    H = golden["recurrent_kernel"].shape[0]
    order = np.r_[H:2 * H, 0:H, 2 * H:4 * H]  # swap the i and f blocks
    params = lc.LSTMParams.from_keras(golden["kernel"][:, order], golden["recurrent_kernel"][:, order],
                                      golden["bias"][order])
    output, _ = keras_run(params, golden, "")
    assert np.max(np.abs(output - golden["output"])) > 1e-2


def test_to_keras_returns_keras_arrays_exactly(golden):
    arrays = [golden["kernel"], golden["recurrent_kernel"], golden["bias"]]
    back = lc.LSTMParams.from_keras(*arrays).to_keras()
    assert [a.shape for a in back] == [a.shape for a in arrays]
    for got, want in zip(back, arrays):
        np.testing.assert_array_equal(got, want)


def test_keras_and_torch_layouts_describe_the_same_cell():
    """to_keras is torch's layout transposed, with torch's two biases summed into one."""
    p = lc.LSTMParams.init(3, 2, seed=5)
    kernel, recurrent, bias = p.to_keras()
    t = p.to_torch()
    np.testing.assert_array_equal(kernel, t["weight_ih"].T)
    np.testing.assert_array_equal(recurrent, t["weight_hh"].T)
    np.testing.assert_array_equal(bias, t["bias_ih"] + t["bias_hh"])
    assert all(np.array_equal(a, b) for a, b in
               zip(lc.LSTMParams.from_keras(kernel, recurrent, bias).arrays().values(), p.arrays().values()))


def test_to_keras_refuses_peepholes():
    with pytest.raises(ValueError, match="peephole"):
        lc.LSTMParams.init(1, 2, peephole=True).to_keras()
