"""Figures for the "Vanishing & exploding gradients" page: exact BPTT, cell against cell.

Pure functions: `flows` (a dict kind -> lstm_core.flow.GradientFlow, any subset of flow.KINDS,
all on the same input) in, a Plotly figure out. Time runs along x as "time step t" = 1..T
(row s = t - 1 of the flow's arrays). Heatmaps are unit × time: z[u][s] = log10 |dh[s, u]|.
Overflow (inf or NaN) and underflow (exactly 0) are drawn and labelled, never dropped silently.
"""
import numpy as np
import plotly.graph_objects as go
from plotly.colors import get_colorscale

from lstm_core.flow import (EXPLODED, KINDS, carry_products, clipped_update, last_step_overflowed,
                            rnn_step_factors)

from .palette import DIVERGING, font_size
from .time_figures import INK, integer_axis, nice_dtick, style

CELL_COLORS = {"rnn_sigmoid": "#EE7733", "rnn_tanh": "#EE3377", "lstm": "#0077BB",
               "gru": "#009988"}  # Paul Tol's "vibrant" set: warm for plain RNNs, cool for gated cells
CELL_NAMES = {"rnn_sigmoid": "sigmoid RNN", "rnn_tanh": "tanh RNN", "lstm": "LSTM", "gru": "GRU"}
FLOOR = 5e-324  # an underflowed 0 is drawn here, at the smallest positive float: a log axis has no 0
GRID = "#E5E5E5"
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
DH = "‖∂L/∂h_t‖"
DC = "‖∂L/∂C_t‖"
LEGEND_ROOM = 2.5  # extra top margin for a legend row, in font sizes


def ordered(flows):
    """The flows' kinds in KINDS order; refuses no flows, unknown kinds and unequal lengths."""
    unknown = set(flows) - set(KINDS)
    if unknown or not flows:
        raise ValueError(f"flows must map some of {KINDS} to GradientFlows, got {sorted(flows)}")
    kinds = [k for k in KINDS if k in flows]
    if len({len(flows[k].dh_norm) for k in kinds}) > 1:
        raise ValueError("every flow must run on the same input: their lengths T differ")
    return kinds


def sci(value):
    """A number for reading aloud: 0.0806, 27.3, 1.31 × 10¹⁷⁶; ∞ and 0 say what happened."""
    value = float(value)
    if not np.isfinite(value):
        return "∞ (overflowed)"
    if value == 0:
        return "0 (underflowed)"
    if 1e-3 <= abs(value) < 1e4:
        return f"{value:.3g}"
    mantissa, exponent = f"{value:.2e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPT)}"


def log_extent(values):
    """Largest |log10| over the finite, non-zero values: the half-width of the shared colour range."""
    with np.errstate(divide="ignore"):
        logs = np.log10(np.abs(values))
    finite = logs[np.isfinite(logs)]
    return max(1.0, float(np.abs(finite).max())) if finite.size else 1.0


def scale_ends():
    """The diverging scale's bottom and top colours: underflowed to 0, overflowed to ∞."""
    scale = get_colorscale(DIVERGING)
    return scale[0][1], scale[-1][1]


def log_range(values, must_show=()):
    """A fixed log-axis range (in decades) over the positive finite values and `must_show`."""
    v = np.concatenate([np.ravel(values), list(must_show)])
    v = np.log10(v[np.isfinite(v) & (v > 0)])
    lo, hi = float(v.min()), float(v.max())
    pad = max(0.3, 0.05 * (hi - lo))
    return [lo - pad, hi + pad]


def _power(k):
    """10 to the integer k, written for a reader: 0.01, 1, 100, 10⁵."""
    return f"{10.0 ** k:g}" if -2 <= k <= 3 else "10" + str(k).translate(SUPERSCRIPT)


def log_axis(lo, hi, max_ticks=7):
    """A log axis over decades lo..hi: ticks at 1, 2, 5 × 10^k when narrow, every few powers when wide."""
    if hi - lo <= 3:
        vals = [(m, k) for k in range(int(np.floor(lo)), int(np.ceil(hi)) + 1) for m in (1, 2, 5)
                if lo <= k + np.log10(m) <= hi]
        text = [_power(k) if m == 1 else (f"{m * 10.0 ** k:g}" if -2 <= k <= 3 else f"{m}·{_power(k)}")
                for m, k in vals]
        return dict(type="log", range=[lo, hi], tickvals=[m * 10.0 ** k for m, k in vals], ticktext=text,
                    tickformat="~g")  # a tickformat keeps 2 and 5 at full size
    return dict(type="log", range=[lo, hi], tick0=0, dtick=nice_dtick(hi - lo, max_ticks),
                exponentformat="power")


def _prefix_end(where):
    """The last 1-based step where `where` (T,) holds, or None: overflow and underflow start at t = 1."""
    idx = np.flatnonzero(where)
    return int(idx[-1]) + 1 if idx.size else None


def _steps(t_last):
    return "step 1" if t_last == 1 else f"steps 1–{t_last}"


def _drawable(norms):
    """Norms for a log axis: non-finite -> NaN (a gap), exactly 0 -> FLOOR; hover text for each."""
    finite = np.isfinite(norms)
    y = np.where(finite, np.maximum(norms, FLOOR), np.nan)
    text = np.char.mod("%.3e", np.where(finite, norms, 0.0)).astype(object)
    text[finite & (norms == 0)] = "0 — underflowed (drawn at 5 × 10⁻³²⁴)"
    text[~finite] = "∞ — overflowed"
    return y, text


def _hline(y, text, yref="y", dash="dot", position="end", anchor="bottom"):
    """A labelled horizontal reference line across one subplot (a layout shape: no add_hline)."""
    return dict(type="line", xref="x domain", x0=0, x1=1, yref=yref, y0=y, y1=y,
                layer="below", line=dict(color=INK, width=2, dash=dash), name=text,
                label=dict(text=text, textposition=position, yanchor=anchor, font=dict(color=INK)))


def _norm_trace(kind, norms, dash="solid", name=None):
    """One line of a gradient norm per step on the log axis; hover gives the exact value."""
    y, text = _drawable(norms)
    name = name or CELL_NAMES[kind]
    return go.Scatter(x=np.arange(1, len(norms) + 1), y=y, text=text, name=name, meta=f"{kind} {dash}",
                      mode="lines+markers" if len(norms) <= 60 else "lines",
                      line=dict(color=CELL_COLORS[kind], width=3.5 if dash == "solid" else 3, dash=dash),
                      marker=dict(size=7), hovertemplate=f"{name}<br>t = %{{x}}: %{{text}}<extra></extra>")


def _note(kind, text, y, yanchor, size):
    """A label in the cell's colour at the left of the plot, on a white ground."""
    return dict(x=0.01, xref="x domain", y=y, yref="y domain", xanchor="left", yanchor=yanchor,
                showarrow=False, bgcolor="rgba(255,255,255,0.85)", text=f"{CELL_NAMES[kind]}: {text}",
                font=dict(color=CELL_COLORS[kind], size=size))


def _flow_marks(flows, kinds, size):
    """Per cell that overflowed: a band over steps 1..last overflowed step and a label at the top;
    per cell that underflowed to 0: a label at the bottom, by the floor its line runs along."""
    shapes, over, under = [], [], []
    for kind in kinds:
        norms = [n for n in (flows[kind].dh_norm, flows[kind].dc_norm) if n is not None]
        lasts = [s for s in map(last_step_overflowed, norms) if s is not None]
        if lasts:
            t_last = max(lasts) + 1  # the last overflowed time step, 1-based
            shapes.append(dict(type="rect", xref="x", x0=0.5, x1=t_last + 0.5, yref="y domain", y0=0, y1=1,
                               fillcolor=CELL_COLORS[kind], opacity=0.13, line_width=0, layer="below",
                               name=f"overflow {kind}"))
            over.append(_note(kind, f"overflowed to ∞ at {_steps(t_last)}", 0.98 - 0.09 * len(over), "top",
                              size))
        zero = _prefix_end(np.any([n == 0 for n in norms], axis=0))
        if zero:
            under.append(_note(kind, f"underflowed to exactly 0 at {_steps(zero)} (drawn at 5 × 10⁻³²⁴)",
                               0.07 + 0.09 * len(under), "bottom", size))
    return shapes, over + under


def norm_lines(flows, *, large=False):
    """||dL/dh_t|| per step on a log axis, one line per cell (and ||dL/dC_t|| dashed for the LSTM).

    Overflowed steps are gaps inside a shaded band; an exact 0 is drawn at FLOOR and says so.
    """
    kinds = ordered(flows)
    size, T = font_size(large), len(flows[kinds[0]].dh_norm)
    height = 560 if large else 500
    traces = [_norm_trace(k, flows[k].dh_norm) for k in kinds]
    if "lstm" in flows:
        traces.append(_norm_trace("lstm", flows["lstm"].dc_norm, "dash", f"LSTM cell path {DC}"))
    fig = go.Figure(traces)
    shapes, notes = _flow_marks(flows, kinds, size)
    shapes.append(_hline(EXPLODED, "exploded above 10⁶", position="start", anchor="top"))
    fig.update_layout(shapes=shapes, annotations=notes, legend=_top_legend(size, height), showlegend=True)
    fig.update_xaxes(integer_axis(T, "time step t", max_ticks=12), gridcolor=GRID)
    fig.update_yaxes(log_axis(*log_range(np.concatenate([tr.y for tr in traces]), [1.0, EXPLODED])),
                     title_text=f"{DH} (log scale)", gridcolor=GRID)
    return style(fig, "How much of the last step's gradient reaches step t",
                 "falling to the left: vanishing · rising: exploding · ‖∂L/∂h_T‖ = 1 at the last step",
                 large, height, top=round(LEGEND_ROOM * size))


def _top_legend(size, height):
    """A one-row legend under the subtitle, above the plot and any subplot titles."""
    return dict(orientation="h", yref="container", y=1 - 5.4 * size / height, yanchor="top", x=0,
                xanchor="left", font=dict(size=size))


def _unit_heatmap(kind, dh, y):
    """log10 |dL/dh_t| per unit and step, transposed to (H, T); non-finite and 0 are NaN here."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.log10(np.abs(dh)).T  # (H, T)
    z[~np.isfinite(z)] = np.nan
    T, H = dh.shape
    return go.Heatmap(z=z, x=np.arange(1, T + 1), y=np.arange(1, H + 1), coloraxis="coloraxis", yaxis=y,
                      name=CELL_NAMES[kind], meta=f"log {kind}", xgap=1 if T <= 40 else 0,
                      ygap=1 if H <= 8 else 0, hovertemplate=f"{CELL_NAMES[kind]}<br>t = %{{x}}, unit "
                      "%{y}<br>log₁₀ |∂L/∂h_t| = %{z:.2f}<extra></extra>")


def _mark_heatmap(kind, where, color, words, y):
    """A one-colour overlay on the cells where `where` (T, H) holds: overflowed or underflowed."""
    T, H = where.shape
    z = np.where(where.T, 1.0, np.nan)
    return go.Heatmap(z=z, x=np.arange(1, T + 1), y=np.arange(1, H + 1), showscale=False, yaxis=y,
                      colorscale=[[0, color], [1, color]], name=words, meta=f"{words.split()[0]} {kind}",
                      xgap=1 if T <= 40 else 0, ygap=1 if H <= 8 else 0,
                      hovertemplate=f"{CELL_NAMES[kind]}<br>t = %{{x}}, unit %{{y}}<br>{words}"
                                    "<extra></extra>")


def _stack(titles, height, size, top=0):
    """Layout of panels stacked in one column over one shared x axis, each titled at its top left.

    Returns the layout dict and the panels' y-axis names ("y", "y2", ...), top panel first.
    One layout dict instead of make_subplots keeps the build fast.
    """
    n = len(titles)
    plot_px = height - round(size * 6.5) - top - 20  # the figure less style()'s margins
    gap = min(0.3, 2.6 * size / plot_px)
    span = (1 - gap * (n - 1)) / n
    names = ["y" if r == 0 else f"y{r + 1}" for r in range(n)]
    layout = dict(annotations=[], xaxis=dict(anchor=names[-1], domain=[0, 1]))
    for r, (name, title) in enumerate(zip(names, titles)):
        top_edge = 1 - r * (span + gap)
        layout[name.replace("y", "yaxis")] = dict(domain=[max(0.0, top_edge - span), top_edge], anchor="x")
        layout["annotations"].append(dict(text=title, x=0, xref="paper", xanchor="left", y=top_edge,
                                          yref="paper", yanchor="bottom", showarrow=False))
    return layout, names


def _outline(y, t_last, words):
    """A dashed frame over steps 1..t_last of one heatmap panel, with what happened written inside."""
    return dict(type="rect", xref="x", x0=0.5, x1=t_last + 0.5, yref=f"{y} domain", y0=0, y1=1,
                line=dict(color="white", width=2, dash="dash"), name=words,
                label=dict(text=words, font=dict(color="white")))


def gradient_heatmaps(flows, *, large=False):
    """One unit × time heatmap per cell of log10 |dL/dh_t|, on one colour range shared by all cells.

    z of the "log" trace is log10 |grads.dh| transposed to (H, T), NaN where dh is not finite or 0;
    those cells are painted by overlays in the scale's top colour (overflow) or bottom colour (0).
    """
    kinds = ordered(flows)
    size = font_size(large)
    T, H = flows[kinds[0]].grads.dh.shape
    height = (130 if large else 110) * len(kinds) + (190 if large else 160)
    layout, names = _stack([CELL_NAMES[k] for k in kinds], height, size)
    low, high = scale_ends()
    traces, shapes = [], []
    for y, kind in zip(names, kinds):
        dh = flows[kind].grads.dh
        traces.append(_unit_heatmap(kind, dh, y))
        for where, color, words in ((~np.isfinite(dh), high, "overflowed to ∞"),
                                    (dh == 0, low, "underflowed to exactly 0")):
            t_last = _prefix_end(where.any(axis=1))
            if t_last:
                traces.append(_mark_heatmap(kind, where, color, words, y))
                shapes.append(_outline(y, t_last, words))
        layout[y.replace("y", "yaxis")].update(integer_axis(H, "unit", max_ticks=4), showgrid=False)
    m = max(log_extent(flows[k].grads.dh) for k in kinds)
    layout["xaxis"].update(integer_axis(T, "time step t", max_ticks=12), showgrid=False)
    layout.update(shapes=shapes, coloraxis=dict(colorscale=DIVERGING, cmin=-m, cmax=m, colorbar=dict(
        title=dict(text="log₁₀ |gradient|", side="right"), thickness=round(size * 1.2),
        tickfont=dict(size=size))))
    return style(go.Figure(traces, layout), "Where the gradient lives: every unit, every step",
                 "log₁₀ |∂L/∂h_t| per unit, one colour range for all cells: white = 1 (as at step T), "
                 "blue = smaller, red = larger", large, height)


def _mean_carry(gate):
    """Mean over units of carry_products(gate): what the additive path keeps from step t to T, (T,)."""
    return carry_products(gate).mean(axis=1)


def _factor_rows(kinds):
    """Which panels the chart needs: the RNNs' two, the gated cells' one."""
    rnns = [k for k in kinds if k.startswith("rnn")]
    gated = [k for k in kinds if k in ("lstm", "gru")]
    return (["gain", "deriv"] if rnns else []) + (["carry"] if gated else []), rnns, gated


FACTOR_TITLES = {
    "gain": "plain RNNs: the factor ‖diag(φ′(a_t)) · W_h‖₂ that each step back multiplies the gradient by",
    "deriv": "plain RNNs: the largest slope φ′(a_t) of the activation at each step",
    "carry": "gated cells: what the additive path keeps from step t to the end (mean over units)"}
CARRY_NAMES = {"lstm": "LSTM: ∏ f (forget gates after t)", "gru": "GRU: ∏ z (update gates after t)"}


def _factor_traces(flows, rnns, gated):
    """Lines per panel: the RNNs' step gains and slopes, the gated cells' carry products."""
    t = np.arange(1, len(flows[(rnns + gated)[0]].dh_norm) + 1)
    mode = "lines+markers" if len(t) <= 60 else "lines"
    out = {"gain": [], "deriv": [], "carry": []}
    for kind in rnns:
        deriv, gains = rnn_step_factors(flows[kind].params, flows[kind].trace)
        line = dict(color=CELL_COLORS[kind], width=3)
        for key, y, show in (("gain", gains, True), ("deriv", deriv, False)):
            out[key].append(go.Scatter(
                x=t, y=y, name=CELL_NAMES[kind], meta=f"{key} {kind}", mode=mode, line=line,
                legendgroup=kind, showlegend=show, marker_size=7,
                hovertemplate=f"{CELL_NAMES[kind]}<br>t = %{{x}}: %{{y:.4g}}<extra></extra>"))
    for kind in gated:
        gate = flows[kind].trace.f if kind == "lstm" else flows[kind].trace.z
        y, text = _drawable(_mean_carry(gate))
        out["carry"].append(go.Scatter(
            x=t, y=y, text=text, name=CARRY_NAMES[kind], meta=f"carry {kind}", mode=mode, marker_size=7,
            line=dict(color=CELL_COLORS[kind], width=3),
            hovertemplate=f"{CARRY_NAMES[kind]}<br>t = %{{x}}: %{{text}}<extra></extra>"))
    return out


def _factor_axis(key, ys, y):
    """The y axis of one panel and its labelled reference lines."""
    if key == "gain":
        return (dict(log_axis(*log_range(ys, [1.0]), max_ticks=4), title="gain per step"),
                [_hline(1, "gain 1: neither vanishes nor explodes", y, "dash", "start")])
    if key == "deriv":
        return (dict(range=[0, 1.15], tickvals=[0, 0.25, 0.5, 0.75, 1], title="slope φ′"),
                [_hline(0.25, "sigmoid's φ′ ≤ 0.25", y, position="start"),
                 _hline(1, "tanh's φ′ ≤ 1", y, position="start")])
    return (dict(log_axis(*log_range(ys, [1.0]), max_ticks=4), title="kept to the end"),
            [_hline(1, "1: nothing lost", y, "dash", "start", anchor="top")])


def factor_chart(flows, *, large=False):
    """Why it happens: the RNNs' per-step gain and slope φ′, the gated cells' product of carry gates."""
    kinds = ordered(flows)
    size = font_size(large)
    rows, rnns, gated = _factor_rows(kinds)
    T = len(flows[kinds[0]].dh_norm)
    height = (165 if large else 150) * len(rows) + (215 if large else 175)
    layout, names = _stack([FACTOR_TITLES[r] for r in rows], height, size, top=round(LEGEND_ROOM * size))
    panels = _factor_traces(flows, rnns, gated)
    traces, shapes = [], []
    for y, key in zip(names, rows):
        traces += [tr.update(yaxis=y) for tr in panels[key]]
        axis, lines = _factor_axis(key, np.concatenate([tr.y for tr in panels[key]]), y)
        layout[y.replace("y", "yaxis")].update(axis, gridcolor=GRID)
        shapes += lines
    layout["xaxis"].update(integer_axis(T, "time step t", max_ticks=12), gridcolor=GRID)
    layout.update(shapes=shapes, legend=_top_legend(size, height), showlegend=True)
    return style(go.Figure(traces, layout), "Why it happens: the factors the backward pass multiplies",
                 "a plain RNN's step back multiplies the gradient by at most its gain (a bound, not "
                 "the exact factor); a gated cell's additive path multiplies it by its gate",
                 large, height, top=round(LEGEND_ROOM * size))


def clipping_numbers(flows, max_norm, lr=0.1):
    """Per kind, (step size without clipping, with clipping): the norms of -lr * gradient."""
    return {k: clipped_update(flows[k], max_norm, lr) for k in ordered(flows)}


def _special_marks(x, v, shown, lo, hi, size):
    """Markers for updates a log axis cannot draw: ∞ or NaN at the top, a dropped 0 at the bottom."""
    odd = np.flatnonzero(~shown)
    top = ~(v[odd] == 0)  # overflow (inf or NaN) is drawn at the top, a dropped update at the bottom
    return go.Scatter(
        x=[[x[0][i] for i in odd], [x[1][i] for i in odd]], meta="special", customdata=v[odd],
        y=np.where(top, 10 ** (hi - 0.06 * (hi - lo)), 10 ** (lo + 0.06 * (hi - lo))),
        mode="markers+text", text=np.where(top, "∞ overflowed", "0: update dropped").tolist(),
        textposition=np.where(top, "bottom center", "top center").tolist(), cliponaxis=False,
        marker=dict(symbol=np.where(top, "triangle-up", "x").tolist(), size=round(size * 1.5), color=INK),
        textfont=dict(size=size, color=INK), showlegend=False,
        hovertemplate="%{x[0]}, %{x[1]}: %{text}<extra></extra>")


def clipping_chart(flows, max_norm, lr=0.1, *, large=False):
    """Bars per cell of the weight update's size without and with clipping, on a log axis.

    The "bars" trace holds the numbers of clipping_numbers (NaN where a log axis cannot draw them);
    an overflowed update (∞ or NaN) and an update clipping dropped to 0 are labelled markers.
    """
    numbers = clipping_numbers(flows, max_norm, lr)
    size = font_size(large)
    kinds = list(numbers)
    cap = None if max_norm is None else lr * max_norm
    x = [[CELL_NAMES[k] for k in kinds for _ in (0, 1)],
         ["no clipping", "clipped" if cap else "no clip set"] * len(kinds)]
    v = np.array([n for k in kinds for n in numbers[k]], dtype=float)  # raw, clipped, raw, clipped, ...
    shown = np.isfinite(v) & (v > 0)
    lo, hi = log_range(v[shown] if shown.any() else [1.0], [] if cap is None else [cap])
    lo, hi = lo - 0.12 * (hi - lo), hi + 0.12 * (hi - lo)  # room for the value labels and markers
    if np.any(v == 0):
        lo -= 0.15 * (hi - lo)  # room under the bars for "0: update dropped"
    colors = [CELL_COLORS[k] for k in kinds for _ in (0, 1)]
    fig = go.Figure(go.Bar(
        x=x, y=np.where(shown, v, np.nan), meta="bars", text=[sci(n) for n in v], customdata=v,
        texttemplate=[sci(n) if ok else "" for n, ok in zip(v, shown)], textposition="outside",
        cliponaxis=False, constraintext="none", textfont=dict(size=size),
        marker=dict(color=colors, line=dict(color=colors, width=2),
                    pattern=dict(shape=["/", ""] * len(kinds), fgcolor="white", solidity=0.35)),
        hovertemplate="%{x[0]}, %{x[1]}<br>step size = %{text}<extra></extra>"))
    if not shown.all():
        fig.add_trace(_special_marks(x, v, shown, lo, hi, size))
    notes = [] if cap is None else [dict(
        x=1, xref="paper", xanchor="left", y=np.log10(cap), yref="y", showarrow=False, align="left",
        text=f"the cap<br>lr × max norm<br>= {sci(cap)}", font=dict(size=size))]  # log axis: log10 y
    fig.update_layout(shapes=[] if cap is None else [_hline(cap, "", dash="dash")], annotations=notes,
                      showlegend=False, bargap=0.3)
    fig.update_xaxes(tickfont=dict(size=size))
    fig.update_yaxes(log_axis(lo, hi), gridcolor=GRID, title_text="size of the weight update ‖lr · ∂L/∂W‖")
    subtitle = f"one SGD step with learning rate lr = {lr:g}; " + (
        f"clipping rescales the whole gradient to norm ≤ {max_norm:g}, keeping its direction"
        if cap else "clipping is off")
    fig = style(fig, "What clipping does to the update the weights would receive", subtitle, large,
                540 if large else 480)
    fig.update_layout(margin_r=round(size * 9))
    return fig
