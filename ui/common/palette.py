"""The one palette: every colour the app draws with, so each gate, state and cell looks the same
on every page.

Okabe-Ito colours for gates and states and Paul Tol's sets for cells and units (all safe for the
common colour-vision deficiencies). Gate values live in 0..1 and use a sequential scale; states
and gradients live around 0 and use a diverging scale.
"""
import math

from plotly.colors import get_colorscale, sample_colorscale

from lstm_core import CELLS

GATE_COLORS = {
    "f": "#D55E00",  # forget gate: vermillion
    "i": "#0072B2",  # input gate: blue
    "c_tilde": "#009E73",  # candidate C~: bluish green
    "o": "#CC79A7",  # output gate: reddish purple
    "c": "#E69F00",  # cell state: orange (the conveyor belt)
    "h": "#56B4E9",  # hidden state: sky blue
    "x": "#555555",  # input: grey
}

GATE_NAMES = {
    "f": "forget gate f_t",
    "i": "input gate i_t",
    "c_tilde": "candidate C̃_t",
    "o": "output gate o_t",
    "c": "cell state C_t",
    "h": "hidden state h_t",
    "x": "input x_t",
}

CELL_COLORS = {  # keyed by a cell kind's colour key (lstm_core.cells): Paul Tol's "vibrant" set,
    "rnn_sigmoid": "#EE7733",  # warm for plain RNNs,
    "rnn_tanh": "#EE3377",
    "lstm": "#0077BB",  # cool for gated cells
    "lstm_peephole": "#332288",
    "lstm_coupled": "#AA4499",  # Paul Tol's muted purple
    "gru": "#009988",
}
VARIANT_COLORS = {  # models of the LSTM's own cell in another shape (lstm_core.variants' names): Paul Tol's
    "stacked": "#117733",  # muted green and wine, apart from every CELL_COLORS colour and each other
    "bidirectional": "#882255",
}
CELL_PATH_COLOR = "#33BBEE"  # the LSTM's cell path: a lighter blue, drawn dashed over its h line
UNIT_COLORS = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#332288",
               "#882255")  # Paul Tol's colour-blind-safe sets: one colour per unit on line charts

INK = "#222222"  # text on the diagram, cursors, zero lines, outlines
TEXT = "#2a3f5f"  # plotly_white's ink, for figures built without its template
MUTED = "#777777"  # an empty chart's prompt
FRAME_LINE = "#9A9A9A"  # the cell diagram's frame
PAPER = "#FAFAF7"  # the cell diagram's fill
GRID = "#E5E5E5"  # grid lines
SLOT = "#CCCCCC"  # a step the backward pass has not reached yet
EXPLODED_ZONE = "rgba(34, 34, 34, 0.05)"  # a faint grey over every gradient above 10⁶
NOTE_GROUND = "rgba(255,255,255,0.85)"  # behind words written over a chart
CLEAR = "rgba(0,0,0,0)"  # transparent
NOT_A_NUMBER = "rgb(150, 150, 150)"  # the fill of a value that is not finite
METHOD_COLORS = {  # the forecasting methods (lstm_core.forecast.METHODS): the LSTM in its cell colour,
    "lstm": CELL_COLORS["lstm"],  # the baselines in quieter colours that stay apart from it and from
    "persistence": "#DDAA33",  # each other for every common colour-vision deficiency (Paul Tol's
    "moving_average": "#CC6677",  # high-contrast yellow, muted rose and indigo); figures also give
    "linear_ar": "#332288",  # each its own dash and marker
}
SERIES_COLOR = INK  # a series' true values
TEST_ZONE = "rgba(34, 34, 34, 0.07)"  # the test part of a series, shaded
BAND_ZONE = "rgba(0, 119, 187, 0.08)"  # the scaler's target band [0, 1]
SCALER_COLORS = {"whole": "#AAAAAA", "train": INK}  # a series scaled by MinMax fitted on the whole / training part
OUT_OF_BAND = "#CC3311"  # a scaled value outside [0, 1] (Paul Tol's vibrant red)

SEQUENTIAL = "Cividis"  # gates, 0..1
DIVERGING = "RdBu_r"  # states, -1..1: blue negative, red positive, white zero
SCALES = {name: get_colorscale(name) for name in (SEQUENTIAL, DIVERGING)}  # resolved once: fast


def cell_color(kind):
    """A cell kind's colour: the same cell has the same colour on every page."""
    return CELL_COLORS[CELLS[kind].color]


def model_color(kind, *, num_layers=1, bidirectional=False):
    """A model's colour: a bidirectional or stacked model in its shape's (VARIANT_COLORS), any other in
    its cell kind's, so a model looks the same on every page."""
    if bidirectional:
        return VARIANT_COLORS["bidirectional"]
    if num_layers > 1:
        return VARIANT_COLORS["stacked"]
    return cell_color(kind)


def unit_color(u):
    """Line colour of hidden unit u (0-based)."""
    return UNIT_COLORS[u % len(UNIT_COLORS)]


def scale_colour(scale, value, lo, hi):
    """The colour of `value` on a Plotly colour scale spanning lo..hi, as 'rgb(r, g, b)'."""
    if not math.isfinite(value):
        return NOT_A_NUMBER
    s = (min(max(value, lo), hi) - lo) / (hi - lo)  # position on the scale, 0..1
    return _whole_channels(sample_colorscale(SCALES[scale], [s])[0])


def scale_colours(scale, lo, hi, levels):
    """scale_colour of lo + (hi − lo)·k/levels for k = 0..levels, sampled in one call: ~14 ms for 1025
    colours, where one call per colour takes 0.1-0.4 ms each."""
    points = [(lo + (hi - lo) * k / levels - lo) / (hi - lo) for k in range(levels + 1)]
    return [_whole_channels(rgb) for rgb in sample_colorscale(SCALES[scale], points)]


def _whole_channels(rgb):
    """Plotly's 'rgb(r, g, b)' with fractional channels, rounded to whole ones."""
    r, g, b = (round(float(part)) for part in rgb[rgb.index("(") + 1:-1].split(","))
    return f"rgb({r}, {g}, {b})"


def ink_on(fill):
    """Dark or white text, whichever reads better on the 'rgb(r, g, b)' fill."""
    r, g, b = (int(part) for part in fill[4:-1].split(","))
    return INK if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "white"
