"""Figures for the "Through time" page: a whole sequence as heatmaps, lines and a ledger.

Pure functions: an unbatched LSTMTrace in, a Plotly figure out. Time runs along x as
"time step t" = 1..T (row s = t - 1 of the trace arrays). Heatmaps are unit × time:
z[u][s] = trace.<field>[s, u], so z is the trace array transposed to (H, T).
"""
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui.common.palette import BAND_ZONE, DIVERGING, GATE_COLORS, GATE_NAMES, INK, SEQUENTIAL, UNIT_COLORS, unit_color
from ui.common.style import font_size, integer_axis, plain_subscripts, style

STATE_TICKS = dict(tickvals=[-1, -0.5, 0, 0.5, 1], ticktext=["≤ −1", "−0.5", "0", "0.5", "≥ 1"])
GATE_BAR_TITLE = "gate value (0 = closed, 1 = open)"
STATE_STYLES = (("c", "solid", "cell C_t"), ("h", "dash", "hidden h_t"))  # key, line dash, words
MANY_UNITS = 16  # more units than this (a trained text model's 128): gap-free maps, faint lines
SHOWN_CHARS = {" ": "␣", "\n": "⏎", "\t": "⇥"}  # characters drawn as a visible sign


def shown_chars(chars):
    """Each step's character as drawn on a chart: a sign for a blank, "·" for a step of no character."""
    return ["·" if ch is None else SHOWN_CHARS.get(ch, ch) for ch in chars]


def sequence_shape(trace):
    """(T, H) of an unbatched trace; a batched one is refused with a clear message."""
    if np.ndim(trace.c) != 2:
        raise ValueError("these figures show one sequence: pass an unbatched trace (xs of shape (T, I))")
    return trace.c.shape


def add_cursor(fig, cursor, T):
    """A dashed vertical line at 0-based step `cursor` (time step t = cursor + 1) on every subplot."""
    if cursor is None:
        return fig
    fig.layout.shapes = tuple(fig.layout.shapes) + tuple(cursor_shapes(fig.data, cursor, T))
    return fig


def with_cursor(fig_dict, cursor, T):
    """A copy of a figure dict (e.g. a cached one) with the cursor drawn: cheap, no rebuild."""
    layout = dict(fig_dict.get("layout", {}))
    layout["shapes"] = list(layout.get("shapes", [])) + cursor_shapes(fig_dict["data"], cursor, T)
    return {**fig_dict, "layout": layout}


def cursor_shapes(traces, cursor, T):
    """The cursor's line shapes, one pair per subplot's x axis: a white halo under a dark dash over
    the data; under the bars of a bar chart (the bar at the cursor stays whole); on a strip of
    characters a pale band behind the character and the dash above and below it (it stays legible)."""
    if not 0 <= cursor < T:
        raise ValueError(f"cursor must be a step in 0..{T - 1}, got {cursor}")
    kinds = {}
    for tr in traces:
        get = tr.get if isinstance(tr, dict) else lambda k, tr=tr: tr[k]
        kind = "chars" if get("meta") == "input chars" else "bars" if get("type") == "bar" else "over"
        axis = get("xaxis") or "x"
        kinds[axis] = max(kinds.get(axis, "over"), kind, key=("over", "bars", "chars").index)
    return [shape for x, kind in sorted(kinds.items()) for shape in _cursor_at(cursor + 1, x, kind)]


def _cursor_at(t, xref, kind):
    """The shapes of the cursor at time step t on the subplot of x axis `xref` (see cursor_shapes)."""
    yref = f"y{xref[1:]} domain"
    dash = dict(color=INK, width=3, dash="dash")
    if kind == "bars":
        return [dict(type="line", xref=xref, yref=yref, x0=t, x1=t, y0=0, y1=1, line=dash, layer="below")]
    if kind == "chars":
        band = dict(type="rect", xref=xref, yref=yref, x0=t - 0.5, x1=t + 0.5, y0=0, y1=1, layer="below",
                    line=dict(width=0), fillcolor=BAND_ZONE)
        return [band] + [dict(type="line", xref=xref, yref=yref, x0=t, x1=t, y0=y0, y1=y1, line=dash,
                              layer="above") for y0, y1 in ((0, 0.2), (0.8, 1))]
    return [dict(type="line", xref=xref, yref=yref, x0=t, x1=t, y0=0, y1=1, line=line, layer="above")
            for line in (dict(color="white", width=7), dash)]


def _heatmap(values, key, coloraxis, chars=None):
    """One unit × time heatmap of a (T, H) array; hover gives the exact value (and the character read
    at that step when `chars` names them). Many units are drawn without gaps (no stripes)."""
    T, H = values.shape
    read = dict(customdata=np.tile(np.array(shown_chars(chars), dtype=object), (H, 1))) if chars else {}
    return go.Heatmap(z=values.T, x=np.arange(1, T + 1), y=np.arange(1, H + 1), coloraxis=coloraxis,
                      name=GATE_NAMES[key], meta=key, xgap=1 if T <= 40 and H <= MANY_UNITS else 0,
                      ygap=1 if H <= 8 else 0, **read,
                      hovertemplate=f"time step t = %{{x}}{' (reads %{customdata})' if chars else ''}"
                                    f"<br>unit %{{y}}<br>{GATE_NAMES[key]} = %{{z:.4f}}<extra></extra>")


def _stacked_heatmaps(keys, trace, titles, height, chars=None):
    """Heatmaps of trace fields stacked in rows that share the time axis."""
    T, H = sequence_shape(trace)
    fig = make_subplots(rows=len(keys), cols=1, shared_xaxes=True, subplot_titles=titles,
                        vertical_spacing=0.09 if len(keys) > 2 else 0.14)
    for row, (key, axis) in enumerate(keys, start=1):
        fig.add_trace(_heatmap(getattr(trace, key), key, axis, chars), row=row, col=1)
    fig.update_xaxes(**integer_axis(T, None, max_ticks=12), showgrid=False)
    fig.update_xaxes(title_text="time step t", row=len(keys), col=1)
    fig.update_yaxes(**integer_axis(H, "unit", max_ticks=4), showgrid=False)
    fig.update_layout(height=height)
    return fig


def _colorbar(fig, title, rows, size, **ticks):
    """A colour bar beside the given rows (1-based) of a one-column subplot stack."""
    domains = [fig.get_subplot(r, 1).yaxis.domain for r in rows]
    lo, hi = min(d[0] for d in domains), max(d[1] for d in domains)
    return dict(title=dict(text=title, side="right"), y=(lo + hi) / 2, len=hi - lo, yanchor="middle",
                thickness=round(size * 1.2), tickfont=dict(size=size), **ticks)


def gate_heatmaps(trace, *, cursor=None, large=False, chars=None):
    """Heatmaps (unit × time) of f, i, o on the sequential 0..1 scale and the candidate on -1..1;
    `chars` (one per step, or None) names the character read at each step in the hover."""
    T, _ = sequence_shape(trace)
    size = font_size(large)
    keys = [("f", "coloraxis"), ("i", "coloraxis"), ("o", "coloraxis"), ("c_tilde", "coloraxis2")]
    titles = [GATE_NAMES["f"], GATE_NAMES["i"], GATE_NAMES["o"],
              GATE_NAMES["c_tilde"] + " — tanh, so −1..1 on the red–blue scale"]
    fig = _stacked_heatmaps(keys, trace, titles, 680 if large else 620, chars)
    fig.update_layout(
        coloraxis=dict(colorscale=SEQUENTIAL, cmin=0, cmax=1,
                       colorbar=_colorbar(fig, GATE_BAR_TITLE, [1, 2, 3], size)),
        coloraxis2=dict(colorscale=DIVERGING, cmin=-1, cmax=1,
                        colorbar=_colorbar(fig, "", [4], size, tickvals=[-1, 0, 1],
                                           ticktext=["−1", "0", "+1"])))
    style(fig, "Gates through time", "colour = gate value at each time step (x) and unit (y); "
          "hover for exact numbers", large, fig.layout.height)
    return add_cursor(fig, cursor, T)


def state_heatmaps(trace, *, cursor=None, large=False, chars=None):
    """Heatmaps (unit × time) of the cell state c and hidden state h on the diverging -1..1 scale;
    for many units whose C_t leaves −1..1, C_t gets its own scale over ±its largest |value| (else it
    would be one saturated block). `chars` names the character read at each step in the hover."""
    T, H = sequence_shape(trace)
    size = font_size(large)
    reach = float(np.max(np.abs(trace.c)))
    own = H > MANY_UNITS and reach > 1  # C_t on its own scale, beside h_t's −1..1
    fig = _stacked_heatmaps([("c", "coloraxis"), ("h", "coloraxis2" if own else "coloraxis")], trace,
                            [GATE_NAMES["c"], GATE_NAMES["h"]], 520 if large else 460, chars)
    if own:
        top = float(np.ceil(reach))
        fig.update_layout(
            coloraxis=dict(colorscale=DIVERGING, cmin=-top, cmax=top, cmid=0, colorbar=_colorbar(
                fig, f"C_t, −{top:g}..{top:g}", [1], size, tickvals=[-top, 0, top],
                ticktext=[f"−{top:g}", "0", f"+{top:g}"])),
            coloraxis2=dict(colorscale=DIVERGING, cmin=-1, cmax=1, cmid=0, colorbar=_colorbar(
                fig, "h_t, −1..1", [2], size, tickvals=[-1, 0, 1], ticktext=["−1", "0", "+1"])))
    else:
        fig.update_layout(coloraxis=dict(
            colorscale=DIVERGING, cmin=-1, cmax=1, cmid=0,
            colorbar=_colorbar(fig, "state value", [1, 2], size, **STATE_TICKS)))
    style(fig, "Cell state and hidden state through time",
          "blue negative, white zero, red positive; hover for exact numbers", large, fig.layout.height)
    return add_cursor(fig, cursor, T)


def state_line_traces(trace, units, chars=None, chosen=None):
    """C_t (solid) and h_t (dashed) of each unit over all steps; one colour and one legend entry per
    unit, or, for more than MANY_UNITS (a trained text model's 128), thin faint lines and no legend
    but for the `chosen` unit, drawn in full on top. `chars` (one per step, or None) names the
    character read at each step in the hover."""
    t = np.arange(1, trace.c.shape[0] + 1)
    size = 6 if len(t) <= 100 else 3  # markers make every step clickable (moves the cursor)
    many = trace.c.shape[-1] > MANY_UNITS
    read = dict(customdata=shown_chars(chars)) if chars else {}
    at = "t = %{x}" + (" (reads %{customdata})" if chars else "")
    units = sorted(units, key=lambda u: u == chosen)  # the chosen unit last: on top

    def line(u, k, dash, word):
        faint = many and u != chosen
        return go.Scatter(x=t, y=getattr(trace, k)[:, u], name=f"unit {u + 1}", meta=f"line {k} {u}",
                          mode="lines+markers", marker=dict(size=2 if faint else size, color=unit_color(u)),
                          legendgroup=f"u{u}", showlegend=k == "c" and not faint, opacity=0.3 if faint else 1,
                          line=dict(color=unit_color(u), width=1 if faint else (3.5 if k == "c" else 2.5), dash=dash),
                          hovertemplate=f"{at}<br>unit {u + 1} {word} = %{{y:.4f}}<extra></extra>", **read)
    return [line(u, k, dash, word) for u in units for k, dash, word in STATE_STYLES]


def _input_traces(trace, chars=None, large=False):
    """The input x_t, one grey line per feature (solid, dotted, ...), or, when `chars` names each
    step's character, those characters in a row."""
    xs = np.asarray(trace.xs)[:, 0, :]  # (T, I)
    T, I = xs.shape
    if chars is not None:
        return [go.Scatter(x=np.arange(1, T + 1), y=np.zeros(T), text=shown_chars(chars), mode="text",
                           meta="input chars",
                           textfont=dict(size=font_size(large) + 4, color=INK, family="monospace"),
                           showlegend=False, customdata=[repr(ch) for ch in chars],
                           hovertemplate="t = %{x}<br>x_t is the character %{customdata}<extra></extra>")]
    names = [GATE_NAMES["x"]] if I == 1 else [f"input x_t[{k + 1}]" for k in range(I)]
    return [go.Scatter(x=np.arange(1, T + 1), y=xs[:, k], name=name, meta=f"input {k}", showlegend=False,
                       mode="lines+markers", marker=dict(size=6 if T <= 100 else 3, color=GATE_COLORS["x"]),
                       line=dict(color=GATE_COLORS["x"], width=2.5, dash=["solid", "dot"][k % 2]),
                       hovertemplate=f"t = %{{x}}<br>{name} = %{{y:.4f}}<extra></extra>")
            for k, name in enumerate(names)]


def state_lines(trace, *, cursor=None, large=False, chars=None, unit=None):
    """c_t (solid) and h_t (dashed) per unit over time, with the input x_t on a small panel above
    (the characters `chars`, one per step, when the input stands for characters). With more than
    MANY_UNITS units, all are faint but `unit` (0-based, or None)."""
    T, H = sequence_shape(trace)
    x_title = GATE_NAMES["x"] + (": the character read at each step" if chars is not None else "")
    chosen = f"; unit {unit + 1}, the one chosen, in full" if unit is not None else ""
    lines_title = (f"C_t (solid) and h_t (dashed) of all {H} units, faint{chosen}"
                   if H > MANY_UNITS else "cell state C_t (solid) and hidden state h_t (dashed), one colour per unit")
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.25, 0.75], vertical_spacing=0.1,
                        subplot_titles=[x_title, lines_title])
    inputs, lines = _input_traces(trace, chars, large), state_line_traces(trace, range(H), chars, unit)
    fig.add_traces(inputs, rows=1, cols=1)
    fig.add_traces(lines, rows=2, cols=1)
    fig.add_hline(y=0, line=dict(color=INK, width=1), row=2, col=1)
    fig.update_xaxes(**integer_axis(T, None, max_ticks=12))
    fig.update_xaxes(title_text="time step t", row=2, col=1)
    fig.update_yaxes(title_text="x_t", nticks=4, row=1, col=1,
                     **(dict(showticklabels=False, range=[-1, 1]) if chars is not None else {}))
    fig.update_yaxes(title_text="state value", row=2, col=1)
    font = dict(size=font_size(large))
    fig.update_layout(legend=dict(title=dict(text="C_t solid<br>h_t dashed", font=font), font=font,
                                  tracegroupgap=2, y=0.75, yanchor="top"))
    style(fig, "Cell state and hidden state, unit by unit", "C_t is the long-term memory (the conveyor "
          "belt); h_t = o_t · tanh(C_t) is what the cell shows", large, 600 if large else 540)
    return add_cursor(fig, cursor, T)


def ledger_numbers(trace, unit=0):
    """Per-step arrays for one unit: c_prev, f, kept = f·c_prev, i, c_tilde, written = i·c_tilde, c; each (T,)."""
    T, H = sequence_shape(trace)
    if not 0 <= unit < H:
        raise ValueError(f"unit must be in 0..{H - 1}, got {unit}")
    c = trace.c[:, unit]  # c_t, (T,)
    c0 = np.asarray(trace.c0).reshape(-1, H)[0, unit]  # initial cell state of this unit
    c_prev = np.concatenate([[c0], c[:-1]])  # c_{t-1}, (T,)
    f, i, c_tilde = trace.f[:, unit], trace.i[:, unit], trace.c_tilde[:, unit]
    return dict(c_prev=c_prev, f=f, kept=f * c_prev, i=i, c_tilde=c_tilde, written=i * c_tilde, c=c)


def ledger_table(trace, unit=0):
    """One dict per step with t (1-based), c_prev, f, kept, i, c_tilde, written, c for a page table."""
    n = ledger_numbers(trace, unit)
    return [{"t": s + 1, **{k: float(v[s]) for k, v in n.items()}} for s in range(len(n["c"]))]


LEDGER_HEADINGS = {  # the ledger table's columns, named as in the equations
    "t": "time step t", "c_prev": plain_subscripts("C_{t−1}"), "f": plain_subscripts("f_t"),
    "kept": plain_subscripts("kept f_t·C_{t−1}"), "i": plain_subscripts("i_t"),
    "c_tilde": plain_subscripts("C̃_t"), "written": plain_subscripts("written i_t·C̃_t"),
    "c": plain_subscripts("C_t = kept + written"),
}


def ledger_frame(trace, unit=0):
    """The ledger as a table for the page: one row per step, columns named as in the equations,
    values to the 3 decimals the diagram and the equations show."""
    frame = pd.DataFrame(ledger_table(trace, unit)).round(3)
    return frame.rename(columns=LEDGER_HEADINGS)


def ledger(trace, unit=0, *, cursor=None, large=False):
    """The conveyor belt of one unit: bars of kept f_t·C_{t−1} and written i_t·C̃_t, with C_t on top."""
    n = ledger_numbers(trace, unit)
    T = len(n["c"])
    t = np.arange(1, T + 1)
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=t, y=n["kept"], name="kept  f_t · C_{t−1}", marker=dict(color=GATE_COLORS["f"], line_width=0),
        customdata=np.stack([n["f"], n["c_prev"]], axis=1),
        hovertemplate="t = %{x}<br>kept = f_t · C_{t−1} = %{customdata[0]:.4f} × %{customdata[1]:.4f}"
                      " = %{y:.4f}<extra></extra>"))
    fig.add_trace(go.Bar(
        x=t, y=n["written"], name="written  i_t · C̃_t", marker=dict(color=GATE_COLORS["i"], line_width=0),
        customdata=np.stack([n["i"], n["c_tilde"]], axis=1),
        hovertemplate="t = %{x}<br>written = i_t · C̃_t = %{customdata[0]:.4f} × %{customdata[1]:.4f}"
                      " = %{y:.4f}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=t, y=n["c"], name="cell state C_t = kept + written", mode="lines+markers" if T <= 120 else "lines",
        line=dict(color=INK, width=2.5), marker=dict(color=GATE_COLORS["c"], size=11,
                                                     line=dict(color=INK, width=1.5)),
        hovertemplate="t = %{x}<br>C_t = %{y:.4f}<extra></extra>"))
    fig.add_hline(y=0, line=dict(color=INK, width=1))
    fig.update_layout(barmode="relative", bargap=0.25 if T <= 60 else 0.05,
                      legend=dict(orientation="h", yanchor="bottom", y=1.03, x=0, xanchor="left"))
    fig.update_xaxes(**integer_axis(T, "time step t", max_ticks=12))
    fig.update_yaxes(title_text=f"unit {unit + 1}: contribution to C_t")
    style(fig, f"Cell-state ledger of unit {unit + 1}: what is kept and what is written",
          "each step C_t = f_t · C_{t−1} (kept from the belt) + i_t · C̃_t (newly written)",
          large, 540 if large else 480, top=round(font_size(large) * 0.8))
    return add_cursor(fig, cursor, T)
