"""Figures for the "Writing text" page: the loss while training, and the next-character distribution.

Pure functions: plain data in (run_text's items without their "model", a vocabulary's characters and
probabilities), a Plotly figure out, built from plain dicts with its axes fixed in advance so the live
chart stands still while the curves grow. Losses are cross-entropies in nats per character; every hover
gives the perplexity exp(loss) too.
"""
import math

import numpy as np

from lstm_core.text import show_char
from ui.common.palette import CELL_COLORS, INK, MUTED, SLOT
from ui.common.style import AXIS, LEGEND_ROOM, figure, font_size, nice_dtick, top_legend

TRAIN_COLOR, HELD_OUT_COLOR = CELL_COLORS["lstm"], INK
LOW_T_COLOR, T1_COLOR = CELL_COLORS["lstm"], SLOT  # the chosen temperature's bars, and T = 1's beside them


def _prompt(text, size):
    """An empty chart's words, in the middle of the plot."""
    return dict(text=text, x=0.5, xref="paper", y=0.5, yref="paper", showarrow=False, bgcolor="white",
                font=dict(size=round(size * 1.4), color=MUTED))


def _loss_line(x, loss, words, color, dash, symbol, meta, size):
    """One loss per report; NaN is a gap; the hover gives the loss and its perplexity."""
    loss = np.asarray(loss, dtype=np.float64)
    ppl = np.exp(np.minimum(loss, 700.0))
    return dict(type="scatter", x=x, y=np.where(np.isfinite(loss), loss, np.nan), customdata=ppl, name=words,
                meta=meta, mode="lines+markers", line=dict(color=color, width=3, dash=dash),
                marker=dict(symbol=symbol, size=round(size * 0.55), color=color, line=dict(color="white", width=1)),
                hovertemplate=f"step %{{x}}<br>{words}: %{{y:.3f}} nats/char<br>"
                              "perplexity %{customdata:.2f}<extra></extra>")


def _uniform_line(vocab_size, size):
    """The loss of a uniform guess over the vocabulary, ln V: where every model starts."""
    level = math.log(vocab_size)
    return dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=level, y1=level, name="uniform",
                layer="below", line=dict(color=MUTED, width=1.5, dash="dot")), \
        dict(text=f"a uniform guess over {vocab_size} characters: ln {vocab_size} = {level:.2f}", x=1,
             xref="paper", xanchor="right", y=level, yref="y", yanchor="bottom", showarrow=False,
             font=dict(size=size, color=MUTED), name="uniform")


def loss_figure(items, steps, vocab_size, *, large):
    """Training loss (mean of the steps since the last report) and held-out loss against the Adam step,
    with the uniform guess's ln V dotted; x spans 0..`steps`, y 0..max(ln V, losses) so it stands still."""
    size, height = font_size(large), 500 if large else 420
    x = np.array([it["step"] for it in items], dtype=np.float64)
    loss = np.array([it["loss"] for it in items], dtype=np.float64)
    held = np.array([np.nan if it["val_loss"] is None else it["val_loss"] for it in items], dtype=np.float64)
    traces = [_loss_line(x, loss, "training loss", TRAIN_COLOR, "solid", "circle", "loss", size)]
    if np.isfinite(held).any() or not len(x):
        traces.append(_loss_line(x, held, "held-out loss", HELD_OUT_COLOR, "dash", "diamond", "val_loss", size))
    seen = np.concatenate([loss, held, [math.log(vocab_size)]])
    top = float(np.nanmax(seen[np.isfinite(seen)])) * 1.12
    shape, note = _uniform_line(vocab_size, size)
    annotations = [note] + ([_prompt("press Train to start", size)] if not len(x) else [])
    layout = dict(xaxis=dict(AXIS, title="Adam step", range=[0, steps * 1.02], tickmode="linear", tick0=0,
                             dtick=nice_dtick(steps, 8), zeroline=False),
                  yaxis=dict(AXIS, title="cross-entropy (nats per character)", range=[0, top], zeroline=False),
                  shapes=[shape], annotations=annotations, legend=top_legend(size, height), showlegend=bool(len(x)))
    return figure(traces, layout, "Loss while training — lower is better",
                  "cross-entropy of the next character; hover for the perplexity e^loss",
                  large, height, top=round(LEGEND_ROOM * size))


def top_k_figure(chosen, at_one, temperature, *, large, greedy=False):
    """Horizontal bars of the most likely next characters: `chosen` [(char, p)] at `temperature` (largest
    first, top to bottom), `at_one` {char: p} the same characters at T = 1 beside them."""
    size = font_size(large)
    labels = [show_char(ch) for ch, _ in chosen]
    height = max(360, round((len(chosen) * 2.3 + 9) * size))
    p_t = [p for _, p in chosen]
    p_1 = [at_one[ch] for ch, _ in chosen]
    words_t = f"T = {temperature:g}" + (" (greedy takes the top one)" if greedy else "")
    traces = [dict(type="bar", orientation="h", y=labels, x=p_1, name="T = 1", meta="t1", marker_color=T1_COLOR,
                   hovertemplate="next %{y}<br>T = 1: %{x:.3f}<extra></extra>"),
              dict(type="bar", orientation="h", y=labels, x=p_t, name=words_t, meta="t", marker_color=LOW_T_COLOR,
                   text=[f"{p:.2f}" for p in p_t], textposition="outside", cliponaxis=False,
                   textfont=dict(size=size),
                   hovertemplate=f"next %{{y}}<br>T = {temperature:g}: %{{x:.3f}}<extra></extra>")]
    layout = dict(barmode="group", bargap=0.25, legend=dict(top_legend(size, height), traceorder="reversed"),
                  xaxis=dict(AXIS, title="probability of being the next character", range=[0, 1.12], zeroline=False),
                  yaxis=dict(AXIS, autorange="reversed", type="category", tickfont=dict(size=size), title=""))
    return figure(traces, layout, "The next character's distribution",
                  f"softmax(z / T): at T = {temperature:g} beside T = 1 — lower T sharpens, higher T flattens",
                  large, height, top=round(LEGEND_ROOM * size), right=30)
