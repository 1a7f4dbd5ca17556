"""The training lab: trains live in slices, stops, rejects bad settings, hands the LSTM on."""
import json

import numpy as np
import pytest

from lstm_core import lab

from ui.training.history import by_kind, columns, most_overfit
from ui.training.lessons import TRAIN_PRESETS
from ui.training.panels import trained_cell
from ui.training.state import TrainState

from pagekit import assert_clean, open_page

PAGE = "views/training.py"
QUICK = {"steps": "30", "T": "10", "n_train": "256"}  # a few seconds of training
LONG = {"steps": "1000"}  # still running after a few slices
DIVERGING = {"task": "sine", "T": "5", "kinds": "rnn", "H": "32", "lr": "10", "optimizer": "sgd",
             "clip": "0", "batch": "64", "n_train": "64", "steps": "60"}  # the loss is NaN by step 57


def _run(at, which="lab_run"):
    return at.session_state[which] if which in at.session_state else None


def _train_to_the_end(at, limit=60):
    at.button(key="t_train").click().run()
    for _ in range(limit):
        if _run(at).status != "running":
            break
        at.run()
    return _run(at)


def _x_range(at, index):
    """The x axis range of the page's index-th Plotly chart."""
    return json.loads(at.get("plotly_chart")[index].proto.spec)["layout"]["xaxis"]["range"]


def _last_step(run):
    return max(item["step"] for item in run.items)


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
    assert cell.source == "remember_first"  # the cell pages say which lab model they show


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
        (k, T) for k in ("rnn_tanh", "lstm", "gru") for T in (5, 10)}
    assert_clean(at)


def test_the_charts_span_the_whole_step_budget_while_training_and_after_a_stop():
    at = open_page(PAGE, LONG)
    at.button(key="t_train").click().run()
    at.run()
    assert _run(at).status == "running" and _last_step(_run(at)) < 1000
    for chart in (0, 1):  # loss, accuracy
        low, high = _x_range(at, chart)
        assert low == 0 and high >= 1000
    at.button(key="t_stop").click().run()
    low, high = _x_range(at, 2)  # training against validation loss
    assert _run(at).status == "stopped" and low == 0 and high >= 1000


def test_the_progress_text_counts_each_models_steps_not_their_sum_nor_the_closing_summaries():
    at = open_page(PAGE, QUICK)
    run = _train_to_the_end(at)
    assert len(run.items) == 30 * 3 + 3  # a closing item per model
    assert at.get("progress")[0].proto.text == "step 30 of 30 for each of the 3 models — finished"
    assert not at.warning  # nothing diverged


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")  # the divergence under test
def test_a_diverged_model_is_named_with_what_to_try():
    at = open_page(PAGE, DIVERGING)
    run = _train_to_the_end(at)
    assert run.status == "done"
    assert_clean(at)
    text = at.warning[0].value
    assert "tanh RNN" in text and "from step 57" in text
    assert "smaller learning rate" in text and "clipping the gradient norm" in text


def _chart_titles(at):
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def test_a_regression_task_defines_its_accuracy_and_charts_predicted_against_true():
    at = open_page(PAGE, {**QUICK, "task": "sine"})
    captions = " ".join(c.value for c in at.caption)
    assert "within ±0.1 of the true value" in captions and "RMSE" in captions
    assert "repeating the last value seen" in captions  # the guess behind the chance line
    run = _train_to_the_end(at)
    assert_clean(at)
    assert "Predicted against true — validation sequences" in _chart_titles(at)
    table = at.table[0].value
    assert {"validation accuracy within ±0.1", "validation RMSE"} <= set(table.columns)
    rmse = float(table.loc["LSTM", "validation RMSE"])
    kept = next(i for i in run.items if i["kind"] == "lstm" and i["done"])
    assert rmse == pytest.approx(kept["val_loss"] ** 0.5, abs=5e-4)


def test_a_classification_task_shows_no_predicted_against_true_chart():
    at = open_page(PAGE, QUICK)
    _train_to_the_end(at)
    assert "Predicted against true — validation sequences" not in _chart_titles(at)
    assert "validation RMSE" not in at.table[0].value.columns


def test_the_trained_lstm_carries_the_task_it_was_trained_on_and_a_validation_sequence():
    at = open_page(PAGE, {**QUICK, "task": "adding"})
    run = _train_to_the_end(at)
    cell = trained_cell(run)
    assert cell.source == "adding"
    np.testing.assert_array_equal(cell.sequence(), lab.validation_data(run.config).xs[:, 0, :])


def test_the_overfitting_preset_opens_its_chart_on_the_model_whose_validation_loss_turned_up():
    at = open_page(PAGE, {"task": "parity", "T": "8", "n_train": "32", "steps": "200", "H": "16"})
    history = by_kind(_train_to_the_end(at).items)
    kind = at.selectbox(key="t_overfit_kind").value
    assert kind == most_overfit(history)
    val = columns(history[kind])["val_loss"]
    val = val[np.isfinite(val)]
    assert val[-1] > 1.1 * val.min()  # its chart shows the turn


def test_without_overfitting_the_chart_opens_on_the_lstm():
    at = open_page(PAGE, QUICK)
    history = by_kind(_train_to_the_end(at).items)
    assert at.selectbox(key="t_overfit_kind").value == "lstm" == most_overfit(history)
