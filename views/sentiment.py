"""Sentiment: a word-level LSTM reads a sentence word by word; against a bag of words; padding and masking."""
import streamlit as st

from ui.common import present
from ui.path import panel as path
from ui.readout.panel import explainer
from ui.sentiment import controls as C
from ui.sentiment import padding
from ui.sentiment import panels as P
from ui.sentiment import state as SS
from ui.sentiment import words as W
from ui.training import runner as R
from ui.training.panels import keep_charts_drawn

present.sidebar(C.sidebar)
state = C.SENTIMENT.current()
large = bool(state.large)
st.title("Sentiment")
st.caption(W.CAPTION)
path.checkpoint("sentiment")
if present.shows("presets"):
    C.preset_picker(state)
explainer("many_to_one", large)
cfg = SS.config(state)
P.data_panel(cfg)

if present.shows("settings"):
    with st.expander("The model and its training", expanded=True):
        C.settings(state)
C.show_setting_error()

train_col, stop_col, _ = st.columns([1, 1, 4])
run = R.current(P.RUN)
if train_col.button("Train", key="se_train", type="primary", icon=":material/play_arrow:", width="stretch"):
    P.start(cfg)
    run = R.current(P.RUN)
stop_col.button("Stop", key="se_stop", icon=":material/stop:", width="stretch", on_click=R.stop,
                args=(P.RUN,), disabled=run is None or run.status != "running")
keep_charts_drawn(P.LIVE_CHARTS)
P.live(large)
trained = P.trained_model()
if trained is not None:
    if P.stale(trained, cfg):
        st.caption(W.STALE)
    P.results(trained, large)
    P.try_sentence(trained, state, large)
padding.section(trained or P.untrained_model(cfg), state, large)
