"""The conveyor-belt animation: one frame per step (at most 120), each showing that step's numbers."""
import numpy as np
import pytest

import lstm_core as lc
from ui.cell.conveyor import FRAME_MS, MAX_FRAMES, conveyor_animation, frame_values
from ui.common.animation import frame_steps
from ui.common.palette import GATE_COLORS
from ui.common.style import font_size


def _trace(T=9, H=3, seed=0):
    params = lc.LSTMParams.init(1, H, seed=seed).map(lambda a: 3.0 * a)
    xs = np.random.default_rng(seed + 1).normal(size=(T, 1))
    return lc.lstm_forward(params, xs, c0=np.linspace(-2, 2, H))


@pytest.fixture(scope="module")
def trace():
    return _trace()


@pytest.fixture(scope="module")
def fig(trace):
    return conveyor_animation(trace)


def test_one_frame_per_step_named_by_its_time_step(fig, trace):
    assert [f.name for f in fig.frames] == [str(t) for t in range(1, len(trace.c) + 1)]


def test_frame_k_shows_the_gates_and_states_of_its_step(fig, trace):
    for k in range(len(fig.frames)):
        v = frame_values(fig, k)
        s = v["t"] - 1
        for gate in ("f", "i", "o", "c_tilde"):
            np.testing.assert_array_equal(v[gate], getattr(trace, gate)[s])
        np.testing.assert_array_equal(v["c_now"], trace.c[s])
        np.testing.assert_array_equal(v["h_now"], trace.h[s])
        assert v["revealed"] == v["t"]  # the lines are uncovered up to this step, not beyond


def test_bars_wear_the_gate_colours_and_lines_hold_the_whole_trace(fig, trace):
    bars = {tr.meta.split()[1]: tr for tr in fig.data if tr.type == "bar"}
    assert {k: tr.marker.color for k, tr in bars.items()} == {k: GATE_COLORS[k] for k in ("f", "i", "o", "c_tilde")}
    lines = {tuple(tr.meta.split()[1:]): tr for tr in fig.data if tr.meta.startswith("line")}
    assert len(lines) == 2 * trace.c.shape[1]
    for (key, u), tr in lines.items():
        np.testing.assert_array_equal(np.asarray(tr.y), getattr(trace, key)[:, int(u)])


def test_frames_change_only_bars_curtain_and_markers_never_the_axes(fig):
    roles = {fig.data[i].meta.split()[0] for i in fig.frames[0].traces}
    assert roles == {"bar", "curtain", "now"}
    assert all(not f.layout.to_plotly_json() for f in fig.frames)


def test_axis_ranges_are_fixed_and_hold_every_value(fig, trace):
    T = len(trace.c)
    assert fig.layout.xaxis2.range == (0.5, T + 0.5)
    lo, hi = fig.layout.yaxis2.range
    assert lo < min(trace.c.min(), trace.h.min(), -1) and hi > max(trace.c.max(), trace.h.max(), 1)
    lo, hi = fig.layout.yaxis.range
    assert lo < -1 and hi > 1  # gates 0..1 and the candidate −1..1


def test_slider_steps_jump_to_the_frames_and_are_labelled_with_time_steps(fig):
    (slider,) = fig.layout.sliders
    assert [list(s.args[0]) for s in slider.steps] == [[f.name] for f in fig.frames]
    assert [s.label for s in slider.steps] == [f.name for f in fig.frames]
    assert {s.method for s in slider.steps} == {"animate"}
    assert slider.currentvalue.prefix.startswith("time step t")


def test_play_and_pause_buttons_animate_the_frames_client_side(fig):
    (menu,) = fig.layout.updatemenus
    play, pause = menu.buttons
    assert "Play" in play.label and play.method == "animate" and play.args[0] is None
    opts = play.args[1]
    assert opts["frame"] == {"duration": FRAME_MS, "redraw": False} and opts["fromcurrent"]
    assert 0 < opts["transition"]["duration"] < FRAME_MS
    assert "Pause" in pause.label and list(pause.args[0]) == [None]


def test_long_sequences_get_at_most_120_frames_labelled_with_real_steps():
    trace = _trace(T=500, H=2)
    fig = conveyor_animation(trace)
    names = [int(f.name) for f in fig.frames]
    assert len(names) == MAX_FRAMES and names[0] == 1 and names[-1] == 500
    assert all(b > a for a, b in zip(names, names[1:]))
    v = frame_values(fig, 60)
    np.testing.assert_array_equal(v["f"], trace.f[v["t"] - 1])
    assert [s.label for s in fig.layout.sliders[0].steps] == [str(n) for n in names]


@pytest.mark.parametrize("T", [1, 2, 119, 120, 121, 500])
def test_frame_steps_start_at_the_first_step_end_at_the_last_and_never_repeat(T):
    steps = frame_steps(T, MAX_FRAMES)
    assert steps[0] == 0 and steps[-1] == T - 1 and len(steps) == min(T, MAX_FRAMES)
    assert np.all(np.diff(steps) > 0)


@pytest.mark.parametrize("T, H", [(1, 1), (1, 4), (500, 1)] + [(6, h) for h in range(1, 5)])
def test_builds_from_one_step_to_five_hundred_and_one_to_four_units(T, H):
    fig = conveyor_animation(_trace(T=T, H=H))
    assert len(fig.frames) == min(T, MAX_FRAMES)
    assert len(frame_values(fig, len(fig.frames) - 1)["f"]) == H
    assert {tr.type for tr in fig.data} <= {"bar", "scatter"}  # SVG only, never Scattergl


def test_one_unit_shows_only_that_units_lines_and_markers(trace):
    fig = conveyor_animation(trace, unit=1)
    assert {tr.meta for tr in fig.data if tr.meta.startswith("line")} == {"line c 1", "line h 1"}
    v = frame_values(fig, 4)
    np.testing.assert_array_equal(v["c_now"], trace.c[4, [1]])
    np.testing.assert_array_equal(v["f"], trace.f[4])  # the gate bars still show every unit


def test_a_unit_that_does_not_exist_is_refused(trace):
    with pytest.raises(ValueError, match="unit"):
        conveyor_animation(trace, unit=3)


def test_large_switch_enlarges_the_fonts_and_the_controls(fig, trace):
    large = conveyor_animation(trace, large=True)
    assert fig.layout.font.size == font_size(False) < large.layout.font.size == font_size(True)
    assert fig.layout.updatemenus[0].font.size < large.layout.updatemenus[0].font.size


def test_titled_and_labelled_in_words(fig):
    assert fig.layout.title.text and fig.layout.title.subtitle.text
    assert fig.layout.xaxis.title.text == "unit" and fig.layout.xaxis2.title.text == "time step t"
    assert fig.layout.yaxis.title.text and fig.layout.yaxis2.title.text
