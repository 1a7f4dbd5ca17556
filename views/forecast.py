"""Forecasting: the notes' stacked-LSTM forecaster on real series, against the baselines it must beat."""
import dataclasses

import streamlit as st

from ui.common import present
from ui.forecast import controls as C
from ui.forecast import panels as P
from ui.forecast import state as FS
from ui.path import panel as path
from ui.training import runner as R
from ui.training.panels import keep_charts_drawn

present.sidebar(C.sidebar)
state = C.FORECAST.current()
large = bool(state.large)
st.title("Forecasting")
st.caption("*The notes* are the LSTM course notes this app is built from; they end with a Keras program "
           "that forecasts stock prices. Here it runs in the app's NumPy engine on series that ship with it: "
           "scale, cut into windows, fit a stacked LSTM, and compare its test error with the simple "
           "forecasts it has to beat.")
path.checkpoint("forecast")
if present.shows("presets"):
    C.preset_picker(state)
series = C.series_of(state)
if series is None:  # "upload" from a link or a new session: no file in this session
    st.warning("This link uses an uploaded CSV file, which stays in the browser session that uploaded "
               "it. Showing the default series; upload the file again below.")
    state = dataclasses.replace(state, series=FS.ForecastState().series)
    C.FORECAST.commit(state)  # the page's state says what it shows: later changes are checked on it
    series = C.series_of(state)
C.series_picker(state)
if present.shows("files"):
    C.upload(state)
C.show_upload_error()
cfg = FS.config(state)
P.data_panel(series, cfg, large)

if present.shows("settings"):
    with st.expander("The recipe", expanded=True):
        C.recipe(state)
C.show_setting_error()
with st.expander("The model, as Keras summarises it", expanded=False):
    P.model_panel(cfg)

train_col, stop_col, _ = st.columns([1, 1, 4])
run = R.current(P.RUN)
if train_col.button("Train", key="f_train", type="primary", icon=":material/play_arrow:", width="stretch"):
    P.start(series, cfg)
    run = R.current(P.RUN)
stop_col.button("Stop", key="f_stop", icon=":material/stop:", width="stretch", on_click=R.stop,
                args=(P.RUN,), disabled=run is None or run.status != "running")
keep_charts_drawn(P.LIVE_CHARTS)
P.live(large)
if run is not None and run.status != "running" and run.items:
    P.results(run, cfg, series, large)
    P.open_in_cell_pages(run)
P.traps(series, cfg, large)
