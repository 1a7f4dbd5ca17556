"""The model layer: stacked and bidirectional cells with a dense head, proved by finite differences.

Every gradient test uses the loss L = sum(R * y) (or sum(R * outputs) without a head) in float64,
central differences with eps = 1e-6, and a tolerance of 1e-7 that a wrong sign, a swapped direction
or a missing mask would miss by orders of magnitude. The property test shows that a padded batch
gives, on its valid steps, exactly what running each sequence alone gives.
"""
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lstm_core as lc
from fdcheck import numeric_grad

T, B, I, H, O = 4, 2, 2, 3, 2
TOL = 1e-7
KINDS = ["lstm", "gru", "rnn", "rnn_sigmoid"]


def _model(kind="lstm", num_layers=1, bidirectional=False, head=True, seed=0):
    """A seeded float64 model with weights doubled so that gates sit away from 0.5."""
    model = lc.Model.init(kind, I, H, O if head else None, num_layers=num_layers,
                          bidirectional=bidirectional, seed=seed)
    return model.map(lambda a: 2.0 * a)


def _data(model, lengths=None, seed=1):
    """Inputs (T, B, I) and loss weights R shaped like y (or outputs without a head)."""
    rng = np.random.default_rng(seed)
    xs = rng.normal(size=(T, B, I))
    width = model.head.W.shape[0] if model.head is not None else model.feature_size
    R = rng.normal(size=(T, B, width))
    if lengths is not None:
        R = R * lc.length_mask(lengths, T)[:, :, None]  # the loss ignores padded steps
    return xs, R


def _loss(model, xs, R, lengths=None):
    """L = sum(R * y), or sum(R * outputs) for a model without a head."""
    trace = lc.model_forward(model, xs, lengths)
    return float(np.sum(R * (trace.outputs if model.head is None else trace.y)))


def _analytic(model, xs, R, lengths=None):
    """model_backward's gradients of the same loss."""
    trace = lc.model_forward(model, xs, lengths)
    if model.head is None:
        return lc.model_backward(model, trace, doutputs=R)
    return lc.model_backward(model, trace, dy=R)



def _numeric_model_grads(model, xs, R, lengths=None, names=None):
    """Finite-difference dL/d array for each name (every array by default)."""
    arrays = {k: v.copy() for k, v in model.arrays().items()}
    out = {}
    for name in names or arrays:
        out[name] = numeric_grad(lambda: _loss(model.replace_arrays(arrays), xs, R, lengths), arrays[name])
    return out


def _assert_close(got, want, tol=TOL):
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


def _assert_model_grads_match(model, xs, R, lengths=None, names=None):
    """Analytic and numeric gradients agree for the named arrays and for xs."""
    grads = _analytic(model, xs, R, lengths)
    analytic = grads.model.arrays()
    for name, numeric in _numeric_model_grads(model, xs, R, lengths, names).items():
        _assert_close(analytic[name], numeric)
    moved = xs.copy()
    _assert_close(grads.dxs, numeric_grad(lambda: _loss(model, moved, R, lengths), moved))


def test_dense_head_gradients_match_finite_differences():
    model = _model()
    xs, R = _data(model)
    _assert_model_grads_match(model, xs, R, names=["head.W", "head.b"])


@pytest.mark.parametrize("kind", KINDS)
def test_two_layer_stacked_model_every_gradient_matches_finite_differences(kind):
    model = _model(kind, num_layers=2)
    xs, R = _data(model)
    _assert_model_grads_match(model, xs, R)


@pytest.mark.parametrize("kind", KINDS)
def test_bidirectional_model_every_gradient_matches_finite_differences(kind):
    model = _model(kind, bidirectional=True)
    xs, R = _data(model)
    _assert_model_grads_match(model, xs, R)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_stacked_bidirectional_with_variable_lengths_matches_finite_differences(kind):
    model = _model(kind, num_layers=2, bidirectional=True)
    lengths = np.array([4, 2])
    xs, R = _data(model)  # R also weighs padded steps: their zero outputs must pass no gradient
    _assert_model_grads_match(model, xs, R, lengths)


def test_model_without_head_backpropagates_doutputs_exactly():
    model = _model(num_layers=2, bidirectional=True, head=False)
    xs, R = _data(model)
    assert lc.model_forward(model, xs).y is None
    _assert_model_grads_match(model, xs, R)


def test_dy_and_doutputs_together_add_their_gradients():
    model = _model()
    xs, R = _data(model)
    trace = lc.model_forward(model, xs)
    D = np.random.default_rng(5).normal(size=trace.outputs.shape)
    both = lc.model_backward(model, trace, dy=R, doutputs=D)
    apart = [lc.model_backward(model, trace, dy=R), lc.model_backward(model, trace, doutputs=D)]
    _assert_close(both.dxs, apart[0].dxs + apart[1].dxs, tol=1e-12)
    _assert_close(both.model.arrays()["layers.0.fwd.W_f"],
                  apart[0].model.arrays()["layers.0.fwd.W_f"] + apart[1].model.arrays()["layers.0.fwd.W_f"],
                  tol=1e-12)
    assert np.all(apart[1].model.head.W == 0)  # doutputs alone never reaches the head


def test_bidirectional_output_is_forward_cell_then_backward_cell_on_reversed_time():
    model = _model(bidirectional=True, head=False)
    xs, _ = _data(model)
    layer = model.layers[0]
    outputs = lc.model_forward(model, xs).outputs
    _assert_close(outputs[..., :H], lc.lstm_forward(layer.fwd, xs).h, tol=1e-14)
    _assert_close(outputs[..., H:], lc.lstm_forward(layer.bwd, xs[::-1]).h[::-1], tol=1e-14)


def test_second_layer_reads_the_first_layers_output():
    model = _model(num_layers=2, head=False)
    xs, _ = _data(model)
    trace = lc.model_forward(model, xs)
    below = lc.lstm_forward(model.layers[0].fwd, xs).h
    _assert_close(trace.outputs, lc.lstm_forward(model.layers[1].fwd, below).h, tol=1e-14)


def test_padded_steps_change_nothing_and_output_zeros():
    model = _model(num_layers=2, bidirectional=True)
    lengths = np.array([4, 2])
    xs, R = _data(model, lengths)
    noisy = xs.copy()
    noisy[2:, 1] = 1e3  # garbage in the padding of sequence 1
    clean_trace, noisy_trace = lc.model_forward(model, xs, lengths), lc.model_forward(model, noisy, lengths)
    _assert_close(noisy_trace.outputs, clean_trace.outputs, tol=1e-14)
    assert np.all(noisy_trace.outputs[2:, 1] == 0)
    clean, dirty = _analytic(model, xs, R, lengths), _analytic(model, noisy, R, lengths)
    for name, g in clean.model.arrays().items():
        _assert_close(dirty.model.arrays()[name], g, tol=1e-12)
    assert np.all(dirty.dxs[2:, 1] == 0)


@settings(max_examples=25, deadline=None)
@given(kind=st.sampled_from(KINDS), num_layers=st.integers(1, 2), bidirectional=st.booleans(),
       lengths=st.lists(st.integers(1, 5), min_size=1, max_size=3), pad=st.integers(0, 2),
       seed=st.integers(0, 2**16))
def test_padded_batch_equals_each_sequence_run_alone(kind, num_layers, bidirectional, lengths, pad, seed):
    model = _model(kind, num_layers, bidirectional, seed=seed)
    rng = np.random.default_rng(seed)
    lengths = np.array(lengths)
    steps, batch = lengths.max() + pad, len(lengths)
    xs = rng.normal(size=(steps, batch, I))
    R = rng.normal(size=(steps, batch, O)) * lc.length_mask(lengths, steps)[:, :, None]
    xs[lc.length_mask(lengths, steps) == 0] = rng.normal(size=I) * 50  # padding holds garbage
    trace = lc.model_forward(model, xs, lengths)
    grads = lc.model_backward(model, trace, dy=R)
    total = {k: np.zeros_like(a) for k, a in model.arrays().items()}
    for b, L in enumerate(lengths):
        alone = lc.model_forward(model, xs[:L, b])  # unbatched (L, I)
        alone_grads = lc.model_backward(model, alone, dy=R[:L, b])
        _assert_close(trace.outputs[:L, b], alone.outputs, tol=1e-12)
        _assert_close(trace.y[:L, b], alone.y, tol=1e-12)
        _assert_close(grads.dxs[:L, b], alone_grads.dxs, tol=1e-12)
        for k, g in alone_grads.model.arrays().items():
            total[k] += g
    for k, g in grads.model.arrays().items():
        _assert_close(g, total[k], tol=1e-10)


def test_unbatched_input_gives_the_batch_of_one_without_its_axis():
    model = _model(num_layers=2, bidirectional=True)
    xs, R = _data(model)
    one, many = lc.model_forward(model, xs[:, 0]), lc.model_forward(model, xs[:, :1])
    assert one.y.shape == (T, O) and one.outputs.shape == (T, 2 * H)
    _assert_close(one.y, many.y[:, 0], tol=1e-14)
    g_one = lc.model_backward(model, one, dy=R[:, 0])
    g_many = lc.model_backward(model, many, dy=R[:, :1])
    assert g_one.dxs.shape == (T, I)
    _assert_close(g_one.dxs, g_many.dxs[:, 0], tol=1e-14)


def test_init_is_seeded_and_shaped_like_torch():
    a = lc.Model.init("lstm", I, H, O, num_layers=2, bidirectional=True, seed=4, forget_bias=2.0)
    b = lc.Model.init("lstm", I, H, O, num_layers=2, bidirectional=True, seed=4, forget_bias=2.0)
    c = lc.Model.init("lstm", I, H, O, num_layers=2, bidirectional=True, seed=5, forget_bias=2.0)
    arrays = a.arrays()
    assert all(np.array_equal(v, b.arrays()[k]) for k, v in arrays.items())
    assert not np.array_equal(arrays["layers.0.fwd.W_f"], c.arrays()["layers.0.fwd.W_f"])
    assert not np.array_equal(arrays["layers.0.fwd.W_f"], arrays["layers.0.bwd.W_f"])
    assert arrays["layers.1.fwd.W_f"].shape == (H, H + 2 * H)  # layer 1 reads [fwd, bwd] of layer 0
    assert arrays["head.W"].shape == (O, 2 * H)
    assert np.all(arrays["layers.1.bwd.b_f"] == 2.0)
    assert list(arrays)[:2] == ["layers.0.fwd.W_f", "layers.0.fwd.W_i"]


def test_from_torch_puts_each_torch_name_in_its_layer_and_direction():
    rng = np.random.default_rng(2)
    gates = {"lstm": 4, "gru": 3, "rnn": 1}
    for kind, G in gates.items():
        sd = {}
        for l, size in enumerate([I, 2 * H]):
            for s in ("", "_reverse"):
                sd.update({f"weight_ih_l{l}{s}": rng.normal(size=(G * H, size)),
                           f"weight_hh_l{l}{s}": rng.normal(size=(G * H, H)),
                           f"bias_ih_l{l}{s}": rng.normal(size=G * H),
                           f"bias_hh_l{l}{s}": rng.normal(size=G * H)})
        head = {"weight": rng.normal(size=(O, 2 * H)), "bias": rng.normal(size=O)}
        model = lc.Model.from_torch(kind, sd, num_layers=2, bidirectional=True, head=head)
        cls = lc.CELLS[lc.canonical(kind)].params_cls
        for l, layer in enumerate(model.layers):
            for direction, s in (("fwd", ""), ("bwd", "_reverse")):
                want = cls.from_torch(*(sd[f"{n}_l{l}{s}"] for n in lc.model.TORCH_NAMES))
                got = getattr(layer, direction)
                assert all(np.array_equal(got.arrays()[k], v) for k, v in want.arrays().items())
        assert np.array_equal(model.head.W, head["weight"]) and np.array_equal(model.head.b, head["bias"])


def test_from_torch_rejects_a_state_dict_of_another_shape_by_name():
    model = lc.Model.init("rnn", I, H, num_layers=1)
    sd = {f"{k}_l0": v for k, v in model.layers[0].fwd.to_torch().items()}
    assert lc.Model.from_torch("rnn", sd, 1, False).layers[0].bwd is None
    with pytest.raises(ValueError, match="missing.*weight_ih_l1"):
        lc.Model.from_torch("rnn", sd, 2, False)
    with pytest.raises(ValueError, match="unexpected.*bias_hh_l0"):
        lc.Model.from_torch("rnn", sd, 0, False)
    with pytest.raises(ValueError, match="kind"):
        lc.Model.from_torch("transformer", sd, 1, False)
    with pytest.raises(ValueError, match="weight and bias"):
        lc.Model.from_torch("rnn", sd, 1, False, head={"W": np.ones((1, H))})


def test_to_dict_survives_json_and_gives_the_same_outputs():
    model = _model("gru", num_layers=2, bidirectional=True)
    xs, _ = _data(model)
    back = lc.Model.from_dict(json.loads(json.dumps(model.to_dict())))
    assert all(np.array_equal(back.arrays()[k], v) for k, v in model.arrays().items())
    np.testing.assert_array_equal(lc.model_forward(back, xs).y, lc.model_forward(model, xs).y)


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(kind="LSTMParams"), "kind 'Model'"),
    (lambda d: d.update(layers=[]), "non-empty"),
    (lambda d: d["layers"][0].update(kind="cnn"), "layer 0"),
    (lambda d: d["layers"].__setitem__(1, d["layers"][0]), "layer 1 reads 2 features"),
    (lambda d: d["head"].update(W=[[0.5] * H] * O), "head reads"),
    (lambda d: d["layers"][0].update(bwd=d["layers"][1]["bwd"]), "same shapes"),
    (lambda d: d["layers"][0]["fwd"].update(b_f=["x"] * H), "b_f must be numbers"),
])
def test_from_dict_explains_what_is_wrong(change, message):
    d = _model(num_layers=2, bidirectional=True).to_dict()
    change(d)
    with pytest.raises(ValueError, match=message):
        lc.Model.from_dict(d)


def test_replace_arrays_returns_a_new_model_and_checks_names_and_shapes():
    model = _model()
    new = model.replace_arrays({"head.b": np.array([1.0, -1.0])})
    assert np.array_equal(new.head.b, [1.0, -1.0]) and not np.array_equal(model.head.b, [1.0, -1.0])
    assert new.layers[0].fwd is model.layers[0].fwd  # untouched parts are shared, never copied
    with pytest.raises(ValueError, match="unknown parameter names"):
        model.replace_arrays({"head.c": np.zeros(O)})
    with pytest.raises(ValueError, match=r"head.b must have shape \(2,\)"):
        model.replace_arrays({"head.b": np.zeros(3)})


def test_float32_model_runs_in_float32_and_agrees_with_float64():
    model = _model(num_layers=2, bidirectional=True)
    xs, _ = _data(model)
    small = model.map(lambda a: a.astype(np.float32))
    y32 = lc.model_forward(small, xs).y
    assert y32.dtype == np.float32
    np.testing.assert_allclose(y32, lc.model_forward(model, xs).y, rtol=1e-5, atol=1e-5)


def test_bad_inputs_raise_readable_errors():
    model = _model()
    xs, R = _data(model)
    trace = lc.model_forward(model, xs)
    with pytest.raises(ValueError, match="features"):
        lc.model_forward(model, np.zeros((T, B, I + 1)))
    with pytest.raises(ValueError, match=r"lengths must have shape \(2,\)"):
        lc.model_forward(model, xs, lengths=[4])
    with pytest.raises(ValueError, match="0..4"):
        lc.model_forward(model, xs, lengths=[5, 1])
    with pytest.raises(ValueError, match="integers"):
        lc.model_forward(model, xs, lengths=[1.5, 2.0])
    with pytest.raises(ValueError, match="dy"):
        lc.model_backward(model, trace)
    headless = _model(head=False)
    with pytest.raises(ValueError, match="no head"):
        lc.model_backward(headless, lc.model_forward(headless, xs), dy=R)
    with pytest.raises(ValueError, match="kind"):
        lc.Model.init("cnn", I, H)
