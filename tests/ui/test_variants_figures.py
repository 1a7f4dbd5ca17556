"""The Variants page's pure builders: equations mark exactly what differs, every diagram shows the
trace's own numbers, chains stay inside the input, and the lines are the engine's values."""
import base64

import numpy as np
import plotly.graph_objects as go
import pytest

from lstm_core import variants as V
from lstm_core.cells import CELLS
from lstm_core.races import contenders
from ui.cell import diagram as D
from ui.cell.diagram import cell_diagram, cell_spec
from ui.common.palette import CELL_COLORS, DIVERGING, SEQUENTIAL, VARIANT_COLORS, scale_colour
from ui.common.sequences import generate
from ui.variants import counts, diagrams, equations, race_figures, traces
from ui.variants import words as W
from ui.variants.state import VariantsState

ALL = (V.PLAIN,) + V.VARIANTS


def anatomies(variant, T=12, H=4, I=1, gen="sine"):
    xs = generate(gen, T, input_size=I)
    return xs, [V.anatomy(v, xs, input_size=I, hidden_size=H) for v in (V.PLAIN, variant)]


def test_the_plain_lstm_has_nothing_marked_and_every_variant_something():
    assert not any(r"\textcolor" in tex for _, tex in equations.lines(V.PLAIN))
    for variant in V.VARIANTS:
        marked = [tex for _, tex in equations.lines(variant) if W.COLORS[variant] in tex]
        assert marked, variant


def test_peepholes_are_marked_on_f_i_and_o_only():
    lines = dict(equations.lines("peephole"))
    assert [k for k, tex in lines.items() if r"\textcolor" in tex] == ["forget gate", "input gate", "output gate"]
    assert r"p_o \odot C_t" in lines["output gate"] and r"p_f \odot C_{t-1}" in lines["forget gate"]


def test_coupled_input_gate_is_one_minus_f():
    assert r"1 - f_t" in dict(equations.lines("coupled"))["input gate"]


def test_gru_shows_torchs_form_and_cho_s_original_named():
    engine = dict(equations.gru_engine_lines())["candidate"]
    label, original = equations.gru_original_line()
    assert r"r_t \odot (W_{nh} h_{t-1} + b_{hn})" in engine
    assert r"[" in original and r"r_t \odot h_{t-1}" in original and "Cho et al., 2014" in label
    assert "torch" in W.GRU_FORMS


@pytest.mark.parametrize("variant", ALL)
def test_every_block_is_one_aligned_katex_environment(variant):
    tex = equations.block(equations.lines(variant))
    assert tex.startswith(r"\begin{aligned}") and tex.endswith(r"\end{aligned}")
    assert tex.count("&=") == len(equations.lines(variant))


@pytest.mark.parametrize("variant,kind", [("peephole", "lstm_peephole"), ("coupled", "lstm_coupled")])
def test_lstm_family_diagrams_show_the_traces_gates(variant, kind):
    xs = generate("step", 9)
    params = CELLS[kind].init(1, 3, seed=1)
    trace = CELLS[kind].forward(params, xs)
    draw = diagrams.peephole_diagram if variant == "peephole" else diagrams.coupled_diagram
    fig = go.Figure(draw(params, trace, 4, unit=2))  # the dict the builder edited is still a valid figure
    texts = " ".join(a.text for a in fig.layout.annotations)
    assert f"{trace.f[4, 2]:.3f}" in texts and f"{trace.i[4, 2]:.3f}" in texts
    names = {s.name for s in fig.layout.shapes}
    if variant == "peephole":
        assert {"peep-f", "peep-i", "peep-o"} <= names
    else:
        assert "wire-bus-i" not in names and "wire-one-minus" in names
        assert "squash-i" not in {a.name for a in fig.layout.annotations}  # i_t = 1 − f_t: no σ of its own
        assert any(tr.name == "one-minus" for tr in fig.data)


@pytest.mark.parametrize("t", [0, 5, 11])
@pytest.mark.parametrize("large", [False, True])
def test_gru_diagram_shows_its_own_numbers(t, large):
    xs = generate("random walk", 12, input_size=2, seed=3)
    params = CELLS["gru"].init(2, 5, seed=3)
    trace = CELLS["gru"].forward(params, xs)
    v = diagrams.gru_values(trace, t, unit=1)
    h_prev = 0.0 if t == 0 else trace.h[t - 1, 1]
    assert v["h"] == pytest.approx(v["kept"] + v["written"]) and v["h_prev"] == pytest.approx(h_prev)
    fig = go.Figure(diagrams.gru_diagram(trace, t, unit=1, large=large))
    texts = " ".join(a.text for a in fig.layout.annotations)
    for key in ("z", "r", "n"):
        assert diagrams.signed(v[key]) in texts


@pytest.mark.parametrize("t,T", [(0, 1), (0, 12), (6, 12), (11, 12), (2, 3)])
def test_chain_window_holds_t_and_stays_inside_the_input(t, T):
    steps = diagrams.window(t, T)
    assert t in steps and steps == list(range(steps[0], steps[-1] + 1))
    assert 0 <= steps[0] and steps[-1] < T and len(steps) == min(T, diagrams.SHOWN_STEPS)


@pytest.mark.parametrize("variant", ("stacked", "bidirectional"))
def test_chains_write_every_cells_h(variant):
    xs, (_, anatomy) = anatomies(variant, T=8)
    rows = [("a", anatomy.cell_trace(0, 0)["h"], "right", "#000000"),
            ("b", anatomy.cell_trace(*((1, 0) if variant == "stacked" else (0, 1)))["h"], "left", "#000000")]
    fig = go.Figure(diagrams.chain_diagram(rows, xs, 7, title="t", unit=3,
                                           up=[(0, 1)] if variant == "stacked" else (),
                                           joined=None if variant == "stacked" else "output"))
    texts = {a.name: a.text for a in fig.layout.annotations}
    for r, (_, h, _, _) in enumerate(rows):
        for s in diagrams.window(7, 8):
            assert texts[f"h-{r}-{s}"] == diagrams.signed(float(h[s, 3]))


def array(values):
    """A trace's values as an array, a typed array (float64 bytes in base64) decoded."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values)


def valid(spec):
    """A builder's dict as a go.Figure, after checking that validation gives it back unchanged (but for
    the template, which to_dict fills in)."""
    assert spec["layout"]["template"] == {}
    validated = go.Figure(spec).to_dict()
    assert {**validated, "layout": {**validated["layout"], "template": {}}} == spec
    return go.Figure(spec)


@pytest.mark.parametrize("variant", V.VARIANTS)
def test_over_time_legend_names_each_quantity_once_and_the_subtitle_says_what_dashes_are(variant):
    _, (plain, other) = anatomies(variant)
    fig = valid(traces.over_time(plain, other, unit=0))
    shown = [tr.name for tr in fig.data if tr.showlegend]
    assert len(shown) == len(set(shown)) == len({tr.name for tr in fig.data})
    dashed = any(tr.line.dash == "dash" for tr in fig.data)
    assert dashed == (variant in ("stacked", "bidirectional")) == ("dashed" in fig.layout.title.subtitle.text)
    assert {(tr.line.width, tr.marker.symbol) for tr in fig.data if tr.line.dash == "dash"}.isdisjoint(
        {(tr.line.width, tr.marker.symbol) for tr in fig.data if tr.line.dash == "solid"})  # more than dashes apart


def test_over_time_title_does_not_repeat_the_section_heading():
    _, (plain, other) = anatomies("gru")
    assert "same input" not in valid(traces.over_time(plain, other, unit=0)).layout.title.text


def test_chain_inputs_take_two_values_a_line():
    assert diagrams._input_label(4, [0.25]) == "x<sub>5</sub> = 0.250"
    assert diagrams._input_label(0, [1, -2, 3]) == "x<sub>1</sub> =<br>1.000, −2.000,<br>3.000"
    assert diagrams._foot(3, 14) > diagrams._foot(1, 14) == 0.4


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("variant", V.VARIANTS)
def test_lines_over_time_are_the_traces_values(variant, large):
    _, (plain, other) = anatomies(variant)
    fig = valid(traces.over_time(plain, other, unit=1, large=large))
    h = {tr.name: array(tr.y) for tr in fig.data if tr.xaxis == "x3"}  # the plain LSTM's states
    np.testing.assert_array_equal(h["h<sub>t</sub>"], plain.cell_trace()["h"][:, 1])
    assert len(fig.data) == sum(len(v) for a in (plain, other) for v in traces.series(a, 1).values())


@pytest.mark.parametrize("variant", V.VARIANTS)
def test_reach_figure_draws_both_models_reach(variant):
    _, (plain, other) = anatomies(variant, T=20)
    fig = valid(traces.reach_figure(plain, other, large=True))
    np.testing.assert_allclose(array(fig.data[0].y), plain.reach)
    np.testing.assert_allclose(array(fig.data[1].y), other.reach)


def test_reach_sentence_says_how_many_times_and_handles_one_step():
    text = W.reach_sentence(V.PLAIN, "bidirectional", 5.3e-4, 0.707, 40)
    assert "0.707" in text and "0.00053" in text and "1.33e+03 times as much" in text
    assert "nothing has to travel" in W.reach_sentence(V.PLAIN, "gru", 1.0, 1.0, 1)


def test_cost_words_compare_with_the_plain_lstm():
    plain, gru = counts.cost(V.PLAIN, 1, 8), counts.cost("gru", 1, 8)
    assert counts.difference(plain, gru) == "78% of the plain LSTM's (72 fewer)"
    assert counts.difference(plain, plain) == "100% of the plain LSTM's (the same number)"


def test_words_cover_every_variant():
    for table in (W.WHAT, W.SHORT, W.SAME_WEIGHTS):
        assert set(table) == set(V.VARIANTS)
    assert set(W.NAMES) == set(W.COLORS) == set(ALL)


def test_state_keeps_step_and_unit_inside_input_and_cell():
    s = VariantsState(length=5, t=60, H=3, unit=16)
    assert (s.step_shown(), s.unit_shown()) == (4, 2)


def same_after_validation(spec):
    """True if Plotly's validation gives the builder's dict back unchanged."""
    return go.Figure(spec).to_dict() == spec


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("peephole", [False, True])
def test_cell_spec_is_the_cell_diagrams_own_dict(peephole, large):
    xs = generate("random walk", 6, input_size=2, seed=4)
    params = CELLS["lstm_peephole" if peephole else "lstm"].init(2, 3, seed=4)
    trace = CELLS["lstm_peephole" if peephole else "lstm"].forward(params, xs)
    spec = cell_spec(params, trace, 3, unit=2, large=large)
    assert spec == cell_diagram(params, trace, 3, unit=2, large=large).to_dict()
    assert same_after_validation(spec)


@pytest.mark.parametrize("large", [False, True])
def test_every_variant_diagram_dict_is_already_in_plotlys_form(large):
    xs = generate("sine", 8, input_size=1)
    for kind, draw in (("lstm_peephole", diagrams.peephole_diagram), ("lstm_coupled", diagrams.coupled_diagram)):
        params = CELLS[kind].init(1, 3, seed=2)
        assert same_after_validation(draw(params, CELLS[kind].forward(params, xs), 5, unit=1, large=large))
    params = CELLS["gru"].init(1, 3, seed=2)
    assert same_after_validation(diagrams.gru_diagram(CELLS["gru"].forward(params, xs), 5, unit=1, large=large))
    _, (_, anatomy) = anatomies("bidirectional", T=8)
    rows = [("a", anatomy.cell_trace(0, 0)["h"], "right", "#000000"), ("b", anatomy.cell_trace(0, 1)["h"], "left",
                                                                        "#000000")]
    assert same_after_validation(diagrams.chain_diagram(rows, xs, 6, title="t", unit=1, large=large,
                                                        joined="output"))


@pytest.mark.parametrize("scale,lo,hi", [(SEQUENTIAL, 0, 1), (DIVERGING, -1, 1)])
def test_diagram_fills_are_the_palettes_colours_at_every_level(scale, lo, hi):
    levels = D.COLOUR_LEVELS
    values = [lo + (hi - lo) * k / levels for k in range(levels + 1)]
    assert [D._colour(scale, v, lo, hi) for v in values] == [scale_colour(scale, v, lo, hi) for v in values]
    assert D._colour(scale, hi + 5, lo, hi) == scale_colour(scale, hi, lo, hi)
    assert D._colour(scale, float("nan"), lo, hi) == scale_colour(scale, float("nan"), lo, hi)


def test_stacked_and_bidirectional_have_colours_of_their_own():
    shapes = list(VARIANT_COLORS.values())
    assert set(VARIANT_COLORS) == {"stacked", "bidirectional"} and len(set(shapes)) == 2
    assert not set(shapes) & set(CELL_COLORS.values())
    assert len(set(W.COLORS.values())) == len(W.COLORS)  # six models, six colours


@pytest.mark.parametrize("variant", V.VARIANTS)
def test_the_race_draws_each_model_in_the_pages_colour(variant):
    plain, other = contenders(variant)
    assert race_figures.color(plain) == W.COLORS[V.PLAIN] and race_figures.color(other) == W.COLORS[variant]
