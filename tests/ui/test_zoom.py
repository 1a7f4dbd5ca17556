"""The 'Zoom into steps' view: its numbers are the trace's, and its brush zooms the charts below."""
import json

import numpy as np
import pytest

import lstm_core as lc
from ui.cell.state import CellState
from ui.cell.zoom import BRUSH, zoom_chart, zoom_data
from ui.common.palette import GATE_COLORS, GATE_NAMES
from ui.common.style import FONT_FAMILY, font_size, plain_subscripts


def _trace(H=3, I=2, length=30, gen="sine", **weights):
    cell = CellState(H=H, I=I, length=length, gen=gen, **weights)
    return lc.lstm_forward(cell.params(), cell.sequence())


def _spec(trace, unit=0, large=False):
    return json.loads(json.dumps(zoom_chart(trace, unit, large=large).to_dict()))


def _rows(spec):
    (rows,) = spec["datasets"].values()
    return rows


def test_rows_are_the_traces_own_gates_states_and_inputs_for_the_chosen_unit():
    trace = _trace()
    data = zoom_data(trace, unit=2)
    for key in ("f", "i", "o", "c_tilde", "c", "h"):
        rows = data[data.series == plain_subscripts(GATE_NAMES[key])]
        np.testing.assert_array_equal(rows.t, np.arange(1, 31))
        np.testing.assert_array_equal(rows.value, getattr(trace, key)[:, 2])
    for k in range(2):
        np.testing.assert_array_equal(data[data.series == f"x{'₁₂'[k]}"].value, trace.xs[:, 0, k])


def test_the_spec_carries_the_same_numbers_the_page_sends():
    trace = _trace(H=1, I=1)
    rows = _rows(_spec(trace))
    forget = [r["value"] for r in rows if r["series"] == "forget gate fₜ"]
    np.testing.assert_array_equal(forget, trace.f[:, 0])


def test_the_input_strip_holds_an_x_brush_and_both_charts_below_show_only_the_brushed_steps():
    spec = _spec(_trace())
    (param,) = spec["params"]
    assert param["name"] == BRUSH and param["select"] == {"type": "interval", "encodings": ["x"]}
    overview, gates, states = spec["vconcat"]
    assert param["views"] == [overview["name"]]
    for detail in (gates, states):
        assert {"filter": {"param": BRUSH}} in detail["transform"]
    assert all({"filter": {"param": BRUSH}} not in t for t in [overview.get("transform", [])])


def test_each_series_keeps_its_colour_of_the_one_palette():
    _, gates, states = _spec(_trace())["vconcat"]
    for chart, keys in ((gates, ("f", "i", "o")), (states, ("c_tilde", "c", "h"))):
        scale = chart["encoding"]["color"]["scale"]
        assert scale["domain"] == [plain_subscripts(GATE_NAMES[k]) for k in keys]
        assert scale["range"] == [GATE_COLORS[k] for k in keys]


def test_gates_sit_on_zero_to_one_and_the_states_axis_grows_to_hold_a_large_cell_state():
    trace = _trace(H=1, I=1, length=40, gen="step", forget_bias=6.0, scale=5.0)
    assert trace.c.max() > 1.2  # the memory has grown past tanh's range, -1..1
    _, gates, states = _spec(trace)["vconcat"]
    assert gates["encoding"]["y"]["scale"]["domain"] == [0, 1]
    lo, hi = states["encoding"]["y"]["scale"]["domain"]
    assert lo <= min(-1.0, trace.c.min()) and hi >= trace.c.max()


def test_large_fonts_enlarge_every_label_and_the_font_is_the_apps():
    normal, large = _spec(_trace()), _spec(_trace(), large=True)
    assert normal["config"]["font"] == FONT_FAMILY
    assert normal["config"]["axis"]["labelFontSize"] == font_size(False) < large["config"]["axis"]["labelFontSize"]
    assert normal["title"]["fontSize"] < large["title"]["fontSize"]
    assert normal["title"]["text"] == "Zoom into steps — unit 1" and normal["title"]["subtitle"]


def test_a_unit_outside_the_model_and_a_batched_trace_are_refused():
    trace = _trace(H=2)
    with pytest.raises(ValueError, match="unit must be in 0..1"):
        zoom_data(trace, unit=2)
    p = lc.LSTMParams.init(1, 2, seed=0)
    with pytest.raises(ValueError, match="one sequence"):
        zoom_data(lc.lstm_forward(p, np.zeros((5, 3, 1))))


@pytest.mark.parametrize("T", [1, 500])
def test_it_builds_from_one_step_to_five_hundred(T):
    rows = _rows(_spec(_trace(H=4, I=1, length=T, gen="random walk"), unit=3))
    assert len(rows) == T * 7  # the input and six series of the unit
