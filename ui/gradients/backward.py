"""The backward pass, animated in the browser with Plotly frames (no server loop).

One row per cell: the unrolled chain of steps as circles (subsampled to at most MAX_CIRCLES),
grey until the backward pass reaches them, then sized and coloured by log10 ||dL/dh_t|| on a range
that stops at 10^±COLOR_DECADES. Frames run from the last step back to the first (at most
MAX_FRAMES); each carries only which circles are shown (as selected points), where the "now" ring
is and the readout per cell, so axes and colours never move. The slider lists the steps in time
order, like the chart's x axis: its thumb starts at the right, on step T, and moves left as it plays.
"""
import numpy as np
import plotly.graph_objects as go

from lstm_core.cells import name as cell_name

from ui.common.animation import frame_steps, play_controls
from ui.common.palette import DIVERGING, INK, SLOT, cell_color
from ui.common.style import font_size, nice_dtick, style
from ui.gradients.axes import color_range, log_colorbar, log_extent, sci_array
from ui.gradients.figures import ordered

MAX_FRAMES = 120
MAX_CIRCLES = 60
FRAME_MS = 250  # time on each frame while playing
CHAIN_WIDTH_PX = 1050  # about the width the chains get in a 1280 px wide window


def _sizes(logs, m, n_circles):
    """Marker diameters (px) growing with log10 ||dL/dh_t|| over -m..m, scaled to the spacing."""
    big = float(np.clip(1.5 * CHAIN_WIDTH_PX / n_circles, 12, 40))  # neighbours may touch, never hide
    small = 5.0
    return small + (logs + m) / (2 * m) * (big - small), small, big


def _chain(flows, kinds, circles, m):
    """All cells' circles in one trace: x the step, y the cell's row, colour and size the log norm.

    The colour is log10 of the norm itself (Plotly saturates it past ±m); ∞ takes m and 0 takes -m."""
    n = len(kinds)
    norms = np.concatenate([flows[k].dh_norm[circles] for k in kinds])  # exact, for hover and tests
    with np.errstate(divide="ignore"):
        logs = np.nan_to_num(np.log10(norms), nan=m, posinf=m, neginf=-m)
    size, small, big = _sizes(np.clip(logs, -m, m), m, len(circles))
    x = np.tile(circles + 1, n)
    y = np.repeat(n - 1 - np.arange(n), len(circles))
    names = np.repeat([cell_name(k) for k in kinds], len(circles))
    gap = np.full((n, 1), np.nan)  # breaks the grey line between rows
    slots = go.Scatter(x=np.hstack([x.reshape(n, -1), gap]).ravel(),
                       y=np.hstack([y.reshape(n, -1), gap]).ravel(), meta="slots", mode="lines+markers",
                       hoverinfo="skip", showlegend=False, line=dict(color=SLOT, width=2),
                       marker=dict(color=SLOT, size=small))
    chain = go.Scatter(
        x=x, y=y, meta="chain", mode="markers", customdata=norms, text=sci_array(norms),
        hovertext=names, showlegend=False,
        selected=dict(marker_opacity=1), unselected=dict(marker_opacity=0),
        marker=dict(color=logs, coloraxis="coloraxis", size=size, line=dict(color=INK, width=1),
                    symbol=np.where(np.isfinite(norms), "circle", "star").tolist()),  # a star: overflowed
        hovertemplate="%{hovertext}<br>t = %{x}<br>‖∂L/∂h<sub>t</sub>‖ = %{text}<extra></extra>")
    return slots, chain, big


def _frame(kinds, circles, s, norms, words):
    """What changes at 0-based step s: which circles are shown, and the "now" trace: a ring at step
    s + 1 on each row, then the readout line above each row (x, text and exact values, row by row).
    `norms` are the cells' ||dL/dh_t|| at step s, in kinds order, and `words` the same as sci writes them."""
    n = len(kinds)
    reached = np.flatnonzero(np.tile(circles >= s, n)).tolist()  # circles of steps s..T-1: done
    text = [f"<b>{cell_name(k)}</b>   ‖∂L/∂h<sub>{s + 1}</sub>‖ = {w}" for k, w in zip(kinds, words)]
    return [dict(type="scatter", selectedpoints=reached),  # cheaper to validate than an opacity array
            dict(type="scatter", x=[s + 1] * n + [0.5] * n, text=[""] * n + text,
                 customdata=norms.tolist() * 2)]


def _now(first, kinds, big, size):
    """The "now" trace of the first frame, styled: rings (one per row) and readouts above the rows."""
    n = len(kinds)
    rows = (n - 1 - np.arange(n)).tolist()
    ring = dict(symbol="circle-open", color=INK, line_width=3, opacity=1)  # sizes vary: say opacity 1
    return go.Scatter(first, y=rows + [r + 0.42 for r in rows], meta="now", mode="markers+text",
                      textposition="middle right", hoverinfo="skip", showlegend=False, cliponaxis=False,
                      marker=dict(ring, size=[big + 10] * n + [0] * n),
                      textfont=dict(size=round(size * 1.1),
                                    color=[INK] * n + [cell_color(k) for k in kinds]))


def _time_axis(T):
    """Steps 1..T with room at both ends for the ring; ticks at 1 and at round steps."""
    dtick = nice_dtick(T, 12)
    return dict(title="time step t  (the backward pass runs right to left)", showgrid=False,
                zeroline=False, range=[0.5 - 0.025 * T, T + 0.5 + 0.025 * T],
                tickvals=sorted({1, *range(dtick, T + 1, dtick)}))


def backward_animation(flows, *, large=False):
    """The backward pass from step T to step 1: one row of circles per cell, one frame per step shown."""
    kinds = ordered(flows)
    n, T = len(kinds), len(flows[kinds[0]].dh_norm)
    size = font_size(large)
    height = (95 if large else 85) * n + (300 if large else 260)
    circles = frame_steps(T, MAX_CIRCLES)  # 0-based steps drawn as circles
    steps = frame_steps(T, MAX_FRAMES)[::-1]  # 0-based steps with a frame, last step first
    norms = np.stack([flows[k].dh_norm[steps] for k in kinds], axis=1)  # (frames, n)
    frames = [_frame(kinds, circles, s, v, w) for s, v, w in zip(steps, norms, sci_array(norms))]
    m = color_range(max(log_extent(flows[k].dh_norm) for k in kinds))
    slots, chain, big = _chain(flows, kinds, circles, m)
    chain.selectedpoints = frames[0][0]["selectedpoints"]
    fig = go.Figure([slots, chain, _now(frames[0][1], kinds, big, size)])
    fig.frames = [dict(name=str(s + 1), data=data, traces=[1, 2]) for s, data in zip(steps, frames)]
    fig.update_layout(
        meta=dict(kinds=kinds), showlegend=False,
        coloraxis=dict(colorscale=DIVERGING, cmin=-m, cmax=m,
                       colorbar=log_colorbar(m, "‖∂L/∂h_t‖", size, len=0.9)),
        xaxis=_time_axis(T),
        yaxis=dict(range=[-0.55, n - 0.3], visible=False, fixedrange=True))
    fig = style(fig, "The backward pass, step by step",
                "right to left, like the slider: step T → step 1; size and colour = ‖∂L/∂h_t‖, "
                "★ = overflowed, grey = not reached yet", large, height)
    top, bottom = fig.layout.margin.t, round(size * 9.5)
    menus, sliders = play_controls([str(s + 1) for s in steps[::-1]], size,  # in time order, like the x axis
                                   y=-size * 4 / (height - top - bottom), prefix="step t = ",
                                   frame_ms=FRAME_MS, transition_ms=0)
    sliders[0]["active"] = len(steps) - 1  # the thumb starts at the right, on step T, the first frame
    fig.update_layout(updatemenus=menus, sliders=sliders, margin_b=bottom)
    return fig


def frame_values(fig, k):
    """What frame k shows: "t" its step; "now" the ring's step on each row; per kind, "readout" the
    exact ||dL/dh_t|| written above its row, "shown" the steps whose circles are coloured and
    "norms" the exact values those circles encode."""
    frame = fig.frames[k]
    kinds = fig.layout.meta["kinds"]
    n, chain = len(kinds), fig.data[1]
    on, now = (dict(zip(frame.traces, frame.data))[i] for i in (1, 2))
    shown = np.zeros(len(chain.x), bool)
    shown[list(on.selectedpoints)] = True
    shown = shown.reshape(n, -1)
    x = np.asarray(chain.x).reshape(n, -1)
    norms = np.asarray(chain.customdata, dtype=float).reshape(n, -1)
    return {"t": int(frame.name), "now": list(now.x[:n]),
            "readout": dict(zip(kinds, now.customdata[n:])),
            "shown": {k: x[i][shown[i]] for i, k in enumerate(kinds)},
            "norms": {k: norms[i][shown[i]] for i, k in enumerate(kinds)}}
