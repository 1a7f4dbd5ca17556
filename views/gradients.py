"""Vanishing & exploding gradients: exact BPTT in a sigmoid RNN, a tanh RNN, an LSTM and a GRU."""
import streamlit as st

from ui.common import present
from ui.gradients import controls as C
from ui.gradients import panels as P
from ui.path import panel as path

present.sidebar(C.sidebar)
state = C.GRAD.current()
st.title("Vanishing & exploding gradients")
st.caption("The same input goes through four recurrent cells of the same size; a loss on the "
           "last step is backpropagated exactly through time.")
P.primer(state)
path.checkpoint("grad")
if present.shows("presets"):
    C.preset_picker(state)
if present.shows("model"):
    C.model_controls(state)
if present.shows("input"):
    C.input_controls(state)

flows = P.gradient_flows(P.model_of(state))
P.reach_metrics(flows, bool(state.large))
P.explosion_warnings(flows, state.max_norm())
P.norms_and_notes(state)
C.view_picker(state)
P.view_figure(state)
