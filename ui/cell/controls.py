"""Streamlit glue for the cell pages: one CellState in a Store (see ui/store.py), the sidebar,
the preset picker and the step controls."""
import dataclasses

import streamlit as st

from ui.cell import held
from ui.cell import state as S
from ui.cell.lessons import FORECAST_SOURCE, PRESETS, TEXT_SOURCE, forecast_banner, text_banner, trained_banner
from ui.training.lessons import INPUT_FEATURES, TASK_NAMES
from ui.common.link import limits
from ui.common.store import Store, show_link_error


def _on_commit(old, cell):
    """Clamp the cursor, and give the weight tables fresh keys when weights change elsewhere."""
    cell = cell.clamp()
    if old is None or (old.weights, old.held, old.H, old.I) != (cell.weights, cell.held, cell.H, cell.I):
        st.session_state["editor_version"] = st.session_state.get("editor_version", 0) + 1
    return cell


CELL = Store("cell_state", S.CellState, S.from_query, S.to_query, on_commit=_on_commit)
commit, bind = CELL.commit, CELL.bind
GONE = "The trained model's cell is no longer held by this server; showing a small cell instead."


def current():
    """This session's cell state; a held cell the server has let go of becomes a small one."""
    cell = CELL.current()
    if cell.held and not held.holds(cell.held):
        cell = S.small(dataclasses.replace(cell, held="", source="", chars=""))
        commit(cell)
        st.session_state["link_error"] = GONE
    return cell


def sidebar():
    """The cell pages' sidebar: model size, seed and the projector toggle."""
    cell = current()
    with st.sidebar:
        st.markdown("### Model")
        if cell.H > S.MAX_HIDDEN or cell.I > S.MAX_INPUT:
            st.markdown(f"**H = {cell.H}** hidden units, **I = {cell.I}** input features: a trained "
                        f"model's first layer. The sliders make cells of H ≤ {S.MAX_HIDDEN}, I ≤ {S.MAX_INPUT}.")
            st.button("Start a small cell", key="sb_small", on_click=lambda: commit(S.reset(current())))
        else:
            bind(st.slider, "sb_H", cell.H, lambda c, v: S.resize(c, v, c.I), label="Hidden units H",
                 min_value=1, max_value=S.MAX_HIDDEN, help="How many memory cells the LSTM has.")
            bind(st.slider, "sb_I", cell.I, lambda c, v: S.resize(c, c.H, v), label="Input features I",
                 min_value=1, max_value=S.MAX_INPUT, help="How many numbers the LSTM reads per step.")
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
    if cell.source == TEXT_SOURCE:
        st.info(text_banner(cell.H, len(cell.sequence()), cell.I, len(cell.chars), quoted(cell.step_chars()),
                            len(cell.chars) == cell.I), icon=":material/edit_note:")
    elif cell.source == FORECAST_SOURCE:
        st.info(forecast_banner(cell.I), icon=":material/show_chart:")
    elif cell.source:
        st.info(trained_banner(TASK_NAMES[cell.source], INPUT_FEATURES[cell.source]),
                icon=":material/model_training:")


def quoted(chars):
    """Characters as a Markdown code span (newlines as ⏎, a step that is no character as ·)."""
    text = "".join("·" if ch is None else "⏎" if ch == "\n" else ch for ch in chars or ())
    fence = "`" * (_longest_run(text, "`") + 1)
    return f"{fence} {text} {fence}"


def _longest_run(text, ch):
    """The longest run of `ch` in `text`."""
    best = run = 0
    for c in text:
        run = run + 1 if c == ch else 0
        best = max(best, run)
    return best


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
