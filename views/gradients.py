"""Vanishing & exploding gradients: exact BPTT in a sigmoid RNN, a tanh RNN, an LSTM and a GRU."""
from pathlib import Path

import numpy as np
import streamlit as st

from lstm_core import flow as F
from ui import grad_controls as C
from ui import grad_state as G
from ui.backward_animation import backward_animation
from ui.gradient_figures import (CELL_NAMES, clipping_chart, factor_chart, gradient_heatmaps, norm_lines,
                                 sci)

NOTES = Path(__file__).resolve().parent.parent / "assets" / "gradients.md"
BADGE = {"survived": "green", "vanished": "blue", "exploded": "orange", "overflowed": "red"}
VIEWS = ["Backward pass, animated", "Per-unit heatmaps", "Why: the factors", "Clipping"]


@st.cache_data(max_entries=64, show_spinner=False)
def figure(name, state, _flows):
    """A figure of the page as a plain dict, cached by the state that decides it.

    `_flows` is `state.flows()`, passed in so the engine runs once per rerun; the leading
    underscore keeps it out of the cache key, which `state` already determines.
    """
    flows, large = _flows, bool(state.large)
    if name == "norms":
        return norm_lines(flows, large=large).to_dict()
    if name == "animation":
        return backward_animation(flows, large=large).to_dict()
    if name == "heatmaps":
        return gradient_heatmaps(flows, large=large).to_dict()
    if name == "factors":
        return factor_chart(flows, large=large).to_dict()
    return clipping_chart(flows, state.max_norm(), large=large).to_dict()


def _sci(x):
    """A gradient size for a metric, written as the charts write it: 3.12 × 10⁻⁷, or ∞ (the badge
    under it says 'overflowed'; the longer text does not fit a metric's width)."""
    return sci(x) if np.isfinite(x) else "∞"


C.sidebar()
state = C.GRAD.current()
st.title("Vanishing & exploding gradients")
st.caption("The same input goes through four recurrent cells of the same size; a loss on the "
           "last step is backpropagated exactly through time.")
C.preset_picker(state)
C.model_controls(state)
C.input_controls(state)

flows = state.flows()
st.markdown("#### How much of the gradient reaches step 1")
for col, (kind, flow) in zip(st.columns(len(flows)), flows.items()):
    word, value = G.status(flow)
    col.metric(CELL_NAMES[kind], _sci(value),
               help="‖∂L/∂h₁‖ (for the LSTM, the larger of the h and cell paths), with ‖∂L/∂h_T‖ = 1.")
    col.badge(word, color=BADGE[word])

for kind, flow in flows.items():
    over, above = F.last_step_overflowed(flow.dh_norm), F.last_step_above(flow.dh_norm)
    if over is not None:
        st.warning(f"**{CELL_NAMES[kind]}: exploded.** The gradient passed 10⁶ at step {above + 1} "
                   f"and overflowed to ∞ at step {over + 1}, counting back from step {len(flow.dh_norm)}.")
    elif above is not None:
        st.warning(f"**{CELL_NAMES[kind]}: exploded.** The gradient passed 10⁶ at step {above + 1}.")

chart, notes = st.columns([5, 3])
chart.plotly_chart(figure("norms", state, flows), key="g_norms")
with notes:
    st.markdown(NOTES.read_text(encoding="utf-8"))
    mean_f = float(np.mean(flows["lstm"].trace.f))
    st.metric("LSTM memory half-life", f"{F.half_life(mean_f):.1f} steps",
              help=f"ln 0.5 / ln f̄ with the mean forget gate f̄ = {mean_f:.3f}: after this many "
                   "steps the cell path keeps half of a memory (and of its gradient).")

view = st.segmented_control("View", VIEWS, default=VIEWS[0], key="g_view",
                            label_visibility="collapsed") or VIEWS[0]
name = {VIEWS[0]: "animation", VIEWS[1]: "heatmaps", VIEWS[2]: "factors", VIEWS[3]: "clipping"}[view]
st.plotly_chart(figure(name, state, flows), key=f"g_{name}")
