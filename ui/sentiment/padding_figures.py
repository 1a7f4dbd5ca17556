"""Figures of the Sentiment page's "Sequences of different lengths" section: a padded batch drawn as a
grid (rows sentences, columns time steps), the pad cells greyed and marked ⟨pad⟩, the step the readout
reads framed; the same grid in the backward direction's reading order.

Pure functions of arrays shaped as the engine's batches are: (T, B), time first. Real cells and pad
cells are two heatmap traces (each NaN where the other is drawn), so the pads keep their own colour and
grey words, and a test can read which cells are pads.
"""
import numpy as np

from ui.common.palette import INK, MUTED
from ui.common.plain import figure
from ui.common.style import AXIS, font_size, nice_dtick

PAD = "⟨pad⟩"
REAL_FILL, PAD_FILL = "#D6E6F2", "#EBEBEB"  # a word: a light tint of the LSTM's blue; a pad: light grey
GRID_WIDTH = 840  # about how wide the grid's figure is on a laptop-wide page (px); its cells share what
LABEL_CHARS = 10  # the row names leave ("sentence 1" over "11 words")
CHAR_EM = 0.6  # the width of a letter of the figure's font, in ems (wide ones: "wonderful" needs 0.6)
ELLIPSIS = "…"


def cell_font(large):
    """The font size of the words in the cells: a little under the figure's, so it scales with `large`."""
    return round(font_size(large) * 0.8)


def cell_chars(T, large):
    """How many letters fit a cell of a T-column grid at the cells' font (at least 2)."""
    plot = GRID_WIDTH - CHAR_EM * font_size(large) * LABEL_CHARS - 50  # less the row names and margins
    return max(2, int(plot / max(T, 1) / (CHAR_EM * cell_font(large))))


def shorten(word, chars):
    """`word` if it has at most `chars` letters, else its first chars − 1 and an ellipsis."""
    return word if len(word) <= chars else word[:chars - 1] + ELLIPSIS


def _layer(z, text, fill, ink, name, meta, font):
    """One heatmap trace of the cells where z is 1 (NaN elsewhere), each with its text."""
    return dict(type="heatmap", z=z, text=text, texttemplate="%{text}", textfont=dict(size=font, color=ink),
                colorscale=[[0, fill], [1, fill]], zmin=0, zmax=1, showscale=False, xgap=3, ygap=3,
                name=name, meta=meta, hovertemplate="%{y}, step %{x}: %{customdata}<extra></extra>")


def grid_figure(words, mask, read_at, *, large, title, subtitle, numbers=None):
    """A padded batch as a grid: `words` (T, B) the word at each step (pads included), `mask` (T, B) True
    at real words, `read_at` (B,) the step (0-based) whose state the readout takes, framed. `numbers`
    (T, B), if given, is written under each real word as "← k" (the backward direction's step). A word
    too long for its cell is shortened with an ellipsis; the hover gives it whole. Pad cells say ⟨pad⟩."""
    words, mask = np.asarray(words, dtype=object), np.asarray(mask, dtype=bool)
    T, B = mask.shape
    size, font, chars = font_size(large), cell_font(large), cell_chars(T, large)
    shown = np.array([[shorten(str(w), chars) for w in row] for row in words], dtype=object).reshape(T, B)
    labels = shown if numbers is None else np.array(
        [[f"{w}<br>← {k}" for w, k in zip(ws, ks)] for ws, ks in zip(shown, np.asarray(numbers))],
        dtype=object).reshape(T, B)
    rows = [f"sentence {b + 1}<br>{n} word{'' if n == 1 else 's'}" for b, n in enumerate(mask.sum(axis=0))]
    x = np.arange(1, T + 1)  # the traces' z are (B, T): a row per sentence
    hover = dict(x=x, y=rows, customdata=np.where(mask.T, words.T, PAD))
    traces = [dict(_layer(np.where(mask.T, 1.0, np.nan), np.where(mask.T, labels.T, ""), REAL_FILL, INK,
                          "a word", "word", font), **hover),
              dict(_layer(np.where(mask.T, np.nan, 1.0), np.where(mask.T, "", shorten(PAD, chars)), PAD_FILL,
                          MUTED, PAD, "pad", font), **hover)]
    frames = [dict(type="rect", x0=t + 0.5, x1=t + 1.5, y0=b - 0.5, y1=b + 0.5, line=dict(color=INK, width=3))
              for b, t in enumerate(np.asarray(read_at))]
    height = round(max(280, (B * 3.4 + 11) * size))
    layout = dict(shapes=frames, xaxis=dict(AXIS, title="time step t", tickmode="linear", tick0=1,
                                            dtick=nice_dtick(T, 12 if large else 20),
                                            range=[0.5, T + 0.5], showgrid=False, zeroline=False, side="top"),
                  yaxis=dict(AXIS, autorange="reversed", showgrid=False, zeroline=False, title=""))
    return figure(traces, layout, title, subtitle, large, height, top=round(size * 3.5))
