"""The model layer: stacked and bidirectional cells with a dense head, proved by finite differences.

Every gradient test uses the loss L = sum(R * y) (or sum(R * outputs) without a head) in float64,
central differences with eps = 1e-6, and a tolerance of 1e-7 that a wrong sign, a swapped direction
or a missing mask would miss by orders of magnitude. The property test shows that a padded batch
gives, on its valid steps, exactly what running each sequence alone gives.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lstm_core as lc
from fdcheck import numeric_grad
from modelkit import B, H, I, O, T, make_data, make_model

TOL = 1e-7
KINDS = ["lstm", "gru", "rnn_tanh", "rnn_sigmoid"]


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
    model = make_model()
    xs, R = make_data(model)
    _assert_model_grads_match(model, xs, R, names=["head.W", "head.b"])


@pytest.mark.parametrize("kind", KINDS)
def test_two_layer_stacked_model_every_gradient_matches_finite_differences(kind):
    model = make_model(kind, num_layers=2)
    xs, R = make_data(model)
    _assert_model_grads_match(model, xs, R)


@pytest.mark.parametrize("kind", KINDS)
def test_bidirectional_model_every_gradient_matches_finite_differences(kind):
    model = make_model(kind, bidirectional=True)
    xs, R = make_data(model)
    _assert_model_grads_match(model, xs, R)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_stacked_bidirectional_with_variable_lengths_matches_finite_differences(kind):
    model = make_model(kind, num_layers=2, bidirectional=True)
    lengths = np.array([4, 2])
    xs, R = make_data(model)  # R also weighs padded steps: their zero outputs must pass no gradient
    _assert_model_grads_match(model, xs, R, lengths)


def test_model_without_head_backpropagates_doutputs_exactly():
    model = make_model(num_layers=2, bidirectional=True, head=False)
    xs, R = make_data(model)
    assert lc.model_forward(model, xs).y is None
    _assert_model_grads_match(model, xs, R)


def test_dy_and_doutputs_together_add_their_gradients():
    model = make_model()
    xs, R = make_data(model)
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
    model = make_model(bidirectional=True, head=False)
    xs, _ = make_data(model)
    layer = model.layers[0]
    outputs = lc.model_forward(model, xs).outputs
    _assert_close(outputs[..., :H], lc.lstm_forward(layer.fwd, xs).h, tol=1e-14)
    _assert_close(outputs[..., H:], lc.lstm_forward(layer.bwd, xs[::-1]).h[::-1], tol=1e-14)


def test_second_layer_reads_the_first_layers_output():
    model = make_model(num_layers=2, head=False)
    xs, _ = make_data(model)
    trace = lc.model_forward(model, xs)
    below = lc.lstm_forward(model.layers[0].fwd, xs).h
    _assert_close(trace.outputs, lc.lstm_forward(model.layers[1].fwd, below).h, tol=1e-14)


def test_padded_steps_change_nothing_and_output_zeros():
    model = make_model(num_layers=2, bidirectional=True)
    lengths = np.array([4, 2])
    xs, R = make_data(model, lengths)
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
    model = make_model(kind, num_layers, bidirectional, seed=seed)
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
    model = make_model(num_layers=2, bidirectional=True)
    xs, R = make_data(model)
    one, many = lc.model_forward(model, xs[:, 0]), lc.model_forward(model, xs[:, :1])
    assert one.y.shape == (T, O) and one.outputs.shape == (T, 2 * H)
    _assert_close(one.y, many.y[:, 0], tol=1e-14)
    g_one = lc.model_backward(model, one, dy=R[:, 0])
    g_many = lc.model_backward(model, many, dy=R[:, :1])
    assert g_one.dxs.shape == (T, I)
    _assert_close(g_one.dxs, g_many.dxs[:, 0], tol=1e-14)


def test_float32_model_runs_in_float32_and_agrees_with_float64():
    model = make_model(num_layers=2, bidirectional=True)
    xs, _ = make_data(model)
    small = model.map(lambda a: a.astype(np.float32))
    y32 = lc.model_forward(small, xs).y
    assert y32.dtype == np.float32
    np.testing.assert_allclose(y32, lc.model_forward(model, xs).y, rtol=1e-5, atol=1e-5)


def test_bad_inputs_raise_readable_errors():
    model = make_model()
    xs, R = make_data(model)
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
    headless = make_model(head=False)
    with pytest.raises(ValueError, match="no head"):
        lc.model_backward(headless, lc.model_forward(headless, xs), dy=R)
    with pytest.raises(ValueError, match="kind"):
        lc.Model.init("cnn", I, H)
