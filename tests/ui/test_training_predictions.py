"""The lab's regression view and its chart choices: predicted against true plots the engine's own
answers, the accuracy is named by its tolerance, LSTM and GRU lines stay apart where they meet,
the overfitting chart opens on the model that overfits, and every task says what its inputs are.
"""
import numpy as np
import pytest

from lstm_core import lab
from lstm_core.tasks import TASKS, TOLERANCE, make_task, task_metric
from ui.training import figures as tf
from ui.training.history import most_overfit
from ui.training.lessons import GUESSES, INPUT_FEATURES, METRIC_DEFINITIONS

SINE = lab.LabConfig(task="sine", T=8, kinds=("rnn_tanh", "lstm"), hidden_size=3, steps=20, n_train=64,
                     n_val=40, eval_every=10)


def _kept_models(config):
    return {item["kind"]: item["model"] for item in lab.run_lab(config) if item["done"]}


def _by_meta(fig):
    return {tr.meta: tr for tr in fig.data}


def test_predictions_are_each_kept_models_answers_on_the_validation_sequences():
    models = _kept_models(SINE)
    target, answers = lab.predictions(SINE, models)
    val = lab.validation_data(SINE)
    np.testing.assert_array_equal(target, val.target)
    done = {i["kind"]: i for i in lab.run_lab(SINE) if i["done"]}
    for kind, y in answers.items():
        assert y.shape == (40, 1)
        assert task_metric(val, y, target) == done[kind]["val_acc"]  # the table's number, from these dots


def test_predicted_vs_true_plots_those_answers_against_the_truth_with_the_tolerance_band():
    target, answers = lab.predictions(SINE, _kept_models(SINE))
    fig = tf.predicted_vs_true(target, answers, TOLERANCE["sine"])
    traces = _by_meta(fig)
    for kind, y in answers.items():
        np.testing.assert_array_equal(np.asarray(traces[f"pred {kind}"].x, float), target[:, 0])
        np.testing.assert_array_equal(np.asarray(traces[f"pred {kind}"].y, float), y[:, 0])
    band = np.asarray(traces["band"].y, float) - np.asarray(traces["band"].x, float)
    np.testing.assert_allclose(np.abs(band), 0.1)  # the band is the diagonal ±0.1
    lo, hi = fig.layout.xaxis.range
    every = np.concatenate([target[:, 0], *(y[:, 0] for y in answers.values())])
    assert lo < every.min() and every.max() < hi and tuple(fig.layout.yaxis.range) == (lo, hi)


def test_predicted_vs_true_survives_non_finite_answers_and_refuses_unknown_kinds():
    target = np.linspace(0, 1, 5)[:, None]
    fig = tf.predicted_vs_true(target, {"lstm": np.full((5, 1), np.nan)}, 0.1)
    assert np.all(np.isnan(np.asarray(_by_meta(fig)["pred lstm"].y, float)))
    with pytest.raises(ValueError, match="lstmx"):
        tf.predicted_vs_true(target, {"lstmx": target}, 0.1)


def test_a_regression_accuracy_is_named_by_its_tolerance_everywhere():
    history = {"lstm": [{"kind": "lstm", "step": 10, "loss": 0.1, "val_loss": 0.1, "val_acc": 0.5}]}
    assert tf.accuracy_curves(history, 0.1, tolerance=0.04).layout.yaxis.title.text == \
        "validation accuracy within ±0.04"
    assert "right within ±0.04" in tf.accuracy_curves(history, 0.1, tolerance=0.04).layout.title.subtitle.text
    assert tf.accuracy_curves(history, 0.5).layout.yaxis.title.text == "validation accuracy"
    sweep = [{"kind": "lstm", "T": 5, "val_acc": 0.9}]
    assert tf.accuracy_vs_delay(sweep, 0.1, tolerance=0.1).layout.yaxis.title.text == \
        "validation accuracy within ±0.1"


def test_in_the_sweep_lstm_and_gru_at_the_same_accuracy_differ_in_width_dash_and_marker():
    sweep = [{"kind": k, "T": T, "val_acc": 1.0} for k in ("lstm", "gru") for T in (5, 10, 20)]
    traces = _by_meta(tf.accuracy_vs_delay(sweep, 0.5))
    lstm, gru = traces["acc lstm"], traces["acc gru"]
    assert lstm.line.width > gru.line.width and lstm.line.dash != gru.line.dash
    assert lstm.marker.symbol != gru.marker.symbol and lstm.marker.size > gru.marker.size
    assert [tr.meta for tr in tf.accuracy_vs_delay(sweep, 0.5).data].index("acc gru") > \
        [tr.meta for tr in tf.accuracy_vs_delay(sweep, 0.5).data].index("acc lstm")  # GRU drawn on top


def _items(kind, val_losses):
    return [{"kind": kind, "step": 10 * (n + 1), "loss": 0.1, "val_loss": v, "val_acc": 0.5}
            for n, v in enumerate(val_losses)]


def test_the_overfitting_chart_opens_on_the_model_whose_validation_loss_rose_most():
    history = {"rnn_tanh": _items("rnn_tanh", [0.7, 0.69, 0.695]),  # noise: under 10 % up
               "lstm": _items("lstm", [0.5, 0.2, 0.3]),  # up 50 %
               "gru": _items("gru", [0.5, 0.1, 0.2])}  # up 100 %
    assert most_overfit(history) == "gru"


def test_without_a_rise_of_10_percent_the_overfitting_chart_opens_on_the_lstm():
    history = {"rnn_tanh": _items("rnn_tanh", [0.7, 0.69, 0.7]), "lstm": _items("lstm", [0.5, 0.2, 0.1]),
               "gru": _items("gru", [0.5, 0.1, 0.05])}
    assert most_overfit(history) == "lstm"
    assert most_overfit({"gru": _items("gru", [0.5, 0.4])}) == "gru"  # no LSTM: the first
    assert most_overfit({"gru": [{"kind": "gru", "step": 1, "loss": 0.1, "val_loss": None}]}) == "gru"


@pytest.mark.parametrize("task", TASKS)
def test_every_task_says_how_many_input_features_it_has(task):
    words = {1: "1 feature", 2: "2 features"}
    assert INPUT_FEATURES[task].startswith(words[make_task(task, 5, 2, seed=0).input_size])


@pytest.mark.parametrize("task", ["adding", "sine"])
def test_a_regression_tasks_definition_names_its_tolerance_guess_and_the_guess_rmse(task):
    data = make_task(task, 30, 5000, seed=0)
    text = METRIC_DEFINITIONS[data.kind].format(tol=TOLERANCE[task], guess=GUESSES[task], rmse=data.guess_rmse)
    assert f"±{TOLERANCE[task]:g}" in text and GUESSES[task] in text and f"{data.guess_rmse:.2f}" in text
    guess = np.ones_like(data.target) if task == "adding" else data.xs[-1]  # each maker's guess
    assert data.guess_rmse == pytest.approx(np.sqrt(np.mean((guess - data.target) ** 2)), rel=1e-12)
    if task == "adding":
        assert data.guess_rmse == pytest.approx(np.sqrt(1 / 6), abs=0.01)  # the sum's std


def _overfit_history(turn_up):
    """300 steps of a falling training loss; validation falls to step 30 then rises (or keeps falling)."""
    items = []
    for step in range(1, 301):
        val = None
        if step % 10 == 0:
            val = 0.7 * (1 + 0.02 * (step - 30)) if turn_up and step > 30 else 0.7 * np.exp(-step / 100)
        items.append({"kind": "lstm", "step": step, "loss": 0.7 * np.exp(-step / 40), "val_loss": val,
                      "val_acc": 0.5 if val else None})
    return {"lstm": items}


def _best_label(fig):
    return next(a for a in fig.layout.annotations if "(the model kept)" in a.text)


def test_the_best_validation_label_moves_to_the_bottom_when_validation_rises_under_the_top():
    label = _best_label(tf.train_val_curves(_overfit_history(turn_up=True), "lstm"))
    assert (label.yanchor, label.y) == ("bottom", 0.02)  # the rising validation line fills the top


def test_the_best_validation_label_stays_at_the_top_where_the_curves_leave_it_free():
    label = _best_label(tf.train_val_curves(_overfit_history(turn_up=False), "lstm"))
    assert (label.yanchor, label.y) == ("top", 0.98)  # everything falls to the bottom right


def test_an_answer_far_off_the_truth_sits_on_the_edge_and_its_hover_keeps_the_value():
    target = np.linspace(-1, 1, 5)[:, None]
    answers = target.copy()
    answers[2] = -1.5e25  # a diverged model's answer
    trace = _by_meta(tf.predicted_vs_true(target, {"rnn_tanh": answers}, 0.1))["pred rnn_tanh"]
    assert trace.y[2] == -2.0 and trace.customdata[2] == -1.5e25  # half the truth's span beyond it
    np.testing.assert_array_equal(np.delete(np.asarray(trace.y, float), 2), np.delete(answers[:, 0], 2))


def test_a_diverged_models_label_moves_to_the_bottom_when_its_loss_climbs_to_the_top():
    items = [{"kind": "rnn_tanh", "step": s, "loss": 10.0 ** (5 * s) if s < 57 else np.nan,
              "val_loss": 10.0 ** (5 * s) if s % 10 == 0 and s < 57 else None, "val_acc": None}
             for s in range(1, 61)]
    for fig in (tf.loss_curves({"rnn_tanh": items}), tf.train_val_curves({"rnn_tanh": items}, "rnn_tanh")):
        mark = _by_meta(fig)["diverged rnn_tanh"]
        lo, hi = fig.layout.yaxis.range
        assert np.log10(mark.y[0]) < lo + 0.3 * (hi - lo)  # near the bottom, under the climbing line
