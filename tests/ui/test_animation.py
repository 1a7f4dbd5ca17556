"""The conveyor-belt animation is the cell diagram in motion: each frame, merged as Plotly merges it,
is the still diagram of its step (whose numbers tests/ui/test_cell_diagram.py checks against the
engine); it starts at the page's cursor and plays client-side."""
import json

import numpy as np
import plotly.graph_objects as go
import pytest

import lstm_core as lc
from ui.cell.conveyor import FRAME_MS, MAX_FRAMES, PREFIX, cell_animation, frame_at, start_at
from ui.cell.diagram import cell_diagram
from ui.common.animation import frame_steps
from ui.common.style import font_size


def _cell(T=9, H=3, seed=0, peephole=False):
    params = lc.LSTMParams.init(1, H, seed=seed, peephole=peephole).map(lambda a: 3.0 * a)
    xs = np.random.default_rng(seed + 1).normal(size=(T, 1))
    return params, lc.lstm_forward(params, xs, c0=np.linspace(-2, 2, H))


@pytest.fixture(scope="module")
def cell():
    return _cell()


@pytest.fixture(scope="module")
def anim(cell):
    return cell_animation(*cell, unit=1)


def _still(params, trace, t, unit=1, large=False):
    return cell_diagram(params, trace, t, unit=unit, large=large).to_dict()


def test_the_animation_and_its_frames_are_valid_plotly(anim):
    fig = go.Figure(anim)  # validates every property, frames included: the page sends them unvalidated
    assert len(fig.frames) == 9


def test_one_frame_per_step_named_by_its_time_step(anim, cell):
    assert [f["name"] for f in anim["frames"]] == [str(t) for t in range(1, 10)]


@pytest.mark.parametrize("peephole", [False, True], ids=["plain", "peephole"])
def test_each_frame_turns_the_figure_into_the_diagram_of_its_step(peephole):
    params, trace = _cell(peephole=peephole)
    anim = cell_animation(params, trace, unit=2, start=3)
    for k in range(len(anim["frames"])):
        shown, still = frame_at(anim, k), _still(params, trace, k, unit=2)
        for key in ("shapes", "annotations", "title"):
            assert shown["layout"][key] == still["layout"][key], (k, key)
        assert [d["hovertext"] for d in shown["data"][:2]] == [d["hovertext"] for d in still["data"][:2]]
        now = {d["meta"]: (d["x"], d["y"]) for d in shown["data"] if d.get("meta", "").startswith("now")}
        assert now == {"now c": ([k + 1], [trace.c[k, 2]]), "now h": ([k + 1], [trace.h[k, 2]])}


def test_frames_carry_only_what_moves_and_never_the_axes(anim):
    moved = [anim["data"][i].get("meta", "") for i in anim["frames"][0]["traces"]]
    assert moved[2:] == ["now c", "now h"] and anim["data"][0]["hovertext"] and anim["data"][1]["hovertext"]
    for frame in anim["frames"]:
        assert set(frame["layout"]) == {"title", "shapes", "annotations"}
        assert frame["traces"] == anim["frames"][0]["traces"]
    sizes = [len(json.dumps(f)) for f in anim["frames"]]
    assert max(sizes) < len(json.dumps(anim["layout"])) / 3  # a few hundred values, not a figure
    moving = {k for f in anim["frames"] for a in f["layout"]["annotations"] for k in a}
    assert moving <= {"text", "bgcolor", "font"}  # numbers and their colours; never positions


def test_it_starts_at_the_cursor_and_play_goes_on_from_there(cell):
    params, trace = cell
    anim = cell_animation(params, trace, unit=1, start=4)
    assert anim["layout"]["annotations"] == _still(params, trace, 4)["layout"]["annotations"]
    (slider,), (menu,) = anim["layout"]["sliders"], anim["layout"]["updatemenus"]
    assert slider["active"] == 4 and slider["currentvalue"]["prefix"] == PREFIX
    play, pause = menu["buttons"]
    assert play["args"][0] == ["5", "6", "7", "8", "9"] and play["args"][1]["fromcurrent"]
    assert "Play" in play["label"] and "Pause" in pause["label"] and list(pause["args"][0]) == [None]


def test_the_strip_under_the_diagram_holds_the_units_whole_c_and_h_with_markers_at_the_start(cell):
    params, trace = cell
    anim = cell_animation(params, trace, unit=1, start=4)
    lines = {d["meta"]: d for d in anim["data"] if d.get("meta", "").startswith(("line", "now"))}
    assert lines["line c"]["y"] == trace.c[:, 1].tolist() and lines["line h"]["y"] == trace.h[:, 1].tolist()
    assert lines["line c"]["x"] == list(range(1, 10))
    assert (lines["now c"]["x"], lines["now c"]["y"]) == ([5], [trace.c[4, 1]])
    assert (lines["now h"]["x"], lines["now h"]["y"]) == ([5], [trace.h[4, 1]])
    lo, hi = anim["layout"]["yaxis2"]["range"]
    assert lo < min(trace.c[:, 1].min(), -1) and hi > max(trace.c[:, 1].max(), 1)
    strip_top, diagram_bottom = anim["layout"]["yaxis2"]["domain"][1], anim["layout"]["yaxis"]["domain"][0]
    assert 0 < strip_top < diagram_bottom < 1  # the strip sits under the diagram, apart from it
    keys = [d["marker"]["colorbar"]["y"] for d in anim["data"] if d.get("marker", {}).get("showscale")]
    assert keys == [diagram_bottom] * 2  # the colour keys stay at the diagram's foot


def test_from_the_last_step_play_starts_again_at_the_first(cell):
    anim = cell_animation(*cell, unit=1, start=8)
    assert anim["layout"]["updatemenus"][0]["buttons"][0]["args"][0] == [str(t) for t in range(1, 10)]


def test_start_at_composes_the_same_figure_as_building_it_there(cell, anim):
    params, trace = cell
    assert start_at(anim, _still(params, trace, 6), 6) == cell_animation(params, trace, unit=1, start=6)


def test_play_and_the_slider_animate_client_side_redrawing_each_frame(anim):
    (menu,), (slider,) = anim["layout"]["updatemenus"], anim["layout"]["sliders"]
    play = menu["buttons"][0]["args"][1]
    assert play["frame"] == {"duration": FRAME_MS, "redraw": True} and play["mode"] == "immediate"
    assert [s["args"][0] for s in slider["steps"]] == [[f["name"]] for f in anim["frames"]]
    assert {s["method"] for s in slider["steps"]} == {"animate"}
    assert all(s["args"][1]["frame"]["redraw"] for s in slider["steps"])


def test_long_sequences_get_at_most_120_frames_and_start_at_the_frame_before_the_cursor():
    params, trace = _cell(T=500, H=2)
    anim = cell_animation(params, trace, unit=0, start=250)
    names = [int(f["name"]) for f in anim["frames"]]
    assert len(names) == MAX_FRAMES and names[0] == 1 and names[-1] == 500
    active = anim["layout"]["sliders"][0]["active"]
    assert names[active] <= 251 < names[active + 1]
    assert anim["layout"]["title"]["text"].startswith("Inside the cell — step 251 of 500")
    shown = frame_at(anim, 60)
    assert shown["layout"]["annotations"] == _still(params, trace, names[60] - 1, unit=0)["layout"]["annotations"]


@pytest.mark.parametrize("T", [1, 2, 119, 120, 121, 500])
def test_frame_steps_start_at_the_first_step_end_at_the_last_and_never_repeat(T):
    steps = frame_steps(T, MAX_FRAMES)
    assert steps[0] == 0 and steps[-1] == T - 1 and len(steps) == min(T, MAX_FRAMES)
    assert np.all(np.diff(steps) > 0)


@pytest.mark.parametrize("T, H", [(1, 1), (1, 4), (6, 1), (6, 4)])
def test_builds_from_one_step_and_one_to_four_units(T, H):
    params, trace = _cell(T=T, H=H)
    anim = cell_animation(params, trace, unit=H - 1, start=T - 1)
    assert len(anim["frames"]) == T
    go.Figure(anim)


def test_large_switch_enlarges_the_fonts_and_the_controls(cell, anim):
    large = cell_animation(*cell, unit=1, large=True)
    assert anim["layout"]["font"]["size"] == font_size(False) < large["layout"]["font"]["size"] == font_size(True)
    assert anim["layout"]["updatemenus"][0]["font"]["size"] < large["layout"]["updatemenus"][0]["font"]["size"]
    assert large["layout"]["height"] > anim["layout"]["height"]
