"""The backward-pass animation: frames from step T down to 1, each showing the flows' own norms."""
import numpy as np
import pytest

from lstm_core.flow import KINDS, gradient_flow, make_cells
from ui.gradients.backward import (FRAME_MS, MAX_CIRCLES, MAX_FRAMES, backward_animation,
                                   frame_values)
from ui.gradients.axes import sci, sci_array
from lstm_core import cells
from ui.common.style import font_size


def _flows(xs, kinds=KINDS, **cells):
    params = make_cells(cells.pop("H", 4), **cells)
    return {k: gradient_flow(k, params[k], xs) for k in kinds}


@pytest.fixture(scope="module")
def small():
    return _flows(np.random.default_rng(1).normal(size=(9, 1)), seed=0)


@pytest.fixture(scope="module")
def fig(small):
    return backward_animation(small)


@pytest.fixture(scope="module")
def blowup():
    """T = 500 with inf (tanh RNN) in the same figure as ordinary numbers."""
    return _flows(np.zeros((500, 1)), H=8, scale=10, biases=False)


def test_frames_count_down_from_the_last_step_to_the_first(fig, small):
    T = len(small["lstm"].dh_norm)
    assert [f.name for f in fig.frames] == [str(t) for t in range(T, 0, -1)]


def _check_frame(fig, flows, k):
    """Frame k's readouts, coloured circles and ring against the flows' dh_norm."""
    v = frame_values(fig, k)
    t = v["t"]
    assert v["now"] == [t] * len(flows)
    circles = np.asarray(fig.data[1].x)[: len(fig.data[1].x) // len(flows)]
    for kind, flow in flows.items():
        np.testing.assert_array_equal(v["readout"][kind], flow.dh_norm[t - 1])
        np.testing.assert_array_equal(v["shown"][kind], circles[circles >= t])  # reached so far
        np.testing.assert_array_equal(v["norms"][kind], flow.dh_norm[v["shown"][kind] - 1])
    return v


def test_frame_k_shows_each_cells_norm_at_its_step_and_the_steps_already_reached(fig, small):
    for k in range(len(fig.frames)):
        _check_frame(fig, small, k)
    assert len(frame_values(fig, 0)["shown"]["lstm"]) == 1  # at step T only step T is reached
    assert frame_values(fig, 0)["readout"] == {k: 1.0 for k in KINDS}  # ||dL/dh_T|| = 1 by design


def test_readout_text_writes_the_step_and_the_value(fig, small):
    frame = fig.frames[3]
    t, n = int(frame.name), len(small)
    texts = frame.data[1].text[n:]
    for kind, text in zip(KINDS, texts):
        assert cells.name(kind) in text and f"h<sub>{t}</sub>" in text
        assert text.endswith(f"= {sci(small[kind].dh_norm[t - 1])}")


def test_circle_colours_and_sizes_encode_log10_of_the_norm(fig, small):
    chain = fig.data[1]
    norms = np.asarray(chain.customdata, dtype=float)
    np.testing.assert_array_equal(np.asarray(chain.marker.color), np.log10(norms))
    order = np.argsort(norms)
    assert np.all(np.diff(np.asarray(chain.marker.size)[order]) >= 0)  # bigger norm, bigger circle
    expected = np.concatenate([small[k].dh_norm for k in KINDS])
    np.testing.assert_array_equal(norms, expected)  # T = 9: every step is a circle
    assert list(chain.text) == list(sci_array(norms))  # hover: the exact norm, as the charts write it


def test_the_colour_range_stops_at_20_decades_so_a_vanished_gradient_stays_blue(blowup):
    fig = backward_animation(blowup)
    axis, chain = fig.layout.coloraxis, fig.data[1]
    norms = np.asarray(chain.customdata, dtype=float)
    assert axis.cmin == -axis.cmax == -20 and np.nanmax(np.abs(np.log10(norms[norms > 0]))) > 100
    finite = np.isfinite(norms) & (norms > 0)
    np.testing.assert_array_equal(np.asarray(chain.marker.color)[finite], np.log10(norms[finite]))
    assert np.log10(1e-6) / axis.cmin >= 0.3  # 10⁻⁶ is a third of the way to the bluest colour
    assert list(axis.colorbar.ticktext)[::4] == ["≤ 10<sup>−20</sup>", "≥ 10<sup>20</sup>"]
    sizes = np.asarray(chain.marker.size)
    assert (sizes[~(norms <= 1e20)] == sizes.max()).all()  # sizes saturate with the colours, ∞ too


def test_frames_change_only_the_circles_visibility_and_the_now_trace(fig):
    assert {fig.data[i].meta for i in fig.frames[0].traces} == {"chain", "now"}
    assert all(not f.layout.to_plotly_json() for f in fig.frames)


def test_ranges_and_colours_are_fixed(fig, small):
    T = len(small["lstm"].dh_norm)
    lo, hi = fig.layout.xaxis.range
    assert lo < 1 and hi > T and fig.layout.yaxis.range is not None
    axis = fig.layout.coloraxis
    assert axis.cmin == -axis.cmax and axis.cmax >= np.abs(fig.data[1].marker.color).max()


def test_play_pause_and_a_slider_in_time_order_like_the_chart(fig):
    (menu,) = fig.layout.updatemenus
    play, pause = menu.buttons
    assert "Play" in play.label and play.args[0] is None and play.args[1]["frame"] == {
        "duration": FRAME_MS, "redraw": False}
    assert "Pause" in pause.label and list(pause.args[0]) == [None]
    (slider,) = fig.layout.sliders
    labels = [int(s.label) for s in slider.steps]
    assert labels == sorted(labels) and labels == [int(f.name) for f in fig.frames][::-1]
    assert [list(s.args[0]) for s in slider.steps] == [[str(t)] for t in labels]
    assert slider.currentvalue.prefix == "step t = "
    assert all(s.args[1]["frame"]["redraw"] is False for s in slider.steps)


def test_the_slider_starts_at_the_right_on_step_T_and_plays_leftwards(fig, small):
    """Play runs the frames in order, T first: the thumb, on the step of each frame, moves right to
    left, as the ring does on the time axis (step 1 at the left)."""
    (slider,) = fig.layout.sliders
    position = {s.label: i for i, s in enumerate(slider.steps)}  # 0 = the slider's left end
    played = [position[f.name] for f in fig.frames]
    assert slider.active == played[0] == len(slider.steps) - 1
    assert np.all(np.diff(played) < 0)
    rings = [frame_values(fig, k)["now"][0] for k in range(len(fig.frames))]
    assert np.all(np.diff(rings) < 0) and "right to left" in fig.layout.xaxis.title.text
    assert "slider" in fig.layout.title.subtitle.text


def test_long_sequences_get_at_most_120_frames_and_60_circles_with_real_step_numbers(blowup):
    fig = backward_animation(blowup)
    names = [int(f.name) for f in fig.frames]
    assert len(names) == MAX_FRAMES and names[0] == 500 and names[-1] == 1 and np.all(np.diff(names) < 0)
    circles = np.asarray(fig.data[1].x)[: len(fig.data[1].x) // 4]
    assert len(circles) == MAX_CIRCLES and circles[0] == 1 and circles[-1] == 500
    for k in (0, 37, 60, 119):
        _check_frame(fig, blowup, k)


def test_overflowed_steps_read_infinity_and_are_drawn_as_stars(blowup):
    fig = backward_animation(blowup)
    last = frame_values(fig, len(fig.frames) - 1)
    assert last["t"] == 1 and np.isinf(last["readout"]["rnn_tanh"])
    assert "∞" in fig.frames[-1].data[1].text[4 + KINDS.index("rnn_tanh")]
    chain = fig.data[1]
    norms = np.asarray(chain.customdata, dtype=float)
    stars = np.asarray(chain.marker.symbol) == "star"
    np.testing.assert_array_equal(stars, ~np.isfinite(norms))
    assert stars.any() and np.isfinite(np.asarray(chain.marker.color, dtype=float)).all()
    assert fig.to_json()


def test_underflow_to_zero_builds_at_the_bottom_of_the_scale():
    flows = _flows(np.random.default_rng(0).normal(size=(500, 1)), kinds=("rnn_sigmoid",), H=8)
    assert (flows["rnn_sigmoid"].dh_norm == 0).any()
    fig = backward_animation(flows)
    colors = np.asarray(fig.data[1].marker.color, dtype=float)
    norms = np.asarray(fig.data[1].customdata, dtype=float)
    assert (colors[norms == 0] == fig.layout.coloraxis.cmin).all()
    assert frame_values(fig, len(fig.frames) - 1)["readout"]["rnn_sigmoid"] == 0


@pytest.mark.parametrize("T", [1, 2, 121, 500])
def test_builds_from_one_step_to_five_hundred(T):
    flows = _flows(np.random.default_rng(3).normal(size=(T, 1)), H=3)
    fig = backward_animation(flows)
    assert len(fig.frames) == min(T, MAX_FRAMES) and fig.frames[-1].name == "1"
    _check_frame(fig, flows, len(fig.frames) - 1)
    assert {tr.type for tr in fig.data} == {"scatter"}  # SVG only, never Scattergl


def test_one_cell_alone_gets_one_row(small):
    fig = backward_animation({"gru": small["gru"]})
    v = frame_values(fig, 2)
    assert list(v["readout"]) == ["gru"] and v["now"] == [v["t"]]


def test_large_switch_enlarges_the_fonts_and_the_controls(fig, small):
    large = backward_animation(small, large=True)
    assert fig.layout.font.size == font_size(False) < large.layout.font.size == font_size(True)
    assert fig.layout.updatemenus[0].font.size < large.layout.updatemenus[0].font.size
    assert fig.data[2].textfont.size < large.data[2].textfont.size


def test_titled_and_labelled_in_words(fig):
    assert fig.layout.title.text and fig.layout.title.subtitle.text
    assert fig.layout.xaxis.title.text.startswith("time step t")
    assert fig.layout.coloraxis.colorbar.title.text
