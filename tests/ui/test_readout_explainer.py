"""The readout explainer: its drawing (three titled diagrams, the page's own marked, projector
sizes) and its words, each page it names checked on that page's engine: where the head reads."""
import re
from pathlib import Path

import numpy as np
import pytest

import lstm_core as lc
from lstm_core import forecast, lab, seq2seq, sentiment, tasks, text
from ui.common.style import font_size
from ui.readout import words as W
from ui.readout.figures import CARD_LINE, HANDOVER, LSTM_COLOR, panel_lefts, panel_width, readout_figure
from ui.text.lessons import TARGET_NAMES


def _notes(fig):
    return {a.name: a for a in fig.layout.annotations}


def _shapes(fig):
    return {s.name: s for s in fig.layout.shapes}


def test_the_drawing_titles_each_of_the_three_readouts_and_writes_its_shapes():
    notes = _notes(readout_figure())
    assert [notes[f"title-{r}"].text for r in W.READOUTS] == ["Many to one", "Many to many", "Encoder–decoder"]
    assert notes["shape-many_to_one"].text == "(B, T, I) → (B, O)"
    assert notes["shape-many_to_many"].text == "(B, T, I) → (B, T, O)"
    assert notes["shape-encoder_decoder"].text == "(B, T<sub>in</sub>) → (B, T<sub>out</sub>, V)"


@pytest.mark.parametrize("highlight", W.READOUTS)
def test_only_the_pages_own_readout_gets_the_blue_card_and_the_this_page_tag(highlight):
    fig = readout_figure(highlight)
    shapes, notes = _shapes(fig), _notes(fig)
    for readout in W.READOUTS:
        card = shapes[f"card-{readout}"]
        mine = readout == highlight
        assert (card.line.color, card.line.width) == ((LSTM_COLOR, 3) if mine else (CARD_LINE, 1))
        assert (f"tag-{readout}" in notes) == mine
        assert (notes[f"title-{readout}"].font.color == LSTM_COLOR) == mine
    assert notes[f"tag-{highlight}"].text == "this page"


def test_without_a_highlight_no_card_is_marked_and_a_wrong_one_is_refused():
    fig = readout_figure(None)
    assert all(s.line.color != LSTM_COLOR for s in fig.layout.shapes if s.name.startswith("card-"))
    assert not any(a.name.startswith("tag-") for a in fig.layout.annotations)
    with pytest.raises(ValueError, match="many_to_one"):
        readout_figure("sequence")


def test_projector_fonts_make_every_word_and_the_figure_bigger():
    normal, large = readout_figure("many_to_one"), readout_figure("many_to_one", large=True)
    words_n, words_l = _notes(normal), _notes(large)
    assert normal.layout.font.size == font_size(False) < large.layout.font.size == font_size(True)
    assert large.layout.height > normal.layout.height
    written = [name for name, note in words_n.items() if note.text]
    assert len(written) > 30 and all(words_l[n].font.size > words_n[n].font.size for n in written)


def test_the_panels_sit_side_by_side_on_one_canvas_and_every_word_stays_in_its_own_card():
    lefts, fig = panel_lefts(), readout_figure()
    spans = {r: (lefts[r], lefts[r] + panel_width(r)) for r in W.READOUTS}
    ordered = [spans[r] for r in W.READOUTS]
    assert all(a[1] < b[0] for a, b in zip(ordered, ordered[1:])) and ordered[-1][1] <= fig.layout.xaxis.range[1]
    for note in fig.layout.annotations:
        owner = next((r for r in W.READOUTS if r in note.name), "encoder_decoder")  # handover, feedback
        lo, hi = spans[owner]
        assert lo < note.x < hi and (note.ax is None or lo < note.ax < hi), note.name


def _labels(fig, row, readout):
    """The labels of a readout's input ("in") or output ("out") boxes, step by step ("" for none)."""
    notes, labels, k = _notes(fig), [], 1
    while f"in-{readout}-{k}" in notes:
        labels.append(notes[f"{row}-{readout}-{k}"].text if f"{row}-{readout}-{k}" in notes else "")
        k += 1
    return labels


def test_many_to_one_reads_only_the_last_step_and_many_to_many_every_step():
    fig = readout_figure()
    assert _labels(fig, "out", "many_to_one") == ["", "", "y"]
    assert _labels(fig, "out", "many_to_many") == ["y<sub>1</sub>", "y<sub>2</sub>", "y<sub>T</sub>"]
    assert _labels(fig, "in", "many_to_one") == ["x<sub>1</sub>", "x<sub>2</sub>", "x<sub>T</sub>"]


def test_the_decoder_starts_from_start_is_fed_its_own_output_and_ends_with_end():
    fig = readout_figure()
    ins, outs = _labels(fig, "in", "encoder_decoder"), _labels(fig, "out", "encoder_decoder")
    assert ins[3] == seq2seq.show_token(seq2seq.START) and outs[-1] == seq2seq.show_token(seq2seq.END)
    assert ins[4] == outs[3] == "y<sub>1</sub>"  # y_1 written at one step is read at the next
    assert "feedback" in _shapes(fig)
    assert outs[:3] == ["", "", ""]  # the encoder writes nothing: it only hands over (h_T, C_T)


def test_the_encoders_final_state_is_the_only_link_and_drawn_thickest():
    notes = _notes(readout_figure())
    widths = {name: a.arrowwidth for name, a in notes.items() if name.startswith("link-encoder_decoder")}
    handover = {name for name, w in widths.items() if w == max(widths.values())}
    assert handover == {"link-encoder_decoder-3-C", "link-encoder_decoder-3-h"}
    assert notes["handover"].text == "(h<sub>T</sub>, C<sub>T</sub>)"
    gap = notes["link-encoder_decoder-3-C"].x - notes["link-encoder_decoder-3-C"].ax
    assert gap == pytest.approx(HANDOVER)  # the widest gap: room for the vector's name


def test_the_words_under_each_diagram_name_its_pages_and_mark_the_pages_own():
    assert [page for page, _ in W.PAGES["many_to_one"]] == ["Training lab", "Forecasting", "Writing text",
                                                             "Sentiment"]
    assert [page for page, _ in W.PAGES["many_to_many"]] == ["Writing text"]
    assert [page for page, _ in W.PAGES["encoder_decoder"]] == ["Sequence to sequence"]
    mine = W.column_markdown("many_to_one", "many_to_one")
    assert mine.startswith(":blue-badge[this page]") and "**Sentiment**" in mine
    assert "this page" not in W.column_markdown("many_to_many", "many_to_one")


# ---- the engine facts behind the pages each readout names -------------------------------------

@pytest.mark.parametrize("name", tasks.TASKS)
def test_training_lab_every_task_reads_and_scores_the_answer_at_step_T_only(name):
    data = tasks.make_task(name, 5, 3, seed=0)
    y = np.random.default_rng(1).normal(size=(5, 3, data.n_out))  # (T, B, n_out)
    _, dy = tasks.task_loss(data)(y, data.target)
    assert np.all(dy[:-1] == 0) and np.any(dy[-1] != 0)
    changed = y.copy()
    changed[:-1] += 5.0  # every output but the last moved
    assert tasks.task_metric(data, changed[-1], data.target) == tasks.task_metric(data, y[-1], data.target)
    assert lab.task_loss is tasks.task_loss and lab.task_metric is tasks.task_metric  # what the lab trains with


@pytest.mark.parametrize("layout", ["one_step", "steps"])
def test_forecasting_reads_one_value_per_window(layout):
    config = forecast.ForecastConfig(layout=layout, units=4, layers=2)
    model = forecast.build_model(config)
    steps, features = (1, config.look_back) if layout == "one_step" else (config.look_back, 1)
    y = lc.model_forward(model, np.zeros((steps, 6, features))).y
    assert model.readout == "last" and y.shape == (6, 1)  # (B, O): one next value per window


def test_writing_text_targets_are_every_step_by_default_and_after_each_window():
    assert text.TARGETS == ("last", "every") and text.TextConfig().target == "every"
    every = text.build_model(text.TextConfig(target="every", units=4), 7)
    last = text.build_model(text.TextConfig(target="last", units=4), 7)
    ids = np.zeros((5, 2), np.intp)  # (T, B)
    assert every.readout == "sequence" and lc.model_forward(every, ids).y.shape == (5, 2, 7)  # (T, B, V)
    assert last.readout == "last" and lc.model_forward(last, ids).y.shape == (2, 7)  # (B, V)
    pages = dict(W.PAGES["many_to_one"])["Writing text"] + dict(W.PAGES["many_to_many"])["Writing text"]
    for target in text.TARGETS:  # the explainer quotes the page's own name of each target
        assert TARGET_NAMES[target].split(" (")[0] in pages


def _sentiment(bidirectional):
    config = sentiment.SentimentConfig(embed=3, units=4, bidirectional=bidirectional, seed=2)
    model = sentiment.build_model(config, 9)
    id_lists = [np.array([2, 3, 4, 5, 6]), np.array([7, 8])]
    ids, lengths = sentiment.pad_batch(id_lists)
    return model, id_lists, sentiment.forward(model, ids, lengths)


def test_sentiment_reads_each_sentence_at_its_last_real_word():
    model, id_lists, trace = _sentiment(False)
    for b, words in enumerate(id_lists):
        alone = lc.lstm_forward(model.lstm.layers[0].fwd, model.embedding[words])  # no pads at all
        np.testing.assert_allclose(trace.features[b], alone.h[-1], rtol=0, atol=1e-12)


def test_a_bidirectional_readout_reads_each_directions_final_state():
    model, id_lists, trace = _sentiment(True)
    layer, H = model.lstm.layers[0], model.units
    for b, words in enumerate(id_lists):
        x = model.embedding[words]
        forward_h = lc.lstm_forward(layer.fwd, x).h[-1]
        backward_h = lc.lstm_forward(layer.bwd, x[::-1]).h[-1]  # it has read the whole sentence backwards
        np.testing.assert_allclose(trace.features[b], np.concatenate([forward_h, backward_h]), rtol=0, atol=1e-12)
    assert trace.features.shape == (2, 2 * H)


def test_sequence_to_sequence_decodes_from_the_encoders_final_state_alone():
    config = seq2seq.Seq2SeqConfig(units=6)
    model = seq2seq.build(config, dtype=np.float64)
    batch = seq2seq.examples("reverse", [2, 3, 4], 5, seed=1)
    h_T, C_T = seq2seq.encode(model, batch.src, batch.src_len)
    fed = np.concatenate([np.full((1, 5), seq2seq.START), batch.tgt[:-1]])  # START, then the right tokens
    dec = lc.lstm_forward(model.decoder, fed, h0=h_T, c0=C_T)
    logits = dec.h @ model.head.W.T + model.head.b
    assert batch.src.shape == (batch.src.shape[0], 5)  # ids (T_in, B): (B, T_in) batch first
    np.testing.assert_allclose(seq2seq.teacher_forced(model, batch), logits, rtol=0, atol=1e-12)  # (T_out, B, V)
    assert logits.shape[2] == seq2seq.V


def test_sequence_to_sequence_inference_feeds_the_decoder_its_own_last_output():
    model = seq2seq.build(seq2seq.Seq2SeqConfig(units=6, seed=3), dtype=np.float64)
    batch = seq2seq.examples("sort", [3], 4, seed=2)
    decoding = seq2seq.greedy(model, batch.src, batch.src_len, max_out=4)
    h_T, C_T = seq2seq.encode(model, batch.src, batch.src_len)
    fed = np.concatenate([np.full((4, 1), seq2seq.START), decoding.ids[:, :-1]], axis=1).T  # its own outputs
    dec = lc.lstm_forward(model.decoder, fed, h0=h_T, c0=C_T)
    logits = dec.h @ model.head.W.T + model.head.b
    np.testing.assert_allclose(decoding.probs, seq2seq.softmax(logits), rtol=0, atol=1e-12)
    assert seq2seq.decode([3, 1, seq2seq.END, 4]) == "31"  # the answer stops at END


def _explainer_app(highlight, large):
    """A page holding only the explainer (AppTest runs this function's body as a script)."""
    from ui.readout.panel import explainer
    explainer(highlight, large)


@pytest.mark.parametrize("highlight, large", [("encoder_decoder", 0), ("many_to_one", 1)])
def test_the_explainer_draws_in_one_expander_with_its_words_under_each_diagram(highlight, large):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_function(_explainer_app, args=(highlight, large), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.label for e in at.expander] == [W.EXPANDER]
    chart = at.get("plotly_chart")[0]
    assert '"this page"' in chart.proto.spec and (f'"size":{font_size(bool(large))}' in chart.proto.spec)
    texts = [m.value for m in at.markdown]
    assert [t for t in texts if "this page" in t] == [W.column_markdown(highlight, highlight)]
    assert all(W.column_markdown(r, highlight) in texts for r in W.READOUTS) and W.BIDIRECTIONAL in texts


def test_every_page_the_explainer_names_is_a_page_of_the_app():
    titles = set(re.findall(r'title="([^"]+)"', (Path(__file__).resolve().parents[2] / "app.py").read_text()))
    named = {page for rows in W.PAGES.values() for page, _ in rows}
    assert named <= titles, named - titles
