"""Properties every cell keeps, over random shapes and weights (hypothesis)."""
import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import lstm_core as lc

CELLS = {
    "lstm": (lc.LSTMParams, lc.lstm_forward, lc.lstm_backward),
    "rnn": (lc.RNNParams, lc.rnn_forward, lc.rnn_backward),
    "gru": (lc.GRUParams, lc.gru_forward, lc.gru_backward),
}
shapes = st.tuples(st.integers(1, 6), st.integers(1, 3), st.integers(1, 4), st.integers(0, 2**16))
kinds = st.sampled_from(sorted(CELLS))


def _setup(kind, T, I, H, seed, B=None):
    cls, fwd, bwd = CELLS[kind]
    p = cls.init(I, H, seed=seed)
    rng = np.random.default_rng(seed)
    xs = rng.normal(size=(T, I) if B is None else (T, B, I))
    return p, fwd, bwd, xs, rng


@settings(max_examples=30, deadline=None)
@given(kind=kinds, shape=shapes)
def test_a_batch_of_one_equals_the_unbatched_call(kind, shape):
    p, fwd, bwd, xs, rng = _setup(kind, *shape)
    one, batch = fwd(p, xs), fwd(p, xs[:, None, :])
    np.testing.assert_allclose(batch.h[:, 0], one.h, rtol=0, atol=1e-13)
    dh = rng.normal(size=one.h.shape)
    g1, gb = bwd(p, one, dh), bwd(p, batch, dh[:, None, :])
    np.testing.assert_allclose(gb.dxs[:, 0], g1.dxs, atol=1e-12)
    for name, value in g1.params.arrays().items():
        np.testing.assert_allclose(getattr(gb.params, name), value, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(kind=kinds, shape=shapes, lengths=st.lists(st.integers(1, 6), min_size=1, max_size=3))
def test_a_masked_batch_equals_each_sequence_run_alone(kind, shape, lengths):
    T, I, H, seed = shape
    T = max(lengths)
    p, fwd, bwd, xs, rng = _setup(kind, T, I, H, seed, B=len(lengths))
    mask = np.array([[t < n for n in lengths] for t in range(T)], dtype=float)  # (T, B)
    dh = rng.normal(size=(T, len(lengths), H)) * mask[:, :, None]  # no loss on padding
    trace = fwd(p, xs, mask=mask)
    grads = bwd(p, trace, dh)
    total = p.zeros_like()
    for b, n in enumerate(lengths):
        alone = fwd(p, xs[:n, b])
        np.testing.assert_allclose(trace.h[:n, b], alone.h, atol=1e-12)
        np.testing.assert_allclose(trace.h[n:, b], np.broadcast_to(alone.h[-1], trace.h[n:, b].shape),
                                   atol=1e-12)  # padded steps change nothing
        g = bwd(p, alone, dh[:n, b])
        np.testing.assert_allclose(grads.dxs[:n, b], g.dxs, atol=1e-11)
        total = total.replace(**{k: v + getattr(g.params, k) for k, v in total.arrays().items()})
    for name, value in total.arrays().items():
        np.testing.assert_allclose(getattr(grads.params, name), value, atol=1e-11)


@settings(max_examples=30, deadline=None)
@given(kind=kinds, shape=shapes)
def test_from_torch_of_to_torch_round_trips(kind, shape):
    p = _setup(kind, *shape)[0]
    back = type(p).from_torch(**p.to_torch())
    for name, value in p.arrays().items():
        np.testing.assert_allclose(getattr(back, name), value, rtol=0, atol=1e-15)


@settings(max_examples=30, deadline=None)
@given(kind=kinds, shape=shapes, peephole=st.booleans())
def test_from_dict_of_to_dict_round_trips_through_json_text(kind, shape, peephole):
    T, I, H, seed = shape
    cls = CELLS[kind][0]
    p = cls.init(I, H, seed=seed, peephole=True) if kind == "lstm" and peephole else cls.init(I, H, seed=seed)
    back = cls.from_dict(json.loads(json.dumps(p.to_dict())))
    assert back.arrays().keys() == p.arrays().keys()
    for name, value in p.arrays().items():
        np.testing.assert_array_equal(getattr(back, name), value)


@settings(max_examples=10, deadline=None)
@given(kind=kinds, shape=shapes, batched=st.booleans())
def test_an_empty_sequence_runs_and_passes_the_gradient_to_the_initial_state_only(kind, shape, batched):
    _, I, H, seed = shape
    cls, fwd, bwd = CELLS[kind]
    p = cls.init(I, H, seed=seed)
    xs = np.zeros((0, 2, I) if batched else (0, I))
    trace = fwd(p, xs)
    assert trace.h.shape == ((0, 2, H) if batched else (0, H))
    grads = bwd(p, trace, np.zeros(trace.h.shape))
    assert all(not np.any(v) for v in grads.params.arrays().values())
    assert grads.dxs.shape == xs.shape and not np.any(grads.dh0)
