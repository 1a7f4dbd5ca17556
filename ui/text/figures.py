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


def frequency_loss(text):
    """The cross-entropy (nats/char) of guessing every character from how often it occurs in `text`
    alone, never reading the window: the entropy -Σ p_k ln p_k of its character frequencies."""
    counts = np.unique(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32), return_counts=True)[1]
    p = counts / counts.sum()
    return float(-(p * np.log(p)).sum())


def levels(train_text, vocab_size):
    """The two guesses every model should beat: uniform over the vocabulary (ln V, where training
    starts) and by character frequency in the training text."""
    return (("uniform", math.log(vocab_size), f"uniform guess over {vocab_size} characters"),
            ("frequency", frequency_loss(train_text), "guess by character frequency"))


GUESS_DASH = {"uniform": "dot", "frequency": "dashdot"}  # the two guesses, told apart without colour


def _guess_line(key, level, words, steps):
    """A guess's loss as a flat grey line across the chart, named in the legend with its value."""
    return dict(type="scatter", x=[0, steps], y=[level, level], mode="lines", name=f"{words}: {level:.2f}",
                meta=key, line=dict(color=MUTED, width=2, dash=GUESS_DASH[key]),
                hovertemplate=f"{words}: {level:.3f} nats/char<extra></extra>")


def loss_figure(items, steps, guesses, *, large, prompt="press Train to start"):
    """Training loss (mean of the steps since the last report) and held-out loss against the Adam step,
    with the `guesses` (levels()) as grey lines; x spans 0..`steps`, y 0..the highest, so it stands still.
    Without items the chart says `prompt`."""
    size, height = font_size(large), 600 if large else 460
    x = np.array([it["step"] for it in items], dtype=np.float64)
    loss = np.array([it["loss"] for it in items], dtype=np.float64)
    held = np.array([np.nan if it["val_loss"] is None else it["val_loss"] for it in items], dtype=np.float64)
    traces = [_loss_line(x, loss, "training loss", TRAIN_COLOR, "solid", "circle", "loss", size)]
    if np.isfinite(held).any() or not len(x):
        traces.append(_loss_line(x, held, "held-out loss", HELD_OUT_COLOR, "dash", "diamond", "val_loss", size))
    traces += [_guess_line(key, level, words, steps) for key, level, words in guesses]
    seen = np.concatenate([loss, held, [level for _, level, _ in guesses]])
    top = float(np.nanmax(seen[np.isfinite(seen)])) * 1.08
    layout = dict(xaxis=dict(AXIS, title="Adam step", range=[0, steps * 1.02], tickmode="linear", tick0=0,
                             dtick=nice_dtick(steps, 8), zeroline=False),
                  yaxis=dict(AXIS, title="cross-entropy (nats per character)", range=[0, top], zeroline=False),
                  annotations=[] if len(x) else [_prompt(prompt, size)],
                  legend=top_legend(size, height))
    return figure(traces, layout, "Loss while training — lower is better",
                  "cross-entropy of the next character; hover for the perplexity exp(loss)",
                  large, height, top=round(LEGEND_ROOM * size * 2))  # two legend rows


def top_k_figure(chosen, at_one, temperature, *, large, greedy=False):
    """Horizontal bars of the most likely next characters: `chosen` [(char, p)] at `temperature` (largest
    first, top to bottom), `at_one` {char: p} the same characters at T = 1 beside them."""
    size = font_size(large)
    labels = [show_char(ch) for ch, _ in chosen]
    height = max(400, round((len(chosen) * 3.2 + 10) * size))
    p_t = [p for _, p in chosen]
    p_1 = [at_one[ch] for ch, _ in chosen]
    words_t = f"T = {temperature:g}" + (" (greedy takes the top one)" if greedy else "")
    traces = [dict(type="bar", orientation="h", y=labels, x=p_1, name="T = 1", meta="t1", marker_color=T1_COLOR,
                   hovertemplate="next %{y}<br>T = 1: %{x:.3f}<extra></extra>"),
              dict(type="bar", orientation="h", y=labels, x=p_t, name=words_t, meta="t", marker_color=LOW_T_COLOR,
                   text=[f"{p:.2f}" if p >= 0.005 else "< 0.01" for p in p_t], textposition="outside", cliponaxis=False,
                   constraintext="none", textfont=dict(size=round(size * 0.9)),
                   hovertemplate=f"next %{{y}}<br>T = {temperature:g}: %{{x:.3f}}<extra></extra>")]
    layout = dict(barmode="group", bargap=0.25, legend=dict(top_legend(size, height), traceorder="reversed"),
                  xaxis=dict(AXIS, title="probability of being the next character", range=[0, 1.12], zeroline=False),
                  yaxis=dict(AXIS, autorange="reversed", type="category", tickfont=dict(size=size), title=""))
    return figure(traces, layout, "The next character's distribution",
                  f"softmax(z / T): at T = {temperature:g} beside T = 1 — lower T sharpens, higher T flattens",
                  large, height, top=round(LEGEND_ROOM * size), right=30)
