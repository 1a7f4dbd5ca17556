"""Every Writing-text experiment's sentence on the engine's numbers: each preset is trained once at its
own settings (ui.text.state.config of its state, seed 0), as the page trains it, on the Zen of Python."""
import dataclasses
import functools
import math

import pytest

from lstm_core import text as T
from ui.text import state as TS
from ui.text.corpora import zen
from ui.text.figures import frequency_loss
from ui.text.lessons import PRESETS, WHY
from ui.text.state import config

BY_NAME = {p.name: p for p in PRESETS}
ONE_HOT, RECIPE, STACKED, SMALL = (p.name for p in PRESETS)


@functools.cache
def items(name):
    """Every item of the preset's run (without the models), and its config."""
    cfg = config(BY_NAME[name].state())
    return cfg, [{k: v for k, v in it.items() if k != "model"} for it in T.run_text(zen(), cfg)]


def loss_at(run, step):
    return next(it["loss"] for it in run if it["step"] == step)


def weights(cfg):
    return sum(a.size for a in T.build_model(cfg, T.vocabulary(zen()).size).arrays().values())


def lstm_weights(cfg):
    model = T.build_model(cfg, T.vocabulary(zen()).size)
    return sum(a.size for layer in model.layers for a in layer.fwd.arrays().values())


def test_the_presets_set_what_their_sentences_name():
    assert BY_NAME[ONE_HOT].state() == dataclasses.replace(TS.TextState(), preset=ONE_HOT)  # the defaults
    one_hot = config(BY_NAME[ONE_HOT].state())
    assert (one_hot.encoding, one_hot.target, one_hot.window) == ("onehot", "every", 40)
    recipe = config(BY_NAME[RECIPE].state())
    assert (recipe.encoding, recipe.target, recipe.units, recipe.window, recipe.batch_size, recipe.lr,
            recipe.init, recipe.clip, recipe.steps) == ("integer", "last", 256, 40, 64, 0.001, "keras", None, 60)
    stacked = config(BY_NAME[STACKED].state())
    assert (stacked.layers, stacked.units, stacked.steps) == (2, 128, 200)
    assert config(BY_NAME[SMALL].state()).units == 32
    assert {p.state().corpus for p in PRESETS} == {"zen"}


def test_the_zen_splits_771_to_train_and_85_held_out_with_731_windows():
    n_train, n_test = T.split(len(zen()), 0.1)
    assert (n_train, n_test) == (771, 85)
    recipe = config(BY_NAME[RECIPE].state())
    windows = T.samples_per_epoch(n_train, recipe)
    assert windows == 731 and "731 windows" in BY_NAME[RECIPE].lesson
    assert recipe.steps == 5 * math.ceil(windows / recipe.batch_size)  # "5 passes"
    assert "771 characters" in BY_NAME[ONE_HOT].lesson and "85" in BY_NAME[ONE_HOT].lesson


def test_one_hot_falls_below_1_by_step_100_ends_under_02_recites_the_zen_and_the_held_out_loss_rises():
    cfg, run = items(ONE_HOT)
    assert min(it["loss"] for it in run if it["step"] <= 100) < 1.0
    assert run[-1]["loss"] < 0.2 and run[-1]["step"] == cfg.steps
    assert run[-1]["sample"][:60] in zen()  # "recites the Zen word for word"
    assert run[-1]["val_loss"] > run[0]["val_loss"] + 1.0


def test_the_seeds_recipe_stays_within_01_of_the_frequency_guess_from_step_20():
    _, run = items(RECIPE)
    guess = frequency_loss(zen()[:T.split(len(zen()), 0.1)[0]])
    assert f"{guess:.2f}" == "3.11"
    late = [it["loss"] for it in run if it["step"] >= 20]
    assert len(late) == 9 and all(abs(loss - guess) < 0.1 for loss in late), late
    zen_words = set(zen().split())
    words = run[-1]["sample"].split()
    assert sum(w in zen_words for w in words) < len(words) / 4, words  # "babble": few of the Zen's words


def test_stacked_has_25_times_the_lstm_weights_starts_slower_and_is_level_by_step_200():
    cfg, run = items(STACKED)
    ratio = lstm_weights(cfg) / lstm_weights(config(BY_NAME[ONE_HOT].state()))
    assert round(ratio, 1) == 2.5
    _, one = items(ONE_HOT)
    assert loss_at(run, 80) > 1.5 and loss_at(one, 80) < 1.0
    assert abs(loss_at(run, 200) - loss_at(one, 200)) < 0.02


def test_small_has_an_eighth_of_the_weights_memorises_less_and_its_held_out_loss_turns_before_step_100():
    cfg, run = items(SMALL)
    assert round(weights(config(BY_NAME[ONE_HOT].state())) / weights(cfg)) == 8
    _, one = items(ONE_HOT)
    assert min(it["loss"] for it in run if it["step"] <= 200) < 1.0
    assert run[-1]["step"] == 300 and run[-1]["loss"] > 0.4 and loss_at(one, 300) < 0.2
    best = min(run, key=lambda it: it["val_loss"])
    assert best["step"] < 100 and run[-1]["val_loss"] > best["val_loss"]


@pytest.mark.parametrize("field", sorted(WHY))
def test_every_help_is_one_sentence(field):
    words = WHY[field].rstrip(".")
    assert WHY[field].endswith(".") and "." not in words.replace("0.001", "").replace("e.g", "")
