"""The Sequence-to-sequence page's state: its link round-trips, every field's range is the engine's, a link
the page cannot mean says why, the typed input is checked against the task, and *Try it* reads one input
exactly as the engine does."""
import dataclasses
import inspect

import numpy as np
import pytest

from lstm_core import seq2seq as S
from ui.common.lessons import OWN
from ui.common import link
from ui.seq2seq import panels as P
from ui.seq2seq import state as SS
from ui.seq2seq import words as W


def test_the_defaults_are_the_engines_default_run():
    cfg = SS.config(SS.Seq2SeqState())
    assert cfg == S.Seq2SeqConfig()  # reverse, lengths 1..6, H 64, lr 0.01, batch 64, 600 steps, every 20


def test_a_link_round_trips_and_writes_only_what_differs():
    state = SS.Seq2SeqState(task="add", min_len=2, max_len=3, units=16, reverse_input=1, lr="0.005", batch=32,
                            steps=1000, seed=7, text="12+34", large=1)
    query = link.to_query(state)
    assert SS.from_query(query) == state
    assert link.to_query(SS.Seq2SeqState()) == {}


@pytest.mark.parametrize("query,words", [
    ({"task": "copy"}, "'task' must be one of"),
    ({"max_len": "11"}, "'max_len' must lie within 1..10"),
    ({"units": "1"}, "'units' must lie within 2..128"),
    ({"steps": "abc"}, "'steps' is not valid"),
    ({"min_len": "5", "max_len": "3"}, "shortest training length (5) is longer than the longest (3)"),
    ({"text": "12a"}, "'a' cannot"),
    ({"text": "12+3"}, "no + in it"),
    ({"task": "add", "text": "123"}, "two numbers joined by one +"),
    ({"text": "1234567890123"}, "at most 12 digits"),
    ({"colour": "red"}, "'colour' is not a setting"),
])
def test_a_link_the_page_cannot_mean_says_why(query, words):
    with pytest.raises(ValueError) as err:
        SS.from_query(query)
    assert words in str(err.value)


def test_the_lr_choices_and_the_steps_range_are_what_the_engine_accepts():
    for lr in link.options(SS.Seq2SeqState, "lr"):
        S.validate(dataclasses.replace(S.Seq2SeqConfig(), lr=float(lr)))
    for name, field in (("min_len", "min_len"), ("max_len", "max_len"), ("batch", "batch_size")):
        assert link.bounds(SS.Seq2SeqState, name) == S.LIMITS[field]
    low, high = link.bounds(SS.Seq2SeqState, "steps")
    assert S.LIMITS["steps"][0] <= low and high <= S.LIMITS["steps"][1]


def test_report_every_gives_about_30_items_a_run():
    assert SS.report_every(600) == 20 and SS.report_every(20) == 10 and SS.report_every(3000) == 100


@pytest.mark.parametrize("task,n,text", [("reverse", 6, "271828"), ("sort", 3, "271"), ("add", 2, "27+31")])
def test_the_default_example_is_a_training_length_input_of_the_task(task, n, text):
    assert SS.default_text(task, n) == text
    S.encode_digits(text, task)
    assert S.length_of(task, text) == n


def test_a_typed_input_loses_its_spaces_and_is_refused_when_the_task_cannot_read_it():
    assert SS.check_text(" 12 3 ", "reverse") == "123"
    for bad, task in (("", "sort"), ("  ", "reverse"), ("1+2", "sort"), ("x", "add"), ("1" * 13, "reverse"),
                      ("1" * 13 + "+1", "add")):
        with pytest.raises(ValueError):
            SS.check_text(bad, task)


@pytest.mark.parametrize("reverse_input", [False, True])
def test_reading_one_input_is_what_the_engine_says_for_it(reverse_input):
    cfg = S.Seq2SeqConfig(units=8, reverse_input=reverse_input)
    model = S.build(cfg)
    r = P.read(model, "reverse", reverse_input, "1234")
    batch = S.batch_of("reverse", ["1234"])
    dec = S.greedy(model, batch.src, batch.src_len, reverse_input)
    h, c = S.encode(model, batch.src, batch.src_len, reverse_input)
    assert r.read == (tuple("4321") if reverse_input else tuple("1234"))
    assert np.array_equal(r.h, h[0]) and np.array_equal(r.c, c[0])
    assert r.written == dec.texts[0] and r.answer == "4321"
    assert np.array_equal(r.ids, dec.ids[0, :dec.lengths[0]]) and r.probs.shape == (dec.lengths[0], S.V)
    assert list(r.right) == [4, 3, 2, 1, S.END] and list(r.forced_fed) == [S.START, 4, 3, 2, 1]
    assert np.allclose(r.forced_probs, S.softmax(S.teacher_forced(model, batch, reverse_input))[:, 0])
    assert r.correct == (dec.texts[0] == "4321" and S.END in dec.ids[0])


def test_the_model_digest_changes_with_any_weight():
    model = S.build(S.Seq2SeqConfig(units=4))
    arrays = {k: a.copy() for k, a in model.arrays().items()}
    arrays["head.b"][0] += 1e-6
    assert P.digest(model) == P.digest(S.build(S.Seq2SeqConfig(units=4)))
    assert P.digest(model) != P.digest(model.replace_arrays(arrays))


def test_the_scores_line_names_the_engines_two_test_sets():
    """The line above the charts says how many inputs each accuracy is on: the engine's held set (its size
    read from the engine's run) and accuracy_by_length's count per length."""
    assert f"held = examples(config.task, lengths, {W.HELD_COUNT}, " in inspect.getsource(S._run)
    item = {"step": 600, "accuracy": 1.0, "token_accuracy": 1.0, "loss": 0.005}
    words = W.scores_words(item, (1, 6))
    assert f"a fixed set of {W.HELD_COUNT} inputs of the training lengths 1–6 mixed" in words
    assert f"The bars below test {S.EVAL_COUNT} other inputs of each length" in words


def test_your_own_settings_travel_in_a_link():
    own = SS.Seq2SeqState(units=8, preset=OWN)
    assert SS.from_query(link.to_query(own)) == own and link.to_query(own)["preset"] == OWN


def test_the_stale_caption_names_each_setting_the_model_was_trained_with_that_differs():
    now = S.Seq2SeqConfig()
    trained = dataclasses.replace(now, seed=3, reverse_input=True, lr=0.002)
    words = W.stale(trained, now)
    assert "(input reversed on, now off; learning rate 0.002, now 0.01; random seed 3, now 0); press" in words
    assert set(W.SETTING_NAMES) == {f.name for f in dataclasses.fields(S.Seq2SeqConfig)} - {"clip", "report_every"}
