"""Losses (finite differences, masks, stability), clipping, SGD and Adam (torch's documented steps),
and the training generator (it learns a tiny seeded task and stops whenever the caller stops).
"""
import itertools
import math
import warnings

import numpy as np
import pytest

import lstm_core as lc
from fdcheck import numeric_grad

TOL = 1e-8



MASK = np.array([[1, 1], [1, 0], [0, 0]])  # (T, B) = (3, 2): three valid positions


@pytest.mark.parametrize("mask", [None, MASK], ids=["nomask", "mask"])
def test_mse_gradient_matches_finite_differences(mask):
    rng = np.random.default_rng(0)
    y, target = rng.normal(size=(3, 2, 2)), rng.normal(size=(3, 2, 2))
    loss, dy = lc.mse_loss(y, target, mask)
    np.testing.assert_allclose(dy, numeric_grad(lambda: lc.mse_loss(y, target, mask)[0], y), atol=TOL)
    w = np.ones((3, 2, 1)) if mask is None else MASK[:, :, None]
    assert loss == pytest.approx(np.sum(w * (y - target) ** 2) / (w.sum() * 2), rel=1e-12)


@pytest.mark.parametrize("mask", [None, MASK], ids=["nomask", "mask"])
def test_cross_entropy_gradient_matches_finite_differences(mask):
    rng = np.random.default_rng(1)
    logits, labels = rng.normal(size=(3, 2, 4)), rng.integers(0, 4, size=(3, 2))
    loss, dlogits = lc.softmax_cross_entropy(logits, labels, mask)
    numeric = numeric_grad(lambda: lc.softmax_cross_entropy(logits, labels, mask)[0], logits)
    np.testing.assert_allclose(dlogits, numeric, atol=TOL)
    p = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    picked = np.take_along_axis(p, labels[..., None], -1)[..., 0]
    w = np.ones((3, 2)) if mask is None else MASK
    assert loss == pytest.approx(-np.sum(w * np.log(picked)) / w.sum(), rel=1e-12)


def test_cross_entropy_is_exact_and_finite_for_logits_of_1e4():
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]])
    loss, dlogits = lc.softmax_cross_entropy(logits, np.array([1, 0]))
    assert loss == pytest.approx((2e4 + math.log(3)) / 2, rel=1e-12)  # -log p = 2e4, then log 3
    assert np.all(np.isfinite(dlogits))
    np.testing.assert_allclose(dlogits, [[0.5, -0.5, 0], [-1 / 3, 1 / 6, 1 / 6]], atol=1e-12)


def test_masked_positions_may_hold_padding_labels_and_nan_targets():
    labels = np.array([[2, 0], [1, -1], [-1, 99]])  # -1 and 99 only where MASK is 0
    logits = np.random.default_rng(2).normal(size=(3, 2, 3))
    loss, dlogits = lc.softmax_cross_entropy(logits, labels, MASK)
    assert np.isfinite(loss) and np.all(dlogits[MASK == 0] == 0)
    target = np.where(MASK[:, :, None] > 0, 1.0, np.nan) * np.ones((3, 2, 1))
    loss, dy = lc.mse_loss(np.zeros((3, 2, 1)), target, MASK)
    assert loss == 1.0 and np.all(dy[MASK == 0] == 0)
    with pytest.raises(ValueError, match="0..2"):
        lc.softmax_cross_entropy(logits, labels)


def test_losses_of_an_all_masked_batch_are_zero_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert lc.mse_loss(np.ones((2, 1)), np.zeros((2, 1)), np.zeros(2))[0] == 0.0
        loss, d = lc.softmax_cross_entropy(np.ones((2, 3)), np.array([0, 1]), np.zeros(2))
        assert loss == 0.0 and np.all(d == 0)
        assert lc.accuracy(np.ones((2, 3)), np.array([0, 1]), np.zeros(2)) == 0.0


def test_accuracy_counts_argmax_hits_on_unmasked_positions():
    logits = np.array([[[3.0, 1.0], [0.0, 2.0]], [[1.0, 0.0], [5.0, 4.0]]])  # (T, B, C) = (2, 2, 2)
    labels = np.array([[0, 0], [1, 0]])  # hits: yes, no, no, yes
    assert lc.accuracy(logits, labels) == 0.5
    assert lc.accuracy(logits, labels, np.array([[1, 0], [0, 1]])) == 1.0


def test_loss_shape_mismatches_raise_readable_errors():
    with pytest.raises(ValueError, match="target"):
        lc.mse_loss(np.zeros((3, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="labels must have shape"):
        lc.softmax_cross_entropy(np.zeros((3, 4)), np.zeros(4, dtype=int))
    with pytest.raises(ValueError, match="mask"):
        lc.mse_loss(np.zeros((3, 2)), np.zeros((3, 2)), np.ones(2))


# Optimizers: torch's documented algorithms written out on scalars, step by step.
GRADS = [0.5, -0.2, 0.3, 0.8]


def _run(opt, p0, grads):
    """Apply `opt` to the one-parameter dict {"p": p0} with the given scalar gradients."""
    arrays = {"p": np.array([p0])}
    state = opt.init(arrays)
    trail = []
    for g in grads:
        arrays, state = opt.update(arrays, {"p": np.array([g])}, state)
        trail.append(float(arrays["p"][0]))
    return trail


def test_sgd_first_step_is_p_minus_lr_times_gradient_plus_decay():
    assert _run(lc.SGD(0.1, momentum=0.9, weight_decay=0.01), 1.0, [0.5]) == pytest.approx([0.949], abs=1e-15)


def test_sgd_with_momentum_and_weight_decay_follows_torch_documented_steps():
    lr, mu, wd = 0.1, 0.9, 0.01
    p, b, want = 1.0, None, []
    for g in GRADS:
        g = g + wd * p  # g_t <- g_t + lambda theta_{t-1}
        b = g if b is None else mu * b + g  # b_1 = g_1, then b_t = mu b_{t-1} + (1 - tau) g_t, tau = 0
        p = p - lr * b  # theta_t = theta_{t-1} - gamma b_t
        want.append(p)
    assert _run(lc.SGD(lr, momentum=mu, weight_decay=wd), 1.0, GRADS) == pytest.approx(want, rel=1e-14)


def test_adam_first_step_moves_each_weight_by_lr_against_the_gradient_sign():
    trail = _run(lc.Adam(lr=0.01, eps=0.0), 1.0, [-3.7])  # m_hat / sqrt(v_hat) = g / |g| on step 1
    assert trail == pytest.approx([1.01], abs=1e-15)


def test_adam_with_weight_decay_follows_torch_documented_steps():
    lr, (b1, b2), eps, wd = 0.05, (0.8, 0.99), 1e-6, 0.1
    p, m, v, want = 1.0, 0.0, 0.0, []
    for t, g in enumerate(GRADS, start=1):
        g = g + wd * p  # g_t <- g_t + lambda theta_{t-1}
        m = b1 * m + (1 - b1) * g  # m_t
        v = b2 * v + (1 - b2) * g * g  # v_t
        m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)  # bias corrections
        p = p - lr * m_hat / (math.sqrt(v_hat) + eps)  # theta_t
        want.append(p)
    got = _run(lc.Adam(lr, betas=(b1, b2), eps=eps, weight_decay=wd), 1.0, GRADS)
    assert got == pytest.approx(want, rel=1e-13)


@pytest.mark.parametrize("opt", [lc.SGD(0.1, momentum=0.5), lc.Adam(0.1)], ids=["sgd", "adam"])
def test_optimizers_never_change_their_inputs(opt):
    arrays = {"a": np.ones((2, 2)), "b": np.arange(3.0)}
    grads = {"a": np.full((2, 2), 0.5), "b": np.ones(3)}
    copies = [{k: v.copy() for k, v in d.items()} for d in (arrays, grads)]
    state = opt.init(arrays)
    new, new_state = opt.update(arrays, grads, state)
    new, _ = opt.update(new, grads, new_state)
    for d, copy in zip((arrays, grads), copies):
        assert all(np.array_equal(d[k], copy[k]) for k in d)
    assert state["step"] == 0 and all(np.all(b == 0) for b in list(state.values())[1].values())
    assert not np.array_equal(new["a"], arrays["a"])


@pytest.mark.parametrize("make, message", [
    (lambda: lc.SGD(0.0), "lr"), (lambda: lc.SGD(-1.0), "lr"), (lambda: lc.SGD(float("nan")), "lr"),
    (lambda: lc.SGD("fast"), "lr must be a number"), (lambda: lc.SGD(0.1, momentum=-0.5), "momentum"),
    (lambda: lc.SGD(0.1, weight_decay=float("inf")), "weight_decay"),
    (lambda: lc.Adam(lr=float("inf")), "lr"),
    (lambda: lc.Adam(betas=(1.0, 0.9)), "beta1"), (lambda: lc.Adam(betas=(0.9, float("nan"))), "beta2"),
    (lambda: lc.Adam(betas=0.9), "pair"), (lambda: lc.Adam(eps=-1e-8), "eps"),
])
def test_bad_hyperparameters_raise_a_readable_value_error(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_update_rejects_gradients_for_other_parameters():
    opt = lc.Adam()
    arrays = {"a": np.ones(2)}
    with pytest.raises(ValueError, match=r"missing \['a'\], unexpected \['b'\]"):
        opt.update(arrays, {"b": np.ones(2)}, opt.init(arrays))


def test_clipping_keeps_the_direction_and_caps_the_global_norm():
    grads = {"a": np.array([[3.0, 0.0]]), "b": np.array([4.0])}  # global norm 5
    clipped, norm = lc.clip_by_global_norm(grads, 1.0)
    assert norm == 5.0
    assert 1.0 - 1e-6 < lc.global_norm(clipped) <= 1.0
    scale = clipped["b"][0] / grads["b"][0]  # one positive factor for every entry: same direction
    assert scale > 0 and all(np.allclose(clipped[k], scale * grads[k], rtol=1e-15, atol=0) for k in grads)
    np.testing.assert_allclose(clipped["a"], [[0.6, 0.0]], rtol=1e-6)
    unclipped, norm = lc.clip_by_global_norm(grads, 10.0)
    assert norm == 5.0 and all(np.array_equal(unclipped[k], grads[k]) for k in grads)


def test_global_norm_of_huge_finite_gradients_is_finite():
    grads = {"a": np.full(4, 1e200)}
    assert lc.global_norm(grads) == pytest.approx(2e200, rel=1e-14)
    clipped, _ = lc.clip_by_global_norm(grads, 1.0)
    np.testing.assert_allclose(clipped["a"], np.full(4, 0.5), rtol=1e-12)
    assert lc.global_norm({}) == 0.0


@pytest.mark.parametrize("bad", [np.inf, np.nan])
def test_clipping_a_non_finite_gradient_gives_zeros_without_warnings(bad):
    grads = {"a": np.array([1.0, bad]), "b": np.ones(2)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clipped, norm = lc.clip_by_global_norm(grads, 1.0)
    assert not math.isfinite(norm)
    assert all(np.array_equal(clipped[k], np.zeros_like(grads[k])) for k in grads)
    with pytest.raises(ValueError, match="max_norm"):
        lc.clip_by_global_norm(grads, 0.0)


# Training: a tiny seeded regression task, y_t = x_{t-1} (remember one step).
def _task(seed=0, batch=8, steps=6):
    """Inputs (T, B, 1) and targets (T, B, 1) delayed by one step."""
    xs = np.random.default_rng(seed).uniform(-1, 1, size=(steps, batch, 1))
    target = np.concatenate([np.zeros((1, batch, 1)), xs[:-1]])
    return xs, target


def _mse(y, target, lengths):
    """The loss_fn train expects: masked MSE."""
    return lc.mse_loss(y, target, lc.length_mask(lengths, len(y)))


def test_training_reduces_the_loss_of_a_tiny_seeded_regression():
    model = lc.Model.init("lstm", 1, 4, 1, seed=0)
    xs, target = _task()
    steps = list(lc.train(model, itertools.repeat((xs, target)), _mse, lc.Adam(0.05), steps=80))
    assert [s["step"] for s in steps] == list(range(1, 81))
    first, last = steps[0]["loss"], lc.evaluate(steps[-1]["model"], xs, target, _mse)
    assert last < first / 5
    assert first == pytest.approx(lc.evaluate(model, xs, target, _mse), rel=1e-12)  # measured before the step


def test_training_is_a_generator_the_caller_can_stop_after_three_steps():
    taken = []

    def batches():
        for k in itertools.count():
            taken.append(k)
            yield _task(seed=k)

    model = lc.Model.init("gru", 1, 3, 1, seed=1)
    out = list(itertools.islice(lc.train(model, batches(), _mse, lc.SGD(0.1), steps=1000), 3))
    assert [o["step"] for o in out] == [1, 2, 3] and taken == [0, 1, 2]
    assert all(np.isfinite(o["loss"]) and o["grad_norm"] > 0 for o in out)
    w = [o["model"].arrays()["layers.0.fwd.W_r"] for o in out]
    assert not np.array_equal(w[0], w[1]) and not np.array_equal(w[1], w[2])
    fresh = lc.Model.init("gru", 1, 3, 1, seed=1)
    assert np.array_equal(model.arrays()["layers.0.fwd.W_r"], fresh.arrays()["layers.0.fwd.W_r"])


def test_training_stops_when_the_batches_run_out_and_accepts_lengths():
    model = lc.Model.init("rnn", 1, 3, 1, seed=2)
    xs, target = _task(batch=2)
    lengths = np.array([6, 3])
    out = list(lc.train(model, [(xs, target, lengths)] * 2, _mse, lc.Adam(0.01), steps=10))
    assert len(out) == 2
    padded = xs.copy()
    padded[3:, 1] = 100.0  # padding the loss never sees
    again = list(lc.train(model, [(padded, target, lengths)] * 2, _mse, lc.Adam(0.01), steps=10))
    assert [o["loss"] for o in again] == pytest.approx([o["loss"] for o in out], rel=1e-12)


def test_clip_bounds_each_training_step_and_grad_norm_is_reported_before_clipping():
    model = lc.Model.init("lstm", 1, 3, 1, seed=3)
    xs, target = _task()
    unclipped = next(lc.train(model, [(xs, target)], _mse, lc.SGD(1.0), steps=1))
    clipped = next(lc.train(model, [(xs, target)], _mse, lc.SGD(1.0), steps=1, clip=1e-3))
    assert clipped["grad_norm"] == pytest.approx(unclipped["grad_norm"], rel=1e-12)
    assert clipped["grad_norm"] > 1e-3
    moved = {k: a - model.arrays()[k] for k, a in clipped["model"].arrays().items()}
    assert lc.global_norm(moved) == pytest.approx(1e-3, rel=1e-3)  # SGD, lr 1: the step is the clip


def test_training_a_headless_model_uses_its_top_layer_outputs():
    model = lc.Model.init("lstm", 1, 1, seed=4)
    xs, target = _task(steps=4, batch=2)
    out = list(lc.train(model, itertools.repeat((xs, target)), _mse, lc.Adam(0.05), steps=30))
    assert out[-1]["loss"] < out[0]["loss"]


def test_train_checks_its_arguments_before_the_first_step():
    model = lc.Model.init("lstm", 1, 2, 1)
    with pytest.raises(ValueError, match="steps"):
        lc.train(model, [], _mse, lc.SGD(0.1), steps=-1)
    with pytest.raises(ValueError, match="clip"):
        lc.train(model, [], _mse, lc.SGD(0.1), steps=1, clip=float("nan"))
    with pytest.raises(ValueError, match="each batch"):
        next(lc.train(model, [(np.zeros((2, 1)),)], _mse, lc.SGD(0.1), steps=1))
