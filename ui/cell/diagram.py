"""The LSTM cell at one time step, drawn colah-style with one hidden unit's live values.

The cell works elementwise, so one unit's picture is exact: the cell-state line runs along the
top, the gates sit in a row below it fed by [h_{t-1}, x_t], and h_t leaves right and upward.
Geometry is in data units on a fixed canvas with equal aspect; text sizes come from the palette.
"""
import functools
import math

import plotly.graph_objects as go

from lstm_core import STEP_FIELDS

from ui.cell.equations import check_unit, num, preactivations, step_inputs
from ui.common.palette import (CLEAR, DIVERGING, FRAME_LINE, GATE_COLORS, INK, PAPER, SEQUENTIAL, ink_on,
                               scale_colour, scale_colours)
from ui.common.plain import expand
from ui.common.style import FONT_FAMILY, font_size

X_RANGE, Y_RANGE = (0.0, 19.1), (-0.3, 9.05)  # the canvas, data units
LARGE_FOOT = 0.7  # more canvas under the frame at projector sizes: the colour keys' titles grow
X_IN, X_OUT = 0.4, 18.8  # where wires enter and leave the picture
Y_C, Y_MIX, Y_GATE, Y_BUS = 6.35, 4.9, 3.15, 1.8  # cell line, i*C~ node, gate row, [h, x] bus
Y_TOP, Y_BOTTOM = 8.25, -0.1  # h_t leaves upward to Y_TOP; x_t enters from Y_BOTTOM
X_GATE = {"f": 4.1, "i": 6.4, "c_tilde": 8.7, "o": 11.0}  # gate box centres
X_JOIN, X_TANH, X_UP = 3.0, 14.0, 16.8  # x_t joins the bus; tanh(C_t) column; h_t goes up
X_BADGE_IN, X_BADGE_OUT = 1.3, 17.9  # centres of the C_{t-1}, h_{t-1} and the C_t, h_t badges
BOX_W, BOX_H = 2.0, 1.6  # gate box size: room for the name, the value and the squash tag
FRAME = (2.2, 1.05, 17.3, 7.5)  # the cell's rounded frame: x0, y0, x1, y1
NODE_PX, ARROW_GAP = 36, 0.4  # pointwise-op marker diameter (px); arrowhead distance from a node
NODE_R = 0.4  # about that marker's radius in data units at the diagram's usual width
GATE_WORDS = {"f": "forget", "i": "input", "c_tilde": "candidate", "o": "output"}
GATE_TEACH = {"f": "how much of C<sub>t−1</sub> to keep (0 forget all, 1 keep all)",
              "i": "how much of the candidate to write (0 none, 1 all)",
              "c_tilde": "new content proposed for the cell, −1..1",
              "o": "how much of tanh(C<sub>t</sub>) to show as h<sub>t</sub>"}


def diagram_values(trace, t, unit=0):
    """The numbers the diagram shows for `unit` at step t, as floats (x is the list of inputs)."""
    check_unit(trace, unit)
    x_t, h_prev, c_prev = step_inputs(trace, t)
    f, i, c_tilde, o, c, h = (float(getattr(trace, k)[t, unit]) for k in STEP_FIELDS)
    c_prev = float(c_prev[unit])
    return {"x": [float(v) for v in x_t], "h_prev": float(h_prev[unit]), "c_prev": c_prev,
            "f": f, "i": i, "c_tilde": c_tilde, "o": o, "kept": f * c_prev, "written": i * c_tilde,
            "c": c, "tanh_c": float(trace.tanh_c[t, 0, unit]), "h": h}


def diagram_parts(params, trace, t, *, unit=0, large=False, x_name=None):
    """What the diagram draws at step t for `unit`, as plain data: its title, shapes, annotations
    and the hover texts of the gates and of the pointwise operations. `x_name` says what x_t is
    in words (e.g. "one-hot 'e'" for a text model's input) instead of its numbers.

    The still diagram and every frame of the animation (ui/cell/conveyor.py) are built from it.
    """
    v = diagram_values(trace, t, unit)
    z = {g: float(a[unit]) for g, a in preactivations(params, trace, t).items()}
    size = font_size(large)
    shapes = [_frame()] + _wires(v) + [_gate_box(k, v[k]) for k in X_GATE] + [_tanh_node()]
    annotations = (_gate_texts(v, size, large) + _badges(v, size, large, x_name) + _wire_labels(v, size, large)
                   + [_text("tanh", X_TANH, Y_MIX, size, name="op-tanh")])
    if params.peephole:
        annotations.append(_text("peepholes on: the forget and input gates also see C<sub>t−1</sub>,"
                                 " the output gate sees C<sub>t</sub>", X_IN, Y_TOP + 0.35, size,
                                 name="peephole", xanchor="left", color=None))
    return {"title": f"Inside the cell — step {t + 1} of {trace.h.shape[0]}, unit {unit + 1}",
            "shapes": shapes, "annotations": annotations,
            "hover": {"gates": _gate_hover_texts(v, z), "operations": _node_hover_texts(v)}}


def _figure_parts(params, trace, t, *, unit, large, bottom, x_name):
    """The diagram's traces (dicts) and layout, before Plotly sees them."""
    parts = diagram_parts(params, trace, t, unit=unit, large=large, x_name=x_name)
    size = font_size(large)
    traces = [_gate_hover(parts["hover"]["gates"]), _nodes(parts["hover"]["operations"], size),
              _arrowheads()] + _colour_keys(size, bottom)
    return traces, _layout(parts["title"], parts["shapes"], parts["annotations"], size, bottom)


def cell_diagram(params, trace, t, *, unit=0, large=False, bottom=0.0, x_name=None):
    """Plotly figure of the cell at step t (0-based) for hidden unit `unit`, live values on it.

    `bottom` (a fraction of the plot area) is left free under the diagram for another chart;
    `x_name` names x_t in words (see diagram_parts).
    """
    return go.Figure(*_figure_parts(params, trace, t, unit=unit, large=large, bottom=bottom, x_name=x_name))


def cell_spec(params, trace, t, *, unit=0, large=False, bottom=0.0, x_name=None):
    """cell_diagram's figure as the dict its to_dict() gives, built without Plotly's validation (which
    took ~15 ms a diagram): for a page that draws a new diagram on every rerun, or edits it. The tests
    check that the two are equal."""
    traces, layout = _figure_parts(params, trace, t, unit=unit, large=large, bottom=bottom, x_name=x_name)
    return plain_figure(traces, layout)


@functools.cache
def _default_template():
    """Plotly's default template as every go.Figure's to_dict() writes it (built once; never edited)."""
    return go.Figure().to_dict()["layout"]["template"]


@functools.cache
def _colour_scale(name):
    """A named colour scale as Plotly's validation writes it out (its own stops, built once)."""
    return go.Figure([go.Scatter(marker=dict(colorscale=name))]).to_dict()["data"][0]["marker"]["colorscale"]


def plain_figure(traces, layout):
    """go.Figure(traces, layout).to_dict() for this module's traces (dicts) and layouts, unvalidated."""
    return {"data": [expand(trace) for trace in traces],
            "layout": dict(expand(layout), template=_default_template())}


def _layout(title, shapes, annotations, size, bottom=0.0):
    """Fixed, equal-aspect axes without grid or ticks on a transparent background, above `bottom`."""
    axis = dict(showgrid=False, zeroline=False, showticklabels=False, ticks="", visible=False,
                fixedrange=True, constrain="domain")
    return dict(title=dict(text=title, x=0.5, xanchor="center", font=dict(size=size + 6, color=INK, weight=600)),
                shapes=shapes, annotations=annotations, showlegend=False, height=520,
                margin=dict(l=20, r=20, t=60, b=20), font=dict(family=FONT_FAMILY, size=size),
                paper_bgcolor=CLEAR, plot_bgcolor=CLEAR, dragmode=False,
                hoverlabel=dict(font=dict(family=FONT_FAMILY, size=size)),
                xaxis=dict(range=X_RANGE, **axis),
                yaxis=dict(range=_y_range(size), scaleanchor="x", scaleratio=1, domain=[bottom, 1], **axis))


def _y_range(size):
    """The canvas's height; at projector sizes it reaches lower, so the colour keys under the frame
    (their titles, bars and ticks grow with the font) stay clear of its bottom edge."""
    low, high = Y_RANGE
    return (low - LARGE_FOOT, high) if size > font_size(False) else (low, high)


COLOUR_LEVELS = 1024  # a fill is picked from this many evenly spaced points of its scale


@functools.cache
def _levels(scale, lo, hi):
    """The COLOUR_LEVELS + 1 fills of a scale over lo..hi, all sampled at its first use (a new value's
    own sampling took up to 0.4 ms: a diagram of new values spent ~4 ms on its dozen fills)."""
    return scale_colours(scale, lo, hi, COLOUR_LEVELS)


def _colour(scale, value, lo, hi):
    """scale_colour of `value`, snapped to one of COLOUR_LEVELS points of the scale (finer than the
    256 levels of a colour channel) and looked up: an animation asks for hundreds of fills."""
    if not math.isfinite(value):
        return scale_colour(scale, value, lo, hi)
    level = round((min(max(value, lo), hi) - lo) / (hi - lo) * COLOUR_LEVELS)
    return _levels(scale, lo, hi)[level]


def _gate_fill(key, value):
    """Sigmoid gates on the sequential 0..1 scale; the tanh candidate on the diverging -1..1."""
    if key == "c_tilde":
        return _colour(DIVERGING, value, -1, 1)
    return _colour(SEQUENTIAL, value, 0, 1)


def _width(value):
    """Wire thickness in px encoding |value| (clipped at 1), to a tenth of a pixel (an animation
    sends one per wire per frame)."""
    return round(1.5 + 5.5 * min(abs(value), 1.0), 1) if math.isfinite(value) else 1.5


def _xy(x, y):
    """One point of an SVG path, in data units."""
    return f"{x:.3f},{y:.3f}"


def _path(points):
    """An open SVG path through data points."""
    return "M " + " L ".join(_xy(x, y) for x, y in points)


def _line(points, colour, width, name):
    return dict(type="path", path=_path(points), line=dict(color=colour, width=width),
                layer="below", name=name)


def _rounded(x0, y0, x1, y1, r):
    """Closed SVG path of a rectangle with rounded corners."""
    p = _xy
    return (f"M {p(x0 + r, y0)} L {p(x1 - r, y0)} Q {p(x1, y0)} {p(x1, y0 + r)} "
            f"L {p(x1, y1 - r)} Q {p(x1, y1)} {p(x1 - r, y1)} L {p(x0 + r, y1)} "
            f"Q {p(x0, y1)} {p(x0, y1 - r)} L {p(x0, y0 + r)} Q {p(x0, y0)} {p(x0 + r, y0)} Z")


def _frame():
    return dict(type="path", path=_rounded(*FRAME, 0.35), fillcolor=PAPER, layer="below",
                line=dict(color=FRAME_LINE, width=2), name="frame")


def _wires(v):
    """Every wire as a path shape, coloured by what it carries, as thick as |value|."""
    gx, top, bottom = X_GATE, Y_GATE + BOX_H / 2, Y_GATE - BOX_H / 2
    col = GATE_COLORS
    wires = [_line([(X_JOIN, Y_BOTTOM), (X_JOIN, Y_BUS), (gx["o"], Y_BUS)], col["x"], 3, "wire-x")]
    wires += [_line([(gx[k], Y_BUS), (gx[k], bottom)], col["x"], 3, f"wire-bus-{k}") for k in gx]
    for name, points, colour, value in [
        ("h_prev", [(X_IN, Y_BUS), (X_JOIN, Y_BUS)], "h", v["h_prev"]),
        ("c_prev", [(X_IN, Y_C), (gx["f"], Y_C)], "c", v["c_prev"]),
        ("kept", [(gx["f"], Y_C), (gx["c_tilde"], Y_C)], "c", v["kept"]),
        ("c", [(gx["c_tilde"], Y_C), (X_OUT, Y_C)], "c", v["c"]),
        ("c_branch", [(X_TANH, Y_C), (X_TANH, Y_MIX)], "c", v["c"]),
        ("f", [(gx["f"], top), (gx["f"], Y_C)], "f", v["f"]),
        ("i", [(gx["i"], top), (gx["i"], Y_MIX), (gx["c_tilde"], Y_MIX)], "i", v["i"]),
        ("c_tilde", [(gx["c_tilde"], top), (gx["c_tilde"], Y_MIX)], "c_tilde", v["c_tilde"]),
        ("written", [(gx["c_tilde"], Y_MIX), (gx["c_tilde"], Y_C)], "c_tilde", v["written"]),
        ("o", [(gx["o"] + BOX_W / 2, Y_GATE), (X_TANH, Y_GATE)], "o", v["o"]),
        ("tanh_c", [(X_TANH, Y_MIX), (X_TANH, Y_GATE)], "c", v["tanh_c"]),
        ("h", [(X_TANH, Y_GATE), (X_TANH, Y_BUS), (X_OUT, Y_BUS)], "h", v["h"]),
    ]:
        wires.append(_line(points, col[colour], _width(value), f"wire-{name}"))
    up = [(X_UP, Y_BUS), (X_UP, Y_TOP)]  # h_t upward, bridging over the cell line
    wires.append(_line([(X_UP, Y_C - 0.3), (X_UP, Y_C + 0.3)], PAPER, _width(v["h"]) + 8, "bridge"))
    wires.append(_line(up, col["h"], _width(v["h"]), "wire-h_up"))
    return wires


def _gate_box(key, value):
    x = X_GATE[key]
    return dict(type="path", path=_rounded(x - BOX_W / 2, Y_GATE - BOX_H / 2, x + BOX_W / 2,
                                           Y_GATE + BOX_H / 2, 0.12),
                fillcolor=_gate_fill(key, value), line=dict(color=GATE_COLORS[key], width=4),
                layer="below", name=f"gate-{key}")


def _tanh_node():
    return dict(type="circle", x0=X_TANH - 0.55, x1=X_TANH + 0.55, y0=Y_MIX - 0.28,
                y1=Y_MIX + 0.28, fillcolor="white", line=dict(color=INK, width=2), layer="below",
                name="op-tanh")


def _text(text, x, y, size, *, name, xanchor="center", yanchor="middle", color=INK, **extra):
    font = dict(size=size, family=FONT_FAMILY) | ({"color": color} if color else {})
    return dict(text=text, x=x, y=y, xref="x", yref="y", showarrow=False, xanchor=xanchor,
                yanchor=yanchor, font=font, name=name, **extra)


def _gate_texts(v, size, large):
    """Each gate box: its name in words and its value inside, its squashing function as a tag on
    its lower left corner (clear of the wire that enters the box's middle). At projector sizes the
    words are a size smaller, so that "candidate" fits its box."""
    out = []
    for k, x in X_GATE.items():
        out.append(_text(f"{GATE_WORDS[k]}<br><b>{_signed(v[k])}</b>", x, Y_GATE + 0.14,
                         size - 1 if large else size + 1, name=f"gate-{k}", color=ink_on(_gate_fill(k, v[k]))))
        out.append(_text("tanh" if k == "c_tilde" else "σ", x - BOX_W / 2 - 0.1, Y_GATE - BOX_H / 2,
                         size - 3, name=f"squash-{k}", xanchor="left", bgcolor="white",
                         bordercolor=GATE_COLORS[k], borderwidth=2, borderpad=2))
    return out


def _badge(text, value, x, y, size, *, name, border, **anchor):
    """A value label filled by its value on the diverging scale, outlined in its palette colour."""
    fill = _colour(DIVERGING, value, -1, 1)
    return _text(text, x, y, size, name=name, color=ink_on(fill), bgcolor=fill,
                 bordercolor=border, borderwidth=2, borderpad=4, **anchor)


def _equals(name, value, large):
    """'name = value' on one line, or on two at projector sizes, where the room is narrower."""
    return f"{name}{'<br>' if large else ' '}= {_signed(value)}"


def _badges(v, size, large, x_name=None):
    """Values on the state wires: C_{t-1}, kept, written, C_t, tanh(C_t), h_{t-1}, h_t, x_t."""
    col, above = GATE_COLORS, dict(yanchor="bottom")
    gx = X_GATE
    x_text = x_name or "[" + ", ".join(_signed(x) for x in v["x"]) + "]"
    return [
        _badge(_equals("C<sub>t−1</sub>", v["c_prev"], large), v["c_prev"], X_BADGE_IN, Y_C + 0.2, size,
               name="c_prev", border=col["c"], **above),
        _badge(_equals("kept f<sub>t</sub>·C<sub>t−1</sub>", v["kept"], large), v["kept"],
               (gx["f"] + gx["c_tilde"]) / 2, Y_C + 0.2, size, name="kept", border=col["c"], **above),
        _badge(f"written i<sub>t</sub>·C̃<sub>t</sub><br>= {_signed(v['written'])}", v["written"],
               gx["c_tilde"] + 0.5, (Y_MIX + Y_C) / 2, size, name="written", border=col["c_tilde"],
               xanchor="left"),
        _badge(_equals("C<sub>t</sub>", v["c"], large), v["c"], X_BADGE_OUT, Y_C + 0.2, size, name="c",
               border=col["c"], **above),
        _badge(f"tanh(C<sub>t</sub>)<br>= {_signed(v['tanh_c'])}", v["tanh_c"], X_TANH + 0.6,
               (Y_MIX + Y_GATE) / 2, size, name="tanh_c", border=col["c"], xanchor="left"),
        _badge(_equals("h<sub>t−1</sub>", v["h_prev"], large), v["h_prev"], X_BADGE_IN, Y_BUS + 0.2, size,
               name="h_prev", border=col["h"], **above),
        _badge(_equals("h<sub>t</sub>", v["h"], large), v["h"], X_BADGE_OUT, Y_BUS + 0.2, size, name="h",
               border=col["h"], **above),
        _badge(f"h<sub>t</sub> = {_signed(v['h'])}", v["h"], X_UP, Y_TOP + 0.1, size,
               name="h_up", border=col["h"], **above),
        _text(f"x<sub>t</sub> = {x_text}", X_JOIN + 0.3, 0.35, size, name="x", xanchor="left",
              bgcolor="white", bordercolor=col["x"], borderwidth=2, borderpad=4),
    ]


def _signed(value):
    """num() with a typographic minus sign."""
    return num(value).replace("-", "−")


def _wire_labels(v, size, large):
    """The gate wires' symbols with their values, and the name of the [h_{t-1}, x_t] bus.

    At projector sizes a wire is named by its symbol alone: its value is in the gate's box.
    """
    gx, top = X_GATE, Y_GATE + BOX_H / 2
    left = dict(xanchor="left")

    def label(symbol, key):
        return symbol if large else f"{symbol} = {_signed(v[key])}"
    return [
        _text(label("f<sub>t</sub>", "f"), gx["f"] + 0.25, (top + Y_C) / 2, size, name="label-f", **left),
        _text(label("i<sub>t</sub>", "i"), gx["i"] + 0.25, (top + Y_MIX) / 2, size, name="label-i", **left),
        _text(label("C̃<sub>t</sub>", "c_tilde"), gx["c_tilde"] + 0.45, (top + Y_MIX) / 2, size,
              name="label-c_tilde", **left),  # right of the × above it
        _text(label("o<sub>t</sub>", "o"), (gx["o"] + BOX_W / 2 + X_TANH - NODE_R) / 2,
              Y_GATE + 0.15, size, name="label-o", yanchor="bottom"),
        _text("[h<sub>t−1</sub>, x<sub>t</sub>]", X_JOIN + 0.2, Y_BUS - 0.12, size,
              name="label-bus", xanchor="left", yanchor="top"),
    ]


NODES = ((X_GATE["f"], Y_C, "×"), (X_GATE["c_tilde"], Y_C, "+"), (X_GATE["c_tilde"], Y_MIX, "×"),
         (X_TANH, Y_GATE, "×"))  # the pointwise operations: keep, add, write, show


def _node_hover_texts(v):
    """What each pointwise operation computes, with this step's numbers, in NODES order."""
    return [f"keep: f<sub>t</sub>·C<sub>t−1</sub> = {_signed(v['kept'])}",
            f"add: C<sub>t</sub> = kept + written = {_signed(v['c'])}",
            f"write: i<sub>t</sub>·C̃<sub>t</sub> = {_signed(v['written'])}",
            f"show: h<sub>t</sub> = o<sub>t</sub>·tanh(C<sub>t</sub>) = {_signed(v['h'])}"]


def _nodes(hover, size):
    """The pointwise operations as markers, with what each computes on hover."""
    x, y, symbol = zip(*NODES)
    return dict(type="scatter", x=x, y=y, mode="markers+text", text=symbol, hovertext=hover,
                hoverinfo="text", textposition="middle center", name="operations",
                textfont=dict(size=size + 8, color=INK, family=FONT_FAMILY),
                marker=dict(size=NODE_PX, color="white", line=dict(color=INK, width=2)))


def _gate_hover_texts(v, z):
    """Each gate's equation with its numbers (z: the pre-activations), in X_GATE order."""
    hover = []
    for k in X_GATE:
        squash = "tanh" if k == "c_tilde" else "σ"
        symbol = "C̃<sub>t</sub>" if k == "c_tilde" else f"{k}<sub>t</sub>"
        hover.append(f"<b>{GATE_WORDS[k]}</b> {symbol} = {squash}({_signed(z[k])})"
                     f" = {_signed(v[k])}<br>{GATE_TEACH[k]}")
    return hover


def _gate_hover(hover):
    """Invisible markers over the gate boxes: the equation with its numbers on hover."""
    return dict(type="scatter", x=list(X_GATE.values()), y=[Y_GATE] * 4, mode="markers", hovertext=hover,
                hoverinfo="text", name="gates", marker=dict(size=70, symbol="square", color=CLEAR))


def _arrowheads():
    """Small triangles showing the direction of flow into every operation and out of the cell."""
    gx, bottom, col = X_GATE, Y_GATE - BOX_H / 2, GATE_COLORS
    heads = [(gx["f"] - ARROW_GAP, Y_C, "right", "c"), (gx["f"], Y_C - ARROW_GAP, "up", "f"),
             (gx["c_tilde"] - ARROW_GAP, Y_C, "right", "c"), (gx["c_tilde"], Y_C - ARROW_GAP, "up", "c_tilde"),
             (gx["c_tilde"] - ARROW_GAP, Y_MIX, "right", "i"), (gx["c_tilde"], Y_MIX - ARROW_GAP, "up", "c_tilde"),
             (X_TANH, Y_MIX + 0.42, "down", "c"), (X_TANH, Y_GATE + ARROW_GAP, "down", "c"),
             (X_TANH - ARROW_GAP, Y_GATE, "right", "o"), (X_OUT, Y_C, "right", "c"),
             (X_OUT, Y_BUS, "right", "h"), (X_UP, Y_TOP, "up", "h")]
    heads += [(x, bottom - 0.15, "up", "x") for x in gx.values()]
    x, y, way, colour = zip(*heads)
    return dict(type="scatter", x=x, y=y, mode="markers", hoverinfo="skip", name="flow",
                marker=dict(size=14, symbol=[f"triangle-{w}" for w in way], color=[col[c] for c in colour]))


def _colour_keys(size, bottom=0.0):
    """Two small colour bars at the diagram's foot: gate values 0..1 and state values -1..1."""
    keys = []
    for scale, lo, hi, title, x in [(SEQUENTIAL, 0, 1, "gate: 0 closed → 1 open", 0.63),
                                    (DIVERGING, -1, 1, "state: ≤ −1 → 0 → ≥ +1", 0.9)]:
        bar = dict(orientation="h", x=x, y=bottom, xanchor="center", yanchor="bottom", len=0.22,
                   thickness=12, title=dict(text=title, side="top", font=dict(size=size - 1)),
                   tickfont=dict(size=size - 2), tickvals=[lo, (lo + hi) / 2, hi])
        keys.append(dict(type="scatter", x=[None], y=[None], mode="markers", hoverinfo="skip",
                         marker=dict(color=[lo], colorscale=_colour_scale(scale), cmin=lo, cmax=hi, showscale=True,
                                     colorbar=bar)))
    return keys
