"""The cell diagram shows the engine's numbers: read back from the figure's own text, every
value on a gate or wire is the trace's value for that step and unit."""
import re

import numpy as np
import pytest

from lstm_core.lstm import LSTMParams, lstm_forward
from ui.cell.diagram import cell_diagram, diagram_values
from ui.cell.equations import num

NUMBER = re.compile(r"[−-]?\d+\.\d{3}")
# annotation name -> the diagram_values key it shows
SHOWN = {"gate-f": "f", "gate-i": "i", "gate-c_tilde": "c_tilde", "gate-o": "o", "label-f": "f",
         "label-i": "i", "label-c_tilde": "c_tilde", "label-o": "o", "c_prev": "c_prev", "kept": "kept",
         "written": "written", "c": "c", "tanh_c": "tanh_c", "h_prev": "h_prev", "h": "h",
         "h_up": "h"}


def _cell(H=3, I=2, T=5, peephole=False, seed=2):
    """A seeded cell with non-zero initial state, its inputs and its trace."""
    rng = np.random.default_rng(seed)
    params = LSTMParams.init(I, H, seed=seed, peephole=peephole).map(lambda a: 2.5 * a)
    xs = rng.normal(size=(T, I))
    h0, c0 = rng.normal(size=H), rng.normal(size=H)
    return params, xs, h0, c0, lstm_forward(params, xs, h0=h0, c0=c0)


def _annotation(fig, name):
    (found,) = [a for a in fig.layout.annotations if a.name == name]
    return found


def _shown(fig, name):
    """The numbers written in the annotation called `name`, as floats."""
    return [float(s.replace("−", "-")) for s in NUMBER.findall(_annotation(fig, name).text)]


def _luminance(rgb):
    r, g, b = (int(p) for p in rgb[4:-1].split(","))
    return 0.299 * r + 0.587 * g + 0.114 * b


@pytest.mark.parametrize("t", [0, 2, 4])
def test_forget_gate_shows_the_traces_forget_value(t):
    params, _, _, _, trace = _cell()
    for unit in range(3):
        fig = cell_diagram(params, trace, t, unit=unit)
        assert _shown(fig, "gate-f") == [pytest.approx(trace.f[t, unit], abs=5e-4)]
        assert _shown(fig, "gate-f") == [float(num(trace.f[t, unit]))]


@pytest.mark.parametrize("peephole", [False, True], ids=["plain", "peephole"])
def test_every_value_on_the_figure_is_the_engines(peephole):
    params, _, _, _, trace = _cell(peephole=peephole)
    t, unit = 3, 1
    fig = cell_diagram(params, trace, t, unit=unit)
    c_prev = trace.c[t - 1, unit]
    expected = {"f": trace.f[t, unit], "i": trace.i[t, unit], "c_tilde": trace.c_tilde[t, unit],
                "o": trace.o[t, unit], "c_prev": c_prev, "kept": trace.f[t, unit] * c_prev,
                "written": trace.i[t, unit] * trace.c_tilde[t, unit], "c": trace.c[t, unit],
                "tanh_c": np.tanh(trace.c[t, unit]), "h_prev": trace.h[t - 1, unit],
                "h": trace.h[t, unit]}
    for name, key in SHOWN.items():
        assert _shown(fig, name) == [float(num(expected[key]))], name
    assert _shown(fig, "x") == [float(num(x)) for x in trace.xs[t, 0]]


def test_diagram_values_are_the_trace_at_that_step_and_unit():
    params, xs, _, _, trace = _cell()
    v = diagram_values(trace, 2, unit=2)
    assert v["x"] == list(xs[2])
    assert (v["f"], v["i"], v["c_tilde"], v["o"]) == (
        trace.f[2, 2], trace.i[2, 2], trace.c_tilde[2, 2], trace.o[2, 2])
    assert (v["c_prev"], v["h_prev"], v["c"], v["h"]) == (
        trace.c[1, 2], trace.h[1, 2], trace.c[2, 2], trace.h[2, 2])
    assert v["c"] == pytest.approx(v["kept"] + v["written"], abs=1e-15)
    assert v["h"] == pytest.approx(v["o"] * v["tanh_c"], abs=1e-15)


def test_first_step_uses_h0_and_c0():
    params, _, h0, c0, trace = _cell()
    v = diagram_values(trace, 0, unit=1)
    assert (v["h_prev"], v["c_prev"]) == (h0[1], c0[1])
    assert v["kept"] == trace.f[0, 1] * c0[1]
    fig = cell_diagram(params, trace, 0, unit=1)
    assert _shown(fig, "c_prev") == [float(num(c0[1]))]
    assert _shown(fig, "h_prev") == [float(num(h0[1]))]


def test_changing_one_forget_weight_changes_the_forget_number():
    params, xs, h0, c0, trace = _cell()
    t, unit = 2, 0
    W_f = params.W_f.copy()
    W_f[unit, params.hidden_size] += 3.0 / xs[t, 0]  # the weight on the first input: z_f moves by 3
    edited = params.replace(W_f=W_f)
    edited_trace = lstm_forward(edited, xs, h0=h0, c0=c0)
    before = _shown(cell_diagram(params, trace, t, unit=unit), "gate-f")
    after = _shown(cell_diagram(edited, edited_trace, t, unit=unit), "gate-f")
    assert before != after
    assert after == [float(num(edited_trace.f[t, unit]))]


def test_every_annotation_has_text_and_the_figure_has_its_title():
    params, _, _, _, trace = _cell(T=5)
    fig = cell_diagram(params, trace, 1, unit=2)
    assert all(a.text and a.text.strip() for a in fig.layout.annotations)
    assert fig.layout.title.text == "Inside the cell — step 2 of 5, unit 3"


def test_gate_words_appear_in_the_boxes():
    params, _, _, _, trace = _cell()
    fig = cell_diagram(params, trace, 0)
    for name, word in [("gate-f", "forget"), ("gate-i", "input"), ("gate-c_tilde", "candidate"),
                       ("gate-o", "output")]:
        assert word in _annotation(fig, name).text


def test_open_gate_is_filled_brighter_than_closed_gate():
    params, xs, _, _, _ = _cell(H=1, I=1)
    fills = {}
    for bias in (-8.0, 8.0):
        biased = params.replace(b_f=np.array([bias]))
        fig = cell_diagram(biased, lstm_forward(biased, xs[:, :1]), 0)
        (box,) = [s for s in fig.layout.shapes if s.name == "gate-f"]
        fills[bias] = box.fillcolor
    assert _luminance(fills[8.0]) > _luminance(fills[-8.0]) + 100


def test_wire_thickness_grows_with_the_value_it_carries():
    params, xs, _, _, _ = _cell(H=1, I=1)
    widths = {}
    for bias in (-8.0, 8.0):
        biased = params.replace(b_f=np.array([bias]))
        fig = cell_diagram(biased, lstm_forward(biased, xs[:, :1]), 0)
        (wire,) = [s for s in fig.layout.shapes if s.name == "wire-f"]
        widths[bias] = wire.line.width
    assert widths[8.0] > widths[-8.0]


def test_figure_is_svg_with_fixed_equal_axes_and_no_grid():
    params, _, _, _, trace = _cell()
    fig = cell_diagram(params, trace, 0, large=True)
    assert {tr.type for tr in fig.data} == {"scatter"}
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        assert axis.range is not None and axis.showgrid is False and axis.showticklabels is False
    assert fig.layout.paper_bgcolor == "rgba(0,0,0,0)"


def test_large_fonts_are_larger():
    params, _, _, _, trace = _cell()
    small, large = (cell_diagram(params, trace, 0, large=flag) for flag in (False, True))
    assert _annotation(large, "c").font.size > _annotation(small, "c").font.size
    assert large.layout.title.font.size > small.layout.title.font.size


def test_peephole_cell_says_so_and_plain_cell_does_not():
    for peephole in (False, True):
        params, _, _, _, trace = _cell(peephole=peephole)
        names = {a.name for a in cell_diagram(params, trace, 1).layout.annotations}
        assert ("peephole" in names) == peephole


@pytest.mark.parametrize("H", [1, 2, 3, 4])
@pytest.mark.parametrize("I", [1, 2, 3])
def test_every_small_cell_builds(H, I):
    params, _, _, _, trace = _cell(H=H, I=I, T=3)
    for t in (0, 2):
        fig = cell_diagram(params, trace, t, unit=H - 1)
        assert len(_shown(fig, "x")) == I
        assert _shown(fig, "h") == [float(num(trace.h[t, H - 1]))]


def test_bad_step_unit_or_batched_trace_raise_value_error():
    params, xs, _, _, trace = _cell()
    for t, unit in [(5, 0), (-1, 0), (0, 3), (0, -1)]:
        with pytest.raises(ValueError):
            cell_diagram(params, trace, t, unit=unit)
    with pytest.raises(ValueError):
        cell_diagram(params, lstm_forward(params, xs[:, None, :]), 0)
