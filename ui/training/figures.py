"""Figures for the "Training lab" page: loss and accuracy while models train, accuracy against delay.

Pure functions: plain data in, a Plotly figure out. `history` maps a cell kind (lstm_core.cells: "rnn_tanh",
"rnn_sigmoid", "lstm", "gru") to its list of lstm_core.lab.run_lab items {"step", "loss", "val_loss",
"val_acc", ...}, with val_* None between evaluations (its closing "done" item, a copy of the best
step, is skipped); `sweep_results` is a list of {"kind", "T", "val_acc"}.
A NaN or infinite loss (a diverged model) is a gap in its line and a labelled marker.
The page redraws these live while training, so each is one Figure built from plain dicts.
"""
import math

import numpy as np

from lstm_core import KINDS
from lstm_core.cells import name as cell_name
from ui.common.palette import INK, MUTED, NOTE_GROUND, cell_color
from ui.common.style import AXIS, LEGEND_ROOM, NOTE_ROOM, figure, font_size, plot_px, top_legend
from ui.gradients.axes import log_axis, log_range
from ui.training.history import (SMOOTHING, best_validation, check_chance, columns, diverged_step, kinds_of,
                                 smooth, sweep_table)

GOAL = 0.95  # the accuracy the "95 %" line marks
MARKS = {"rnn_sigmoid": ("triangle-up", "dot", 3, 0.8), "rnn_tanh": ("circle", "solid", 3, 0.85),
         "lstm": ("square", "solid", 6, 1.1), "gru": ("diamond", "dash", 3, 0.65)}  # symbol, dash,
# line width, marker size in font sizes:
# where models reach the same accuracy (all at 100 %) the thin lines over the LSTM's wide one, the
# GRU's dashes and their different markers keep each in sight
BETWEEN = "between"  # lines over the grid, under the curves; plotly.js 4.1 fails on it with "x domain" refs
PERCENT = dict(range=[0, 1.04], tickvals=[0, 0.25, 0.5, 0.75, 1], tickformat=".0%")


def _prompt(text, size):
    """The empty chart's words, in the middle of the plot on a white ground."""
    return dict(text=text, x=0.5, xref="paper", y=0.5, yref="paper", showarrow=False,
                bgcolor="white", font=dict(size=round(size * 1.4), color=MUTED))


def _step_axis(last, steps):
    """The x axis of training steps: 0 to the planned `steps` (still while training) or the last one."""
    end = max(steps or 0, last, 10)
    return dict(AXIS, title="training step", range=[0, end * 1.02], zeroline=False)


def _loss_axis(values, log_y):
    """A fixed y axis over the finite losses: decades on a log axis, 0..max on a linear one."""
    v = values[np.isfinite(values)]
    if log_y:
        lo, hi = log_range(v[v > 0] if (v > 0).any() else [0.1, 1.0])
        return dict(AXIS, **_ticked_beyond(lo, hi), title="loss (log scale)")
    top = float(v.max()) if v.size and v.max() > 0 else 1.0
    return dict(AXIS, range=[0, 1.08 * top], title="loss", zeroline=False)


def _ticked_beyond(lo, hi, max_ticks=6):
    """log_axis over lo..hi, widened when its ticks are powers of ten spaced `dtick` apart so that a tick
    lies at or beyond each end of the data (which log_range pads by at least 0.3 decade): a validation loss
    of 4.3 gets a "10" above it, not only the "1" below it."""
    axis = log_axis(lo, hi, max_ticks=max_ticks)
    if "dtick" not in axis:
        return axis  # 1, 2, 5 ticks: never more than half a decade from an end
    step, pad = axis["dtick"], 0.3
    top, bottom = math.ceil((hi - pad) / step - 1e-9) * step, math.floor((lo + pad) / step + 1e-9) * step
    return log_axis(min(lo, bottom - 0.05), max(hi, top + 0.05), max_ticks=max_ticks) | dict(dtick=step)


def _drawable(loss, axis):
    """Losses as the axis can draw them: NaN or ±inf is a gap (NaN), a 0 on a log axis sits on the
    axis's bottom edge; hovers read the exact values from customdata."""
    drawn = np.where(np.isfinite(loss), loss, np.nan)
    if axis.get("type") != "log":
        return drawn
    return np.where(drawn <= 0, 10.0 ** axis["range"][0], drawn)


def _row(k):
    """How far the k-th row of labelled markers sits from the plot's edge, as a fraction of its height."""
    return 0.06 * (1 + 1.6 * k)


def _near_edge(axis, k, edge="top"):
    """A y value near the top (or bottom) edge of the axis, the k-th row in (for labelled markers)."""
    lo, hi = axis["range"]
    y = hi - (hi - lo) * _row(k) if edge == "top" else lo + (hi - lo) * _row(k)
    return 10.0 ** y if axis.get("type") == "log" else y


def _entry(kind, words, show=False):
    """Legend settings: grouped under the model's name (words None), or an entry of its own words."""
    if words is None:
        return dict(name=cell_name(kind), legendgroup=kind, showlegend=show)
    return dict(name=words, legendgroup=words, showlegend=True)


def _diverged_mark(kind, step, y, x_end, size):
    """An ✕ at the step where the loss became NaN or infinite, labelled "<cell> diverged at step s"."""
    words = f"{cell_name(kind)} diverged at step {step}"
    return dict(type="scatter", x=[step], y=[y], meta=f"diverged {kind}", text=[words], mode="markers+text",
                textposition="middle left" if step > 0.6 * x_end else "middle right", cliponaxis=False,
                legendgroup=kind, showlegend=False, textfont=dict(color=cell_color(kind), size=size),
                marker=dict(symbol="x-thin", size=round(size * 1.1),
                            line=dict(width=3, color=cell_color(kind))),
                hovertemplate=f"{words}: its loss became NaN or ∞<extra></extra>")


def _raw_loss(kind, x, loss, axis, words=None):
    """Every step's training loss: a thin, light line; hover gives the exact value."""
    return dict(type="scatter", x=x, y=_drawable(loss, axis), customdata=loss, meta=f"raw {kind}",
                mode="lines+markers" if len(x) <= 30 else "lines", opacity=0.35, marker_size=5,
                line=dict(color=cell_color(kind), width=1.2), **_entry(kind, words),
                hovertemplate=f"{cell_name(kind)}, step %{{x}}<br>training loss %{{customdata:.4g}}"
                              "<extra></extra>")


def _smooth_loss(kind, x, smoothed, axis, size, words=None):
    """The moving average of the training loss: a thick line in the cell's colour (a dot if one step)."""
    return dict(type="scatter", x=x, y=_drawable(smoothed, axis), customdata=smoothed,
                meta=f"smooth {kind}", mode="lines" if len(x) > 1 else "markers",
                line=dict(color=cell_color(kind), width=3.5), marker_size=round(size * 0.7),
                **_entry(kind, words, show=True),
                hovertemplate=f"{cell_name(kind)}, step %{{x}}<br>smoothed training loss "
                              "%{customdata:.4g}<extra></extra>")


def _val_points(kind, x, val, axis, size, color, words=None):
    """Validation losses where measured (data the model never trains on); a dashed line if `words`."""
    keep = np.isfinite(val)
    return dict(type="scatter", x=x[keep], y=_drawable(val[keep], axis), customdata=val[keep],
                meta=f"val {kind}", mode="markers" if words is None else "lines+markers",
                line=dict(color=color, width=2.5, dash="dash"), **_entry(kind, words),
                marker=dict(symbol="diamond", size=round(size * 0.65), color=color,
                            line=dict(color="white", width=1.5)),
                hovertemplate=f"{cell_name(kind)}, step %{{x}}<br>validation loss %{{customdata:.4g}}"
                              "<extra></extra>")


def _finite_losses(runs):
    """All training and validation losses of these runs in one array, for the axis range."""
    return np.concatenate([np.zeros(0)] + [np.concatenate([r["loss"], r["val_loss"]]) for r in runs])


def _divergences(runs, axis, x_end, size, drawn=(), taken=None):
    """One labelled ✕ per run that diverged, stacked in rows from the edge (top or bottom) the
    `drawn` (x, y) curves leave freer where the labels go; rows 0 and 1 of edge `taken` are in use."""
    diverged = {kind: diverged_step(r["step"], r["loss"]) for kind, r in runs.items()}
    diverged = {kind: step for kind, step in diverged.items() if step is not None}
    if not diverged:
        return []
    first = 2 if taken else 0
    span = (min(diverged.values()) - 0.45 * x_end, max(diverged.values()) + 0.45 * x_end)  # the labels
    edge = _free_edge(drawn, span, axis, band=_row(first + len(diverged)) + 0.05)
    first = 2 if edge == taken else 0
    return [_diverged_mark(kind, step, _near_edge(axis, first + n, edge), x_end, size)
            for n, (kind, step) in enumerate(diverged.items())]


def _last_step(runs):
    """The largest step in any run, 0 when there are none."""
    return max([int(r["step"][-1]) for r in runs if len(r["step"])] + [0])


def loss_curves(history, *, log_y=True, large=False, steps=None, smoothing=SMOOTHING):
    """Training loss per step for every model: each step thin and light, its moving average thick
    (see `smooth`), validation loss as diamonds. `steps` fixes the x axis to the planned length."""
    kinds = kinds_of(history)
    size, height = font_size(large), 540 if large else 480
    runs = {k: columns(history[k]) for k in kinds}
    axis = _loss_axis(_finite_losses(runs.values()), log_y)
    traces = []
    for k, r in runs.items():
        traces += [_raw_loss(k, r["step"], r["loss"], axis),
                   _smooth_loss(k, r["step"], smooth(r["loss"], smoothing), axis, size),
                   _val_points(k, r["step"], r["val_loss"], axis, size, cell_color(k))]
    x_axis = _step_axis(_last_step(runs.values()), steps)
    traces += _divergences(runs, axis, x_axis["range"][1], size, drawn=[(tr["x"], tr["y"]) for tr in traces])
    empty = not _last_step(runs.values())
    layout = dict(xaxis=x_axis, yaxis=axis, showlegend=not empty, legend=top_legend(size, height, traceorder="normal"),
                  annotations=[_prompt("press Train to start", size)] if empty else [])
    return figure(traces, layout, "Training loss — lower is better",
                  "thin: each step · thick: smoothed · ◆: validation",
                  large, height, top=round(LEGEND_ROOM * size))


def _level(y, words, name, size):
    """A dashed horizontal line across the plot at accuracy y, and its words in the right margin."""
    line = dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=y, y1=y, name=name,
                layer=BETWEEN, line=dict(color=INK, width=2.5, dash="dash"))  # paper: see BETWEEN
    label = dict(text=words, x=1, xref="paper", xanchor="left", xshift=6, y=y, yref="y", showarrow=False,
                 align="left", font=dict(size=size, color=INK))
    return line, label


def metric_title(tolerance=None):
    """The accuracy's name: "validation accuracy", or "... within ±tol" for a number to predict."""
    return "validation accuracy" if tolerance is None else f"validation accuracy within ±{tolerance:g}"


def _accuracy_layout(chance, size, height, empty, prompt, tolerance=None):
    """Layout shared by the accuracy figures: y in percent, the chance and 95 % lines, legend on top."""
    levels = [_level(check_chance(chance), "chance<br>(guessing)", "chance", size),
              _level(GOAL, "95 %", "goal", size)]
    return dict(yaxis=dict(AXIS, **PERCENT, title=metric_title(tolerance), zeroline=False),
                shapes=[line for line, _ in levels],
                annotations=[label for _, label in levels] + ([_prompt(prompt, size)] if empty else []),
                showlegend=not empty, legend=top_legend(size, height, traceorder="normal"))


def _accuracy_trace(kind, x, y, size, hover_x):
    """One model's accuracies as a line in its MARKS style, with markers while there are few."""
    symbol, dash, width, marker_size = MARKS[kind]
    return dict(type="scatter", x=x, y=y, name=cell_name(kind), meta=f"acc {kind}", legendrank=KINDS.index(kind),
                mode="lines+markers" if len(x) <= 25 else "lines", cliponaxis=False,
                line=dict(color=cell_color(kind), width=width, dash=dash),
                marker=dict(size=round(size * marker_size), color=cell_color(kind),
                            symbol=symbol, line=dict(color="white", width=1.5)),
                hovertemplate=f"{cell_name(kind)}<br>{hover_x}<br>validation accuracy %{{y:.1%}}"
                              "<extra></extra>")


def _widest_first(traces):
    """Accuracy lines drawn widest first, so a thinner line is never hidden under a wider one where
    they meet (at 100 %, say); the legend keeps the KINDS order through legendrank."""
    return sorted(traces, key=lambda tr: -tr["line"]["width"])


def accuracy_curves(history, chance, *, large=False, steps=None, tolerance=None):
    """Validation accuracy (0..1, shown in %) at every evaluation, one line per model, with dashed
    lines at `chance` (guessing) and at 95 %. `steps` fixes the x axis to the planned length;
    `tolerance` (a regression task's) names the accuracy "within ±tolerance"."""
    kinds = kinds_of(history)
    size, height = font_size(large), 540 if large else 480
    runs = {k: columns(history[k]) for k in kinds}
    traces = []
    for k, r in runs.items():
        keep = np.isfinite(r["val_acc"])
        traces.append(_accuracy_trace(k, r["step"][keep], r["val_acc"][keep], size, "step %{x}"))
    traces = _widest_first(traces)
    empty = not any(len(tr["x"]) for tr in traces)
    layout = _accuracy_layout(chance, size, height, empty, "press Train to start", tolerance)
    layout["xaxis"] = _step_axis(_last_step(runs.values()), steps)
    return figure(traces, layout, "Validation accuracy — higher is better", _accuracy_note(tolerance),
                  large, height, top=round(LEGEND_ROOM * size), right=round(size * 6.5))


def train_val_curves(history, kind, *, log_y=True, large=False, steps=None, smoothing=SMOOTHING):
    """One model's training loss (every step and smoothed) against its validation loss, with the
    best validation step (where early stopping would keep the weights) marked by a vertical line."""
    kinds_of({kind})
    size, height = font_size(large), 540 if large else 480
    r = columns(history.get(kind, []))
    x = r["step"]
    axis = _loss_axis(_finite_losses([r]), log_y)
    x_axis = _step_axis(_last_step([r]), steps)
    traces = [_raw_loss(kind, x, r["loss"], axis, "training loss, every step"),
              _smooth_loss(kind, x, smooth(r["loss"], smoothing), axis, size, "training loss, smoothed"),
              _val_points(kind, x, r["val_loss"], axis, size, INK, "validation loss")]
    layout = dict(xaxis=x_axis, yaxis=axis, legend=top_legend(size, height, traceorder="normal"), showlegend=bool(len(x)),
                  shapes=[], annotations=[] if len(x) else [_prompt("press Train to start", size)])
    best = best_validation(x, r["val_loss"])
    drawn = [(tr["x"], tr["y"]) for tr in traces]  # what the labels must not cover
    if best:
        plot_height = plot_px(height, size, round(LEGEND_ROOM * size))
        traces.append(_mark_best(layout, best, axis, x_axis["range"][1], size, plot_height, drawn))
    taken = layout["annotations"][-1]["yanchor"] if best else None  # the best label's edge
    traces += _divergences({kind: r}, axis, x_axis["range"][1], size, drawn, taken)
    return figure(traces, layout, f"{cell_name(kind)}: training loss against validation loss",
                  "overfitting = training still falling while validation turns up (memorising)",
                  large, height, top=round(LEGEND_ROOM * size))


def _fraction(values, axis):
    """Where values sit on the y axis, 0 (bottom) to 1 (top); NaN stays NaN."""
    v = np.asarray(values, dtype=float)
    lo, hi = axis["range"]
    if axis.get("type") == "log":
        with np.errstate(divide="ignore", invalid="ignore"):
            v = np.log10(v)
    return (v - lo) / (hi - lo)


def _free_edge(drawn, x_span, axis, band):
    """"top" or "bottom": the edge of the plot where the drawn points (x, y arrays) that fall within
    `band` (a fraction of the plot's height) over x_span cover less of its width, counted in
    hundredths of the span (so a line with a point per step weighs no more than a marker every ten
    steps); the top when both are equally clear."""
    covered = {"top": set(), "bottom": set()}
    width = max(x_span[1] - x_span[0], 1e-9)
    for x, y in drawn:
        x, f = np.asarray(x, dtype=float), _fraction(y, axis)
        inside = (x >= x_span[0]) & (x <= x_span[1])
        cells = np.floor(100 * (x - x_span[0]) / width)
        covered["top"] |= set(cells[inside & (f > 1 - band)].tolist())
        covered["bottom"] |= set(cells[inside & (f < band)].tolist())
    return "bottom" if len(covered["bottom"]) < len(covered["top"]) else "top"


def _mark_best(layout, best, axis, x_end, size, plot_height, drawn):
    """A dotted vertical line and its label in `layout` at the best validation step, the label at
    the top or bottom edge, whichever the `drawn` (x, y) curves leave free; returns its star."""
    step, loss = best
    layout["shapes"].append(dict(type="line", xref="x", x0=step, x1=step, yref="paper", y0=0, y1=1,
                                 name="best", layer=BETWEEN, line=dict(color=INK, width=2.5, dash="dot")))
    right = step > 0.6 * x_end  # the label goes on the side with room
    span = (step - 0.4 * x_end, step) if right else (step, step + 0.4 * x_end)  # about the label's width
    edge = _free_edge(drawn, span, axis, band=(2 * NOTE_ROOM * size) / max(plot_height, 1))  # two lines
    layout["annotations"].append(dict(
        text="lowest validation loss<br>(the model kept)", x=step, xref="x",
        y=0.98 if edge == "top" else 0.02, yref="y domain", yanchor=edge,
        xanchor="right" if right else "left", xshift=-8 if right else 8, showarrow=False,
        align="right" if right else "left", bgcolor=NOTE_GROUND,
        font=dict(color=INK, size=size)))
    return dict(type="scatter", x=[step], y=_drawable(np.array([loss]), axis), customdata=[loss], meta="best",
                name="best validation", mode="markers",
                marker=dict(symbol="star", size=round(size * 1.4), color=INK,
                            line=dict(color="white", width=1.5)),
                hovertemplate="best validation loss %{customdata:.4g} at step %{x}<extra></extra>")


def _delay_axis(delays, log_x):
    """The x axis of delays with the tested delays as ticks; log when they span a factor of 8 or more."""
    lo, hi = (min(delays), max(delays)) if delays else (1.0, 10.0)
    log = bool(delays) and (log_x if log_x is not None else lo > 0 and hi / lo >= 8)
    ticks = dict(tickvals=delays, ticktext=[f"{T:g}" for T in delays]) if delays else {}
    if log:
        pad = max(0.08, 0.06 * (math.log10(hi) - math.log10(lo)))
        return dict(AXIS, **ticks, type="log", range=[math.log10(lo) - pad, math.log10(hi) + pad],
                    title="delay T (steps between the clue and the answer, log scale)")
    pad = max(1.0, 0.06 * (hi - lo))
    return dict(AXIS, **ticks, range=[lo - pad, hi + pad], zeroline=False,
                title="delay T (steps between the clue and the answer)")


def _accuracy_note(tolerance):
    """The accuracy chart's subtitle: what counts as right, and what the dashed line is."""
    if tolerance is None:
        return "on unseen data; dashed lines: guessing and the 95 % goal"
    return f"right within ±{tolerance:g} on unseen data; dashed: guess, 95 %"


def accuracy_vs_delay(sweep_results, chance, *, large=False, log_x=None, tolerance=None):
    """Final validation accuracy against delay T, one line per model, with the chance and 95 % lines.

    Partial results (a sweep still running) draw what has arrived; log_x=None picks the scale;
    `tolerance` as in accuracy_curves.
    """
    table = sweep_table(sweep_results)
    size, height = font_size(large), 540 if large else 480
    delays = sorted({float(T) for Ts, _ in table.values() for T in Ts})
    traces = _widest_first([_accuracy_trace(k, Ts, acc, size, "delay T = %{x}") for k, (Ts, acc) in table.items()])
    layout = _accuracy_layout(chance, size, height, not delays, "run the sweep to see this curve", tolerance)
    layout["xaxis"] = _delay_axis(delays, log_x)
    return figure(traces, layout, "Accuracy against delay — the curve that shows why LSTMs exist",
                  "each point: a model trained to recall a clue T steps later; at the chance line it "
                  "remembers nothing", large, height, top=round(LEGEND_ROOM * size), right=round(size * 6.5))


def _square_range(values):
    """One padded [lo, hi] for both axes of a predicted-against-true chart (finite values only)."""
    v = values[np.isfinite(values)]
    lo, hi = (float(v.min()), float(v.max())) if v.size else (0.0, 1.0)
    pad = max(0.05 * (hi - lo), 0.05)
    return [lo - pad, hi + pad]


def _within_reach(answers, truth):
    """Answers as the chart draws them: NaN and ±inf left out, and any answer further than half
    the truth's span beyond it (a diverged model's 10^25) drawn on that edge; hovers say the value."""
    lo, hi = (float(truth.min()), float(truth.max())) if truth.size else (0.0, 1.0)
    reach = max(hi - lo, 0.5) / 2
    return np.where(np.isfinite(answers), np.clip(answers, lo - reach, hi + reach), np.nan)


def predicted_vs_true(target, predicted, tolerance, *, large=False):
    """Each validation sequence's answer against its true value, one colour and marker per model.

    target (n, 1), predicted {kind: (n, 1)}: the first output only. The diagonal is a perfect
    answer; the band around it holds the answers within ±tolerance, the ones the accuracy counts.
    Answers far off the truth's range sit on the plot's edge (see _within_reach).
    """
    kinds = kinds_of(predicted)
    truth = np.asarray(target, dtype=float)[:, 0]
    answers = {k: np.asarray(predicted[k], dtype=float)[:, 0] for k in kinds}
    shown = {k: _within_reach(a, truth) for k, a in answers.items()}
    size, height = font_size(large), 600 if large else 520
    span = _square_range(np.concatenate([truth, *shown.values()]))
    edge = np.array(span)
    traces = [dict(type="scatter", x=np.concatenate([edge, edge[::-1]]),
                   y=np.concatenate([edge - tolerance, edge[::-1] + tolerance]), fill="toself", mode="lines",
                   fillcolor="rgba(34, 34, 34, 0.08)", line=dict(width=0), meta="band",
                   name=f"within ±{tolerance:g}: counted right", hoverinfo="skip"),
              dict(type="scatter", x=edge, y=edge, mode="lines", meta="diagonal", name="exact answer",
                   line=dict(color=INK, width=1.5), hoverinfo="skip")]
    for k in kinds:
        symbol = MARKS[k][0]
        traces.append(dict(type="scatter", x=truth, y=shown[k], customdata=answers[k],
                           mode="markers", name=cell_name(k), meta=f"pred {k}", opacity=0.75,
                           marker=dict(symbol=symbol, size=round(size * 0.55), color=cell_color(k),
                                       line=dict(color="white", width=0.8)),
                           hovertemplate=f"{cell_name(k)}<br>true %{{x:.3f}}<br>predicted "
                                         "%{customdata:.4g}<extra></extra>"))
    axis = dict(AXIS, range=span, zeroline=False, constrain="domain")  # square: the plot narrows, not the range
    layout = dict(xaxis=dict(axis, title="true value"), yaxis=dict(axis, title="predicted", scaleanchor="x"),
                  legend=top_legend(size, height, traceorder="normal"), showlegend=True)
    return figure(traces, layout, "Predicted against true — validation sequences",
                  "each dot: one sequence the model never trained on; on the line the answer is exact",
                  large, height, top=round(LEGEND_ROOM * size))
