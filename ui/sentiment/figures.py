"""Figures for the "Sentiment" page: the loss and accuracy while training, the held-out accuracy per
category against the bag-of-words baseline, and one sentence read word by word (the running prediction,
which words moved the memory, the gates).

Pure functions: plain data in (run_sentiment's items without their "model", numpy arrays of a reading,
lists of words), a Plotly figure out as a plain dict in Plotly's own form (ui/common/plain.py: the
server skips Plotly's validation, the tests do not). The training chart is redrawn live with its axes
fixed in advance; it stands still while the curves grow. Words are the x axis of
every sentence chart, one tick per word (a word that occurs twice gets two ticks), an unknown word
marked ⟨unk⟩ under it.
"""
import numpy as np

from ui.common.palette import CELL_COLORS, GATE_COLORS, GATE_NAMES, INK, MUTED, SCALES, SEQUENTIAL
from ui.common.plain import figure, rich_labels
from ui.common.style import AXIS, COLORBAR, LEGEND_ROOM, font_size, integer_axis, nice_dtick, rich, top_legend

LSTM_COLOR, BOW_COLOR = CELL_COLORS["lstm"], MUTED  # the LSTM in its cell colour, the baseline in grey
TRAIN_COLOR, HELD_OUT_COLOR = CELL_COLORS["lstm"], INK
UNK = "⟨unk⟩"
GATES = ("f", "i", "o")


def _prompt(text, size):
    """An empty chart's words, in the middle of the plot."""
    return dict(text=text, x=0.5, xref="paper", y=0.5, yref="paper", showarrow=False, bgcolor="white",
                font=dict(size=round(size * 1.4), color=MUTED))


def word_ticks(words, unknown):
    """One tick label per word, an unknown word with ⟨unk⟩ under it (the model read it as ⟨unk⟩)."""
    return [f"{w}<br>{UNK}" if unk else w for w, unk in zip(words, unknown)]


WORDS_WIDTH = 770  # about how wide a sentence chart's plot is on a laptop-wide page (px)
CHAR_EM = 0.5  # an average lower-case letter's width in ems of the charts' font


def tick_angle(words, size):
    """0 if every word's label fits its column at font `size` with a letter's room to spare, else -40:
    slanted, so neighbours ("was", "wonderful") cannot run together."""
    longest = max((len(w) for w in words), default=0)
    return 0 if (longest + 1) * CHAR_EM * size <= WORDS_WIDTH / max(len(words), 1) else -40


def _word_axis(words, unknown, size, title="word read (in order)"):
    """An x axis of the words 1..n: a tick per word, labelled with the word (slanted if they would touch)."""
    n = len(words)
    return dict(AXIS, title=title, range=[0.5, n + 0.5], tickmode="array", tickvals=list(range(1, n + 1)),
                ticktext=word_ticks(words, unknown), zeroline=False, showgrid=False,
                tickangle=tick_angle(words, size))


def _line(x, y, words, color, dash, symbol, meta, axes, size):
    """One curve per report; NaN is a gap."""
    y = np.asarray(y, dtype=np.float64)
    return dict(type="scatter", x=x, y=y, name=words, meta=meta, mode="lines+markers", legendgroup=words,
                line=dict(color=color, width=3, dash=dash), xaxis=axes[0], yaxis=axes[1],
                showlegend=axes[0] == "x",
                marker=dict(symbol=symbol, size=round(size * 0.55), color=color, line=dict(color="white", width=1)),
                hovertemplate=f"step %{{x}}<br>{words}: %{{y:.3f}}<extra></extra>")


def _column(items, key):
    """One field of every item as floats (None as NaN)."""
    return np.array([np.nan if it.get(key) is None else it[key] for it in items], dtype=np.float64)


def training_figure(items, steps, *, large, prompt="press Train to start"):
    """Loss (left) and accuracy (right) against the Adam step, on the training and held-out sentences;
    x spans 0..`steps`, the loss 0..its highest and the accuracy 0..1 (chance 0.5 dotted), so the chart
    stands still while it grows. Without items it says `prompt`."""
    size, height = font_size(large), 560 if large else 420
    x = _column(items, "step")
    traces = []
    for key, words, color, dash, symbol in (("", "training sentences", TRAIN_COLOR, "solid", "circle"),
                                            ("val_", "held-out sentences", HELD_OUT_COLOR, "dash", "diamond")):
        for metric, axes in (("loss", ("x", "y")), ("accuracy", ("x2", "y2"))):
            traces.append(_line(x, _column(items, key + metric), words, color, dash, symbol, key + metric, axes, size))
    losses = np.concatenate([_column(items, "loss"), _column(items, "val_loss"), [np.log(2)]])
    top = float(np.nanmax(losses)) * 1.08
    step_axis = dict(AXIS, title="Adam step", range=[0, steps * 1.02], tickmode="linear", tick0=0,
                     dtick=nice_dtick(steps, 5), zeroline=False)
    chance = dict(type="line", xref="x2", yref="y2", x0=0, x1=steps, y0=0.5, y1=0.5,
                  line=dict(color=MUTED, width=2, dash="dot"))
    titles = [dict(text=text, x=x0, xref="paper", y=1.0, yref="paper", yanchor="bottom", xanchor="left",
                   showarrow=False, font=dict(size=round(size * 1.05))) for text, x0 in
              (("loss (cross-entropy, nats per sentence)", 0.0), ("accuracy (chance 50 % dotted)", 0.56))]
    layout = dict(xaxis=dict(step_axis, domain=[0, 0.44]), xaxis2=dict(step_axis, domain=[0.56, 1], anchor="y2"),
                  yaxis=dict(AXIS, title="", range=[0, top], zeroline=False),
                  yaxis2=dict(AXIS, title="", range=[0, 1.02], anchor="x2", tickformat=".0%", zeroline=False),
                  shapes=[chance], annotations=titles + ([] if len(x) else [_prompt(prompt, size)]),
                  legend=top_legend(size, height))
    return figure(traces, layout, "Training — loss falls, accuracy rises",
                  "on the training sentences and on the held-out ones it never trains on",
                  large, height, top=round(LEGEND_ROOM * size * 1.6))


def category_figure(names, lstm, bow, counts, *, large):
    """Held-out accuracy per category (rows, in `names` order, with their sentence counts; a last row
    "all" is set apart by a line), the LSTM's bar beside the bag-of-words baseline's; chance 0.5 dotted."""
    size = font_size(large)
    labels = [f"{name} ({n})" for name, n in zip(names, counts)]
    height = max(360, round((len(names) * 3.6 + 11) * size))
    traces = [dict(type="bar", orientation="h", y=labels, x=list(bow), name="bag of words (cannot see order)",
                   meta="bow", marker_color=BOW_COLOR,
                   text=[f"{a:.0%}" for a in bow], textposition="outside", cliponaxis=False,
                   hovertemplate="%{y}<br>bag of words: %{x:.1%}<extra></extra>"),
              dict(type="bar", orientation="h", y=labels, x=list(lstm), name="LSTM", meta="lstm",
                   marker_color=LSTM_COLOR, text=[f"{a:.0%}" for a in lstm], textposition="outside",
                   cliponaxis=False, hovertemplate="%{y}<br>LSTM: %{x:.1%}<extra></extra>")]
    chance = dict(type="line", x0=0.5, x1=0.5, y0=0, y1=1, yref="paper", line=dict(color=MUTED, width=2, dash="dot"))
    shapes = [chance]
    if names and names[-1] == "all":  # a line between the kinds and their total
        shapes.append(dict(type="line", x0=0, x1=1, xref="paper", y0=len(names) - 1.5, y1=len(names) - 1.5,
                           line=dict(color=INK, width=1)))
    layout = dict(barmode="group", bargap=0.3, shapes=shapes,
                  legend=dict(top_legend(size, height), traceorder="reversed"),
                  xaxis=dict(AXIS, title="held-out accuracy (chance 50 % dotted)", range=[0, 1.15],
                             tickformat=".0%", tickvals=[0, 0.25, 0.5, 0.75, 1], zeroline=False),
                  yaxis=dict(AXIS, autorange="reversed", type="category", title="", tickfont=dict(size=size)))
    return figure(traces, layout, "Held-out accuracy per kind of sentence",
                  "sentences never trained on, in brackets how many; the bag of words reads only which words occur",
                  large, height, top=round(LEGEND_ROOM * size), right=30)


def running_figure(words, unknown, p_positive, p_bow, *, large, bidirectional=False):
    """P(positive) after each word (the LSTM's prediction if the sentence ended there), the 0.5 line
    (in the legend: undecided), and the bag-of-words prediction of the whole sentence as a flat reference."""
    size, height = font_size(large), 480 if large else 400
    n = len(words)
    x = list(range(1, n + 1))
    p = np.asarray(p_positive, dtype=np.float64)
    shown = [w if not u else f"{w} ({UNK})" for w, u in zip(words, unknown)]
    traces = [dict(type="scatter", x=[0.5, n + 0.5], y=[p_bow, p_bow], mode="lines", meta="bow",
                   name=f"bag of words, whole sentence: {p_bow:.2f}", line=dict(color=BOW_COLOR, width=3, dash="dash"),
                   hovertemplate=f"bag of words: P(positive) = {p_bow:.3f}<extra></extra>"),
              dict(type="scatter", x=x, y=p, mode="lines+markers", meta="lstm", name="LSTM after each word",
                   customdata=shown, line=dict(color=LSTM_COLOR, width=3),
                   marker=dict(size=round(size * 0.8), color=LSTM_COLOR, line=dict(color="white", width=1.5)),
                   hovertemplate="after word %{x}, %{customdata}:<br>P(positive) = %{y:.3f}<extra></extra>")]
    traces.insert(0, dict(type="scatter", x=[0.5, n + 0.5], y=[0.5, 0.5], mode="lines", meta="half",
                          name="0.5: undecided", line=dict(color=INK, width=1.5, dash="dot"), hoverinfo="skip",
                          legendrank=2000))  # drawn under the curves, named last in the legend
    layout = dict(xaxis=_word_axis(words, unknown, size),
                  yaxis=dict(AXIS, title="P(positive)", range=[-0.02, 1.02], tickvals=[0, 0.25, 0.5, 0.75, 1],
                             ticktext=["0 negative", "0.25", "0.5", "0.75", "1 positive"], zeroline=False),
                  legend=top_legend(size, height))
    how = ("the model's answer for the sentence cut off at that word, read both ways" if bidirectional
           else "the head on h_t: what the model says if the sentence ended at that word")
    return rich_labels(figure(traces, layout, "The prediction after each word", how, large, height,
                              top=round(LEGEND_ROOM * size)))


FORWARD = " — forward direction"  # a bidirectional model's titles: its left-to-right LSTM's numbers
FORWARD_WHY = "the forward LSTM, reading left to right (the backward one is not drawn): "


def memory_figure(words, unknown, dC, *, large, bidirectional=False):
    """‖C_t − C_{t−1}‖ per word: how far each word moved the cell state (the forward direction's, which
    a bidirectional model's title says)."""
    size, height = font_size(large), 420 if large else 340
    dC = np.asarray(dC, dtype=np.float64)
    x = list(range(1, len(words) + 1))
    shown = [w if not u else f"{w} ({UNK})" for w, u in zip(words, unknown)]
    traces = [dict(type="bar", x=x, y=dC, meta="dC", name="‖C_t − C_{t−1}‖", marker_color=GATE_COLORS["c"],
                   customdata=shown, hovertemplate="word %{x}, %{customdata}:<br>‖C_t − C_{t−1}‖ = %{y:.3f}"
                                                   "<extra></extra>")]
    layout = dict(xaxis=_word_axis(words, unknown, size), bargap=0.25,
                  yaxis=dict(AXIS, title="‖C_t − C_{t−1}‖", rangemode="tozero", zeroline=False))
    fig = figure(traces, layout, "Which words moved the memory" + (FORWARD if bidirectional else ""),
                 (FORWARD_WHY if bidirectional else "") + "how far the cell state C_t moved when each word was "
                 "read (length of the change over all units)",
                 large, height)
    return rich_labels(fig)  # C_t drawn with its subscript


def _suffix(k):
    """The axis suffix of the k-th heatmap: "", "2", "3"."""
    return str(k + 1) if k else ""


def _gate_axes(k, n, H, words, unknown, size):
    """The x and y axes of the k-th of the three stacked gate heatmaps (0 at the top); the bottom one's
    x axis names the words (slanted if they would touch)."""
    h = (1 - 2 * GATE_GAP) / 3  # each heatmap's share of the plot's height
    top = 1 - k * (h + GATE_GAP)
    bottom = k == len(GATES) - 1
    x = dict(AXIS, range=[0.5, n + 0.5], showgrid=False, zeroline=False, anchor=f"y{_suffix(k)}",
             tickmode="array", tickvals=list(range(1, n + 1)), ticktext=word_ticks(words, unknown),
             showticklabels=bottom, title="word read (in order)" if bottom else "",
             tickangle=tick_angle(words, size))
    y = dict(AXIS, **integer_axis(H, "unit", max_ticks=4), domain=[max(0.0, top - h), top], showgrid=False,
             anchor=f"x{_suffix(k)}")
    return {f"xaxis{_suffix(k)}": x, f"yaxis{_suffix(k)}": y}


GATE_GAP = 0.12  # the space between two stacked heatmaps, as a fraction of the plot's height


def gates_figure(words, unknown, gates, *, large, bidirectional=False):
    """Heatmaps of f_t, i_t, o_t (`gates`: {"f": (n, H), "i": ..., "o": ...}) over words (x) × units (y),
    stacked, on one sequential 0..1 scale; a bidirectional model's title says they are the forward
    direction's. Built from plain dicts: a new sentence draws it in a blink."""
    size = font_size(large)
    n, H = np.asarray(gates["f"]).shape
    shown = [[w if not u else f"{w} ({UNK})" for w, u in zip(words, unknown)]] * H
    traces, layout, titles = [], {}, []
    for k, g in enumerate(GATES):
        axis = _suffix(k)
        traces.append(dict(type="heatmap", z=np.asarray(gates[g], dtype=np.float64).T,
                           x=list(range(1, n + 1)), y=list(range(1, H + 1)), coloraxis="coloraxis", meta=g,
                           name=rich(GATE_NAMES[g]), customdata=shown, xaxis=f"x{axis}", yaxis=f"y{axis}",
                           xgap=1 if n <= 40 else 0, ygap=1 if H <= 16 else 0,
                           hovertemplate=f"word %{{x}}, %{{customdata}}<br>unit %{{y}}<br>{rich(GATE_NAMES[g])} = "
                                         "%{z:.3f}<extra></extra>"))
        layout.update(_gate_axes(k, n, H, words, unknown, size))
        title = GATE_NAMES[g] + (" — 0 forgets, 1 keeps C_{t−1}" if g == "f" else "")
        titles.append(dict(text=rich(title), x=0.5, xref="paper", y=layout[f"yaxis{axis}"]["domain"][1],
                           yref="paper", yanchor="bottom", showarrow=False, font=dict(size=round(size * 1.05))))
    layout.update(annotations=titles, coloraxis=dict(
        colorscale=SCALES[SEQUENTIAL], cmin=0, cmax=1,
        colorbar=dict(COLORBAR, title=dict(text="gate value (0 closed, 1 open)", side="right"),
                      thickness=round(size * 1.2))))
    height = (900 if large else 720) + 6 * max(0, H - 16)
    return figure(traces, layout, "The gates at each word" + (FORWARD if bidirectional else ""),
                  (FORWARD_WHY if bidirectional else "") + "each gate's value per unit (rows) at each word "
                  "(columns); hover for exact numbers", large, height)
