"""Figures of the short-term and limited-context sections: accuracy and error against the training
step (window model and LSTM), accuracy against the test delay, recall against the number of items.

Pure functions: a run's items (lstm_core.context's generators, without models) in, a Plotly figure
out as a plain dict (ui/common/plain.py). Each fixes its axes in advance so it stands still while
a run fills it in.
"""
import numpy as np

from lstm_core.cells import name as cell_name
from ui.common.palette import CELL_COLORS, INK, MUTED, cell_color
from ui.common.plain import figure
from ui.common.style import AXIS, LEGEND_ROOM, font_size, nice_dtick, top_legend
from ui.tradeoffs.figures import decades

LSTM_COLOR = CELL_COLORS["lstm"]
WINDOW_COLOR = INK  # the window model: the app's ink, dashed
MARKS = {"lstm": ("circle", "solid"), "rnn_tanh": ("square", "dash"), "window": ("diamond", "dash")}


def _height(large):
    return 500 if large else 400


def _prompt(text, size):
    """An empty chart's words, in the plot's upper half: clear of the coin toss's line at 50 %."""
    return dict(text=text, x=0.5, xref="paper", y=0.75, yref="paper", showarrow=False, bgcolor="white",
                font=dict(size=round(size * 1.4), color=MUTED))


def _line(x, y, name, meta, color, kind, hover, size):
    symbol, dash = MARKS[kind]
    return dict(type="scatter", x=x, y=y, name=name, meta=meta, mode="lines+markers",
                line=dict(color=color, width=3, dash=dash),
                marker=dict(symbol=symbol, size=round(size * 0.55), color=color, line=dict(color="white", width=1)),
                hovertemplate=hover)


def _flat(x0, x1, y, name, meta, color, hover):
    """A level drawn across the chart: the window model's one solve, or a guess."""
    return dict(type="scatter", x=[x0, x1], y=[y, y], mode="lines", name=name, meta=meta,
                line=dict(color=color, width=2, dash="dot" if meta == "guess" else "dash"), hovertemplate=hover)


def _step_axis(steps):
    return dict(AXIS, title="LSTM training step (Adam)", range=[0, steps * 1.02], tickmode="linear", tick0=0,
                dtick=nice_dtick(steps, 8), zeroline=False)


def _layout(large, x_axis, y_axis, empty, prompt):
    size = font_size(large)
    extra = {"annotations": [_prompt(prompt, size)]} if empty else {}
    return dict(xaxis=x_axis, yaxis=y_axis, legend=top_legend(size, _height(large)), **extra)


def short_term_accuracy(items, steps, k, guess_acc, *, large, prompt="press Run to start"):
    """Share of held-out steps whose answer rounds to the right count (%): the LSTM against the step,
    the window model's one solve and the average-count guess as flat lines."""
    size = font_size(large)
    lstm = [i for i in items if i["kind"] == "lstm" and i["val_acc"] is not None]
    window = next((i for i in items if i["kind"] == "window"), None)
    traces = [_line([i["step"] for i in lstm], [100 * i["val_acc"] for i in lstm], "LSTM", "lstm", LSTM_COLOR,
                    "lstm", "step %{x}<br>LSTM: %{y:.1f} % right<extra></extra>", size)]
    if window is not None:
        traces.append(_flat(0, steps, 100 * window["val_acc"], f"window model (one solve, last {k} inputs)",
                            "window", WINDOW_COLOR, "window model: %{y:.1f} % right<extra></extra>"))
    if guess_acc is not None:
        traces.append(_flat(0, steps, 100 * guess_acc, "always the average count", "guess", MUTED,
                            "guess: %{y:.1f} % right<extra></extra>"))
    layout = _layout(large, _step_axis(steps), dict(AXIS, title="steps answered right (%)", range=[0, 104],
                                                   zeroline=False), not items, prompt)
    return figure(traces, layout, f"Counting the ones among the last {k} inputs",
                  "held-out sequences; right: rounds to the true count", large, _height(large),
                  top=round(LEGEND_ROOM * size))


def short_term_error(items, steps, window_mse, *, large, prompt="press Run to start"):
    """The LSTM's mean squared error on the held-out sequences against the step, log scale; the window
    model's error in the subtitle: exact to rounding (about 10⁻³⁰), it lies far below any axis that
    shows the LSTM's, so it is said, not drawn."""
    size = font_size(large)
    val = [i for i in items if i["kind"] == "lstm" and i["val_loss"] is not None]
    traces = [_line([i["step"] for i in val], [i["val_loss"] for i in val], "LSTM, held-out sequences", "val",
                    LSTM_COLOR, "lstm", "step %{x}<br>held-out MSE %{y:.3g}<extra></extra>", size)]
    layout = _layout(large, _step_axis(steps), dict(AXIS, title="mean squared error", type="log",
                                                   **decades()), not items, prompt)
    layout["showlegend"] = False  # one line, named in the title
    return figure(traces, layout, "LSTM's error on held-out sequences — lower is better",
                  _window_error(window_mse), large, _height(large))


def _window_error(mse):
    """The window model's mean squared error in words, for the error chart's subtitle."""
    if mse is None:
        return "window model: error after the run"
    if mse < 1e-12:
        return f"window model: error {_power(mse)}, exact but for rounding: far below this axis"
    return f"window model: error {mse:.2g}"


def _power(x):
    """x as "6 × 10<sup>−30</sup>": a tiny number a reader can read."""
    mantissa, exponent = f"{x:.0e}".split("e")
    return f"{mantissa} × 10<sup>{int(exponent)}</sup>".replace("-", "−")


def delay_figure(items, train_delay, delays, kinds, *, large, prompt="press Run to start"):
    """Accuracy (%) against the test delay (log axis), one line per cell kind, the training delay
    marked and a coin toss's 50 % dotted."""
    size = font_size(large)
    tests = [i for i in items if i["kind"] == "test"]
    traces = []
    for kind in kinds:
        mine = [i for i in tests if i["cell"] == kind]
        traces.append(_line([i["T"] for i in mine], [100 * i["acc"] for i in mine], cell_name(kind), kind,
                            cell_color(kind), kind, f"{cell_name(kind)}<br>delay %{{x}}: %{{y:.1f}} % right"
                            "<extra></extra>", size))
    lo, hi = min(delays), max(delays)
    traces.append(_flat(lo, hi, 50, "a coin toss: 50 %", "guess", MUTED, "a coin toss: 50 %<extra></extra>"))
    traces.append(dict(type="scatter", x=[train_delay, train_delay], y=[-2, 104], mode="lines", meta="trained",
                       name=f"trained at delay {train_delay} only", line=dict(color=INK, width=1.5, dash="dashdot"),
                       hovertemplate=f"trained at delay {train_delay}<extra></extra>"))
    x_axis = dict(AXIS, title="delay tested (steps between the bit and the question)", type="log",
                  range=[np.log10(lo) - 0.05, np.log10(hi) + 0.05], tickvals=list(delays))
    layout = _layout(large, x_axis, dict(AXIS, title="answers right (%)", range=[-2, 104], zeroline=False),
                     not tests, prompt)
    return figure(traces, layout, "Remember the first bit — far beyond the training delay",
                  "each model as trained, tested on new sequences at every delay; under 50 %: more often "
                  "the opposite bit", large, _height(large),
                  top=round(LEGEND_ROOM * size))


def items_figure(items, counts, hidden_size, *, large, prompt="press Run to start"):
    """Share of bits recalled (%) against the number of bits n, for a fixed H; a coin toss's 50 % dotted."""
    size = font_size(large)
    done = [i for i in items if i["kind"] == "result"]
    traces = [_line([i["n"] for i in done], [100 * i["acc"] for i in done], f"LSTM, H = {hidden_size}", "lstm",
                    LSTM_COLOR, "lstm", "n = %{x} bits<br>%{y:.1f} % recalled<extra></extra>", size),
              _flat(0, max(counts) + 1, 50, "a coin toss: 50 %", "guess", MUTED, "a coin toss: 50 %<extra></extra>")]
    x_axis = dict(AXIS, title="bits to recall (n)", range=[0, max(counts) + 1], tickvals=list(counts), zeroline=False)
    layout = _layout(large, x_axis, dict(AXIS, title="bits recalled (%)", range=[40, 102], zeroline=False),
                     not done, prompt)
    return figure(traces, layout, f"How many bits fit in H = {hidden_size} units?",
                  "one LSTM trained per n; held-out sequences", large, _height(large), top=round(LEGEND_ROOM * size))
