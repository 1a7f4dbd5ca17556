"""The Trade-offs page under AppTest: it renders clean at defaults, for every experiment and from every
preset's link; Measure times the engine and draws what it measured; the overfitting run and the
learning-rate sweep train to the end with progress and say what their numbers show; a broken link says why
and opens the defaults; a preset sets only its own experiment's settings; teacher mode hides the settings."""
import dataclasses
import functools
import json

import pytest

from lstm_core import tradeoffs as X
from ui.common.lessons import OWN
from ui.common.link import to_query
from ui.tradeoffs import cost
from ui.tradeoffs import state as TS
from ui.tradeoffs import words as W
from ui.tradeoffs.lessons import EXPERIMENT_WHY, PRESETS
from ui.tradeoffs.state import TradeoffsState
from ui.training.state import from_query as training_from_query, config as training_config

from pagekit import assert_clean, errors, input_keys, outside_values, run_of, train_to_the_end, warnings
from viewkit import link_value, open_link

PAGE = "views/tradeoffs.py"
STATE = "tradeoffs_state"
WIDGETS = ["button", "slider", "number_input", "toggle", "selectbox", "radio", "select_slider", "text_input",
           "segmented_control"]
_keys = functools.partial(input_keys, kinds=WIDGETS)


def _charts(at):
    """{key: figure dict} of every Plotly chart drawn under one of the page's keys."""
    charts = {}
    for chart in at.get("plotly_chart"):
        key = next((k for k in ("vt_mults", "vt_time_seq", "vt_time_step", "vt_time_split", "vt_fit_curves",
                                "vt_lr_curve") if k in chart.proto.id), None)
        if key:
            charts[key] = json.loads(chart.proto.spec)
    return charts


def test_renders_clean_at_defaults_on_the_cost_experiment():
    at = open_link(PAGE)
    assert_clean(at)
    assert at.title[0].value == "Trade-offs"
    assert not errors(at) and not warnings(at)
    assert at.session_state[STATE] == TradeoffsState()
    assert EXPERIMENT_WHY["cost"] in [m.value for m in at.markdown]
    assert any(i.value.startswith(f"**{PRESETS['cost'][0].name}.**") for i in at.info)
    assert {"vt_experiment", "vt_cost_H", "vt_cost_B", "vt_measure"} <= _keys(at)
    assert set(_charts(at)) == {"vt_mults", "vt_time_seq", "vt_time_step", "vt_time_split"}


@pytest.mark.parametrize("experiment", TS.EXPERIMENTS)
def test_every_experiment_opens_clean_with_its_sentence(experiment):
    at = open_link(PAGE, {"experiment": experiment})
    assert_clean(at)
    assert not errors(at) and not warnings(at)
    if experiment in EXPERIMENT_WHY:  # Helper D's two sections write their own
        assert EXPERIMENT_WHY[experiment] in [m.value for m in at.markdown]


@pytest.mark.parametrize("preset", [p for lessons in PRESETS.values() for p in lessons], ids=lambda p: p.name)
def test_each_presets_link_opens_clean_with_its_lesson(preset):
    at = open_link(PAGE, to_query(preset.state()))
    assert_clean(at)
    assert not errors(at) and not warnings(at)
    assert at.session_state[STATE] == preset.state()
    stop = "" if preset.name.endswith(("?", "!", ".")) else "."  # as the Store's picker writes it
    assert any(i.value == f"**{preset.name}{stop}** {preset.lesson}" for i in at.info)


def test_the_experiment_picker_switches_and_a_preset_sets_only_its_own_experiments_settings():
    at = open_link(PAGE, {"cost_H": "8", "lr_T": "30"})
    at.segmented_control(key="vt_experiment").set_value("overfit").run()
    assert_clean(at)
    assert at.session_state[STATE].experiment == "overfit" and link_value(at, "experiment") == "overfit"
    at.selectbox(key="vt_preset_overfit").set_value("Dropout 0.3").run()
    state = at.session_state[STATE]
    assert (state.fit_dropout, state.cost_H, state.lr_T) == (0.3, 8, 30)
    assert any(i.value.startswith("**Dropout 0.3.**") for i in at.info)
    at.selectbox(key="vt_preset_overfit").set_value("(your own settings)").run()
    assert at.session_state[STATE].preset == OWN and at.session_state[STATE].fit_dropout == 0.3
    assert not any(i.value.startswith("**Dropout 0.3.**") for i in at.info)


def test_measure_times_every_kind_at_every_length_and_words_what_it_measured():
    at = open_link(PAGE, {"cost_H": "4", "cost_B": "2"})
    at.button(key="vt_measure").click().run()
    assert_clean(at)
    request, items = at.session_state[cost.RESULT_KEY]
    assert request == TS.timing_request(at.session_state[STATE])
    assert [(i["kind"], i["T"]) for i in items] == [(k, T) for T in TS.LENGTHS for k in TS.COST_KINDS]
    charts = _charts(at)
    lines = {t["name"]: t for t in charts["vt_time_seq"]["data"]}
    assert set(lines) == {"tanh RNN", "GRU", "LSTM"}
    assert lines["LSTM"]["x"] == list(TS.LENGTHS)
    words = W.cost_words(items, request.kinds, 4, 2, request.repeats)
    assert words in [m.value for m in at.markdown]
    at.slider(key="vt_cost_H").set_value(8).run()  # new settings: the old measurement is named as such
    assert any(c.value.startswith("Measured at H = 4, B = 2") for c in at.caption)


def test_the_overfitting_run_trains_to_the_end_with_the_labs_chart_and_numbers():
    at = open_link(PAGE, {"experiment": "overfit", "fit_steps": "50"})
    run = train_to_the_end(at, "vt_fit_train", "tradeoffs_fit_run")
    assert_clean(at)
    assert run.status == "done" and max(i["step"] for i in run.items) == 50
    bar = at.get("progress")[0].proto
    assert bar.value == 100 and bar.text == "step 50 of 50 for the model — finished"
    history = [i for i in run.items if i["kind"] == "lstm"]
    assert W.fit_words(history) in [m.value for m in at.markdown]
    done = next(i for i in run.items if i.get("done"))
    assert W.stopped_words(50, 50, done["best_step"], None) in [m.value for m in at.markdown]  # the star's model
    curves = _charts(at)["vt_fit_curves"]
    assert {t.get("name") for t in curves["data"]} >= {"training loss, every step", "validation loss"}


def test_the_overfitting_links_training_lab_settings_are_the_same_run():
    state = PRESETS["overfit"][1].state()
    query = dict(part.split("=") for part in TS.training_link(state).split("?")[1].split("&"))
    assert training_config(training_from_query(query)) == TS.fit_config(state)
    at = open_link(PAGE, {"experiment": "overfit"})
    assert any(TS.training_link(TradeoffsState(experiment="overfit")) in m.value for m in at.markdown)


def test_the_sweep_trains_at_every_rate_and_says_where_each_model_learned():
    at = open_link(PAGE, {"experiment": "lr", "lr_steps": "50", "lr_T": "5"})
    run = train_to_the_end(at, "vt_lr_run", "tradeoffs_lr_run", limit=400)
    assert_clean(at)
    cfg, lrs = TS.sweep_config(at.session_state[STATE])
    assert run.status == "done" and len(run.items) == len(lrs) * 3 == run.count
    assert at.get("progress")[0].proto.text == f"{run.count} of {run.total} trainings — finished"
    assert W.learned_words(run.items, cfg.kinds, lrs, 50) in [m.value for m in at.markdown]
    data = _charts(at)["vt_lr_curve"]["data"]
    lines = [t for t in data if t.get("mode") == "lines+markers" and t.get("meta") != "key"]
    assert [t["name"] for t in lines] == [t["name"] for t in data if t.get("meta") == "key"] == \
        ["tanh RNN", "GRU", "LSTM"]
    assert all(len(t["x"]) == len(lrs) for t in lines)
    for kind, line in zip(cfg.kinds, lines):  # filled where the words count it learned, hollow elsewhere
        filled = tuple(lr for lr, c in zip(line["x"], line["marker"]["color"]) if c != "white")
        assert filled == X.learned(run.items, kind, W.LEARNED)
    assert run.items == list(X.lr_sweep(cfg, lrs))  # the page's numbers are the engine's


def test_stop_keeps_the_trainings_done_so_far():
    at = open_link(PAGE, {"experiment": "lr"})
    at.button(key="vt_lr_run").click().run()
    at.button(key="vt_lr_stop").click().run()
    assert_clean(at)
    run = run_of(at, "tradeoffs_lr_run")
    assert run.status == "stopped" and run.count < run.total


@pytest.mark.parametrize("field", [f for f in dataclasses.fields(TradeoffsState)], ids=lambda f: f.name)
def test_a_link_outside_a_settings_range_says_why_and_opens_the_defaults(field):
    for bad in outside_values(field):
        at = open_link(PAGE, {field.name: bad})
        assert_clean(at)
        assert any(field.name in w for w in warnings(at)), (field.name, bad)
        assert at.session_state[STATE] == TradeoffsState()


def test_an_unknown_experiment_is_named_with_the_pickers_buttons():
    at = open_link(PAGE, {"experiment": "zzz"})
    assert_clean(at)
    warning = next(w for w in warnings(at) if "'experiment' = 'zzz'" in w)
    assert "Short-term dependencies (experiment=short_term)" in warning and "'short_term'" not in warning
    assert at.session_state[STATE] == TradeoffsState()


def test_a_weight_decay_off_the_boxs_step_is_refused_and_one_on_it_runs_as_shown():
    at = open_link(PAGE, {"experiment": "overfit"})
    at.number_input(key="vt_fit_decay").set_value(0.00025).run()
    assert any("'fit_decay' = 0.00025 is not a multiple of 0.0005" in e for e in errors(at)), errors(at)
    assert at.session_state[STATE].fit_decay == 0.0
    at.number_input(key="vt_fit_decay").set_value(0.0005).run()
    assert_clean(at)
    assert at.session_state[STATE].fit_decay == 0.0005 and TS.fit_config(at.session_state[STATE]).weight_decay == 0.0005
    assert at.number_input(key="vt_fit_decay").proto.format == "%.4f"  # shown as 0.0005


def test_a_link_with_an_unknown_key_says_so():
    at = open_link(PAGE, {"speed": "fast"})
    assert_clean(at)
    assert any("'speed' is not a setting" in w for w in warnings(at))


def test_teacher_mode_hides_the_presets_and_settings_but_keeps_the_experiment():
    at = open_link(PAGE, {"present": "1", "hide": "presets,settings", "experiment": "lr"})
    assert_clean(at)
    keys = _keys(at)
    assert "vt_preset_lr" not in keys and "vt_lr_T" not in keys
    assert {"vt_experiment", "vt_lr_run"} <= keys


@pytest.mark.parametrize("experiment, setting, run", [("short_term", "vd_k", "vd_st_run"),
                                                      ("context", "vd_ctx_delay", "vd_ctx_run")])
def test_teacher_mode_hides_every_sections_settings_and_keeps_run_and_stop(experiment, setting, run):
    at = open_link(PAGE, {"present": "1", "hide": "presets,settings", "experiment": experiment})
    assert_clean(at)
    keys = _keys(at)
    assert setting not in keys and {"vt_experiment", run, run.replace("_run", "_stop")} <= keys
    shown = open_link(PAGE, {"experiment": experiment})
    assert setting in _keys(shown) and "Settings" in [e.label for e in shown.expander]


@pytest.mark.parametrize("field", ["cost_H", "fit_dropout", "lr_optimizer", "experiment", "ctx_H"])
@pytest.mark.parametrize("bad", ["nan", "1e309", "😀", "", "9" * 40])
def test_a_link_holding_garbage_says_which_setting_and_opens_the_defaults(field, bad):
    at = open_link(PAGE, {field: bad})
    assert_clean(at)
    assert any(f"'{field}'" in w for w in warnings(at)), warnings(at)
    assert at.session_state[STATE] == TradeoffsState()
