"""Streamlit glue for the cell pages: one CellState in a Store (see ui/store.py), the sidebar,
the preset picker and the step controls."""
import dataclasses

import streamlit as st

from ui.cell import state as S
from ui.cell.lessons import FORECAST_SOURCE, PRESETS, forecast_banner, trained_banner
from ui.training.lessons import INPUT_FEATURES, TASK_NAMES
from ui.common.link import limits
from ui.common.store import Store, show_link_error


def _on_commit(old, cell):
    """Clamp the cursor, and give the weight tables fresh keys when weights change elsewhere."""
    cell = cell.clamp()
    if old is None or old.weights != cell.weights or (old.H, old.I) != (cell.H, cell.I):
        st.session_state["editor_version"] = st.session_state.get("editor_version", 0) + 1
    return cell


CELL = Store("cell_state", S.CellState, S.from_query, S.to_query, on_commit=_on_commit)
current, commit, bind = CELL.current, CELL.commit, CELL.bind


def sidebar():
    """The cell pages' sidebar: model size, seed and the projector toggle."""
    cell = current()
    with st.sidebar:
        st.markdown("### Model")
        bind(st.slider, "sb_H", cell.H, lambda c, v: S.resize(c, v, c.I), label="Hidden units H",
             **limits(S.CellState, "H"), help="How many memory cells the LSTM has.")
        bind(st.slider, "sb_I", cell.I, lambda c, v: S.resize(c, c.H, v), label="Input features I",
             **limits(S.CellState, "I"), help="How many numbers the LSTM reads per step.")
        bind(st.number_input, "sb_seed", cell.seed, S.reseed, label="Random seed",
             **limits(S.CellState, "seed"), help="Seeds the initial weights and the random-walk input.")
    CELL.large_toggle()
    show_link_error()


def preset_picker(cell):
    """Hand-set weights that make one point in one click, and the sentence of the chosen one."""
    CELL.preset_picker(PRESETS, cell.preset, S.apply_preset, key="preset_pick", label="Preset lesson",
                       custom="(your own weights)")


CELL_PAGES = (("cell", "inside_cell", "Inside the cell", ":material/biotech:"),
              ("time", "through_time", "Through time", ":material/movie:"))


def open_buttons(cell, key, label):
    """Two buttons that carry `cell` (a trained model's CellState) to Inside the cell or Through time.

    `label` names the page with {page}; the buttons' keys are `key` + "_cell" and "_time"."""
    for column, (suffix, page, title, icon) in zip(st.columns(2), CELL_PAGES):
        if column.button(label.format(page=title), key=f"{key}_{suffix}", icon=icon):
            commit(cell)
            st.switch_page(f"views/{page}.py")


def source_banner(cell):
    """Say so when the weights are an LSTM trained on another page, and what its inputs are."""
    if cell.source == FORECAST_SOURCE:
        st.info(forecast_banner(cell.I), icon=":material/show_chart:")
    elif cell.source:
        st.info(trained_banner(TASK_NAMES[cell.source], INPUT_FEATURES[cell.source]),
                icon=":material/model_training:")


def step_controls(cell, T):
    """Back / forward buttons and a slider for the time step, plus the unit to look at."""
    def move(delta):
        commit(dataclasses.replace(current(), t=current().t + delta))

    back, slider, fwd, unit = st.columns([1.5, 6, 1.5, 2], vertical_alignment="bottom")
    back.button("Back", key="step_back", icon=":material/chevron_left:", on_click=move, args=(-1,), disabled=cell.t <= 0,
                width="stretch")
    fwd.button("Next", key="step_fwd", icon=":material/chevron_right:", on_click=move, args=(1,), disabled=cell.t >= T - 1,
               width="stretch")
    with slider:
        if T > 1:
            bind(st.slider, "step_t", cell.t + 1, lambda c, v: dataclasses.replace(c, t=v - 1),
                 label="Time step t", min_value=1, max_value=T)
        else:
            st.markdown("**Time step t = 1** (the sequence has one step)")
    with unit:
        bind(st.selectbox, "step_unit", cell.unit + 1,
             lambda c, v: dataclasses.replace(c, unit=v - 1), label="Unit",
             options=list(range(1, cell.H + 1)), disabled=cell.H == 1)


def cursor_from_click(chart_key):
    """An on_select callback: clicking a point whose x is a time step moves the cursor there."""
    def on_select():
        points = st.session_state[chart_key].selection.points
        steps = [p["x"] for p in points if isinstance(p.get("x"), (int, float))]
        if steps:
            commit(dataclasses.replace(current(), t=int(round(steps[0])) - 1))
    return on_select
