"""Inside the cell: one time step of one unit, drawn with live values, and the equations."""
import streamlit as st

from ui.cell import controls, editors, transfer
from ui.cell import panels as P
from ui.cell.equations import equations_latex
from ui.common import present
from ui.common.render import show
from ui.path import panel as path

st.title("Inside the cell")
st.caption("One time step of the LSTM. Every gate and wire shows the value the engine computed; "
           "step through time or change a weight and watch the numbers move.")

present.sidebar(controls.sidebar)
cell = controls.current()
controls.source_banner(cell)
path.checkpoint("cell")
if present.shows("presets"):
    controls.preset_picker(cell)
model = P.model_of(cell)
params, trace = P.run(model)
T = len(trace.h)
if present.shows("steps"):
    controls.step_controls(cell, T)

show(P.diagram(model, cell.t, unit=cell.unit, large=bool(cell.large)), key="cell_diagram",
     config={"displayModeBar": False})

st.markdown(f"#### The equations at step {cell.t + 1}, unit {cell.unit + 1}, with the numbers plugged in")
for line in equations_latex(params, trace, cell.t, unit=cell.unit):
    st.latex(line)

editors.input_and_weights(cell)
if present.shows("files"):
    with st.expander("Save or load the weights", expanded=False):
        editors.save_load(cell)
        transfer.code_out(cell)
