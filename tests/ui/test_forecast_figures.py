"""The forecasting figures plot the engine's own numbers, in the series' units, at both font sizes,
empty or full, and the Keras-style summary counts what Keras (and our engine) count."""
import dataclasses
import math
import os

import numpy as np
import pytest

from lstm_core import forecast as F
from ui.common.palette import METHOD_COLORS
from ui.common.style import font_size
from ui.forecast import figures as G

CONFIG = dataclasses.replace(F.ForecastConfig(), units=8, epochs=3)


def _daily(n=400, seed=0, rise=0.0):
    """n days of a seasonal temperature-like series with noise; `rise` °C a day of trend."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    dates = np.datetime64("2012-01-01", "ns") + t * np.timedelta64(1, "D")
    return dates, 15 + 8 * np.sin(2 * np.pi * t / 365) + rise * t + rng.normal(0, 2, n)


def _report(values, config=CONFIG):
    """The Report of the recipe's untrained model on `values`: real arrays of the real shapes."""
    return F.evaluate_forecast(values, config, F.build_model(config))


def _items(losses, test_losses):
    """run_forecast's items without their model, one per epoch."""
    return [{"kind": "lstm", "epoch": e, "step": e, "loss": a, "test_loss": b, "best_step": e,
             "done": e == len(losses)} for e, (a, b) in enumerate(zip(losses, test_losses), start=1)]


def _ms(dates):
    return np.asarray(dates).astype("datetime64[ms]").astype(np.int64).astype(float)


def _x_of(trace):
    """A trace's x values, whether sent as an array or as a start and a step (evenly spaced dates)."""
    if trace.x is not None:
        return np.asarray(trace.x, dtype=float)
    return trace.x0 + trace.dx * np.arange(len(trace.y))


def _by_meta(fig):
    return {tr.meta: tr for tr in fig.data}


def _words(fig):
    return [a.text for a in fig.layout.annotations]


@pytest.fixture(scope="module")
def daily():
    dates, values = _daily()
    n_train = F.prepare(values, CONFIG).n_train
    return dates, values, n_train, _report(values)


def _builders(daily):
    dates, values, n_train, report = daily
    items = _items([0.05, 0.02, 0.01], [0.06, 0.03, 0.02])
    return {"series": lambda large: G.series_figure(dates, values, n_train, name="Max temperature", unit="°C",
                                                    large=large),
            "predictions": lambda large: G.series_figure(dates, values, n_train, name="Max temperature",
                                                         unit="°C", large=large, report=report),
            "loss": lambda large: G.loss_figure(items, 10, large=large),
            "loss empty": lambda large: G.loss_figure([], 10, large=large),
            "horizon": lambda large: G.horizon_figure(report.horizon, "°C", large=large),
            "horizon empty": lambda large: G.horizon_figure({}, "°C", large=large),
            "scaling": lambda large: G.scaling_figure(dates, values, n_train, large=large)}


@pytest.mark.parametrize("large", [False, True])
def test_every_figure_is_titled_and_its_fonts_follow_the_projector_toggle(daily, large):
    for name, build in _builders(daily).items():
        fig = build(large)
        assert fig.layout.title.text and fig.layout.title.subtitle.text, name
        assert fig.layout.font.size == font_size(large), name
        assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text, name
        assert all(tr.hovertemplate for tr in fig.data if tr.meta != "outside" or len(tr.x)), name
        fig.to_json()  # it serialises: what the browser gets


def test_series_figure_draws_every_value_at_its_date_and_shades_the_test_part(daily):
    dates, values, n_train, _ = daily
    fig = G.series_figure(dates, values, n_train, name="Max temperature", unit="°C", large=False)
    (line,) = fig.data
    np.testing.assert_array_equal(line.y, values)  # every value, none decimated or rounded
    np.testing.assert_array_equal(_x_of(line), _ms(dates))
    assert line.x is None  # daily dates go as a start and a step: no array of dates to send
    test = next(s for s in fig.layout.shapes if s.name == "test part")
    assert _ms(dates)[n_train - 1] < test.x0 < _ms(dates)[n_train] and test.x1 == _ms(dates)[-1]
    assert _words(fig) == ["train", "test"]
    lo, hi = fig.layout.yaxis.range
    assert lo < values.min() and hi > values.max()
    assert "%Y-%m-%d}" in line.hovertemplate and "°C" in line.hovertemplate
    assert f"{n_train:,} values to train on" in fig.layout.title.subtitle.text


def test_series_figure_with_a_report_draws_the_lstm_on_train_and_test_and_persistence_on_test(daily):
    dates, values, n_train, report = daily
    fig = G.series_figure(dates, values, n_train, name="Max temperature", unit="°C", large=True, report=report)
    t = _by_meta(fig)
    np.testing.assert_array_equal(_x_of(t["lstm train"]), _ms(dates[report.t_train]))
    np.testing.assert_array_equal(t["lstm train"].y, report.pred_train)
    np.testing.assert_array_equal(_x_of(t["lstm test"]), _ms(dates[report.t_test]))
    np.testing.assert_array_equal(_x_of(t["persistence"]), _ms(dates[report.t_test]))
    np.testing.assert_array_equal(t["lstm test"].y, report.pred_test)
    np.testing.assert_array_equal(t["persistence"].y, report.baseline_test["persistence"])
    np.testing.assert_allclose(t["persistence"].y, values[report.t_test - 1], rtol=1e-12)  # tomorrow = today
    assert t["persistence"].line.dash == "dash" and t["persistence"].line.width < t["lstm test"].line.width
    assert t["lstm train"].line.color == t["lstm test"].line.color == METHOD_COLORS["lstm"]
    assert fig.layout.showlegend and [tr.showlegend for tr in fig.data].count(False) == 1  # one LSTM entry


def test_a_wild_prediction_runs_off_the_chart_instead_of_flattening_the_series(daily):
    dates, values, n_train, report = daily
    span = values.max() - values.min()
    wild = dataclasses.replace(report, pred_test=np.full_like(report.pred_test, 1e9),
                               pred_train=np.full_like(report.pred_train, -1e9))
    fig = G.series_figure(dates, values, n_train, name="x", unit="", large=False, report=wild)
    lo, hi = fig.layout.yaxis.range
    assert hi - lo < 2.5 * span and lo < values.min() - 0.5 * span + 1e-9 and hi > values.max() + 0.5 * span
    assert fig.layout.yaxis.title.text == "x"


def test_an_hourly_year_is_drawn_with_webgl_every_point_kept_and_hovers_name_the_hour():
    n = 8_759
    dates = np.datetime64("2010-01-01T00", "ns") + np.arange(n) * np.timedelta64(1, "h")
    values = np.round(50 + 10 * np.sin(np.arange(n) * 2 * np.pi / 24), 1)
    n_train = int(n * 0.8)
    fig = G.series_figure(dates, values, n_train, name="Hourly", unit="°F", large=False)
    (line,) = fig.data
    assert line.type == "scattergl" and len(line.y) == n
    assert "%Y-%m-%d %H:%M" in line.hovertemplate and "%{y:.10~g}" in line.hovertemplate
    small = G.series_figure(dates[:300], values[:300], 240, name="Hourly", unit="°F", large=False)
    assert small.data[0].type == "scatter" and small.data[0].line.width > line.line.width


def test_monthly_dates_hover_as_month_and_year():
    dates = np.arange("2000-01", "2004-01", dtype="datetime64[M]").astype("datetime64[ns]")  # 48 months
    fig = G.series_figure(dates, np.arange(48.0), 38, name="AAPL", unit="USD", large=False)
    assert "%{x|%b %Y}" in fig.data[0].hovertemplate
    np.testing.assert_array_equal(fig.data[0].x, _ms(dates))  # months differ in length: sent as dates


def test_loss_figure_plots_both_losses_per_epoch_on_a_fixed_log_axis():
    losses, tests = [0.08, 0.03, 0.012, 0.006, 0.004], [0.09, 0.05, 0.03, 0.031, 0.033]
    full = G.loss_figure(_items(losses, tests), 100, large=False)
    half = G.loss_figure(_items(losses[:2], tests[:2]), 100, large=False)
    t = _by_meta(full)
    np.testing.assert_array_equal(t["loss"].customdata, losses)
    np.testing.assert_array_equal(t["test_loss"].customdata, tests)
    np.testing.assert_array_equal(t["loss"].x, [1, 2, 3, 4, 5])
    assert full.layout.yaxis.type == "log"
    assert full.layout.xaxis.range == half.layout.xaxis.range == (0, 102)  # the planned epochs, from the start
    assert full.layout.yaxis.range == half.layout.yaxis.range  # the axis stands still while training
    assert "scaled values" in full.layout.title.subtitle.text
    assert "mean over the epoch's batches" in t["loss"].name


def test_loss_figure_widens_its_axis_by_whole_decades_only_when_a_loss_leaves_it():
    base = G.loss_figure(_items([0.5, 0.01], [0.5, 0.02]), 10, large=False).layout.yaxis.range
    low = G.loss_figure(_items([0.5, 3e-6], [0.5, 0.02]), 10, large=False).layout.yaxis.range
    assert base == pytest.approx((-4.1, 0.1)) and low == pytest.approx((-6.1, 0.1))


def test_loss_figure_without_items_asks_to_press_train():
    fig = G.loss_figure([], 50, large=True)
    assert _words(fig) == ["press Train to start"] and not fig.layout.showlegend
    assert fig.layout.xaxis.range == (0, 51)


def test_a_nan_loss_is_a_gap_and_a_labelled_mark_at_its_first_epoch():
    fig = G.loss_figure(_items([0.1, 0.05, math.nan, math.nan], [0.1, 0.06, 0.07, math.inf]), 10, large=False)
    t = _by_meta(fig)
    assert np.isnan(t["loss"].y[2]) and np.isnan(t["test_loss"].y[3]) and t["loss"].y[1] == 0.05
    assert t["not a number"].x == (3,) and "epoch 3" in t["not a number"].text[0]
    lo, hi = fig.layout.yaxis.range
    assert lo < math.log10(t["not a number"].y[0]) < hi


def test_horizon_figure_draws_each_methods_rmse_against_steps_ahead_in_its_own_look(daily):
    report = daily[3]
    fig = G.horizon_figure(report.horizon, "°C", large=False)
    assert [tr.meta for tr in fig.data] == list(F.METHODS)
    for tr in fig.data:
        np.testing.assert_array_equal(tr.y, report.horizon[tr.meta])
        np.testing.assert_array_equal(tr.x, np.arange(1, CONFIG.horizon + 1))
        assert tr.name == G.METHOD_NAMES[tr.meta] and tr.line.color == METHOD_COLORS[tr.meta]
        assert "°C" in tr.hovertemplate
    assert len({(tr.line.dash, tr.marker.symbol) for tr in fig.data}) == 4  # apart without colour too
    assert fig.layout.yaxis.range[0] == 0 and fig.layout.yaxis.range[1] > max(max(tr.y) for tr in fig.data)


def test_horizon_figure_without_a_forecast_says_what_to_do():
    fig = G.horizon_figure({}, "USD", large=False)
    assert not fig.data and not fig.layout.showlegend and "train a model" in _words(fig)[0]


def test_method_names_and_colours_cover_the_engines_methods_each_its_own():
    assert tuple(G.METHOD_NAMES) == F.METHODS == tuple(G.METHOD_MARKS)
    assert set(METHOD_COLORS) == set(F.METHODS) and len(set(METHOD_COLORS.values())) == 4


@pytest.mark.parametrize("rise", [0.2, -0.2])
def test_scaling_figure_shows_the_leak_free_test_values_that_leave_0_to_1_on_a_trending_series(rise):
    dates, values = _daily(rise=rise)  # the test part climbs (or falls) beyond anything the training part saw
    n_train = int(values.size * 0.8)
    fig = G.scaling_figure(dates, values, n_train, large=True)
    t = _by_meta(fig)
    train = values[:n_train]
    np.testing.assert_allclose(t["train"].y, (values - train.min()) / (train.max() - train.min()))
    np.testing.assert_allclose(t["whole"].y, (values - values.min()) / (values.max() - values.min()))
    beyond = np.flatnonzero((values[n_train:] > train.max()) | (values[n_train:] < train.min()))
    assert beyond.size > 0 and len(t["outside"].x) == beyond.size
    np.testing.assert_array_equal(t["outside"].x, _ms(dates[n_train + beyond]))
    np.testing.assert_array_equal(t["train"].customdata, values)  # its hover gives the value too
    assert f"{beyond.size:,} of {values.size - n_train:,} test values" in t["outside"].name
    test = t["train"].y[n_train:]
    span = f"{min(test):.2f} to {max(test):.2f}".replace("-", "−")
    assert (f"test values span {span}: at the {beyond.size:,} of {values.size - n_train:,} outside [0, 1] "
            "the model must extrapolate") in fig.layout.title.subtitle.text
    assert (max(test) > 1) if rise > 0 else (min(test) < 0)
    assert fig.layout.yaxis.range[1] > max(t["train"].y)
    band = next(s for s in fig.layout.shapes if s.name == "band")
    assert (band.y0, band.y1) == (0, 1)


def test_scaling_figure_says_the_leak_changes_nothing_when_the_extremes_are_in_training(daily):
    dates, values, n_train, _ = daily  # a year and a month: both extremes fall in the first 80 %
    assert values.argmax() < n_train and values.argmin() < n_train
    fig = G.scaling_figure(dates, values, n_train, large=False)
    t = _by_meta(fig)
    np.testing.assert_array_equal(t["whole"].y, t["train"].y)
    assert len(t["outside"].x) == 0 and "changes nothing" in fig.layout.title.subtitle.text


def _config(layout="steps", layers=2, look_back=10, units=50):
    return dataclasses.replace(F.ForecastConfig(), layout=layout, layers=layers, look_back=look_back, units=units)


def test_model_summary_counts_the_notes_model_like_keras_prints_it():
    rows = G.model_summary(_config("steps"))
    assert rows == [{"Layer (type)": "lstm (LSTM)", "Output Shape": "(None, 10, 50)", "Param #": 10_400},
                    {"Layer (type)": "lstm_1 (LSTM)", "Output Shape": "(None, 50)", "Param #": 20_200},
                    {"Layer (type)": "dense (Dense)", "Output Shape": "(None, 1)", "Param #": 51},
                    {"Layer (type)": "Total", "Output Shape": "", "Param #": 30_651}]
    one_step = G.model_summary(_config("one_step"))
    assert one_step[0]["Output Shape"] == "(None, 1, 50)" and one_step[0]["Param #"] == 4 * 50 * (10 + 50 + 1)
    assert one_step[-1]["Param #"] == 32_451


@pytest.mark.parametrize("layout", ["one_step", "steps"])
@pytest.mark.parametrize("layers", [1, 2, 3])
def test_model_summary_total_is_the_engines_own_parameter_count(layout, layers):
    config = _config(layout, layers, look_back=7, units=5)
    rows = G.model_summary(config)
    assert len(rows) == layers + 2 and rows[-2]["Layer (type)"] == "dense (Dense)"
    assert [r["Output Shape"].count(",") for r in rows[:layers]] == [2] * (layers - 1) + [1]
    model = F.build_model(config)
    assert rows[-1]["Param #"] == sum(a.size for a in model.arrays().values())
    assert sum(r["Param #"] for r in rows[:-1]) == rows[-1]["Param #"]


def test_shape_flow_follows_the_layout_and_the_layers():
    assert G.shape_flow(_config("steps")) == "(batch, 10, 1) → (batch, 10, 50) → (batch, 50) → (batch, 1)"
    assert G.shape_flow(_config("one_step")) == "(batch, 1, 10) → (batch, 1, 50) → (batch, 50) → (batch, 1)"
    assert G.shape_flow(_config("steps", 1)) == "(batch, 10, 1) → (batch, 50) → (batch, 1)"
    assert G.shape_flow(_config("one_step", 3, look_back=4, units=8)) == \
        "(batch, 1, 4) → (batch, 1, 8) → (batch, 1, 8) → (batch, 8) → (batch, 1)"


@pytest.mark.parametrize("layout", ["one_step", "steps"])
@pytest.mark.parametrize("layers", [1, 3])
def test_model_summary_matches_the_keras_model_layer_by_layer(layout, layers):
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    config = _config(layout, layers)
    keras.backend.clear_session()  # layer names count from lstm, lstm_1 again
    steps, features = (1, 10) if layout == "one_step" else (10, 1)
    model = keras.Sequential([keras.Input((steps, features))]
                             + [keras.layers.LSTM(50, return_sequences=k < layers - 1) for k in range(layers)]
                             + [keras.layers.Dense(1)])
    rows = G.model_summary(config)
    for row, layer in zip(rows, model.layers):
        assert row["Layer (type)"] == f"{layer.name} ({type(layer).__name__})"
        assert row["Output Shape"] == str(tuple(layer.output.shape))
        assert row["Param #"] == layer.count_params()
    assert rows[-1]["Param #"] == model.count_params()


def test_persistence_is_drawn_under_the_lstm_and_listed_after_it(daily):
    dates, values, n_train, report = daily
    fig = G.series_figure(dates, values, n_train, name="x", unit="°C", large=False, report=report)
    order = [tr.meta for tr in fig.data]
    assert order.index("persistence") < order.index("lstm test")  # the dashed line does not hide the LSTM
    ranks = {tr.meta: tr.legendrank for tr in fig.data if tr.showlegend is not False}
    assert ranks["series"] < ranks["lstm train"] < ranks["persistence"]
