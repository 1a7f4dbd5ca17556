"""Through time: the whole sequence as an animation, heatmaps, lines and a ledger."""
import streamlit as st

from ui.cell import controls, editors
from ui.cell.lessons import ANIMATION_NOTE
from ui.cell.panels import animation, figure, lines_figure, model_of, run
from ui.cell.time_figures import ledger_frame, with_cursor
from ui.common import present
from ui.common.render import show
from ui.path import panel as path

VIEWS = ["Animation", "Lines and heatmaps", "Zoom into steps"]

st.title("Through time")
st.caption("The whole sequence at once. The cursor (the step chosen below) is marked on every "
           "chart; click a point on the line chart to move it there.")

present.sidebar(controls.sidebar)
cell = controls.current()
controls.source_banner(cell)
path.checkpoint("time")
if present.shows("presets"):
    controls.preset_picker(cell)
large, model = bool(cell.large), model_of(cell)
trace = run(model)[1]
T = len(trace.h)
if present.shows("steps"):
    controls.step_controls(cell, T)

view = st.segmented_control("View", VIEWS, default=VIEWS[0], key="time_view",
                            label_visibility="collapsed") or VIEWS[0]
if view == VIEWS[0]:
    st.markdown(ANIMATION_NOTE.format(t=cell.t + 1))
    show(animation(model, cell.t, unit=cell.unit, large=large), key="conveyor", config={"displayModeBar": False})
elif view == VIEWS[2]:
    show(figure("zoom", model, unit=cell.unit, large=large), key="zoom")
else:
    show(with_cursor(lines_figure(model, cell.unit, large=large), cell.t, T), key="state_lines",
         on_select=controls.cursor_from_click("state_lines"), selection_mode="points")
    show(with_cursor(figure("gates", model, large=large), cell.t, T), key="gate_heatmaps")
    show(with_cursor(figure("states", model, large=large), cell.t, T), key="state_heatmaps")

st.subheader(f"The ledger of the cell state — unit {cell.unit + 1}")
st.markdown(r"At each step the belt keeps $f_t \cdot C_{t-1}$ of the old memory and adds "
            r"$i_t \cdot \tilde C_t$ of the new candidate: $C_t$ = kept + written.")
show(with_cursor(figure("ledger", model, unit=cell.unit, large=large), cell.t, T), key="ledger")
numbers = st.expander("The ledger as numbers", key="ledger_open", on_change="rerun")  # drawn only when open
if numbers.open:
    numbers.dataframe(ledger_frame(trace, unit=cell.unit), hide_index=True)

editors.input_and_weights(cell)
