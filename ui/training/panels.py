"""The training lab's page parts: the live race, the results, the sweep, and the way to the cell pages.

Streamlit glue over pure pieces: the history helpers and figures of this package, the engine's
run items. Each function draws one part of the page from a `runner.Run`.
"""
import dataclasses
import math

import pandas as pd
import streamlit as st

from lstm_core import lab
from lstm_core.cells import name as cell_name
from lstm_core.tasks import TOLERANCE
from ui.cell import controls as cell_controls
from ui.cell import state as cell_state
from ui.common.render import show
from ui.training.figures import (accuracy_curves, accuracy_vs_delay, loss_curves, metric_title,
                                 predicted_vs_true, train_val_curves)
from ui.training.history import by_kind, columns, diverged_step, most_overfit
from ui.training.lessons import GUESSES, METRIC_DEFINITIONS

OVERFIT_KEY = "t_overfit_kind"  # cleared by a new run, so each run opens on its own most overfit model
RUN_WORDS = {"running": "training…", "stopped": "stopped", "done": "finished", "failed": "failed"}
LIVE_CHARTS = ("t_loss", "t_acc", "t_sweep")  # the charts a running fragment redraws, each alone in its block


def _keep_drawn_rule(key):
    """CSS: while the new copy of chart `key` has no drawing yet, show the drawn copies after it over it."""
    new = f".st-key-{key}:not([data-retained]):not(:has(.main-svg))"
    old = f".st-key-{key}[data-retained]:has(.main-svg)"
    return (f'[data-testid="stVerticalBlock"]:has(> .st-key-{key}) {{ position: relative; }}'
            f"{new} ~ {old} {{ display: block !important; position: absolute; top: 0; left: 0; "
            "width: 100%; opacity: 1 !important; z-index: 1; pointer-events: none; }")


def keep_charts_drawn(keys=LIVE_CHARTS):
    """Keep every live chart (`keys`) drawn while a run redraws it (they blinked out mid-run).

    Streamlit (1.67) hashes a Plotly figure into its chart's element id even under a key, so each
    redraw of a growing curve mounts a new chart that Plotly draws from scratch: its area is blank
    for 0.1 to 0.3 s, longer on a busy server. The earlier copies, drawn, stay in the page as hidden
    "retained" siblings after it; this style shows them in its place until the new one has drawn.
    Each chart is alone in its block, so a copy's top is the chart's top. Measured in Chromium (server
    load 9 on 2 cores, a sample every ~0.3 s): blank in 25 of 190 samples before, 1 to 3 of ~175
    after, each when Streamlit had already dropped every earlier copy.
    """
    st.html("<style>" + "".join(_keep_drawn_rule(key) for key in keys) + "</style>")


def guess(config):
    """The validation sequences of a run with these settings: `.chance` is the level every chart
    marks (what a guesser scores), `.guess_rmse` a regression guess's RMSE."""
    return lab.validation_data(config)


def metric_definition(config, data):
    """The sentence that defines the task's accuracy (and, for a number, its RMSE)."""
    tolerance = TOLERANCE.get(config.task)
    return METRIC_DEFINITIONS[data.kind].format(tol=tolerance or 0, guess=GUESSES[config.task],
                                                rmse=data.guess_rmse or 0.0)


def progress_bar(done, total, text):
    """A progress bar at done/total in whole percent, counted in integers: st.progress turns a float
    into int(100 * value), and 87/300 comes out as 28.999…, a bar one percent short of its words."""
    st.progress(min(100, 100 * done // max(total, 1)), text=text)


def progress_words(run):
    """"step s of S for each of the n models — word": the steps count per model, as set."""
    step = max((item["step"] for item in run.items), default=0)
    n = len(run.config.kinds)
    models = "the model" if n == 1 else f"each of the {n} models"
    return f"step {step} of {run.config.steps} for {models} — {RUN_WORDS[run.status]}"


def step_header(run, steps, replayed):
    """A page's run above its live charts: the progress bar ("step s of S — training…"), why the run
    failed if it did, and `replayed` (the page's words) when a fit finished here before was replayed."""
    step = max((item["step"] for item in run.items), default=0)
    progress_bar(step, steps, f"step {step} of {steps} — {RUN_WORDS[run.status]}")
    if run.error:
        st.error(f"Training stopped: {run.error}")
    if run.config.replayed:
        st.caption(replayed)


def race(run, chance_level, large):
    """Progress and the live loss and accuracy curves of every model."""
    if run is None:
        st.info("Press **Train** to train every chosen model on the same data, side by side.")
        return
    progress_bar(run.count, run.total, progress_words(run))
    if run.error:
        st.error(f"Training stopped: {run.error}")
    history = by_kind(run.items)
    left, right = (st.container(), st.container()) if large else st.columns(2)  # a projector needs the width
    steps = run.config.steps  # the whole budget: the x axis stays still while the curves grow
    with left:
        show(loss_curves(history, large=large, steps=steps), key="t_loss")
    with right:
        show(accuracy_curves(history, chance_level, large=large, steps=steps,
                             tolerance=TOLERANCE.get(run.config.task)), key="t_acc")


def sweep(run, chance_level, large):
    """Final validation accuracy against the delay, filling in as the sweep runs."""
    if run is None:
        st.info("Press **Run the sweep** to train each model at every chosen delay (about a minute).")
        return
    progress_bar(run.count, run.total, f"{run.count} of {run.total} trainings")
    with st.container():  # alone in its block: see keep_charts_drawn
        show(accuracy_vs_delay(run.items, chance_level, large=large, tolerance=TOLERANCE.get(run.config.task)),
             key="t_sweep")


def results_rows(items, task=None):
    """One row per model: steps trained, and the validation accuracy (and for a number to predict,
    the RMSE) of the model the lab keeps (the step of lowest validation loss, the one "Open the
    trained LSTM" carries)."""
    tolerance, rows = TOLERANCE.get(task), []
    for kind, history in by_kind(items).items():
        best = history[-1].get("best_step")
        kept = next((i for i in history if i["step"] == best and i.get("val_acc") is not None), None)
        row = {"model": cell_name(kind), "steps trained": max(i["step"] for i in history),
               metric_title(tolerance): None if kept is None else f"{kept['val_acc']:.1%}"}
        if tolerance is not None:  # the validation loss is the MSE of the last step's answer
            row["validation RMSE"] = None if kept is None else f"{math.sqrt(kept['val_loss']):.3f}"
        rows.append({**row, "kept from step": None if kept is None else kept["step"]})
    return rows


def results_table(run):
    """The results as a plain table (three rows read best without a grid)."""
    st.table(pd.DataFrame(results_rows(run.items, run.config.task)).set_index("model"))
    st.caption("Each model is kept as it was at its lowest validation loss, with or without early "
               "stopping: that is the model whose accuracy is shown (the lowest loss is not always "
               "the highest accuracy on the curve) and the LSTM the buttons below open.")


def divergence_warning(run):
    """Name the models whose loss became NaN or infinite, and say what to try instead."""
    diverged = []
    for kind, items in by_kind(run.items).items():
        r = columns(items)
        step = diverged_step(r["step"], r["loss"])
        if step is not None:
            diverged.append(f"the **{cell_name(kind)}** from step {step}")
    if not diverged:
        return
    clip = "a smaller clip value" if run.config.clip is not None else "clipping the gradient norm (e.g. at 1)"
    st.warning(f"Training diverged: the loss became NaN or infinite for {' and '.join(diverged)}, and "
               f"the weights are lost from there. Try a smaller learning rate (this run used "
               f"{run.config.lr:g}) or {clip}, under **Training settings**.", icon=":material/warning:")


def trained_cell(run):
    """The cell pages' state showing the kept LSTM on one example sequence, or None (no LSTM, too big)."""
    model = run.models.get("lstm")
    if model is None:
        return None
    params = model.layers[0].fwd
    if params.hidden_size > cell_state.MAX_HIDDEN or params.input_size > cell_state.MAX_INPUT:
        return None
    example = lab.validation_data(run.config).xs[:, 0, :]  # a sequence it never trained on
    cell = cell_state.resize(cell_state.CellState(), params.hidden_size, params.input_size)
    return dataclasses.replace(cell.with_params(params).with_sequence(example), source=run.config.task)


def open_in_cell_pages(run):
    """Carry the trained LSTM and one example sequence to the cell pages."""
    if "lstm" not in run.models:
        return
    cell = trained_cell(run)
    if cell is None:
        st.caption(f"The cell pages show H ≤ {cell_state.MAX_HIDDEN}: train with a smaller hidden size "
                   "to open this LSTM there.")
        return
    st.markdown("**See which gates learned to hold the memory:**")
    cell_controls.open_buttons(cell, "t_open", "Open the trained LSTM in {page}")


def overfitting(run, large):
    """Training against validation loss of one chosen model, first the one that overfits most."""
    history = by_kind(run.items)
    kinds = list(history)
    kind = st.selectbox("Overfitting: training against validation loss of", kinds,
                        index=kinds.index(most_overfit(history)), format_func=cell_name,
                        key=OVERFIT_KEY)
    show(train_val_curves(history, kind, large=large, steps=run.config.steps), key="t_trainval")


def predictions(run, large):
    """For a number to predict: every validation answer of each kept model against the truth."""
    tolerance = TOLERANCE.get(run.config.task)
    if tolerance is None or not run.models:
        return
    target, answers = lab.predictions(run.config, run.models)
    show(predicted_vs_true(target, answers, tolerance, large=large), key="t_predictions")
