"""The variants' cells with live values, in the style of "Inside the cell".

Pure functions: parameters and traces in, Plotly figure dicts out. The peephole and coupled cells are
the LSTM's own diagram (ui/cell/diagram.py) with their change drawn over it: dashed peephole wires
from the cell line into the gates, or a "1 −" node that makes i_t from f_t in place of the input
gate's own weights. The GRU gets a diagram of its own in the same style. Stacked and bidirectional
models are drawn as small chains of cells over a few steps around the one shown, each cell filled
by its h value; the same chain draws the plain LSTM beside them.
"""
from ui.cell import diagram as D
from ui.cell.equations import num
from ui.common.palette import BAND_ZONE, DIVERGING, GATE_COLORS, INK, SEQUENTIAL, ink_on
from ui.common.style import FONT_FAMILY, font_size
from ui.variants.words import COLORS

PEEP_DASH = "dash"
Y_C, Y_MIX, Y_GATE, Y_BUS, Y_TOP = D.Y_C, D.Y_MIX, D.Y_GATE, D.Y_BUS, D.Y_TOP
GATE_TOP = D.Y_GATE + D.BOX_H / 2


def signed(value):
    """A number with 3 decimals and a typographic minus."""
    return num(value).replace("-", "−")


def _dashed(points, colour, name, width=3):
    return dict(type="path", path=D._path(points), line=dict(color=colour, width=width, dash=PEEP_DASH),
                layer="below", name=name)


def _label(text, x, y, size, colour, name, **anchor):
    return D._text(text, x, y, size, name=name, color=colour, bgcolor="white", **anchor)


def peephole_diagram(params, trace, t, *, unit=0, large=False):
    """The LSTM diagram (as a figure dict) with the peephole wires: C_{t-1} into f_t and i_t, C_t into o_t
    (dashed), and the unit's three peephole weights."""
    spec = D.cell_spec(params, trace, t, unit=unit, large=large)
    gx, size, colour = D.X_GATE, font_size(large), GATE_COLORS["c"]
    y_run = GATE_TOP + 0.35
    shapes = [
        _dashed([(3.3, Y_C), (3.3, y_run), (gx["i"] - 0.45, y_run), (gx["i"] - 0.45, GATE_TOP)], colour, "peep-i"),
        _dashed([(gx["f"] - 0.45, y_run), (gx["f"] - 0.45, GATE_TOP)], colour, "peep-f"),
        _dashed([(12.6, Y_C), (12.6, y_run), (gx["o"] + 0.45, y_run), (gx["o"] + 0.45, GATE_TOP)], colour,
                "peep-o"),
    ]
    p = {g: float(getattr(params, f"p_{g}")[unit]) for g in "fio"}
    note = _label(f"peepholes p<sub>f</sub> = {signed(p['f'])}, p<sub>i</sub> = {signed(p['i'])}, "
                  f"p<sub>o</sub> = {signed(p['o'])} (dashed: C into the gates)", D.X_IN, Y_TOP + 0.35, size - 1,
                  COLORS["peephole"], "peep-values", xanchor="left")
    layout = spec["layout"]
    layout["shapes"] = layout["shapes"] + shapes  # dicts in Plotly's form: no second validation
    layout["annotations"] = [a for a in layout["annotations"] if a.get("name") != "peephole"] + [note]
    return spec


def coupled_diagram(params, trace, t, *, unit=0, large=False):
    """The LSTM diagram (as a figure dict) of the coupled cell's full() twin: the input gate's own wire
    from the [h, x] bus and its σ tag are gone, and a "1 −" node turns f_t into i_t."""
    spec = D.cell_spec(params.full(), trace, t, unit=unit, large=large)
    gx, size = D.X_GATE, font_size(large)
    y = GATE_TOP + 0.45
    node_x = (gx["f"] + gx["i"]) / 2
    layout = spec["layout"]
    layout["shapes"] = [s for s in layout["shapes"] if s.get("name") != "wire-bus-i"] + [
        D._line([(gx["f"], y), (node_x - 0.45, y)], GATE_COLORS["f"], 3, "wire-one-minus"),
        D._line([(node_x + 0.45, y), (gx["i"] - 0.5, y), (gx["i"] - 0.5, GATE_TOP)], GATE_COLORS["i"], 3,
                "wire-one-minus-i")]
    layout["annotations"] = [a for a in layout["annotations"] if a.get("name") != "squash-i"]
    flow = next(tr for tr in spec["data"] if tr.get("name") == "flow")  # no arrowhead from the bus into i
    keep = [k for k, x in enumerate(flow["x"]) if not (x == gx["i"] and flow["y"][k] < Y_GATE)]
    flow["x"], flow["y"] = [flow["x"][k] for k in keep], [flow["y"][k] for k in keep]
    for key in ("symbol", "color"):
        flow["marker"][key] = [flow["marker"][key][k] for k in keep]
    spec["data"].append({
        "type": "scatter", "x": [node_x], "y": [y], "mode": "markers+text", "text": ["1−"], "name": "one-minus",
        "hovertext": [f"i<sub>t</sub> = 1 − f<sub>t</sub> = {signed(float(trace.i[t, unit]))}"], "hoverinfo": "text",
        "textposition": "middle center", "textfont": {"size": size, "color": INK, "family": FONT_FAMILY},
        "marker": {"size": D.NODE_PX, "color": "white", "line": {"color": COLORS["coupled"], "width": 3}}})
    return spec


# The GRU's own diagram, on the LSTM diagram's canvas: its h line on top is its memory.
GX = {"z": 5.0, "r": 8.6, "n": 11.4}  # gate box centres: update, reset, candidate
X_SUM, X_ONE_MINUS, X_DOWN, X_JOIN = 13.8, 7.2, 2.6, 3.4  # the + column, the "1 −" node, h_{t-1} to the bus
GRU_WORDS = {"z": "update", "r": "reset", "n": "candidate"}
GRU_COLOURS = {"z": GATE_COLORS["f"], "r": GATE_COLORS["i"], "n": GATE_COLORS["c_tilde"]}  # like f, i, C̃


def gru_values(trace, t, unit=0):
    """The numbers the GRU diagram shows for `unit` at step t of an unbatched GRU trace."""
    h_prev = trace.h0[0, unit] if t == 0 else trace.h[t - 1, unit]
    r, z, n, h = (float(getattr(trace, k)[t, unit]) for k in ("r", "z", "n", "h"))
    return {"x": [float(v) for v in trace.xs[t, 0]], "h_prev": float(h_prev), "r": r, "z": z, "n": n, "h": h,
            "kept": z * float(h_prev), "written": (1 - z) * n}


def _gru_fill(key, value):
    return D._colour(DIVERGING, value, -1, 1) if key == "n" else D._colour(SEQUENTIAL, value, 0, 1)


def _gru_wires(v):
    """Every GRU wire, coloured by what it carries, as thick as |value|."""
    w, col, bottom = D._width, GATE_COLORS, Y_GATE - D.BOX_H / 2
    wires = [D._line([(X_JOIN, D.Y_BOTTOM), (X_JOIN, Y_BUS), (GX["n"], Y_BUS)], col["x"], 3, "wire-x")]
    wires += [D._line([(GX[k], Y_BUS), (GX[k], bottom)], col["x"], 3, f"wire-bus-{k}") for k in GX]
    for name, points, colour, value in [
        ("h_prev", [(D.X_IN, Y_C), (GX["z"], Y_C)], col["h"], v["h_prev"]),
        ("h_down", [(X_DOWN, Y_C), (X_DOWN, Y_BUS), (X_JOIN, Y_BUS)], col["h"], v["h_prev"]),
        ("kept", [(GX["z"], Y_C), (X_SUM, Y_C)], col["h"], v["kept"]),
        ("h", [(X_SUM, Y_C), (D.X_OUT, Y_C)], col["h"], v["h"]),
        ("z", [(GX["z"], GATE_TOP), (GX["z"], Y_C)], GRU_COLOURS["z"], v["z"]),
        ("one_minus_z", [(GX["z"], Y_MIX), (X_SUM, Y_MIX)], GRU_COLOURS["z"], 1 - v["z"]),
        ("r", [(GX["r"] + D.BOX_W / 2, Y_GATE), (GX["n"] - D.BOX_W / 2, Y_GATE)], GRU_COLOURS["r"], v["r"]),
        ("n", [(GX["n"] + D.BOX_W / 2, Y_GATE), (X_SUM, Y_GATE), (X_SUM, Y_MIX)], GRU_COLOURS["n"], v["n"]),
        ("written", [(X_SUM, Y_MIX), (X_SUM, Y_C)], GRU_COLOURS["n"], v["written"]),
        ("h_up", [(D.X_UP, Y_C), (D.X_UP, Y_TOP)], col["h"], v["h"]),
    ]:
        wires.append(D._line(points, colour, w(value), f"wire-{name}"))
    return wires


def _gru_boxes(v):
    return [dict(type="path", path=D._rounded(x - D.BOX_W / 2, Y_GATE - D.BOX_H / 2, x + D.BOX_W / 2, GATE_TOP, 0.12),
                 fillcolor=_gru_fill(k, v[k]), line=dict(color=GRU_COLOURS[k], width=4), layer="below",
                 name=f"gate-{k}") for k, x in GX.items()]


def _gru_texts(v, size, large):
    """Box names and values, the squash tags, the badges on the wires and x_t."""
    out = []
    for k, x in GX.items():
        out.append(D._text(f"{GRU_WORDS[k]}<br><b>{signed(v[k])}</b>", x, Y_GATE + 0.14,
                           size - 1 if large else size + 1, name=f"gate-{k}", color=ink_on(_gru_fill(k, v[k]))))
        out.append(D._text("tanh" if k == "n" else "σ", x - D.BOX_W / 2 - 0.1, Y_GATE - D.BOX_H / 2, size - 3,
                           name=f"squash-{k}", xanchor="left", bgcolor="white", bordercolor=GRU_COLOURS[k],
                           borderwidth=2, borderpad=2))
    above, h = dict(yanchor="bottom"), GATE_COLORS["h"]
    eq = D._equals
    x_text = "[" + ", ".join(signed(x) for x in v["x"]) + "]"
    out += [
        D._badge(eq("h<sub>t−1</sub>", v["h_prev"], large), v["h_prev"], D.X_BADGE_IN, Y_C + 0.2, size,
                 name="h_prev", border=h, **above),
        D._badge(eq("kept z<sub>t</sub>·h<sub>t−1</sub>", v["kept"], large), v["kept"], (GX["z"] + X_SUM) / 2,
                 Y_C + 0.2, size, name="kept", border=h, **above),
        D._badge(f"written (1−z<sub>t</sub>)·n<sub>t</sub><br>= {signed(v['written'])}", v["written"], X_SUM + 0.55,
                 Y_MIX - 0.2, size, name="written", border=GRU_COLOURS["n"], xanchor="left"),
        D._badge(eq("h<sub>t</sub>", v["h"], large), v["h"], D.X_BADGE_OUT, Y_C + 0.2, size, name="h", border=h,
                 **above),
        D._badge(f"h<sub>t</sub> = {signed(v['h'])}", v["h"], D.X_UP, Y_TOP + 0.1, size, name="h_up", border=h,
                 **above),
        D._text(f"x<sub>t</sub> = {x_text}", X_JOIN + 0.3, 0.35, size, name="x", xanchor="left", bgcolor="white",
                bordercolor=GATE_COLORS["x"], borderwidth=2, borderpad=4),
        D._text("[h<sub>t−1</sub>, x<sub>t</sub>]", X_JOIN + 0.2, Y_BUS - 0.12, size, name="label-bus",
                xanchor="left", yanchor="top"),
        D._text("r<sub>t</sub>" if large else f"r<sub>t</sub> = {signed(v['r'])}", (GX["r"] + GX["n"]) / 2,
                GATE_TOP + 0.1, size - 1, name="label-r", yanchor="bottom"),
        D._text("1 − z<sub>t</sub>" if large else f"1 − z<sub>t</sub> = {signed(1 - v['z'])}",
                (X_ONE_MINUS + X_SUM) / 2 + 0.6, Y_MIX + 0.12, size, name="label-one-minus", yanchor="bottom"),
    ]
    return out


def _gru_nodes(v, size):
    """The pointwise operations: keep z·h, the "1 −", write (1−z)·n, and the sum."""
    nodes = [(GX["z"], Y_C, "×", f"keep: z<sub>t</sub>·h<sub>t−1</sub> = {signed(v['kept'])}"),
             (X_ONE_MINUS, Y_MIX, "1−", f"1 − z<sub>t</sub> = {signed(1 - v['z'])}"),
             (X_SUM, Y_MIX, "×", f"write: (1 − z<sub>t</sub>)·n<sub>t</sub> = {signed(v['written'])}"),
             (X_SUM, Y_C, "+", f"add: h<sub>t</sub> = kept + written = {signed(v['h'])}")]
    x, y, symbol, hover = zip(*nodes)
    return dict(type="scatter", x=x, y=y, mode="markers+text", text=symbol, hovertext=hover, hoverinfo="text",
                textposition="middle center", name="operations",
                textfont=dict(size=size + 4, color=INK, family=FONT_FAMILY),
                marker=dict(size=D.NODE_PX, color="white", line=dict(color=INK, width=2)))


def _gru_hover(v):
    """Invisible markers over the boxes with what each gate does."""
    teach = {"z": "how much of h<sub>t−1</sub> to keep; the rest, 1 − z<sub>t</sub>, is the candidate's",
             "r": "how much of W<sub>nh</sub>·h<sub>t−1</sub> + b<sub>hn</sub> the candidate sees",
             "n": "new content proposed for h<sub>t</sub>, −1..1"}
    return dict(type="scatter", x=list(GX.values()), y=[Y_GATE] * 3, mode="markers", hoverinfo="text", name="gates",
                hovertext=[f"<b>{GRU_WORDS[k]}</b> {k}<sub>t</sub> = {signed(v[k])}<br>{teach[k]}" for k in GX],
                marker=dict(size=70, symbol="square", color=D.CLEAR))


def gru_diagram(trace, t, *, unit=0, large=False):
    """The GRU cell at step t (0-based) for hidden unit `unit` of an unbatched GRU trace, live values on it,
    as a figure dict."""
    v, size = gru_values(trace, t, unit), font_size(large)
    shapes = [D._frame()] + _gru_wires(v) + _gru_boxes(v)
    title = f"GRU — step {t + 1} of {trace.h.shape[0]}, unit {unit + 1}"
    return D.plain_figure([_gru_hover(v), _gru_nodes(v, size)] + D._colour_keys(size),
                          D._layout(title, shapes, _gru_texts(v, size, large), size))


# Chains: a few steps of one or more rows of cells, each cell a box filled by its h value.
STEP_W, CELL_W, CELL_H, ROW_H = 3.2, 2.0, 1.3, 2.6  # column pitch, cell box, row pitch (data units)
SHOWN_STEPS = 5  # steps in a chain: the one shown and up to two either side
X0, Y0 = 4.6, 1.6  # the first column's centre (room for the row names on its left), the first row's floor


def window(t, T, n=SHOWN_STEPS):
    """The 0-based steps a chain draws: n consecutive steps around t inside 0..T-1."""
    start = max(0, min(t - n // 2, T - n))
    return list(range(start, min(T, start + n)))


def _input_label(s, x):
    """Step s's input under its column: "x₅ = 0.250", or for several inputs "x₅ =" over lines of two
    values (a column is ~150 px wide)."""
    values = [signed(v) for v in x]
    if len(values) == 1:
        return f"x<sub>{s + 1}</sub> = {values[0]}"
    return f"x<sub>{s + 1}</sub> =<br>" + ",<br>".join(", ".join(values[k:k + 2]) for k in range(0, len(values), 2))


def _foot(inputs, size):
    """Canvas (data units) under the inputs' arrows for their labels' lines (~48 px a unit)."""
    lines = 1 if inputs == 1 else 1 + (inputs + 1) // 2
    return 0.4 + (lines - 1) * 1.3 * size / 48


def _cell_box(x, y, value, border, name):
    fill = D._colour(DIVERGING, value, -1, 1)
    return dict(type="path", path=D._rounded(x - CELL_W / 2, y - CELL_H / 2, x + CELL_W / 2, y + CELL_H / 2, 0.15),
                fillcolor=fill, line=dict(color=border, width=3), layer="below", name=name)


def _row_y(r):
    """The centre height of row r (0 at the bottom)."""
    return Y0 + ROW_H * (r + 0.6)


def _up_wire(x, r_from, r_to, detour):
    """A wire from row r_from's box top to row r_to's box bottom at column x; `detour` (data units, or 0)
    steps right around the boxes in between, through the gaps between the columns."""
    y0, y1 = _row_y(r_from) + CELL_H / 2, _row_y(r_to) - CELL_H / 2
    if not detour:
        return [(x, y0), (x, y1)]
    low, high = _row_y(r_from) + ROW_H / 2, _row_y(r_to) - ROW_H / 2
    return [(x, y0), (x, low), (x + detour, low), (x + detour, high), (x, high), (x, y1)]


def chain_diagram(rows, xs, t, *, title, unit=0, large=False, up=(), joined=None):
    """A chain of cells: `rows` is a list of (name, h (T, H), "right" or "left", colour), drawn bottom up;
    `up` lists (row, row above) pairs wired upward at every step, the first wire named h of its row;
    `joined` (a name) adds a top row of the outputs [h of each row], fed by every row (the lower ones
    step around the rows between). xs (T, I) labels the inputs; step t is shaded."""
    steps, size = window(t, len(xs)), font_size(large)
    n_rows = len(rows) + (1 if joined else 0)
    col = {s: X0 + STEP_W * k for k, s in enumerate(steps)}
    shapes = [dict(type="rect", x0=col[t] - STEP_W / 2, x1=col[t] + STEP_W / 2, y0=0.0,
                   y1=_row_y(n_rows - 1) + ROW_H / 2, fillcolor=BAND_ZONE, line=dict(width=0), layer="below",
                   name="shown-step")]
    texts, heads = [], []
    for s in steps:
        x = col[s]
        shapes.append(D._line([(x, 1.0), (x, _row_y(0) - CELL_H / 2)], GATE_COLORS["x"], 2.5, f"x-{s}"))
        texts.append(D._text(_input_label(s, xs[s]), x, 0.75, size - 1, name=f"x-{s}", yanchor="top"))
        heads.append((x, _row_y(0) - CELL_H / 2 - 0.05, "up", GATE_COLORS["x"]))
    for r, (name, h, way, colour) in enumerate(rows):
        y = _row_y(r)
        texts.append(D._text(name, X0 - CELL_W / 2 - 0.3, y, size, name=f"row-{r}", xanchor="right",
                             color=colour))
        for k, s in enumerate(steps):
            value = float(h[s, unit])
            shapes.append(_cell_box(col[s], y, value, colour, f"cell-{r}-{s}"))
            texts.append(D._text(signed(value), col[s], y, size, name=f"h-{r}-{s}",
                                 color=ink_on(D._colour(DIVERGING, value, -1, 1))))
            if k + 1 < len(steps):
                a, b = col[s] + CELL_W / 2, col[steps[k + 1]] - CELL_W / 2
                a, b = (a, b) if way == "right" else (b, a)
                shapes.append(D._line([(a, y), (b, y)], colour, 3, f"carry-{r}-{s}"))
                heads.append((b, y, way, colour))
    wires = list(up) + ([(r, len(rows), 0) for r in range(len(rows))] if joined else [])
    for wire in wires:
        below, above = wire[0], wire[1]
        offset = (-0.45 if below else 0.45) if joined else 0.0
        detour = 1.05 if above - below > 1 else 0
        for s in steps:
            points = _up_wire(col[s] + offset, below, above, detour)
            shapes.append(D._line(points, rows[below][3], 2.5, f"up-{below}-{s}"))
            heads.append((points[-1][0], points[-1][1] - 0.05, "up", rows[below][3]))
    if joined:
        y = _row_y(len(rows))
        texts.append(D._text(joined, X0 - CELL_W / 2 - 0.3, y, size, name="row-joined", xanchor="right"))
        for s in steps:
            box = D._rounded(col[s] - CELL_W / 2, y - CELL_H / 2 - 0.2, col[s] + CELL_W / 2, y + CELL_H / 2 + 0.2, 0.15)
            shapes.append(dict(type="path", path=box,
                               fillcolor="white", line=dict(color=INK, width=2), layer="below", name=f"out-{s}"))
            values = ",<br>".join(signed(float(h[s, unit])) for _, h, _, _ in rows)
            texts.append(D._text(f"[{values}]", col[s], y, size - 1, name=f"out-{s}"))
    return _chain_figure(title, shapes, texts, heads, size, n_rows, _foot(xs.shape[1], size))


def _chain_figure(title, shapes, texts, heads, size, n_rows, foot):
    """The chain's canvas: as wide as SHOWN_STEPS columns, as tall as its rows and `foot` under them,
    equal aspect."""
    x, y, way, colour = zip(*heads)
    arrows = dict(type="scatter", x=x, y=y, mode="markers", hoverinfo="skip", name="flow",
                  marker=dict(size=11, symbol=[f"triangle-{w}" for w in way], color=list(colour)))
    width = X0 + STEP_W * (SHOWN_STEPS - 0.5) + 0.4
    height = _row_y(n_rows - 1) + ROW_H / 2 + 0.3
    layout = D._layout(title, shapes, texts, size)
    layout["xaxis"]["range"] = (0.0, width)
    layout["yaxis"]["range"] = (-foot, height)
    layout["height"] = round(130 + 48 * (height + foot - 0.4))
    return D.plain_figure([arrows], layout)


def chain_title(name, t, T, unit):
    """A chain's title: what it shows, and where."""
    return f"{name} — steps around {t + 1} of {T}, unit {unit + 1}: h<sub>t</sub> in each cell"
