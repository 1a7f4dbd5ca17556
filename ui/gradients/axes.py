"""Numbers, log axes, log colour ranges and panel layouts for the gradient figures, whose values
span hundreds of decades.

Pure helpers: numbers in, strings or Plotly dicts and traces out, including the marks for what a
log scale cannot draw (0 and ∞). A log axis's range, and an annotation's y on it, are in decades
(log10 of the value); a shape's y is the value itself.
"""
import numpy as np
import plotly.graph_objects as go
from plotly.colors import get_colorscale

from lstm_core.flow import EXPLODED, VANISHED

from ui.common.palette import DIVERGING, EXPLODED_ZONE, INK
from ui.common.style import nice_dtick, top_margin

FLOOR = 5e-324  # an underflowed 0 is drawn here, at the smallest positive float: a log axis has no 0
COLOR_DECADES = 20  # colour ranges stop at 10^±20: beyond, the colour saturates (hover keeps the value)
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_EXP = np.arange(-330, 331)  # every decimal exponent a float can have, and a little more
_POWERS = np.array([" × 10" + str(k).translate(SUPERSCRIPT) for k in _EXP], dtype=object)
_MANTISSAS = np.array([f"{m / 100:.2f}" for m in range(100, 1000)], dtype=object)
_PLAIN = np.array([[f"{m * 10.0 ** (e - 2):.3g}" for m in range(100, 1000)] for e in range(-3, 3)],
                  dtype=object)  # 0.00100 .. 999 written out: 3 significant digits, no exponent


def sci_array(values):
    """Numbers for reading aloud, element by element: 0.0806, 27.3, 1.31 × 10¹⁷⁶; ∞ and 0 say what
    happened. 3 significant digits; written out from 0.001 to 999. An object array of values' shape."""
    v = np.asarray(values, dtype=float)
    a = np.where(np.isfinite(v) & (v != 0), np.abs(v), 1.0)  # (…,) placeholders for ∞, NaN and 0
    e = np.floor(np.log10(a)).astype(int)  # decimal exponent
    k = 2 - e  # a × 10^k has three digits before the point; 10^k is an exact float for |k| <= 22
    up = np.minimum(k, 300)  # 10^k in two steps when k > 300: one float cannot hold 10^324
    m = np.where(k >= 0, a * 10.0 ** np.maximum(up, 0) * 10.0 ** (k - up), a / 10.0 ** np.maximum(-k, 0))
    m = np.rint(m).astype(int)  # the mantissa × 100, 100..1000
    e, m = np.where(m >= 1000, e + 1, e), np.where(m >= 1000, 100, np.clip(m, 100, 999))
    plain = (e >= -3) & (e <= 2)
    out = np.where(plain, _PLAIN[np.clip(e + 3, 0, 5), m - 100], _MANTISSAS[m - 100] + _POWERS[e + 330])
    out = np.where(v < 0, "−" + out, out).astype(object)
    out[v == 0] = "0 (underflowed)"
    out[~np.isfinite(v)] = "∞ (overflowed)"
    return out


def sci(value):
    """One number for reading aloud, as sci_array writes it: 0.0806, 1.31 × 10¹⁷⁶, ∞ (overflowed)."""
    return str(sci_array(value)[()])


def power(k, html=False):
    """10 to the integer k, written for a reader: 0.01, 1, 100, 10⁵ (10<sup>5</sup> for a tick label,
    where Plotly draws HTML superscripts larger than Unicode ones)."""
    if -2 <= k <= 3:
        return f"{10.0 ** k:g}"
    return f"10<sup>{str(k).replace('-', '−')}</sup>" if html else "10" + str(k).translate(SUPERSCRIPT)


def log_extent(values):
    """Largest |log10| over the finite, non-zero values (at least 1): how far from 1 they reach."""
    with np.errstate(divide="ignore"):
        logs = np.log10(np.abs(values))
    finite = logs[np.isfinite(logs)]
    return max(1.0, float(np.abs(finite).max())) if finite.size else 1.0


def color_range(extent):
    """Half-width in decades of a colour range centred on 1: the extent, at most COLOR_DECADES."""
    return min(float(extent), float(COLOR_DECADES))


def log_colorbar(m, title, size, **extra):
    """A colour bar over log10 values -m..m with ticks written as powers of ten (white = 1).

    When m is COLOR_DECADES the colours saturate at the ends, and the end ticks say ≤ and ≥.
    """
    step = nice_dtick(m, 3)
    ticks = list(range(-int(m // step) * step, int(m // step) * step + 1, step))
    text = [power(k, html=True) for k in ticks]
    if m >= COLOR_DECADES:
        text[0], text[-1] = f"≤ {text[0]}", f"≥ {text[-1]}"
    return dict(title=dict(text=title, side="right"), tickvals=ticks, ticktext=text,
                thickness=round(size * 1.2), tickfont=dict(size=size), **extra)


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


def with_room(lo, hi, top=0.0, bottom=0.0):
    """[lo, hi] widened so that the top and bottom fractions `top`, `bottom` of the axis hold no data."""
    span = (hi - lo) / (1 - top - bottom)
    return [lo - bottom * span, hi + top * span]


def log_axis(lo, hi, max_ticks=7):
    """A log axis over decades lo..hi: ticks at 1, 2, 5 × 10^k when narrow, every few powers when wide."""
    if hi - lo <= 3:
        vals = [(m, k) for k in range(int(np.floor(lo)), int(np.ceil(hi)) + 1) for m in (1, 2, 5)
                if lo <= k + np.log10(m) <= hi]
        text = [power(k, True) if m == 1 else f"{m * 10.0 ** k:g}" if -2 <= k <= 3
                else f"{m}·{power(k, True)}" for m, k in vals]
        return dict(type="log", range=[lo, hi], tickvals=[m * 10.0 ** k for m, k in vals], ticktext=text,
                    tickformat="~g")  # a tickformat keeps 2 and 5 at full size
    return dict(type="log", range=[lo, hi], tick0=0, dtick=nice_dtick(hi - lo, max_ticks),
                exponentformat="power")


def with_tick(axis, value, text, gap=0.06):
    """A log_axis dict with a tick at `value` written `text`; ticks within `gap` of the axis height
    of it are dropped, so the tick beside a reference line names that line's value."""
    lo, hi = axis["range"]
    if "tickvals" in axis:
        ticks = list(zip(axis["tickvals"], axis["ticktext"]))
    else:
        step = axis["dtick"]
        first = int(np.ceil(lo / step)) * step
        ticks = [(10.0 ** k, power(k, html=True)) for k in range(first, int(hi) + 1, step)]
    ticks = [(v, t) for v, t in ticks if abs(np.log10(v) - np.log10(value)) > gap * (hi - lo)]
    vals, texts = zip(*sorted(ticks + [(value, text)]))
    return {k: v for k, v in axis.items() if k not in ("dtick", "tick0", "exponentformat")} | dict(
        tickvals=list(vals), ticktext=list(texts))


def hline(y, name, yref="y", dash="dot"):
    """A horizontal reference line across one subplot at the value y (a layout shape: no add_hline)."""
    return dict(type="line", xref="x domain", x0=0, x1=1, yref=yref, y0=y, y1=y, layer="below",
                line=dict(color=INK, width=2, dash=dash), name=name)


def labelled_hline(y, text, yref="y", dash="dot", position="start", anchor="bottom"):
    """hline with its words written on it: by default at its left end, above the line."""
    return hline(y, text, yref, dash) | dict(
        label=dict(text=text, textposition=position, yanchor=anchor, font=dict(color=INK)))


def drawable(norms):
    """Norms for a log axis: non-finite -> NaN (a gap), exactly 0 -> FLOOR; hover text for each."""
    finite = np.isfinite(norms)
    y = np.where(finite, np.maximum(norms, FLOOR), np.nan)
    text = sci_array(norms)
    text[finite & (norms == 0)] = f"0 — underflowed (drawn at {sci(FLOOR)})"
    text[~finite] = "∞ — overflowed"
    return y, text


def stack(titles, height, size, top=0):
    """Layout of panels stacked in one column over one shared x axis, each titled at its top left.

    Returns the layout dict and the panels' y-axis names ("y", "y2", ...), top panel first.
    One layout dict instead of make_subplots keeps the build fast.
    """
    n = len(titles)
    px = height - top_margin(size) - top - 20  # the figure less style()'s margins
    gap = min(0.3, 2.6 * size / px)
    span = (1 - gap * (n - 1)) / n
    names = ["y" if r == 0 else f"y{r + 1}" for r in range(n)]
    layout = dict(annotations=[], xaxis=dict(anchor=names[-1], domain=[0, 1]))
    for r, (name, title) in enumerate(zip(names, titles)):
        top_edge = 1 - r * (span + gap)
        layout[name.replace("y", "yaxis")] = dict(domain=[max(0.0, top_edge - span), top_edge], anchor="x")
        layout["annotations"].append(dict(text=title, x=0, xref="paper", xanchor="left", y=top_edge,
                                          yref="paper", yanchor="bottom", showarrow=False))
    return layout, names


def prefix_end(where):
    """The last 1-based step where `where` (T,) holds, or None: overflow and underflow start at t = 1."""
    idx = np.flatnonzero(where)
    return int(idx[-1]) + 1 if idx.size else None


def steps_words(t_last):
    """Steps 1..t_last in words: "step 1" or "steps 1–12"."""
    return "step 1" if t_last == 1 else f"steps 1–{t_last}"


def norm_range(ys, n_over, n_under, line):
    """The y range of norm_lines: the drawn values and 10⁻³ to 10⁶, a strip of `line` (a fraction of
    the axis) per note above and below the data, and room for the 10⁶ line's label above it."""
    lo, hi = with_room(*log_range(ys, [VANISHED, 1.0, EXPLODED]), top=line * n_over, bottom=line * n_under)
    return lo, max(hi, (np.log10(EXPLODED) - line * lo) / (1 - line))  # 10⁶ at least `line` below the top


def crossed(ys, lo, hi, at, line, width=0.4):
    """(at the start, at the end): how much of the lines `ys` (arrays over x = 1..T) passes through a
    box `width` wide and `line` tall standing on the height `at` (axis fractions) of a log-y plot."""
    x = (np.arange(len(ys[0])) + 0.5) / len(ys[0])  # the steps' places across the plot
    grid = np.linspace(0, 1, 201)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = [np.log10(np.asarray(v, dtype=float)) for v in ys]
    y = np.array([np.interp(grid, x, (v - lo) / (hi - lo)) for v in logs])  # (lines, 201)
    inside = (y >= at) & (y <= at + line)  # inside the box's height
    return inside[:, grid <= width].sum(), inside[:, grid >= 1 - width].sum()


def quiet_end(ys, lo, hi, at, line, width=0.4):
    """"start" or "end": the end of a log-y plot where fewer of the lines `ys` (arrays over x = 1..T)
    pass through a box `width` wide and `line` tall standing on the height `at` (axis fractions)."""
    start, end = crossed(ys, lo, hi, at, line, width)
    return "start" if start <= end else "end"


def exploded_marks(ys, lo, hi, line):
    """The dotted line at 10⁶, its words just above it at the end fewer lines cross, and a faint zone
    above it. `ys` are the traces' y, `line` a line of words as a fraction of the axis."""
    at = (np.log10(EXPLODED) - lo) / (hi - lo)  # where 10⁶ sits, as a fraction of the axis
    zone = dict(type="rect", xref="x domain", x0=0, x1=1, yref="y domain", y0=at, y1=1, layer="below",
                fillcolor=EXPLODED_ZONE, line_width=0, name="exploded zone")
    side = quiet_end(ys, lo, hi, at, line)
    return [zone, labelled_hline(EXPLODED, "exploded: above 10⁶", position=side)]


def vanished_line(ys, lo, hi, line):
    """The dotted line at 10⁻³ (flow.VANISHED), its words just under or over it, at the end and on
    the side fewest lines cross (under it first: the 10⁶ line's words stand above 10⁶)."""
    at = (np.log10(VANISHED) - lo) / (hi - lo)
    under, over = crossed(ys, lo, hi, at - line, line), crossed(ys, lo, hi, at, line)
    places = [(under[0], "start", "top"), (over[0], "start", "bottom"),
              (under[1], "end", "top"), (over[1], "end", "bottom")]
    _, position, anchor = min(places, key=lambda p: p[0])  # the first of the quietest
    words = f"vanished: below {power(round(np.log10(VANISHED)))}"
    return labelled_hline(VANISHED, words, position=position, anchor=anchor)


def mark_heatmap(kind, name, where, color, words, y):
    """A one-colour overlay on the heatmap cells where `where` (T, H) holds: overflowed or underflowed."""
    T, H = where.shape
    z = np.where(where.T, 1.0, np.nan)
    return go.Heatmap(z=z, x=np.arange(1, T + 1), y=np.arange(1, H + 1), showscale=False, yaxis=y,
                      colorscale=[[0, color], [1, color]], name=words, meta=f"{words.split()[0]} {kind}",
                      xgap=1 if T <= 40 else 0, ygap=1 if H <= 8 else 0,
                      hovertemplate=f"{name}<br>t = %{{x}}, unit %{{y}}<br>{words}<extra></extra>")


def outline(y, t_last, words):
    """A dashed frame over steps 1..t_last of one heatmap panel, with what happened written inside."""
    return dict(type="rect", xref="x", x0=0.5, x1=t_last + 0.5, yref=f"{y} domain", y0=0, y1=1,
                line=dict(color="white", width=2, dash="dash"), name=words,
                label=dict(text=words, font=dict(color="white")))


def special_marks(x, names, v, shown, line, size, below=0.0):
    """Markers for updates a log axis cannot draw: ∞ or NaN at the top (`below` of the axis under it), a
    dropped 0 at the bottom, each with its words in the plot; `line` is a line of words, in axis height.

    y is in "y domain" terms through a second, hidden axis over 0..1: the marks keep their place
    whatever the bars' range."""
    odd = np.flatnonzero(~shown)
    top = ~(v[odd] == 0)  # overflow (inf or NaN) is drawn at the top, a dropped update at the bottom
    return go.Scatter(
        x=[[level[i] for i in odd] for level in x] if isinstance(x[0], list) else [x[i] for i in odd],
        y=np.where(top, 1 - below - 0.8 * line, 0.5 * line), yaxis="y2", meta="special", customdata=v[odd],
        mode="markers+text", text=np.where(top, "∞ overflowed", "0: update dropped").tolist(),
        hovertext=[names[i] for i in odd], textposition=np.where(top, "bottom center", "top center").tolist(),
        cliponaxis=False, textfont=dict(size=size, color=INK), showlegend=False,
        marker=dict(symbol=np.where(top, "triangle-up", "x").tolist(), size=round(size * 1.5), color=INK),
        hovertemplate="%{hovertext}: %{text}<extra></extra>")


def bar_axis(v, cap, top, bottom):
    """The y axis of clipping_chart: the drawn updates and the cap, room under the smallest bar, and
    the fractions `top` and `bottom` of the axis free for words; a tick at the cap names its value."""
    vals = np.log10(np.concatenate([v, [] if cap is None else [cap]]) if v.size or cap else [1.0])
    lo, hi = float(vals.min()), float(vals.max())
    axis = log_axis(*with_room(lo - max(0.3, 0.1 * (hi - lo)), hi + 0.01 * (hi - lo), top, bottom))
    return axis if cap is None else with_tick(axis, cap, sci(cap))
