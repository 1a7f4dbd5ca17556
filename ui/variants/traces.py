"""The same input through both models over time, and the gradient reaching each step.

Pure functions: lstm_core.variants.Anatomy in, Plotly figures out. Time runs along x as "time step
t" = 1..T. Lines are one unit's values: gates (0..1) in the gates' colours, states in theirs; the
second layer or the backward direction is dashed. The GRU's gates take the colours of the LSTM gates
they resemble (z like f: it keeps the old memory; r like i; n like C̃).
"""
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lstm_core.flow import VANISHED
from ui.common.palette import GATE_COLORS, GRID
from ui.common.style import font_size, integer_axis, style, top_legend
from ui.gradients.axes import drawable, labelled_hline, log_axis, log_range
from ui.variants.words import COLORS, NAMES

GATE_KEYS = {"lstm": ("f", "i", "o"), "gru": ("z", "r")}  # 0..1 panel
STATE_KEYS = {"lstm": ("c_tilde", "c", "h"), "gru": ("n", "h")}  # −1..1 panel
SYMBOL = {"f": "f", "i": "i", "o": "o", "c_tilde": "C̃", "c": "C", "h": "h", "z": "z", "r": "r", "n": "n"}
COLOUR = {**GATE_COLORS, "z": GATE_COLORS["f"], "r": GATE_COLORS["i"], "n": GATE_COLORS["c_tilde"]}
DASHES = ("solid", "dash")


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
    """{"gates": [...], "states": [...]}, each a list of (label, values (T,), colour, dash) for `unit`."""
    panels = {"gates": [], "states": []}
    for k, (mark, trace, kind) in enumerate(_parts(anatomy)):
        sup = f"<sup>{mark}</sup>" if mark else ""
        for panel, keys in (("gates", GATE_KEYS[kind]), ("states", STATE_KEYS[kind])):
            panels[panel] += [(f"{SYMBOL[key]}{sup}<sub>t</sub>", trace[key][:, unit], COLOUR[key], DASHES[k % 2])
                              for key in keys]
    return panels


def _line(label, values, colour, dash, legend):
    T = len(values)
    return go.Scatter(x=np.arange(1, T + 1), y=values, name=label, legendgroup=label, showlegend=legend,
                      mode="lines+markers" if T <= 30 else "lines", line=dict(color=colour, width=3, dash=dash),
                      marker=dict(size=5), hovertemplate=f"{label}<br>t = %{{x}}: %{{y:.4f}}<extra></extra>")


def over_time(plain, variant, *, unit=0, large=False):
    """Two columns (plain LSTM, variant) of two panels: gates 0..1 above, states below, one unit."""
    names = (NAMES[plain.variant], NAMES[variant.variant])
    size = font_size(large)
    fig = make_subplots(rows=2, cols=2, shared_xaxes=True, vertical_spacing=0.16, horizontal_spacing=0.08,
                        subplot_titles=[f"{names[0]}: gates", f"{names[1]}: gates",
                                        f"{names[0]}: states", f"{names[1]}: states"])
    seen = set()
    for c, anatomy in enumerate((plain, variant), start=1):
        for r, panel in enumerate(("gates", "states"), start=1):
            for label, values, colour, dash in series(anatomy, unit)[panel]:
                fig.add_trace(_line(label, values, colour, dash, label not in seen), row=r, col=c)
                seen.add(label)
    T = len(plain.reach)
    fig.update_xaxes(**integer_axis(T, None, max_ticks=8), gridcolor=GRID)
    fig.update_xaxes(title_text="time step t", row=2)
    fig.update_yaxes(range=[-0.05, 1.05], row=1, gridcolor=GRID)
    fig.update_yaxes(gridcolor=GRID, row=2)
    height = 640 if large else 560
    fig.update_layout(legend=top_legend(size, height), showlegend=True)
    return style(fig, f"The same input through both — unit {unit + 1}",
                 "gates above (0 closed, 1 open), states below; dashed: layer 2 or the backward direction",
                 large, height, top=round(2.5 * size * (2 if large else 1)))


def reach_figure(plain, variant, *, large=False):
    """‖gradient‖ per step on a log axis for both models, with the 'vanished' line at VANISHED."""
    size = font_size(large)
    traces = []
    for anatomy in (plain, variant):
        y, text = drawable(anatomy.reach)
        label = NAMES[anatomy.variant]
        traces.append(go.Scatter(x=np.arange(1, len(y) + 1), y=y, text=text, name=label, mode="lines+markers",
                                 line=dict(color=COLORS[anatomy.variant], width=3.5,
                                           dash="solid" if anatomy is variant else "dot"),
                                 marker=dict(size=6),
                                 hovertemplate=f"{label}<br>t = %{{x}}: %{{text}}<extra></extra>"))
    lo, hi = log_range(np.concatenate([t.y for t in traces]), must_show=(VANISHED, 1.0))
    height = 460 if large else 400
    fig = go.Figure(traces, dict(shapes=[labelled_hline(VANISHED, "10⁻³: less is called vanished",
                                                         position="end", anchor="top")]))
    fig.update_xaxes(integer_axis(len(plain.reach), "time step t", max_ticks=12), gridcolor=GRID)
    fig.update_yaxes(log_axis(lo, hi), gridcolor=GRID, title_text="gradient size (log scale)")
    fig.update_layout(legend=top_legend(size, height), showlegend=True)
    return style(fig, "How much of the gradient reaches step t",
                 "a loss on what the model ends with, of size 1, sent back exactly", large, height,
                 top=round(2.5 * size))
