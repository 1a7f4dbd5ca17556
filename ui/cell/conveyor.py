"""The conveyor belt in motion: the cell diagram of ui/cell/diagram.py, played step by step by the
browser with Plotly frames (never a server loop), over a strip of the unit's C_t and h_t through
the whole sequence with a marker at the step shown.

The figure is the still diagram at the page's cursor. Each frame carries only what moves from one
step to the next — the numbers on the gates and badges, the gates' fills, the wires' widths, the
title and the hover texts — found by comparing the diagram's own parts across the steps: Plotly
merges a frame's shapes and annotations into the figure's element by element, so a frame holds a
few hundred values, not a whole figure. Long sequences are subsampled to at most MAX_FRAMES frames.
Pure: parameters and a trace in, plain figure dicts out.
"""
from ui.cell.diagram import cell_diagram, diagram_parts
from ui.cell.time_figures import STATE_STYLES, sequence_shape
from ui.common.animation import frame_steps, play_controls
from ui.common.palette import GATE_COLORS, INK
from ui.common.style import font_size, integer_axis

MAX_FRAMES = 120
FRAME_MS = 700  # time on each step while playing: long enough to read the numbers
MOVING = ("shapes", "annotations")  # the layout lists whose elements change from step to step
HOVERED = ("gates", "operations")  # diagram_parts' hover lists, for fig.data[0] and fig.data[1]
PREFIX = "animation at time step t = "  # the animation's own step label
DIAGRAM_PX = 460  # the still diagram's plot height (its figure's 520 less its title's 60)


def _strip_px(size):
    """The height of the C_t / h_t strip under the diagram, with its tick labels and axis title."""
    return round(size * 13)


def _now(trace, s, unit):
    """The strip's markers at step s: C_t and h_t of `unit`, in STATE_STYLES order."""
    return [{"type": "scatter", "x": [s + 1], "y": [float(getattr(trace, k)[s, unit])]} for k, _, _ in STATE_STYLES]


def _paths(item, prefix=()):
    """A nested dict as {path tuple: leaf value}."""
    out = {}
    for key, value in item.items():
        if isinstance(value, dict):
            out.update(_paths(value, prefix + (key,)))
        else:
            out[prefix + (key,)] = value
    return out


def _nested(pairs):
    """{path tuple: value} back to a nested dict."""
    out = {}
    for path, value in pairs.items():
        node = out
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return out


def _moving_paths(flat):
    """For each element of a layout list (flattened by _paths, at every step), the paths whose
    values differ between steps."""
    return [[path for path in first if any(step[k].get(path) != first[path] for step in flat)]
            for k, first in enumerate(flat[0])]


def animation_frames(params, trace, *, unit=0, large=False, x_names=None):
    """One frame per shown step (at most MAX_FRAMES), named by its time step t = 1..T; `x_names`
    (one per step, or None) names each x_t in words."""
    T, _ = sequence_shape(trace)
    steps = [int(s) for s in frame_steps(T, MAX_FRAMES)]
    parts = [diagram_parts(params, trace, s, unit=unit, large=large, x_name=x_names and x_names[s])
             for s in steps]
    flat = {key: [[_paths(item) for item in p[key]] for p in parts] for key in MOVING}
    moving = {key: _moving_paths(flat[key]) for key in MOVING}
    frames = []
    for n, (s, p) in enumerate(zip(steps, parts)):
        layout = {"title": {"text": p["title"]}}
        for key in MOVING:
            layout[key] = [_nested({path: item[path] for path in paths})
                           for item, paths in zip(flat[key][n], moving[key])]
        data = [{"type": "scatter", "hovertext": p["hover"][k]} for k in HOVERED] + _now(trace, s, unit)
        frames.append({"name": str(s + 1), "layout": layout, "data": data, "traces": [0, 1]})
    return frames


def _strip(trace, unit, size):
    """The unit's C_t (solid) and h_t (dashed) over every step, and their markers at step 1."""
    T, _ = sequence_shape(trace)
    colour = {"c": GATE_COLORS["c"], "h": GATE_COLORS["h"]}
    lines = [{"type": "scatter", "x": list(range(1, T + 1)), "y": getattr(trace, k)[:, unit].tolist(),
              "mode": "lines", "line": {"color": colour[k], "width": 3, "dash": dash}, "meta": f"line {k}",
              "xaxis": "x2", "yaxis": "y2", "hovertemplate": f"t = %{{x}}<br>{word} = %{{y:.3f}}<extra></extra>"}
             for k, dash, word in STATE_STYLES]
    now = [{**point, "mode": "markers", "meta": f"now {k}", "xaxis": "x2", "yaxis": "y2", "hoverinfo": "skip",
            "marker": {"color": colour[k], "size": round(size * 0.9), "line": {"color": INK, "width": 2}}}
           for point, (k, _, _) in zip(_now(trace, 0, unit), STATE_STYLES)]
    return lines + now


def _strip_axes(trace, unit, size, domain):
    """The strip's axes: time steps 1..T, and the states' extent (at least −1..1)."""
    T, _ = sequence_shape(trace)
    values = [*trace.c[:, unit].tolist(), *trace.h[:, unit].tolist(), -1.0, 1.0]
    pad = 0.1 * (max(values) - min(values))
    x = integer_axis(T, None, max_ticks=12)
    x["title"] = {"text": f"time step t — C<sub>t</sub> (solid) and h<sub>t</sub> (dashed) of unit {unit + 1}",
                  "font": {"size": size}}
    return {"xaxis2": {**x, "anchor": "y2", "fixedrange": True, "showgrid": False, "tickfont": {"size": size - 2}},
            "yaxis2": {"anchor": "x2", "domain": domain, "range": [min(values) - pad, max(values) + pad],
                       "fixedrange": True, "zeroline": True, "zerolinecolor": INK, "nticks": 4,
                       "tickfont": {"size": size - 2}}}


def _controls(names, active, large, plot_px):
    """Play / Pause and the animation's slider, both redrawing each frame (what moves is layout).

    Play runs from the shown frame onward, so the first Play starts at the page's cursor."""
    size = font_size(large)
    menus, sliders = play_controls(names, size, y=-size * 0.6 / plot_px, frame_ms=FRAME_MS, transition_ms=0,
                                   prefix=PREFIX)
    for control in menus[0]["buttons"] + sliders[0]["steps"]:
        control["args"][1]["frame"]["redraw"] = True
    play = menus[0]["buttons"][0]
    play["args"][0] = names[active:] if active < len(names) - 1 else names
    sliders[0]["active"] = active
    return menus, sliders


def start_at(animation, still, start, large=False):
    """The animation (a figure dict from `cell_animation`) showing the still diagram `still` of step
    `start` (0-based; its numbers, fills and hovers), the strip's markers, its slider there and Play
    going on from there. Cheap: no figure is rebuilt."""
    names = [f["name"] for f in animation["frames"]]
    active = max(k for k, n in enumerate(names) if int(n) - 1 <= start)
    layout = animation["layout"]
    menus, sliders = _controls(names, active, large, layout["height"] - layout["margin"]["t"] - layout["margin"]["b"])
    moved = {key: still["layout"][key] for key in ("title", *MOVING)}
    data = [{**d, "hovertext": still["data"][k]["hovertext"]} if k < len(HOVERED) else d
            for k, d in enumerate(animation["data"])]  # the diagram's hovers, then what does not move
    lines = {d["meta"].split()[1]: d["y"] for d in data if d.get("meta", "").startswith("line")}
    data = [{**d, "x": [start + 1], "y": [lines[d["meta"].split()[1]][start]]}
            if d.get("meta", "").startswith("now") else d for d in data]  # the strip's markers at `start`
    return {**animation, "data": data, "layout": {**layout, **moved, "updatemenus": menus, "sliders": sliders}}


def cell_animation(params, trace, *, unit=0, start=0, large=False, x_names=None):
    """The cell diagram at step `start` for `unit`, with a frame for every step (at most
    MAX_FRAMES), Play / Pause and a slider of time steps, as a figure dict; `x_names` (one per
    step, or None) names each x_t in words."""
    size = font_size(large)
    strip, room = _strip_px(size), round(size * 6.5)  # room: the Play button, the slider and its labels
    plot = DIAGRAM_PX + strip
    still = cell_diagram(params, trace, start, unit=unit, large=large, bottom=strip / plot,
                         x_name=x_names and x_names[start]).to_dict()
    layout = {**still["layout"], "height": still["layout"]["height"] + strip + room,
              "margin": {**still["layout"]["margin"], "b": room},
              **_strip_axes(trace, unit, size, [size * 3.4 / plot, (strip - size * 3) / plot])}
    frames = animation_frames(params, trace, unit=unit, large=large, x_names=x_names)
    strip_traces = _strip(trace, unit, size)
    first = len(still["data"]) + 2  # the markers follow the diagram's traces and the two lines
    for frame in frames:
        frame["traces"] = [0, 1, first, first + 1]
    return start_at({**still, "data": still["data"] + strip_traces, "layout": layout, "frames": frames},
                    still, start, large)


def frame_at(animation, k):
    """The figure dict that frame k turns the animation into: its layout lists merged element by
    element and its hover texts, as Plotly does in the browser (for tests and checks)."""
    frame, layout = animation["frames"][k], dict(animation["layout"])
    layout["title"] = {**layout["title"], **frame["layout"]["title"]}
    for key in MOVING:
        layout[key] = [_nested({**_paths(item), **_paths(change)})
                       for item, change in zip(layout[key], frame["layout"][key])]
    data = [dict(d) for d in animation["data"]]
    for index, change in zip(frame["traces"], frame["data"]):
        data[index].update({k: v for k, v in change.items() if k != "type"})
    return {"data": data, "layout": layout}
