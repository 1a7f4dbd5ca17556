"""lstm_core.context: the count-the-last-k task and its window model, the delay test, the items test.

The default runs are the Trade-offs page's defaults; each claim the page makes about them is
checked here on the engine's numbers (the sentences themselves: tests/ui/test_tradeoffs_context.py).
"""
import numpy as np
import pytest

from lstm_core import context as E
from lstm_core.lab import run_lab
from lstm_core.model_pass import model_forward
from lstm_core.tasks import make_task, task_metric


@pytest.fixture(scope="module")
def short_default():
    cfg = E.ShortTermConfig()
    return cfg, list(E.run_short_term(cfg))


@pytest.fixture(scope="module")
def delays_default():
    cfg = E.DelayConfig()
    return cfg, list(E.run_delays(cfg))


@pytest.fixture(scope="module")
def items_default():
    cfg = E.ItemsConfig()
    return cfg, list(E.run_items(cfg))


def test_the_count_is_the_number_of_ones_among_the_last_k_inputs_earlier_steps_counting_zero():
    xs, y = E.count_task(4, 12, 50, seed=3)
    bits = xs[:, :, 0]
    brute = np.array([[bits[s, max(0, t - 3):t + 1].sum() for t in range(12)] for s in range(50)])
    np.testing.assert_array_equal(y[:, :, 0], brute)
    assert set(np.unique(bits)) == {0.0, 1.0}


def test_windows_hold_x_t_first_then_older_inputs_zeros_before_step_1_and_a_constant():
    xs = np.arange(1.0, 6.0).reshape(1, 5, 1)  # x_1..x_5 = 1..5
    w = E.windows(xs, 3)
    assert w.shape == (1, 5, 4)
    np.testing.assert_array_equal(w[0, 0], [1, 0, 0, 1])
    np.testing.assert_array_equal(w[0, 4], [5, 4, 3, 1])


def test_the_window_model_recovers_the_count_exactly_in_one_solve():
    xs, y = E.count_task(5, 20, 300, seed=0)
    np.testing.assert_allclose(E.fit_window(xs, y, 5), [1, 1, 1, 1, 1, 0], atol=1e-10)


def test_the_default_short_term_run_yields_the_window_model_then_every_lstm_step(short_default):
    cfg, items = short_default
    assert len(items) == cfg.total == 1 + cfg.steps
    assert items[0]["kind"] == "window" and [i["step"] for i in items[1:]] == list(range(1, cfg.steps + 1))
    evaluated = [i["step"] for i in items[1:] if i["val_acc"] is not None]
    assert evaluated == list(range(cfg.eval_every, cfg.steps + 1, cfg.eval_every))


def test_at_k_3_the_window_is_exact_and_the_lstm_matches_it_only_after_many_steps(short_default):
    """The page: 100 % after one solve; the LSTM matches it first at step 190 of 300."""
    s = E.short_term_summary(short_default[1])
    assert s["window_acc"] == 1.0 and s["window_mse"] < 1e-20
    assert s["matched_step"] == 190 and s["lstm_acc"] == 1.0
    assert 0.3 < s["guess_acc"] < 0.45  # always the mean count: the level a model that learned nothing gets


def test_at_k_10_the_lstm_learns_but_stays_short_of_the_window_model_after_300_steps():
    s = E.short_term_summary(list(E.run_short_term(E.ShortTermConfig(k=10))))
    assert s["window_acc"] == 1.0 and s["matched_step"] is None
    assert s["guess_acc"] + 0.5 < s["lstm_acc"] < 0.9  # 87 % against 17 % for the guess


def test_a_short_term_run_is_the_same_for_the_same_seed_and_differs_for_another():
    one = [i["loss"] for i in E.run_short_term(E.ShortTermConfig(steps=20))]
    again = [i["loss"] for i in E.run_short_term(E.ShortTermConfig(steps=20))]
    other = [i["loss"] for i in E.run_short_term(E.ShortTermConfig(steps=20, seed=1))]
    assert one == again and one != other


def test_the_delay_run_trains_both_kinds_then_tests_each_at_every_delay(delays_default):
    cfg, items = delays_default
    assert len(items) == cfg.total
    tests = [(i["cell"], i["T"]) for i in items if i["kind"] == "test"]
    assert cfg.delays == (5, 6, 10, 20, 50, 100, 200, 500)
    assert tests == [(kind, T) for T in cfg.delays for kind in cfg.kinds]


def test_trained_at_delay_5_the_lstm_holds_the_bit_to_delay_500_and_the_rnn_does_not(delays_default):
    """The page: the LSTM right at every delay up to 500; the tanh RNN right at 5, never at 6, 0.2 % at 10."""
    cfg, items = delays_default
    s = E.delay_summary(items, cfg)
    assert s["lstm"]["far"] == 500 and s["lstm"]["worst_acc"] == 1.0
    rnn = s["rnn_tanh"]
    assert rnn["train_acc"] == 1.0 and rnn["next_acc"] == rnn["worst_acc"] == 0.0 and rnn["by_delay"][10] < 0.01


def test_trained_at_delay_5_the_rnns_answer_flips_sign_every_step(delays_default):
    """The page's reading of the RNN's zig-zag: read at every step of one set of sequences, the kept
    tanh RNN is right at steps 5, 7, 9 and wrong at 4, 6, 8, 10: an answer that flips each step, so
    at a delay it was not trained at, the delay decides whether it is right."""
    cfg, _ = delays_default
    rnn = next(i["model"] for i in run_lab(cfg.lab()) if i["done"] and i["kind"] == "rnn_tanh")
    data = make_task("remember_first", 10, cfg.n_test, seed=1)
    y = model_forward(rnn, data.xs).y
    right = [task_metric(data, y[t - 1], data.target) for t in range(4, 11)]
    assert all(acc >= 0.95 if t % 2 else acc <= 0.05 for t, acc in zip(range(4, 11), right))


def test_the_items_run_recalls_few_bits_perfectly_and_many_bits_barely_above_chance(items_default):
    """The page: with H = 8, up to 4 bits at 100 %, 24 bits at 68 % (a coin toss: 50 %)."""
    cfg, items = items_default
    assert len(items) == cfg.total
    by_n = E.items_summary(items)
    assert list(by_n) == list(cfg.counts)
    assert [n for n in by_n if by_n[n] >= 0.95] == [1, 2, 4]
    assert 0.5 < by_n[24] < 0.7 and by_n[8] > by_n[16] > by_n[24]


def test_the_items_task_shows_the_bits_with_a_marker_then_noise_without_one():
    xs, bits = E.items_task(3, 4, 10, seed=0)
    assert xs.shape == (10, 7, 2) and bits.shape == (10, 3)
    np.testing.assert_array_equal(xs[:, :3, 0], bits)
    assert (xs[:, :3, 1] == 1).all() and (xs[:, 3:, 1] == 0).all()
    assert E.recalled(bits * 0.1, bits) == 1.0 and E.recalled(-bits, bits) == 0.0


@pytest.mark.parametrize("make, kwargs, words", [
    (E.ShortTermConfig, {"k": 0}, "k (the window)"),
    (E.ShortTermConfig, {"k": 5, "T": 3}, "T (steps per sequence)"),
    (E.ShortTermConfig, {"steps": 2.5}, "steps"),
    (E.DelayConfig, {"train_delay": 1}, "train_delay"),
    (E.DelayConfig, {"test_delays": (5, 501)}, "a test delay"),
    (E.ItemsConfig, {"hidden_size": True}, "hidden_size"),
    (E.ItemsConfig, {"counts": (0,)}, "a number of items"),
])
def test_settings_the_engine_cannot_run_are_refused_with_the_settings_name(make, kwargs, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        make(**kwargs)
