"""Through time: the whole sequence as heatmaps, lines, a ledger and an animation."""
import pandas as pd
import streamlit as st

from ui import controls, editors
from ui.animation import conveyor_animation
from ui.time_figures import gate_heatmaps, ledger, ledger_table, state_heatmaps, state_lines

st.title("Through time")
st.caption("The whole sequence at once. The cursor (the step chosen below) is marked on every "
           "chart; click a point on the line chart to move it there.")

cell = controls.current()
controls.preset_picker(cell)
params, trace = controls.run(cell)
controls.step_controls(cell, len(trace.h))
large = bool(cell.large)

play, lines = st.tabs(["Animation", "Lines and heatmaps"])
with play:
    st.markdown("Press **Play**: the gates open and close and the conveyor belt fills, step by "
                "step, in your browser.")
    st.plotly_chart(conveyor_animation(trace, unit=None, large=large), key="conveyor")
with lines:
    st.plotly_chart(state_lines(trace, cursor=cell.t, large=large), key="state_lines",
                    on_select=controls.cursor_from_click("state_lines"), selection_mode="points")
    st.plotly_chart(gate_heatmaps(trace, cursor=cell.t, large=large), key="gate_heatmaps")
    st.plotly_chart(state_heatmaps(trace, cursor=cell.t, large=large), key="state_heatmaps")

st.subheader(f"The ledger of the cell state — unit {cell.unit + 1}")
st.markdown(r"At each step the belt keeps $f_t \cdot C_{t-1}$ of the old memory and adds "
            r"$i_t \cdot \tilde C_t$ of the new candidate: $C_t$ = kept + written.")
st.plotly_chart(ledger(trace, unit=cell.unit, large=large), key="ledger")
with st.expander("The ledger as numbers"):
    st.dataframe(pd.DataFrame(ledger_table(trace, unit=cell.unit)), hide_index=True)

with st.expander("Input sequence", expanded=False):
    editors.sequence_editor(cell)
with st.expander("Weights and biases", expanded=False):
    editors.weight_editor(cell)
