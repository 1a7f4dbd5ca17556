"""Readout "last" (sequence-to-one, Keras's return_sequences=False), proved by finite differences.

The loss is L = sum(R * y) with y (B, O) the head at each sequence's last valid step (or the
features read, (B, D), without a head), in float64 with central differences (eps = 1e-6) and a
tolerance of 1e-7. A property test shows the "last" readout is the "sequence" readout's y at
t = lengths - 1, and training, evaluation and dropout run on it.
"""
import dataclasses

import numpy as np
import pytest

import lstm_core as lc
from fdcheck import numeric_grad
from modelkit import B, H, I, O, T, make_model

TOL = 1e-7
LENGTHS = np.array([3, 1])  # a padded sequence and a one-step one


def _last(model):
    return dataclasses.replace(model, readout="last").validate()


def _data(model, seed=1):
    """Inputs (T, B, I) and loss weights R like the readout's prediction, (B, O) or (B, D)."""
    rng = np.random.default_rng(seed)
    width = model.feature_size if model.head is None else model.head.W.shape[0]
    return rng.normal(size=(T, B, I)), rng.normal(size=(B, width))


def _loss(model, xs, R, lengths):
    return float(np.sum(R * lc.prediction(model, lc.model_forward(model, xs, lengths))))


def _grads(model, xs, R, lengths):
    trace = lc.model_forward(model, xs, lengths)
    if model.head is None:
        return lc.model_backward(model, trace, dlast=R)
    return lc.model_backward(model, trace, dy=R)


@pytest.mark.parametrize("num_layers, bidirectional, head, lengths", [
    (1, False, True, None), (2, False, True, LENGTHS), (3, False, True, None),
    (1, True, True, LENGTHS), (2, True, False, LENGTHS), (1, False, False, None),
])
def test_last_readout_gradients_match_finite_differences(num_layers, bidirectional, head, lengths):
    model = _last(make_model("lstm", num_layers, bidirectional, head))
    xs, R = _data(model)
    grads = _grads(model, xs, R, lengths)
    arrays = {k: v.copy() for k, v in model.arrays().items()}
    for name, analytic in grads.model.arrays().items():
        numeric = numeric_grad(lambda: _loss(model.replace_arrays(arrays), xs, R, lengths), arrays[name])
        np.testing.assert_allclose(analytic, numeric, rtol=TOL, atol=TOL, err_msg=name)
    moved = xs.copy()
    numeric = numeric_grad(lambda: _loss(model, moved, R, lengths), moved)
    np.testing.assert_allclose(grads.dxs, numeric, rtol=TOL, atol=TOL)


@pytest.mark.parametrize("kind", ["gru", "rnn_tanh"])
def test_last_readout_gradients_of_other_kinds_match_finite_differences(kind):
    model = _last(make_model(kind, 2, head=True))
    xs, R = _data(model)
    grads = _grads(model, xs, R, LENGTHS)
    moved = xs.copy()
    numeric = numeric_grad(lambda: _loss(model, moved, R, LENGTHS), moved)
    np.testing.assert_allclose(grads.dxs, numeric, rtol=TOL, atol=TOL)


@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("lengths", [None, LENGTHS, np.array([4, 2])])
def test_last_readout_is_the_sequence_readouts_y_at_the_last_valid_step(bidirectional, lengths):
    seq = make_model("lstm", 2, bidirectional)
    xs, _ = _data(seq)
    y_seq = lc.model_forward(seq, xs, lengths).y  # (T, B, O)
    trace = lc.model_forward(_last(seq), xs, lengths)
    steps = np.full(B, T - 1) if lengths is None else lengths - 1
    np.testing.assert_array_equal(trace.last_step, steps)
    np.testing.assert_allclose(trace.y, y_seq[steps, np.arange(B)], rtol=0, atol=1e-14)
    assert trace.y.shape == (B, O) and trace.last.shape == (B, seq.feature_size)


def test_last_readout_of_an_unbatched_sequence_drops_the_batch_axis():
    model = _last(make_model())
    xs, R = _data(model)
    trace = lc.model_forward(model, xs[:, 0])
    assert trace.y.shape == (O,) and trace.last.shape == (H,)
    np.testing.assert_allclose(trace.y, lc.model_forward(model, xs).y[0], rtol=0, atol=1e-14)
    grads = lc.model_backward(model, trace, dy=R[0])
    assert grads.dxs.shape == (T, I)


def test_last_readout_refuses_an_empty_sequence():
    model = _last(make_model())
    xs, _ = _data(model)
    with pytest.raises(ValueError, match="at least one step"):
        lc.model_forward(model, xs, np.array([3, 0]))


def test_an_unknown_readout_is_refused_and_old_dicts_read_as_sequence():
    with pytest.raises(ValueError, match="readout must be one of"):
        lc.Model.init("lstm", I, H, O, readout="first")
    model = lc.Model.init("lstm", I, H, O, readout="last")
    assert lc.Model.from_dict(model.to_dict()).readout == "last"
    old = model.to_dict()
    del old["readout"]
    assert lc.Model.from_dict(old).readout == "sequence"
    assert model.map(np.copy).readout == "last"
    assert model.replace_arrays({"head.b": np.ones(O)}).readout == "last"


def test_training_a_last_readout_lowers_its_loss_and_evaluate_agrees():
    model = lc.Model.init("lstm", I, H, 1, readout="last", seed=2)
    rng = np.random.default_rng(3)
    xs = rng.normal(size=(T, 16, I))
    target = xs.sum(axis=(0, 2))[:, None] / 4  # one number per sequence
    before = lc.evaluate(model, xs, target, lc.mse_loss)
    infos = list(lc.train(model, [(xs, target)] * 60, lc.mse_loss, lc.Adam(3e-2), steps=60))
    assert infos[0]["loss"] == pytest.approx(before, rel=1e-12)
    assert lc.evaluate(infos[-1]["model"], xs, target, lc.mse_loss) < 0.5 * before


def test_dropout_on_a_last_readout_trains_and_is_seeded():
    model = lc.Model.init("lstm", I, H, 1, readout="last", seed=2)
    xs = np.random.default_rng(4).normal(size=(T, 8, I))
    target = np.ones((8, 1))

    def losses():
        steps = lc.train(model, [(xs, target)] * 5, lc.mse_loss, lc.Adam(1e-2), steps=5, dropout=0.3, seed=9)
        return [info["loss"] for info in steps]

    first = losses()
    assert first == losses() and len(set(first)) == 5
    headless = lc.Model.init("lstm", I, H, readout="last", seed=2)
    feats = list(lc.train(headless, [(xs, np.zeros((8, H)))] * 3, lc.mse_loss, lc.SGD(0.1), steps=3))
    assert feats[-1]["loss"] < feats[0]["loss"]


def test_last_readout_backward_adds_doutputs_and_dy_and_leaves_the_callers_arrays_alone():
    model = _last(make_model("lstm", 2))
    xs, R = _data(model)
    trace = lc.model_forward(model, xs, LENGTHS)
    D = np.random.default_rng(5).normal(size=trace.outputs.shape)  # dL/d every top-layer output
    kept = D.copy()
    both = lc.model_backward(model, trace, dy=R, doutputs=D)
    np.testing.assert_array_equal(D, kept)
    alone = [lc.model_backward(model, trace, dy=R), lc.model_backward(model, trace, doutputs=D)]
    np.testing.assert_allclose(both.dxs, alone[0].dxs + alone[1].dxs, rtol=0, atol=1e-13)
    with pytest.raises(ValueError, match="dlast needs"):
        lc.model_backward(make_model(), lc.model_forward(make_model(), xs), dlast=np.ones((B, H)))


def test_from_torch_takes_the_readout():
    model = make_model("lstm", 1)
    state = {f"{n}_l0": a for n, a in model.layers[0].fwd.to_torch().items()}
    head = {"weight": model.head.W, "bias": model.head.b}
    last = lc.Model.from_torch("lstm", state, 1, False, head=head, readout="last")
    xs, _ = _data(last)
    np.testing.assert_allclose(lc.model_forward(last, xs).y, lc.model_forward(model, xs).y[-1], rtol=0, atol=1e-14)
