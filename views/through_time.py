"""Through time: the whole sequence as an animation, heatmaps, lines and a ledger."""
import dataclasses

import pandas as pd
import streamlit as st

import lstm_core as lc
from ui import controls, editors
from ui.animation import conveyor_animation
from ui.time_figures import (gate_heatmaps, ledger, ledger_table, state_heatmaps, state_lines,
                             with_cursor)

BUILDERS = {"gates": gate_heatmaps, "states": state_heatmaps, "lines": state_lines}
VIEWS = ["Animation", "Lines and heatmaps"]


@st.cache_data(max_entries=128, show_spinner=False)
def figure(name, model, unit=None, large=False):
    """A figure as a plain dict, cached by everything it shows; the cursor is added afterwards."""
    trace = lc.lstm_forward(model.params(), model.sequence())
    if name == "animation":
        return conveyor_animation(trace, unit=None, large=large).to_dict()
    if name == "ledger":
        return ledger(trace, unit=unit, large=large).to_dict()
    return BUILDERS[name](trace, large=large).to_dict()


st.title("Through time")
st.caption("The whole sequence at once. The cursor (the step chosen below) is marked on every "
           "chart; click a point on the line chart to move it there.")

controls.sidebar()
cell = controls.current()
controls.preset_picker(cell)
params, trace = controls.run(cell)
controls.step_controls(cell, len(trace.h))
large = bool(cell.large)
model = dataclasses.replace(cell, t=0, unit=0, large=0)  # what the numbers depend on

view = st.segmented_control("View", VIEWS, default=VIEWS[0], key="time_view",
                            label_visibility="collapsed") or VIEWS[0]
if view == VIEWS[0]:
    st.markdown("Press **Play**: the gates open and close and the conveyor belt fills, step by "
                "step, in your browser.")
    st.plotly_chart(figure("animation", model, large=large), key="conveyor")
else:
    T = len(trace.h)
    st.plotly_chart(with_cursor(figure("lines", model, large=large), cell.t, T), key="state_lines",
                    on_select=controls.cursor_from_click("state_lines"), selection_mode="points")
    st.plotly_chart(with_cursor(figure("gates", model, large=large), cell.t, T), key="gate_heatmaps")
    st.plotly_chart(with_cursor(figure("states", model, large=large), cell.t, T), key="state_heatmaps")

st.subheader(f"The ledger of the cell state — unit {cell.unit + 1}")
st.markdown(r"At each step the belt keeps $f_t \cdot C_{t-1}$ of the old memory and adds "
            r"$i_t \cdot \tilde C_t$ of the new candidate: $C_t$ = kept + written.")
st.plotly_chart(figure("ledger", model, unit=cell.unit, large=large), key="ledger")
with st.expander("The ledger as numbers"):
    st.dataframe(pd.DataFrame(ledger_table(trace, unit=cell.unit)), hide_index=True)

with st.expander("Input sequence", expanded=False):
    editors.sequence_editor(cell)
with st.expander("Weights and biases", expanded=False):
    editors.weight_editor(cell)
