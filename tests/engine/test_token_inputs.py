"""Token-id inputs mean exactly their one-hot vectors: forward bit for bit, gradients to rounding.

An integer array of ids, (T,) or (T, B), stands for the one-hot vectors e_id of input_size
entries. Layer 0 gathers columns of W_x instead of a matmul (exact: 1 * w + 0 * the rest is w)
and sums dL/dW_x per id instead of a matmul over the one-hot rows (the same terms in another
order: equal to ~1e-12 of the largest entry in float64, ~1e-6 in float32). There is no dL/dxs.
"""
import itertools

import numpy as np
import pytest

import lstm_core as lc
from lstm_core import reference
from lstm_core.lstm import one_product

V, T, B, H, O = 7, 5, 3, 4, 3  # vocabulary (= input size), steps, batch, hidden units, outputs
TOL = {"float64": 1e-12, "float32": 2e-6}  # of each gradient array's largest entry
LENGTHS = np.array([5, 2, 1])


def _model(kind, num_layers=1, bidirectional=False, readout="sequence", dtype="float64", head=True):
    model = lc.Model.init(kind, V, H, O if head else None, num_layers=num_layers,
                          bidirectional=bidirectional, seed=3, readout=readout)
    return model.map(lambda a: (2.0 * a).astype(dtype))  # gates away from 0.5


def _ids(seed=0, shape=(T, B)):
    return np.random.default_rng(seed).integers(0, V, size=shape)


def _one_hot(ids, dtype):
    return np.eye(V, dtype=dtype)[ids]


def _close(name, got, want, dtype):
    scale = max(np.max(np.abs(want), initial=0.0), 1e-30)
    assert np.max(np.abs(got - want), initial=0.0) <= TOL[dtype] * scale, name


def _grads(model, xs, R, lengths):
    trace = lc.model_forward(model, xs, lengths)
    if model.head is not None:
        return trace, lc.model_backward(model, trace, dy=R)
    key = "dlast" if model.readout == "last" else "doutputs"
    return trace, lc.model_backward(model, trace, **{key: R})


CASES = list(itertools.product(["lstm", "lstm_peephole", "gru", "rnn_tanh"], [1, 2], [False, True]))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("readout,lengths", [("sequence", None), ("sequence", LENGTHS), ("last", LENGTHS)],
                         ids=["sequence", "sequence-lengths", "last-lengths"])
@pytest.mark.parametrize("kind,num_layers,bidirectional", CASES)
def test_ids_equal_their_one_hot_vectors_forward_exactly_and_gradients_to_rounding(
        kind, num_layers, bidirectional, readout, lengths, dtype):
    model = _model(kind, num_layers, bidirectional, readout, dtype)
    ids = _ids()
    trace_ids = lc.model_forward(model, ids, lengths)
    trace_hot = lc.model_forward(model, _one_hot(ids, dtype), lengths)
    np.testing.assert_array_equal(trace_ids.y, trace_hot.y)
    np.testing.assert_array_equal(trace_ids.outputs, trace_hot.outputs)
    R = np.random.default_rng(1).normal(size=trace_hot.y.shape).astype(dtype)
    _, g_ids = _grads(model, ids, R, lengths)
    _, g_hot = _grads(model, _one_hot(ids, dtype), R, lengths)
    assert g_ids.dxs is None and g_hot.dxs.shape == (T, B, V)
    want = g_hot.model.arrays()
    for name, got in g_ids.model.arrays().items():
        _close(name, got, want[name], dtype)


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn_tanh"])
def test_unbatched_ids_and_a_model_without_head_match_the_one_hot_path(kind):
    model = _model(kind, head=False)
    ids = _ids(shape=(T,))
    trace_ids, g_ids = _grads(model, ids, np.ones((T, H)), None)
    trace_hot, g_hot = _grads(model, _one_hot(ids, "float64"), np.ones((T, H)), None)
    assert trace_ids.unbatched and trace_ids.outputs.shape == (T, H)
    np.testing.assert_array_equal(trace_ids.outputs, trace_hot.outputs)
    assert g_ids.dxs is None
    want = g_hot.model.arrays()
    for name, got in g_ids.model.arrays().items():
        _close(name, got, want[name], "float64")


def test_cells_take_ids_with_an_initial_state_and_a_mask():
    """The LSTM from a nonzero h_0, c_0 over padded steps: ids and one-hot give the same trace."""
    p = lc.LSTMParams.init(V, H, seed=2, peephole=True)
    ids, rng = _ids(4), np.random.default_rng(5)
    h0, c0, mask = rng.normal(size=(B, H)), rng.normal(size=(B, H)), lc.length_mask(LENGTHS, T)
    a = lc.lstm_forward(p, ids, h0=h0, c0=c0, mask=mask)
    b = lc.lstm_forward(p, _one_hot(ids, "float64"), h0=h0, c0=c0, mask=mask)
    for name in lc.STEP_FIELDS:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    dh = rng.normal(size=(T, B, H))
    ga, gb = lc.lstm_backward(p, a, dh), lc.lstm_backward(p, b, dh)
    assert ga.dxs is None
    np.testing.assert_allclose(ga.dh0, gb.dh0, rtol=1e-12, atol=1e-14)
    for name, got in ga.params.arrays().items():
        _close(name, got, gb.params.arrays()[name], "float64")


def test_an_id_that_never_occurs_gets_a_zero_column():
    model = _model("lstm")
    ids = np.zeros((T, B), dtype=np.int64)  # only token 0
    _, grads = _grads(model, ids, np.ones((T, B, O)), None)
    W_f = grads.model.layers[0].fwd.W_f  # (H, H + V): columns H + 1.. belong to tokens 1..V-1
    assert np.all(W_f[:, H + 1:] == 0.0) and np.any(W_f[:, H] != 0.0)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_training_and_evaluating_on_ids_follows_the_one_hot_run(dtype):
    model = _model("lstm", dtype=dtype)
    ids, target = _ids(6), np.random.default_rng(7).integers(0, O, size=(T, B))
    runs = [list(lc.train(model, [(xs, target)] * 3, lc.softmax_cross_entropy, lc.Adam(1e-2), steps=3,
                          clip=1.0)) for xs in (ids, _one_hot(ids, dtype))]
    for a, b in zip(*runs):
        assert abs(a["loss"] - b["loss"]) <= TOL[dtype] * abs(b["loss"])
    trained = runs[0][-1]["model"]
    got = lc.evaluate(trained, ids, target, lc.softmax_cross_entropy)
    assert got == lc.evaluate(trained, _one_hot(ids, dtype), target, lc.softmax_cross_entropy)


def test_dropout_treats_ids_exactly_as_their_one_hot_vectors():
    """Dropout on ids drops whole tokens of the one-hot input (a dropped id becomes the zero
    vector, a kept one is scaled by 1 / (1 - p)): the same seed gives the same steps, bit for bit."""
    model = _model("gru", num_layers=2)
    ids, target = _ids(8), np.random.default_rng(9).integers(0, O, size=(T, B))
    runs = [list(lc.train(model, [(xs, target)] * 3, lc.softmax_cross_entropy, lc.Adam(1e-2), steps=3,
                          dropout=0.3, seed=4)) for xs in (ids, _one_hot(ids, "float64"))]
    assert [a["loss"] for a in runs[0]] == [b["loss"] for b in runs[1]]
    for name, a in runs[0][-1]["model"].arrays().items():
        np.testing.assert_array_equal(a, runs[1][-1]["model"].arrays()[name])


@pytest.mark.parametrize("bad,message", [
    (np.array([[0, V]]), "token ids must lie in 0..6"),
    (np.array([-1, 2]), "token ids must lie in 0..6"),
    (np.zeros((2, 3, 4, 5)), r"xs must be \(T, I\) or \(T, B, I\) floats"),
    (np.zeros(4), r"xs must be \(T, I\) or \(T, B, I\) floats"),
])
def test_bad_ids_and_float_inputs_of_the_wrong_shape_raise_a_clear_message(bad, message):
    with pytest.raises(ValueError, match=message):
        lc.model_forward(_model("lstm"), bad)
    with pytest.raises(ValueError, match=message):
        lc.lstm_forward(lc.LSTMParams.init(V, H), bad)


def test_integer_features_of_three_axes_are_still_read_as_floats():
    model = _model("lstm")
    xs = np.random.default_rng(0).integers(0, 3, size=(T, B, V))
    np.testing.assert_array_equal(lc.model_forward(model, xs).y, lc.model_forward(model, xs.astype(float)).y)


def test_the_single_recurrent_product_computes_the_notes_equations():
    """At the text page's shapes (B * H >= 4096, H >= 128) the forward loop runs one (H, 4H)
    product a step instead of four (H, H) ones: it must still give the readable cell's numbers."""
    Bw, Hw, I = 32, 128, 3
    assert one_product(Bw, Hw) and not one_product(16, Hw) and not one_product(64, 64)
    rng = np.random.default_rng(0)
    p = lc.LSTMParams.init(I, Hw, seed=1)
    xs, h0 = rng.normal(size=(3, Bw, I)), rng.normal(size=(Bw, Hw))
    trace = lc.lstm_forward(p, xs, h0=h0)
    for b in (0, Bw - 1):
        steps = reference.lstm_run(p, xs[:, b], h0[b], np.zeros(Hw))
        np.testing.assert_allclose([s.h for s in steps], trace.h[:, b], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose([s.c for s in steps], trace.c[:, b], rtol=1e-12, atol=1e-14)
