"""Home: what an RNN and an LSTM are, the guided path with its first checkpoint, the cell
diagram, how an answer is read out, the glossary and the recap."""
from pathlib import Path

import streamlit as st

from ui.cell import controls
from ui.cell.panels import diagram, model_of
from ui.common import present
from ui.common.render import show
from ui.path import panel as path
from ui.path.checkpoints import SPIKE_AT, spike_cell
from ui.readout.panel import explainer

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def prose(name):
    """One Markdown file of assets/."""
    return (ASSETS / name).read_text(encoding="utf-8")


present.sidebar(controls.sidebar)
large = bool(controls.current().large)
st.title("LSTM Explorer")
st.subheader("See a Long Short-Term Memory network think, one step at a time")
text, steps = st.columns([3, 2])
text.markdown("#### What an RNN is")
text.markdown(prose("rnn.md"))
text.markdown("#### What an LSTM is")
text.markdown(prose("home.md"))
steps.markdown(prose("path.md"))
path.step_list(steps)

path.checkpoint("rnn")

show(diagram(model_of(spike_cell(3.0, SPIKE_AT)), SPIKE_AT, large=large),
     key="home_cell", config={"displayModeBar": False})
st.caption(f"The path's one-unit cell at step {SPIKE_AT + 1}, when a spike is written into memory "
           "(its forget bias is 3, so it keeps 95 % of the memory per step): every number is computed "
           "live by the app's NumPy engine.")

explainer(None, large)
with st.expander("Sequences of different lengths: padding and masking", icon=":material/view_column:"):
    st.markdown(prose("readout.md"))
with st.expander("Glossary: every symbol the app uses", icon=":material/menu_book:"):
    st.markdown(path.glossary_table())
with st.expander("Recap, for the end of the path (it gives the answers away)", icon=":material/checklist:"):
    st.markdown(prose("recap.md"))
