"""The Sequence-to-sequence page's figures on hand-made data: what each draws, where, and in words; and the
chance level per length against the engine's own random inputs. Each builder's plain dict is what Plotly's
validation makes of it (the page skips that validation: ui/common/plain.py)."""
import collections
import math

import numpy as np
import plotly.graph_objects as go
import pytest

from lstm_core import seq2seq as S
from ui.seq2seq import figures as G

TOKENS = list(S.TOKENS)
ITEMS = [{"step": s, "loss": 2.0 / s * 20, "accuracy": s / 200, "token_accuracy": min(1.0, s / 150)}
         for s in range(20, 220, 20)]


def _valid(spec):
    """The builder's dict as a validated go.Figure, after checking validation gives the dict back unchanged
    (but for the template, which to_dict fills with an empty scatter entry)."""
    assert isinstance(spec, dict) and spec["layout"]["template"] == {}
    fig = go.Figure(spec)
    validated = fig.to_dict()
    assert {**validated, "layout": {**validated["layout"], "template": {}}} == spec
    return fig


def _texts(fig):
    return [a.text for a in fig.layout.annotations]


@pytest.mark.parametrize("large", [False, True])
def test_the_live_charts_fix_their_axes_to_the_planned_steps_and_say_what_they_plot(large):
    loss = _valid(G.loss_figure(ITEMS, 600, S.V, large=large))
    assert loss.layout.xaxis.range == (0, 612) and loss.layout.xaxis.title.text == "Adam step"
    assert "nats per token" in loss.layout.yaxis.title.text
    uniform = next(t for t in loss.data if t.meta == "uniform")
    assert uniform.y == (math.log(13), math.log(13)) and "13 tokens: 2.56" in uniform.name
    assert loss.layout.yaxis.range[1] >= math.log(13)
    acc = _valid(G.accuracy_figure(ITEMS, 600, large=large))
    exact = next(t for t in acc.data if t.meta == "exact")
    assert exact.y[-1] == pytest.approx(100.0) and acc.layout.yaxis.range == (0, 104)
    assert {t.meta for t in acc.data} == {"exact", "token"}
    assert acc.layout.font.size == (20 if large else 14)


def test_empty_live_charts_say_what_to_do():
    assert _texts(_valid(G.loss_figure([], 600, S.V, large=False, prompt="press Train"))) == ["press Train"]
    assert _texts(_valid(G.accuracy_figure([], 600, large=False))) == ["press Train to start"]


def test_the_length_chart_shades_the_training_lengths_and_draws_chance_at_every_length():
    by_length = {n: (1.0 if n <= 6 else 0.5 ** n) for n in range(1, 13)}
    fig = _valid(G.length_figure(by_length, (2, 6), G.chance_levels("reverse", 12), large=False, x_title="n"))
    bars = next(t for t in fig.data if t.meta == "accuracy")
    assert list(bars.x) == list(range(1, 13)) and bars.y[0] == 100 and bars.y[7] == pytest.approx(100 / 256)
    inside, outside = bars.marker.color[1], bars.marker.color[6]
    assert inside != outside and bars.marker.color[0] == outside  # n = 1 was not trained on either
    band = fig.layout.shapes[0]
    assert (band.x0, band.x1) == (1.5, 6.5)
    assert "trained on n = 2–6" in _texts(fig)
    chance = next(t for t in fig.data if t.meta == "chance")
    assert chance.y[0] == pytest.approx(10.0) and chance.y[2] == pytest.approx(0.1)
    assert "bottleneck" in fig.layout.title.text and fig.layout.yaxis.title.text == "answers exactly right (%)"


def test_the_two_accuracy_charts_name_their_own_test_inputs_so_a_bar_and_the_curve_may_differ():
    acc = _valid(G.accuracy_figure(ITEMS, 600, large=False, held=256))
    assert "on 256 fixed inputs of the training lengths" in acc.layout.title.subtitle.text
    fig = _valid(G.length_figure({1: 1.0}, (1, 6), G.chance_levels("reverse", 12), large=False, x_title="n",
                                 count=64))
    assert "each bar: 64 inputs of its length, not the accuracy chart's set" in fig.layout.title.subtitle.text
    bars = next(t for t in fig.data if t.meta == "accuracy")
    assert "of 64 inputs of length %{x}" in bars.hovertemplate


def test_an_empty_length_chart_keeps_its_band_and_chance_and_says_what_to_do():
    fig = _valid(G.length_figure({}, (1, 6), G.chance_levels("sort", 12), large=True, x_title="n",
                                 prompt="press Train"))
    assert "press Train" in _texts(fig) and "trained on n = 1–6" in _texts(fig)
    assert all(y is None for y in next(t for t in fig.data if t.meta == "accuracy").y)


def test_chance_levels_are_the_likeliest_answers_probability():
    assert G.chance_levels("reverse", 3) == [0.1, 0.01, pytest.approx(0.001)]
    sort = G.chance_levels("sort", 11)
    assert sort[:3] == [0.1, pytest.approx(0.02), pytest.approx(0.006)]  # 2!/10², 3!/10³
    assert sort[9] == pytest.approx(math.factorial(10) / 1e10)
    assert sort[10] == pytest.approx(math.factorial(11) / 2 / 1e11)  # one digit twice
    assert G.chance_levels("add", 3) == [0.1, pytest.approx(1 / 90), pytest.approx(1 / 900)]


@pytest.mark.parametrize("task,n,likeliest", [("reverse", 1, "7"), ("sort", 2, "07"), ("sort", 3, "017"),
                                               ("add", 1, "9"), ("add", 2, "109")])
def test_chance_levels_match_a_likeliest_answers_share_of_the_engines_random_inputs(task, n, likeliest):
    rng = np.random.default_rng(5)
    texts = S.random_texts(task, [n] * 40_000, rng)
    counts = collections.Counter(S.answer(task, t) for t in texts)
    chance = G.chance_levels(task, n)[n - 1]
    assert counts[likeliest] / len(texts) == pytest.approx(chance, rel=0.15)
    assert counts.most_common(1)[0][1] / len(texts) < chance * 1.3  # none is much likelier (noise aside)


def test_the_pipeline_draws_one_box_per_token_read_and_written_and_the_vector_between():
    fig = _valid(G.pipeline_figure(list("321"), list("▶123"), list("123■"), 64, large=False, reversed_input=True))
    boxes = {t.meta: t.x.count(None) for t in fig.data if t.fill == "toself"}
    assert boxes == {"encoder": 3, "decoder": 4, "vector": 1}
    rows = {t.meta: t for t in fig.data if t.mode == "text"}
    assert rows["read"].text == tuple("321") and rows["fed"].text == tuple("▶123")
    assert rows["written"].text == ("<b>1</b>", "<b>2</b>", "<b>3</b>", "<b>■</b>")
    assert rows["fed"].x == rows["written"].x and min(rows["fed"].x) > max(rows["read"].x)  # the decoder after
    arrows = [t for t in fig.data if t.meta == "arrows"]
    assert sum(t.x.count(None) for t in arrows) == (3 + 4 + 4) + (2 + 3) + 2  # up, along, the handover
    texts = _texts(fig)
    assert any("2 × 64 numbers" in t for t in texts) and any("reversed" in t for t in texts)
    assert "(h<sub>T</sub>, C<sub>T</sub>)" in fig.layout.title.subtitle.text


def test_the_vector_is_two_strips_of_h_units_h_on_minus_1_to_1_and_c_on_its_own_range():
    h, c = np.linspace(-0.9, 0.9, 8), np.linspace(-3, 2, 8)
    fig = _valid(G.vector_figure(h, c, large=True))
    strips = {t.meta: t for t in fig.data}
    assert list(strips["h"].z[0]) == list(h) and (strips["h"].zmin, strips["h"].zmax) == (-1, 1)
    assert list(strips["c"].z[0]) == list(c) and (strips["c"].zmin, strips["c"].zmax) == (-3, 3)
    assert list(strips["h"].x) == list(range(1, 9))
    assert "only thing the decoder receives" in fig.layout.title.text
    assert {a.text for a in fig.layout.annotations} == {"<b>h<sub>T</sub>: the hidden state</b>",
                                                        "<b>C<sub>T</sub>: the cell state</b>"}


def test_the_steps_heatmap_outlines_each_choice_and_the_right_token_where_the_choice_is_wrong():
    probs = np.full((3, 13), 0.01)
    probs[0, 3], probs[1, 5], probs[2, 12] = 0.9, 0.6, 0.95
    fig = _valid(G.steps_figure(probs, TOKENS, [3, 5, 12], [3, 4, 12], large=False))
    assert np.array_equal(np.array(fig.data[0].z), probs) and list(fig.layout.xaxis.ticktext) == TOKENS
    assert list(fig.layout.yaxis.ticktext) == ["1", "2", "3"] and fig.layout.yaxis.range == (2.5, -0.5)
    outlines = {t.meta: t for t in fig.data[1:]}

    def centres(trace):
        xs, ys = [v for v in trace.x if v is not None], [v for v in trace.y if v is not None]
        return [(xs[i] + 0.5, ys[i] + 0.5) for i in range(0, len(xs), 5)]  # a rectangle's first corner + ½

    assert centres(outlines["chosen"]) == [(3, 0), (5, 1), (12, 2)] and centres(outlines["right"]) == [(4, 1)]
    assert outlines["chosen"].line.dash == "solid" and outlines["right"].line.dash == "dot"
    assert fig.data[0].text[0][3] == "0.90" and fig.data[0].text[0][0] == ""
    assert fig.data[0].customdata[1][5] == "output 2, token 5"
    assert fig.data[0].customdata[0][S.START] == "output 1, token ▶ (START: the decoder's first input)"
    assert fig.data[0].customdata[2][S.END] == "output 3, token ■ (END: the answer is done)"


def test_the_steps_heatmaps_printed_probabilities_grow_with_large_fonts():
    probs = np.full((2, 13), 0.01)
    small, large = (_valid(G.steps_figure(probs, TOKENS, [3, 12], [3, 12], large=big)) for big in (False, True))
    assert small.data[0].textfont.size == 11 and large.data[0].textfont.size == 20 == large.layout.font.size


def test_teacher_forcing_beside_own_outputs_marks_wrong_tokens_and_names_where_the_two_differ():
    right = list("321■")
    forced = (list("▶321"), list("311■"), [0.9, 0.5, 0.8, 0.9])
    own = (list("▶311"), list("3111■"), [0.9, 0.5, 0.7, 0.6, 0.8])
    fig = _valid(G.forcing_figure(right, forced, own, large=False))
    grid = fig.data[0]
    assert list(grid.y) == list(G.FORCING_ROWS) and list(grid.x) == [1, 2, 3, 4, 5]
    text, z = [list(row) for row in grid.text], [list(row) for row in grid.z]
    assert text[2] == ["3", "1 ✗", "1", "■", ""] and z[2] == [1, 2, 1, 1, 0]
    assert text[4] == ["3", "1 ✗", "1", "1 ✗", "■ ✗"] and z[4] == [1, 2, 1, 2, 2]
    assert z[0] == [0, 0, 0, 0, 0]  # rows that are fed, not written, are not judged
    hover = [list(row) for row in grid.customdata]
    assert hover[1][0] == "▶ (START: the decoder's first input)" and hover[0][3] == "■ (END: the answer is done)"
    assert hover[2][3] == "■ (END: the answer is done), p = 0.900"
    assert "they differ at position 4, 5" in fig.layout.title.subtitle.text
    both = (list("▶321"), right, [0.9] * 4)
    same = _valid(G.forcing_figure(right, both, both, large=True))
    assert "both write the same tokens" in same.layout.title.subtitle.text
