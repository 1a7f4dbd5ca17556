"""The Sentiment page under AppTest: it renders clean at defaults and from every preset's link (the padding
check already live on the untrained model), trains live to the end and then shows the per-category
results, the typed sentence read word by word and the padding check on the trained model, each equal to
the engine's own numbers; unknown words are marked; an empty, too long or unreadable sentence says why and
keeps the last good one; hand-edited links say why and open the defaults; a rerun that changes nothing
runs no forward pass, builds no figure and computes no digest, split or accuracy again. Never a traceback."""
import collections
import functools
import json

import pytest

from lstm_core import sentiment as S
from ui.common.link import to_query
from ui.sentiment import figures as G
from ui.sentiment import padding
from ui.sentiment import padding_figures as PF
from ui.sentiment import panels as P
from ui.sentiment import state as SS
from ui.sentiment import words as W
from ui.sentiment.lessons import PRESETS
from ui.sentiment.state import SentimentState

from pagekit import assert_clean, errors, train_to_the_end, warnings
from viewkit import link_value, open_link

OWN_LABEL = "(your own settings)"  # the preset picker's first option, as the page shows it

PAGE = "views/sentiment.py"
STATE = "sentiment_state"
RUN = "sentiment_run"
SMALL = {"steps": "40", "units": "8"}  # trains in about half a second

_train_to_the_end = functools.partial(train_to_the_end, button="se_train", key=RUN)


def _html(at):
    return [h.proto.body for h in at.get("html")]


def _markdown(at):
    return [m.value for m in at.markdown]


def _captions(at):
    return [c.value for c in at.caption]


def _trained(run):
    """The run's model, vocabulary and bag of words, as the page builds them."""
    cfg = run.config.config
    train, held = SS.split(cfg.seed)
    vocab = S.Vocab.from_examples(train)
    return run.models["lstm"], vocab, S.fit_bow(list(train), vocab, cfg), held


def test_renders_clean_at_defaults_with_the_padding_check_live_on_the_untrained_model():
    at = open_link(PAGE)
    assert_clean(at)
    assert at.title[0].value == "Sentiment"
    assert not errors(at) and not warnings(at)
    assert at.session_state[STATE] == SentimentState()
    assert any(i.value == W.PRESS_TRAIN for i in at.info)
    assert any(i.value.startswith(f"**{PRESETS[0].name}.**") for i in at.info)
    assert at.button(key="se_stop").disabled
    assert "Try a sentence" not in [s.value for s in at.subheader]
    assert "Sequences of different lengths" in [s.value for s in at.subheader]
    assert W.data_table(SS.examples(), SS.split(0)[1]) in _markdown(at)  # the data, counted from the file
    cfg = SS.config(SentimentState())
    vocab = S.Vocab.from_examples(SS.split(cfg.seed)[0])
    model = S.build_model(cfg, vocab.size)  # the untrained model of the defaults
    rows = padding.batch_words(SS.DEFAULT_SENTENCE)
    check = S.padding_check(model, [vocab.encode(row)[0] for row in rows])
    assert W.equality_words(check.max_diff_p, check.max_diff_state) in _markdown(at)
    assert W.model_words(0, False) in _captions(at)
    table = next(m for m in _markdown(at) if m.startswith("| sentence | words |"))
    for p in check.p_alone:
        assert f'<span title="{float(p)!r}">{float(p):.6g}</span>' in table  # the engine's numbers, every digit
    assert W.CHECK_HOVER in _captions(at)


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_each_presets_link_opens_clean_with_its_lesson(preset):
    at = open_link(PAGE, to_query(preset.state()))
    assert_clean(at)
    assert not errors(at) and not warnings(at)
    assert at.session_state[STATE] == preset.state()
    assert at.selectbox(key="se_preset").value == preset.name
    assert any(i.value == f"**{preset.name}.** {preset.lesson}" for i in at.info)


def test_train_to_the_end_shows_the_engines_results_reading_and_padding_check():
    at = open_link(PAGE, SMALL)
    run = _train_to_the_end(at)
    assert_clean(at)
    assert run.status == "done" and run.items[-1]["step"] == 40
    bar = at.get("progress")[0].proto
    assert bar.text == "step 40 of 40 — finished" and bar.value == 100
    assert [s.value for s in at.subheader][:2] == ["Which sentences each model gets right", "Try a sentence"]
    model, vocab, bow, held = _trained(run)
    lstm = S.accuracy_by_category(S.lstm_predictor(model, vocab), list(held))
    assert W.categories_verdict(lstm, S.accuracy_by_category(S.bow_predictor(bow), list(held))) in _markdown(at)
    words = tuple(S.tokenize(SS.DEFAULT_SENTENCE))
    reading = S.read_sentence(model, vocab, words)
    assert W.verdict(reading.p_final, S.bow_probability(bow, words)) in _markdown(at)
    assert W.running_words(words, reading.p_positive.tolist()) in _captions(at)
    assert W.memory_words(words, reading.dC.tolist()) in _captions(at)
    assert at.text_input(key="se_sentence").value == SS.DEFAULT_SENTENCE
    pair = [S.tokenize(t) for t in W.ORDER_PAIR]
    assert W.order_pair_words([S.read_sentence(model, vocab, w).p_final for w in pair],
                              [S.bow_probability(bow, w) for w in pair]) in _captions(at)
    assert W.model_words(40, True) in _captions(at)
    note, chips = W.known_words(vocab.words)  # the words it knows, under the box, from the run's own split
    assert note in _captions(at) and f"knows the {sum(w[0].isalnum() for w in vocab.words[2:])} words" in note
    assert "The words the model knows" in [e.label for e in at.expander] and chips in _html(at)
    check = S.padding_check(model, [vocab.encode(row)[0] for row in padding.batch_words(SS.DEFAULT_SENTENCE)])
    assert W.equality_words(check.max_diff_p, check.max_diff_state) in _markdown(at)


def test_typing_a_sentence_marks_unknown_words_and_bad_sentences_keep_the_last_good_one():
    at = open_link(PAGE, SMALL)
    _train_to_the_end(at)
    box = lambda: at.text_input(key="se_sentence")  # noqa: E731
    box().input("the film was zorbly good").run()
    assert_clean(at)
    assert at.session_state[STATE].sentence == "the film was zorbly good"
    assert link_value(at, "sentence") == "the film was zorbly good"  # the typed sentence travels in the link
    assert any('se-unk' in h and "zorbly" in h for h in _html(at))
    assert W.unknown_words(["zorbly"], [True]) in _captions(at)
    for bad, part in [("", "empty"), (" ".join(["good"] * 31), "31 tokens"), ("?! ,", "only punctuation"),
                      ("\U0001F600", "no word the tokenizer can read"), ("good " * 70, "characters")]:
        box().input(bad).run()
        assert_clean(at)
        assert any(part in e and e.endswith("The last good sentence is kept.") for e in errors(at)), (bad, errors(at))
        assert box().value == "the film was zorbly good"
        assert at.session_state[STATE].sentence == "the film was zorbly good"


def test_picking_your_own_settings_drops_the_experiment_and_keeps_the_settings():
    at = open_link(PAGE, {"units": "2", "sentence": "not bad"})  # the settings of "Tiny memory"
    assert at.selectbox(key="se_preset").value == PRESETS[2].name
    at.selectbox(key="se_preset").set_value(OWN_LABEL).run()
    assert_clean(at)
    assert at.session_state[STATE] == SentimentState(units=2, sentence="not bad", preset=SS.OWN)
    assert at.selectbox(key="se_preset").value == OWN_LABEL
    assert not any(i.value.startswith(f"**{p.name}.**") for p in PRESETS for i in at.info)
    assert link_value(at, "preset") == SS.OWN and link_value(at, "units") == "2"
    again = open_link(PAGE, dict(at.query_params))  # the link opens the same view
    assert again.selectbox(key="se_preset").value == OWN_LABEL
    at.selectbox(key="se_preset").set_value(PRESETS[1].name).run()  # an experiment can be picked again
    assert at.session_state[STATE].preset == PRESETS[1].name and at.session_state[STATE].bidirectional == 1
    assert any(i.value.startswith(f"**{PRESETS[1].name}.**") for i in at.info)


def _chart(at, key):
    """The figure dict of the chart drawn under `key`."""
    return json.loads(next(c for c in at.get("plotly_chart") if key in c.proto.id).proto.spec)


def test_a_bidirectional_models_memory_and_gates_charts_say_they_are_the_forward_directions():
    at = open_link(PAGE, {**SMALL, "bidirectional": "1"})
    _train_to_the_end(at)
    assert_clean(at)
    for key in ("se_memory", "se_gates"):
        assert _chart(at, key)["layout"]["title"]["text"].endswith("forward direction"), key
    at.toggle(key="se_bidirectional").set_value(False).run()
    _train_to_the_end(at)
    for key in ("se_memory", "se_gates"):
        assert "direction" not in _chart(at, key)["layout"]["title"]["text"], key


def test_the_order_pair_buttons_read_each_order():
    at = open_link(PAGE, SMALL)
    _train_to_the_end(at)
    at.button(key="se_pair_b").click().run()
    assert_clean(at)
    assert at.session_state[STATE].sentence == W.ORDER_PAIR[1]
    assert at.text_input(key="se_sentence").value == W.ORDER_PAIR[1]


@pytest.mark.parametrize("query, part", [({"units": "999"}, "'units'"), ({"lr": "0.3"}, "'lr'"),
                                         ({"bidirectional": "2"}, "'bidirectional'"),
                                         ({"sentence": "good " * 31}, "sentence"),
                                         ({"sentence": "?!"}, "sentence"), ({"preset": "noise"}, "preset"),
                                         ({"steps": "ten"}, "'steps'"), ({"mood": "happy"}, "'mood'")])
def test_a_hand_edited_link_says_why_and_opens_the_defaults(query, part):
    at = open_link(PAGE, query)
    assert_clean(at)
    assert at.session_state[STATE] == SentimentState()
    message = next(w for w in warnings(at) if w.startswith("The link could not be opened ("))
    assert part in message and message.endswith("showing the defaults.")


def test_a_refused_setting_snaps_back_with_its_reason(monkeypatch):
    at = open_link(PAGE)
    monkeypatch.setattr(SS, "config", _refusing(SS.config))  # the engine refuses 48 units (a stand-in:
    at.run()  # every value in the widgets' ranges is one it trains); the widgets bind the new check
    at.slider(key="se_units").set_value(48).run()
    assert_clean(at)
    assert at.session_state[STATE].units == 16 and at.slider(key="se_units").value == 16
    assert any(e.startswith("Refused for the test.") and e.endswith("The last good setting is kept.")
               for e in errors(at))


def _refusing(config):
    def check(state):
        if state.units == 48:
            raise ValueError("refused for the test")
        return config(state)
    return check


def test_a_sentence_from_a_link_is_read_and_a_rerun_that_changes_nothing_runs_no_forward_pass(monkeypatch):
    at = open_link(PAGE, {**SMALL, "sentence": "not bad"})
    _train_to_the_end(at)
    assert at.text_input(key="se_sentence").value == "not bad"
    assert any('class="se-chip">not<' in h and 'class="se-chip">bad<' in h for h in _html(at))
    calls = []
    monkeypatch.setattr(S, "forward", lambda *a, **k: calls.append(1))  # would break a real pass
    at.run()
    assert_clean(at)
    assert not calls and "Try a sentence" in [s.value for s in at.subheader]


EXPENSIVE = [(S, "forward"), (S, "read_sentence"), (S, "padding_check"), (S, "accuracy_by_category"),
             (S, "build_model"), (S, "fit_bow"), (SS, "split"), (P, "digest"), (G, "training_figure"),
             (G, "category_figure"), (G, "running_figure"), (G, "memory_figure"), (G, "gates_figure"),
             (PF, "grid_figure"), (W, "data_table"), (W, "check_table"), (P, "training_spec")]


def _counted(monkeypatch):
    """Calls of each EXPENSIVE function from now on, by name (each still does its work)."""
    calls = collections.Counter()
    for module, name in EXPENSIVE:
        def counted(*args, _real=getattr(module, name), _name=name, **kwargs):
            calls[_name] += 1
            return _real(*args, **kwargs)
        monkeypatch.setattr(module, name, counted)
    return calls


def test_a_rerun_that_changes_nothing_recomputes_nothing_and_a_new_sentence_only_its_own_parts(monkeypatch):
    at = open_link(PAGE, SMALL)
    calls = _counted(monkeypatch)
    at.run()  # untrained: the padding check's model is kept, not built and digested again
    assert_clean(at)
    assert not calls, calls
    _train_to_the_end(at)
    calls.clear()
    at.run()
    assert_clean(at)
    assert not calls and "Try a sentence" in [s.value for s in at.subheader], calls
    at.text_input(key="se_sentence").set_value("the counting test was good , not bad").run()
    assert_clean(at)
    assert calls["read_sentence"] == calls["running_figure"] == calls["gates_figure"] == 1, calls
    assert calls["padding_check"] == 1 and calls["grid_figure"] == 2, calls
    assert not calls["digest"] + calls["split"] + calls["accuracy_by_category"] + calls["training_figure"], calls
    calls.clear()
    at.toggle(key="sb_large").set_value(True).run()  # the held-out accuracy is the model's, at any font size
    assert_clean(at)
    assert calls["category_figure"] == 1 and calls["grid_figure"] == 2, calls
    assert not calls["accuracy_by_category"] + calls["padding_check"] + calls["digest"], calls


def test_presentation_mode_hides_the_settings_and_keeps_the_presets_and_train():
    at = open_link(PAGE, {"present": "1"})
    assert_clean(at)
    assert not errors(at) and not warnings(at)
    keys = {w.key for kind in ("slider", "number_input", "toggle", "select_slider") for w in at.get(kind)}
    assert not keys & {"se_embed", "se_units", "se_steps", "se_seed", "se_bidirectional", "se_lr", "se_batch"}
    assert at.selectbox(key="se_preset").value == PRESETS[0].name
    assert not at.button(key="se_train").disabled
