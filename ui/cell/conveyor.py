"""The conveyor belt in motion: the cell diagram of ui/cell/diagram.py, played step by step by the
browser with Plotly frames (never a server loop).

The figure is the still diagram at the page's cursor. Each frame carries only what moves from one
step to the next — the numbers on the gates and badges, the gates' fills, the wires' widths, the
title and the hover texts — found by comparing the diagram's own parts across the steps: Plotly
merges a frame's shapes and annotations into the figure's element by element, so a frame holds a
few hundred values, not a whole figure. Long sequences are subsampled to at most MAX_FRAMES frames.
Pure: parameters and a trace in, plain figure dicts out.
"""
from ui.cell.diagram import cell_diagram, diagram_parts
from ui.cell.time_figures import sequence_shape
from ui.common.animation import frame_steps, play_controls
from ui.common.style import font_size

MAX_FRAMES = 120
FRAME_MS = 700  # time on each step while playing: long enough to read the numbers
MOVING = ("shapes", "annotations")  # the layout lists whose elements change from step to step
HOVERED = ("gates", "operations")  # diagram_parts' hover lists, for fig.data[0] and fig.data[1]
PREFIX = "animation at time step t = "  # the animation's own step label


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


def animation_frames(params, trace, *, unit=0, large=False):
    """One frame per shown step (at most MAX_FRAMES), named by its time step t = 1..T."""
    T, _ = sequence_shape(trace)
    steps = [int(s) for s in frame_steps(T, MAX_FRAMES)]
    parts = [diagram_parts(params, trace, s, unit=unit, large=large) for s in steps]
    flat = {key: [[_paths(item) for item in p[key]] for p in parts] for key in MOVING}
    moving = {key: _moving_paths(flat[key]) for key in MOVING}
    frames = []
    for n, (s, p) in enumerate(zip(steps, parts)):
        layout = {"title": {"text": p["title"]}}
        for key in MOVING:
            layout[key] = [_nested({path: item[path] for path in paths})
                           for item, paths in zip(flat[key][n], moving[key])]
        data = [{"type": "scatter", "hovertext": p["hover"][k]} for k in HOVERED]
        frames.append({"name": str(s + 1), "layout": layout, "data": data, "traces": [0, 1]})
    return frames


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
    `start` (0-based), its slider there and Play going on from there. Cheap: no figure is rebuilt."""
    names = [f["name"] for f in animation["frames"]]
    active = max(k for k, n in enumerate(names) if int(n) - 1 <= start)
    layout = animation["layout"]
    menus, sliders = _controls(names, active, large, layout["height"] - layout["margin"]["t"] - layout["margin"]["b"])
    moved = {key: still["layout"][key] for key in ("title", *MOVING)}
    return {**animation, "data": still["data"], "layout": {**layout, **moved, "updatemenus": menus, "sliders": sliders}}


def cell_animation(params, trace, *, unit=0, start=0, large=False):
    """The cell diagram at step `start` for `unit`, with a frame for every step (at most
    MAX_FRAMES), Play / Pause and a slider of time steps, as a figure dict."""
    still = cell_diagram(params, trace, start, unit=unit, large=large).to_dict()
    size = font_size(large)
    room = round(size * 6.5)  # under the diagram: the Play button, the slider and its labels
    layout = {**still["layout"], "height": still["layout"]["height"] + room,
              "margin": {**still["layout"]["margin"], "b": room}}
    return start_at({**still, "layout": layout, "frames": animation_frames(params, trace, unit=unit, large=large)},
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
