"""Variants: peephole, coupled-gate, GRU, stacked and bidirectional LSTMs, each beside the plain LSTM on
the same input: equations, live cells, costs, traces over time, gradient reach, and a training race."""
import streamlit as st

from ui.common import present
from ui.path import panel as path
from ui.variants import controls as C
from ui.variants import panels as P
from ui.variants import races
from ui.variants import words as W

present.sidebar(C.sidebar)
state = C.VAR.current()
large = bool(state.large)
st.title("Variants")
st.caption(W.CAPTION)
# What may come and go (the checkpoint's parts, a lesson's sentence) sits in a box of its own, so what follows
# keeps its place in the page and the browser keeps its widgets instead of drawing them anew (a click on the
# race's Train button while it was redrawn was lost). The picker first: no lesson's sentence moves its buttons.
with st.container():
    path.checkpoint("variants")
C.variant_picker(state)
state = C.VAR.current()
with st.container():
    if present.shows("presets"):
        C.preset_picker(state)
state = C.VAR.current()
st.markdown(f"#### {W.heading(state.variant)}")  # no math right under the picker: KaTeX's tall boxes
st.markdown(f"{W.WHAT[state.variant]} {W.SAME_WEIGHTS[state.variant]}")  # would cover its buttons' clicks
if present.shows("model"):
    with st.expander("The cells and their input", expanded=not state.preset):
        C.model_controls(state)
        C.input_controls(C.VAR.current())
state = C.VAR.current()
if present.shows("steps"):
    C.step_controls(state)
model, t, unit = P.model_of(state), state.step_shown(), state.unit_shown()

P.side_by_side(model, large)
st.subheader(f"The cells at step {t + 1}, with their live values")
P.cells(model, t, unit, large)
st.subheader("The same input through both")
st.caption("One unit's gates and states at every step; the step shown above is the same input for both.")
P.show_time(model, unit, large)
st.subheader("How much of the gradient reaches step 1")
P.reach(model, large)

st.subheader(f"A training race: {W.NAMES[state.variant]} against the plain LSTM")
with st.expander("Race settings"):
    C.race_seed(state)
races.panel(state.variant, C.VAR.current().race_seed, large)
