"""Every Trade-offs preset's sentence, checked against the engine at the preset's own settings, as the page
runs them: the cost presets' multiply-adds (lstm_core.costs, exact), the overfitting presets' seeded lab runs
and the learning-rate presets' seeded sweeps. No measured time is claimed anywhere, so none is checked."""
import functools
import math

import pytest

from lstm_core import costs, lab
from lstm_core import tradeoffs as X
from ui.tradeoffs import state as TS
from ui.tradeoffs.lessons import EXPERIMENT_NAMES, EXPERIMENT_WHY, PRESETS, RECIPES, WHY
from ui.tradeoffs.words import LEARNED
from ui.training.history import by_kind

CHANCE = 0.5  # parity and remember_first: a coin toss
NEAR_CHANCE = 0.1  # "near chance": within 10 points of it


def _preset(experiment, name):
    lesson = next(p for p in PRESETS[experiment] if p.name == name)
    return lesson.state()


def _mult(kind, H, I=2):
    return costs.step_multiply_adds(kind, I, H)


def _input_share(kind, H, I=2):
    inputs, recurrent = X.split_multiply_adds(kind, I, H)
    return inputs / (inputs + recurrent)


def test_every_preset_is_a_valid_state_of_its_own_experiment_and_names_only_its_recipe():
    for experiment, lessons in PRESETS.items():
        assert set(RECIPES[experiment]) >= {"experiment"}
        for lesson in lessons:
            state = TS.check(lesson.state())
            assert state.experiment == experiment
            assert set(lesson.settings) <= set(RECIPES[experiment])


def test_every_experiment_and_setting_has_its_words():
    assert set(EXPERIMENT_NAMES) == set(TS.EXPERIMENTS) == set(PRESETS) == set(RECIPES)
    assert set(EXPERIMENT_WHY) == {"cost", "overfit", "lr"}  # D's two sections write their own
    prefixes = ("cost_", "fit_", "lr_")
    fields = {f for f in TS.TradeoffsState.__dataclass_fields__ if f.startswith(prefixes)}
    assert fields <= set(WHY)


def test_what_a_step_costs_at_h_32():
    state = _preset("cost", "What a step costs (H = 32)")
    H = state.cost_H
    assert H == 32 and TS.timing_request(state).input_size == 2
    assert (_mult("lstm", H), _mult("gru", H), _mult("rnn_tanh", H)) == (4352, 3264, 1088)
    assert _mult("lstm", H) == 4 * H * (H + 2) and _mult("gru", H) == 3 * H * (H + 2)
    assert _mult("rnn_tanh", H) == H * (H + 2)
    assert _input_share("lstm", H) == 2 / 34 and round(100 * 2 / 34) == 6


def test_wide_cells_do_over_fifteen_times_the_work_with_a_smaller_input_part():
    state = _preset("cost", "Wide cells (H = 128)")
    H = state.cost_H
    assert H == 128 == 4 * 32
    assert _mult("lstm", H) == 66560 and _mult("lstm", H) / _mult("lstm", 32) > 15
    assert round(100 * _input_share("lstm", H), 1) == 1.5


def test_small_cells_do_a_two_hundredth_of_the_wide_ones_work():
    state = _preset("cost", "Small cells (H = 8)")
    H = state.cost_H
    assert (_mult("lstm", H), _mult("rnn_tanh", H)) == (320, 80)
    assert round(_mult("lstm", 128) / _mult("lstm", H), -1) == 210  # "about a two-hundredth"
    assert _input_share("lstm", H) == pytest.approx(0.2)


@functools.cache
def _fit(name):
    """(history of the LSTM without its done item, the done item, the config) of an overfitting preset."""
    cfg = TS.fit_config(_preset("overfit", name))
    history = by_kind(lab.run_lab(cfg))["lstm"]
    return [i for i in history if not i["done"]], history[-1], cfg


def _evaluated(history):
    return [i for i in history if i["val_loss"] is not None]


def _final(name):
    return _evaluated(_fit(name)[0])[-1]


def test_32_examples_are_learned_by_heart_not_parity():
    history = _evaluated(_fit("32 examples, no defence")[0])
    last, best = history[-1], min(history, key=lambda i: i["val_loss"])
    assert last["step"] == 600 and last["train_acc"] == 1.0
    assert abs(last["val_acc"] - CHANCE) <= NEAR_CHANCE
    assert best["step"] == 30 and last["val_loss"] > 5 * best["val_loss"]


def test_dropout_holds_the_memorising_back_but_does_not_teach_parity():
    undefended, last = _final("32 examples, no defence"), _final("Dropout 0.3")
    assert last["val_loss"] < undefended["val_loss"] / 4
    assert last["train_acc"] < 0.9
    assert abs(last["val_acc"] - CHANCE) <= NEAR_CHANCE


def test_weight_decay_holds_the_memorising_back_but_does_not_teach_parity():
    undefended, last = _final("32 examples, no defence"), _final("Weight decay 0.01")
    assert last["val_loss"] < undefended["val_loss"] / 3
    assert last["train_acc"] < 0.9
    assert abs(last["val_acc"] - CHANCE) <= NEAR_CHANCE


def test_early_stopping_ends_before_step_100_and_keeps_the_model_of_step_30():
    history, done, cfg = _fit("Early stopping")
    assert cfg.patience == 5 and cfg.eval_every == 10
    assert max(i["step"] for i in history) < 100
    assert done["best_step"] == 30


def test_4096_examples_leave_nothing_to_memorise_and_do_not_learn_parity_in_600_steps():
    history, _, cfg = _fit("4,096 examples")
    last = _evaluated(history)[-1]
    assert cfg.n_train == 4096 and last["step"] == 600
    assert abs(last["val_loss"] - math.log(2)) < 0.01 and abs(history[-1]["loss"] - math.log(2)) < 0.01
    assert round(math.log(2), 3) == 0.693
    assert abs(last["val_acc"] - CHANCE) <= NEAR_CHANCE


@functools.cache
def _sweep(name):
    """({kind: rates it learned at}, items, rates) of a learning-rate preset."""
    cfg, lrs = TS.sweep_config(_preset("lr", name))
    items = list(X.lr_sweep(cfg, lrs))
    return {kind: X.learned(items, kind, LEARNED) for kind in cfg.kinds}, items, lrs, cfg


def test_with_adam_unclipped_the_lstm_learns_at_the_most_rates_and_the_rnn_at_two_apart():
    learned, items, lrs, cfg = _sweep("Adam, no clipping")
    assert (cfg.T, cfg.steps, cfg.optimizer, cfg.clip) == (20, 150, "adam", None)
    assert LEARNED == 0.9 and len(lrs) == 9 and (lrs[0], lrs[-1]) == (1e-4, 1.0)
    assert learned["lstm"] == (3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0)  # 8: 0.0003 to 1
    assert learned["gru"] == (3e-3, 1e-2, 3e-2, 0.1, 0.3)  # 5: 0.003 to 0.3
    assert learned["rnn_tanh"] == (1e-2, 0.1)  # 2, not 0.03 between them
    assert all(i["val_acc"] < LEARNED for i in items if i["lr"] == 1e-4)


def test_clipping_at_1_doubles_the_rates_the_rnn_learns_at_and_adds_one_to_the_grus():
    unclipped, _, lrs, _ = _sweep("Adam, no clipping")
    learned, _, _, cfg = _sweep("Adam, clipped at 1")
    assert cfg.clip == 1.0 and cfg.optimizer == "adam" and len(lrs) == 9
    assert len(learned["rnn_tanh"]) == 4 == 2 * len(unclipped["rnn_tanh"])
    assert learned["gru"] == unclipped["gru"] + (1.0,) and len(learned["gru"]) == 6
    assert len(learned["lstm"]) == 7 > max(len(learned["gru"]), len(learned["rnn_tanh"]))


def test_plain_sgd_needs_rates_at_least_100_times_adams():
    adam, _, _, _ = _sweep("Adam, no clipping")
    learned, items, lrs, cfg = _sweep("Plain SGD, clipped at 1")
    assert cfg.optimizer == "sgd" and cfg.clip == 1.0
    assert learned["lstm"] == (0.03, 0.1, 0.3, 1.0)
    assert learned["gru"] == (1.0, 3.0) and learned["rnn_tanh"] == (3.0,)
    for kind in cfg.kinds:
        assert min(learned[kind]) >= 100 * min(adam[kind]) * (1 - 1e-9)
    assert all(i["val_acc"] < LEARNED for i in items if i["lr"] == 10.0)


def test_the_sweeps_sentence_each_cell_learns_at_only_some_rates_and_which_differs():
    learned, _, lrs, _ = _sweep("Adam, no clipping")
    assert all(0 < len(rates) < len(lrs) for rates in learned.values())
    assert len(set(learned.values())) == len(learned)
