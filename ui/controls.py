"""Streamlit glue for the cell pages: one CellState in session state, mirrored in the link.

The CellState is the single source of truth. Widgets are re-seeded from it before they are
drawn, and their callbacks turn a change into a new CellState (with the pure functions of
ui.state), so the state survives a page switch and travels in the URL.
"""
import dataclasses

import streamlit as st

import lstm_core as lc

from . import state as S
from .presets import BY_NAME, PRESETS

STATE_KEY = "cell_state"


def current():
    """This session's CellState: from a shared link on first load, else the defaults."""
    if STATE_KEY not in st.session_state:
        try:
            cell = S.from_query(st.query_params.to_dict())
        except ValueError as err:
            cell = S.CellState()
            st.session_state["link_error"] = f"The link could not be opened ({err}); showing the defaults."
        st.session_state[STATE_KEY] = cell
    return st.session_state[STATE_KEY]


def commit(cell):
    """Store a new state, bump the editor version when weights change, and update the link."""
    old = st.session_state.get(STATE_KEY)
    cell = cell.clamp()
    if old is None or old.weights != cell.weights or (old.H, old.I) != (cell.H, cell.I):
        st.session_state["editor_version"] = st.session_state.get("editor_version", 0) + 1
    st.session_state[STATE_KEY] = cell
    st.query_params.from_dict(S.to_query(cell))


def bind(widget, key, value, update, **kwargs):
    """Draw `widget` showing `value`; on change, commit update(current state, new value)."""
    st.session_state[key] = value

    def on_change():
        commit(update(current(), st.session_state[key]))

    return widget(key=key, on_change=on_change, **kwargs)


def sidebar():
    """The shared sidebar: model size, seed and the projector toggle."""
    cell = current()
    with st.sidebar:
        st.markdown("### Model")
        bind(st.slider, "sb_H", cell.H, lambda c, v: S.resize(c, v, c.I), label="Hidden units H",
             min_value=1, max_value=S.MAX_HIDDEN, help="How many memory cells the LSTM has.")
        bind(st.slider, "sb_I", cell.I, lambda c, v: S.resize(c, c.H, v), label="Input features I",
             min_value=1, max_value=S.MAX_INPUT, help="How many numbers the LSTM reads per step.")
        bind(st.number_input, "sb_seed", cell.seed, S.reseed, label="Random seed", min_value=0,
             max_value=2**32 - 1, step=1, help="Seeds the initial weights and the random-walk input.")
        st.markdown("### Display")
        bind(st.toggle, "sb_large", bool(cell.large),
             lambda c, v: dataclasses.replace(c, large=int(v)), label="Large fonts for projectors")
    if "link_error" in st.session_state:
        st.warning(st.session_state.pop("link_error"))


def preset_picker(cell):
    """A select box of presets and the one sentence that says what the chosen one shows."""
    names = ["(your own weights)"] + [p.name for p in PRESETS]

    def update(c, name):
        return c if name not in BY_NAME else S.apply_preset(c, BY_NAME[name])

    bind(st.selectbox, "preset_pick", cell.preset or names[0], update, label="Preset lesson",
         options=names, help="Hand-set weights that make one point in one click.")
    if cell.preset in BY_NAME:
        st.info(f"**{cell.preset}.** {BY_NAME[cell.preset].lesson}")


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


def run(cell):
    """The engine's trace of this state: the numbers every view shows."""
    params = cell.params()
    return params, lc.lstm_forward(params, cell.sequence())
