"""The Trade-offs engine: a step's multiply-adds split into the part that can run for all steps at once and
the part that waits for h_{t-1}, the step-by-step dependence itself, the timing generator's structure (never
its times: they depend on the machine), and the learning-rate grid and sweep."""
import dataclasses
import math

import numpy as np
import pytest

from lstm_core import costs, lab
from lstm_core import tradeoffs as X
from lstm_core.cells import CELLS, KINDS
from lstm_core.lstm import lstm_forward
from lstm_core.reference import lstm_run

SIZES = [(1, 1), (2, 8), (2, 32), (5, 3), (1, 128)]  # (I, H)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("I, H", SIZES)
def test_the_two_parts_of_a_step_add_up_to_its_multiply_adds(kind, I, H):
    inputs, recurrent = X.split_multiply_adds(kind, I, H)
    assert inputs + recurrent == costs.step_multiply_adds(kind, I, H)
    assert inputs == X.input_rows(kind, H) * I  # the projection's weight is (gates·H, I)


@pytest.mark.parametrize("kind", ["rnn_tanh", "gru", "lstm", "lstm_coupled"])
@pytest.mark.parametrize("I, H", SIZES)
def test_the_input_part_is_i_over_h_plus_i_of_a_step_without_peepholes(kind, I, H):
    inputs, recurrent = X.split_multiply_adds(kind, I, H)
    assert inputs / (inputs + recurrent) == pytest.approx(I / (H + I))


def test_a_sequence_costs_t_steps_of_the_same_work():
    for T in (1, 10, 200):
        assert X.total_multiply_adds("lstm", 2, 32, T) == T * costs.step_multiply_adds("lstm", 2, 32)


def test_the_input_projection_done_for_all_steps_at_once_gives_the_step_by_step_numbers():
    params = CELLS["lstm"].init(2, 5, seed=3)
    xs = np.random.default_rng(0).standard_normal((12, 2))
    fast = lstm_forward(params, xs)  # the input part of all 12 steps in one product, then the loop
    slow = lstm_run(params, xs)  # one step at a time, each computing W · [h_{t-1}, x_t] whole
    np.testing.assert_allclose(fast.h, np.stack([s.h for s in slow]), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("kind", ["rnn_tanh", "gru", "lstm"])
def test_the_last_step_depends_on_the_first_input_through_every_step_between(kind):
    """h_T changes with x_1 although x_1 reaches it only through h_1, h_2, ...: step T must wait for them."""
    params = CELLS[kind].init(1, 4, seed=1)
    xs = np.random.default_rng(1).standard_normal((20, 1))
    nudged = xs.copy()
    nudged[0] += 0.5
    h, h2 = CELLS[kind].forward(params, xs).h, CELLS[kind].forward(params, nudged).h
    assert np.all(np.abs(h2 - h).max(axis=1) > 0)  # every step, the last one too, moved


def test_timings_give_one_item_per_length_and_kind_in_order_with_consistent_numbers():
    items = list(X.timings(("rnn_tanh", "lstm"), (3, 7), hidden_size=4, input_size=2, batch_size=2, repeats=1))
    assert [(i["kind"], i["T"]) for i in items] == [("rnn_tanh", 3), ("lstm", 3), ("rnn_tanh", 7), ("lstm", 7)]
    for i in items:
        assert i["seconds"] >= 0 and i["projection"] >= 0 and 0 <= i["fraction"] <= 1
        assert i["per_step"] == pytest.approx(i["seconds"] / i["T"])


def test_timings_read_old_kind_names_and_refuse_what_they_cannot_time():
    assert next(X.timings(("rnn",), (2,), hidden_size=2, repeats=1))["kind"] == "rnn_tanh"
    for bad in [dict(kinds=(), lengths=(5,)), dict(kinds=("lstm",), lengths=()),
                dict(kinds=("lstm",), lengths=(0,)), dict(kinds=("lstm",), lengths=(5.5,)),
                dict(kinds=("nope",), lengths=(5,)), dict(kinds=("lstm",), lengths=(5,), hidden_size=0),
                dict(kinds=("lstm",), lengths=(5,), repeats=True)]:
        with pytest.raises(ValueError):
            X.timings(**bad)


def test_median_cpu_seconds_calls_once_to_warm_up_then_repeats():
    calls = []
    X.median_cpu_seconds(lambda: calls.append(1), 4)
    assert len(calls) == 5


def test_the_learning_rate_grid_steps_by_half_decades_as_people_write_them():
    assert X.lr_grid(-4, 0) == (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0)
    assert X.lr_grid(-2, 1) == (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
    with pytest.raises(ValueError):
        X.lr_grid(1, 0)


SMALL = lab.LabConfig(task="remember_first", T=5, kinds=("rnn_tanh", "lstm"), hidden_size=4, steps=20, n_train=64,
                      n_val=32)


def test_the_sweep_trains_each_kind_at_each_rate_and_reports_its_last_step():
    items = list(X.lr_sweep(SMALL, (0.01, 0.1)))
    assert [(i["lr"], i["kind"]) for i in items] == [(0.01, "rnn_tanh"), (0.01, "lstm"), (0.1, "rnn_tanh"),
                                                     (0.1, "lstm")]
    last = {}
    for item in lab.run_lab(dataclasses.replace(SMALL, lr=0.1)):
        if not item["done"] and item["step"] == SMALL.steps:
            last[item["kind"]] = item
    for i in items[2:]:
        assert i["val_loss"] == pytest.approx(last[i["kind"]]["val_loss"])  # evaluated after step 20
        assert i["val_acc"] == last[i["kind"]]["val_acc"] and not i["diverged"]


def test_a_diverged_model_is_marked_with_an_infinite_loss():
    wild = dataclasses.replace(SMALL, optimizer="sgd", clip=None, kinds=("rnn_tanh",), hidden_size=8, steps=30)
    items = list(X.lr_sweep(wild, (10.0,)))
    for i in items:
        assert i["diverged"] == (i["val_loss"] == math.inf)


def test_the_sweep_refuses_rates_the_lab_refuses_before_training_any():
    with pytest.raises(ValueError):
        X.lr_sweep(SMALL, (0.01, 0.0))
    with pytest.raises(ValueError):
        X.lr_sweep(SMALL, ())


def test_learned_lists_the_rates_a_kind_reached_the_level_at():
    items = [{"kind": "lstm", "lr": 0.1, "val_acc": 0.95}, {"kind": "lstm", "lr": 1.0, "val_acc": 0.5},
             {"kind": "gru", "lr": 0.1, "val_acc": 1.0}, {"kind": "lstm", "lr": 3.0, "val_acc": None}]
    assert X.learned(items, "lstm", 0.9) == (0.1,)
    assert X.learned(items, "rnn_tanh", 0.9) == ()
