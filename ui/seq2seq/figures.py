"""Figures for the "Sequence to sequence" page: the live loss and accuracy, accuracy against input
length, the encoder → vector → decoder diagram, the fixed-size vector, the decoder's distributions and
teacher forcing beside the model's own outputs.

Pure functions: plain data in (run_seq2seq's items without their "model", token texts, NumPy arrays of
one example), a Plotly figure out as a plain dict in Plotly's own form (ui/common/plain.py: the server
skips Plotly's validation, ~8 ms a chart, and the tests do not). The live charts fix their axes in advance
so they stand still while the curves grow. Tokens arrive already written as the page shows them ("0".."9",
"+", "▶" the start, "■" the end), so the figures need no engine.
"""
import math

import numpy as np

from ui.common.palette import (BAND_ZONE, CELL_COLORS, DIVERGING, GATE_COLORS, INK, MUTED, NOTE_GROUND, OUT_OF_BAND,
                               PAPER, SCALES, SEQUENTIAL, FRAME_LINE)
from ui.common.plain import figure
from ui.common.style import AXIS, LEGEND_ROOM, font_size, integer_axis, nice_dtick, top_legend

LSTM_COLOR = CELL_COLORS["lstm"]
RIGHT_FILL, WRONG_FILL, PLAIN_FILL = "rgba(0, 119, 187, 0.18)", "rgba(204, 51, 17, 0.28)", PAPER
PLOT_PX = 1000  # about how wide the page draws a full-width chart, in px
SPECIAL = {"▶": "▶ (START: the decoder's first input)", "■": "■ (END: the answer is done)"}  # for hovers
MARKS = {"exact": ("circle", "solid"), "token": ("diamond", "dash")}  # told apart without colour


def _prompt(text, size):
    """An empty chart's words, in the middle of the plot."""
    return dict(text=text, x=0.5, xref="paper", y=0.5, yref="paper", showarrow=False, bgcolor="white",
                font=dict(size=round(size * 1.4), color=MUTED))


def _prompts(x, prompt, size):
    """A live chart's annotations: none once it has points (Plotly leaves out an empty list), else the prompt."""
    return {} if x else {"annotations": [_prompt(prompt, size)]}


def _step_axis(steps):
    return dict(AXIS, title="Adam step", range=[0, steps * 1.02], tickmode="linear", tick0=0,
                dtick=nice_dtick(steps, 8), zeroline=False)


def _line(x, y, name, meta, color, dash, symbol, hover, size):
    return dict(type="scatter", x=x, y=y, name=name, meta=meta, mode="lines+markers",
                line=dict(color=color, width=3, dash=dash),
                marker=dict(symbol=symbol, size=round(size * 0.55), color=color, line=dict(color="white", width=1)),
                hovertemplate=hover)


def loss_figure(items, steps, vocab_size, *, large, prompt="press Train to start"):
    """Teacher-forced cross-entropy (nats per output token) against the Adam step, with the uniform
    guess ln V as a flat grey line; x spans 0..`steps`, y 0..the highest, so the chart stands still."""
    size, height = font_size(large), 520 if large else 420
    x = [it["step"] for it in items]
    loss = np.array([it["loss"] for it in items], dtype=np.float64)
    guess = math.log(vocab_size)
    traces = [_line(x, np.where(np.isfinite(loss), loss, np.nan), "training loss (teacher forced)", "loss",
                    LSTM_COLOR, "solid", "circle", "step %{x}<br>loss %{y:.3f} nats/token<extra></extra>", size),
              dict(type="scatter", x=[0, steps], y=[guess, guess], mode="lines", meta="uniform",
                   name=f"uniform guess over {vocab_size} tokens: {guess:.2f}",
                   line=dict(color=MUTED, width=2, dash="dot"),
                   hovertemplate=f"uniform guess: ln {vocab_size} = {guess:.3f} nats/token<extra></extra>")]
    finite = loss[np.isfinite(loss)]
    top = max(guess, float(finite.max()) if finite.size else guess) * 1.08
    layout = dict(xaxis=_step_axis(steps), yaxis=dict(AXIS, title="cross-entropy (nats per token)", range=[0, top],
                                                      zeroline=False),
                  legend=top_legend(size, height), **_prompts(x, prompt, size))
    return figure(traces, layout, "Loss while training — lower is better",
                  "the decoder fed the right previous token (teacher forcing)", large, height,
                  top=round(LEGEND_ROOM * size))


def accuracy_figure(items, steps, *, large, held=256, prompt="press Train to start"):
    """Exact-match and per-token accuracy (in %) of greedy answers on the `held` fixed inputs of the training
    lengths against the step."""
    size, height = font_size(large), 520 if large else 420
    x = [it["step"] for it in items]
    exact = [100 * it["accuracy"] for it in items]
    token = [100 * it["token_accuracy"] for it in items]
    traces = [_line(x, exact, "whole answer right (exact match)", "exact", LSTM_COLOR, "solid", "circle",
                    "step %{x}<br>exact match %{y:.1f} %<extra></extra>", size),
              _line(x, token, "output tokens right", "token", INK, "dash", "diamond",
                    "step %{x}<br>tokens right %{y:.1f} %<extra></extra>", size)]
    layout = dict(xaxis=_step_axis(steps), yaxis=dict(AXIS, title="accuracy (%)", range=[0, 104], zeroline=False),
                  legend=top_legend(size, height), **_prompts(x, prompt, size))
    return figure(traces, layout, "Accuracy while training — higher is better",
                  f"greedy answers (fed its own outputs) on {held} fixed inputs of the training lengths", large, height,
                  top=round(LEGEND_ROOM * size))


def chance_levels(task, n_max):
    """What the best guess that never reads the input scores, for n = 1..n_max: the probability of the
    single likeliest answer. Reverse: 1 in 10ⁿ (every answer equally likely). Sort: the likeliest sorted
    string has each digit about n/10 times, n!/∏kᵢ! of the 10ⁿ inputs give it. Add: each number is drawn
    uniformly from its N n-digit values (no leading zero, 0..9 for n = 1) and the likeliest sum, the
    middle one, comes from N of the N² pairs: 1/N."""
    levels = []
    for n in range(1, n_max + 1):
        if task == "reverse":
            levels.append(10.0 ** -n)
        elif task == "sort":
            q, r = divmod(n, 10)
            ways = math.factorial(n) // (math.factorial(q + 1) ** r * math.factorial(q) ** (10 - r))
            levels.append(ways / 10 ** n)
        else:
            levels.append(1 / (10 ** n - (0 if n == 1 else 10 ** (n - 1))))
    return levels


def length_figure(by_length, lengths, chance, *, large, x_title, count=64, prompt="press Train to start"):
    """Exact-match accuracy (%) on `count` inputs of each length n = 1..len(chance): bars, the training
    lengths (lo, hi) shaded and named, and what a guess that ignores the input scores at each length."""
    size, height = font_size(large), 540 if large else 460
    n_max = len(chance)
    ns = list(range(1, n_max + 1))
    lo, hi = lengths
    acc = [100 * by_length[n] if n in by_length else None for n in ns]
    traces = [dict(type="bar", x=ns, y=acc, name="whole answer right (greedy decoding)", meta="accuracy",
                   marker=dict(color=[LSTM_COLOR if lo <= n <= hi else "#88B9DA" for n in ns],
                               line=dict(color=LSTM_COLOR, width=1.5)),
                   text=[f"{a:.0f}" if a is not None else "" for a in acc], textposition="outside", cliponaxis=False,
                   textfont=dict(size=round(size * 0.85)),
                   hovertemplate=f"n = %{{x}}<br>exact match %{{y:.1f}} % of {count} inputs of length %{{x}}"
                                 "<extra></extra>"),
              dict(type="scatter", x=ns, y=[100 * c for c in chance], mode="lines+markers", meta="chance",
                   name="a guess that ignores the input", line=dict(color=MUTED, width=2, dash="dot"),
                   marker=dict(symbol="x", size=round(size * 0.6), color=MUTED),
                   hovertemplate="n = %{x}<br>guessing: %{y:.3g} %<extra></extra>")]
    shapes = [dict(type="rect", xref="x", yref="paper", x0=lo - 0.5, x1=hi + 0.5, y0=0, y1=1, layer="below",
                   fillcolor=BAND_ZONE, line=dict(width=0))]
    trained = f"trained on n = {lo}" if lo == hi else f"trained on n = {lo}–{hi}"
    notes = [dict(text=trained, x=(lo + hi) / 2, xref="x", y=1, yref="paper", yanchor="bottom", showarrow=False,
                  font=dict(size=size, color=LSTM_COLOR), bgcolor=NOTE_GROUND)]
    if not by_length:
        notes.append(_prompt(prompt, size))
    layout = dict(xaxis=dict(AXIS, **integer_axis(n_max, x_title)),
                  yaxis=dict(AXIS, title="answers exactly right (%)", range=[0, 112], zeroline=False),
                  shapes=shapes, annotations=notes, bargap=0.25, legend=top_legend(size, height))
    return figure(traces, layout, "Accuracy against input length — the bottleneck",
                  f"each bar: {count} inputs of its length, not the accuracy chart's set; shaded: the lengths it "
                  "trained on",
                  large, height, top=round(LEGEND_ROOM * size) + size)


def _boxes(centres, w, h, fill, line, meta):
    """Rectangles of size w × h around (x, y) centres, filled, all in one trace (fast to build)."""
    x, y = [], []
    for cx, cy in centres:
        x += [cx - w / 2, cx + w / 2, cx + w / 2, cx - w / 2, cx - w / 2, None]
        y += [cy - h / 2, cy - h / 2, cy + h / 2, cy + h / 2, cy - h / 2, None]
    return dict(type="scatter", x=x, y=y, mode="lines", fill="toself", fillcolor=fill, line=dict(color=line, width=2),
                hoverinfo="skip", meta=meta)


def _word(text, x, y, size, color=INK, **extra):
    return dict(text=text, x=x, y=y, xref="x", yref="y", showarrow=False, font=dict(size=size, color=color), **extra)


def _tokens(xs, y, texts, size, color, meta):
    """One row of tokens as a text trace (a trace, not an annotation per token: fast to build)."""
    return dict(type="scatter", x=list(xs), y=[y] * len(xs), text=list(texts), mode="text", meta=meta,
                textfont=dict(size=size, color=color), hoverinfo="skip")


def _arrows(segments, color, size):
    """Arrows from (x0, y0) to (x1, y1), all in one trace: a line per segment, a head at its end."""
    x, y, marks = [], [], []
    for x0, y0, x1, y1 in segments:
        x += [x0, x1, None]
        y += [y0, y1, None]
        marks += [0, size, 0]
    return dict(type="scatter", x=x, y=y, mode="lines+markers", line=dict(color=color, width=2), hoverinfo="skip",
                marker=dict(symbol="arrow", angleref="previous", size=marks, color=color), meta="arrows")


def pipeline_figure(read, fed, written, units, *, large, reversed_input=False):
    """The encoder–decoder unrolled: one encoder box per token `read` (in the order it reads them), the
    fixed-size vector (h_T, C_T) of 2·`units` numbers, one decoder box per output step, fed `fed[k]`
    (▶ then its own previous output) below it and writing `written[k]` above it."""
    size = font_size(large)
    T, m = len(read), len(written)
    columns = T + m + 4
    token = min(round(size * 1.2), round(PLOT_PX / columns * 0.8))  # long inputs: smaller tokens, never overlapping
    head = round(size * 0.7)
    vec_w = max(1.6, columns / (6 if large else 8))  # room for "2 × H numbers" at any input length
    vec_x = T - 0.5 + 0.3 + vec_w / 2
    dec0 = vec_x + vec_w / 2 + 0.8
    enc_x, dec_x = list(range(T)), [dec0 + k for k in range(m)]
    up = [(x, -0.8, x, -0.44) for x in enc_x + dec_x] + [(x, 0.42, x, 0.8) for x in dec_x]
    along = [(x + 0.36, 0, x + 0.64, 0) for x in enc_x[:-1] + dec_x[:-1]]
    handover = [(T - 1 + 0.36, 0, vec_x - vec_w / 2, 0), (vec_x + vec_w / 2, 0, dec0 - 0.36, 0)]
    traces = [_boxes([(x, 0) for x in enc_x], 0.72, 0.8, PAPER, LSTM_COLOR, "encoder"),
              _boxes([(x, 0) for x in dec_x], 0.72, 0.8, PAPER, INK, "decoder"),
              _boxes([(vec_x, 0)], vec_w, 1.5, "white", GATE_COLORS["c"], "vector"),
              _arrows(up, MUTED, head), _arrows(along, INK, head), _arrows(handover, GATE_COLORS["c"], head),
              _tokens(enc_x, -1.05, read, token, INK, "read"), _tokens(dec_x, -1.05, fed, token, MUTED, "fed"),
              _tokens(dec_x, 1.1, [f"<b>{w}</b>" for w in written], token, INK, "written")]
    notes = [_word(f"(h<sub>T</sub>, C<sub>T</sub>)<br>2 × {units} numbers", vec_x, 0, round(size * 0.95)),
             _word("<b>encoder LSTM</b>" + (", reading the input reversed" if reversed_input else ""),
                   (T - 1) / 2, 1.1, size, LSTM_COLOR),
             _word("<b>the fixed-size vector</b>", vec_x + vec_w / 2, 1.7, size, GATE_COLORS["c"], xanchor="right"),
             _word("<b>decoder LSTM</b>", dec0 - 0.36, 1.7, size, xanchor="left"),
             _word("input", -0.6, -1.05, size, MUTED, xanchor="right"),
             _word("fed", dec0 - 0.6, -1.05, size, MUTED, xanchor="right")]
    height = 340 if large else 280
    layout = dict(xaxis=dict(visible=False, range=[-1.7, dec0 + m - 0.4]), yaxis=dict(visible=False, range=[-1.5, 2.0]),
                  annotations=notes, showlegend=False)
    return figure(traces, layout, "Encoder → one fixed-size vector → decoder",
                  "the decoder sees the input only through (h<sub>T</sub>, C<sub>T</sub>), and feeds back each token "
                  "it writes", large, height)


def vector_figure(h, c, *, large):
    """The encoder's final h_T and C_T as two heatmap strips of H cells (diverging, 0 white): the only
    thing the decoder receives. h lies in −1..1; C_T's scale reaches its own largest |value|."""
    size = font_size(large)
    H = len(h)
    c_top = max(1.0, float(np.max(np.abs(c))))
    units = list(range(1, H + 1))
    strips = (("h", "h<sub>T</sub>: the hidden state", h, 1.0, (0.58, 0.86)),
              ("c", "C<sub>T</sub>: the cell state", c, c_top, (0.0, 0.28)))
    traces, notes = [], []
    for k, (name, words, values, top, (y0, y1)) in enumerate(strips):
        axis = "" if k == 0 else "2"
        traces.append(dict(type="heatmap", x=units, y=[0], z=[list(map(float, values))], zmin=-top, zmax=top,
                           colorscale=SCALES[DIVERGING], xaxis="x" + axis, yaxis="y" + axis, xgap=1 if H <= 64 else 0,
                           meta=name, colorbar=dict(len=y1 - y0 + 0.08, y=(y0 + y1) / 2, yanchor="middle",
                                                    thickness=round(size * 0.9), tickfont=dict(size=size),
                                                    outlinewidth=0, tickvals=[-top, 0, top],
                                                    ticktext=[f"−{top:.3g}", "0", f"{top:.3g}"]),
                           hovertemplate=f"{words.split(':')[0]}, unit %{{x}}: %{{z:.3f}}<extra></extra>"))
        notes.append(dict(text=f"<b>{words}</b>", x=0, xref="paper", y=y1, yref="paper", yanchor="bottom",
                          xanchor="left", showarrow=False, font=dict(size=round(size * 1.05), color=INK)))
    tick = dict(AXIS, tickmode="linear", tick0=1, dtick=nice_dtick(H, 16), zeroline=False, showgrid=False)
    hidden = dict(visible=False, fixedrange=True)
    layout = dict(xaxis=dict(tick, anchor="y", showticklabels=False), yaxis=dict(hidden, domain=[0.58, 0.86]),
                  xaxis2=dict(tick, anchor="y2", title="unit"), yaxis2=dict(hidden, domain=[0.0, 0.28]),
                  annotations=notes)
    return figure(traces, layout, "The fixed-size vector: the only thing the decoder receives",
                  f"the encoder's last states, {H} units each; blue negative, white 0, red positive",
                  large, 420 if large else 340, right=40)


def steps_figure(probs, tokens, chosen, right, *, large):
    """The decoder's distribution at each output position: a heatmap positions × tokens (probs (m, V)),
    the token it chose (and fed back) outlined, the right token outlined dashed where the choice is wrong."""
    size = font_size(large)
    m, V = probs.shape
    text = [[f"{p:.2f}" if p >= 0.05 else "" for p in row] for row in probs]
    names = [[f"output {k + 1}, token {SPECIAL.get(t, t)}" for t in tokens] for k in range(m)]
    traces = [dict(type="heatmap", x=list(range(V)), y=list(range(m)), z=probs.tolist(), zmin=0, zmax=1,
                   colorscale=SCALES[SEQUENTIAL], text=text, texttemplate="%{text}",
                   textfont=dict(size=size if large else round(size * 0.8)),  # a projector: as big as the ticks
                   xgap=2, ygap=2, customdata=names, meta="probs",
                   colorbar=dict(title=dict(text="probability"), thickness=round(size * 0.9), outlinewidth=0),
                   hovertemplate="%{customdata}: p = %{z:.3f}<extra></extra>")]
    chosen_cells = [(chosen[k], k) for k in range(m)]
    wrong_cells = [(right[k], k) for k in range(min(m, len(right))) if right[k] != chosen[k]]
    traces += [_outlines(chosen_cells, INK, "solid", "chosen (and fed back)", "chosen"),
               _outlines(wrong_cells, OUT_OF_BAND, "dot", "the right token, where the choice is wrong", "right")]
    height = max(360, round((m * 2.6 + 12) * size))
    layout = dict(xaxis=dict(AXIS, title="token", tickmode="array", tickvals=list(range(V)), ticktext=list(tokens),
                             tickfont=dict(size=round(size * 1.15)), range=[-0.5, V - 0.5], showgrid=False,
                             zeroline=False),
                  yaxis=dict(AXIS, title="output position", tickmode="array", tickvals=list(range(m)),
                             ticktext=[str(k + 1) for k in range(m)], range=[m - 0.5, -0.5], showgrid=False,
                             zeroline=False),
                  legend=top_legend(size, height), plot_bgcolor="white")
    return figure(traces, layout, "The decoder's steps, position by position",
                  f"greedy: the likeliest of the {len(tokens)} tokens is written and fed back", large, height,
                  top=round(LEGEND_ROOM * size), right=40)


def _outlines(cells, color, dash, name, meta):
    """Rectangles around heatmap cells (column, row), in one trace named in the legend."""
    x, y = [], []
    for col, row in cells:
        x += [col - 0.5, col + 0.5, col + 0.5, col - 0.5, col - 0.5, None]
        y += [row - 0.5, row - 0.5, row + 0.5, row + 0.5, row - 0.5, None]
    return dict(type="scatter", x=x or [None], y=y or [None], mode="lines", name=name, meta=meta, hoverinfo="skip",
                line=dict(color=color, width=3, dash=dash))


FORCING_ROWS = ("right answer", "teacher forcing: fed", "teacher forcing: writes", "own outputs: fed",
                "own outputs: writes")


def forcing_figure(right, forced, own, *, large):
    """Teacher forcing beside the model's own outputs, position by position. `right` the right tokens
    (ending in ■); `forced` / `own`: (fed, written, p of what was written) as token lists. Written
    tokens are shaded right or wrong (and wrong ones crossed ✗); a position where the two ways differ
    is named under the grid."""
    size = font_size(large)
    n = max(len(right), len(own[1]))
    grid = [list(right), list(forced[0]), list(forced[1]), list(own[0]), list(own[1])]
    probs = [None, None, forced[2], None, own[2]]
    z, text, hover = [], [], []
    for r, row in enumerate(grid):
        writes = probs[r] is not None
        zr, tr, hr = [], [], []
        for k in range(n):
            if k >= len(row):
                zr.append(0), tr.append(""), hr.append("—")
                continue
            ok = k < len(right) and row[k] == right[k]
            zr.append((1 if ok else 2) if writes else 0)
            tr.append(row[k] if ok or not writes else f"{row[k]} ✗")
            named = SPECIAL.get(row[k], row[k])
            hr.append(f"{named}, p = {probs[r][k]:.3f}" if writes else named)
        z.append(zr), text.append(tr), hover.append(hr)
    scale = [[0, PLAIN_FILL], [0.33, PLAIN_FILL], [0.34, RIGHT_FILL], [0.66, RIGHT_FILL], [0.67, WRONG_FILL],
             [1, WRONG_FILL]]
    differ = [k + 1 for k in range(n) if (forced[1][k] if k < len(forced[1]) else None)
              != (own[1][k] if k < len(own[1]) else None)]
    trace = dict(type="heatmap", x=list(range(1, n + 1)), y=list(FORCING_ROWS), z=z, zmin=0, zmax=2, colorscale=scale,
                 showscale=False, text=text, customdata=hover, texttemplate="%{text}", xgap=3, ygap=3,
                 textfont=dict(size=round(size * 1.15), color=INK), hovertemplate="%{y}, position %{x}: "
                 "%{customdata}<extra></extra>")
    said = ("both write the same tokens" if not differ else
            "they differ at position " + ", ".join(map(str, differ)))
    layout = dict(xaxis=dict(AXIS, **integer_axis(n, "output position"), showgrid=False),
                  yaxis=dict(AXIS, autorange="reversed", tickfont=dict(size=size), showgrid=False),
                  plot_bgcolor="white", shapes=[dict(type="line", xref="paper", yref="y", x0=0, x1=1, y0=2.5, y1=2.5,
                                                     line=dict(color=FRAME_LINE, width=2))])
    return figure([trace], layout, "Teacher forcing beside its own outputs",
                  f"blue: right, red ✗: wrong; {said}", large, 400 if large else 340)
