"""Figures of the Variants page's training race: both models' loss and validation accuracy as they train.

Pure functions: a race's items (lstm_core.races.run_race: {"who", "step", "loss", "val_acc", ...}) in,
a Plotly figure out as a plain dict in Plotly's own form (ui/common/plain.py: no validation on the
server, ~8 ms a chart, while a running race redraws both twice a second). The step axis is fixed to the
whole race in advance, so the charts stand still while the curves grow. The plain LSTM is a solid line
in its colour, the variant a dashed one in its own (palette.model_color: a stacked or bidirectional
LSTM, whose cell is the LSTM's, in its shape's colour), the colours of the page above the race.
"""
import numpy as np

from lstm_core.races import contenders
from ui.common.palette import INK, MUTED, model_color
from ui.common.plain import figure
from ui.common.style import AXIS, LEGEND_ROOM, font_size, nice_dtick, top_legend
from ui.gradients.axes import log_axis, log_range
from ui.training.history import SMOOTHING, smooth
from ui.variants.race_words import name

PERCENT = dict(range=[0, 104], tickvals=[0, 25, 50, 75, 100], ticksuffix=" %")


def color(who):
    """A Contender's line colour: its model's on every page (palette.model_color)."""
    return model_color(who.kind, num_layers=who.num_layers, bidirectional=who.bidirectional)


def _prompt(text, size, y=0.5, yref="paper"):
    """An empty chart's words, across the middle of the plot at height `y` (in `yref`'s units)."""
    return dict(text=text, x=0.5, xref="paper", y=y, yref=yref, showarrow=False, bgcolor="white",
                font=dict(size=round(size * 1.4), color=MUTED))


def _widest_gap(levels):
    """The accuracy (%) halfway across the widest gap between the marked `levels` (0..1) and 0 and 100 %:
    where an empty chart's words stand clear of every dotted line (a middle one ran over guessing's 50 %)."""
    edges = sorted([0.0, 100.0, *(100 * v for v in levels)])
    low, high = max(zip(edges, edges[1:]), key=lambda gap: gap[1] - gap[0])
    return (low + high) / 2


def _step_axis(steps):
    return dict(AXIS, title="Adam step", range=[0, steps * 1.02], tickmode="linear", tick0=0,
                dtick=nice_dtick(steps, 8), zeroline=False)


def _columns(items, who, field):
    """(steps, values) of one contender's items where `field` is not None."""
    kept = [(it["step"], it[field]) for it in items if it["who"] == who and it[field] is not None]
    return [s for s, _ in kept], np.array([v for _, v in kept], dtype=np.float64)


def _line(who, x, y, hover, size, plain):
    return dict(type="scatter", x=x, y=y, name=name(who.key), meta=who.key, mode="lines",
                line=dict(color=color(who), width=4 if plain else 3, dash="solid" if plain else "dash"),
                hovertemplate=f"{name(who.key)}<br>step %{{x}}<br>{hover}<extra></extra>")


def loss_figure(items, config, *, large):
    """Each contender's training loss per step, smoothed (the training lab's moving average), on a log
    axis over the whole race of `config` (a lstm_core.races.RaceConfig)."""
    size, height = font_size(large), 480 if large else 400
    traces, finite = [], []
    for k, who in enumerate(contenders(config.variant)):
        x, loss = _columns(items, who.key, "loss")
        shown = smooth(loss, SMOOTHING)
        finite += [v for v in shown if np.isfinite(v) and v > 0]
        traces.append(_line(who, x, shown, "loss %{y:.3f}", size, plain=k == 0))
    y_axis = dict(AXIS, **log_axis(*log_range(finite or [0.1, 1.0]), max_ticks=6), title="loss (log scale)",
                  zeroline=False)
    layout = dict(xaxis=_step_axis(config.steps), yaxis=y_axis, legend=top_legend(size, height),
                  **({} if finite else {"annotations": [_prompt("press Train to start", size)]}))
    return figure(traces, layout, "Training loss — lower is better", "each step's batch, smoothed over ~10 steps",
                  large, height, top=round(LEGEND_ROOM * size))


def accuracy_figure(items, config, levels, *, large):
    """Each contender's validation accuracy (%) at every evaluation, a dotted line at the race's threshold
    and one at each of `levels` ({words: accuracy}, e.g. guessing, the best a one-way model can do)."""
    size, height = font_size(large), 480 if large else 400
    traces, any_points = [], False
    for k, who in enumerate(contenders(config.variant)):
        x, acc = _columns(items, who.key, "val_acc")
        any_points |= bool(x)
        traces.append(_line(who, x, 100 * acc, "validation accuracy %{y:.1f} %", size, plain=k == 0))
    marks = {f"{config.threshold:.0%}".replace("%", " %") + "<br>(learned)": config.threshold, **levels}
    shapes = [dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=100 * v, y1=100 * v,
                   line=dict(color=INK if k == 0 else MUTED, width=2, dash="dot"))
              for k, v in enumerate(marks.values())]
    notes = [dict(text=words, x=1, xref="paper", xanchor="left", xshift=6, y=100 * v, yref="y", align="left",
                  showarrow=False, font=dict(size=round(size * 0.85), color=INK if k == 0 else MUTED))
             for k, (words, v) in enumerate(marks.items())]  # in the right margin, clear of the curves
    if not any_points:
        notes.append(_prompt("press Train to start", size, y=_widest_gap(marks.values()), yref="y"))
    layout = dict(xaxis=_step_axis(config.steps), yaxis=dict(AXIS, title="validation accuracy", zeroline=False,
                                                             **PERCENT),
                  legend=top_legend(size, height), shapes=shapes, annotations=notes)
    return figure(traces, layout, "Validation accuracy — higher is better",
                  f"{config.n_val} held-out sequences, every {config.eval_every} steps", large, height,
                  top=round(LEGEND_ROOM * size), right=round(size * 6.5))
