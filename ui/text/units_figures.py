"""Pure builders of the "Reading the units" section: a text coloured character by character by one
unit, its colour bar, the "find the unit" table and chart (no Streamlit).

    reading = read_units(model, vocab, config, text, layer)    # one forward pass, features
    html = coloured_text(reading.text, reading.activity["c"][:, 17], "c", large=False)
    fig = ranking_figure(reading.ranking("c")["quotes"], "c", large=False)

h_t and C̃_t use the palette's diverging scale over −1..1, gates (f_t, i_t, o_t) its sequential
scale over 0..1, as on the cell pages; C_t, unbounded, the diverging scale over ±its largest |value|
(`scale_of`). The hover gives every value exactly.
"""
import dataclasses
import functools
import html
import itertools
import math

import numpy as np
from plotly.colors import colorscale_to_colors, colorscale_to_scale, validate_colors

from lstm_core import units as U
from lstm_core.text import show_char
from ui.common.palette import DIVERGING, GATE_COLORS, GATE_NAMES, GRID, INK, SCALES, SEQUENTIAL
from ui.common.style import AXIS, figure, font_size, plain_subscripts, rich
from ui.text.units_words import signed

OTHER_BAR = "#BBBBBB"  # the bars of the units that are not the best
SHOWN = {"\n": "↵", "\t": "→"}  # characters drawn as a visible sign in their coloured cell


def scale_of(signal, values):
    """(colour scale, low, high) of a unit's values (n,): gates 0..1 sequential and h_t, C̃_t −1..1
    diverging, as on the cell pages; C_t, which has no bound, diverging over ±its largest |value|
    (at least 1, rounded up to a tenth), so a unit that sits beyond ±1 still shows its changes."""
    if signal in ("f", "i", "o"):
        return SEQUENTIAL, 0.0, 1.0
    if signal != "c":
        return DIVERGING, -1.0, 1.0
    finite = np.abs(np.asarray(values, float))[np.isfinite(values)]
    m = max(1.0, math.ceil(finite.max(initial=0.0) * 10) / 10)
    return DIVERGING, -m, m


def symbol(signal):
    """The signal's name as plain text with its notes' symbol: "cell state Cₜ", "candidate C̃ₜ"."""
    return plain_subscripts(GATE_NAMES[signal])


def _stops(scale):
    """A Plotly scale's stop positions (k,) and colours (k, 3) in 0..1, as Plotly reads them."""
    spec = SCALES[scale]
    return np.array(colorscale_to_scale(spec)), np.array(validate_colors(colorscale_to_colors(spec), "tuple"))


_STOPS = {name: _stops(name) for name in SCALES}


def colours(values, scale, lo, hi):
    """([hex colour of each value], (n, 3) its channels 0..255) on `scale` over lo..hi: palette.scale_colour's
    colours exactly (the same interpolation and rounding), for thousands of values at once; grey
    where not finite."""
    v = np.asarray(values, np.float64)
    finite = np.isfinite(v)
    s = (np.clip(np.where(finite, v, lo), lo, hi) - lo) / (hi - lo)  # position on the scale, 0..1
    pos, rgb = _STOPS[scale]
    high = np.searchsorted(pos, s, side="left")  # Plotly's bisect_left
    low = high - 1
    t = (s - pos[low]) / (pos[high] - pos[low])
    mixed = rgb[low] + t[:, None] * (rgb[high] - rgb[low])  # (n, 3) in 0..1
    channels = np.round(mixed * 255.0).astype(int)  # half to even, as Plotly rounds
    channels[~finite] = 150  # palette.NOT_A_NUMBER
    packed = (channels[:, 0] << 16 | channels[:, 1] << 8 | channels[:, 2]).tolist()
    return ["#%06x" % c for c in packed], channels


def dark_ink(channels):
    """True where dark ink reads better than white on the fill (palette.ink_on's rule), (n,) bools."""
    return channels @ np.array([0.299, 0.587, 0.114]) > 140


def _cell(ch):
    """What a character's coloured cell shows: itself (escaped), or a sign for newline and tab."""
    if ch in SHOWN:
        return SHOWN[ch]
    return html.escape(ch) if ch.isprintable() else "·"


def _signed_all(values):
    """signed(v, 3) of every value, in one formatting pass (the page formats thousands per redraw)."""
    v = np.asarray(values, float).tolist()
    return ("\0".join(["%+.3f"] * len(v)) % tuple(v)).replace("-", "−").split("\0") if v else []


@functools.lru_cache(maxsize=8)
def _template(text):
    """The spans of `text` as one %-format with four holes a character (ink class, fill, signal's
    symbol, value): made once per text, so a change of unit or signal only fills it in."""
    parts = {ch: (_cell(ch).replace("%", "%%"), html.escape(show_char(ch), quote=True).replace("%", "%%"),
                  "<br>" if ch == "\n" else "") for ch in set(text)}
    return "".join('<span class=%%s style="background:%%s" title="%s · position %d · %%s = %%s">%s</span>%s'
                   % (parts[ch][1], t + 1, parts[ch][0], parts[ch][2]) for t, ch in enumerate(text))


LINE_HEIGHT, BOX_LINES = 1.6, 24  # line height (em) and the box in lines: whole lines, no vertical padding
# (a scroll box paints its overflow into its bottom padding: a cut line)


def coloured_text(text, values, signal, *, large=False):
    """HTML of `text` in monospace, each character on the colour of its value (n,); a newline is a
    coloured ↵ and a line break, a space a coloured cell; hovering shows character, position and value."""
    fills, channels = colours(values, *scale_of(signal, values))
    ink = np.where(dark_ink(channels), "d", "w").tolist()
    name = itertools.repeat(symbol(signal).split()[-1])
    holes = tuple(itertools.chain.from_iterable(zip(ink, fills, name, _signed_all(values))))
    spans = _template(text) % holes
    size = 1.3 if large else 1.0
    return (f"<style>.units-text span.d{{color:{INK}}} .units-text span.w{{color:white}}</style>"
            f'<div class="units-text" style="font-family:\'Source Code Pro\',monospace;font-size:{size}rem;'
            f'line-height:{LINE_HEIGHT};white-space:pre-wrap;overflow-wrap:anywhere;box-sizing:content-box;'
            f'max-height:{BOX_LINES * LINE_HEIGHT:g}em;overflow-y:auto;'
            f'border:1px solid {GRID};border-radius:4px;padding:0 0.6em;">'
            + spans + "</div>")


def colour_bar(signal, values, *, large=False):
    """HTML of the colour scale's key for a unit's values: a gradient bar, its ends and middle labelled."""
    scale, lo, hi = scale_of(signal, values)
    fills, _ = colours(np.linspace(lo, hi, 11), scale, lo, hi)
    words = ("0 closed", "0.5", "1 open") if lo == 0 else (signed(lo, 1), "0", signed(hi, 1))
    size = round(font_size(large) * 0.95)
    labels = "".join(f"<span>{w}</span>" for w in words)
    return (f'<div style="max-width:28rem;font-size:{size}px;color:{INK}">'
            f'<div>{html.escape(symbol(signal))}: the colour of each value</div>'
            f'<div style="height:{size}px;border-radius:3px;background:linear-gradient(to right,{",".join(fills)})">'
            f'</div><div style="display:flex;justify-content:space-between">{labels}</div></div>')


@dataclasses.dataclass(frozen=True, eq=False)
class Reading:
    """One pass of a model over a text: every unit's signals at every character, and the text's features."""

    text: str  # the characters read: the text's first units.MAX_CHARS
    total: int  # characters of the whole text
    activity: dict  # {signal: (n, H) float32}: the model's own precision, half float64's memory
    features: dict  # {feature: (n,)}
    _rankings: dict = dataclasses.field(default_factory=dict, repr=False)

    def ranking(self, signal):
        """{feature: units.Ranking} of this signal's units, computed once."""
        if signal not in self._rankings:
            self._rankings[signal] = U.rank_units(self.activity[signal], self.features)
        return self._rankings[signal]


def read_units(model, vocab, config, text, layer):
    """The Reading of `text` (its first MAX_CHARS) by layer `layer` (ValueError for characters the
    model's vocabulary lacks, an empty text or a layer it does not have). It holds 6·n·H float32s:
    15 MB for 5,000 characters at H = 128."""
    part = text[:U.MAX_CHARS]
    activity = {s: a.astype(np.float32) for s, a in U.unit_activity(model, vocab, config, part, layer).items()}
    return Reading(text=part, total=len(text), activity=activity, features=U.text_features(part))


def feature_rows(ranking):
    """One row per feature, in FEATURES order: (feature's name, best unit or "—", r or why not)."""
    rows = []
    for feature in U.FEATURES:
        rk = ranking[feature]
        r = rk.r[rk.best]
        if rk.constant:
            rows.append((U.FEATURE_NAMES[feature], "—", "constant in this text"))
        elif not np.isfinite(r):
            rows.append((U.FEATURE_NAMES[feature], "—", "no unit varies"))
        else:
            rows.append((U.FEATURE_NAMES[feature], str(rk.best + 1), signed(r)))  # counted from 1
    return rows


def feature_table(ranking):
    """The rows of feature_rows as a Markdown table."""
    lines = ["| Feature | Unit | r |", "|---|---:|---:|"]
    return "\n".join(lines + [f"| {a} | {b} | {c} |" for a, b, c in feature_rows(ranking)])


def ranking_figure(ranking, signal, *, large=False):
    """Bars of |r| of every unit with one feature (a units.Ranking), the best unit in the signal's colour.

    Built from plain dicts in one go (style.figure): styling a built figure cost ~25 ms a chart."""
    r = ranking.r
    H, best = r.size, ranking.best
    colour = [OTHER_BAR] * H
    colour[best] = GATE_COLORS[signal]
    name = GATE_NAMES[signal].split()[-1]
    hover = [f"unit {u}: r = {signed(v, 3)}" if np.isfinite(v) else f"unit {u}: constant"
             for u, v in enumerate(r, start=1)]  # units counted from 1, as on every page
    bars = dict(type="bar", x=list(range(1, H + 1)), y=np.nan_to_num(np.abs(r)).round(4).tolist(), hovertext=hover,
                hoverinfo="text", marker=dict(color=colour, line_width=0), name="|r|")
    size = font_size(large)
    note = dict(x=best + 1, y=abs(r[best]), text=f"unit {best + 1}: r = {signed(r[best])}", showarrow=False, yshift=size,
                xanchor="left" if best < H / 2 else "right", font=dict(size=size, color=INK))
    layout = dict(showlegend=False, bargap=0.1 if H <= 64 else 0.0, annotations=[note],
                  xaxis=dict(AXIS, title=f"unit (1 to {H})", range=[0.5, H + 0.5], zeroline=False),
                  yaxis=dict(AXIS, title="strength |r|", range=[0, 1.15], tickvals=[0, 0.25, 0.5, 0.75, 1]))
    title = rich(f"Which unit's {name} follows it?")
    subtitle = f"|r| of every unit with “{U.FEATURE_NAMES[ranking.feature]}”; the best, unit {best + 1}, in colour"
    return figure([bars], layout, title, subtitle, large, 360 if large else 300)
