"""The lab's toy tasks: shapes, seeding, labels recomputed from the inputs, chance levels, the
last-step loss and metric, and readable errors for bad arguments.
"""
import re

import numpy as np
import pytest

from lstm_core import tasks
from lstm_core.losses import accuracy, softmax_cross_entropy
from lstm_core.tasks import TASKS, make_task, task_loss, task_metric

SHAPES = {"remember_first": (2, (7,), "classify", 2), "adding": (2, (7, 1), "regress", 1),
          "sine": (1, (7, 1), "regress", 1), "parity": (1, (7,), "classify", 2)}  # I, target, kind, n_out


@pytest.mark.parametrize("name", TASKS)
def test_each_task_has_the_documented_shapes(name):
    data = make_task(name, 12, 7, seed=0)
    I, target_shape, kind, n_out = SHAPES[name]
    assert data.xs.shape == (12, 7, I) and data.xs.dtype == np.float64
    assert data.target.shape == target_shape
    assert (data.name, data.kind, data.n_out, data.input_size) == (name, kind, n_out, I)


@pytest.mark.parametrize("name", TASKS)
def test_same_seed_same_data_other_seed_other_data(name):
    a, b, c = (make_task(name, 10, 16, seed=s) for s in (3, 3, 4))
    np.testing.assert_array_equal(a.xs, b.xs)
    np.testing.assert_array_equal(a.target, b.target)
    assert not np.array_equal(a.xs, c.xs)


def test_remember_first_shows_the_label_once_then_noise_of_std_one_half():
    data = make_task("remember_first", 30, 4000, seed=0)
    np.testing.assert_array_equal(data.xs[0, :, 0], 2.0 * data.target - 1.0)  # +1 for label 1
    np.testing.assert_array_equal(data.xs[:, :, 1], np.eye(30)[:, :1].repeat(4000, axis=1))  # marker
    assert np.std(data.xs[1:, :, 0]) == pytest.approx(0.5, rel=0.02)
    assert abs(np.mean(data.xs[1:, :, 0])) < 0.01
    assert set(np.unique(data.target)) == {0, 1} and data.chance == 0.5


def test_adding_marks_one_step_per_half_and_targets_their_sum():
    T, n = 9, 500
    data = make_task("adding", T, n, seed=1)
    marks = data.xs[:, :, 1]
    assert np.all(marks.sum(axis=0) == 2) and set(np.unique(marks)) == {0.0, 1.0}
    assert np.all(marks[:T // 2].sum(axis=0) == 1)  # one in steps 1..4, one in 5..9
    values = data.xs[:, :, 0]
    assert values.min() >= 0.0 and values.max() < 1.0
    np.testing.assert_allclose(data.target[:, 0], (values * marks).sum(axis=0), rtol=0, atol=1e-15)


def test_adding_chance_is_what_the_constant_one_scores():
    data = make_task("adding", 20, 20_000, seed=2)
    assert data.chance == task_metric(data, np.ones((20_000, 1)), data.target)
    assert data.chance == pytest.approx(2 * 0.04 - 0.04**2, abs=0.006)  # P(|U1 + U2 - 1| < 0.04)


def test_sine_target_continues_each_wave():
    data = make_task("sine", 15, 200, seed=3)
    x = np.concatenate([data.xs[:, :, 0], data.target.T])  # (T + 1, n): the wave and its next value
    # a sine obeys x_{t+1} + x_{t-1} = 2 cos(w) x_t; fit 2 cos(w) on the inputs, predict the target
    two_cos = np.sum((x[2:-1] + x[:-3]) * x[1:-2], axis=0) / np.sum(x[1:-2] ** 2, axis=0)
    np.testing.assert_allclose(x[-1], two_cos * x[-2] - x[-3], atol=1e-9)
    assert np.all((two_cos / 2 <= np.cos(0.25)) & (two_cos / 2 >= np.cos(1.0)))  # w in [0.25, 1]


def test_sine_chance_is_what_repeating_the_last_value_scores():
    data = make_task("sine", 15, 5000, seed=4)
    guess = data.xs[-1]  # (n, 1): the last value seen
    assert data.chance == np.mean(np.abs(guess - data.target)[:, 0] < 0.1)
    assert 0.05 < data.chance < 0.3  # frequencies are high enough that persistence mostly misses


def test_parity_label_is_the_sum_of_the_bits_mod_2():
    data = make_task("parity", 11, 300, seed=5)
    bits = data.xs[:, :, 0]
    assert set(np.unique(bits)) == {0.0, 1.0}
    np.testing.assert_array_equal(data.target, bits.sum(axis=0).astype(int) % 2)
    assert data.chance == 0.5


@pytest.mark.parametrize("name", ["remember_first", "parity"])
def test_classification_loss_counts_only_the_last_step(name):
    data = make_task(name, 6, 5, seed=0)
    y = np.random.default_rng(0).normal(size=(6, 5, 2))
    loss, dy = task_loss(data)(y, data.target, None)
    expected, dlast = softmax_cross_entropy(y[-1], data.target)
    assert loss == expected
    np.testing.assert_array_equal(dy[-1], dlast)
    assert not np.any(dy[:-1])
    assert task_metric(data, y[-1], data.target) == accuracy(y[-1], data.target)


@pytest.mark.parametrize("name", ["adding", "sine"])
def test_regression_loss_is_the_last_steps_mse(name):
    data = make_task(name, 6, 5, seed=0)
    y = np.random.default_rng(0).normal(size=(6, 5, 1))
    loss, dy = task_loss(data)(y, data.target, None)
    assert loss == pytest.approx(np.mean((y[-1] - data.target) ** 2), rel=1e-12)
    np.testing.assert_allclose(dy[-1], 2 * (y[-1] - data.target) / 5, rtol=1e-12)
    assert not np.any(dy[:-1])


def test_regression_metric_counts_answers_within_the_tolerance():
    adding, sine = make_task("adding", 6, 4, seed=0), make_task("sine", 6, 4, seed=0)
    assert task_metric(adding, adding.target, adding.target) == 1.0
    assert task_metric(adding, adding.target + [[0.03], [0.05], [-0.03], [-0.05]], adding.target) == 0.5
    assert task_metric(sine, sine.target + 0.05, sine.target) == 1.0  # sine allows 0.1
    assert task_metric(sine, sine.target + 0.15, sine.target) == 0.0


def test_head_keeps_the_first_sequences():
    data = make_task("parity", 5, 10, seed=0)
    first = data.head(3)
    np.testing.assert_array_equal(first.xs, data.xs[:, :3])
    np.testing.assert_array_equal(first.target, data.target[:3])
    assert data.head(50).target.shape == (10,)


@pytest.mark.parametrize("args, message", [
    (("copy", 5, 4), "task must be one of"),
    (("parity", 0, 4), "T (sequence length) must be between 1 and 500"),
    (("parity", 501, 4), "between 1 and 500"),
    (("adding", 1, 4), "between 2 and 500"),
    (("sine", 5.0, 4), "T (sequence length) must be a whole number"),
    (("sine", True, 4), "whole number"),
    (("sine", 5, 0), "n (number of sequences) must be between 1 and"),
    (("sine", 5, tasks.MAX_N + 1), "n (number of sequences)"),
])
def test_bad_arguments_raise_readable_errors(args, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make_task(*args, seed=0)


def test_seed_must_be_a_whole_number_at_least_0():
    with pytest.raises(ValueError, match="seed must be at least 0"):
        make_task("parity", 5, 4, seed=-1)
    with pytest.raises(ValueError, match="seed must be a whole number"):
        make_task("parity", 5, 4, seed=None)
