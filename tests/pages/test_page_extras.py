"""More controls of the cell pages under AppTest: projector fonts, the unit picker, the
Through-time 'Lines and heatmaps' view and the weights' Reset button."""
import dataclasses
import json

import numpy as np
import pyarrow as pa
import pytest

from ui.cell import state as S
from ui.training.lessons import INPUT_FEATURES, TASK_NAMES

from pagekit import PAGES, assert_clean, open_page

CELL_PAGES = PAGES[1:]
INSIDE_CELL, THROUGH_TIME = CELL_PAGES
LINES_VIEW = "Lines and heatmaps"
LINES_VIEW_CHARTS = ["state_lines", "gate_heatmaps", "state_heatmaps", "ledger"]


def _state(at):
    return at.session_state["cell_state"]


def _link(at, key):
    """One value of the app's link (AppTest may hold it as a string or a one-item list)."""
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else value


def _font_sizes(at, key):
    """The base and title font sizes of the Plotly chart with widget key `key`."""
    layout = json.loads(next(c for c in at.get("plotly_chart") if c.key == key).proto.spec)["layout"]
    return layout["font"]["size"], layout["title"]["font"]["size"]


@pytest.mark.parametrize("page, chart", [(INSIDE_CELL, "cell_diagram"), (THROUGH_TIME, "ledger")])
def test_large_fonts_toggle_reruns_cleanly_sets_the_state_and_enlarges_the_figures(page, chart):
    at = open_page(page)
    small = _font_sizes(at, chart)
    at.toggle(key="sb_large").set_value(True).run()
    assert_clean(at)
    assert _state(at).large == 1 and _link(at, "large") == "1"
    assert all(big > was for big, was in zip(_font_sizes(at, chart), small))
    at.toggle(key="sb_large").set_value(False).run()
    assert_clean(at)
    assert _state(at).large == 0 and "large" not in at.query_params


@pytest.mark.parametrize("page", CELL_PAGES)
def test_unit_picker_at_first_and_last_unit_of_a_four_unit_link(page):
    at = open_page(page, {"H": "4"})
    assert at.selectbox(key="step_unit").options == ["1", "2", "3", "4"]
    at.selectbox(key="step_unit").set_value(4).run()
    assert_clean(at)
    assert _state(at).unit == 3 and _link(at, "unit") == "3"
    at.selectbox(key="step_unit").set_value(1).run()
    assert_clean(at)
    assert _state(at).unit == 0


@pytest.mark.parametrize("query, T", [(None, 24), ({"length": "500", "H": "4"}, 500)])
def test_lines_and_heatmaps_view_draws_three_charts_and_the_ledger(query, T):
    at = open_page(THROUGH_TIME, query)
    at.segmented_control(key="time_view").set_value(LINES_VIEW).run()
    assert_clean(at)
    assert [c.key for c in at.get("plotly_chart")] == LINES_VIEW_CHARTS
    assert not at.dataframe, "the ledger's numbers are drawn only once their expander is open"
    at.session_state["ledger_open"] = True
    at.run()
    ledger_rows = [df.value for df in at.dataframe if "written iₜ·C̃ₜ" in df.value.columns]
    assert len(ledger_rows) == 1 and len(ledger_rows[0]) == T
    assert list(ledger_rows[0].columns) == ["time step t", "Cₜ₋₁", "fₜ", "kept fₜ·Cₜ₋₁", "iₜ", "C̃ₜ",
                                            "written iₜ·C̃ₜ", "Cₜ = kept + written"]
    at.slider(key="step_t").set_value(T).run()  # the cursor at the last step, in this view
    assert_clean(at)
    assert _state(at).t == T - 1 and at.segmented_control(key="time_view").value == LINES_VIEW


@pytest.mark.parametrize("page", CELL_PAGES)
def test_reset_after_forget_bias_and_scale_edits_restores_the_seeded_weights(page):
    at = open_page(page, {"seed": "3"})
    seeded = S.flatten_params(_state(at).params())
    at.slider(key="w_fbias").set_value(-4.0).run()
    at.slider(key="w_scale").set_value(2.5).run()
    assert_clean(at)
    np.testing.assert_array_equal(_state(at).params().b_f, [-4.0, -4.0])
    assert not np.array_equal(S.flatten_params(_state(at).params()), seeded)
    at.button(key="w_reset").click().run()
    assert_clean(at)
    np.testing.assert_array_equal(S.flatten_params(_state(at).params()), seeded)
    assert at.slider(key="w_fbias").value == 1.0 and at.slider(key="w_scale").value == 1.0
    assert _state(at).seed == 3, "Reset keeps the seed"


ZOOM_VIEW = "Zoom into steps"


@pytest.mark.parametrize("query, T", [(None, 24), ({"length": "500", "H": "4", "unit": "3"}, 500)])
def test_zoom_view_sends_one_vega_lite_chart_of_the_chosen_units_numbers(query, T):
    at = open_page(THROUGH_TIME, query)
    at.segmented_control(key="time_view").set_value(ZOOM_VIEW).run()
    assert_clean(at)
    (chart,) = [e for e in at.main if e.type == "vega_lite_chart"]
    spec = json.loads(chart.proto.spec)
    cell = _state(at)
    assert spec["title"]["text"] == f"Zoom into steps — unit {cell.unit + 1}"
    (dataset,) = chart.proto.datasets  # sent as Arrow, beside the spec
    assert pa.ipc.open_stream(dataset.data.data).read_all().num_rows == T * 7  # the input, six series
    assert [c.key for c in at.get("plotly_chart")] == ["ledger"]  # the Plotly views are not drawn


def _trained_link(task="adding"):
    """The link of a state as the Training lab hands it over: its own weights, `source` set."""
    cell = S.resize(S.CellState(), 2, 2)
    p = cell.params()
    return S.to_query(dataclasses.replace(cell.with_params(p.replace(W_f=p.W_f + 0.25)), source=task))


@pytest.mark.parametrize("page", CELL_PAGES)
def test_the_trained_lstm_is_named_with_its_inputs_until_its_weights_change(page):
    at = open_page(page, _trained_link())
    assert_clean(at)
    banner = [i.value for i in at.info if "Training lab" in i.value]
    assert len(banner) == 1 and TASK_NAMES["adding"] in banner[0] and INPUT_FEATURES["adding"] in banner[0]
    at.slider(key="w_fbias").set_value(-2.0).run()
    assert_clean(at)
    assert _state(at).source == "" and not [i for i in at.info if "Training lab" in i.value]
