"""The gradients page's parts: cached flows and figures, what reaches step 1, and the warnings.

Streamlit glue over the pure figure builders of this package and the engine's exact flows. The
flows and figures are pure functions of the settings (`model_of` a state), so they are cached
by them: a class that moves the same slider to the same value computes each answer once, and a
change of view or of fonts runs no engine at all.
"""
import dataclasses
from pathlib import Path

import numpy as np
import streamlit as st

from lstm_core import flow as F
from lstm_core.cells import name as cell_name
from ui.common.caching import by_settings
from ui.common.render import show
from ui.gradients.backward import backward_animation
from ui.gradients.figures import clipping_chart, factor_chart, gradient_heatmaps, norm_lines, sci
from ui.gradients.state import status

NOTES = Path(__file__).resolve().parents[2] / "assets" / "gradients.md"
BADGE = {"survived": "green", "vanished": "blue", "exploded": "orange", "overflowed": "red"}
VIEWS = {"Backward pass, animated": "animation", "Per-unit heatmaps": "heatmaps",
         "Why: the factors": "factors", "Clipping": "clipping"}  # the view picker: label -> figure


def model_of(state):
    """What the numbers depend on: the state without its preset name and fonts."""
    return dataclasses.replace(state, preset="", large=0)


@by_settings(max_entries=32, max_size="128MiB")
def gradient_flows(model):
    """The four cells' exact gradient flows for a model (`model_of` a state)."""
    return model.flows()


@by_settings(max_entries=128, max_size="64MiB")
def figure(name, model, large=False):
    """A figure of the page as a plain dict, cached by the settings and fonts it shows."""
    cells = gradient_flows(model)
    if name == "norms":
        return norm_lines(cells, large=large).to_dict()
    if name == "animation":
        return backward_animation(cells, large=large).to_dict()
    if name == "heatmaps":
        return gradient_heatmaps(cells, large=large).to_dict()
    if name == "factors":
        return factor_chart(cells, large=large).to_dict()
    return clipping_chart(cells, model.max_norm(), large=large).to_dict()


def metric_value(x):
    """A gradient size for a metric, written as the charts write it: 3.12 × 10⁻⁷, or ∞ (the badge
    under it says 'overflowed'; the longer text does not fit a metric's width)."""
    return sci(x) if np.isfinite(x) else "∞"


def reach_metrics(flows):
    """One metric per cell: how much of the gradient reaches step 1, and the word for it."""
    st.markdown("#### How much of the gradient reaches step 1")
    for col, (kind, flow) in zip(st.columns(len(flows)), flows.items()):
        word, value = status(flow)
        col.metric(cell_name(kind), metric_value(value),
                   help="‖∂L/∂h₁‖ (for the LSTM, the larger of the h and cell paths), with ‖∂L/∂h_T‖ = 1.")
        col.badge(word, color=BADGE[word])


def explosion_warnings(flows):
    """A warning for each cell whose gradient passed 10⁶, naming the step (and where it overflowed)."""
    for kind, flow in flows.items():
        over, above = F.last_step_overflowed(flow.dh_norm), F.last_step_above(flow.dh_norm)
        if over is not None:
            st.warning(f"**{cell_name(kind)}: exploded.** The gradient passed 10⁶ at step {above + 1} "
                       f"and overflowed to ∞ at step {over + 1}, counting back from step {len(flow.dh_norm)}.")
        elif above is not None:
            st.warning(f"**{cell_name(kind)}: exploded.** The gradient passed 10⁶ at step {above + 1}.")


def norms_and_notes(state, flows):
    """The gradient-per-step chart beside the page's explanation and the LSTM's memory half-life."""
    chart, notes = st.columns([5, 3])
    with chart:
        show(figure("norms", model_of(state), bool(state.large)), key="g_norms")
    with notes:
        st.markdown(NOTES.read_text(encoding="utf-8"))
        mean_f = float(np.mean(flows["lstm"].trace.f))
        st.metric("LSTM memory half-life", f"{F.half_life(mean_f):.1f} steps",
                  help=f"ln 0.5 / ln f̄ with the mean forget gate f̄ = {mean_f:.3f}: after this many "
                       "steps the cell path keeps half of a memory (and of its gradient).")


def views(state):
    """The picked view of the four: the backward pass animated, heatmaps, factors, clipping."""
    labels = list(VIEWS)
    view = st.segmented_control("View", labels, default=labels[0], key="g_view",
                                label_visibility="collapsed") or labels[0]
    show(figure(VIEWS[view], model_of(state), bool(state.large)), key=f"g_{VIEWS[view]}")
