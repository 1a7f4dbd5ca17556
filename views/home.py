"""Home: what an LSTM is, the path through the app, and the cell diagram."""
from pathlib import Path

import streamlit as st

from ui.cell import controls
from ui.cell.lessons import BY_NAME
from ui.cell.panels import diagram, model_of
from ui.cell.state import CellState, apply_preset
from ui.common.render import show

ASSETS = Path(__file__).resolve().parent.parent / "assets"
PAGES = Path(__file__).resolve().parent

controls.sidebar()
st.title("LSTM Explorer")
st.subheader("See a Long Short-Term Memory network think, one step at a time")
text, path = st.columns([3, 2])
text.markdown((ASSETS / "home.md").read_text(encoding="utf-8"))
path.markdown((ASSETS / "path.md").read_text(encoding="utf-8"))
path.page_link(str(PAGES / "inside_cell.py"), label="Open: Inside the cell", icon=":material/biotech:")
path.page_link(str(PAGES / "through_time.py"), label="Open: Through time", icon=":material/movie:")
path.page_link(str(PAGES / "gradients.py"), label="Open: Vanishing & exploding gradients",
               icon=":material/trending_down:")

model = model_of(apply_preset(CellState(), BY_NAME["Remember forever"]))
show(diagram(model, 2, large=bool(controls.current().large)), key="home_cell",
     config={"displayModeBar": False})
st.caption("The cell of the 'Remember forever' lesson at step 3, when a spike is written into "
           "memory: every number is computed live by the app's NumPy engine.")
