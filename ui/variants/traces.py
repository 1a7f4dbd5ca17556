"""The same input through both models over time, and the gradient reaching each step.

Pure functions: lstm_core.variants.Anatomy in, Plotly figure dicts out (ui/common/plain.py: built in
Plotly's own form, validated by the tests, not on the server). Time runs along x as "time step
t" = 1..T. Lines are one unit's values: gates (0..1) in the gates' colours, states in theirs; the
second layer or the backward direction is dashed, thinner and with open dots, under the same legend
entry. The GRU's gates take the colours of the LSTM gates they resemble (z like f: it keeps the old
memory; r like i; n like C̃).
"""
import numpy as np

from lstm_core.flow import VANISHED
from ui.common.palette import GATE_COLORS
from ui.common.plain import figure, rich_labels
from ui.common.style import AXIS, font_size, integer_axis, top_legend
from ui.gradients.axes import drawable, labelled_hline, log_axis, log_range
from ui.variants.words import COLORS, NAMES, TIME_NOTE

GATE_KEYS = {"lstm": ("f", "i", "o"), "gru": ("z", "r")}  # 0..1 panel
STATE_KEYS = {"lstm": ("c_tilde", "c", "h"), "gru": ("n", "h")}  # −1..1 panel
SYMBOL = {"f": "f", "i": "i", "o": "o", "c_tilde": "C̃", "c": "C", "h": "h", "z": "z", "r": "r", "n": "n"}
COLOUR = {**GATE_COLORS, "z": GATE_COLORS["f"], "r": GATE_COLORS["i"], "n": GATE_COLORS["c_tilde"]}
DASHES = ("solid", "dash")
LOOKS = {"solid": {"width": 3, "marker": "circle"},  # layer 1 / forward: solid, filled dots
         "dash": {"width": 2, "marker": "circle-open"}}  # layer 2 / backward: thinner dashes, open dots (same colour)


def _parts(anatomy):
    """(superscript or arrow, cell trace dict, kind) for each layer and direction of the model."""
    out = []
    layers = anatomy.model.layers
    for l, layer in enumerate(layers):
        for d, _ in enumerate(layer.cells()):
            mark = "→←"[d] if layer.bwd is not None else (str(l + 1) if len(layers) > 1 else "")
            out.append((mark, anatomy.cell_trace(l, d), "gru" if layer.kind == "gru" else "lstm"))
    return out


def series(anatomy, unit=0):
    """{"gates": [...], "states": [...]}, each a list of (label, symbol, values (T,), colour, dash) for
    `unit`: the label names the layer or direction (f²_t, h←_t), the symbol (f_t) is its legend entry."""
    panels = {"gates": [], "states": []}
    for k, (mark, trace, kind) in enumerate(_parts(anatomy)):
        sup = f"<sup>{mark}</sup>" if mark else ""
        for panel, keys in (("gates", GATE_KEYS[kind]), ("states", STATE_KEYS[kind])):
            panels[panel] += [(f"{SYMBOL[key]}{sup}<sub>t</sub>", f"{SYMBOL[key]}<sub>t</sub>", trace[key][:, unit],
                               COLOUR[key], DASHES[k % 2]) for key in keys]
    return panels


def _line(label, symbol, values, colour, dash, legend, axes):
    """One unit's values per step as a Plotly scatter dict on the subplot of `axes` (e.g. "x3", "y3"), in
    the legend under its symbol (one entry for both layers or directions: the dash tells them apart)."""
    T = len(values)
    return {"type": "scatter", "x": np.arange(1, T + 1), "y": np.asarray(values, dtype=np.float64), "name": symbol,
            "legendgroup": symbol, "showlegend": legend, "mode": "lines+markers" if T <= 30 else "lines",
            "line": {"color": colour, "width": LOOKS[dash]["width"], "dash": dash},
            "marker": {"size": 5 if dash == "solid" else 7, "symbol": LOOKS[dash]["marker"]},
            "hovertemplate": f"{label}<br>t = %{{x}}: %{{y:.4f}}<extra></extra>", "xaxis": axes[0], "yaxis": axes[1]}


PANELS = {("plain", "gates"): ("x", "y"), ("variant", "gates"): ("x2", "y2"),
          ("plain", "states"): ("x3", "y3"), ("variant", "states"): ("x4", "y4")}  # make_subplots' names, row-major
COLUMNS, ROWS = {"plain": (0.0, 0.46), "variant": (0.54, 1.0)}, {"gates": (0.6, 1.0), "states": (0.0, 0.4)}


def _axes(T, size):
    """The four panels' axes: one shared time axis, ticks under the lower row; gates on 0..1."""
    layout = {}
    for (column, row), (x, y) in PANELS.items():
        xaxis = {**integer_axis(T, "time step t" if row == "states" else None, max_ticks=8), **AXIS,
                 "domain": list(COLUMNS[column]), "anchor": y, "showticklabels": row == "states"}
        if x != "x":
            xaxis["matches"] = "x"
        yaxis = {**AXIS, "domain": list(ROWS[row]), "anchor": x}
        if row == "gates":
            yaxis["range"] = [-0.05, 1.05]
        layout["xaxis" + x[1:]], layout["yaxis" + y[1:]] = xaxis, yaxis
    return layout


def _panel_titles(names, size):
    """Each panel's title at its top, centred: "plain LSTM: gates" ..."""
    return [{"text": f"{names[column]}: {row}", "x": sum(COLUMNS[column]) / 2, "y": ROWS[row][1], "xref": "paper",
             "yref": "paper", "xanchor": "center", "yanchor": "bottom", "showarrow": False,
             "font": {"size": round(size * 1.05)}} for column, row in PANELS]


def over_time(plain, variant, *, unit=0, large=False):
    """Two columns (plain LSTM, variant) of two panels: gates 0..1 above, states below, one unit; a plain
    dict in Plotly's form (ui/common/plain.py: no validation on the server)."""
    names = {"plain": NAMES[plain.variant], "variant": NAMES[variant.variant]}
    size, T = font_size(large), len(plain.reach)
    data, seen = [], set()
    for column, anatomy in (("plain", plain), ("variant", variant)):
        for row in ("gates", "states"):
            for label, symbol, values, colour, dash in series(anatomy, unit)[row]:
                data.append(_line(label, symbol, values, colour, dash, symbol not in seen, PANELS[column, row]))
                seen.add(symbol)
    height = 760 if large else 560
    layout = {**_axes(T, size), "annotations": _panel_titles(names, size), "showlegend": True,
              "legend": top_legend(size, height)}
    return rich_labels(figure(data, layout, f"Gates and states at every step — unit {unit + 1}",
                              "gates above (0 closed, 1 open), states below" + TIME_NOTE.get(variant.variant, ""),
                              large, height, top=round(2.5 * size * (2 if large else 1))))


def reach_figure(plain, variant, *, large=False):
    """‖gradient‖ per step on a log axis for both models, with the 'vanished' line at VANISHED; a plain dict."""
    size = font_size(large)
    data, ys = [], []
    for anatomy in (plain, variant):
        y, text = drawable(anatomy.reach)
        label = NAMES[anatomy.variant]
        ys.append(y)
        data.append({"type": "scatter", "x": np.arange(1, len(y) + 1), "y": y, "text": list(text), "name": label,
                     "mode": "lines+markers", "marker": {"size": 6},
                     "line": {"color": COLORS[anatomy.variant], "width": 3.5,
                              "dash": "solid" if anatomy is variant else "dot"},
                     "hovertemplate": f"{label}<br>t = %{{x}}: %{{text}}<extra></extra>"})
    lo, hi = log_range(np.concatenate(ys), must_show=(VANISHED, 1.0))
    height = 460 if large else 400
    layout = {"shapes": [labelled_hline(VANISHED, "10⁻³: less is called vanished", position="end", anchor="bottom")],
              "xaxis": {**integer_axis(len(plain.reach), "time step t", max_ticks=12), **AXIS},
              "yaxis": {**log_axis(lo, hi), **AXIS, "title": {"text": "gradient size (log scale)"}},
              "legend": top_legend(size, height), "showlegend": True}
    return figure(data, layout, "How much of the gradient reaches step t",
                  "a loss on what the model ends with, of size 1, sent back exactly", large, height,
                  top=round(2.5 * size))
