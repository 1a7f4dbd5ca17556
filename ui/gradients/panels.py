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
from ui.gradients.axes import power
from ui.gradients.backward import backward_animation
from ui.gradients.figures import clipping_chart, factor_chart, gradient_heatmaps, norm_lines, sci
from ui.gradients.state import memory, per_step, status, steps_back

ASSETS = Path(__file__).resolve().parents[2] / "assets"
NOTES, PRIMER = ASSETS / "gradients.md", ASSETS / "gradients_primer.md"
BADGE = {"survived": "green", "vanished": "blue", "exploded": "orange", "overflowed": "red"}
LOW, HIGH = (power(round(np.log10(x))) for x in (F.VANISHED, F.EXPLODED))  # "10⁻³", "10⁶"
WORDS = (f"**vanished**: less than {LOW} of the last step's gradient reaches step 1 · "
         f"**exploded**: more than {HIGH} · **survived**: in between")


def model_of(state):
    """What the numbers depend on: the state without its preset name, view and fonts."""
    return dataclasses.replace(state, preset="", view="animation", large=0)


def primer(state):
    """Loss, gradient and backprop through time in a few lines: open unless a lesson is showing."""
    with st.expander("New here? Loss, gradient and backpropagation through time, in one minute",
                     expanded=not state.preset):
        st.markdown(PRIMER.read_text(encoding="utf-8"))


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


def reach_metrics(flows, large=False):
    """One metric per cell: how much of the gradient reaches step 1, the word for it and, under the
    LSTM's, the cell-path numbers the word follows from. Large fonts: two cells a row, so the
    numbers are not cut off."""
    T = len(flows["lstm"].dh_norm)
    st.markdown("#### How much of the gradient reaches step 1")
    norm = r"$\lVert\partial L/\partial h_{%s}\rVert$"  # ‖∂L/∂h_t‖ at one step
    st.caption(f"{norm % 1}: the size of the gradient at step 1, when the loss at step T = {T} sends back "
               f"a gradient of size {norm % 'T'} = 1. {WORDS}.")
    per_row = 2 if large else len(flows)
    cols = [c for _ in range(0, len(flows), per_row) for c in st.columns(per_row)]
    for col, (kind, flow) in zip(cols, flows.items()):
        word, value = status(flow)
        col.metric(cell_name(kind), metric_value(value),
                   help="‖∂L/∂h₁‖ (for the LSTM, the larger of the h and cell paths ‖∂L/∂C₁‖), "
                        "with ‖∂L/∂h_T‖ = 1.")
        col.badge(word, color=BADGE[word])
        if kind == "lstm":
            col.caption(memory_words(flow, word),
                        help="One step back along the cell path multiplies the gradient by f_t, so the "
                             "steps back keep ∏ f (the mean over units of the product of the forget "
                             "gates after step 1). Half-life = ln 0.5 / ln f̄: after it a memory is halved; "
                             "ten half-lives (2⁻¹⁰ ≈ 10⁻³) reach the vanished line. The whole gradient also "
                             "flows through the gates, so it can be larger than ∏ f.")


def memory_words(lstm_flow, word):
    """The LSTM's cell-path numbers, one short line each: f̄, the half-life, ∏ f over the steps back;
    and where ∏ f alone would give another word than the LSTM's `word`, why: the whole gradient
    also comes back through the gates; or, with a large b_f, C_T has grown so large that tanh(C_T)
    is flat and little of the loss enters the cell path at all."""
    m = memory(lstm_flow)
    words = (f"cell path: f̄ = {m.mean_f:.2f}, half-life {m.half_life:.1f} steps  \n"
             f"{m.steps_back} steps back = {m.half_lives:.0f} half-lives  \n∏ f = {sci(m.kept)}")
    if m.kept < F.VANISHED and word != "vanished":
        words += "  \nthe rest comes back through the gates (the h path)"
    elif m.kept >= F.VANISHED and word == "vanished":
        c_T = float(np.abs(lstm_flow.trace.c[-1]).max())
        words += (f"  \nbut little enters it: ‖∂L/∂C_T‖ = {sci(lstm_flow.dc_norm[-1])}, as tanh(C_T) is "
                  f"flat (|C_T| up to {c_T:.3g})")
    return words


def explosion_words(flow):
    """What an exploded gradient did, counted in steps back from the loss at step T, as the end of
    a sentence ("passed 10⁶ 17 steps back from the loss at step 200 (at step 183), ..."); None if
    it stayed under 10⁶."""
    above, over = F.last_step_above(flow.dh_norm), F.last_step_overflowed(flow.dh_norm)
    if above is None:
        return None
    factor = per_step(flow)
    words = (f"passed {HIGH} {steps_back(flow, above)} steps back from the loss at step "
             f"{len(flow.dh_norm)} (at step {above + 1})")
    if over is not None:
        return words + f" and overflowed to ∞ {steps_back(flow, over)} steps back (at step {over + 1})"
    return words + (f", growing ×{factor:.3g} per step back on average" if factor else "")


def explosion_warnings(flows, max_norm):
    """A warning per cell whose gradient passed 10⁶; with clipping on, one note instead that says
    what clipping changes (the update) and what it does not (these per-step gradients)."""
    words = {k: w for k, w in ((k, explosion_words(f)) for k, f in flows.items()) if w}
    if words and max_norm is None:
        for kind, w in words.items():
            st.warning(f"**{cell_name(kind)}: exploded.** Its gradient {w}.")
    elif words:
        dropped = [cell_name(k) for k in words if not np.isfinite(flows[k].param_grad_norm)]
        st.info(f"**Clipping is on, at {max_norm:g}: it does not stop the explosion.** The backward pass is "
                f"the same: the gradient still passes {HIGH} ({passed_where(flows, words)}) and the badges "
                "still say exploded. Clipping acts afterwards, on the update: it rescales all the weights' "
                f"gradients together (their global norm) to at most {max_norm:g}, keeping the direction, so "
                f"one SGD step moves the weights by at most lr × {max_norm:g} (the Clipping view, lr = 0.1)."
                + (" An ∞ gradient has no direction to keep: clipping drops the update of the "
                   f"{' and the '.join(dropped)} (no step)." if dropped else ""))


def passed_where(flows, kinds):
    """Where each of `kinds` passed 10⁶, short: "tanh RNN 17, LSTM 50 steps back from the loss at
    step 200", with "(∞ from N)" where it overflowed."""
    parts = []
    for kind in kinds:
        norms = flows[kind].dh_norm
        over = F.last_step_overflowed(norms)
        parts.append(f"{cell_name(kind)} {steps_back(flows[kind], F.last_step_above(norms))}"
                     + ("" if over is None else f" (∞ from {steps_back(flows[kind], over)})"))
    return f"{', '.join(parts)} steps back from the loss at step {len(norms)}"


def norms_and_notes(state):
    """The gradient-per-step chart beside the page's explanation (under it, with large fonts)."""
    chart, notes = (st.container(), st.container()) if state.large else st.columns([5, 3])
    with chart:
        show(figure("norms", model_of(state), bool(state.large)), key="g_norms")
    with notes:
        st.markdown(NOTES.read_text(encoding="utf-8"))


def view_figure(state):
    """The figure of the view the state picks: the backward pass animated, heatmaps, factors, clipping."""
    show(figure(state.view, model_of(state), bool(state.large)), key=f"g_{state.view}")
