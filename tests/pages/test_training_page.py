"""The training lab: trains live in slices, stops, rejects bad settings, hands the LSTM on."""
import numpy as np
import pytest

from ui.train_state import TRAIN_PRESETS, TrainState

from pagekit import assert_clean, open_page

PAGE = "views/training.py"
QUICK = {"steps": "30", "T": "10", "n_train": "256"}  # a few seconds of training


def _run(at, which="lab_run"):
    return at.session_state[which] if which in at.session_state else None


def _train_to_the_end(at, limit=60):
    at.button(key="t_train").click().run()
    for _ in range(limit):
        if _run(at).status != "running":
            break
        at.run()
    return _run(at)


def test_renders_at_defaults_without_exception():
    at = open_page(PAGE)
    assert_clean(at)
    assert at.title[0].value == "Training lab"


def test_train_advances_in_slices_and_stop_keeps_what_was_learned():
    at = open_page(PAGE)
    at.button(key="t_train").click().run()
    at.run()
    run = _run(at)
    assert run.status == "running" and 0 < run.count < run.total
    at.button(key="t_stop").click().run()
    stopped = _run(at).count
    at.run()
    assert _run(at).status == "stopped" and _run(at).count == stopped
    assert_clean(at)


def test_a_short_training_finishes_and_opens_the_trained_lstm_in_the_cell_page():
    at = open_page(PAGE, QUICK)
    run = _train_to_the_end(at)
    assert run.status == "done" and run.count == 30 * 3
    assert_clean(at)
    lstm = run.models["lstm"].layers[0].fwd
    at.button(key="t_open_cell").click().run()
    assert_clean(at)
    cell = at.session_state["cell_state"]
    np.testing.assert_array_equal(cell.params().W_f, lstm.W_f)
    assert cell.sequence().shape == (10, 2)


def test_a_learning_rate_of_zero_is_refused_and_the_last_good_value_kept():
    at = open_page(PAGE)
    at.number_input(key="t_lr").set_value(0.0).run()
    assert_clean(at)
    assert at.error and "last good setting" in at.error[0].value
    assert at.session_state["train_state"].lr == TrainState().lr


def test_no_model_chosen_is_refused():
    at = open_page(PAGE)
    at.multiselect(key="t_kinds").set_value([]).run()
    assert at.error and "at least one model" in at.error[0].value
    assert at.session_state["train_state"].kinds == TrainState().kinds


@pytest.mark.parametrize("query", [{"lr": "nan"}, {"lr": "0"}, {"batch": "0"}, {"kinds": "cnn"}, {"T": "999"}])
def test_bad_links_warn_and_show_the_defaults(query):
    at = open_page(PAGE, query)
    assert_clean(at)
    assert at.warning and "could not be opened" in at.warning[0].value
    assert at.session_state["train_state"] == TrainState()


@pytest.mark.parametrize("preset", TRAIN_PRESETS, ids=lambda p: p.name)
def test_each_preset_renders_with_its_lesson(preset):
    at = open_page(PAGE)
    at.selectbox(key="t_preset").set_value(preset.name).run()
    assert_clean(at)
    assert any(preset.name in i.value for i in at.info)


def test_the_sweep_runs_and_fills_the_delay_chart():
    at = open_page(PAGE, QUICK)
    at.multiselect(key="t_delays").set_value([5, 10]).run()
    at.button(key="t_sweep_run").click().run()
    for _ in range(80):
        if _run(at, "sweep_run").status != "running":
            break
        at.run()
    run = _run(at, "sweep_run")
    assert run.status == "done" and {(i["kind"], i["T"]) for i in run.items} == {
        (k, T) for k in ("rnn", "lstm", "gru") for T in (5, 10)}
    assert_clean(at)
