"""The notes' stacked Keras model computes what our engine computes, forward and every gradient.

keras_seed.npz (tests/fixtures/make_keras_seed.py) holds Keras 3's float64 run of
Input((10, 1)) -> LSTM(50, return_sequences=True) -> LSTM(50) -> Dense(1) on a seeded batch:
weights, prediction, the first LSTM's sequence, the MSE loss and torch-autograd gradients.
Here it is rebuilt with NumPy only: LSTMParams.from_keras per layer and a Dense head read at the
last step (readout "last", Keras's return_sequences=False on the top LSTM).
Tolerances: the LSTM layers run in float64 in Keras and agree to 1e-10. Keras's Dense does not:
on the torch backend its ops.matmul casts float64 to float32 (see make_keras_seed.py), which moves
the prediction, the loss and every gradient by up to 2.1e-7 of their scale (with the product done
in float64 instead, everything agrees to 2e-15). The gradients are also stored rounded to float32
(<= 6e-8 relative). So those compare to DENSE_TOL = 1e-6 of each array's largest entry, still 1000
times finer than what swapping two gates changes.
"""
import pathlib

import numpy as np
import pytest

import lstm_core as lc

FIXTURES = pathlib.Path(__file__).parents[1] / "fixtures"
LSTM_TOL = 1e-10  # float64 in both
DENSE_TOL = 1e-6  # relative to an array's largest entry: Keras's float32 Dense product, float32 storage
LSTM_LAYERS = ("lstm", "lstm_1")  # Keras's names of the two LSTM layers, bottom first
LSTM_WEIGHTS = ("kernel", "recurrent_kernel", "bias")


@pytest.fixture(scope="module")
def fx():
    with np.load(FIXTURES / "keras_seed.npz") as data:
        return {k: data[k].astype(np.float64) if data[k].dtype.kind == "f" else data[k] for k in data.files}


def swap_i_f(a):
    """A Keras LSTM array (.., 4H) with its i and f blocks exchanged: the check must then fail."""
    H = a.shape[-1] // 4
    return a[..., np.r_[H:2 * H, 0:H, 2 * H:4 * H]]


def seed_model(fx, swapped=()):
    """Our Model from the fixture's Keras weights; layers named in `swapped` read i and f crossed."""
    layers = []
    for name in LSTM_LAYERS:
        arrays = [fx[f"{name}/{w}"] for w in LSTM_WEIGHTS]
        if name in swapped:
            arrays = [swap_i_f(a) for a in arrays]
        layers.append(lc.Layer("lstm", lc.LSTMParams.from_keras(*arrays)))
    head = lc.Dense(W=fx["dense/kernel"].T, b=fx["dense/bias"])  # Keras's kernel is (D, O), ours (O, D)
    return lc.Model(tuple(layers), head, readout="last").validate()


def assert_close_to_scale(ours, keras, tol=DENSE_TOL):
    """|ours - keras| <= tol * max |keras| everywhere."""
    np.testing.assert_allclose(ours, keras, rtol=0, atol=tol * np.max(np.abs(keras)))


def run(model, fx):
    """(trace, prediction (B, 1), loss, dL/dy) on the fixture's batch (B, 10, 1)."""
    trace = lc.model_forward(model, lc.time_major(fx["x"]))  # the engine is time-major: (10, B, 1)
    loss, dy = lc.mse_loss(trace.y, fx["target"])  # y (B, 1): Dense reads the top LSTM's last step
    return trace, trace.y, loss, dy


def keras_grads(model, trace, dy):
    """Our gradients, by Keras's names '<layer>/<weight>', in Keras's layouts."""
    grads = lc.model_backward(model, trace, dy=dy).model
    out = {}
    for name, layer in zip(LSTM_LAYERS, grads.layers):
        out.update({f"{name}/{w}": g for w, g in zip(LSTM_WEIGHTS, layer.fwd.to_keras())})
    out.update({"dense/kernel": grads.head.W.T, "dense/bias": grads.head.b})
    return out


def test_fixture_is_the_notes_example_1_model(fx):
    """Input (10, 1), two LSTMs of 50 units, Dense(1): the shapes Keras's summary prints."""
    assert fx["x"].shape[1:] == (10, 1)
    assert fx["hidden"].shape[1:] == (10, 50)  # return_sequences=True: every step goes up
    assert fx["lstm/kernel"].shape == (1, 200) and fx["lstm_1/kernel"].shape == (50, 200)
    assert fx["dense/kernel"].shape == (50, 1) and fx["y"].shape == fx["target"].shape


def test_stacked_model_reproduces_keras_forward(fx):
    trace, y, loss, _ = run(seed_model(fx), fx)
    np.testing.assert_allclose(trace.layer_outputs[0].swapaxes(0, 1), fx["hidden"], rtol=0, atol=LSTM_TOL)
    assert_close_to_scale(y, fx["y"])
    assert loss == pytest.approx(float(fx["loss"]), rel=DENSE_TOL)


@pytest.mark.parametrize("name", [f"{layer}/{w}" for layer in LSTM_LAYERS for w in LSTM_WEIGHTS]
                         + ["dense/kernel", "dense/bias"])
def test_every_gradient_matches_keras_autograd(fx, name):
    model = seed_model(fx)
    trace, _, _, dy = run(model, fx)
    ours = keras_grads(model, trace, dy)[name]
    assert_close_to_scale(ours, fx[f"grad/{name}"])


def test_swapping_two_gates_breaks_forward_and_gradients(fx):
    """The checks can fail: the top LSTM read with Keras's i, f as f, i gives other numbers."""
    model = seed_model(fx, swapped=("lstm_1",))
    trace, y, _, dy = run(model, fx)
    assert np.max(np.abs(y - fx["y"])) > 1e3 * DENSE_TOL * np.max(np.abs(fx["y"]))
    want = fx["grad/lstm/recurrent_kernel"]  # the layer below feels it too
    grad = keras_grads(model, trace, dy)["lstm/recurrent_kernel"]
    assert np.max(np.abs(grad - want)) > 1e3 * DENSE_TOL * np.max(np.abs(want))
