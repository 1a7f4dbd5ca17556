"""Figures for the "Vanishing & exploding gradients" page: exact BPTT, cell against cell.

Pure functions: `flows` (a dict kind -> lstm_core.flow.GradientFlow, any subset of flow.KINDS,
all on the same input) in, a Plotly figure out. Time runs along x as "time step t" = 1..T
(row s = t - 1 of the flow's arrays). Heatmaps are unit × time: z[u][s] = log10 |dh[s, u]|.
Overflow (inf or NaN) and underflow (exactly 0) are drawn and labelled, never dropped silently.
"""
import numpy as np
import plotly.graph_objects as go

from lstm_core.cells import name as cell_name
from lstm_core.flow import (KINDS, VANISHED, carry_products, clipped_update, last_step_overflowed,
                            rnn_step_factors)

from ui.common.palette import CELL_PATH_COLOR, DIVERGING, GRID, INK, cell_color
from ui.common.style import LEGEND_ROOM, NOTE_ROOM, font_size, integer_axis, plot_px, style, top_legend
from ui.gradients.axes import (COLOR_DECADES, EXPLODED, FLOOR, bar_axis, color_range, drawable, exploded_marks,
                               hline, labelled_hline, log_axis, log_colorbar, log_extent, log_range,
                               mark_heatmap, norm_range, outline, power, prefix_end, scale_ends, sci, sci_array,
                               special_marks, stack, steps_words, vanished_line, with_tick)
DH = "‖∂L/∂h_t‖"
DC = "‖∂L/∂C_t‖"


def ordered(flows):
    """The flows' kinds in KINDS order; refuses no flows, unknown kinds and unequal lengths."""
    unknown = set(flows) - set(KINDS)
    if unknown or not flows:
        raise ValueError(f"flows must map some of {KINDS} to GradientFlows, got {sorted(flows)}")
    kinds = [k for k in KINDS if k in flows]
    if len({len(flows[k].dh_norm) for k in kinds}) > 1:
        raise ValueError("every flow must run on the same input: their lengths T differ")
    return kinds


def _norm_trace(kind, norms, dash="solid", name=None, color=None):
    """One line of a gradient norm per step on the log axis; hover gives the exact value."""
    y, text = drawable(norms)
    name = name or cell_name(kind)
    return go.Scatter(x=np.arange(1, len(norms) + 1), y=y, text=text, name=name, meta=f"{kind} {dash}",
                      mode="lines+markers" if len(norms) <= 60 else "lines",
                      line=dict(color=color or cell_color(kind), width=3.5, dash=dash),
                      marker=dict(size=7 if dash == "solid" else 5),
                      hovertemplate=f"{name}<br>t = %{{x}}: %{{text}}<extra></extra>")


def _note(kind, text, y, yanchor, size):
    """A label in the cell's colour at the left of the plot, in a strip kept free of data."""
    return dict(x=0.01, xref="x domain", y=y, yref="y domain", xanchor="left", yanchor=yanchor,
                showarrow=False, text=f"{cell_name(kind)}: {text}", font=dict(color=cell_color(kind),
                                                                                size=size))


def _flow_marks(flows, kinds):
    """Per cell that overflowed: a band over steps 1..last overflowed step and its words; per cell
    that underflowed to 0: its words. Returns the bands and the words for the top and the bottom."""
    shapes, over, under = [], [], []
    for kind in kinds:
        norms = [n for n in (flows[kind].dh_norm, flows[kind].dc_norm) if n is not None]
        lasts = [s for s in map(last_step_overflowed, norms) if s is not None]
        if lasts:
            t_last = max(lasts) + 1  # the last overflowed time step, 1-based
            shapes.append(dict(type="rect", xref="x", x0=0.5, x1=t_last + 0.5, yref="y domain", y0=0, y1=1,
                               fillcolor=cell_color(kind), opacity=0.13, line_width=0, layer="below",
                               name=f"overflow {kind}"))
            over.append((kind, f"overflowed to ∞ at {steps_words(t_last)}"))
        zero = prefix_end(np.any([n == 0 for n in norms], axis=0))
        if zero:
            under.append((kind, f"underflowed to exactly 0 at {steps_words(zero)} (drawn at {sci(FLOOR)})"))
    return shapes, over, under


def norm_lines(flows, *, large=False):
    """||dL/dh_t|| per step on a log axis, one line per cell (and ||dL/dC_t|| dashed for the LSTM).

    Overflowed steps are gaps inside a shaded band; an exact 0 is drawn at FLOOR and says so.
    Notes sit in strips above and below the data, so they cover no line.
    """
    kinds = ordered(flows)
    size, T = font_size(large), len(flows[kinds[0]].dh_norm)
    height, top = (560 if large else 500), round(LEGEND_ROOM * size)
    traces = [_norm_trace(k, flows[k].dh_norm) for k in kinds]
    if "lstm" in flows:  # drawn last, on top of the LSTM's h line, in a lighter blue
        traces.append(_norm_trace("lstm", flows["lstm"].dc_norm, "dash", f"LSTM cell path {DC}",
                                  CELL_PATH_COLOR))
    shapes, over, under = _flow_marks(flows, kinds)
    line = NOTE_ROOM * size / plot_px(height, size, top)  # one note's height, as a fraction of the axis
    lo, hi = norm_range(np.concatenate([tr.y for tr in traces]), len(over), len(under), line)
    notes = ([_note(k, text, 1 - 0.01 - i * line, "top", size) for i, (k, text) in enumerate(over)]
             + [_note(k, text, 0.01 + i * line, "bottom", size) for i, (k, text) in enumerate(under)])
    fig = go.Figure(traces)
    ys = [tr.y for tr in traces]
    fig.update_layout(shapes=shapes + exploded_marks(ys, lo, hi, line) + [vanished_line(ys, lo, hi, line)],
                      annotations=notes, legend=top_legend(size, height), showlegend=True)
    fig.update_xaxes(integer_axis(T, "time step t", max_ticks=12), gridcolor=GRID)
    fig.update_yaxes(with_tick(log_axis(lo, hi), EXPLODED, power(6, html=True), gap=0.05), gridcolor=GRID,
                     title_text=f"{DH} (log scale)")  # where 1 and 10⁶ share a tick's place, 10⁶ wins
    return style(fig, "How much of the last step's gradient reaches step t",
                 "falling to the left: vanishing · rising: exploding · ‖∂L/∂h_T‖ = 1 at the last step",
                 large, height, top=top)


def _unit_heatmap(kind, dh, y):
    """log10 |dL/dh_t| per unit and step, transposed to (H, T); non-finite and 0 are NaN here."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.log10(np.abs(dh)).T  # (H, T)
    z[~np.isfinite(z)] = np.nan
    T, H = dh.shape
    return go.Heatmap(z=z, x=np.arange(1, T + 1), y=np.arange(1, H + 1), coloraxis="coloraxis", yaxis=y,
                      name=cell_name(kind), meta=f"log {kind}", xgap=1 if T <= 40 else 0,
                      ygap=1 if H <= 8 else 0, text=sci_array(np.abs(dh)).T,  # exact, past the colours' end
                      hovertemplate=f"{cell_name(kind)}<br>t = %{{x}}, unit %{{y}}<br>|∂L/∂h_t| = "
                                    "%{text}<extra></extra>")


def gradient_heatmaps(flows, *, large=False):
    """One unit × time heatmap per cell of log10 |dL/dh_t|, on one colour range shared by all cells.

    z of the "log" trace is log10 |grads.dh| transposed to (H, T), NaN where dh is not finite or 0;
    those cells are painted by overlays in the scale's top colour (overflow) or bottom colour (0).
    """
    kinds = ordered(flows)
    size = font_size(large)
    T, H = flows[kinds[0]].grads.dh.shape
    height = (130 if large else 110) * len(kinds) + (190 if large else 160)
    layout, names = stack([cell_name(k) for k in kinds], height, size)
    low, high = scale_ends()
    traces, shapes = [], []
    for y, kind in zip(names, kinds):
        dh = flows[kind].grads.dh
        traces.append(_unit_heatmap(kind, dh, y))
        for where, color, words in ((~np.isfinite(dh), high, "overflowed to ∞"),
                                    (dh == 0, low, "underflowed to exactly 0")):
            t_last = prefix_end(where.any(axis=1))
            if t_last:
                traces.append(mark_heatmap(kind, cell_name(kind), where, color, words, y))
                shapes.append(outline(y, t_last, words))
        layout[y.replace("y", "yaxis")].update(integer_axis(H, "unit", max_ticks=4), showgrid=False)
    m = color_range(max(log_extent(flows[k].grads.dh) for k in kinds))
    layout["xaxis"].update(integer_axis(T, "time step t", max_ticks=12), showgrid=False)
    layout.update(shapes=shapes, coloraxis=dict(colorscale=DIVERGING, cmin=-m, cmax=m,
                                                colorbar=log_colorbar(m, "|∂L/∂h_t|", size)))
    return style(go.Figure(traces, layout), "Where the gradient lives: every unit, every step",
                 "|∂L/∂h_t| per unit on one log colour scale for all cells: white = 1 (as at step T), "
                 f"blue = smaller, red = larger{_saturation(m)}", large, height)


def _saturation(m):
    """What the subtitle says when the colour range stops short of the values: where it saturates."""
    ends = f"; colours stop at {power(-COLOR_DECADES)} and {power(COLOR_DECADES)}"
    return ends if m >= COLOR_DECADES else ""


def _mean_carry(gate):
    """Mean over units of carry_products(gate): what the additive path keeps from step t to T, (T,)."""
    return carry_products(gate).mean(axis=1)


def _factor_rows(kinds):
    """Which panels the chart needs: the RNNs' two, the gated cells' one."""
    rnns = [k for k in kinds if k.startswith("rnn")]
    gated = [k for k in kinds if k in ("lstm", "gru")]
    return (["gain", "deriv"] if rnns else []) + (["carry"] if gated else []), rnns, gated


FACTOR_TITLES = {
    "gain": "plain RNNs: the gain ‖diag(φ′(a_t)) · W_h‖₂, the most one step back can multiply by",
    "deriv": "plain RNNs: the largest slope φ′(a_t) at each step",
    "carry": "gated cells: what the additive path keeps from step t to T"}
CARRY_NAMES = {"lstm": "LSTM: ∏ f (forget gates after t)", "gru": "GRU: ∏ z (update gates after t)"}


def _factor_traces(flows, rnns, gated):
    """Lines per panel: the RNNs' step gains and slopes, the gated cells' carry products."""
    t = np.arange(1, len(flows[(rnns + gated)[0]].dh_norm) + 1)
    mode = "lines+markers" if len(t) <= 60 else "lines"
    out = {"gain": [], "deriv": [], "carry": []}
    for kind in rnns:
        deriv, gains = rnn_step_factors(flows[kind].params, flows[kind].trace)
        line = dict(color=cell_color(kind), width=3)
        for key, y, show in (("gain", gains, True), ("deriv", deriv, False)):
            out[key].append(go.Scatter(
                x=t, y=y, name=cell_name(kind), meta=f"{key} {kind}", mode=mode, line=line,
                legendgroup=kind, showlegend=show, marker_size=7, text=sci_array(y),
                hovertemplate=f"{cell_name(kind)}<br>t = %{{x}}: %{{text}}<extra></extra>"))
    for kind in gated:
        gate = flows[kind].trace.f if kind == "lstm" else flows[kind].trace.z
        y, text = drawable(_mean_carry(gate))
        out["carry"].append(go.Scatter(
            x=t, y=y, text=text, name=CARRY_NAMES[kind], meta=f"carry {kind}", mode=mode, marker_size=7,
            line=dict(color=cell_color(kind), width=3),
            hovertemplate=f"{CARRY_NAMES[kind]}<br>t = %{{x}}: %{{text}}<extra></extra>"))
    return out


def _factor_axis(key, ys, y):
    """The y axis of one panel and its labelled reference lines."""
    if key == "gain":
        return (dict(log_axis(*log_range(ys, [1.0]), max_ticks=4), title="gain per step"),
                [labelled_hline(1, "gain 1: at most ×1 a step back (an upper bound)", y, "dash")])
    if key == "deriv":
        return (dict(range=[0, 1.15], tickvals=[0, 0.25, 0.5, 0.75, 1], title="slope φ′"),
                [labelled_hline(0.25, "sigmoid's φ′ ≤ 0.25", y), labelled_hline(1, "tanh's φ′ ≤ 1", y)])
    return (dict(log_axis(*log_range(ys, [VANISHED, 1.0]), max_ticks=4), title="kept (mean of units)"),
            [labelled_hline(1, "1: nothing lost", y, "dash", anchor="top"),
             labelled_hline(VANISHED, f"{power(round(np.log10(VANISHED)))}: vanished below", y,
                            position="end", anchor="top")])  # right, under the line: "1: nothing lost" is left


def factor_chart(flows, *, large=False):
    """Why it happens: the RNNs' per-step gain and slope φ′, the gated cells' product of carry gates."""
    kinds = ordered(flows)
    size = font_size(large)
    rows, rnns, gated = _factor_rows(kinds)
    T = len(flows[kinds[0]].dh_norm)
    height = (165 if large else 150) * len(rows) + (215 if large else 175)
    layout, names = stack([FACTOR_TITLES[r] for r in rows], height, size, top=round(LEGEND_ROOM * size))
    panels = _factor_traces(flows, rnns, gated)
    traces, shapes = [], []
    for y, key in zip(names, rows):
        traces += [tr.update(yaxis=y) for tr in panels[key]]
        axis, lines = _factor_axis(key, np.concatenate([tr.y for tr in panels[key]]), y)
        layout[y.replace("y", "yaxis")].update(axis, gridcolor=GRID)
        shapes += lines
    layout["xaxis"].update(integer_axis(T, "time step t", max_ticks=12), gridcolor=GRID)
    layout.update(shapes=shapes, legend=top_legend(size, height), showlegend=True)
    return style(go.Figure(traces, layout), "Why it happens: the factors the backward pass multiplies",
                 "one step back multiplies an RNN's gradient by at most its gain; a gated cell's, by its gate",
                 large, height, top=round(LEGEND_ROOM * size))


def clipping_numbers(flows, max_norm, lr=0.1):
    """Per kind, (step size without clipping, with clipping): the norms of -lr * gradient."""
    return {k: clipped_update(flows[k], max_norm, lr) for k in ordered(flows)}


def _bars(x, names, v, shown, kinds, pairs, size):
    """The updates as bars in the cells' colours, hatched where unclipped; value labels on top."""
    colors = [cell_color(k) for k in kinds for _ in range(pairs)]
    return go.Bar(
        x=x, y=np.where(shown, v, np.nan), meta="bars", text=sci_array(v), customdata=v, hovertext=names,
        texttemplate=np.where(shown, sci_array(v), "").tolist(), textposition="outside", cliponaxis=False,
        constraintext="none", textfont=dict(size=size), marker=dict(
            color=colors, line=dict(color=colors, width=2),
            pattern=dict(shape=["/", ""][:pairs] * len(kinds) if pairs == 2 else "", fgcolor="white",
                         solidity=0.35)),
        hovertemplate="%{hovertext}<br>step size = %{text}<extra></extra>")


def clipping_chart(flows, max_norm, lr=0.1, *, large=False):
    """Bars per cell of the weight update's size without and with clipping, on a log axis.

    The "bars" trace holds the numbers of clipping_numbers (NaN where a log axis cannot draw them):
    both per cell, or with clipping off (max_norm None) the unclipped one only. An overflowed
    update (∞ or NaN) and an update clipping dropped to 0 are labelled markers.
    """
    numbers = clipping_numbers(flows, max_norm, lr)
    size, height = font_size(large), 540 if large else 480
    kinds, cap = list(numbers), None if max_norm is None else lr * max_norm
    pairs = 1 if cap is None else 2  # clipping off: one bar per cell, the update as it is
    v = np.array([n for k in kinds for n in numbers[k][:pairs]], dtype=float)  # raw, clipped, raw, ...
    x = ([cell_name(k) for k in kinds] if cap is None else
         [[cell_name(k) for k in kinds for _ in (0, 1)], ["no clipping", "clipped"] * len(kinds)])
    names = [cell_name(k) + ("" if cap is None else f", {w}") for k in kinds for w in
             ("no clipping", "clipped")[:pairs]]
    shown = np.isfinite(v) & (v > 0)
    line = NOTE_ROOM * size / plot_px(height, size)  # one line of text, as a fraction of the axis
    over, dropped = (~shown & (v != 0)).any(), (v == 0).any()  # a marker and its words: two lines
    fig = go.Figure(_bars(x, names, v, shown, kinds, pairs, size))
    if not shown.all():
        fig.add_trace(special_marks(x, names, v, shown, line, size, below=line * (cap is None)))
    notes = [dict(x=1, xref="paper", xanchor="left", y=np.log10(cap), yref="y", showarrow=False,
                  align="left", text=f"the cap<br>lr × max norm<br>= {sci(cap)}")] if cap else [
        dict(x=0.5, xref="x domain", y=1, yref="y domain", yanchor="top", showarrow=False,
             text="clipping is off: set a threshold to see what it does", font=dict(color=INK))]
    fig.update_layout(
        shapes=[] if cap is None else [hline(cap, "cap", dash="dash")], annotations=notes, showlegend=False,
        bargap=0.3, xaxis=dict(tickfont=dict(size=size)),
        yaxis=dict(bar_axis(v[shown], cap, line * (1 + (cap is None) + 2 * over), 2.2 * line * dropped),
                   gridcolor=GRID, title="weight update ‖lr · ∂L/∂W‖"),
        yaxis2=dict(range=[0, 1], overlaying="y", visible=False))  # the special marks' 0..1
    subtitle = f"one SGD step, lr = {lr:g}; " + (
        f"clipped: all gradients scaled together to global norm ≤ {max_norm:g}" if cap else "clipping is off")
    fig = style(fig, "What clipping does to the update the weights would receive", subtitle, large, height)
    return fig.update_layout(margin_r=round(size * 9)) if cap else fig
