"""The one palette: each gate and state keeps its colour on every page.

Okabe-Ito colours (safe for the common colour-vision deficiencies). Gate values live in 0..1 and
use a sequential scale; states and gradients live around 0 and use a diverging scale.
"""

GATE_COLORS = {
    "f": "#D55E00",  # forget gate: vermillion
    "i": "#0072B2",  # input gate: blue
    "g": "#009E73",  # candidate C~: bluish green
    "o": "#CC79A7",  # output gate: reddish purple
    "c": "#E69F00",  # cell state: orange (the conveyor belt)
    "h": "#56B4E9",  # hidden state: sky blue
    "x": "#555555",  # input: grey
}

GATE_NAMES = {
    "f": "forget gate f_t",
    "i": "input gate i_t",
    "g": "candidate C̃_t",
    "o": "output gate o_t",
    "c": "cell state C_t",
    "h": "hidden state h_t",
    "x": "input x_t",
}

SEQUENTIAL = "Cividis"  # gates, 0..1
DIVERGING = "RdBu_r"  # states, -1..1: blue negative, red positive, white zero

FONT_FAMILY = "Inter, Segoe UI, Helvetica, Arial, sans-serif"


def font_size(large):
    """Base font size for figures: larger when the projector toggle is on."""
    return 20 if large else 14
