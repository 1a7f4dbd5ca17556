"""The gradient-page figures plot the flows' own numbers, and overflow or underflow never breaks them.

Heatmaps are unit × time: z[u][s] = log10 |grads.dh[s, u]| (dh transposed), NaN where dh is not
finite or exactly 0; overlays paint those cells.
"""
import numpy as np
import pytest
from gradient_cases import (
    by_meta,
    domain,
    expected_drawn,
    flows_of,
    line_fraction,
    shape_named,
)

from lstm_core import cells
from lstm_core.flow import KINDS, VANISHED, last_step_overflowed
from ui.common import palette
from ui.common.style import font_size
from ui.gradients import figures as gf
from ui.gradients.axes import sci_array

BUILDERS = [gf.norm_lines, gf.gradient_heatmaps, gf.factor_chart,
            lambda flows, **kw: gf.clipping_chart(flows, 1.0, **kw)]


@pytest.mark.parametrize("case", ["small", "blowup", "underflow"])
def test_norm_lines_plot_each_cells_dh_norm_and_the_lstm_dc_norm(case, request):
    flows = request.getfixturevalue(case)
    traces = by_meta(gf.norm_lines(flows))
    for kind, flow in flows.items():
        y = np.asarray(traces[f"{kind} solid"].y, dtype=float)
        finite = np.isfinite(flow.dh_norm) & (flow.dh_norm > 0)
        np.testing.assert_array_equal(y[finite], flow.dh_norm[finite])
        np.testing.assert_array_equal(y, expected_drawn(flow.dh_norm))
        np.testing.assert_array_equal(np.asarray(traces[f"{kind} solid"].x), np.arange(1, len(y) + 1))
    dc = np.asarray(traces["lstm dash"].y, dtype=float)
    np.testing.assert_array_equal(dc, expected_drawn(flows["lstm"].dc_norm))


def test_overflow_band_runs_from_step_one_to_the_last_overflowed_step(blowup):
    fig = gf.norm_lines(blowup)
    band = shape_named(fig, "overflow rnn_tanh")
    last = last_step_overflowed(blowup["rnn_tanh"].dh_norm)  # 0-based
    assert (band.x0, band.x1) == (0.5, last + 1 + 0.5)  # covers time steps 1..last + 1 whole
    assert [s.name for s in fig.layout.shapes if s.name.startswith("overflow")] == ["overflow rnn_tanh"]
    notes = [a.text for a in fig.layout.annotations]
    assert f"tanh RNN: overflowed to ∞ at steps 1–{last + 1}" in notes


def test_overflowed_points_are_gaps_and_their_hover_says_so(blowup):
    tr = by_meta(gf.norm_lines(blowup))["rnn_tanh solid"]
    over = ~np.isfinite(blowup["rnn_tanh"].dh_norm)
    assert np.isnan(np.asarray(tr.y, dtype=float)[over]).all()
    assert {tr.text[i] for i in np.flatnonzero(over)} == {"∞ — overflowed"}


def test_the_exploded_line_sits_at_one_million_dotted_and_labelled_above_itself(small):
    line = shape_named(gf.norm_lines(small), "exploded: above 10⁶")
    assert line.type == "line" and line.y0 == line.y1 == 1e6 and line.line.dash == "dot"
    assert (line.xref, line.x0, line.x1) == ("x domain", 0, 1) and line.label.text == "exploded: above 10⁶"
    assert line.label.yanchor == "bottom"  # the words stand on the line, in the exploded zone


@pytest.mark.parametrize("case", ["small", "blowup", "underflow"])
def test_the_vanished_line_sits_at_the_engines_threshold_inside_the_axis(case, request):
    fig = gf.norm_lines(request.getfixturevalue(case))
    line = shape_named(fig, "vanished: below 10⁻³")
    assert line.y0 == line.y1 == VANISHED and line.label.text == "vanished: below 10⁻³"
    lo, hi = fig.layout.yaxis.range
    assert lo < np.log10(VANISHED) < hi


@pytest.mark.parametrize("case", ["small", "blowup", "underflow"])
def test_the_zone_above_one_million_is_shaded_and_has_room_for_the_label(case, request):
    fig = gf.norm_lines(request.getfixturevalue(case))
    lo, hi = fig.layout.yaxis.range
    zone = shape_named(fig, "exploded zone")
    assert zone.yref == "y domain" and zone.y1 == 1 and zone.y0 == pytest.approx((6 - lo) / (hi - lo))
    assert (hi - 6) / (hi - lo) >= line_fraction(fig)  # a line of words fits above 10⁶


@pytest.mark.parametrize("case", ["small", "blowup", "underflow"])
def test_a_tick_names_one_million_and_no_tick_crowds_it(case, request):
    axis = gf.norm_lines(request.getfixturevalue(case)).layout.yaxis
    lo, hi = axis.range
    ticks = dict(zip(axis.tickvals, axis.ticktext))
    assert ticks[1e6] == "10<sup>6</sup>"
    logs = np.log10(sorted(ticks))
    assert np.all(np.diff(logs) >= 0.05 * (hi - lo))  # on 330 decades, 1 gives its place to 10⁶
    assert all(lo <= v <= hi for v in logs)


def test_one_is_still_a_tick_where_it_has_room(small):
    axis = gf.norm_lines(small).layout.yaxis
    assert dict(zip(axis.tickvals, axis.ticktext))[1.0] == "1"


def test_the_overflow_note_sits_above_every_drawn_value(blowup):
    fig = gf.norm_lines(blowup)
    (note,) = [a for a in fig.layout.annotations if "overflowed" in a.text]
    assert (note.yref, note.yanchor) == ("y domain", "top")
    y = np.concatenate([np.asarray(tr.y, dtype=float) for tr in fig.data])
    assert domain(fig, np.nanmax(y)) <= note.y - line_fraction(fig)  # the note covers no line


def test_the_underflow_note_sits_below_every_drawn_value(underflow):
    fig = gf.norm_lines(underflow)
    (note,) = [a for a in fig.layout.annotations if "underflowed" in a.text]
    assert (note.yref, note.yanchor) == ("y domain", "bottom")
    assert domain(fig, gf.FLOOR) >= note.y + line_fraction(fig)


def test_the_lstm_cell_path_is_drawn_over_its_h_line_in_a_lighter_colour(small):
    fig = gf.norm_lines(small)
    metas = [tr.meta for tr in fig.data]
    solid, dash = fig.data[metas.index("lstm solid")], fig.data[metas.index("lstm dash")]
    assert metas.index("lstm dash") == len(metas) - 1  # the last trace: drawn on top
    assert dash.line.dash == "dash" and dash.line.width >= solid.line.width
    assert dash.line.color != solid.line.color and dash.line.color not in palette.CELL_COLORS.values()


def test_exact_zeros_are_drawn_on_the_floor_and_labelled_as_underflow(underflow):
    fig = gf.norm_lines(underflow)
    tr = by_meta(fig)["rnn_sigmoid solid"]
    zero = underflow["rnn_sigmoid"].dh_norm == 0
    assert (np.asarray(tr.y)[zero] == gf.FLOOR).all() and gf.FLOOR > 0
    assert all("underflowed" in tr.text[i] for i in np.flatnonzero(zero))
    n = np.flatnonzero(zero)[-1] + 1
    assert any(a.text.startswith(f"sigmoid RNN: underflowed to exactly 0 at steps 1–{n}")
               for a in fig.layout.annotations)


@pytest.mark.parametrize("case", ["small", "blowup", "underflow"])
def test_the_log_axis_holds_every_drawn_value_and_the_exploded_line(case, request):
    fig = gf.norm_lines(request.getfixturevalue(case))
    assert fig.layout.yaxis.type == "log"
    lo, hi = fig.layout.yaxis.range
    y = np.concatenate([np.asarray(tr.y, dtype=float) for tr in fig.data])
    logs = np.log10(y[np.isfinite(y)])
    assert lo < logs.min() and hi > max(logs.max(), 6)


@pytest.mark.parametrize("case", ["small", "blowup", "underflow"])
def test_heatmap_z_is_log10_of_abs_dh_transposed_to_unit_by_time(case, request):
    flows = request.getfixturevalue(case)
    maps = by_meta(gf.gradient_heatmaps(flows))
    for kind, flow in flows.items():
        dh = flow.grads.dh
        z = np.asarray(maps[f"log {kind}"].z, dtype=float)
        drawable = (np.isfinite(dh) & (dh != 0)).T
        with np.errstate(divide="ignore", invalid="ignore"):
            np.testing.assert_array_equal(z[drawable], np.log10(np.abs(dh)).T[drawable])
        assert np.isnan(z[~drawable]).all()
        T, H = dh.shape
        np.testing.assert_array_equal(np.asarray(maps[f"log {kind}"].x), np.arange(1, T + 1))
        np.testing.assert_array_equal(np.asarray(maps[f"log {kind}"].y), np.arange(1, H + 1))


def test_overflowed_cells_take_the_top_colour_and_say_overflow(blowup):
    fig = gf.gradient_heatmaps(blowup)
    maps = by_meta(fig)
    over = maps["overflowed rnn_tanh"]
    where = ~np.isfinite(blowup["rnn_tanh"].grads.dh).T
    np.testing.assert_array_equal(~np.isnan(np.asarray(over.z, dtype=float)), where)
    assert over.colorscale[-1][1] == gf.scale_ends()[1] and "overflowed" in over.hovertemplate
    assert not [m for m in maps if m.startswith("overflowed") and m != "overflowed rnn_tanh"]
    frame = shape_named(fig, "overflowed to ∞")
    assert frame.x1 == last_step_overflowed(np.abs(blowup["rnn_tanh"].grads.dh).max(axis=1)) + 1.5


def test_underflowed_cells_take_the_bottom_colour(underflow):
    maps = by_meta(gf.gradient_heatmaps(underflow))
    zero = maps["underflowed rnn_sigmoid"]
    where = (underflow["rnn_sigmoid"].grads.dh == 0).T
    np.testing.assert_array_equal(~np.isnan(np.asarray(zero.z, dtype=float)), where)
    assert zero.colorscale[0][1] == gf.scale_ends()[0]


@pytest.mark.parametrize("case", ["small", "blowup", "underflow"])
def test_heatmaps_share_one_colour_range_centred_on_one_and_stopping_at_20_decades(case, request):
    flows = request.getfixturevalue(case)
    fig = gf.gradient_heatmaps(flows)
    logs = [tr for tr in fig.data if tr.meta.startswith("log")]
    assert {tr.coloraxis for tr in logs} == {"coloraxis"} and len(logs) == 4
    axis = fig.layout.coloraxis
    z = np.concatenate([np.asarray(tr.z, dtype=float).ravel() for tr in logs])
    assert axis.cmin == -axis.cmax == -min(gf.COLOR_DECADES, max(1.0, np.nanmax(np.abs(z))))


def test_a_vanished_gradient_stays_visibly_blue_beside_a_far_smaller_one(underflow):
    """The sigmoid RNN reaches 0 and 1e-300: the colour range still puts 1e-6 a third of the way to
    the bluest colour, so the LSTM's vanished gradient never looks like the white of step T."""
    axis = gf.gradient_heatmaps(underflow).layout.coloraxis
    assert underflow["rnn_sigmoid"].dh_norm[underflow["rnn_sigmoid"].dh_norm > 0].min() < 1e-200
    assert np.log10(1e-6) / axis.cmin >= 0.3


def test_the_saturated_ends_of_the_colour_bar_say_so(underflow, small):
    bar = gf.gradient_heatmaps(underflow).layout.coloraxis.colorbar
    assert list(bar.tickvals) == [-20, -10, 0, 10, 20]
    assert list(bar.ticktext) == ["≤ 10<sup>−20</sup>", "10<sup>−10</sup>", "1", "10<sup>10</sup>",
                                  "≥ 10<sup>20</sup>"]
    narrow = gf.gradient_heatmaps(small).layout.coloraxis
    assert narrow.cmax < 20 and not any("≤" in t or "≥" in t for t in narrow.colorbar.ticktext)


@pytest.mark.parametrize("case", ["small", "blowup"])
def test_heatmap_hover_gives_the_exact_gradient_past_the_colours_end(case, request):
    flows = request.getfixturevalue(case)
    maps = by_meta(gf.gradient_heatmaps(flows))
    for kind, flow in flows.items():
        np.testing.assert_array_equal(np.asarray(maps[f"log {kind}"].text), sci_array(np.abs(flow.grads.dh)).T)
        assert "%{text}" in maps[f"log {kind}"].hovertemplate


def test_the_colour_bar_and_the_subtitle_name_the_same_quantity(underflow):
    fig = gf.gradient_heatmaps(underflow)
    title = fig.layout.coloraxis.colorbar.title.text
    assert title == "|∂L/∂h<sub>t</sub>|" and fig.layout.title.subtitle.text.startswith(title)
    assert "log₁₀" not in fig.layout.title.subtitle.text and "colours stop at 10⁻²⁰" in fig.layout.title.subtitle.text


@pytest.mark.parametrize("T", [1, 500])
@pytest.mark.parametrize("build", BUILDERS)
def test_every_figure_builds_from_one_step_to_five_hundred(build, T):
    flows = flows_of(np.random.default_rng(2).normal(size=(T, 1)), H=8)
    fig = build(flows)
    assert {tr.type for tr in fig.data} <= {"scatter", "heatmap", "bar"}  # SVG only, never WebGL
    fig.to_json()  # inf, NaN and 0 all serialise


@pytest.mark.parametrize("build", BUILDERS)
def test_every_figure_builds_with_inf_nan_and_zero_gradients(build, blowup, underflow):
    for flows in (blowup, underflow):
        assert build(flows).to_json()


@pytest.mark.parametrize("build", BUILDERS)
def test_any_subset_of_cells_builds_in_kinds_order(build, small):
    fig = build({"gru": small["gru"], "rnn_sigmoid": small["rnn_sigmoid"]})
    named = [tok for tr in fig.data for tok in tr.meta.split() if tok in KINDS]
    named += [k for name in (fig.data[0].x[0] if fig.data[0].meta == "bars" else []) for k in KINDS
              if cells.name(k) == name]
    assert set(named) == {"rnn_sigmoid", "gru"}
    assert named.index("rnn_sigmoid") < named.index("gru")


@pytest.mark.parametrize("build", BUILDERS)
def test_large_switch_enlarges_the_fonts(build, small):
    normal, large = build(small), build(small, large=True)
    assert normal.layout.font.size == font_size(False) < large.layout.font.size == font_size(True)
    assert normal.layout.title.font.size < large.layout.title.font.size


@pytest.mark.parametrize("build", BUILDERS)
def test_titled_and_labelled_in_words(build, small):
    fig = build(small)
    assert fig.layout.title.text and fig.layout.title.subtitle.text
    assert fig.layout.yaxis.title.text
    x_words = any(fig.layout[k].title.text for k in fig.layout if k.startswith("xaxis"))
    assert x_words or fig.data[0].x[0][0] == "sigmoid RNN"  # the clipping bars are named by their cells


def test_bad_flows_are_refused_with_a_clear_message(small):
    with pytest.raises(ValueError, match="flows must map"):
        gf.norm_lines({})
    with pytest.raises(ValueError, match="flows must map"):
        gf.norm_lines({"transformer": small["lstm"]})
    short = flows_of(np.zeros((3, 1)), kinds=("gru",))
    with pytest.raises(ValueError, match="same input"):
        gf.norm_lines({"lstm": small["lstm"], "gru": short["gru"]})


def test_cell_colours_are_four_distinct_colours_named_in_words():
    assert len({palette.cell_color(k) for k in KINDS}) == 4
    assert [cells.name(k) for k in KINDS] == ["sigmoid RNN", "tanh RNN", "LSTM", "GRU"]




@pytest.mark.parametrize("settings", [{}, {"length": 10}, {"gen": "zeros", "length": 200, "scale": 4.0, "biases": 0}])
def test_the_vanished_words_sit_where_no_line_crosses_them_on_the_pages_own_charts(settings):
    from ui.gradients.axes import crossed
    from ui.gradients.state import GradState

    fig = gf.norm_lines(GradState(**settings).flows())
    line = shape_named(fig, "vanished: below 10⁻³")
    lo, hi = fig.layout.yaxis.range
    at = (np.log10(VANISHED) - lo) / (hi - lo)
    step = line_fraction(fig)
    box = at - step if line.label.yanchor == "top" else at
    ys = [np.asarray(tr.y, dtype=float) for tr in fig.data]
    assert crossed(ys, lo, hi, box, step)[line.label.textposition == "end"] == 0
