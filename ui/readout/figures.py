"""The readout explainer's drawing: many to one, many to many and encoder–decoder side by side, in
colah's style: input boxes x_t under a chain of rounded LSTM steps joined by their (C, h) arrows,
output boxes y where the head reads.

One pure builder, `readout_figure(highlight, large)`: plain data in, a Plotly figure out. The three
diagrams share one canvas in data units (the axes hidden, fixed); each step's box is the same size
in all three, and the encoder–decoder panel is wider because it has more steps. The highlighted
panel (the page's own readout) gets a tinted card with a border and a "this page" mark.
"""
from lstm_core.seq2seq import END, START, show_token
from ui.common.palette import CELL_COLORS, GATE_COLORS, GRID, INK, MUTED, PAPER
from ui.common.style import figure, font_size, rich
from ui.readout.words import HERE, NAMES, READOUTS, SHAPES, SUBTITLE, TITLE

CELL_W, CELL_H = 1.7, 1.5  # an LSTM step's rounded box, data units
BOX_W, BOX_H = 1.4, 0.9  # an input or output box
LINK, SKIP = 0.9, 1.3  # the gap between two steps, and a dotted one that stands for steps left out
HANDOVER = 2.3  # the gap between the encoder's last step and the decoder's first
PAD, SPACE = 0.3, 0.6  # room inside a panel's card at each side; between two cards
Y_TITLE, Y_TAG, Y_OUT, Y_CELL, Y_IN, Y_SHAPE = 9.55, 8.7, 7.45, 5.0, 2.45, 0.75  # row centres
Y_RANGE = (0.0, 10.3)
C_DY = 0.35  # the C arrow runs this far above a step's middle, the h arrow as far below
LSTM_COLOR = CELL_COLORS["lstm"]
X_COLOR, Y_COLOR = GATE_COLORS["x"], INK
CARD_LINE = GRID  # the other cards' border


def _faint(colour, alpha):
    """A '#rrggbb' colour at opacity `alpha`, as 'rgba(r, g, b, alpha)'."""
    r, g, b = (int(colour[k:k + 2], 16) for k in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


HIGHLIGHT_FILL = _faint(LSTM_COLOR, 0.07)  # the page's own readout's card: the LSTM blue, faint


def _steps(gaps, x0):
    """Left edges of the steps after `x0`, the i-th gap (a data-unit width) before step i + 1."""
    lefts = [x0]
    for gap in gaps:
        lefts.append(lefts[-1] + CELL_W + gap)
    return lefts


PLANS = {  # per readout: the gaps between its steps, each step's input and output ("" none)
    "many_to_one": dict(gaps=(LINK, SKIP), inputs=("x_1", "x_2", "x_T"), outputs=("", "", "y")),
    "many_to_many": dict(gaps=(LINK, SKIP), inputs=("x_1", "x_2", "x_T"), outputs=("y_1", "y_2", "y_T")),
    "encoder_decoder": dict(gaps=(LINK, SKIP, HANDOVER, LINK, SKIP),
                            inputs=("x_1", "x_2", "x_T", show_token(START), "y_1", "y_m"),
                            outputs=("", "", "", "y_1", "y_2", show_token(END))),
}
ENCODER_STEPS = 3  # the encoder–decoder's first three steps are the encoder's


def panel_width(readout):
    """A panel's width in data units: its steps, the gaps between them, and the card's padding."""
    gaps = PLANS[readout]["gaps"]
    return (len(gaps) + 1) * CELL_W + sum(gaps) + 2 * PAD


def panel_lefts():
    """Each panel's left edge on the shared canvas, left to right."""
    lefts, x = {}, 0.0
    for readout in READOUTS:
        lefts[readout] = x
        x += panel_width(readout) + SPACE
    return lefts


def canvas_width():
    """The whole canvas's width in data units."""
    return sum(panel_width(r) for r in READOUTS) + SPACE * (len(READOUTS) - 1)


def _rounded(x0, y0, x1, y1, r):
    """Closed SVG path of a rectangle with rounded corners."""
    return (f"M {x0 + r:.3f},{y0:.3f} L {x1 - r:.3f},{y0:.3f} Q {x1:.3f},{y0:.3f} {x1:.3f},{y0 + r:.3f} "
            f"L {x1:.3f},{y1 - r:.3f} Q {x1:.3f},{y1:.3f} {x1 - r:.3f},{y1:.3f} L {x0 + r:.3f},{y1:.3f} "
            f"Q {x0:.3f},{y1:.3f} {x0:.3f},{y1 - r:.3f} L {x0:.3f},{y0 + r:.3f} Q {x0:.3f},{y0:.3f} "
            f"{x0 + r:.3f},{y0:.3f} Z")


def _card(readout, x0, highlighted):
    """The panel's card: tinted with a blue border for the page's own readout, else a faint outline."""
    x1 = x0 + panel_width(readout)
    line = dict(color=LSTM_COLOR, width=3) if highlighted else dict(color=CARD_LINE, width=1)
    return dict(type="path", path=_rounded(x0, Y_RANGE[0] + 0.05, x1, Y_RANGE[1] - 0.05, 0.3),
                fillcolor=HIGHLIGHT_FILL if highlighted else "white", line=line, layer="below",
                name=f"card-{readout}")


def _text(text, x, y, size, *, name, color=INK, bold=False, **extra):
    """Words on the canvas, centred at (x, y) unless `extra` says otherwise."""
    return dict(text=rich(text), x=x, y=y, xref="x", yref="y", showarrow=False, name=name,
                font=dict(size=size, color=color, weight=600 if bold else 400), **extra)


def _arrow(x0, y0, x1, y1, color, width, name):
    """An arrow from (x0, y0) to (x1, y1), data units; its head keeps one size whatever the width."""
    return dict(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="", name=name,
                showarrow=True, arrowhead=2, arrowsize=2.2 / width, arrowwidth=width, arrowcolor=color)


def _dotted(x0, y0, x1, y1, color, name):
    """A dotted arrow from (x0, y0) to (x1, y1): a dotted line ending in a short solid arrow."""
    line = dict(type="line", x0=x0, y0=y0, x1=x1 - 0.2, y1=y1, line=dict(color=color, width=2, dash="dot"),
                layer="below", name=name)
    return line, _arrow(x1 - 0.2, y1, x1, y1, color, 2, f"{name}-head")


def _box(text, cx, cy, color, size, name):
    """An input or output box with its label: a shape and an annotation."""
    shape = dict(type="rect", x0=cx - BOX_W / 2, x1=cx + BOX_W / 2, y0=cy - BOX_H / 2, y1=cy + BOX_H / 2,
                 fillcolor="white", line=dict(color=color, width=2), layer="below", name=name)
    return shape, _text(text, cx, cy, size, name=name, color=color)


def _step_shape(left, name):
    """One LSTM step: a rounded box in the LSTM's colour."""
    return dict(type="path", path=_rounded(left, Y_CELL - CELL_H / 2, left + CELL_W, Y_CELL + CELL_H / 2, 0.3),
                fillcolor=PAPER, line=dict(color=LSTM_COLOR, width=3), layer="below", name=name)


def _link(x0, x1, width, name):
    """The (C, h) a step hands to the next: the cell state above, the hidden state below."""
    return [_arrow(x0, Y_CELL + C_DY, x1, Y_CELL + C_DY, GATE_COLORS["c"], width, f"{name}-C"),
            _arrow(x0, Y_CELL - C_DY, x1, Y_CELL - C_DY, GATE_COLORS["h"], width, f"{name}-h")]


def _skipped(x0, x1, name):
    """(C, h) handed on through steps left out: the same two arrows, dotted."""
    parts = [_dotted(x0, Y_CELL + dy, x1, Y_CELL + dy, GATE_COLORS[key], f"{name}-{key.upper()}")
             for key, dy in (("c", C_DY), ("h", -C_DY))]
    return [line for line, _ in parts], [head for _, head in parts]


def _chain(readout, lefts, size):
    """The steps, their inputs and outputs with arrows, and the links between the steps; the
    encoder–decoder's steps say which LSTM they belong to (two LSTMs with their own weights)."""
    plan, shapes, notes = PLANS[readout], [], []
    small = round(size * 0.8)
    for k, (left, x_in, y_out) in enumerate(zip(lefts, plan["inputs"], plan["outputs"])):
        cx, name = left + CELL_W / 2, f"{readout}-{k + 1}"
        shapes.append(_step_shape(left, f"step-{name}"))
        if readout == "encoder_decoder":
            notes.append(_text("enc" if k < ENCODER_STEPS else "dec", cx, Y_CELL, small, name=f"step-{name}",
                               color=LSTM_COLOR))
        shape, note = _box(x_in, cx, Y_IN, X_COLOR, size, f"in-{name}")
        shapes.append(shape)
        notes += [note, _arrow(cx, Y_IN + BOX_H / 2, cx, Y_CELL - CELL_H / 2, X_COLOR, 2, f"in-arrow-{name}")]
        if y_out:
            shape, note = _box(y_out, cx, Y_OUT, Y_COLOR, size, f"out-{name}")
            shapes.append(shape)
            notes += [note, _arrow(cx, Y_CELL + CELL_H / 2, cx, Y_OUT - BOX_H / 2, GATE_COLORS["h"], 2,
                                   f"out-arrow-{name}")]
    for k, gap in enumerate(plan["gaps"]):
        x0, name = lefts[k] + CELL_W, f"link-{readout}-{k + 1}"
        if gap == SKIP:
            lines, heads = _skipped(x0, x0 + gap, name)
            shapes += lines
            notes += heads
        else:
            notes += _link(x0, x0 + gap, 5 if gap == HANDOVER else 2, name)
    return shapes, notes


def _handover(lefts, size):
    """The encoder–decoder's only link, named: the fixed-size vector (h_T, C_T)."""
    x_mid = lefts[ENCODER_STEPS - 1] + CELL_W + HANDOVER / 2
    return [_text("(h_T, C_T)", x_mid, Y_CELL + CELL_H / 2 + 0.15, size, name="handover", bold=True,
                  yanchor="bottom"),
            _text("fixed size", x_mid, Y_CELL - CELL_H / 2 - 0.15, round(size * 0.85), name="handover-words",
                  yanchor="top", color=MUTED)]


def _feedback(lefts):
    """The decoder fed its own output: a dashed S-curve from y_1 above one step to the next step's input."""
    out_x = lefts[ENCODER_STEPS] + CELL_W / 2 + BOX_W / 2  # y_1's right edge
    in_x = lefts[ENCODER_STEPS + 1] + CELL_W / 2 - BOX_W / 2  # the next input's left edge
    mid = (lefts[ENCODER_STEPS] + CELL_W + lefts[ENCODER_STEPS + 1]) / 2  # between the two steps
    path = (f"M {out_x:.3f},{Y_OUT:.3f} C {mid + 0.6:.3f},{Y_OUT:.3f} {mid - 0.6:.3f},{Y_IN:.3f} "
            f"{in_x - 0.2:.3f},{Y_IN:.3f}")
    shape = dict(type="path", path=path, line=dict(color=Y_COLOR, width=1.5, dash="dash"), layer="below",
                 name="feedback")
    return shape, _arrow(in_x - 0.25, Y_IN, in_x, Y_IN, Y_COLOR, 1.5, "feedback-arrow")


def _panel(readout, x0, highlight, size):
    """One readout's card, title, chain and shapes."""
    highlighted = readout == highlight
    lefts = _steps(PLANS[readout]["gaps"], x0 + PAD)
    shapes, notes = _chain(readout, lefts, size)
    shapes.insert(0, _card(readout, x0, highlighted))
    cx = x0 + panel_width(readout) / 2
    notes += [_text(NAMES[readout], cx, Y_TITLE, round(size * 1.15), name=f"title-{readout}", bold=True,
                    color=LSTM_COLOR if highlighted else INK),
              _text(SHAPES[readout], cx, Y_SHAPE, round(size * 0.95), name=f"shape-{readout}")]
    if highlighted:
        notes.append(_text(HERE, cx, Y_TAG, round(size * 0.8), name=f"tag-{readout}", color="white",
                           bgcolor=LSTM_COLOR, borderpad=3))
    if readout == "encoder_decoder":
        notes += _handover(lefts, size)
        shape, arrow = _feedback(lefts)
        shapes.append(shape)
        notes.append(arrow)
    return shapes, notes


def readout_figure(highlight=None, large=False):
    """The three readouts side by side; `highlight` (a READOUTS key or None) marks the page's own.

    ValueError for a highlight that is not a readout."""
    if highlight is not None and highlight not in READOUTS:
        raise ValueError(f"highlight must be one of {', '.join(READOUTS)} or None, got {highlight!r}")
    size = font_size(large)
    shapes, notes = [], []
    for readout, x0 in panel_lefts().items():
        more_shapes, more_notes = _panel(readout, x0, highlight, size)
        shapes += more_shapes
        notes += more_notes
    axis = dict(showgrid=False, zeroline=False, showticklabels=False, visible=False, fixedrange=True)
    layout = dict(shapes=shapes, annotations=notes, showlegend=False, dragmode=False,
                  xaxis=dict(axis, range=[-0.05, canvas_width() + 0.05]), yaxis=dict(axis, range=list(Y_RANGE)))
    subtitle = SUBTITLE.format(c=GATE_COLORS["c"], h=GATE_COLORS["h"])
    return figure([], layout, TITLE, subtitle, large, 470 if large else 400)
