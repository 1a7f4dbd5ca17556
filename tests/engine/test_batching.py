"""Mini-batches like Keras's fit (every sample once per epoch, seeded orders, the partial batch
kept) and predict, which must equal model_forward batch by batch."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lstm_core as lc

sizes = st.integers(min_value=1, max_value=60)


def _data(n, T=3, I=2, O=1, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, T, I)), rng.normal(size=(n, O))


def test_time_major_and_batch_first_are_inverse_transposes():
    x = np.arange(24.0).reshape(2, 3, 4)  # (B, T, I)
    assert lc.time_major(x).shape == (3, 2, 4)
    np.testing.assert_array_equal(lc.time_major(x)[1, 0], x[0, 1])
    np.testing.assert_array_equal(lc.batch_first(lc.time_major(x)), x)
    with pytest.raises(ValueError, match="3-D"):
        lc.time_major(np.zeros((2, 3)))


@given(n=st.integers(min_value=0, max_value=500), batch=st.integers(min_value=1, max_value=64))
def test_steps_per_epoch_counts_the_partial_batch(n, batch):
    steps = lc.steps_per_epoch(n, batch)
    assert (steps - 1) * batch < n <= steps * batch or (n == 0 and steps == 0)


@settings(max_examples=40, deadline=None)
@given(n=sizes, batch=st.integers(min_value=1, max_value=16), epochs=st.integers(min_value=1, max_value=3),
       seed=st.integers(min_value=0, max_value=10_000))
def test_every_sample_appears_once_per_epoch_and_only_the_last_batch_is_short(n, batch, epochs, seed):
    X, Y = _data(n)
    X[:, 0, 0] = np.arange(n)  # tag each sample by its index
    per_epoch = lc.steps_per_epoch(n, batch)
    batches = list(lc.minibatches(X, Y, batch_size=batch, epochs=epochs, seed=seed))
    assert len(batches) == epochs * per_epoch
    for e in range(epochs):
        chunk = batches[e * per_epoch:(e + 1) * per_epoch]
        seen = np.concatenate([xs[0, :, 0] for xs, _ in chunk]).astype(int)
        assert sorted(seen) == list(range(n))
        assert [len(t) for _, t in chunk[:-1]] == [batch] * (per_epoch - 1)
        assert len(chunk[-1][1]) == n - batch * (per_epoch - 1)
        for xs, target in chunk:  # time-major inputs, each with its own target
            idx = xs[0, :, 0].astype(int)
            np.testing.assert_array_equal(lc.batch_first(xs), X[idx])
            np.testing.assert_array_equal(target, Y[idx])


@given(n=st.integers(min_value=2, max_value=200), seed=st.integers(min_value=0, max_value=10_000),
       epoch=st.integers(min_value=0, max_value=50))
def test_an_epochs_order_is_a_seeded_permutation(n, seed, epoch):
    order = lc.epoch_order(n, epoch=epoch, seed=seed)
    assert sorted(order) == list(range(n))
    np.testing.assert_array_equal(order, lc.epoch_order(n, epoch=epoch, seed=seed))


def test_different_epochs_and_seeds_give_different_orders_and_no_shuffle_keeps_order():
    a, b = lc.epoch_order(100, epoch=0, seed=1), lc.epoch_order(100, epoch=1, seed=1)
    assert not np.array_equal(a, b)
    assert not np.array_equal(a, lc.epoch_order(100, epoch=0, seed=2))
    np.testing.assert_array_equal(lc.epoch_order(5, epoch=3, seed=1, shuffle=False), np.arange(5))


def test_an_epochs_order_does_not_depend_on_the_epochs_drawn_before():
    X, Y = _data(10)
    X[:, 0, 0] = np.arange(10)
    third = list(lc.minibatches(X, Y, batch_size=4, epochs=3, seed=5))[6:]
    order = np.concatenate([xs[0, :, 0] for xs, _ in third]).astype(int)
    np.testing.assert_array_equal(order, lc.epoch_order(10, epoch=2, seed=5))


def test_minibatches_refuse_bad_arguments():
    X, Y = _data(5)
    with pytest.raises(ValueError, match="samples"):
        lc.minibatches(X, Y[:4], batch_size=2, epochs=1, seed=0)
    with pytest.raises(ValueError, match="batch_size"):
        lc.minibatches(X, Y, batch_size=0, epochs=1, seed=0)
    with pytest.raises(ValueError, match="3-D"):
        lc.minibatches(X[:, :, 0], Y, batch_size=2, epochs=1, seed=0)


@pytest.mark.parametrize("readout", lc.READOUTS)
@pytest.mark.parametrize("batch_size", [1, 7, 1024])
def test_predict_equals_model_forward_batch_by_batch(readout, batch_size):
    model = lc.Model.init("lstm", 2, 4, 3, num_layers=2, readout=readout, seed=1)
    X, _ = _data(20)
    got = lc.predict(model, X, batch_size=batch_size)
    y = lc.model_forward(model, lc.time_major(X)).y
    want = y if readout == "last" else lc.batch_first(y)
    assert got.shape == ((20, 3) if readout == "last" else (20, 3, 3))
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-13)


def test_training_over_minibatches_fits_a_sequence_to_one_task():
    X, _ = _data(64, T=4, I=1, seed=3)
    Y = X.sum(axis=(1, 2))[:, None] / 4
    model = lc.Model.init("lstm", 1, 8, 1, readout="last", init="keras", seed=0)
    steps = 20 * lc.steps_per_epoch(64, 16)
    infos = list(lc.train(model, lc.minibatches(X, Y, batch_size=16, epochs=20, seed=0), lc.mse_loss,
                          lc.Adam(1e-2, eps=1e-7), steps=steps))
    assert len(infos) == steps
    before = lc.mse_loss(lc.predict(model, X), Y)[0]
    after = lc.mse_loss(lc.predict(infos[-1]["model"], X), Y)[0]
    assert after < 0.2 * before
