"""Figures for the "Forecasting" page: the series and its split, the loss while fitting, the error
against the horizon, the scaler's leak, and the model as Keras's `model.summary()` prints it.

Pure functions: plain data in (numpy arrays, run_forecast's items without their "model", a
lstm_core.forecast.Report, a ForecastConfig), a Plotly figure, table rows or a string out. The loss
chart is redrawn live while a model trains, so every figure is built from plain dicts, with its
axes fixed in advance. Dates are numpy datetime64 arrays; a chart gets them as milliseconds since
1970 (what Plotly's date axis reads from numbers), so 8,759 hourly values stay light and every
hover keeps the exact value.
"""
import numpy as np

from lstm_core.forecast import METHODS
from lstm_core.series import fit_scaler
from ui.common.palette import BAND_ZONE, INK, METHOD_COLORS, MUTED, OUT_OF_BAND, SCALER_COLORS, SERIES_COLOR, TEST_ZONE
from ui.common.style import (AXIS, LEGEND_ROOM, NOTE_ROOM, figure, font_size, integer_axis, nice_dtick, plot_px,
                             top_legend)
from ui.gradients.axes import log_axis, with_room

METHOD_NAMES = {  # how the page names each forecasting method, in words
    "lstm": "LSTM",
    "persistence": "persistence (tomorrow = today)",
    "moving_average": "moving average of the window",
    "linear_ar": "linear autoregression",
}
METHOD_MARKS = {"lstm": ("circle", "solid", 3.5), "persistence": ("square", "dash", 2.5),
                "moving_average": ("diamond", "dot", 2.5),
                "linear_ar": ("triangle-up", "dashdot", 2.5)}  # marker, dash, line width: told apart without colour
GL_FROM = 2000  # longer lines are drawn with WebGL (Scattergl): every point kept, still fast in the browser
MSE_DECADES = (-4, 0)  # the loss axis spans at least 10⁻⁴..1 (scaled MSE), so it stands still while training
BETWEEN = "between"  # lines over the grid, under the curves


def _ms(dates):
    """numpy datetime64 dates as float milliseconds since 1970: numbers a Plotly date axis reads."""
    return np.asarray(dates).astype("datetime64[ms]").astype(np.int64).astype(np.float64)


def _dates(x):
    """A trace's x: evenly spaced dates as a start and a step (x0, dx), which send no array to the
    browser; uneven ones (months) as the array of milliseconds."""
    steps = np.diff(x)
    if x.size > 1 and (steps == steps[0]).all():
        return dict(x0=x[0], dx=steps[0])
    return dict(x=x)


def _date_format(dates):
    """How a hover writes a date: with the hour for hourly data, month and year for monthly, else the day."""
    d = np.asarray(dates).astype("datetime64[s]")
    if (d != d.astype("datetime64[D]")).any():
        return "%Y-%m-%d %H:%M"
    if d.size > 1 and np.median(np.diff(d)) >= np.timedelta64(28, "D"):
        return "%b %Y"
    return "%Y-%m-%d"


def _kind(n):
    """The trace type for a line of n points: WebGL for long ones."""
    return "scattergl" if n > GL_FROM else "scatter"


def _width(n, width):
    """A line's width: thinner for a long series, whose points sit closer together than a line is wide."""
    return width * 0.6 if n > GL_FROM else width


def _prompt(text, size):
    """An empty chart's words, in the middle of the plot."""
    return dict(text=text, x=0.5, xref="paper", y=0.5, yref="paper", showarrow=False, bgcolor="white",
                font=dict(size=round(size * 1.4), color=MUTED))


def _room(height, size, top):
    """The fraction of the plot's height one line of words takes (kept free at the top for them)."""
    return min(0.3, (NOTE_ROOM * size + 10) / max(plot_px(height, size, top), 1))


def _split_marks(x, n_train, size):
    """The test part shaded, a dotted line at the split, and "train" / "test" written over each part."""
    split = (x[n_train - 1] + x[n_train]) / 2  # halfway between the last training and first test date
    words = dict(y=1, yref="paper", yanchor="top", showarrow=False, font=dict(size=size, color=INK))
    shapes = [dict(type="rect", xref="x", x0=split, x1=x[-1], yref="paper", y0=0, y1=1, name="test part",
                   fillcolor=TEST_ZONE, line_width=0, layer="below"),
              dict(type="line", xref="x", x0=split, x1=split, yref="paper", y0=0, y1=1, name="split",
                   layer=BETWEEN, line=dict(color=INK, width=1.5, dash="dot"))]
    notes = [dict(words, text="train", x=(x[0] + split) / 2, xref="x", name="train"),
             dict(words, text="test", x=(split + x[-1]) / 2, xref="x", name="test")]
    return shapes, notes


def _date_axis(x):
    """The x axis over the series' dates, fixed to its first and last date."""
    return dict(AXIS, type="date", title="date", range=[x[0], x[-1]], zeroline=False)


def _value_range(values, extra=()):
    """A padded [lo, hi] over the finite values; `extra` (predictions) counts only within half the
    values' span beyond them, so a wild prediction runs off the edge instead of flattening the series."""
    v = values[np.isfinite(values)]
    lo, hi = (float(v.min()), float(v.max())) if v.size else (0.0, 1.0)
    reach = max(hi - lo, 1e-9) / 2
    seen = [np.clip(e[np.isfinite(e)], lo - reach, hi + reach) for e in extra]
    lo, hi = min([lo] + [float(e.min()) for e in seen if e.size]), max([hi] + [float(e.max()) for e in seen if e.size])
    pad = max(0.04 * (hi - lo), 1e-9)
    return lo - pad, hi + pad


def _series_line(x, y, when, name, unit, label):
    """The series' true values: a solid line in the series colour; hover gives the exact value."""
    return dict(type=_kind(len(x)), **_dates(x), y=y, mode="lines", name=label, meta="series", legendrank=1,
                line=dict(color=SERIES_COLOR, width=_width(len(x), 1.5)),
                hovertemplate=f"%{{x|{when}}}<br>{name}: %{{y:.10~g}} {unit}<extra></extra>")


def _prediction_lines(x, report, when, unit):
    """The LSTM's one-step predictions on train and test (one legend entry), persistence on test."""
    lstm = dict(mode="lines", line=dict(color=METHOD_COLORS["lstm"], width=_width(len(x), 2)), legendgroup="lstm")
    persistence = METHOD_NAMES["persistence"]

    def hover(words):
        return f"%{{x|{when}}}<br>{words}: %{{y:.5~g}} {unit}<extra></extra>"

    return [dict(type=_kind(len(report.t_test)), **_dates(x[report.t_test]),
                 y=report.baseline_test["persistence"], mode="lines", name=f"{persistence}, test",
                 meta="persistence", legendrank=3,  # drawn under the LSTM, listed after it
                 line=dict(color=METHOD_COLORS["persistence"], width=_width(len(x), 1.5), dash="dash"),
                 hovertemplate=hover(persistence)),
            dict(lstm, type=_kind(len(report.t_train)), **_dates(x[report.t_train]), y=report.pred_train,
                 name="LSTM, one step ahead", meta="lstm train", legendrank=2, hovertemplate=hover("LSTM (train)")),
            dict(lstm, type=_kind(len(report.t_test)), **_dates(x[report.t_test]), y=report.pred_test,
                 name="LSTM, one step ahead", meta="lstm test", showlegend=False,
                 hovertemplate=hover("LSTM (test)"))]


def series_figure(dates, values, n_train, *, name, unit, large, report=None):
    """The series in its own units with the test part shaded; given a Report, the LSTM's one-step
    predictions on both parts and persistence ("tomorrow = today") on the test part."""
    size, height = font_size(large), 560 if large else 480
    x, v, when = _ms(dates), np.asarray(values, dtype=np.float64), _date_format(dates)
    traces = [_series_line(x, v, when, name, unit, "true values")]
    extra = ()
    if report is not None:
        traces += _prediction_lines(x, report, when, unit)
        extra = (report.pred_train, report.pred_test, report.baseline_test["persistence"])
    top = round(LEGEND_ROOM * size) if report is not None else 0  # a legend only when there is more than one line
    shapes, notes = _split_marks(x, n_train, size)
    y_range = with_room(*_value_range(v, extra), top=_room(height, size, top))
    layout = dict(xaxis=_date_axis(x), yaxis=dict(AXIS, title=f"{name} ({unit})" if unit else name,
                                                  range=y_range, zeroline=False),
                  shapes=shapes, annotations=notes, legend=top_legend(size, height), showlegend=bool(top))
    if report is not None:
        return figure(traces, layout, f"{name}: the LSTM's one-step predictions",
                      "each prediction reads the true values just before it · shaded: the test part",
                      large, height, top=top)
    share = round(100 * (v.size - n_train) / v.size)
    return figure(traces, layout, f"{name}: what the model trains on and what tests it",
                  f"{n_train:,} values to train on, then {v.size - n_train:,} to test (the last {share} %): "
                  "never shuffled", large, height)


def _loss_axis(values):
    """A log axis over whole decades, at least 10⁻⁴..1: it moves only when a loss leaves it."""
    v = values[np.isfinite(values) & (values > 0)]
    lo, hi = MSE_DECADES
    if v.size:
        lo = min(lo, int(np.floor(np.log10(v.min()))))
        hi = max(hi, int(np.ceil(np.log10(v.max()))))
    return dict(AXIS, **log_axis(lo - 0.1, hi + 0.1, max_ticks=6), title="mean squared error (log scale)")


def _epoch_axis(last, epochs):
    """Epochs 0 to the planned number (still while training), whole-number ticks."""
    end = max(epochs or 0, last, 1)
    return dict(AXIS, title="epoch", range=[0, end * 1.02], tickmode="linear", tick0=0,
                dtick=nice_dtick(end, 8), zeroline=False)


def _loss_line(x, loss, words, color, dash, symbol, meta, size):
    """One loss per epoch; NaN or ±inf is a gap; the hover gives the exact value."""
    drawn = np.where(np.isfinite(loss) & (loss > 0), loss, np.nan)
    return dict(type="scatter", x=x, y=drawn, customdata=loss, name=words, meta=meta,
                mode="lines+markers" if len(x) <= 30 else "lines", line=dict(color=color, width=3, dash=dash),
                marker=dict(symbol=symbol, size=round(size * 0.6), color=color, line=dict(color="white", width=1)),
                hovertemplate=f"epoch %{{x}}<br>{words}: %{{customdata:.4g}}<extra></extra>")


def _not_a_number(x, loss, test_loss, axis, x_end, size):
    """An ✕ at the top edge at the first epoch whose loss is NaN or infinite, with words saying so."""
    bad = ~(np.isfinite(loss) & np.isfinite(test_loss))
    epoch = x[bad][0]
    words = f"the loss is not a number from epoch {epoch:g}"
    top = 10.0 ** (axis["range"][1] - 0.06 * (axis["range"][1] - axis["range"][0]))
    return dict(type="scatter", x=[epoch], y=[top], mode="markers+text", text=[words], meta="not a number",
                textposition="middle left" if epoch > 0.6 * x_end else "middle right", showlegend=False,
                cliponaxis=False, textfont=dict(color=INK, size=size),
                marker=dict(symbol="x-thin", size=round(size * 1.1), line=dict(width=3, color=INK)),
                hovertemplate=f"{words}: training diverged<extra></extra>")


def loss_figure(items, epochs, *, large):
    """Training MSE (the mean over each epoch's batches) and test MSE per epoch, on the scaled values;
    the axes are fixed to 0..`epochs` and to whole decades so the chart stands still while training."""
    size, height = font_size(large), 520 if large else 440
    x = np.array([it["epoch"] for it in items], dtype=np.float64)
    loss, test = (np.array([np.nan if it[k] is None else it[k] for it in items], dtype=np.float64)
                  for k in ("loss", "test_loss"))
    axis = _loss_axis(np.concatenate([loss, test]))
    x_axis = _epoch_axis(int(x.max()) if len(x) else 0, epochs)
    traces = [_loss_line(x, loss, "training MSE (mean over the epoch's batches)", METHOD_COLORS["lstm"],
                         "solid", "circle", "loss", size),
              _loss_line(x, test, "test MSE (after each epoch)", INK, "dash", "diamond", "test_loss", size)]
    if len(x) and not (np.isfinite(loss).all() and np.isfinite(test).all()):
        traces.append(_not_a_number(x, loss, test, axis, x_axis["range"][1], size))
    empty = not len(x)
    layout = dict(xaxis=x_axis, yaxis=axis, showlegend=not empty,
                  legend=top_legend(size, height), annotations=[_prompt("press Train to start", size)] if empty else [])
    return figure(traces, layout, "Loss while fitting — lower is better",
                  "mean squared error of the scaled values (0 to 1), not in the series' units",
                  large, height, top=round(LEGEND_ROOM * size))


def _horizon_line(method, rmse, unit, size):
    """One method's RMSE at each step ahead, in its colour, dash and marker."""
    symbol, dash, width = METHOD_MARKS[method]
    words = METHOD_NAMES[method]
    h = np.arange(1, len(rmse) + 1)
    return dict(type="scatter", x=h, y=np.asarray(rmse, dtype=np.float64), name=words, meta=method,
                mode="lines+markers", line=dict(color=METHOD_COLORS[method], width=width, dash=dash),
                marker=dict(symbol=symbol, size=round(size * 0.65), color=METHOD_COLORS[method],
                            line=dict(color="white", width=1)),
                hovertemplate=f"{words}<br>steps ahead: %{{x}}<br>RMSE %{{y:.4g}} {unit}<extra></extra>")


def horizon_figure(horizon, unit, *, large, prompt="train a model to see its multi-step forecast"):
    """RMSE in the series' units against steps ahead 1..H for each method of `horizon`
    (Report.horizon: method -> (H,) array); step h feeds h − 1 of the method's own predictions back."""
    size, height = font_size(large), 540 if large else 460
    methods = [m for m in METHODS if m in horizon]
    traces = [_horizon_line(m, horizon[m], unit, size) for m in methods]
    n = max((len(horizon[m]) for m in methods), default=0)
    finite = np.concatenate([np.zeros(1)] + [np.asarray(horizon[m], dtype=np.float64) for m in methods])
    top = float(finite[np.isfinite(finite)].max()) or 1.0
    layout = dict(xaxis=dict(AXIS, **integer_axis(max(n, 1), "steps ahead h (h − 1 predictions fed back)")),
                  yaxis=dict(AXIS, title=f"RMSE ({unit})" if unit else "RMSE", range=[0, 1.08 * top], zeroline=False),
                  showlegend=bool(methods), legend=top_legend(size, height),
                  annotations=[] if methods else [_prompt(prompt, size)])
    return figure(traces, layout, "Error against horizon — predictions fed back",
                  f"RMSE{f' in {unit}' if unit else ''} over the test part, h steps after each window",
                  large, height, top=round(LEGEND_ROOM * size * (2 if large else 1)))  # large: 2 legend rows


def _scaled_line(x, scaled, when, key, words, width, values=None):
    """The series scaled one way; the hover gives the scaled value, and the original one if given."""
    value = "" if values is None else " (value %{customdata:.10~g})"
    return dict(type=_kind(len(x)), **_dates(x), y=scaled, customdata=values, mode="lines", name=words, meta=key,
                line=dict(color=SCALER_COLORS[key], width=width),
                hovertemplate=f"%{{x|{when}}}<br>{words}<br>scaled %{{y:.4f}}{value}<extra></extra>")


def _outside(x, scaled, n_train, when):
    """The test values the training-part scaler puts outside [0, 1]: markers, counted in the legend."""
    test = scaled[n_train:]
    out = np.flatnonzero((test < 0) | (test > 1)) + n_train
    words = f"outside [0, 1]: {out.size:,} of {test.size:,} test values"
    return dict(type=_kind(out.size), x=x[out], y=scaled[out], mode="markers", name=words, meta="outside",
                cliponaxis=False, marker=dict(color=OUT_OF_BAND, size=6), hovertemplate=f"%{{x|{when}}}<br>scaled %{{y:.4f}}: "
                                                                      "beyond what training saw<extra></extra>")


def _leak_note(whole, scaled, n_train):
    """The subtitle: the two scalings agree exactly when the test part stays inside the training
    part's range (so inside [0, 1]); otherwise say how far the leak-free test values reach."""
    if np.array_equal(whole, scaled):
        return "the extremes lie in the training part: both scalers are the same, the leak changes nothing"
    test = scaled[n_train:]
    out = int(np.sum((test < 0) | (test > 1)))
    span = f"{test.min():.2f} to {test.max():.2f}".replace("-", "−")
    if not out:
        return f"fitted on the training part, test values span {span}: inside [0, 1], no extrapolation"
    return (f"fitted on the training part, test values span {span}: at the {out:,} of {test.size:,} "
            "outside [0, 1] the model must extrapolate")


def scaling_figure(dates, values, n_train, *, large):
    """The series scaled two ways — MinMax fitted on the whole series (the notes: the test part's range
    leaks into training) and on the training part only — with the band [0, 1] and the leak-free test
    values that leave it. A constant series (or training part) raises lstm_core.series's ValueError."""
    size, height = font_size(large), 540 if large else 460
    x, v, when = _ms(dates), np.asarray(values, dtype=np.float64), _date_format(dates)
    whole = fit_scaler(v, n_train, leak=True).transform(v)
    train = fit_scaler(v, n_train, leak=False).transform(v)
    traces = [_scaled_line(x, whole, when, "whole", "fitted on the whole series (the notes: leaks)", 2),
              _scaled_line(x, train, when, "train", "fitted on the training part only", 1.5, values=v),
              _outside(x, train, n_train, when)]
    top = round(LEGEND_ROOM * size)
    shapes, notes = _split_marks(x, n_train, size)
    shapes.insert(0, dict(type="rect", xref="paper", x0=0, x1=1, yref="y", y0=0, y1=1, name="band",
                          fillcolor=BAND_ZONE, line_width=0, layer="below"))
    lo, hi = min(0.0, float(train.min())), max(1.0, float(train.max()))
    pad = 0.04 * (hi - lo)
    layout = dict(xaxis=_date_axis(x), shapes=shapes, annotations=notes, legend=top_legend(size, height),
                  yaxis=dict(AXIS, title="scaled value (shaded: 0 to 1)",
                             range=with_room(lo - pad, hi + pad, top=_room(height, size, top)), zeroline=True))
    return figure(traces, layout, "The scaler's leak: fitted on the whole series or on training only",
                  _leak_note(whole, train, n_train), large, height, top=top)


def _steps_and_features(config):
    """(time steps, features) of one input window: the notes' (1, look_back), or (look_back, 1)."""
    return (1, config.look_back) if config.layout == "one_step" else (config.look_back, 1)


def lstm_params(input_size, units):
    """Weights of one LSTM layer as Keras counts them: 4 gates × units × (inputs + units + 1 bias)."""
    return 4 * units * (input_size + units + 1)


def _keras_name(base, k):
    """Keras's automatic layer names: lstm, lstm_1, lstm_2, ..."""
    return base if k == 0 else f"{base}_{k}"


def model_summary(config):
    """The forecaster as Keras's model.summary() prints it: rows {"Layer (type)", "Output Shape",
    "Param #"} for each LSTM and the Dense head, then a "Total" row. Every LSTM but the last returns
    its whole sequence (return_sequences=True), so only the last one drops the time axis."""
    steps, size = _steps_and_features(config)
    rows = []
    for k in range(config.layers):
        last = k == config.layers - 1
        shape = f"(None, {config.units})" if last else f"(None, {steps}, {config.units})"
        rows.append({"Layer (type)": f"{_keras_name('lstm', k)} (LSTM)", "Output Shape": shape,
                     "Param #": lstm_params(size, config.units)})
        size = config.units
    rows.append({"Layer (type)": "dense (Dense)", "Output Shape": "(None, 1)", "Param #": config.units + 1})
    rows.append({"Layer (type)": "Total", "Output Shape": "", "Param #": sum(r["Param #"] for r in rows)})
    return rows


def shape_flow(config):
    """The shapes one batch takes through the model, e.g. "(batch, 10, 1) → (batch, 10, 50) →
    (batch, 50) → (batch, 1)" for the "steps" layout with two layers."""
    steps, features = _steps_and_features(config)
    shapes = [f"(batch, {steps}, {features})"] + [f"(batch, {steps}, {config.units})"] * (config.layers - 1)
    return " → ".join(shapes + [f"(batch, {config.units})", "(batch, 1)"])
