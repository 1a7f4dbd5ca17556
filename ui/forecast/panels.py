"""The Forecasting page's parts: the data, the model's summary, the live fit, the results and the traps.

Streamlit glue over pure pieces: the engine (lstm_core.forecast, lstm_core.series), this package's
figures and words. Each function draws one part of the page.
"""
import dataclasses
import hashlib

import numpy as np
import pandas as pd
import streamlit as st

from lstm_core import forecast as F
from lstm_core import series as S
from ui.cell import controls as cell_controls
from ui.cell import state as cell_state
from ui.common import shared_runs
from ui.common.render import show
from ui.forecast import figures as G
from ui.forecast import words as W
from ui.training import runner as R
from ui.training.panels import RUN_WORDS, progress_bar

RUN = "forecast"
LIVE_CHARTS = ("f_loss",)  # the chart a running fragment redraws


@dataclasses.dataclass(frozen=True, eq=False)
class Job:
    """What a run was started with: the series (its data, not only its key) and the engine's config."""

    series: object  # ui.forecast.data.Series
    config: F.ForecastConfig


def data_panel(series, cfg, large):
    """The series with its split marked, its size in windows, and what was done to it."""
    prep = F.prepare(series.values, cfg)
    show(G.series_figure(series.dates, series.values, prep.n_train, name=series.name, unit=series.unit,
                         large=large), key="f_series_fig")
    w = prep.windows
    st.caption(W.split_words(series, prep.n_train, len(w.y_train), len(w.y_test), cfg))
    if series.note:
        st.caption(f"About this data: {series.note}")


def model_panel(cfg):
    """The notes' example 1: the model as a Keras summary, the shapes flowing, return_sequences."""
    rows = [{**row, "Param #": f"{row['Param #']:,}"} for row in G.model_summary(cfg)]  # as Keras prints it
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    st.markdown(f"Shapes, one batch of windows at a time: {G.shape_flow(cfg)}")
    st.caption(W.RETURN_SEQUENCES)


def fingerprint(series):
    """What identifies a series' data: its key and a digest of its values (an upload has key "upload")."""
    return series.key, hashlib.sha256(np.ascontiguousarray(series.values).tobytes()).hexdigest()


def start(series, cfg):
    """Begin a fit of `cfg` on `series`, replacing any earlier one; a class asking for the same fit at
    once shares one computation (ui/common/shared_runs.py)."""
    fit = shared_runs.follow((fingerprint(series), cfg), lambda: F.run_forecast(series.values, cfg))
    R.start(RUN, fit, cfg.epochs, Job(series, cfg))
    st.session_state.pop("forecast_report", None)


def live(large):
    """Progress and the live loss curves, in a fragment that keeps training while the run runs."""
    R.live(RUN, lambda run: _race(run, large))


def _race(run, large):
    if run is None:
        st.info(W.PRESS_TRAIN)
        return
    epoch, epochs = max((item["epoch"] for item in run.items), default=0), run.config.config.epochs
    # not run.count: the runner does not count the last ("done") epoch
    progress_bar(epoch, epochs, f"epoch {epoch} of {epochs} — {RUN_WORDS[run.status]}")
    if run.error:
        st.error(f"Training stopped: {run.error}")
    with st.container():  # alone in its block: see ui/training/panels.keep_charts_drawn
        show(G.loss_figure(run.items, run.config.config.epochs, large=large), key="f_loss")


def report(run):
    """The Report of a finished (or stopped) run's model, computed once per run."""
    kept = st.session_state.get("forecast_report")
    if kept is not None and kept[0] is run:
        return kept[1]
    job = run.config
    result = F.evaluate_forecast(job.series.values, job.config, run.models["lstm"])
    st.session_state["forecast_report"] = (run, result)
    return result


def results(run, current_cfg, current_series, large):
    """Predictions against the series, the errors table against the baselines, the multi-step forecast."""
    if "lstm" not in run.models:
        return
    job, rep = run.config, report(run)
    if job.config != current_cfg or job.series is not current_series:
        st.caption(W.STALE)
    st.subheader("How good is the forecast?")
    prep = F.prepare(job.series.values, job.config)
    show(G.series_figure(job.series.dates, job.series.values, prep.n_train, name=job.series.name,
                         unit=job.series.unit, large=large, report=rep), key="f_pred_fig")
    st.table(pd.DataFrame(W.error_rows(rep.errors, job.series.unit)).set_index("method"))
    st.caption(W.METRICS)
    st.markdown(W.verdict(rep.errors, job.series.unit))
    few = W.few_test_words(rep.t_test.size)
    if few:
        st.warning(few, icon=":material/warning:")
    if rep.horizon and rep.origins >= W.FEW_ORIGINS:
        show(G.horizon_figure(rep.horizon, job.series.unit, large=large), key="f_horizon_fig")
        st.caption(W.horizon_words(rep.horizon, rep.origins, job.series.unit))
    else:
        st.caption(W.no_horizon_words(rep.origins, job.config.horizon))
    test_scaled = prep.scaler.transform(job.series.values[prep.n_train:])
    if test_scaled.min() < 0 or test_scaled.max() > 1:
        st.warning(W.outside_range(test_scaled), icon=":material/warning:")


def traps(series, cfg, large):
    """The recipe's traps, each shown on this series: the leaky scaler, the one-step reshape, small data."""
    st.subheader("The recipe's traps")
    n_train = S.split_point(series.values.size, cfg.train_fraction, cfg.look_back)
    st.markdown(W.LEAK)
    show(G.scaling_figure(series.dates, series.values, n_train, large=large), key="f_scaling_fig")
    st.caption(W.leak_words(series, n_train))
    st.markdown(W.ONE_STEP)
    st.markdown(W.SMALL_DATA)
    windows = S.create_dataset(series.values[:n_train], cfg.look_back)[1].size
    st.caption(W.data_size_words(series.values.size, windows, cfg))


def trained_cell(run):
    """The cell pages' state: the first layer of the kept forecaster on the last test window, or None."""
    model, job = run.models.get("lstm"), run.config
    if model is None:
        return None
    params = model.layers[0].fwd
    if params.hidden_size > cell_state.MAX_HIDDEN or params.input_size > cell_state.MAX_INPUT:
        return None
    prep = F.prepare(job.series.values, job.config)
    window = S.layout(prep.windows.X_test[-1:], job.config.layout)[0]  # (T, I): the last test window
    cell = cell_state.resize(cell_state.CellState(), params.hidden_size, params.input_size)
    return dataclasses.replace(cell.with_params(params).with_sequence(window), source="forecast")


def open_in_cell_pages(run):
    """Carry the trained forecaster's first layer and the last test window to the cell pages."""
    if "lstm" not in run.models:
        return
    cell = trained_cell(run)
    if cell is None:
        st.caption(W.too_big(cell_state.MAX_HIDDEN, cell_state.MAX_INPUT))
        return
    st.markdown("**Look inside the trained forecaster** (its first layer, on the last test window):")
    cell_controls.open_buttons(cell, "f_open", "Open it in {page}")
