"""Streamlit glue for the Forecasting page: its Store, the series picker and upload, the recipe's widgets.

A setting the engine rejects (a learning rate of 0, a window longer than the test part, ...) is
not applied: the widget snaps back to the last good value and the page says why. Each widget's
help is the one sentence of why that setting matters (ui/forecast/lessons.WHY).
"""
import dataclasses

import streamlit as st

from lstm_core import forecast as F

from ui.common import link
from ui.common.lessons import OWN, matching
from ui.common.link import limits, options
from ui.common.store import Store, checked_update, show_link_error
from ui.common.words import sentence
from ui.forecast import data as D
from ui.forecast import state as FS
from ui.forecast.lessons import INIT_NAMES, LAYOUT_NAMES, PRESETS, SCALER_NAMES, WHY


def _from_link(query):
    """A ForecastState from a link, checked against the series the page will show (ValueError if the
    settings do not fit it: a look-back longer than its test part). A link cannot carry an upload,
    so `series=upload` is checked against the default series, which the page then shows."""
    state = FS.from_query(query)
    shown = FS.ForecastState().series if state.series == FS.UPLOAD else state.series
    try:
        F.check(D.load_builtin(shown).values, FS.config(state))
    except ValueError as err:
        raise ValueError(f"its settings do not fit the series {shown}: {err}") from None
    return state


FORECAST = Store("forecast_state", FS.ForecastState, _from_link, link.to_query)
ERROR_KEY = "forecast_setting_error"
UPLOAD_KEY = "forecast_upload"  # the last good uploaded Series, for this session only
UPLOAD_ERROR_KEY = "forecast_upload_error"
NO_UPLOAD = ("no CSV file has been read in this session yet: upload one under *Use your own CSV file* "
             "and press *Use this series*")


def series_of(state):
    """The Series the state names: a built-in one, or this session's upload (None if there is none)."""
    if state.series == FS.UPLOAD:
        return st.session_state.get(UPLOAD_KEY)
    return D.load_builtin(state.series)


def _check(state):
    """ValueError unless the engine accepts `state` on the series it names."""
    cfg = FS.config(state)
    series = series_of(state)
    if series is None:
        raise ValueError(NO_UPLOAD)
    F.check(series.values, cfg)


def _checked(field, cast):
    """An update for bind that sets one field, unless the engine rejects the result on this series."""
    return checked_update(field, cast, _check, ERROR_KEY, preset="")


def sidebar():
    FORECAST.large_toggle()
    show_link_error()


def preset_picker(state):
    """One-click experiments, each with the sentence that says what to look at; "(your own settings)"
    keeps the settings and drops the experiment and its sentence, even where they are an experiment's."""
    FORECAST.preset_picker(PRESETS, matching(PRESETS, state, FS.RECIPE), lambda s, lesson: lesson.state(s.large),
                           key="f_preset", label="Experiment", own=lambda s: dataclasses.replace(s, preset=OWN))


def series_picker(state):
    """The series: a built-in one or the learner's own CSV."""
    names = {**{k: v for k, v in D.BUILT_IN.items()}, FS.UPLOAD: "Your own CSV file"}
    FORECAST.bind(st.selectbox, "f_series", state.series, _checked("series", str), label="Series",
                  options=options(FS.ForecastState, "series"), format_func=names.get,
                  help=WHY["series"])


def upload(state):
    """The CSV uploader and its column pickers; a bad file gets a message and the last good series stays."""
    with st.expander("Use your own CSV file", expanded=state.series == FS.UPLOAD):
        st.caption(f"A CSV of at most {D.MAX_BYTES // 1_000_000} MB and {D.MAX_ROWS:,} rows, with a date "
                   f"column and a numeric column, at least {D.MIN_ROWS} rows.")
        raw = st.file_uploader("CSV file", type=["csv", "txt"], key="f_upload_file")
        if raw is None:
            return
        try:
            frame = D.read_csv(raw.getvalue(), raw.name)
            dates, numbers = D.columns(frame)
        except ValueError as err:
            st.error(f"{sentence(err)} The last good series is kept.")
            return
        missing = [what for what, cols in (("numeric", numbers), ("date", dates)) if not cols]
        if missing:
            found = ", ".join(f"'{c}'" for c in frame.columns[:8]) + (", …" if len(frame.columns) > 8 else "")
            st.error(f"The file has no {' and no '.join(missing)} column (it has {found}). The last good "
                     "series is kept.")
            return
        a, b = st.columns(2)
        date_col = a.selectbox("Date column", dates, key="f_up_date")
        value_col = b.selectbox("Value column", numbers, key="f_up_value")
        if st.button("Use this series", key="f_up_use", icon=":material/upload:"):
            _use_upload(frame, date_col, value_col, f"{value_col} ({raw.name})")


def _use_upload(frame, date_col, value_col, name):
    """Read the chosen columns; on success the page switches to the upload, else it says why."""
    try:
        series = D.series_from_upload(frame, date_col, value_col, name)
        new = dataclasses.replace(FORECAST.current(), series=FS.UPLOAD, preset="")
        F.check(series.values, FS.config(new))
    except ValueError as err:
        st.session_state[UPLOAD_ERROR_KEY] = f"{sentence(err)} The last good series is kept."
        return
    st.session_state[UPLOAD_KEY] = series
    FORECAST.commit(new)
    st.rerun()


def show_upload_error():
    if UPLOAD_ERROR_KEY in st.session_state:
        st.error(st.session_state.pop(UPLOAD_ERROR_KEY))


def recipe(state):
    """The recipe: data preparation, then the model and its training, each with why it matters."""
    st.markdown("**Preparing the data**")
    a, b, c, d = st.columns(4)
    with a:
        FORECAST.bind(st.slider, "f_look_back", state.look_back, _checked("look_back", int),
                      label="Look-back window", **limits(FS.ForecastState, "look_back"), help=WHY["look_back"])
    with b:
        FORECAST.bind(st.slider, "f_train_pct", state.train_pct, _checked("train_pct", int),
                      label="Training part (%)", **limits(FS.ForecastState, "train_pct"), help=WHY["train_pct"])
    with c:
        FORECAST.bind(st.radio, "f_scaler", state.scaler, _checked("scaler", str), label="Scaler fitted on",
                      options=options(FS.ForecastState, "scaler"), format_func=SCALER_NAMES.get,
                      help=WHY["scaler"])
    with d:
        FORECAST.bind(st.radio, "f_layout", state.layout, _checked("layout", str), label="Input layout",
                      options=options(FS.ForecastState, "layout"), format_func=LAYOUT_NAMES.get,
                      help=WHY["layout"])
    st.markdown("**The model and its training**")
    a, b, c, d = st.columns(4)
    with a:
        FORECAST.bind(st.slider, "f_layers", state.layers, _checked("layers", int), label="LSTM layers",
                      **limits(FS.ForecastState, "layers"), help=WHY["layers"])
        FORECAST.bind(st.number_input, "f_units", state.units, _checked("units", int), label="Units per layer",
                      **limits(FS.ForecastState, "units"), help=WHY["units"])
    with b:
        FORECAST.bind(st.number_input, "f_epochs", state.epochs, _checked("epochs", int), label="Epochs",
                      **limits(FS.ForecastState, "epochs"), help=WHY["epochs"])
        FORECAST.bind(st.number_input, "f_batch", state.batch, _checked("batch", int), label="Batch size",
                      **limits(FS.ForecastState, "batch"), help=WHY["batch"])
    with c:
        FORECAST.bind(st.number_input, "f_lr", state.lr, _checked("lr", float), label="Learning rate (Adam)",
                      **limits(FS.ForecastState, "lr"), format="%.4f", help=WHY["lr"])
        FORECAST.bind(st.radio, "f_init", state.init, _checked("init", str), label="Initial weights",
                      options=options(FS.ForecastState, "init"), format_func=INIT_NAMES.get, help=WHY["init"])
    with d:
        FORECAST.bind(st.number_input, "f_horizon", state.horizon, _checked("horizon", int),
                      label="Steps ahead (multi-step)", **limits(FS.ForecastState, "horizon"), help=WHY["horizon"])
        FORECAST.bind(st.number_input, "f_seed", state.seed, _checked("seed", int), label="Random seed",
                      **limits(FS.ForecastState, "seed"), help=WHY["seed"])


def show_setting_error():
    """The reason the last change of a setting was refused, once."""
    if ERROR_KEY in st.session_state:
        st.error(st.session_state.pop(ERROR_KEY))
