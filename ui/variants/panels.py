"""The Variants page's parts: the cached runs and figures, and the side-by-side columns.

Streamlit glue over lstm_core.variants and this package's pure figure builders. Every run and figure
is a pure function of the settings (`model_of` a state: the variant, sizes, seed and input), cached by
them, so moving the step or the unit re-runs no engine and a class trying the same settings computes
each answer once.
"""
import dataclasses

import streamlit as st

from lstm_core import variants as V
from lstm_core.cells import CELLS
from ui.cell.diagram import cell_diagram
from ui.common.caching import by_settings
from ui.common.render import show
from ui.variants import counts, diagrams, equations, traces
from ui.variants import words as W

CHAIN = ("stacked", "bidirectional")  # drawn as chains of cells, the plain LSTM beside them too


def model_of(state):
    """What the numbers depend on: the state without the view (step, unit, lesson, fonts, race)."""
    return dataclasses.replace(state, t=1, unit=1, preset="", large=0, race_seed=0)


@by_settings(max_entries=64, max_size="64MiB")
def anatomies(model):
    """(plain LSTM, variant) run forward and back on the model's input."""
    xs = model.sequence()
    return tuple(V.anatomy(v, xs, input_size=model.I, hidden_size=model.H, seed=model.seed)
                 for v in (V.PLAIN, model.variant))


def _cell_figure(anatomy, xs, t, unit, large):
    """One model's cell diagram at step t: the LSTM's, the peephole's or coupled's over it, the GRU's own."""
    layer = anatomy.model.layers[0]
    params = layer.fwd
    trace = CELLS[layer.kind].forward(params, xs)  # the unbatched trace the diagrams read
    if anatomy.variant == "gru":
        return diagrams.gru_diagram(trace, t, unit=unit, large=large)
    if anatomy.variant == "peephole":
        return diagrams.peephole_diagram(params, trace, t, unit=unit, large=large)
    if anatomy.variant == "coupled":
        return diagrams.coupled_diagram(params, trace, t, unit=unit, large=large)
    return cell_diagram(params, trace, t, unit=unit, large=large)


def _chain_figure(anatomy, xs, t, unit, large):
    """One model as a chain of cells over a few steps around t."""
    T, name = len(xs), W.NAMES[anatomy.variant]
    color = W.COLORS[anatomy.variant]
    title = diagrams.chain_title(name, t, T, unit)
    if anatomy.variant == "stacked":
        rows = [("layer 1", anatomy.cell_trace(0)["h"], "right", W.COLORS[V.PLAIN]),
                ("layer 2", anatomy.cell_trace(1)["h"], "right", color)]
        return diagrams.chain_diagram(rows, xs, t, title=title, unit=unit, large=large,
                                      up=[(0, 1, "h¹<sub>t</sub>")])
    if anatomy.variant == "bidirectional":
        rows = [("forward h→ (reads x₁ … x_T)", anatomy.cell_trace(0, 0)["h"], "right", W.COLORS[V.PLAIN]),
                ("backward h← (reads x_T … x₁)", anatomy.cell_trace(0, 1)["h"], "left", color)]
        return diagrams.chain_diagram(rows, xs, t, title=title, unit=unit, large=large,
                                      up=[(0, None, ""), (1, None, "")], joined="output [h→<sub>t</sub>, h←<sub>t</sub>]")
    rows = [("LSTM", anatomy.cell_trace(0)["h"], "right", color)]
    return diagrams.chain_diagram(rows, xs, t, title=title, unit=unit, large=large)


@by_settings(max_entries=256, max_size="128MiB")
def figure(name, model, t=0, unit=0, large=False):
    """A figure of the page as a plain dict: "cell plain" / "cell variant" at step t, "time", "reach"."""
    plain, variant = anatomies(model)
    if name == "time":
        return traces.over_time(plain, variant, unit=unit, large=large).to_dict()
    if name == "reach":
        return traces.reach_figure(plain, variant, large=large).to_dict()
    anatomy = plain if name == "cell plain" else variant
    draw = _chain_figure if model.variant in CHAIN else _cell_figure
    return draw(anatomy, model.sequence(), t, unit, large).to_dict()


def column(box, variant, model, t, unit, large):
    """One model's column: its name, equations, cell and costs."""
    cost = counts.cost(variant, model.I, model.H)
    with box:
        st.subheader(W.NAMES[variant])
        for label, tex in equations.lines(variant):
            st.caption(label)
            st.latex(tex)
        if variant == "gru":
            with st.expander("Two forms of the GRU: which one the engine computes"):
                st.markdown(W.GRU_FORMS)
                label, tex = equations.gru_original_line()
                st.caption(label)
                st.latex(tex)
        show(figure(f"cell {'plain' if variant == V.PLAIN else 'variant'}", model, t, unit, large),
             key=f"va_cell_{'plain' if variant == V.PLAIN else 'variant'}", config={"displayModeBar": False})
        a, b = st.columns(2)
        a.metric("Parameters", f"{cost.params:,}", help=f"{cost.formula} at H = {model.H}, I = {model.I}")
        b.metric("Multiply-adds per step", f"{cost.multiply_adds:,}")
        st.caption(f"Parameters = {cost.formula}, at H = {model.H}, I = {model.I}.")


def side_by_side(model, t, unit, large):
    """The plain LSTM and the variant in two columns (one under the other at projector sizes)."""
    boxes = (st.container(), st.container()) if large else st.columns(2, gap="large")
    for box, variant in zip(boxes, (V.PLAIN, model.variant)):
        column(box, variant, model, t, unit, large)
    plain, variant = (counts.cost(v, model.I, model.H) for v in (V.PLAIN, model.variant))
    st.markdown(f"**The {variant.name} has {variant.params:,} parameters: {counts.difference(plain, variant)}.** "
                f"One step costs {variant.multiply_adds:,} multiply-adds against {plain.multiply_adds:,}.")


def reach(model, large):
    """The gradient reaching each step, and the sentence comparing step 1."""
    plain, variant = anatomies(model)
    key = model.variant if model.variant in CHAIN else "one"
    st.caption(W.REACH[key])
    show(figure("reach", model, large=large), key="va_reach")
    st.markdown(W.reach_sentence(V.PLAIN, model.variant, float(plain.reach[0]), float(variant.reach[0]),
                                 len(plain.reach)))


def show_time(model, unit, large):
    """The over-time lines of both models."""
    show(figure("time", model, unit=unit, large=large), key="va_time")
