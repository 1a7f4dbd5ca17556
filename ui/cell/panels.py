"""The cell pages' parts that are more than a widget: cached figures of the whole sequence.

Figures are cached by everything they show (the state without cursor, unit and fonts); the
cursor is drawn afterwards on the cached dict, which is cheap.
"""
import dataclasses

import streamlit as st

import lstm_core as lc
from ui.cell.conveyor import conveyor_animation
from ui.cell.time_figures import gate_heatmaps, ledger, state_heatmaps, state_lines
from ui.cell.zoom import zoom_chart

BUILDERS = {"gates": gate_heatmaps, "states": state_heatmaps, "lines": state_lines}


def model_of(cell):
    """What the numbers depend on: the state without cursor, unit and projector fonts."""
    return dataclasses.replace(cell, t=0, unit=0, large=0)


@st.cache_data(max_entries=128, show_spinner=False)
def figure(name, model, unit=None, large=False):
    """A figure (Plotly, or Vega-Lite for "zoom") as a plain dict, cached by everything it shows;
    the cursor is added afterwards."""
    trace = lc.lstm_forward(model.params(), model.sequence())
    if name == "animation":
        return conveyor_animation(trace, unit=None, large=large).to_dict()
    if name == "ledger":
        return ledger(trace, unit=unit, large=large).to_dict()
    if name == "zoom":
        return zoom_chart(trace, unit=unit, large=large).to_dict()
    return BUILDERS[name](trace, large=large).to_dict()
