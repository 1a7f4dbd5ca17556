"""The Forecasting page under AppTest: it renders from every preset's link, trains live to a results
table of the four methods with the verdict, Stop keeps the epochs trained, bad links and refused
settings say why and keep the last good state, uploads switch the series or say why, teacher mode
and the guided path's checkpoint work."""
import dataclasses
import functools

import numpy as np
import pytest

from lstm_core import forecast as F
from ui.cell.lessons import forecast_banner
from ui.common.link import to_query
from ui.forecast import controls as C
from ui.forecast import words as W
from ui.forecast.data import load_builtin
from ui.forecast.figures import METHOD_NAMES
from ui.forecast.lessons import PRESETS
from ui.common.lessons import OWN
from ui.forecast.state import UPLOAD, ForecastState
from ui.path import checkpoints as CP
from ui.path.panel import outcome

from pagekit import assert_clean, errors, input_count, input_keys, run_of, train_to_the_end, warnings
from viewkit import link_value, open_link

PAGE = "views/forecast.py"
STATE = "forecast_state"
RUN = "forecast_run"
AAPL_ROWS, AAPL_TEST_ROWS = 123, 25  # 80 % of 123 is 98 training rows: 25 test rows
LONGEST_AAPL_LOOK_BACK = AAPL_TEST_ROWS - 2  # a part of n rows holds windows up to n - 2 long
LONG = {"epochs": "300"}  # still running after a slice or two
WIDGETS = ["button", "slider", "number_input", "toggle", "selectbox", "radio", "multiselect",
           "file_uploader"]  # every kind of input the page and its frame draw


_run = functools.partial(run_of, key=RUN)
_train_to_the_end = functools.partial(train_to_the_end, button="f_train", key=RUN)
_keys = functools.partial(input_keys, kinds=WIDGETS)
_controls = functools.partial(input_count, kinds=WIDGETS)
_errors, _warnings = errors, warnings


def _results_table(at):
    """The page's results table (a DataFrame indexed by method)."""
    return at.table[0].value


def _verdicts(at):
    return [m.value for m in at.markdown if m.value.startswith("**Best on the test windows")]


def test_renders_clean_at_defaults_on_the_notes_recipe():
    at = open_link(PAGE)
    assert_clean(at)
    assert at.title[0].value == "Forecasting"
    assert not _errors(at) and not _warnings(at)
    assert at.session_state[STATE] == ForecastState()
    assert any(W.PRESS_TRAIN == i.value for i in at.info)
    assert any(i.value.startswith(f"**{PRESETS[0].name}.**") for i in at.info)  # the defaults are a preset
    assert at.button(key="f_stop").disabled and not at.table
    split = f"{AAPL_ROWS} values: the first {AAPL_ROWS - AAPL_TEST_ROWS} (80%) train, the last {AAPL_TEST_ROWS} test"
    assert any(c.value.startswith(split) for c in at.caption)


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_each_presets_link_opens_clean_with_its_state_and_its_lesson(preset):
    at = open_link(PAGE, to_query(preset.state()))
    assert_clean(at)
    assert not _errors(at) and not _warnings(at)
    assert at.session_state[STATE] == preset.state()
    assert at.selectbox(key="f_preset").value == preset.name
    stop = "" if preset.name.endswith("?") else "."  # "…today?" takes no second full stop
    assert any(i.value == f"**{preset.name}{stop}** {preset.lesson}" for i in at.info)


def test_train_at_defaults_runs_to_done_and_shows_the_four_methods_and_the_verdict():
    at = open_link(PAGE)
    run = _train_to_the_end(at)
    assert_clean(at)
    assert run.status == "done" and run.items[-1]["epoch"] == ForecastState().epochs
    bar = at.get("progress")[0].proto
    assert bar.text == "epoch 100 of 100 — finished" and bar.value == 100
    assert "How good is the forecast?" in [s.value for s in at.subheader]
    table = _results_table(at)
    assert list(table.index) == [METHOD_NAMES[m] for m in F.METHODS]
    values = load_builtin("aapl").values
    errors = F.evaluate_forecast(values, F.ForecastConfig(), run.models["lstm"]).errors
    assert float(table.loc["LSTM", "test RMSE (USD)"]) == pytest.approx(errors["lstm"]["test_rmse"], abs=5e-4)
    assert _verdicts(at) == [W.verdict(errors, "USD")]
    assert not any(c.value == W.STALE for c in at.caption)
    assert {"f_open_cell", "f_open_time"}.isdisjoint(_keys(at))  # 50 units: too big for the cell pages
    assert any(c.value == W.too_big(4, 3) for c in at.caption)


def test_stop_keeps_the_epochs_trained_and_shows_their_results():
    at = open_link(PAGE, LONG)
    at.button(key="f_train").click().run()
    at.run()
    run = _run(at)
    assert run.status == "running" and 0 < len(run.items) < 300
    assert not at.button(key="f_stop").disabled
    at.button(key="f_stop").click().run()
    stopped = len(_run(at).items)
    at.run()
    run = _run(at)
    assert run.status == "stopped" and len(run.items) == stopped and 0 < stopped < 300
    assert_clean(at)
    bar = at.get("progress")[0].proto
    assert bar.text == f"epoch {stopped} of 300 — stopped" and bar.value == 100 * stopped // 300
    assert at.button(key="f_stop").disabled
    assert list(_results_table(at).index) == [METHOD_NAMES[m] for m in F.METHODS]
    assert len(_verdicts(at)) == 1


@pytest.mark.parametrize("query", [
    {"look_back": "ten"},  # text for a number
    {"lr": "nan"},
    {"lr": "0"},  # in the widget's range, refused by the engine
    {"epochs": "301"},  # out of range
    {"look_back": "0"},
    {"units": "1.5"},
    {"series": "bitcoin"},  # unknown series
    {"scaler": "both"},
    {"bogus": "1"},
    {"look_back": str(LONGEST_AAPL_LOOK_BACK + 1)},  # longer than AAPL's test part allows
    {"series": "msft", "train_pct": "95", "look_back": "6"},  # 95 %: 7 test rows hold windows of 5
    {"series": UPLOAD, "look_back": "30"},  # checked on the default series the page shows
], ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()))
def test_a_bad_link_says_why_and_shows_the_defaults(query):
    at = open_link(PAGE, query)
    assert_clean(at)
    assert any("could not be opened" in w for w in _warnings(at)), _warnings(at)
    assert at.session_state[STATE] == ForecastState()
    assert at.slider(key="f_look_back").value == ForecastState().look_back


def test_the_longest_look_back_aapl_allows_opens_from_a_link():
    at = open_link(PAGE, {"look_back": str(LONGEST_AAPL_LOOK_BACK)})
    assert_clean(at)
    assert not _warnings(at) and at.session_state[STATE].look_back == LONGEST_AAPL_LOOK_BACK


def test_a_bare_upload_link_in_a_new_session_shows_the_defaults():
    at = open_link(PAGE, {"series": UPLOAD})
    assert_clean(at)
    assert any("uploaded CSV file" in w for w in _warnings(at))
    assert at.session_state[STATE] == ForecastState() and "series" not in at.query_params
    assert at.selectbox(key="f_series").value == ForecastState().series
    at.run()
    assert not _warnings(at), "said once"


def test_large_fonts_from_a_link_render_clean():
    at = open_link(PAGE, {"large": "1", "series": "seattle_temp_max"})
    assert_clean(at)
    assert at.session_state[STATE].large == 1 and not _warnings(at)


def test_a_link_to_an_upload_in_a_new_session_says_so_and_shows_the_default_series():
    at = open_link(PAGE, {"series": UPLOAD, "look_back": "12"})
    assert_clean(at)
    assert any("uploaded CSV file" in w for w in _warnings(at))
    assert at.session_state[STATE] == dataclasses.replace(ForecastState(), look_back=12)
    assert link_value(at, "look_back") == "12" and "series" not in at.query_params
    at.slider(key="f_look_back").set_value(LONGEST_AAPL_LOOK_BACK + 1).run()  # checked on AAPL now
    assert_clean(at)
    assert at.session_state[STATE].look_back == 12


@pytest.mark.parametrize("widget, key, value, words", [
    ("slider", "f_look_back", LONGEST_AAPL_LOOK_BACK + 1, f"the {AAPL_ROWS} values split 98 for training and {AAPL_TEST_ROWS} for testing"),
    ("slider", "f_train_pct", 95, "needs at least 12 values in each part"),
    ("number_input", "f_lr", 0.0, "Learning rate must be a finite number"),
    ("selectbox", "f_series", UPLOAD, "No CSV file has been read"),
])
def test_a_refused_setting_snaps_back_with_the_reason(widget, key, value, words):
    at = open_link(PAGE)
    getattr(at, widget)(key=key).set_value(value).run()
    assert_clean(at)
    errors = _errors(at)
    assert len(errors) == 1 and words in errors[0] and errors[0].endswith("The last good setting is kept.")
    assert at.session_state[STATE] == ForecastState()
    assert getattr(at, widget)(key=key).value == getattr(ForecastState(), key[2:])
    at.run()
    assert not _errors(at), "the reason is said once"


def test_an_accepted_setting_change_is_kept_and_written_to_the_link():
    at = open_link(PAGE)
    at.slider(key="f_look_back").set_value(LONGEST_AAPL_LOOK_BACK).run()
    assert_clean(at)
    assert not _errors(at) and at.session_state[STATE].look_back == LONGEST_AAPL_LOOK_BACK
    assert link_value(at, "look_back") == str(LONGEST_AAPL_LOOK_BACK)


def test_changed_settings_mark_the_results_as_from_the_last_run():
    at = open_link(PAGE, {"epochs": "2"})
    _train_to_the_end(at)
    assert not any(c.value == W.STALE for c in at.caption)
    at.number_input(key="f_seed").set_value(1).run()
    assert_clean(at)
    assert any(c.value == W.STALE for c in at.caption) and at.table


# --- uploads (AppTest drives st.file_uploader in this Streamlit) ------------------------------

def _csv(rows, *, start="2020-01-01", duplicate=False):
    """A small CSV of daily dates and a noisy sine, `rows` long; optionally one date twice."""
    dates = np.datetime64(start) + np.arange(rows)
    if duplicate:
        dates[5] = dates[4]
    values = 10 + np.sin(np.arange(rows) / 5) + 0.1 * np.random.default_rng(0).standard_normal(rows)
    lines = ["day,level"] + [f"{d},{v:.3f}" for d, v in zip(dates, values)]
    return ("\n".join(lines) + "\n").encode()


GOOD_ROWS = 80  # 64 train, 16 test: windows of 10 fit both


def _upload(at, raw, name="mine.csv", use=True):
    """Give the uploader a file; press "Use this series" if the page offers it."""
    at.file_uploader(key="f_upload_file").set_value((name, raw, "text/csv")).run()
    if use and "f_up_use" in _keys(at):
        at.button(key="f_up_use").click().run()
    return at


def test_a_good_upload_switches_the_page_to_it_and_trains():
    at = _upload(open_link(PAGE, {"epochs": "3"}), _csv(GOOD_ROWS))
    assert_clean(at)
    assert not _errors(at)
    assert at.session_state[STATE].series == UPLOAD and link_value(at, "series") == UPLOAD
    assert at.selectbox(key="f_series").value == UPLOAD
    assert at.selectbox(key="f_up_date").value == "day" and at.selectbox(key="f_up_value").value == "level"
    assert any(c.value.startswith(f"{GOOD_ROWS} values: the first 64 (80%) train") for c in at.caption)
    run = _train_to_the_end(at)
    assert_clean(at)
    assert run.status == "done" and run.config.series.values.size == GOOD_ROWS
    assert list(_results_table(at).index) == [METHOD_NAMES[m] for m in F.METHODS]


@pytest.mark.parametrize("raw, words", [
    (bytes(range(256)) * 4, "binary file, not a CSV"),
    (b"day,name\n" + b"".join(b"2020-01-%02d,x%d\n" % (d, d) for d in range(1, 29)), "no numeric column"),
    (_csv(30), "Only 30 rows with values"),
    (_csv(GOOD_ROWS, duplicate=True), "appears 2 times"),
    (_csv(50), "needs at least 12 values in each part"),  # enough rows for a file, not for the windows
], ids=["binary", "no_numbers", "too_few_rows", "duplicate_date", "too_short_for_the_windows"])
def test_a_bad_upload_says_why_and_the_last_good_series_stays(raw, words):
    at = _upload(open_link(PAGE), _csv(GOOD_ROWS))
    good = at.session_state[C.UPLOAD_KEY]
    _upload(at, raw, name="bad.csv")
    assert_clean(at)
    errors = _errors(at)
    assert len(errors) == 1 and words in errors[0] and errors[0].endswith("The last good series is kept."), errors
    assert at.session_state[C.UPLOAD_KEY] is good and at.session_state[STATE].series == UPLOAD


def test_a_bad_first_upload_keeps_the_built_in_series():
    at = _upload(open_link(PAGE), _csv(30))
    assert_clean(at)
    assert any("Only 30 rows" in e for e in _errors(at))
    assert C.UPLOAD_KEY not in at.session_state and at.session_state[STATE] == ForecastState()


# --- the trained forecaster in the cell pages -------------------------------------------------

def test_the_look_back_steps_preset_trains_and_opens_its_first_layer_in_inside_the_cell():
    preset = next(p for p in PRESETS if p.name == "A real sequence: look_back steps")
    at = open_link(PAGE, to_query(preset.state()))
    run = _train_to_the_end(at)
    assert run.status == "done"
    layer = run.models["lstm"].layers[0].fwd
    at.button(key="f_open_cell").click().run()
    assert_clean(at)
    cell = at.session_state["cell_state"]
    assert cell.source == "forecast" and (cell.H, cell.I) == (4, 1)
    np.testing.assert_array_equal(cell.params().W_f, layer.W_f)
    assert cell.sequence().shape == (preset.state().look_back, 1)
    assert at.title[0].value == "Inside the cell"
    assert forecast_banner(1) in [i.value for i in at.info]


# --- teacher mode and the guided path ---------------------------------------------------------

def test_present_gives_fewer_controls_no_sidebar_large_fonts_and_keeps_presets_and_train():
    normal, shown = open_link(PAGE), open_link(PAGE, {"present": "1"})
    assert_clean(shown)
    assert _controls(shown) < _controls(normal)
    assert not shown.sidebar.children and normal.sidebar.children
    assert shown.session_state[STATE].large == 1 and normal.session_state[STATE].large == 0
    assert {"f_preset", "f_series", "f_train", "f_stop"} <= _keys(shown)
    assert not _keys(shown) & {"f_look_back", "f_lr", "f_seed", "f_upload_file", "path_forecast_pick"}


@pytest.mark.parametrize("hide, gone, kept", [
    ("files", {"f_upload_file"}, {"f_look_back", "f_preset"}),
    ("settings", {"f_look_back", "f_units", "f_lr", "f_seed"}, {"f_upload_file", "f_train"}),
    ("presets", {"f_preset"}, {"f_look_back"}),
    ("path", {"path_forecast_pick", "path_forecast_commit"}, {"f_preset"}),
    ("presets,settings,files", {"f_preset", "f_look_back", "f_upload_file"}, {"f_series", "f_train"}),
])
def test_hide_hides_the_named_groups(hide, gone, kept):
    assert gone <= _keys(open_link(PAGE))
    at = open_link(PAGE, {"hide": hide})
    assert_clean(at)
    keys = _keys(at)
    assert not keys & gone and kept <= keys
    assert at.sidebar.children and at.session_state[STATE].large == 0


def test_the_path_checkpoint_commit_loads_its_experiment_and_reveals_the_engines_numbers():
    at = open_link(PAGE, {"series": "msft", "look_back": "5"})
    numbers = outcome("forecast")
    right = CP.FORECAST.verdict(numbers)
    at.radio(key="path_forecast_pick").set_value(CP.FORECAST.options[right]).run()
    at.button(key="path_forecast_commit").click().run()
    assert_clean(at)
    assert at.session_state[STATE] == CP.forecast_state()
    assert link_value(at, "path") == f"forecast.{right}" and "series" not in at.query_params
    assert at.success[0].value.startswith("**Right.**") and CP.FORECAST.reveal(numbers) in at.success[0].value


def test_picking_your_own_settings_drops_the_experiment_and_keeps_the_settings():
    at = open_link(PAGE)  # the defaults are the notes' recipe
    assert at.selectbox(key="f_preset").value == PRESETS[0].name
    at.selectbox(key="f_preset").set_value("(your own settings)").run()
    assert_clean(at)
    assert at.session_state[STATE] == dataclasses.replace(ForecastState(), preset=OWN)
    assert at.selectbox(key="f_preset").value == "(your own settings)"
    assert not any(i.value.startswith(f"**{p.name}") for p in PRESETS for i in at.info)
    again = open_link(PAGE, dict(at.query_params))  # the link opens the same view
    assert again.selectbox(key="f_preset").value == "(your own settings)"
    at.slider(key="f_look_back").set_value(12).run()  # a changed setting is matched against the experiments again
    assert at.session_state[STATE].preset == ""
    at.selectbox(key="f_preset").set_value(PRESETS[1].name).run()  # an experiment can be picked again
    assert at.session_state[STATE] == PRESETS[1].state()
    assert any(i.value.startswith(f"**{PRESETS[1].name}.**") for i in at.info)
