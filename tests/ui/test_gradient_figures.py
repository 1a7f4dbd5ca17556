"""The gradient-page figures plot the flows' own numbers, and overflow or underflow never breaks them.

Heatmaps are unit × time: z[u][s] = log10 |grads.dh[s, u]| (dh transposed), NaN where dh is not
finite or exactly 0; overlays paint those cells.
"""
import numpy as np
import pytest

from lstm_core.flow import (KINDS, carry_products, clipped_update, gradient_flow, last_step_overflowed,
                            make_cells, rnn_step_factors)
from ui import gradient_figures as gf
from ui.palette import font_size

BUILDERS = [gf.norm_lines, gf.gradient_heatmaps, gf.factor_chart,
            lambda flows, **kw: gf.clipping_chart(flows, 1.0, **kw)]


def _flows(xs, kinds=KINDS, **cells):
    params = make_cells(cells.pop("H", 4), **cells)
    return {k: gradient_flow(k, params[k], xs) for k in kinds}


@pytest.fixture(scope="module")
def small():
    """Twelve steps of a random input through all four cells: finite, vanishing at different rates."""
    return _flows(np.random.default_rng(1).normal(size=(12, 1)), seed=0)


@pytest.fixture(scope="module")
def blowup():
    """Weights ×10, no biases, zero input, T = 500: the tanh RNN overflows to inf (and NaN inside)."""
    flows = _flows(np.zeros((500, 1)), H=8, scale=10, biases=False)
    assert np.isinf(flows["rnn_tanh"].dh_norm).any() and not np.isfinite(flows["rnn_tanh"].grads.dh).all()
    return flows


@pytest.fixture(scope="module")
def underflow():
    """Default cells on 500 random steps: the sigmoid RNN's gradient underflows to exactly 0."""
    flows = _flows(np.random.default_rng(0).normal(size=(500, 1)), H=8)
    assert (flows["rnn_sigmoid"].dh_norm == 0).any()
    return flows


def _by_meta(fig):
    return {tr.meta: tr for tr in fig.data}


def _shape(fig, name):
    (shape,) = [s for s in fig.layout.shapes if s.name == name]
    return shape


def _expected_drawn(norms):
    """What a log axis can show: the norm where finite, FLOOR where exactly 0, NaN where overflowed."""
    return np.where(np.isfinite(norms), np.where(norms == 0, gf.FLOOR, norms), np.nan)


@pytest.mark.parametrize("case", ["small", "blowup", "underflow"])
def test_norm_lines_plot_each_cells_dh_norm_and_the_lstm_dc_norm(case, request):
    flows = request.getfixturevalue(case)
    traces = _by_meta(gf.norm_lines(flows))
    for kind, flow in flows.items():
        y = np.asarray(traces[f"{kind} solid"].y, dtype=float)
        finite = np.isfinite(flow.dh_norm) & (flow.dh_norm > 0)
        np.testing.assert_array_equal(y[finite], flow.dh_norm[finite])
        np.testing.assert_array_equal(y, _expected_drawn(flow.dh_norm))
        np.testing.assert_array_equal(np.asarray(traces[f"{kind} solid"].x), np.arange(1, len(y) + 1))
    dc = np.asarray(traces["lstm dash"].y, dtype=float)
    np.testing.assert_array_equal(dc, _expected_drawn(flows["lstm"].dc_norm))


def test_overflow_band_runs_from_step_one_to_the_last_overflowed_step(blowup):
    fig = gf.norm_lines(blowup)
    band = _shape(fig, "overflow rnn_tanh")
    last = last_step_overflowed(blowup["rnn_tanh"].dh_norm)  # 0-based
    assert (band.x0, band.x1) == (0.5, last + 1 + 0.5)  # covers time steps 1..last + 1 whole
    assert [s.name for s in fig.layout.shapes if s.name.startswith("overflow")] == ["overflow rnn_tanh"]
    notes = [a.text for a in fig.layout.annotations]
    assert f"tanh RNN: overflowed to ∞ at steps 1–{last + 1}" in notes


def test_overflowed_points_are_gaps_and_their_hover_says_so(blowup):
    tr = _by_meta(gf.norm_lines(blowup))["rnn_tanh solid"]
    over = ~np.isfinite(blowup["rnn_tanh"].dh_norm)
    assert np.isnan(np.asarray(tr.y, dtype=float)[over]).all()
    assert {tr.text[i] for i in np.flatnonzero(over)} == {"∞ — overflowed"}


def test_the_exploded_line_sits_at_one_million_dotted_and_labelled(small):
    line = _shape(gf.norm_lines(small), "exploded above 10⁶")
    assert line.type == "line" and line.y0 == line.y1 == 1e6 and line.line.dash == "dot"
    assert (line.xref, line.x0, line.x1) == ("x domain", 0, 1) and line.label.text == "exploded above 10⁶"


def test_exact_zeros_are_drawn_on_the_floor_and_labelled_as_underflow(underflow):
    fig = gf.norm_lines(underflow)
    tr = _by_meta(fig)["rnn_sigmoid solid"]
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
    maps = _by_meta(gf.gradient_heatmaps(flows))
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
    maps = _by_meta(fig)
    over = maps["overflowed rnn_tanh"]
    where = ~np.isfinite(blowup["rnn_tanh"].grads.dh).T
    np.testing.assert_array_equal(~np.isnan(np.asarray(over.z, dtype=float)), where)
    assert over.colorscale[-1][1] == gf.scale_ends()[1] and "overflowed" in over.hovertemplate
    assert not [m for m in maps if m.startswith("overflowed") and m != "overflowed rnn_tanh"]
    frame = _shape(fig, "overflowed to ∞")
    assert frame.x1 == last_step_overflowed(np.abs(blowup["rnn_tanh"].grads.dh).max(axis=1)) + 1.5


def test_underflowed_cells_take_the_bottom_colour(underflow):
    maps = _by_meta(gf.gradient_heatmaps(underflow))
    zero = maps["underflowed rnn_sigmoid"]
    where = (underflow["rnn_sigmoid"].grads.dh == 0).T
    np.testing.assert_array_equal(~np.isnan(np.asarray(zero.z, dtype=float)), where)
    assert zero.colorscale[0][1] == gf.scale_ends()[0]


@pytest.mark.parametrize("case", ["small", "blowup"])
def test_heatmaps_share_one_symmetric_colour_range_that_holds_every_value(case, request):
    fig = gf.gradient_heatmaps(request.getfixturevalue(case))
    logs = [tr for tr in fig.data if tr.meta.startswith("log")]
    assert {tr.coloraxis for tr in logs} == {"coloraxis"} and len(logs) == 4
    axis = fig.layout.coloraxis
    z = np.concatenate([np.asarray(tr.z, dtype=float).ravel() for tr in logs])
    assert axis.cmin == -axis.cmax and axis.cmax >= np.nanmax(np.abs(z))
    assert axis.colorbar.title.text == "log₁₀ |gradient|"


@pytest.mark.parametrize("case", ["small", "blowup"])
def test_factor_chart_shows_the_rnns_step_gains_and_slopes(case, request):
    flows = request.getfixturevalue(case)
    traces = _by_meta(gf.factor_chart(flows))
    for kind in ("rnn_sigmoid", "rnn_tanh"):
        deriv, gains = rnn_step_factors(flows[kind].params, flows[kind].trace)
        np.testing.assert_array_equal(np.asarray(traces[f"gain {kind}"].y), gains)
        np.testing.assert_array_equal(np.asarray(traces[f"deriv {kind}"].y), deriv)


def test_factor_chart_shows_the_gated_cells_carry_products(small):
    traces = _by_meta(gf.factor_chart(small))
    for kind, gate in (("lstm", small["lstm"].trace.f), ("gru", small["gru"].trace.z)):
        np.testing.assert_array_equal(np.asarray(traces[f"carry {kind}"].y),
                                      carry_products(gate).mean(axis=1))


def test_factor_chart_has_its_reference_lines_in_words(small):
    fig = gf.factor_chart(small)
    lines = {s.name: s for s in fig.layout.shapes}
    assert lines["gain 1: neither vanishes nor explodes"].y0 == 1
    assert lines["sigmoid's φ′ ≤ 0.25"].y0 == 0.25 and lines["tanh's φ′ ≤ 1"].y0 == 1
    assert lines["sigmoid's φ′ ≤ 0.25"].yref == lines["tanh's φ′ ≤ 1"].yref == "y2"  # the slope panel
    assert {tr.name for tr in fig.data if tr.showlegend is not False} >= {"sigmoid RNN", "tanh RNN"}


@pytest.mark.parametrize("kinds, panels", [(("lstm",), 1), (("rnn_tanh",), 2), (("rnn_sigmoid", "gru"), 3)])
def test_factor_chart_draws_only_the_panels_its_cells_need(small, kinds, panels):
    fig = gf.factor_chart({k: small[k] for k in kinds})
    assert len(fig.layout.annotations) == panels
    assert {tr.meta.split()[1] for tr in fig.data} == set(kinds)


@pytest.mark.parametrize("case", ["small", "blowup"])
def test_clipping_bars_hold_the_updates_clipped_update_gives(case, request):
    flows = request.getfixturevalue(case)
    bars = _by_meta(gf.clipping_chart(flows, 0.5, lr=0.2))["bars"]
    expected = np.array([n for k in KINDS for n in clipped_update(flows[k], 0.5, 0.2)])
    np.testing.assert_array_equal(np.asarray(bars.customdata, dtype=float), expected)
    drawable = np.isfinite(expected) & (expected > 0)
    np.testing.assert_array_equal(np.asarray(bars.y, dtype=float)[drawable], expected[drawable])
    assert list(bars.x[0]) == [gf.CELL_NAMES[k] for k in KINDS for _ in (0, 1)]
    assert list(bars.x[1]) == ["no clipping", "clipped"] * 4


def test_an_overflowed_update_and_a_dropped_one_are_labelled_markers(blowup):
    fig = gf.clipping_chart(blowup, 1.0)
    raw, clipped = clipped_update(blowup["rnn_tanh"], 1.0)
    assert not np.isfinite(raw) and clipped == 0  # clipping cannot rescue an overflow: it drops it
    special = _by_meta(fig)["special"]
    marks = dict(zip(zip(special.x[0], special.x[1]), special.text))
    assert marks == {("tanh RNN", "no clipping"): "∞ overflowed",
                     ("tanh RNN", "clipped"): "0: update dropped"}
    lo, hi = fig.layout.yaxis.range
    assert all(lo < np.log10(y) < hi for y in special.y)


def test_the_cap_line_sits_at_lr_times_max_norm_and_no_clip_means_no_cap(small):
    fig = gf.clipping_chart(small, 0.5, lr=0.2)
    (cap,) = fig.layout.shapes
    assert cap.y0 == cap.y1 == pytest.approx(0.1)
    off = gf.clipping_chart(small, None)
    assert not off.layout.shapes and "clipping is off" in off.layout.title.subtitle.text
    bars = _by_meta(off)["bars"]
    np.testing.assert_array_equal(bars.customdata[0::2], bars.customdata[1::2])


@pytest.mark.parametrize("T", [1, 500])
@pytest.mark.parametrize("build", BUILDERS)
def test_every_figure_builds_from_one_step_to_five_hundred(build, T):
    flows = _flows(np.random.default_rng(2).normal(size=(T, 1)), H=8)
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
              if gf.CELL_NAMES[k] == name]
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
    short = _flows(np.zeros((3, 1)), kinds=("gru",))
    with pytest.raises(ValueError, match="same input"):
        gf.norm_lines({"lstm": small["lstm"], "gru": short["gru"]})


def test_cell_colours_are_four_distinct_colours_named_in_words():
    assert len(set(gf.CELL_COLORS.values())) == 4 and set(gf.CELL_COLORS) == set(KINDS)
    assert list(gf.CELL_NAMES.values()) == ["sigmoid RNN", "tanh RNN", "LSTM", "GRU"]


@pytest.mark.parametrize("value, words", [(0.0806, "0.0806"), (27.3, "27.3"), (1.31e176, "1.31 × 10¹⁷⁶"),
                                          (2.5e-28, "2.50 × 10⁻²⁸"), (np.inf, "∞ (overflowed)"),
                                          (np.nan, "∞ (overflowed)"), (0.0, "0 (underflowed)")])
def test_numbers_are_written_for_reading_aloud(value, words):
    assert gf.sci(value) == words
