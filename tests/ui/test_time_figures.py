"""The "Through time" figures show the trace's own numbers, on the promised axes, scales and cursor.

Heatmaps are unit × time: z[u][s] = trace.<field>[s, u] (the (T, H) array transposed).
"""
import numpy as np
import pytest

import lstm_core as lc
from ui.cell import time_figures as tf
from ui.common.palette import DIVERGING, SEQUENTIAL
from ui.common import style
from ui.common.style import font_size

T, I, H = 7, 2, 3
BUILDERS = [tf.gate_heatmaps, tf.state_heatmaps, tf.state_lines, tf.ledger]


def _trace(T=T, H=H, I=I, seed=0, peephole=False, c0=None):
    """A seeded unbatched trace; weights tripled so gates reach near 0 and 1."""
    params = lc.LSTMParams.init(I, H, seed=seed, peephole=peephole).map(lambda a: 3.0 * a)
    xs = np.random.default_rng(seed + 1).normal(size=(T, I))
    return lc.lstm_forward(params, xs, c0=c0)


@pytest.fixture(scope="module")
def trace():
    return _trace(c0=np.array([2.5, -2.0, 0.5]))  # a full belt at the start: C_t leaves −1..1


def _heatmaps(fig):
    return {tr.meta: tr for tr in fig.data if tr.type == "heatmap"}


def _scale(fig, name):
    """The colour scale a palette name resolves to, as the figure's layout stores it."""
    return type(fig.layout)(coloraxis=dict(colorscale=name)).coloraxis.colorscale


def test_gate_heatmap_z_is_the_trace_transposed_to_unit_by_time(trace):
    maps = _heatmaps(tf.gate_heatmaps(trace))
    assert set(maps) == {"f", "i", "o", "c_tilde"}
    for key, hm in maps.items():
        np.testing.assert_array_equal(np.asarray(hm.z), getattr(trace, key).T)
        np.testing.assert_array_equal(np.asarray(hm.x), np.arange(1, T + 1))
        np.testing.assert_array_equal(np.asarray(hm.y), np.arange(1, H + 1))


def test_state_heatmap_z_is_the_trace_transposed_and_keeps_values_beyond_one(trace):
    maps = _heatmaps(tf.state_heatmaps(trace))
    assert set(maps) == {"c", "h"}
    for key, hm in maps.items():
        np.testing.assert_array_equal(np.asarray(hm.z), getattr(trace, key).T)
    assert np.abs(trace.c).max() > 1  # saturates on the scale, exact in the data and the hover
    assert "%{z:.4f}" in maps["c"].hovertemplate


def test_gates_use_the_sequential_scale_and_the_candidate_the_diverging_one(trace):
    fig = tf.gate_heatmaps(trace)
    maps = _heatmaps(fig)
    gates, cand = fig.layout.coloraxis, fig.layout.coloraxis2
    assert {maps[k].coloraxis for k in "fio"} == {"coloraxis"} and maps["c_tilde"].coloraxis == "coloraxis2"
    assert (gates.cmin, gates.cmax, cand.cmin, cand.cmax) == (0, 1, -1, 1)
    assert gates.colorbar.title.text == "gate value (0 = closed, 1 = open)"
    assert gates.colorscale == _scale(fig, SEQUENTIAL) and cand.colorscale == _scale(fig, DIVERGING)
    titles = [a.text for a in fig.layout.annotations]
    assert any("candidate" in t and "−1..1" in t for t in titles)


def test_state_heatmaps_are_diverging_around_zero_from_minus_one_to_one(trace):
    fig = tf.state_heatmaps(trace)
    axis = fig.layout.coloraxis
    assert (axis.cmin, axis.cmid, axis.cmax) == (-1, 0, 1) and axis.colorscale == _scale(fig, DIVERGING)


def test_subplots_are_titled_with_the_palette_words(trace):
    titles = " ".join(a.text for a in tf.gate_heatmaps(trace).layout.annotations)
    for words in ("forget gate f", "input gate i", "output gate o", "candidate C̃"):
        assert words in titles
    titles = " ".join(a.text for a in tf.state_heatmaps(trace).layout.annotations)
    assert "cell state C" in titles and "hidden state h" in titles


@pytest.mark.parametrize("build", BUILDERS)
def test_cursor_draws_a_vertical_line_at_that_step_on_every_subplot(build, trace):
    cursor = 4
    fig = build(trace, cursor=cursor)
    lines = [s for s in fig.layout.shapes if s.x0 == s.x1 == cursor + 1 and s.yref.endswith("domain")]
    subplots = {tr.xaxis or "x" for tr in fig.data}
    assert {s.xref for s in lines} == subplots
    assert not [s for s in build(trace).layout.shapes if s.yref.endswith("domain")]


@pytest.mark.parametrize("build", BUILDERS)
@pytest.mark.parametrize("cursor", [-1, T])
def test_cursor_outside_the_sequence_is_refused(build, cursor, trace):
    with pytest.raises(ValueError, match="cursor"):
        build(trace, cursor=cursor)


@pytest.mark.parametrize("build", BUILDERS)
def test_every_figure_is_titled_labelled_and_svg_only(build, trace):
    fig = build(trace)
    assert fig.layout.title.text and fig.layout.title.subtitle.text
    assert {tr.type for tr in fig.data} <= {"heatmap", "scatter", "bar"}  # never Scattergl
    bottom = [fig.layout[k] for k in fig.layout if k.startswith("xaxis") and fig.layout[k].title.text]
    assert [a.title.text for a in bottom] == ["time step t"]
    assert bottom[0].range == (0.5, T + 0.5)
    for k in fig.layout:
        if k.startswith("yaxis"):
            assert fig.layout[k].title.text


@pytest.mark.parametrize("build", BUILDERS)
def test_large_switch_enlarges_every_font(build, trace):
    small, large = build(trace), build(trace, large=True)
    assert small.layout.font.size == font_size(False) < large.layout.font.size == font_size(True)
    assert small.layout.title.font.size < large.layout.title.font.size


def test_state_lines_show_the_input_and_c_solid_h_dashed_in_one_colour_per_unit(trace):
    fig = tf.state_lines(trace)
    inputs = [tr for tr in fig.data if tr.meta.startswith("input")]
    assert len(inputs) == I
    for k, tr in enumerate(inputs):
        np.testing.assert_array_equal(np.asarray(tr.y), trace.xs[:, 0, k])
    lines = {tuple(tr.meta.split()[1:]): tr for tr in fig.data if tr.meta.startswith("line")}
    assert len(lines) == 2 * H
    for (key, u), tr in lines.items():
        np.testing.assert_array_equal(np.asarray(tr.y), getattr(trace, key)[:, int(u)])
        assert tr.line.dash == {"c": "solid", "h": "dash"}[key]
        assert tr.line.color == lines[("c", u)].line.color
    assert len({lines[("c", str(u))].line.color for u in range(H)}) == H
    assert [tr.name for tr in fig.data if tr.showlegend is not False] == [f"unit {u + 1}" for u in range(H)]


@pytest.mark.parametrize("case", ["plain", "peephole", "nonzero c0"])
def test_ledger_kept_plus_written_is_c_t_at_every_step(case):
    c0 = np.linspace(-1.5, 1.5, H) if case == "nonzero c0" else None
    trace = _trace(T=12, peephole=case == "peephole", c0=c0)
    for unit in range(H):
        rows = tf.ledger_table(trace, unit)
        assert [r["t"] for r in rows] == list(range(1, 13))
        c_prev = np.concatenate([[0.0 if c0 is None else c0[unit]], trace.c[:-1, unit]])
        for s, r in enumerate(rows):
            assert r["kept"] + r["written"] == pytest.approx(r["c"], abs=1e-12)
            assert r["c"] == trace.c[s, unit] and r["c_prev"] == c_prev[s]
            assert (r["f"], r["i"], r["c_tilde"]) == (trace.f[s, unit], trace.i[s, unit], trace.c_tilde[s, unit])
            assert r["kept"] == r["f"] * r["c_prev"] and r["written"] == r["i"] * r["c_tilde"]


def test_ledger_figure_bars_and_line_are_the_table(trace):
    unit = 2
    fig = tf.ledger(trace, unit)
    rows = tf.ledger_table(trace, unit)
    kept, written, c = fig.data
    assert fig.layout.barmode == "relative"  # bars stack to kept + written
    np.testing.assert_array_equal(np.asarray(kept.y), [r["kept"] for r in rows])
    np.testing.assert_array_equal(np.asarray(written.y), [r["written"] for r in rows])
    np.testing.assert_array_equal(np.asarray(c.y), trace.c[:, unit])
    assert f"unit {unit + 1}" in fig.layout.title.text


def test_ledger_table_on_the_page_names_its_columns_as_the_equations_do(trace):
    frame = tf.ledger_frame(trace, 1)
    assert list(frame.columns) == ["time step t", "Cₜ₋₁", "fₜ", "kept fₜ·Cₜ₋₁", "iₜ", "C̃ₜ", "written iₜ·C̃ₜ",
                                   "Cₜ = kept + written"]
    rows = tf.ledger_table(trace, 1)
    np.testing.assert_array_equal(frame["C̃ₜ"], [round(r["c_tilde"], 3) for r in rows])
    np.testing.assert_array_equal(frame["time step t"], np.arange(1, T + 1))


def test_no_label_of_a_time_figure_calls_the_candidate_g(trace):
    for build in BUILDERS:
        text = str(build(trace).to_dict()["layout"]) + " ".join(str(t.name) for t in build(trace).data)
        assert " g " not in text and "·g" not in text and "i·g" not in text


@pytest.mark.parametrize("unit", [-1, H])
def test_ledger_of_a_unit_that_does_not_exist_is_refused(unit, trace):
    with pytest.raises(ValueError, match="unit"):
        tf.ledger_table(trace, unit)


@pytest.mark.parametrize("build", BUILDERS)
def test_a_batched_trace_is_refused_with_a_clear_message(build):
    params = lc.LSTMParams.init(I, H, seed=0)
    batched = lc.lstm_forward(params, np.zeros((T, 2, I)))
    with pytest.raises(ValueError, match="unbatched"):
        build(batched)


@pytest.mark.parametrize("T_, H_", [(1, 1), (1, 4), (500, 2)] + [(9, h) for h in range(1, 5)])
@pytest.mark.parametrize("build", BUILDERS)
def test_builds_from_one_step_to_five_hundred_and_one_to_four_units(build, T_, H_):
    fig = build(_trace(T=T_, H=H_, I=1), cursor=T_ - 1)
    assert all(len(tr.x) == T_ for tr in fig.data)  # every trace runs over the whole sequence
    assert all(fig.layout[k].range == (0.5, T_ + 0.5) for k in fig.layout if k.startswith("xaxis"))


def test_time_ticks_are_the_finest_of_1_2_5_10_20_50_that_keep_twelve_or_fewer():
    steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
    for n in (1, 5, 12, 13, 60, 500, 5000):
        step = style.nice_dtick(n, max_ticks=12)
        k = steps.index(step)
        assert n / step <= 12 and (k == 0 or n / steps[k - 1] > 12)


def test_rich_writes_subscripts_as_html():
    assert style.rich("f_t · C_{t−1}") == "f<sub>t</sub> · C<sub>t−1</sub>"
    assert style.rich("unit 3") == "unit 3"


def test_the_ledgers_cursor_is_drawn_under_the_bars_so_the_bar_at_the_cursor_stays_whole(trace):
    shapes = [s for s in tf.ledger(trace, cursor=T - 1).layout.shapes if s.yref.endswith("domain")]
    assert shapes and all(s.layer == "below" for s in shapes)


def test_on_a_strip_of_characters_the_cursor_is_a_band_behind_the_character_and_leaves_it_uncrossed(trace):
    chars = list("abcdefg")
    fig = tf.state_lines(trace, cursor=T - 1, chars=chars)
    strip = next(tr.xaxis for tr in fig.data if tr.meta == "input chars")
    on_strip = [s for s in fig.layout.shapes if s.xref == strip]
    band = [s for s in on_strip if s.type == "rect"]
    assert len(band) == 1 and (band[0].x0, band[0].x1, band[0].layer) == (T - 0.5, T + 0.5, "below")
    dashes = [s for s in on_strip if s.type == "line"]
    assert dashes and all(s.y1 <= 0.2 or s.y0 >= 0.8 for s in dashes)  # the character sits at 0.5
    others = [s for s in fig.layout.shapes if s.xref != strip and s.yref.endswith("domain")]
    assert others and all((s.y0, s.y1) == (0, 1) for s in others)


def test_many_units_are_mapped_without_gaps_and_drawn_faint_without_a_legend():
    many = _trace(T=9, H=tf.MANY_UNITS + 1, I=1)
    for build in (tf.gate_heatmaps, tf.state_heatmaps):
        assert all((tr.xgap, tr.ygap) == (0, 0) for tr in _heatmaps(build(many)).values())
    lines = [tr for tr in tf.state_lines(many).data if str(tr.meta).startswith("line")]
    assert all(tr.opacity < 1 and tr.showlegend is False for tr in lines)
    assert any(f"all {tf.MANY_UNITS + 1} units, faint" in a.text for a in tf.state_lines(many).layout.annotations)
    few = _heatmaps(tf.gate_heatmaps(_trace(T=9, H=8, I=1)))
    assert all(tr.xgap == 1 for tr in few.values())  # small cells keep their brick look


def test_among_many_faint_units_the_chosen_one_is_drawn_in_full_on_top():
    many = _trace(T=9, H=tf.MANY_UNITS + 1, I=1)
    fig = tf.state_lines(many, unit=5)
    lines = [tr for tr in fig.data if str(tr.meta).startswith("line")]
    chosen = [tr for tr in lines if tr.meta.endswith(" 5")]
    assert [tr.meta for tr in lines[-2:]] == [tr.meta for tr in chosen]  # drawn last: on top
    assert all(tr.opacity == 1 for tr in chosen) and [tr.showlegend for tr in chosen] == [True, False]
    assert all(tr.opacity < 1 and not tr.showlegend for tr in lines if tr not in chosen)
    assert any("unit 6, the one chosen, in full" in a.text for a in fig.layout.annotations)
    np.testing.assert_array_equal(chosen[0].y, many.c[:, 0, 5] if many.c.ndim == 3 else many.c[:, 5])


def test_many_units_whose_cell_state_leaves_minus_one_to_one_get_c_on_its_own_scale_named_on_its_bar():
    params = lc.LSTMParams.init(1, tf.MANY_UNITS + 1, seed=0).map(lambda a: 3.0 * a)
    many = lc.lstm_forward(params, np.ones((30, 1)), c0=np.full(tf.MANY_UNITS + 1, 3.0))
    reach = np.abs(many.c).max()
    assert reach > 1
    fig = tf.state_heatmaps(many)
    maps, c_axis, h_axis = _heatmaps(fig), fig.layout.coloraxis, fig.layout.coloraxis2
    assert (maps["c"].coloraxis, maps["h"].coloraxis) == ("coloraxis", "coloraxis2")
    assert c_axis.cmid == 0 and c_axis.cmin == -c_axis.cmax and reach <= c_axis.cmax < reach + 1
    assert (h_axis.cmin, h_axis.cmax) == (-1, 1)
    assert f"{c_axis.cmax:g}" in c_axis.colorbar.title.text and c_axis.colorscale == _scale(fig, DIVERGING)


def test_with_characters_the_hovers_name_the_character_read_at_each_step(trace):
    chars = list("ab cdef")
    for fig in (tf.gate_heatmaps(trace, chars=chars), tf.state_heatmaps(trace, chars=chars)):
        for hm in _heatmaps(fig).values():
            assert "reads %{customdata}" in hm.hovertemplate
            assert [list(row) for row in hm.customdata] == [tf.shown_chars(chars)] * H
    lines = [tr for tr in tf.state_lines(trace, chars=chars).data if str(tr.meta).startswith("line")]
    assert all(list(tr.customdata) == ["a", "b", "␣", "c", "d", "e", "f"] for tr in lines)
