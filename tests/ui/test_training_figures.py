"""The training-lab figures plot the history's own numbers and survive empty, partial and diverged runs.

History items are run_lab's dicts {"kind", "step", "loss", "val_loss", "val_acc", "train_acc", "done"},
val_* None between evaluations; sweep results are {"kind", "T", "val_acc"}.
"""
import math

import numpy as np
import pytest

from lstm_core import flow as F
from ui.gradients import figures as gf
from ui.training import figures as tf
from ui.common.palette import cell_color
from ui.common.style import font_size

HISTORY_BUILDERS = [tf.loss_curves, lambda h, **kw: tf.accuracy_curves(h, 0.5, **kw),
                    lambda h, **kw: tf.train_val_curves(h, "lstm", **kw)]
ALL_BUILDERS = HISTORY_BUILDERS + [lambda h, **kw: tf.accuracy_vs_delay(_sweep(), 0.5, **kw)]


def _run(kind, n, every=10, seed=0, bad_from=None, bad=math.nan):
    """n steps of a noisy falling loss, evaluated every `every` steps; losses from `bad_from` are `bad`."""
    rng = np.random.default_rng(seed)
    items = []
    for step in range(1, n + 1):
        loss = 0.7 * math.exp(-step / 300) * math.exp(rng.normal(0, 0.2))
        loss = bad if bad_from is not None and step >= bad_from else loss
        evaluated = step % every == 0
        items.append({"kind": kind, "step": step, "loss": loss, "done": step == n,
                      "val_loss": rng.uniform(0.05, 0.8) if evaluated else None,
                      "val_acc": rng.uniform(0.4, 1.0) if evaluated else None,
                      "train_acc": rng.uniform(0.4, 1.0) if evaluated else None})
    return items


def _history(n=100, **kw):
    return {k: _run(k, n, seed=s, **kw) for s, k in enumerate(("rnn_tanh", "lstm", "gru"))}


def _sweep():
    return [{"kind": k, "T": T, "val_acc": acc}
            for k, f in (("rnn_tanh", 20.0), ("lstm", 2000.0)) for T in (5, 10, 20, 50, 100)
            for acc in [0.5 + 0.5 / (1 + (T / f) ** 2)]]


def _by_meta(fig):
    return {tr.meta: tr for tr in fig.data}


def _shape(fig, name):
    (shape,) = [s for s in fig.layout.shapes if s.name == name]
    return shape


def _floats(values):
    return np.asarray(values, dtype=float)


def test_loss_curves_plot_every_steps_loss_and_the_validation_losses_where_measured():
    history = _history()
    traces = _by_meta(tf.loss_curves(history))
    for kind, items in history.items():
        steps = [it["step"] for it in items]
        np.testing.assert_array_equal(_floats(traces[f"raw {kind}"].x), steps)
        np.testing.assert_array_equal(_floats(traces[f"raw {kind}"].y), [it["loss"] for it in items])
        measured = [it for it in items if it["val_loss"] is not None]
        np.testing.assert_array_equal(_floats(traces[f"val {kind}"].x), [it["step"] for it in measured])
        np.testing.assert_array_equal(_floats(traces[f"val {kind}"].y), [it["val_loss"] for it in measured])


@pytest.mark.parametrize("build", HISTORY_BUILDERS)
def test_run_labs_closing_done_item_a_copy_of_the_best_step_is_not_drawn_twice(build):
    history = _history()
    steps = {k: [it["step"] for it in items] for k, items in history.items()}
    for items in history.values():
        best = min((it for it in items if it["val_loss"] is not None), key=lambda it: it["val_loss"])
        items.append({**best, "done": True, "best_step": best["step"]})
    lines = [tr for tr in build(history).data if tr.meta.split()[0] in ("raw", "smooth", "val", "acc")]
    assert lines
    for tr in lines:
        assert np.all(np.diff(_floats(tr.x)) > 0)
        if tr.meta.startswith("raw"):
            assert list(tr.x) == steps[tr.meta.split()[1]]


def test_the_thick_line_is_the_moving_average_of_the_plotted_losses():
    history = _history()
    fig = tf.loss_curves(history, smoothing=0.8)
    for kind, items in history.items():
        expected = tf.smooth([it["loss"] for it in items], 0.8)
        np.testing.assert_allclose(_floats(_by_meta(fig)[f"smooth {kind}"].y), expected)


def test_a_diverged_model_leaves_a_gap_and_a_marker_labelled_diverged_at_its_first_bad_step():
    history = _history(bad_from=61)
    history["gru"] = _run("gru", 100, bad_from=80, bad=math.inf)
    traces = _by_meta(tf.loss_curves(history))
    for kind, first in (("rnn_tanh", 61), ("lstm", 61), ("gru", 80)):
        y = _floats(traces[f"raw {kind}"].y)
        assert np.isnan(y[first - 1:]).all() and np.isfinite(y[:first - 1]).all()
        assert np.isnan(_floats(traces[f"smooth {kind}"].y)[first - 1:]).all()
        mark = traces[f"diverged {kind}"]
        assert list(mark.x) == [first] and "diverged" in mark.text[0]
    marks = [traces[f"diverged {k}"].y[0] for k in ("rnn_tanh", "lstm", "gru")]
    assert len(set(marks)) == 3  # stacked, so the labels do not overprint


def test_models_that_never_diverge_get_no_diverged_marker():
    assert not [tr for tr in tf.loss_curves(_history()).data if tr.meta.startswith("diverged")]


def test_the_loss_axis_holds_every_finite_loss_and_a_zero_sits_on_its_bottom_edge():
    history = _history()
    history["lstm"][-1]["loss"] = 0.0
    fig = tf.loss_curves(history)
    lo, hi = fig.layout.yaxis.range
    assert fig.layout.yaxis.type == "log"
    raw = _by_meta(fig)["raw lstm"]
    assert raw.y[-1] == 10 ** lo and raw.customdata[-1] == 0.0  # drawn at the floor, hover says 0
    finite = [it["loss"] for its in history.values() for it in its if it["loss"] > 0]
    assert 10 ** lo < min(finite) and max(finite) < 10 ** hi


def test_a_linear_loss_axis_starts_at_zero_and_plots_raw_values():
    history = _history()
    fig = tf.loss_curves(history, log_y=False)
    assert fig.layout.yaxis.type in (None, "linear") and fig.layout.yaxis.range[0] == 0
    top = max(it["loss"] for its in history.values() for it in its)
    assert fig.layout.yaxis.range[1] > top


def test_planned_steps_fix_the_x_axis_while_training_runs():
    assert tf.loss_curves(_history(50), steps=1000).layout.xaxis.range[1] >= 1000
    assert tf.accuracy_curves(_history(50), 0.5, steps=1000).layout.xaxis.range[1] >= 1000


def test_accuracy_curves_plot_validation_accuracy_where_measured():
    history = _history()
    traces = _by_meta(tf.accuracy_curves(history, 0.25))
    for kind, items in history.items():
        measured = [it for it in items if it["val_acc"] is not None]
        np.testing.assert_array_equal(_floats(traces[f"acc {kind}"].x), [it["step"] for it in measured])
        np.testing.assert_array_equal(_floats(traces[f"acc {kind}"].y), [it["val_acc"] for it in measured])


@pytest.mark.parametrize("build", [lambda c: tf.accuracy_curves(_history(), c),
                                   lambda c: tf.accuracy_vs_delay(_sweep(), c)])
@pytest.mark.parametrize("chance", [0.1, 0.5])
def test_dashed_lines_sit_at_chance_and_at_95_percent_with_their_words(build, chance):
    fig = build(chance)
    line, goal = _shape(fig, "chance"), _shape(fig, "goal")
    assert line.y0 == line.y1 == chance and goal.y0 == goal.y1 == 0.95
    assert line.line.dash == goal.line.dash == "dash"
    notes = {a.text: a.y for a in fig.layout.annotations}
    assert notes["chance<br>(guessing)"] == chance and notes["95 %"] == 0.95
    assert fig.layout.yaxis.range[0] == 0 and fig.layout.yaxis.range[1] > 1
    assert fig.layout.yaxis.tickformat == ".0%"


@pytest.mark.parametrize("chance", [-0.1, 1.5, "half", None, True])
def test_a_chance_level_outside_0_to_1_is_refused(chance):
    with pytest.raises(ValueError, match="chance"):
        tf.accuracy_curves(_history(), chance)


def test_the_best_validation_marker_sits_at_the_argmin_of_validation_loss():
    history = _history()
    items = history["lstm"]
    val = [(i, it["val_loss"]) for i, it in enumerate(items) if it["val_loss"] is not None]
    best_i, best_loss = min(val, key=lambda p: p[1])
    fig = tf.train_val_curves(history, "lstm")
    line = _shape(fig, "best")
    assert line.x0 == line.x1 == items[best_i]["step"]
    star = _by_meta(fig)["best"]
    assert list(star.x) == [items[best_i]["step"]] and star.customdata[0] == best_loss
    assert any("(the model kept)" in a.text for a in fig.layout.annotations)


def test_train_val_curves_plot_the_models_own_training_and_validation_losses():
    history = _history()
    traces = _by_meta(tf.train_val_curves(history, "rnn_tanh"))
    np.testing.assert_array_equal(_floats(traces["raw rnn_tanh"].y), [it["loss"] for it in history["rnn_tanh"]])
    measured = [it["val_loss"] for it in history["rnn_tanh"] if it["val_loss"] is not None]
    np.testing.assert_array_equal(_floats(traces["val rnn_tanh"].y), measured)
    assert traces["smooth rnn_tanh"].line.color == cell_color("rnn_tanh")


def test_no_best_marker_before_the_first_evaluation():
    fig = tf.train_val_curves({"lstm": _run("lstm", 5, every=10)}, "lstm")
    assert "best" not in _by_meta(fig) and not [s for s in fig.layout.shapes if s.name == "best"]


def test_accuracy_vs_delay_points_are_the_sweep_results_and_the_ticks_the_tested_delays():
    sweep = _sweep()
    fig = tf.accuracy_vs_delay(sweep, 0.5)
    traces = _by_meta(fig)
    for kind in ("rnn_tanh", "lstm"):
        mine = sorted((r["T"], r["val_acc"]) for r in sweep if r["kind"] == kind)
        np.testing.assert_array_equal(_floats(traces[f"acc {kind}"].x), [T for T, _ in mine])
        np.testing.assert_array_equal(_floats(traces[f"acc {kind}"].y), [a for _, a in mine])
    assert list(fig.layout.xaxis.tickvals) == [5, 10, 20, 50, 100]
    assert fig.layout.xaxis.type == "log"  # the delays span a factor of 20


def test_a_running_sweep_draws_what_has_arrived_and_the_last_result_for_a_delay_wins():
    partial = _sweep()[:7] + [{"kind": "lstm", "T": 5, "val_acc": 0.61},
                              {"kind": "gru", "T": 5, "val_acc": None}]
    traces = _by_meta(tf.accuracy_vs_delay(partial, 0.5))
    assert list(traces["acc rnn_tanh"].x) == [5, 10, 20, 50, 100] and list(traces["acc lstm"].x) == [5, 10]
    assert traces["acc lstm"].y[0] == 0.61 and np.isnan(traces["acc gru"].y[0])


def test_close_delays_get_a_linear_axis_unless_log_is_asked_for():
    sweep = [{"kind": "lstm", "T": T, "val_acc": 0.9} for T in (10, 20, 30)]
    assert tf.accuracy_vs_delay(sweep, 0.5).layout.xaxis.type in (None, "linear")
    assert tf.accuracy_vs_delay(sweep, 0.5, log_x=True).layout.xaxis.type == "log"


@pytest.mark.parametrize("build", HISTORY_BUILDERS)
@pytest.mark.parametrize("history", [{}, {"lstm": []}], ids=["no models", "no steps"])
def test_an_empty_history_builds_a_chart_that_says_press_train(build, history):
    fig = build(history)
    assert any(a.text == "press Train to start" for a in fig.layout.annotations)
    assert fig.layout.showlegend is False


def test_an_empty_sweep_builds_a_chart_that_asks_for_one():
    fig = tf.accuracy_vs_delay([], 0.5)
    assert any("run the sweep" in a.text for a in fig.layout.annotations)


@pytest.mark.parametrize("build", HISTORY_BUILDERS)
def test_a_single_step_builds_and_is_visible(build):
    fig = build({"lstm": _run("lstm", 1, every=1)})
    assert all("press Train" not in a.text for a in fig.layout.annotations)
    assert any(tr.mode and "markers" in tr.mode and len(tr.x) == 1 for tr in fig.data)


@pytest.mark.parametrize("build", HISTORY_BUILDERS)
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_losses_and_accuracies_build_without_error(build, bad):
    history = _history(bad_from=30, bad=bad)
    for item in history["lstm"][40:]:
        item["val_loss"] = item["val_acc"] = math.nan if item["val_loss"] is not None else None
    assert build(history).data


def test_every_loss_diverged_from_the_first_step_still_builds():
    fig = tf.loss_curves({"rnn_tanh": _run("rnn_tanh", 20, bad_from=1)})
    assert list(_by_meta(fig)["diverged rnn_tanh"].x) == [1]


@pytest.mark.parametrize("build", [
    tf.loss_curves, lambda h: tf.accuracy_curves(h, 0.5), lambda h: tf.train_val_curves(h, "lstmx"),
    lambda h: tf.accuracy_vs_delay([{"kind": "lstmx", "T": 1, "val_acc": 1}], 0.5)])
def test_unknown_kinds_are_refused_by_name(build):
    with pytest.raises(ValueError, match="lstmx"):
        build({"lstmx": []})


def test_each_lab_kind_keeps_its_gradient_page_colour():
    lab_kinds = ("rnn_tanh", "rnn_sigmoid", "lstm", "gru")
    fig = tf.loss_curves({k: _run(k, 5) for k in lab_kinds})
    gradient_page = gf.norm_lines({k: F.gradient_flow(k, c, np.zeros((5, 1)))
                                   for k, c in F.make_cells(2).items()})
    for kind in lab_kinds:
        solid = next(tr for tr in gradient_page.data if tr.meta == f"{kind} solid")
        assert _by_meta(fig)[f"smooth {kind}"].line.color == solid.line.color
    assert [tr.name for tr in fig.data if tr.showlegend is not False] == [
        "sigmoid RNN", "tanh RNN", "LSTM", "GRU"]


@pytest.mark.parametrize("build", ALL_BUILDERS)
def test_large_switch_enlarges_the_fonts(build):
    normal, large = build(_history()), build(_history(), large=True)
    assert normal.layout.font.size == font_size(False) < large.layout.font.size == font_size(True)
    assert normal.layout.title.font.size < large.layout.title.font.size
    assert normal.layout.legend.font.size < large.layout.legend.font.size


@pytest.mark.parametrize("build", ALL_BUILDERS)
def test_lines_drawn_between_grid_and_curves_use_paper_refs(build):
    """plotly.js 4.1 throws while drawing a layer="between" shape that refers to an axis domain."""
    fig = build(_history())
    for shape in fig.layout.shapes:
        if shape.layer == "between":
            assert "domain" not in f"{shape.xref} {shape.yref}"


@pytest.mark.parametrize("build", ALL_BUILDERS)
def test_live_charts_carry_no_template_to_validate_and_only_plain_svg_traces(build):
    """What keeps them cheap enough to redraw while training (timed in benchmarks/figures.py)."""
    fig = build(_history(300, bad_from=250))
    assert fig.layout.template.layout.to_plotly_json() == {}  # no theme: the look is written out
    assert {tr.type for tr in fig.data} <= {"scatter"}  # SVG lines and markers, never WebGL
