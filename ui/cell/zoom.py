"""The "Zoom into steps" view of Through time: linked brushing, drawn with Altair (Vega-Lite).

The top strip shows the input x_t over every step; dragging across it selects a span of steps,
and the two charts below — one unit's gates f, i, o (0..1) and its candidate, cell and hidden
states (−1..1) — redraw over that span alone. The brush lives in the browser (a Vega-Lite
selection), so zooming costs the server nothing. Pure: a trace in, a chart out.
"""
import altair as alt
import numpy as np
import pandas as pd

from ui.cell.time_figures import sequence_shape
from ui.common.palette import GATE_COLORS, GATE_NAMES, UNIT_COLORS
from ui.common.style import font_size, plain_subscripts, vega_style

GATE_SERIES = ("f", "i", "o")  # 0..1
STATE_SERIES = ("c_tilde", "c", "h")  # −1..1 (C_t can leave it: the axis grows to hold it)
BRUSH = "steps"  # the selection's name in the spec: an empty brush keeps every step
STEP_AXIS = alt.Axis(format="d", tickMinStep=1)  # time steps are whole numbers
LEGEND = alt.Legend(title=None, orient="top", direction="horizontal")  # above each chart: the plots get the width


def zoom_data(trace, unit=0, chars=None):
    """Long-form rows {t, panel, series, value, char}: every input feature (or, when `chars` names
    each step's character, one row per step carrying it in `char`), and `unit`'s gates and states."""
    T, H = sequence_shape(trace)
    if not 0 <= unit < H:
        raise ValueError(f"unit must be in 0..{H - 1}, got {unit}")
    t = np.arange(1, T + 1)
    xs = trace.xs[:, 0, :]  # (T, I)
    parts = [_rows(t, "input", f"x_{k + 1}" if xs.shape[1] > 1 else "x_t", xs[:, k]) for k in range(xs.shape[1])]
    if chars is not None:
        parts = [_rows(t, "input", "character", np.zeros(T)).assign(char=[_shown(ch) for ch in chars])]
    parts += [_rows(t, "gates", GATE_NAMES[k], getattr(trace, k)[:, unit]) for k in GATE_SERIES]
    parts += [_rows(t, "states", GATE_NAMES[k], getattr(trace, k)[:, unit]) for k in STATE_SERIES]
    return pd.concat(parts, ignore_index=True)


def _rows(t, panel, series, values):
    return pd.DataFrame({"t": t, "panel": panel, "series": plain_subscripts(series),
                         "value": np.asarray(values, float), "char": ""})


def _shown(ch):
    """A character as the strip writes it: space, newline and tab as visible signs, · for none."""
    return "·" if ch is None else {" ": "␣", "\n": "⏎", "\t": "⇥"}.get(ch, ch)


def _colour(keys):
    """A colour scale fixing each series to its colour of the one palette."""
    names = [plain_subscripts(GATE_NAMES[k]) for k in keys]
    return alt.Color("series:N", scale=alt.Scale(domain=names, range=[GATE_COLORS[k] for k in keys]),
                     sort=names, legend=LEGEND)


def _plot_width(size):
    """The plot's width in px before Streamlit fits the whole chart to its container ("stretch")."""
    return 900


def _overview(base, inputs, size, chars=False):
    """The input strip carrying the brush: drag to choose the steps the charts below show. With
    `chars`, the strip writes the character read at each step."""
    brush = alt.selection_interval(name=BRUSH, encodings=["x"])
    strip = base.transform_filter(alt.datum.panel == "input")
    if chars:
        strip = strip.mark_text(fontSize=size + 4, font="monospace").encode(
            y=alt.Y("value:Q", title="xₜ", axis=alt.Axis(labels=False, ticks=False, titlePadding=size),
                    scale=alt.Scale(domain=[-1, 1])),
            text="char:N", tooltip=[alt.Tooltip("t:Q", title="time step t"), alt.Tooltip("char:N", title="character")])
    else:
        colour = alt.Color("series:N", scale=alt.Scale(domain=inputs, range=list(UNIT_COLORS[:len(inputs)])),
                           legend=LEGEND)
        strip = strip.mark_line(strokeWidth=2).encode(
            y=alt.Y("value:Q", title="xₜ", axis=alt.Axis(tickCount=3)), color=colour)
    return (strip
            .add_params(brush)
            .properties(height=round(size * 6), width=_plot_width(size),
                        title="drag across the input to zoom into those steps (double-click: all steps)"))


def _detail(base, panel, keys, y_title, domain, size, points):
    """One unit's series of one panel, over the brushed steps; hover gives the exact value."""
    x = alt.X("t:Q", title="time step t", axis=STEP_AXIS, scale=alt.Scale(nice=False, zero=False))
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(domain=list(domain), nice=False, zero=False))
    tooltip = [alt.Tooltip("t:Q", title="time step t"), alt.Tooltip("series:N", title="what"),
               alt.Tooltip("value:Q", title="value", format=".4f")]
    return (base.transform_filter(alt.datum.panel == panel).transform_filter(alt.param(BRUSH))
            .mark_line(strokeWidth=3, point=points)
            .encode(x=x, y=y, color=_colour(keys), tooltip=tooltip)
            .properties(height=round(size * 14), width=_plot_width(size)))


def _states_domain(trace, unit):
    """−1..1, widened to hold C_t where the memory has grown beyond it."""
    c = trace.c[:, unit]
    lo, hi = float(min(-1.0, np.min(c, initial=0.0))), float(max(1.0, np.max(c, initial=0.0)))
    pad = 0.04 * (hi - lo)  # a line at the edge stays whole
    return lo - pad, hi + pad


def zoom_chart(trace, unit=0, *, large=False, chars=None):
    """The input strip with its brush over the gates and the states of unit `unit` (0-based);
    `chars` (one per step, or None) writes the characters the input stands for in the strip."""
    data = zoom_data(trace, unit, chars)
    size, T = font_size(large), sequence_shape(trace)[0]
    inputs = list(dict.fromkeys(data.loc[data.panel == "input", "series"]))
    base = alt.Chart(data).encode(x=alt.X("t:Q", title="time step t", axis=STEP_AXIS,
                                          scale=alt.Scale(domain=[1, max(T, 2)], nice=False)))
    points = T <= 60  # markers while each step still has room
    chart = alt.vconcat(
        _overview(base, inputs, size, chars is not None),
        _detail(base, "gates", GATE_SERIES, "gate value (0 closed, 1 open)", (0, 1), size, points),
        _detail(base, "states", STATE_SERIES, "state value", _states_domain(trace, unit), size, points),
        spacing=round(size * 1.5)).resolve_scale(color="independent")
    return vega_style(chart, f"Zoom into steps — unit {unit + 1}",
                      "the gates decide, step by step, what the cell state keeps and writes", large)

