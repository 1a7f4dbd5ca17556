"""Trade-offs: each disadvantage of LSTMs in the notes shown by an experiment on the engine — computational
cost, overfitting on small data, training difficulty, short-term dependencies and limited context."""
import streamlit as st

from ui.common import present
from ui.path import panel as path
from ui.tradeoffs import context, cost, lr_sweep, overfit, short_term
from ui.tradeoffs import controls as C
from ui.tradeoffs.lessons import CAPTION, EXPERIMENT_WHY

INTROS = {"short_term": short_term, "context": context}  # Helper D's sections: their own words and picker

present.sidebar(C.sidebar)
state = C.TRADEOFFS.current()
large = bool(state.large)
st.title("Trade-offs")
st.caption(CAPTION)
path.checkpoint("tradeoffs")
C.experiment_picker(state)
if state.experiment in EXPERIMENT_WHY:  # the short-term and context sections write their own
    st.markdown(EXPERIMENT_WHY[state.experiment])
elif state.experiment in INTROS:
    INTROS[state.experiment].intro(state, C.TRADEOFFS)
if present.shows("presets"):
    C.preset_picker(state)
if present.shows("settings") and state.experiment in C.SETTINGS:
    with st.expander("Settings", expanded=True):
        C.SETTINGS[state.experiment](state)
C.show_setting_error()
if state.experiment == "cost":
    cost.panel(state, large)
elif state.experiment == "overfit":
    overfit.panel(state, large)
elif state.experiment == "lr":
    lr_sweep.panel(state, large)
elif state.experiment == "short_term":
    short_term.panel(state, C.TRADEOFFS, large)
else:
    context.panel(state, C.TRADEOFFS, large)
