"""The conveyor belt, animated in the browser with Plotly frames (no server loop).

Left: the four gates of every unit at the current step as bars. Right: C_t (solid) and h_t
(dashed) growing step by step, with a marker at the current step. The lines are drawn whole once
and a white curtain over the steps not reached yet slides right frame by frame, so a frame
carries only O(H) numbers. Axis ranges are fixed so nothing jumps; long sequences are
subsampled to at most MAX_FRAMES frames.
"""
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui.cell.time_figures import STATE_STYLES, sequence_shape, state_line_traces
from ui.common.animation import frame_steps, play_controls
from ui.common.palette import GATE_COLORS, GATE_NAMES, INK, unit_color
from ui.common.style import font_size, integer_axis, style

MAX_FRAMES = 120
FRAME_MS = 300  # time on each frame while playing
TRANSITION_MS = 120  # bars and the curtain glide between frames
BAR_GATES = ("f", "i", "o", "c_tilde")  # the three sigmoid gates, then the tanh candidate


def state_range(trace, units):
    """(lo, hi) of the state axis: the shown units' C_t and h_t, at least −1..1, with a margin."""
    states = np.concatenate([trace.c[:, units].ravel(), trace.h[:, units].ravel(), [-1.0, 1.0]])
    lo, hi = float(np.min(states)), float(np.max(states))
    pad = 0.08 * (hi - lo)
    return lo - pad, hi + pad


def _frame_traces(trace, s, units, lo, hi):
    """What changes at step s, in fig.data order after the lines: gate bars, curtain, markers.

    Plain dicts of lists: Plotly validates a frame once, when it is set on the figure.
    """
    T, H = trace.c.shape
    bars = [dict(type="bar", x=list(range(1, H + 1)), y=getattr(trace, k)[s].tolist()) for k in BAR_GATES]
    edge = s + 1.0  # the curtain starts at time step t = s + 1, under that step's markers
    curtain = dict(type="scatter", x=[edge, T + 0.5, T + 0.5, edge, edge], y=[lo, lo, hi, hi, lo])
    now = [dict(type="scatter", x=[s + 1] * len(units), y=getattr(trace, k)[s, units].tolist())
           for k, _, _ in STATE_STYLES]
    return bars + [curtain] + now


def _base_traces(trace, units):
    """Styled traces at the first step; `meta` names each trace's role for `frame_values`."""
    first = [go.Bar(d) if d["type"] == "bar" else go.Scatter(d)
             for d in _frame_traces(trace, 0, units, *state_range(trace, units))]
    bars, curtain, now = first[:4], first[4], first[5:]
    for tr, k in zip(bars, BAR_GATES):
        tr.update(name=GATE_NAMES[k], marker_color=GATE_COLORS[k], meta=f"bar {k}", xaxis="x", yaxis="y",
                  legend="legend",
                  hovertemplate=f"unit %{{x}}<br>{GATE_NAMES[k]} = %{{y:.4f}}<extra></extra>")
    curtain.update(meta="curtain", mode="lines", fill="toself", fillcolor="white", line_width=0,
                   hoverinfo="skip", showlegend=False, xaxis="x2", yaxis="y2")
    for tr, (k, _, word) in zip(now, STATE_STYLES):
        tr.update(meta=f"now {k}", mode="markers", showlegend=False, xaxis="x2", yaxis="y2",
                  marker=dict(color=[unit_color(u) for u in units], size=15, symbol="circle" if k == "c"
                              else "diamond", line=dict(color=INK, width=2)),
                  hovertemplate=f"now: t = %{{x}}<br>{word} = %{{y:.4f}}<extra></extra>")
    lines = [tr.update(legend="legend2", xaxis="x2", yaxis="y2") for tr in state_line_traces(trace, units)]
    return bars, lines, [curtain] + now


def _axes(fig, trace, units):
    """Fixed ranges: unit × −1..1 for the bars, 1..T × the states' extent for the lines."""
    T, H = trace.c.shape
    fig.update_xaxes(integer_axis(H, "unit", max_ticks=8), row=1, col=1)
    fig.update_yaxes(range=[-1.08, 1.08], tickvals=[-1, -0.5, 0, 0.5, 1], title_text="gate value",
                     row=1, col=1)
    fig.update_xaxes(integer_axis(T, "time step t", max_ticks=10), row=1, col=2)
    fig.update_yaxes(range=state_range(trace, units), title_text="state value", row=1, col=2)
    fig.add_hline(y=0, line=dict(color=INK, width=1), row="all", col="all")


def _legends(size):
    """Two legends on the right: the gates' colours, then the units' colours."""
    font = dict(size=size)
    return dict(legend=dict(title=dict(text="gates at step t", font=font), font=font, x=1.02, y=1,
                            yanchor="top"),
                legend2=dict(title=dict(text="units<br>C_t solid<br>h_t dashed", font=font), font=font,
                             x=1.02, y=0.45, yanchor="top", tracegroupgap=2))


def conveyor_animation(trace, unit=None, large=False):
    """Gate bars and the growing C_t / h_t lines, one frame per step (subsampled past MAX_FRAMES)."""
    T, H = sequence_shape(trace)
    if unit is not None and not 0 <= unit < H:
        raise ValueError(f"unit must be in 0..{H - 1} or None for all, got {unit}")
    units = list(range(H)) if unit is None else [unit]
    size, height = font_size(large), 660 if large else 600
    fig = make_subplots(rows=1, cols=2, column_widths=[0.36, 0.64], horizontal_spacing=0.09,
                        subplot_titles=["gates at the current step", "C_t (solid) and h_t (dashed) so far"])
    bars, lines, moving = _base_traces(trace, units)
    fig.add_traces(bars + lines + moving)  # the curtain is drawn over the lines, the markers over it
    changing = list(range(len(bars))) + list(range(len(bars) + len(lines), len(fig.data)))
    names = [str(s + 1) for s in frame_steps(T, MAX_FRAMES)]
    box = state_range(trace, units)
    fig.frames = [dict(name=n, data=_frame_traces(trace, int(n) - 1, units, *box), traces=changing)
                  for n in names]
    _axes(fig, trace, units)
    fig.update_layout(barmode="group", bargap=0.2, **_legends(size))
    style(fig, "The conveyor belt, step by step",
          "gates f_t, i_t, o_t in 0..1 and candidate C̃_t in −1..1 decide what C_t keeps and writes; "
          "press Play", large, height)
    top, bottom = fig.layout.margin.t, round(size * 9.5)
    menus, sliders = play_controls(names, size, y=-size * 4 / (height - top - bottom), frame_ms=FRAME_MS,
                                   transition_ms=TRANSITION_MS)
    fig.update_layout(updatemenus=menus, sliders=sliders, margin_b=bottom)
    return fig


def frame_values(fig, k):
    """What frame k shows: its time step t, gate bars {f,i,o,g} over units, C_t and h_t markers
    ("c_now", "h_now" over the shown units) and "revealed": the last time step left uncovered."""
    frame = fig.frames[k]
    out = {"t": int(frame.name)}
    for index, data in zip(frame.traces, frame.data):
        role, _, key = fig.data[index].meta.partition(" ")
        if role == "bar":
            out[key] = np.asarray(data.y)
        elif role == "now":
            out[f"{key}_now"] = np.asarray(data.y)
        else:
            out["revealed"] = int(np.floor(min(data.x)))
    return out
