"""Figures of the Trade-offs page: what a step costs, measured time against T, final loss against
learning rate.

Pure functions: plain data in (lstm_core.tradeoffs items, multiply-add counts), a Plotly figure out, in the
app's one style. The overfitting section draws the training lab's own figure (ui/training/figures.py).
"""
import math

from lstm_core import tradeoffs as X
from lstm_core.cells import name as cell_name
from ui.common.palette import INK, MUTED, cell_color
from ui.common.style import AXIS, LEGEND_ROOM, figure, font_size, top_legend

MARKERS = {"rnn_tanh": "circle", "gru": "diamond", "lstm": "square"}  # as the lab's charts mark them
CHANCE_LOSS = math.log(2)  # the cross-entropy of a coin toss on a ±1 bit: what a model that learned nothing scores
INPUT_PART, RECURRENT_PART = "#BBBBBB", INK  # the two parts of a step: at once for all T, or one step at a time
INPUT_LABEL, RECURRENT_LABEL = "input part x<sub>t</sub> W<sup>x</sup>", "recurrent part h<sub>t−1</sub> W<sup>h</sup>"


def _prompt(text, size):
    """An empty chart's words, in the middle of the plot."""
    return dict(text=text, x=0.5, xref="paper", y=0.5, yref="paper", showarrow=False,
                font=dict(size=round(size * 1.3), color=MUTED))


def _height(large):
    return 520 if large else 440


def decades(low=-12, high=8):
    """A log axis's ticks at every power of ten from 10^low to 10^high, written one way: as decimals from
    0.0001 to 10,000 (as the learning rates are), as 10 to a power beyond (Plotly's own mixes "1", "10"
    and "10⁻¹" on one axis)."""
    powers = range(low, high + 1)
    text = [f"{10.0 ** k:,.{max(0, -k)}f}" if -4 <= k <= 4 else f"10<sup>{k}</sup>".replace("-", "−")
            for k in powers]
    return dict(tickvals=[10.0 ** k for k in powers], ticktext=text)


def multiply_adds_figure(kinds, input_size, hidden_size, *, large=False):
    """One step's multiply-adds per kind as a stacked bar: the input part x_t W^x (done for all steps at
    once) under the recurrent part h_{t-1} W^h (which waits for step t−1), the total and the input
    part's share over each bar."""
    size, height = font_size(large), _height(large)
    names = [cell_name(k) for k in kinds]
    parts = [X.split_multiply_adds(k, input_size, hidden_size) for k in kinds]
    traces = [dict(type="bar", name=label, x=names, y=[p[j] for p in parts], marker=dict(color=color),
                   hovertemplate="%{x}: %{y:,} multiply-adds<extra>" + label + "</extra>")
              for j, (label, color) in enumerate(((INPUT_LABEL + " (all steps at once)", INPUT_PART),
                                                  (RECURRENT_LABEL + " (step by step)", RECURRENT_PART)))]
    totals = [dict(x=n, y=sum(p), text=f"{sum(p):,} · input part {100 * p[0] / sum(p):.0f} %", showarrow=False,
                   yanchor="bottom", font=dict(size=size)) for n, p in zip(names, parts)]
    layout = dict(barmode="stack", xaxis=dict(AXIS), legend=top_legend(size, height, traceorder="normal"),
                  yaxis=dict(AXIS, title="multiply-adds per step", rangemode="tozero",
                             range=[0, 1.15 * max(sum(p) for p in parts)]),
                  annotations=totals)
    return figure(traces, layout, f"One step's multiply-adds at H = {hidden_size}, I = {input_size}",
                  "the matrix products of one step for one sequence; biases and the gates' elementwise work "
                  "add a few per unit", large, height, top=round(LEGEND_ROOM * size))


def one_two_five(low=-3, high=4):
    """A log axis's ticks at 1, 2 and 5 times every power of ten from 10^low to 10^high: a measured range
    of less than two decades still gets several labelled ticks (at one a decade it may get one)."""
    values = [m * 10.0 ** k for k in range(low, high + 1) for m in (1, 2, 5)]
    return dict(tickvals=values, ticktext=[f"{v:,.{max(0, -k)}f}" for k in range(low, high + 1) for v in
                                           (10.0 ** k, 2 * 10.0 ** k, 5 * 10.0 ** k)])


def _kind_line(kind, x, y, size, hover):
    """One kind's measured line, in its colour and marker."""
    return dict(type="scatter", mode="lines+markers", name=cell_name(kind), x=x, y=y,
                line=dict(color=cell_color(kind), width=3),
                marker=dict(symbol=MARKERS.get(kind, "circle"), size=round(size * 0.7), color=cell_color(kind)),
                hovertemplate=f"{cell_name(kind)}: " + hover + "<extra></extra>")


def _by_kind(items, kinds):
    """{kind: its items in order of T} for the kinds that have any."""
    return {k: sorted((i for i in items if i["kind"] == k), key=lambda i: i["T"]) for k in kinds
            if any(i["kind"] == k for i in items)}


def _length_axis(lengths):
    """The log axis of sequence lengths, ticked at each length timed."""
    lo, hi = math.log10(min(lengths)), math.log10(max(lengths))
    pad = 0.06 * (hi - lo) or 0.1
    return dict(AXIS, type="log", title="sequence length T (steps, log scale)", tickvals=list(lengths),
                ticktext=[str(T) for T in lengths], range=[lo - pad, hi + pad])


def timing_figure(items, kinds, lengths, *, per_step, large=False):
    """Measured CPU time of a forward pass against T, one line per kind: per sequence (ms, log axes) or,
    with `per_step`, per step (µs)."""
    size, height = font_size(large), _height(large)
    scale, unit = (1e6, "µs") if per_step else (1e3, "ms")
    key = "per_step" if per_step else "seconds"
    traces = [_kind_line(k, [i["T"] for i in rows], [scale * i[key] for i in rows], size,
                         "T = %{x}, %{y:.3g} " + unit) for k, rows in _by_kind(items, kinds).items()]
    y_axis = dict(AXIS, title=f"CPU time ({unit})", rangemode="tozero") if per_step else \
        dict(AXIS, title=f"CPU time ({unit}, log scale)", type="log", **one_two_five())
    layout = dict(xaxis=_length_axis(lengths), legend=top_legend(size, height), yaxis=y_axis,
                  annotations=[] if traces else [_prompt("press Measure to time the engine", size)])
    title = "Time per step against T" if per_step else "Time per sequence against T"
    subtitle = ("a step does the same multiply-adds at every T; the lines are the time it took, as measured" if per_step
                else "one pass over T steps (a batch of B): a line of slope 1, T steps cost T times one")
    return figure(traces, layout, title, subtitle, large, height, top=round(LEGEND_ROOM * size))


def split_figure(items, kinds, *, large=False):
    """At the longest T measured, each kind's pass split into the input projection of all steps at once
    and the rest (the step-by-step recurrence), in ms."""
    size, height = font_size(large), _height(large)
    longest = max((i["T"] for i in items), default=None)
    rows = [next(i for i in items if i["kind"] == k and i["T"] == longest) for k in kinds
            if any(i["kind"] == k and i["T"] == longest for i in items)]
    names = [cell_name(i["kind"]) for i in rows]
    parts = (("input projection, all T steps at once", INPUT_PART, [i["projection"] for i in rows]),
             ("the recurrence, one step after the other", RECURRENT_PART,
              [max(0.0, i["seconds"] - i["projection"]) for i in rows]))
    traces = [dict(type="bar", name=label, x=names, y=[1e3 * v for v in values], marker=dict(color=color),
                   hovertemplate="%{x}: %{y:.3g} ms<extra>" + label + "</extra>")
              for label, color, values in parts] if rows else []
    layout = dict(barmode="stack", legend=top_legend(size, height, traceorder="normal"),
                  xaxis=dict(AXIS, type="category", categoryorder="array", categoryarray=[cell_name(k) for k in kinds],
                             range=[-0.5, len(kinds) - 0.5]),
                  yaxis=dict(AXIS, title="CPU time (ms)", rangemode="tozero"),
                  annotations=[_fraction_label(i, n, size) for i, n in zip(rows, names)]
                  or [_prompt("press Measure to time the engine", size)])
    title = f"Where the time of T = {longest} steps goes" if rows else "Where the time goes"
    return figure(traces, layout, title, "the grey part is the one that runs for every step at once",
                  large, height, top=round(LEGEND_ROOM * size))


def _fraction_label(item, name, size):
    """The projection's share of a kind's time, over its bar."""
    return dict(x=name, y=1e3 * item["seconds"], text=f"{100 * item['fraction']:.0f} % at once", showarrow=False,
                yanchor="bottom", font=dict(size=size))


def lr_figure(items, kinds, lrs, *, level, large=False):
    """Validation loss after the last step against the learning rate (log axes), one line per kind; a
    model whose validation accuracy reached `level` is a filled marker, one that did not a hollow one
    (the loss alone does not say it: a model can be right on 90 % near a coin toss's loss); a diverged
    model is an ✕ at the top of the plot, and the dotted line is a coin toss's loss."""
    size, height = font_size(large), _height(large)
    finite = [i["val_loss"] for i in items if not i["diverged"]]
    top = math.log10(max(finite + [CHANCE_LOSS * 3])) + 0.3
    bottom = math.log10(max(min(finite + [1e-3]), 1e-7)) - 0.3
    traces, lo, hi = [], math.log10(min(lrs)), math.log10(max(lrs))
    for kind, rows in _by_lr(items, kinds).items():
        traces.extend(_learned_marks(_kind_line(kind, [i["lr"] for i in rows],
                                                [None if i["diverged"] else max(i["val_loss"], 1e-7) for i in rows],
                                                size, "learning rate %{x:g}, loss %{y:.3g}, %{customdata}"),
                                     kind, rows, level))
        gone = [i["lr"] for i in rows if i["diverged"]]
        if gone:
            traces.append(dict(type="scatter", mode="markers", x=gone, y=[10 ** (top - 0.15)] * len(gone),
                               name=f"{cell_name(kind)} diverged", showlegend=False,
                               marker=dict(symbol="x", size=round(size * 1.1), color=cell_color(kind)),
                               hovertemplate=f"{cell_name(kind)}: diverged at learning rate %{{x:g}}<extra></extra>"))
    traces.append(dict(type="scatter", mode="lines", x=[10 ** (lo - 0.2), 10 ** (hi + 0.2)], y=[CHANCE_LOSS] * 2,
                       name="a coin toss: ln 2", meta="guess", line=dict(color=MUTED, dash="dot", width=2),
                       hoverinfo="skip"))  # in the legend, as the page's other charts name their coin toss
    if items:
        traces += _fill_legend(level, size)
    layout = dict(xaxis=dict(AXIS, type="log", title="learning rate (log scale)", tickvals=list(lrs),
                             ticktext=[f"{lr:g}" for lr in lrs], range=[lo - 0.2, hi + 0.2]),
                  yaxis=dict(AXIS, type="log", range=[bottom, top], **decades(),
                             title="validation loss at the end (log scale)"),
                  legend=top_legend(size, height),
                  annotations=[] if items else [_prompt("press Run the sweep to train at every rate", size)])
    return figure(traces, layout, "Final loss against learning rate",
                  "each point: a model trained from the same start with one rate; ✕: its loss became NaN or infinite",
                  large, height, top=round(LEGEND_ROOM * size))


def _by_lr(items, kinds):
    """{kind: its items in order of learning rate} for the kinds that have any."""
    return {k: sorted((i for i in items if i["kind"] == k), key=lambda i: i["lr"]) for k in kinds
            if any(i["kind"] == k for i in items)}


def _right(item, level):
    """Whether a sweep's model reached the validation accuracy `level` (as lstm_core.tradeoffs.learned counts)."""
    return item["val_acc"] is not None and item["val_acc"] >= level


def _learned_marks(trace, kind, rows, level):
    """A kind's line with each rate's marker filled if its model learned, hollow (white inside) if not, and
    its validation accuracy in the hover; and its legend entry apart, drawn filled (one legend group)."""
    color = cell_color(kind)
    key = dict(trace, x=[None], y=[None], legendgroup=kind, meta="key", hoverinfo="skip")  # its legend entry, filled
    trace["marker"] = dict(trace["marker"], color=[color if _right(i, level) else "white" for i in rows],
                           line=dict(color=color, width=2))
    trace.update(legendgroup=kind, showlegend=False)
    trace["customdata"] = ["accuracy —" if i["val_acc"] is None else f"accuracy {100 * i['val_acc']:.0f}\u00a0%"
                           for i in rows]
    return [trace, key]


def _fill_legend(level, size):
    """Two legend entries in grey that say what a filled and a hollow marker mean."""
    words = ((f"filled: learned ({100 * level:.0f}\u00a0% or more right)", MUTED),
             (f"hollow: under {100 * level:.0f}\u00a0% right", "white"))
    return [dict(type="scatter", mode="markers", x=[None], y=[None], name=name, meta="fill", hoverinfo="skip",
                 marker=dict(symbol="circle", size=round(size * 0.7), color=fill, line=dict(color=MUTED, width=2)))
            for name, fill in words]
