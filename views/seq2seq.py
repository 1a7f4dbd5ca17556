"""Sequence to sequence: an encoder LSTM reads a digit string into one fixed-size vector, a decoder LSTM
writes the answer; trained live, then opened up."""
import streamlit as st

from ui.common import present
from ui.path import panel as path
from ui.readout import panel as readout
from ui.seq2seq import controls as C
from ui.seq2seq import panels as P
from ui.seq2seq import state as SS
from ui.seq2seq import words as W
from ui.training import runner as R
from ui.training.panels import keep_charts_drawn

present.sidebar(C.sidebar)
state = C.S2S.current()
large = bool(state.large)
st.title("Sequence to sequence")
st.caption(W.CAPTION)
path.checkpoint("seq2seq")
if present.shows("presets"):
    C.preset_picker(state)
readout.explainer("encoder_decoder", large)

if present.shows("settings"):
    with st.expander("The task and the model", expanded=True):
        C.settings(state)
C.show_setting_error()
cfg = SS.config(C.S2S.current())

train_col, stop_col, _ = st.columns([1, 1, 4])
run = R.current(P.RUN)
if train_col.button("Train", key="s2s_train", type="primary", icon=":material/play_arrow:", width="stretch"):
    P.start(cfg)
    run = R.current(P.RUN)
stop_col.button("Stop", key="s2s_stop", icon=":material/stop:", width="stretch", on_click=R.stop,
                args=(P.RUN,), disabled=run is None or run.status != "running")
keep_charts_drawn(P.LIVE_CHARTS)
P.live(cfg, large)
current = P.current_model()
if current is not None:
    model, model_cfg = current
    if P.stale(cfg):
        st.caption(W.stale(model_cfg, cfg))
    P.try_it(model, model_cfg, C.S2S.current(), large)
