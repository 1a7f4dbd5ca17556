"""The "Reading the units" builders: the coloured text's colours and hovers, the cut notice, a
constant feature's message, the ranking table and chart, and the hand-wired quote unit found
through the section's own data path (read_units → ranking → table and chart)."""
import html
import re

import numpy as np
import pytest

from lstm_core import text as tx
from lstm_core import units as U
from tests.engine.test_units import TEXT as QUOTED
from tests.engine.test_units import quote_model
from ui.common.palette import DIVERGING, GATE_COLORS, SEQUENTIAL, ink_on, scale_colour
from ui.text import units_figures as F
from ui.text import units_words as W

SPAN = re.compile(r'<span class=(d|w) style="background:(#[0-9a-f]{6})" title="([^"]*)">(.*?)</span>(<br>)?')


def spans(page):
    """(ink, fill, hover, cell, line break) of every character's span, in order."""
    return SPAN.findall(page)


def hex_of(rgb):
    """'rgb(r, g, b)' as '#rrggbb'."""
    r, g, b = (int(p) for p in rgb[4:-1].split(","))
    return f"#{r:02x}{g:02x}{b:02x}"


@pytest.mark.parametrize("signal, scale, lo, hi", [("f", SEQUENTIAL, 0, 1), ("o", SEQUENTIAL, 0, 1),
                                                   ("h", DIVERGING, -1, 1), ("c_tilde", DIVERGING, -1, 1)])
def test_each_character_gets_the_palette_colour_of_its_value(signal, scale, lo, hi):
    rng = np.random.default_rng(3)
    text = "ab c\nd" * 300
    values = rng.uniform(lo - 0.2, hi + 0.2, len(text))
    got = [fill for _, fill, _, _, _ in spans(F.coloured_text(text, values, signal))]
    assert got == [hex_of(scale_colour(scale, float(v), lo, hi)) for v in values]


def test_the_cell_state_spans_its_largest_value_on_the_diverging_scale():
    values = np.array([-3.04, 0.0, 1.5, 2.0])
    assert F.scale_of("c", values) == (DIVERGING, -3.1, 3.1)
    got = [fill for _, fill, _, _, _ in spans(F.coloured_text("abcd", values, "c"))]
    assert got == [hex_of(scale_colour(DIVERGING, float(v), -3.1, 3.1)) for v in values]
    assert F.scale_of("c", np.array([0.2, -0.5])) == (DIVERGING, -1.0, 1.0)
    assert "−3.1" in F.colour_bar("c", values) and "+3.1" in F.colour_bar("c", values)


def test_the_ink_is_the_palettes_choice_for_each_fill():
    values = np.linspace(0, 1, 41)
    for ink, fill, _, _, _ in spans(F.coloured_text("x" * 41, values, "i")):
        rgb = f"rgb({int(fill[1:3], 16)}, {int(fill[3:5], 16)}, {int(fill[5:], 16)})"
        assert (ink == "d") == (ink_on(rgb) != "white")


def test_hover_names_the_character_its_position_and_the_value_with_its_sign():
    hovers = [html.unescape(h) for _, _, h, _, _ in spans(F.coloured_text("a b\n", [0.25, -0.5, 1.0, -0.0625], "h"))]
    assert hovers == ["'a' · position 1 · hₜ = +0.250", "space · position 2 · hₜ = −0.500",
                      "'b' · position 3 · hₜ = +1.000", "newline · position 4 · hₜ = −0.062"]
    assert "C̃ₜ = +0.100" in html.unescape(F.coloured_text("q", [0.1], "c_tilde"))


def test_spaces_and_newlines_stay_visible_and_markup_is_escaped():
    cells = spans(F.coloured_text('<a> &"\n\tz', np.zeros(9), "h"))
    shown = [c for _, _, _, c, _ in cells]
    assert shown == ["&lt;", "a", "&gt;", " ", "&amp;", "&quot;", "↵", "→", "z"]
    assert [br for *_, br in cells] == [""] * 6 + ["<br>", "", ""]
    assert "white-space:pre-wrap" in F.coloured_text("a", [0.0], "h")


def test_a_text_longer_than_one_pass_is_cut_and_the_page_says_so():
    vocab = tx.vocabulary(QUOTED)
    model, config = quote_model(vocab)
    long_text = (QUOTED * 40)[:U.MAX_CHARS + 123]
    reading = F.read_units(model, vocab, config, long_text, 0)
    assert len(reading.text) == U.MAX_CHARS and reading.total == U.MAX_CHARS + 123
    assert reading.activity["c"].shape[0] == U.MAX_CHARS
    notice = W.cut_notice(reading.total)
    assert f"{U.MAX_CHARS + 123:,}" in notice and f"first {U.MAX_CHARS:,}" in notice
    assert W.cut_notice(U.MAX_CHARS) is None


def test_a_feature_constant_in_the_text_is_said_so_instead_of_ranked():
    text = "Beautiful is better than ugly.\nFlat is better than nested.\n"
    ranking = U.rank_units(np.random.default_rng(0).normal(size=(len(text), 5)), U.text_features(text))
    rows = {name: (unit, r) for name, unit, r in F.feature_rows(ranking)}
    assert rows["inside brackets"] == ("—", "constant in this text")
    assert rows["inside quotes"] == ("—", "constant in this text")
    assert rows["just read a space"][0] == str(ranking["space"].best + 1)  # counted from 1
    message = W.constant_message("brackets", U.text_features(text)["brackets"])
    assert "inside brackets" in message and "it has no brackets" in message and "nothing is ranked" in message


def test_the_table_lists_every_feature_with_its_signed_r():
    rng = np.random.default_rng(2)
    text = 'x = f("a", [b]) \n' * 20
    ranking = U.rank_units(rng.normal(size=(len(text), 7)), U.text_features(text))
    table = F.feature_table(ranking)
    for feature in U.FEATURES:
        rk = ranking[feature]
        assert f"| {U.FEATURE_NAMES[feature]} | {rk.best + 1} | {W.signed(rk.r[rk.best])} |" in table
    assert W.signed(-0.4) == "−0.40" and W.signed(0.4) == "+0.40"


def test_the_ranking_chart_draws_every_units_r_and_highlights_the_best():
    rng = np.random.default_rng(5)
    text = "ab cd\nef gh (ij)\n" * 30
    ranking = U.rank_units(rng.normal(size=(len(text), 12)), U.text_features(text))["space"]
    fig = F.ranking_figure(ranking, "o").to_dict()
    bar = fig["data"][0]
    assert np.allclose(bar["y"], np.abs(ranking.r), atol=1e-4)
    colours = bar["marker"]["color"]
    assert colours[ranking.best] == GATE_COLORS["o"]
    assert [c for u, c in enumerate(colours) if u != ranking.best] == [F.OTHER_BAR] * 11
    assert f"unit {ranking.best + 1}: r = {W.signed(ranking.r[ranking.best])}" == fig["layout"]["annotations"][0]["text"]
    assert bar["hovertext"][3] == f"unit 4: r = {W.signed(ranking.r[3], 3)}"  # counted from 1
    assert bar["x"] == list(range(1, 13))


def test_the_hand_wired_quote_unit_ranks_first_through_the_sections_data_path():
    vocab = tx.vocabulary(QUOTED)
    model, config = quote_model(vocab)
    reading = F.read_units(model, vocab, config, QUOTED, 0)
    ranking = reading.ranking("c")
    assert ranking["quotes"].best == 0 and ranking["quotes"].r[0] > 0.95
    unit, r = next((u, r) for name, u, r in F.feature_rows(ranking) if name == "inside quotes")
    assert unit == "1" and r.startswith("+") and float(r) > 0.95  # unit 0, counted from 1
    assert F.ranking_figure(ranking["quotes"], "c").to_dict()["data"][0]["marker"]["color"][0] == GATE_COLORS["c"]
    inside = reading.features["quotes"] == 1  # the wired unit's colour tells inside from outside
    fills = [fill for _, fill, _, _, _ in spans(F.coloured_text(reading.text, reading.activity["c"][:, 0], "c"))]
    assert not {f for f, q in zip(fills, inside) if q} & {f for f, q in zip(fills, inside) if not q}


def test_a_reading_refuses_characters_the_model_does_not_know():
    vocab = tx.vocabulary(QUOTED)
    model, config = quote_model(vocab)
    with pytest.raises(ValueError, match="'Z'"):
        F.read_units(model, vocab, config, "Zed", 0)


@pytest.mark.parametrize("large", [False, True])
def test_the_coloured_texts_box_is_a_whole_number_of_lines_high_so_no_line_is_cut(large):
    box = F.coloured_text("ab\n" * 60, np.zeros(180), "c", large=large)
    line = float(re.search(r"line-height:([\d.]+);", box).group(1))
    height = float(re.search(r"max-height:([\d.]+)em;", box).group(1))
    assert "box-sizing:content-box" in box and "padding:0 " in box  # no padding for overflow to show in
    assert abs(height / line - round(height / line)) < 1e-9 and round(height / line) >= 10
