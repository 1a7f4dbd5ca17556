"""The Sequence-to-sequence page under AppTest: it renders clean at defaults and from every preset's link,
trains live to the end and opens *Try it* on the engine's own answer, Stop keeps the steps trained, bad
inputs (letters, a + for reverse, too long, empty) and hand-edited links say why and keep the last good
state, a rerun that changes nothing runs no model, hashes no model and builds no figure (the font toggle
runs no model), and teacher mode hides the settings."""
import dataclasses
import functools
import json

import pytest

from lstm_core import seq2seq as S
from ui.common.lessons import OWN
from ui.common import shared_runs
from ui.common.link import to_query
from ui.seq2seq import figures as G
from ui.seq2seq import panels as P
from ui.seq2seq import state as SS
from ui.seq2seq import words as W
from ui.seq2seq.lessons import PRESETS
from ui.seq2seq.state import Seq2SeqState

from pagekit import assert_clean, errors, input_count, input_keys, outside_values, run_of, train_to_the_end, warnings
from viewkit import link_value, open_link

OWN_LABEL = "(your own settings)"  # the preset picker's first option, as the page shows it

PAGE = "views/seq2seq.py"
STATE = "seq2seq_state"
RUN = "seq2seq_run"
SMALL = {"units": "16", "steps": "40", "max_len": "3"}  # trains in a second or two
LONG = {"steps": "5000"}  # still running after a slice or two
WIDGETS = ["button", "slider", "number_input", "toggle", "selectbox", "radio", "select_slider", "text_input"]

_run = functools.partial(run_of, key=RUN)
_train_to_the_end = functools.partial(train_to_the_end, button="s2s_train", key=RUN)
_keys = functools.partial(input_keys, kinds=WIDGETS)
_controls = functools.partial(input_count, kinds=WIDGETS)


def _charts(at):
    """{key: figure dict} of every Plotly chart drawn under a key."""
    charts = {}
    for chart in at.get("plotly_chart"):
        key = next((k for k in P.LIVE_CHARTS + ("s2s_pipeline_fig", "s2s_vector_fig", "s2s_decoder_fig",
                                                "s2s_forcing_fig") if k in chart.proto.id), None)
        if key:
            charts[key] = json.loads(chart.proto.spec)
    return charts


def _verdicts(at):
    return [m.value for m in at.markdown if m.value.startswith("#### `")]


def test_renders_clean_at_defaults_with_the_empty_length_chart_and_the_default_preset():
    at = open_link(PAGE)
    assert_clean(at)
    assert at.title[0].value == "Sequence to sequence"
    assert not errors(at) and not warnings(at)
    assert at.session_state[STATE] == Seq2SeqState()
    assert any(i.value == W.PRESS_TRAIN for i in at.info)
    assert any(i.value.startswith(f"**{PRESETS[0].name}.**") for i in at.info)
    assert at.button(key="s2s_stop").disabled and "s2s_text" not in _keys(at)
    length = _charts(at)["s2s_len"]
    assert "press Train to start" in [a["text"] for a in length["layout"]["annotations"]]
    assert any(e.label.startswith("How the output is read out") for e in at.expander)


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_each_presets_link_opens_clean_with_its_lesson(preset):
    at = open_link(PAGE, to_query(preset.state()))
    assert_clean(at)
    assert not errors(at) and not warnings(at)
    assert at.session_state[STATE] == preset.state()
    assert at.selectbox(key="s2s_preset").value == preset.name
    assert any(i.value == f"**{preset.name}.** {preset.lesson}" for i in at.info)


def test_picking_your_own_settings_drops_the_experiment_and_keeps_the_settings():
    at = open_link(PAGE, {"units": "8", "text": "12345"})  # the settings of "A small vector"
    assert at.selectbox(key="s2s_preset").value == PRESETS[1].name
    at.selectbox(key="s2s_preset").set_value(OWN_LABEL).run()
    assert_clean(at)
    assert at.session_state[STATE] == Seq2SeqState(units=8, text="12345", preset=OWN)
    assert at.selectbox(key="s2s_preset").value == OWN_LABEL
    assert not any(i.value.startswith(f"**{p.name}.**") for p in PRESETS for i in at.info)
    assert link_value(at, "preset") == OWN and link_value(at, "units") == "8"
    again = open_link(PAGE, dict(at.query_params))  # the link opens the same view
    assert again.selectbox(key="s2s_preset").value == OWN_LABEL
    assert not any(i.value.startswith(f"**{p.name}.**") for p in PRESETS for i in again.info)
    at.selectbox(key="s2s_preset").set_value(PRESETS[3].name).run()  # an experiment can be picked again
    assert at.session_state[STATE] == PRESETS[3].state()
    assert any(i.value.startswith(f"**{PRESETS[3].name}.**") for i in at.info)


def test_train_from_a_small_link_runs_to_the_end_and_tries_the_default_example_as_the_engine_does():
    at = open_link(PAGE, SMALL)
    run = _train_to_the_end(at)
    assert_clean(at)
    assert run.status == "done" and run.items[-1]["step"] == 40
    bar = at.get("progress")[0].proto
    assert bar.text == "step 40 of 40 — finished" and bar.value == 100
    assert "Try it" in [s.value for s in at.subheader]
    assert at.text_input(key="s2s_text").value == "271"
    model = run.models["lstm"]
    batch = S.batch_of("reverse", ["271"])
    dec = S.greedy(model, batch.src, batch.src_len)
    right = dec.texts[0] == "172" and S.END in dec.ids[0]
    assert _verdicts(at) == [W.verdict("271", dec.texts[0], "172", right)]
    charts = _charts(at)
    bars = next(t for t in charts["s2s_len"]["data"] if t["meta"] == "accuracy")
    assert bars["y"] == [100 * run.items[-1]["by_length"][n][0] for n in range(1, 13)]
    steps = charts["s2s_decoder_fig"]["data"][0]
    assert len(steps["y"]) == int(dec.lengths[0])
    assert set(charts) == set(P.LIVE_CHARTS) | {"s2s_pipeline_fig", "s2s_vector_fig", "s2s_decoder_fig",
                                                "s2s_forcing_fig"}
    assert W.scores_words(run.items[-1], (1, 3)) in [c.value for c in at.caption]
    assert W.MARKS in [c.value for c in at.caption] and "**▶** START" in W.MARKS and "**■** END" in W.MARKS


def test_typing_an_input_decodes_it_and_a_rerun_that_changes_nothing_decodes_nothing(monkeypatch):
    at = open_link(PAGE, SMALL)
    run = _train_to_the_end(at)
    at.text_input(key="s2s_text").set_value("9 8 7 6 5").run()
    assert_clean(at)
    assert at.session_state[STATE].text == "98765" and link_value(at, "text") == "98765"
    assert not any("trained with other settings" in c.value for c in at.caption)  # typing changes no setting
    batch = S.batch_of("reverse", ["98765"])
    dec = S.greedy(run.models["lstm"], batch.src, batch.src_len)
    assert _verdicts(at)[0].startswith(f"#### `98765` → `{dec.texts[0] or '(nothing)'}`")
    calls = []
    monkeypatch.setattr(S, "greedy", lambda *a, **k: calls.append(1))  # would break a real decoding
    at.run()
    assert_clean(at)
    assert not calls and _verdicts(at)[0].startswith("#### `98765`")


FIGURES = ("loss_figure", "accuracy_figure", "length_figure", "pipeline_figure", "vector_figure", "steps_figure",
           "forcing_figure")


def _count_calls(monkeypatch):
    """The names of the figure builders, the model's digest and the LSTM's forward pass, as they are called."""
    calls = []

    def counted(module, name):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, **k: calls.append(name) or real(*a, **k))
    for name in FIGURES:
        counted(G, name)
    counted(P, "digest")
    counted(S, "lstm_forward")
    return calls


def test_a_rerun_that_changes_nothing_builds_nothing_and_the_font_toggle_runs_no_model(monkeypatch):
    at = open_link(PAGE, SMALL)
    _train_to_the_end(at)
    at.run()
    calls = _count_calls(monkeypatch)
    at.run()
    assert_clean(at)
    assert calls == []
    at.toggle(key="sb_large").set_value(True).run()
    assert_clean(at)
    assert "loss_figure" in calls and "digest" not in calls and "lstm_forward" not in calls, calls
    assert _charts(at)["s2s_pipeline_fig"]["layout"]["font"]["size"] == 20


BAD_INPUTS = [
    ("12a", "'a' cannot"),
    ("12+34", "reverse task reads digits only: there is no + in it"),
    ("1234567890123", "at most 12 digits fit; this has 13"),
    ("", "type some digits"),
    ("   ", "type some digits"),
]


def test_an_input_the_model_cannot_read_says_why_and_keeps_the_last_good():
    """Each bad input in turn on one trained page (a page trained per input cost 40 s of the suite)."""
    at = open_link(PAGE, SMALL)
    _train_to_the_end(at)
    at.text_input(key="s2s_text").set_value("123").run()
    for text, words in BAD_INPUTS:
        at.text_input(key="s2s_text").set_value(text).run()
        assert_clean(at)
        said = errors(at)
        assert len(said) == 1 and words.lower() in said[0].lower(), (text, said)
        assert said[0].endswith("The last good input is kept.")
        assert at.session_state[STATE].text == "123" and at.text_input(key="s2s_text").value == "123"
        assert _verdicts(at)[0].startswith("#### `123`")
        at.run()
        assert not errors(at), f"the reason is said once ({text!r})"


def test_changing_the_task_keeps_trying_the_models_own_task_and_marks_it_stale():
    at = open_link(PAGE, {**SMALL, "task": "add", "text": "12+34"})
    _train_to_the_end(at)
    assert _verdicts(at)[0].startswith("#### `12+34` → ")
    at.radio(key="s2s_task").set_value("reverse").run()  # the add model stays; the typed input is cleared
    assert_clean(at)
    assert at.session_state[STATE].text == "" and _verdicts(at)[0].startswith("#### `271+314` → ")
    assert any(c.value == W.stale(_run(at).config.config, SS.config(at.session_state[STATE])) for c in at.caption)
    assert any("(task add, now reverse); press **Train**" in c.value for c in at.caption)
    at.text_input(key="s2s_text").set_value("5").run()  # read by the add model
    assert any("two numbers joined by one +" in e for e in errors(at)), errors(at)


def test_a_kept_input_the_model_cannot_read_warns_and_tries_the_models_example():
    at = open_link(PAGE, SMALL)
    _train_to_the_end(at)
    at.session_state[STATE] = dataclasses.replace(at.session_state[STATE], text="12+34")  # as no widget can
    at.run()
    assert_clean(at)
    assert any(w.startswith("The reverse task reads digits only") and "'271' instead" in w for w in warnings(at))
    assert _verdicts(at)[0].startswith("#### `271` → ")


@pytest.mark.parametrize("query", [{"text": "12a"}, {"text": "1" * 13}, {"min_len": "5", "max_len": "2"},
                                   {"task": "add", "text": "12"}, {"lr": "0.3"}, {"units": "2.5"},
                                   {"steps": "1e3"}, {"nonsense": "1"}],
                         ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()))
def test_a_bad_hand_edited_link_says_why_and_shows_the_defaults(query):
    at = open_link(PAGE, query)
    assert_clean(at)
    assert any("could not be opened" in w for w in warnings(at)), warnings(at)
    assert at.session_state[STATE] == Seq2SeqState()


@pytest.mark.parametrize("query", [{f.name: v} for f in dataclasses.fields(Seq2SeqState) for v in outside_values(f)],
                         ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()))
def test_a_value_outside_any_fields_range_says_why_and_shows_the_defaults(query):
    at = open_link(PAGE, query)
    assert_clean(at)
    assert any("could not be opened" in w for w in warnings(at)), warnings(at)
    assert at.session_state[STATE] == Seq2SeqState()


def test_stop_keeps_the_steps_trained_and_opens_try_it():
    at = open_link(PAGE, LONG)
    at.button(key="s2s_train").click().run()
    at.run()
    run = _run(at)
    assert run.status == "running" and not at.button(key="s2s_stop").disabled
    at.button(key="s2s_stop").click().run()
    stopped = len(_run(at).items)
    at.run()
    run = _run(at)
    assert run.status == "stopped" and len(run.items) == stopped
    assert_clean(at)
    step = max((it["step"] for it in run.items), default=0)
    assert at.get("progress")[0].proto.text == f"step {step} of 5000 — stopped"
    assert ("Try it" in [s.value for s in at.subheader]) == bool(run.items)


def test_the_lengths_slider_sets_both_ends_and_writes_them_to_the_link():
    at = open_link(PAGE)
    at.slider(key="s2s_lengths").set_value((2, 8)).run()
    assert_clean(at)
    state = at.session_state[STATE]
    assert (state.min_len, state.max_len) == (2, 8) and state.preset == ""
    assert (link_value(at, "min_len"), link_value(at, "max_len")) == ("2", "8")
    assert SS.config(state).max_len == 8


def test_training_settings_that_already_ran_here_say_the_run_is_replayed():
    shared_runs.forget_all()
    at = open_link(PAGE, SMALL)
    assert not _train_to_the_end(at).config.replayed
    again = _train_to_the_end(at)
    assert again.config.replayed and W.REPLAYED in [c.value for c in at.caption]


def test_present_gives_fewer_controls_no_sidebar_large_fonts_and_keeps_presets_and_train():
    normal, shown = open_link(PAGE), open_link(PAGE, {"present": "1"})
    assert_clean(shown)
    assert _controls(shown) < _controls(normal)
    assert shown.session_state[STATE].large == 1
    assert {"s2s_preset", "s2s_train", "s2s_stop"} <= _keys(shown)
    assert not _keys(shown) & {"s2s_units", "s2s_lr", "s2s_seed", "s2s_task", "s2s_lengths"}


def test_large_fonts_from_a_link_train_and_try_clean():
    at = open_link(PAGE, {**SMALL, "large": "1"})
    assert _train_to_the_end(at).status == "done"
    assert_clean(at)
    assert _charts(at)["s2s_len"]["layout"]["font"]["size"] == 20
