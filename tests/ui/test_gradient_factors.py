"""The 'why' and 'clipping' charts of the gradient page plot the engine's own factors and updates."""
import numpy as np
import pytest
from gradient_cases import by_meta, domain, line_fraction

from lstm_core import cells
from lstm_core.flow import KINDS, VANISHED, carry_products, clipped_update, rnn_step_factors
from ui.gradients import figures as gf


@pytest.mark.parametrize("case", ["small", "blowup"])
def test_factor_chart_shows_the_rnns_step_gains_and_slopes(case, request):
    flows = request.getfixturevalue(case)
    traces = by_meta(gf.factor_chart(flows))
    for kind in ("rnn_sigmoid", "rnn_tanh"):
        deriv, gains = rnn_step_factors(flows[kind].params, flows[kind].trace)
        np.testing.assert_array_equal(np.asarray(traces[f"gain {kind}"].y), gains)
        np.testing.assert_array_equal(np.asarray(traces[f"deriv {kind}"].y), deriv)


def test_factor_chart_shows_the_gated_cells_carry_products(small):
    traces = by_meta(gf.factor_chart(small))
    for kind, gate in (("lstm", small["lstm"].trace.f), ("gru", small["gru"].trace.z)):
        np.testing.assert_array_equal(np.asarray(traces[f"carry {kind}"].y),
                                      carry_products(gate).mean(axis=1))


def test_factor_chart_has_its_reference_lines_in_words(small):
    fig = gf.factor_chart(small)
    lines = {s.name: s for s in fig.layout.shapes}
    assert lines["gain 1: at most ×1 a step back (an upper bound)"].y0 == 1
    assert lines["sigmoid's φ′ ≤ 0.25"].y0 == 0.25 and lines["tanh's φ′ ≤ 1"].y0 == 1
    assert lines["sigmoid's φ′ ≤ 0.25"].yref == lines["tanh's φ′ ≤ 1"].yref == "y2"  # the slope panel
    assert {tr.name for tr in fig.data if tr.showlegend is not False} >= {"sigmoid RNN", "tanh RNN"}
    carry = lines["10⁻³: vanished below"]
    assert carry.y0 == carry.y1 == VANISHED and carry.yref == "y3"  # the gated cells' panel
    lo, hi = fig.layout.yaxis3.range
    assert lo < np.log10(VANISHED) < hi, "the vanished line is on the panel even when ∏ f stays above it"


@pytest.mark.parametrize("kinds, panels", [(("lstm",), 1), (("rnn_tanh",), 2), (("rnn_sigmoid", "gru"), 3)])
def test_factor_chart_draws_only_the_panels_its_cells_need(small, kinds, panels):
    fig = gf.factor_chart({k: small[k] for k in kinds})
    assert len(fig.layout.annotations) == panels
    assert {tr.meta.split()[1] for tr in fig.data} == set(kinds)


@pytest.mark.parametrize("case", ["small", "blowup"])
def test_clipping_bars_hold_the_updates_clipped_update_gives(case, request):
    flows = request.getfixturevalue(case)
    bars = by_meta(gf.clipping_chart(flows, 0.5, lr=0.2))["bars"]
    expected = np.array([n for k in KINDS for n in clipped_update(flows[k], 0.5, 0.2)])
    np.testing.assert_array_equal(np.asarray(bars.customdata, dtype=float), expected)
    drawable = np.isfinite(expected) & (expected > 0)
    np.testing.assert_array_equal(np.asarray(bars.y, dtype=float)[drawable], expected[drawable])
    assert list(bars.x[0]) == [cells.name(k) for k in KINDS for _ in (0, 1)]
    assert list(bars.x[1]) == ["no clipping", "clipped"] * 4


def test_an_overflowed_update_and_a_dropped_one_are_labelled_markers(blowup):
    fig = gf.clipping_chart(blowup, 1.0)
    raw, clipped = clipped_update(blowup["rnn_tanh"], 1.0)
    assert not np.isfinite(raw) and clipped == 0  # clipping cannot rescue an overflow: it drops it
    special = by_meta(fig)["special"]
    marks = dict(zip(zip(special.x[0], special.x[1]), special.text))
    assert marks == {("tanh RNN", "no clipping"): "∞ overflowed",
                     ("tanh RNN", "clipped"): "0: update dropped"}
    assert special.yaxis == "y2" and list(fig.layout.yaxis2.range) == [0, 1]  # placed in the plot's height
    top, bottom = special.y
    assert 0.5 < top < 1 and 0 < bottom < 0.5


def test_the_dropped_marker_sits_under_the_cap_line(blowup):
    fig = gf.clipping_chart(blowup, 1.0)
    bottom = by_meta(fig)["special"].y[1]
    assert bottom + 2 * line_fraction(fig) <= domain(fig, 0.1)  # its words end below the line


def test_the_cap_line_sits_at_lr_times_max_norm_with_a_tick_of_its_own(small, blowup):
    for flows in (small, blowup):
        fig = gf.clipping_chart(flows, 0.5, lr=0.2)
        (cap,) = fig.layout.shapes
        assert cap.y0 == cap.y1 == pytest.approx(0.1)
        axis = fig.layout.yaxis
        ticks = dict(zip(axis.tickvals, axis.ticktext))
        assert ticks[cap.y0] == "0.1" and fig.layout.annotations[0].text.endswith("= 0.1")
        lo, hi = axis.range
        others = np.log10([v for v in ticks if v != cap.y0])
        assert np.all(np.abs(others - np.log10(cap.y0)) > 0.05 * (hi - lo))  # no "1" beside the cap


def test_clipping_off_draws_one_bar_per_cell_and_says_so_in_the_chart(small, blowup):
    for flows in (small, blowup):
        off = gf.clipping_chart(flows, None)
        assert not off.layout.shapes and "clipping is off" in off.layout.title.subtitle.text
        bars = by_meta(off)["bars"]
        assert list(bars.x) == [cells.name(k) for k in KINDS]
        raw = [clipped_update(flows[k], None)[0] for k in KINDS]
        np.testing.assert_array_equal(np.asarray(bars.customdata, dtype=float), raw)
        assert [a.text for a in off.layout.annotations] == ["clipping is off: set a threshold to see what it does"]
        assert off.layout.margin.r < gf.clipping_chart(flows, 1.0).layout.margin.r  # no room kept for a cap
    assert by_meta(gf.clipping_chart(blowup, None))["special"].text == ("∞ overflowed",)


def test_the_clipping_axis_ends_a_line_of_words_above_the_tallest_bar(small):
    fig = gf.clipping_chart(small, None)
    tallest = np.nanmax(np.asarray(by_meta(fig)["bars"].y, dtype=float))
    room = 1 - domain(fig, tallest)
    assert 2 * line_fraction(fig) <= room <= 4 * line_fraction(fig)  # the value label and the note, no band
