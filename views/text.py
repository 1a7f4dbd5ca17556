"""Writing text: a character-level LSTM trained live, sampled with a temperature."""
import dataclasses

import streamlit as st

from ui.common import present
from ui.path import panel as path
from ui.text import controls as C
from ui.text import files
from ui.text import panels as P
from ui.text import state as TS
from ui.text import units_panel
from ui.text import words as W
from ui.training import runner as R
from ui.training.panels import keep_charts_drawn

present.sidebar(C.sidebar)
state = C.TEXT.current()
large = bool(state.large)
st.title("Writing text")
st.caption(W.CAPTION)
path.checkpoint("text")
if present.shows("presets"):
    C.preset_picker(state)
corpus = C.corpus_of(state)
if corpus is None:  # "own" from a link or a new session: no text in this session
    st.warning("This link uses a text of your own, which stays in the browser session that read it. "
               "Showing the default corpus; paste or upload your text again below.")
    state = dataclasses.replace(state, corpus=TS.TextState().corpus)
    C.TEXT.commit(state)  # the page's state says what it shows: later changes are checked on it
    corpus = C.corpus_of(state)
C.corpus_picker(state)
if present.shows("files"):
    C.own_text(state)
C.show_own_error()
cfg = TS.config(state)
P.corpus_panel(*corpus, cfg)

if present.shows("settings"):
    with st.expander("The recipe", expanded=True):
        C.recipe(state)
C.show_setting_error()

train_col, stop_col, _ = st.columns([1, 1, 4])
run = R.current(P.RUN)
if train_col.button("Train", key="tx_train", type="primary", icon=":material/play_arrow:", width="stretch"):
    P.start(corpus[1], cfg)
    run = R.current(P.RUN)
stop_col.button("Stop", key="tx_stop", icon=":material/stop:", width="stretch", on_click=R.stop,
                args=(P.RUN,), disabled=run is None or run.status != "running")
keep_charts_drawn(P.LIVE_CHARTS)
P.live(large)
current = P.current_model()
if current is None and run is None and present.shows("files"):
    with st.expander("…or load a model saved from this page", icon=":material/upload_file:"):
        files.load()
if current is not None:
    model, vocab, model_cfg, model_corpus = current
    loaded = P.newer_loaded()
    if loaded is not None:
        st.info(W.LOADED.format(name=loaded.name, after=W.LOADED_AFTER if run is not None else ""))
    elif P.stale(model, cfg, corpus[1]):
        st.caption(W.STALE)
    generated_text = P.generation(model, vocab, model_cfg, model_corpus, C.TEXT.current(), large)
    units_panel.section(model, vocab, model_cfg, model_corpus, generated_text, C.TEXT.current(), large)
    if present.shows("files"):
        files.section(model, vocab, model_cfg, C.TEXT.current(), large, corpus_text=model_corpus,
                      generated_text=generated_text)
