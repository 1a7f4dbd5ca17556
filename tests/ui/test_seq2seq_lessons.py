"""Every Sequence-to-sequence experiment's sentence on the engine's numbers: each preset is trained once at
its own settings (ui.seq2seq.state.config of its state, seed 0), as the page trains it."""
import dataclasses
import functools

import pytest

from lstm_core import seq2seq as S
from ui.seq2seq import state as SS
from ui.seq2seq.lessons import PRESETS, TASK_WHY, WHY
from ui.seq2seq.state import config

BY_NAME = {p.name: p for p in PRESETS}
DEFAULT, SMALL, REVERSED, SORT, ADD = (p.name for p in PRESETS)


@functools.cache
def trained(name):
    """Every item of the preset's run without its models, and the model at the end."""
    run = list(S.run_seq2seq(config(BY_NAME[name].state())))
    return [{k: v for k, v in it.items() if k != "model"} for it in run], run[-1]["model"]


def items(name):
    return trained(name)[0]


def at(run, step):
    return next(it for it in run if it["step"] == step)


def exact(item):
    """{n: exact-match accuracy} of an item's accuracy against length."""
    return {n: scores[0] for n, scores in item["by_length"].items()}


def first_step(run, level):
    return next(it["step"] for it in run if it["accuracy"] >= level)


def test_the_presets_set_what_their_sentences_name():
    assert BY_NAME[DEFAULT].state() == dataclasses.replace(SS.Seq2SeqState(), preset=DEFAULT)
    cfg = config(BY_NAME[DEFAULT].state())
    assert (cfg.task, cfg.min_len, cfg.max_len, cfg.units, cfg.steps, cfg.reverse_input) == ("reverse", 1, 6, 64, 600,
                                                                                              False)
    assert config(BY_NAME[SMALL].state()) == dataclasses.replace(cfg, units=8)
    assert config(BY_NAME[REVERSED].state()) == dataclasses.replace(cfg, reverse_input=True)
    assert config(BY_NAME[SORT].state()) == dataclasses.replace(cfg, task="sort")
    add = config(BY_NAME[ADD].state())
    assert (add.task, add.min_len, add.max_len, add.steps, add.units) == ("add", 1, 2, 1500, 64)


def test_the_default_learns_its_lengths_and_falls_with_every_digit_past_them():
    run = items(DEFAULT)
    final = exact(run[-1])
    assert all(final[n] >= 0.98 for n in range(1, 7)), final  # "at least 98 % ... of each of those lengths"
    assert final[7] > 0.75 and 0.3 <= final[8] <= 0.7 and final[9] <= 0.1, final
    assert all(final[n] == 0 for n in (10, 11, 12)), final
    assert all(final[n] >= final[n + 1] for n in range(6, 12)), final  # falls with every digit more


def test_a_small_vector_falls_inside_the_training_lengths():
    final, default = exact(items(SMALL)[-1]), exact(items(DEFAULT)[-1])
    assert final[1] == final[2] == 1.0, final
    assert 0.85 <= final[3] <= 0.95 and 0.35 <= final[5] <= 0.45 and 0.15 <= final[6] <= 0.25, final
    assert all(default[n] >= 0.98 for n in (3, 5, 6))


def test_reading_the_input_reversed_learns_more_slowly_on_the_reverse_task():
    reversed_, plain = items(REVERSED), items(DEFAULT)
    assert (first_step(reversed_, 0.9), first_step(plain, 0.9)) == (320, 200)
    assert round(reversed_[-1]["accuracy"], 2) == 0.92 and plain[-1]["accuracy"] == 1.0
    batch = S.batch_of("reverse", ["123456"])
    assert list(S.encoder_inputs(batch.src, batch.src_len, True)[:, 0]) == [6, 5, 4, 3, 2, 1]  # "reads 654321"


def test_sorting_learns_faster_and_carries_further_than_reversing():
    sort, reverse = items(SORT), items(DEFAULT)
    assert round(at(sort, 100)["accuracy"], 2) == 0.97 and round(at(reverse, 100)["accuracy"], 2) == 0.56
    s, r = exact(sort[-1]), exact(reverse[-1])
    assert (round(s[8], 2), round(s[9], 2)) == (0.92, 0.45) and (round(r[8], 2), round(r[9], 2)) == (0.5, 0.05)


def test_adding_gets_one_digit_sums_early_two_digit_sums_late_and_three_digit_sums_never():
    run = items(ADD)
    assert exact(at(run, 400))[1] == 1.0
    assert 0.2 <= exact(at(run, 1000))[2] <= 0.3  # "about 1 in 4"
    final = exact(run[-1])
    assert 0.7 <= final[2] <= 0.8 and final[3] == 0.0, final  # "3 in 4", "all wrong"


@pytest.mark.parametrize("n", [8, 9, 10])
def test_past_the_training_lengths_teacher_forcing_is_right_more_often_than_its_own_outputs(n):
    """words.TEACHER_FORCING: fed its own outputs, one wrong token is read by every later step."""
    cfg = config(BY_NAME[DEFAULT].state())
    _, batch = S.length_set(cfg, [n])
    model = trained(DEFAULT)[1]
    forced, (_, own) = S.teacher_forced_accuracy(model, batch), S.scores(model, batch)
    assert forced > own + 0.02, (forced, own)


def test_every_setting_and_task_has_its_sentence():
    assert set(TASK_WHY) == set(S.TASKS)
    assert {"task", "lengths", "reverse_input", "units", "lr", "batch", "steps", "seed", "text"} <= set(WHY)
    assert "{longest}" in WHY["text"]


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_every_preset_is_a_valid_link(preset):
    assert SS.from_query(SS.link.to_query(preset.state())) == preset.state()
