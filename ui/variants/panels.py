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
from ui.cell.diagram import cell_spec
from ui.common.caching import by_settings
from ui.common.render import show
from ui.variants import counts, diagrams, equations, traces
from ui.variants import words as W
from ui.variants.state import VariantsState

CHAIN = ("stacked", "bidirectional")  # drawn as chains of cells, the plain LSTM beside them too
LARGE_METRIC_CSS = """<style>
[data-testid="stMetricLabel"] p { font-size: 1.05rem; }  /* the counts' names as large as the words around them */
</style>"""


def model_of(state):
    """What the numbers depend on: the state without the view (step, unit, lesson, fonts, race)."""
    return dataclasses.replace(state, t=1, unit=1, preset="", large=0, race_seed=0)


def _settings(model):
    """The model as the tuple of its fields' values, which the caches hash: a cache lookup keyed by the
    tuple costs ~0.15 ms of CPU, by the dataclass ~0.45 ms, and a rerun makes three or more."""
    return tuple(getattr(model, field.name) for field in dataclasses.fields(model))


@by_settings(max_entries=64, max_size="64MiB")
def _anatomies(settings):
    """(plain LSTM, variant) run forward and back on the input of the model of `settings`."""
    model = VariantsState(*settings)
    xs = model.sequence()
    return tuple(V.anatomy(v, xs, input_size=model.I, hidden_size=model.H, seed=model.seed)
                 for v in (V.PLAIN, model.variant))


def _cell_figure(anatomy, xs, t, unit, large):
    """One model's cell diagram at step t: the LSTM's, the peephole's or coupled's over it, the GRU's own."""
    layer = anatomy.model.layers[0]
    params = layer.fwd
    trace = CELLS[layer.kind].forward(params, xs)  # the unbatched trace the diagrams read
    draw = {"gru": lambda: diagrams.gru_diagram(trace, t, unit=unit, large=large),
            "peephole": lambda: diagrams.peephole_diagram(params, trace, t, unit=unit, large=large),
            "coupled": lambda: diagrams.coupled_diagram(params, trace, t, unit=unit, large=large)}
    spec = draw.get(anatomy.variant, lambda: cell_spec(params, trace, t, unit=unit, large=large))()
    spec["layout"]["title"]["text"] = f"{W.NAMES[anatomy.variant]} — step {t + 1} of {len(xs)}, unit {unit + 1}"
    return spec


def _chain_figure(anatomy, xs, t, unit, large):
    """One model as a chain of cells over a few steps around t."""
    T, name = len(xs), W.NAMES[anatomy.variant]
    color = W.COLORS[anatomy.variant]
    title = diagrams.chain_title(name, t, T, unit)
    if anatomy.variant == "stacked":
        rows = [("layer 1: h¹", anatomy.cell_trace(0)["h"], "right", W.COLORS[V.PLAIN]),
                ("layer 2: h²", anatomy.cell_trace(1)["h"], "right", color)]
        return diagrams.chain_diagram(rows, xs, t, title=title, unit=unit, large=large, up=[(0, 1)])
    if anatomy.variant == "bidirectional":
        rows = [("forward h→<br>reads x₁ first", anatomy.cell_trace(0, 0)["h"], "right", W.COLORS[V.PLAIN]),
                ("backward h←<br>reads x<sub>T</sub> first", anatomy.cell_trace(0, 1)["h"], "left", color)]
        return diagrams.chain_diagram(rows, xs, t, title=title, unit=unit, large=large, joined="output")
    rows = [("LSTM: h", anatomy.cell_trace(0)["h"], "right", color)]
    return diagrams.chain_diagram(rows, xs, t, title=title, unit=unit, large=large)


@by_settings(max_entries=256, max_size="128MiB")
def _figure(name, settings, t, unit, large):
    """A figure of the page as a plain dict (see `figure`); the reach figure with its sentence."""
    model = VariantsState(*settings)
    plain, variant = _anatomies(settings)
    if name == "time":
        return traces.over_time(plain, variant, unit=unit, large=large)
    if name == "reach":
        sentence = W.reach_sentence(V.PLAIN, model.variant, float(plain.reach[0]), float(variant.reach[0]),
                                    len(plain.reach))
        return traces.reach_figure(plain, variant, large=large), sentence
    anatomy = plain if name == "cell plain" else variant
    draw = _chain_figure if model.variant in CHAIN else _cell_figure
    return draw(anatomy, model.sequence(), t, unit, large)


def figure(name, model, t=0, unit=0, large=False):
    """A figure of the page as a plain dict, cached by the settings: "cell plain" / "cell variant" at
    step t, "time", or "reach" (then with the sentence comparing what reaches step 1 in both)."""
    return _figure(name, _settings(model), t, unit, large)


def column(box, variant, model):
    """One model's column: its name, equations and costs."""
    cost = counts.cost(variant, model.I, model.H)
    with box:
        st.subheader(W.NAMES[variant])
        st.latex(equations.block(equations.lines(variant)))
        if variant == "gru":
            with st.expander("Two forms of the GRU: which one the engine computes"):
                st.markdown(W.GRU_FORMS)
                st.latex(equations.block([equations.gru_original_line()]))
        a, b = st.columns(2)
        a.metric("Parameters", f"{cost.params:,}", help=f"{cost.formula} at H = {model.H}, I = {model.I}")
        b.metric("Multiply-adds per step", f"{cost.multiply_adds:,}", help=W.MULTIPLY_ADDS)
        st.caption(f"Parameters = {cost.formula}, at H = {model.H}, I = {model.I}.")


def side_by_side(model, large):
    """The plain LSTM and the variant in two columns (one under the other at projector sizes), and how
    their costs compare."""
    if large:
        st.html(LARGE_METRIC_CSS)
    boxes = (st.container(), st.container()) if large else st.columns(2, gap="large")
    for box, variant in zip(boxes, (V.PLAIN, model.variant)):
        column(box, variant, model)
    plain, variant = (counts.cost(v, model.I, model.H) for v in (V.PLAIN, model.variant))
    st.markdown(f"**The {variant.name} has {variant.params:,} parameters: {counts.difference(plain, variant)}.** "
                f"One step costs {variant.multiply_adds:,} multiply-adds against {plain.multiply_adds:,}.")


def cells(model, t, unit, large):
    """Both models' cells at step t, each at full width in its own tab (the variant's first); only the
    open tab's cell is drawn (a tab switch reruns), so a new step builds one diagram, not two."""
    tabs = st.tabs([W.NAMES[model.variant], W.NAMES[V.PLAIN]], key="va_cell_tab", on_change="rerun")
    for tab, which in zip(tabs, ("variant", "plain")):
        if tab.open:
            with tab:
                show(figure(f"cell {which}", model, t, unit, large), key=f"va_cell_{which}",
                     config={"displayModeBar": False})


def reach(model, large):
    """The gradient reaching each step, and the sentence comparing step 1."""
    st.caption(W.REACH[model.variant if model.variant in CHAIN else "one"])
    fig, sentence = figure("reach", model, large=large)
    show(fig, key="va_reach")
    st.markdown(sentence)


def show_time(model, unit, large):
    """The over-time lines of both models."""
    show(figure("time", model, unit=unit, large=large), key="va_time")
