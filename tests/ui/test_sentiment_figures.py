"""The Sentiment figures draw exactly the numbers they are given, at both font sizes: the training chart's
four curves on fixed axes, the per-category bars of the LSTM beside the bag of words, the running
prediction over the words with the 0.5 line and the baseline flat, ‖ΔC_t‖ bars, the gates as words ×
units heatmaps on 0..1, and the padded grid whose pad trace covers exactly the pad cells. Each builder's
plain dict is what Plotly's validation makes of it (the page skips that validation: ui/common/plain.py)."""
import base64

import numpy as np
import plotly.graph_objects as go
import pytest
from plotly.colors import get_colorscale

from ui.common.palette import SEQUENTIAL
from ui.common.style import font_size
from ui.sentiment import figures as G
from ui.sentiment import padding_figures as PF
from ui.sentiment.state import DEFAULT_SENTENCE as SS_DEFAULT

ITEMS = [{"step": 10, "loss": 0.69, "val_loss": 0.70, "accuracy": 0.52, "val_accuracy": 0.50},
         {"step": 20, "loss": 0.40, "val_loss": 0.55, "accuracy": 0.81, "val_accuracy": 0.70},
         {"step": 30, "loss": 0.21, "val_loss": None, "accuracy": 0.93, "val_accuracy": None}]
WORDS = ["not", "good", "zorbly", "film"]
UNKNOWN = [False, False, True, False]


def _valid(spec):
    """The builder's dict as a validated go.Figure, after checking validation gives the dict back unchanged
    (but for the template, which to_dict fills with an empty scatter entry)."""
    assert spec["layout"]["template"] == {}
    fig = go.Figure(spec)
    validated = fig.to_dict()
    assert {**validated, "layout": {**validated["layout"], "template": {}}} == spec
    return fig


def _array(values):
    """A trace's values as an array, a typed array (float64 bytes in base64) decoded."""
    if isinstance(values, dict):
        shape = [int(n) for n in values.get("shape", "-1").split(",")]
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).reshape(shape)
    return np.asarray(values)


def _by_meta(fig, meta):
    return next(t for t in fig.data if t.meta == meta)


@pytest.mark.parametrize("large", [False, True])
def test_the_training_chart_plots_every_item_on_axes_fixed_for_the_whole_run(large):
    fig = _valid(G.training_figure(ITEMS, 300, large=large))
    for key in ("loss", "val_loss", "accuracy", "val_accuracy"):
        trace = _by_meta(fig, key)
        assert list(_array(trace.x)) == [10, 20, 30]
        expected = [np.nan if it[key] is None else it[key] for it in ITEMS]
        np.testing.assert_array_equal(_array(trace.y), expected)  # a missing held-out value is a gap
    assert (_by_meta(fig, "loss").xaxis, _by_meta(fig, "accuracy").xaxis) == ("x", "x2")
    assert list(fig.layout.xaxis.range) == list(fig.layout.xaxis2.range) == [0, 306]
    assert fig.layout.yaxis.range[1] > 0.70 and list(fig.layout.yaxis2.range) == [0, 1.02]
    assert fig.layout.shapes[0].y0 == 0.5  # chance on the accuracy side
    assert fig.layout.font.size == font_size(large)
    assert fig.layout.title.text and fig.layout.xaxis.title.text == "Adam step"


def test_an_empty_training_chart_says_its_prompt_and_its_loss_axis_reaches_ln_2():
    fig = _valid(G.training_figure([], 300, large=False, prompt="training: the first point comes at step 10"))
    assert "training: the first point comes at step 10" in [a.text for a in fig.layout.annotations]
    assert fig.layout.yaxis.range[1] == pytest.approx(np.log(2) * 1.08)  # a coin's loss fits from the start


@pytest.mark.parametrize("large", [False, True])
def test_the_category_bars_are_the_accuracies_given_with_their_counts(large):
    fig = _valid(G.category_figure(["plain", "negation"], [0.95, 0.8], [0.9, 0.45], [20, 10], large=large))
    lstm, bow = _by_meta(fig, "lstm"), _by_meta(fig, "bow")
    assert list(lstm.y) == list(bow.y) == ["plain (20)", "negation (10)"]
    assert list(lstm.x) == [0.95, 0.8] and list(bow.x) == [0.9, 0.45]
    assert list(bow.text) == ["90%", "45%"]
    assert fig.layout.shapes[0].x0 == 0.5 and fig.layout.title.text and len(fig.layout.shapes) == 1
    total = _valid(G.category_figure(["plain", "all"], [0.9, 0.9], [0.5, 0.5], [20, 20], large=large))
    assert total.layout.shapes[1].y0 == 0.5  # the line between the kinds and "all"


@pytest.mark.parametrize("large", [False, True])
def test_the_running_prediction_is_one_point_per_word_with_the_baseline_flat(large):
    fig = _valid(G.running_figure(WORDS, UNKNOWN, [0.5, 0.3, 0.25, 0.1], 0.62, large=large))
    lstm, bow = _by_meta(fig, "lstm"), _by_meta(fig, "bow")
    assert list(lstm.x) == [1, 2, 3, 4] and list(_array(lstm.y)) == [0.5, 0.3, 0.25, 0.1]
    assert list(bow.y) == [0.62, 0.62] and "0.62" in bow.name
    assert list(fig.layout.xaxis.ticktext) == ["not", "good", f"zorbly<br>{G.UNK}", "film"]
    half = _by_meta(fig, "half")  # the 0.5 line is named in the legend
    assert list(half.y) == [0.5, 0.5] and half.name == "0.5: undecided" and half.showlegend is not False
    assert "if the sentence ended" in fig.layout.title.subtitle.text
    bi = _valid(G.running_figure(WORDS, UNKNOWN, [0.5, 0.3, 0.25, 0.1], 0.62, large=large, bidirectional=True))
    assert "cut off at that word, read both ways" in bi.layout.title.subtitle.text


def test_the_memory_bars_are_the_cell_state_changes_per_word():
    fig = _valid(G.memory_figure(WORDS, UNKNOWN, [0.9, 1.2, 0.05, 0.4], large=True))
    bars = _by_meta(fig, "dC")
    assert list(_array(bars.y)) == [0.9, 1.2, 0.05, 0.4] and list(bars.x) == [1, 2, 3, 4]
    assert "<sub>t</sub>" in fig.layout.yaxis.title.text  # C_t with its subscript
    assert fig.layout.font.size == font_size(True)
    assert "direction" not in fig.layout.title.text  # one LSTM: no direction to name
    bi = _valid(G.memory_figure(WORDS, UNKNOWN, [0.9, 1.2, 0.05, 0.4], large=True, bidirectional=True))
    assert bi.layout.title.text.endswith("forward direction") and "left to right" in bi.layout.title.subtitle.text


def test_a_bidirectional_models_gates_are_named_the_forward_directions():
    gates = {g: np.full((4, 3), 0.5) for g in G.GATES}
    assert "direction" not in _valid(G.gates_figure(WORDS, UNKNOWN, gates, large=False)).layout.title.text
    bi = _valid(G.gates_figure(WORDS, UNKNOWN, gates, large=True, bidirectional=True))
    assert bi.layout.title.text.endswith("forward direction") and "left to right" in bi.layout.title.subtitle.text


def test_word_labels_slant_at_large_fonts_when_neighbours_would_run_together():
    words = SS_DEFAULT.split()  # "... acting was wonderful": eleven words
    gates = {g: np.full((len(words), 3), 0.5) for g in G.GATES}
    unknown = [False] * len(words)
    for large, angle in ((False, 0), (True, -40)):
        gates_fig = _valid(G.gates_figure(words, unknown, gates, large=large))
        figs = [_valid(G.running_figure(words, unknown, np.full(len(words), 0.5), 0.5, large=large)),
                _valid(G.memory_figure(words, unknown, np.ones(len(words)), large=large))]
        assert gates_fig.layout.xaxis3.tickangle == angle, large  # the bottom heatmap names the words
        assert [fig.layout.xaxis.tickangle for fig in figs] == [angle] * 2, large
    short = ["good", ",", "not", "bad"]
    assert G.tick_angle(short, font_size(True)) == 0  # four short words never need it
    width = (len("wonderful") + 1) * G.CHAR_EM * font_size(True)  # a slant only when the room is short
    assert width > G.WORDS_WIDTH / len(words) and width <= G.WORDS_WIDTH / 4


def test_the_gates_are_three_words_by_units_heatmaps_on_one_0_to_1_scale():
    rng = np.random.default_rng(0)
    gates = {g: rng.uniform(size=(4, 3)) for g in G.GATES}  # 4 words, 3 units
    fig = _valid(G.gates_figure(WORDS, UNKNOWN, gates, large=False))
    for g in G.GATES:
        trace = _by_meta(fig, g)
        np.testing.assert_array_equal(_array(trace.z), gates[g].T)  # rows units, columns words
        assert list(trace.x) == [1, 2, 3, 4] and list(trace.y) == [1, 2, 3]  # units from 1
        assert trace.customdata[0][2] == f"zorbly ({G.UNK})"
    assert (fig.layout.coloraxis.cmin, fig.layout.coloraxis.cmax) == (0, 1)
    assert [c[1] for c in fig.layout.coloraxis.colorscale] == [c[1] for c in get_colorscale(SEQUENTIAL)]
    assert [a.text for a in fig.layout.annotations][:1] == ["forget gate f<sub>t</sub> — 0 forgets, 1 keeps "
                                                           "C<sub>t−1</sub>"]


BATCH_WORDS = np.array([["the", "bad", "good"],
                        ["film", "⟨pad⟩", "movie"],
                        ["was", "⟨pad⟩", "⟨pad⟩"],
                        ["fine", "⟨pad⟩", "⟨pad⟩"]], dtype=object)  # (T, B) = (4, 3)
BATCH_MASK = np.array([[1, 1, 1], [1, 0, 1], [1, 0, 0], [1, 0, 0]], dtype=bool)


@pytest.mark.parametrize("large", [False, True])
def test_the_padded_grid_marks_exactly_the_pad_cells(large):
    fig = _valid(PF.grid_figure(BATCH_WORDS, BATCH_MASK, [3, 0, 1], large=large, title="A padded batch", subtitle=""))
    word, pad = _by_meta(fig, "word"), _by_meta(fig, "pad")
    is_pad = ~BATCH_MASK.T  # (B, T)
    np.testing.assert_array_equal(np.isnan(_array(pad.z)), ~is_pad)
    np.testing.assert_array_equal(np.isnan(_array(word.z)), is_pad)
    assert [[t == PF.PAD for t in row] for row in pad.text] == is_pad.tolist()
    assert [row[1] for row in word.text] == ["film", "", "movie"]
    assert list(pad.y) == ["sentence 1<br>4 words", "sentence 2<br>1 word", "sentence 3<br>2 words"]
    assert word.textfont.size == PF.cell_font(large) == round(font_size(large) * 0.8)  # scales with large
    framed = [(s.x0 + 0.5, s.y0 + 0.5) for s in fig.layout.shapes]
    assert framed == [(4, 0), (1, 1), (2, 2)]  # the readout's step of each row, 1-based columns


def test_the_grid_writes_the_backward_steps_under_the_words_and_shortens_what_does_not_fit():
    numbers = np.array([[1, 1, 2], [2, 0, 1], [3, 0, 0], [4, 0, 0]])
    fig = _valid(PF.grid_figure(BATCH_WORDS, BATCH_MASK, [0, 0, 0], large=False, title="t", subtitle="s",
                                numbers=numbers))
    assert [row[0] for row in _by_meta(fig, "word").text] == ["the<br>← 1", "bad<br>← 1", "good<br>← 2"]
    assert [row[1] for row in _by_meta(fig, "word").text] == ["film<br>← 2", "", "movie<br>← 1"]
    long = np.array([["wonderful"] * 11], dtype=object).repeat(1, axis=0).T  # (11, 1): one row of 11 words
    for large in (False, True):
        text = _by_meta(_valid(PF.grid_figure(long, np.ones((11, 1), bool), [10], large=large, title="t",
                                              subtitle="s")), "word")
        width = len(text.text[0][0]) * PF.CHAR_EM * PF.cell_font(large)  # what the word takes in its cell
        assert width <= (PF.GRID_WIDTH - PF.CHAR_EM * font_size(large) * PF.LABEL_CHARS - 50) / 11
        assert text.customdata[0][0] == "wonderful"  # the hover gives the word whole
    assert PF.cell_chars(11, False) >= len("wonderful")  # at the page's usual fonts it fits whole
    assert PF.shorten("wonderful", 6) == "wonde…" and PF.shorten("good", 6) == "good"
    assert PF.cell_chars(30, True) < PF.cell_chars(5, True) and PF.cell_chars(300, True) == 2
