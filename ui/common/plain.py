"""Figures as plain dicts already in Plotly's own form, in the app's one plot style (ui/common/style:
`frame`, `WHITE`, `AXIS`), built without Plotly's validation: the Sentiment and Sequence-to-sequence
pages build theirs this way.

Why: `go.Figure` validates every property of a chart, 6-8 ms a chart here, and a sentence new to the
server draws five charts on the Sentiment page (three readings, two padded grids): ~35 ms of a keystroke. The builders write
the dicts Plotly would have made: magic underscores spelt out (`title_standoff=15` is
`title={"standoff": 15}`), a string title as `{"text": ...}`, a float array as Plotly's typed array
(its float64 bytes in base64: exact, and short to write as JSON on every rerun), other arrays as lists.
The tests hand every builder's dict to `go.Figure` and check that validation accepts it and gives it
back unchanged.
"""
import base64

import numpy as np

from ui.common.palette import TEXT
from ui.common.style import WHITE, font_size, frame, rich


NESTED = (dict, list, tuple, np.ndarray, np.generic)  # what _plain rewrites; anything else is kept as it is


def typed(a):
    """A float64 array as to_dict writes it: {"dtype": "f8", "bdata": its bytes in base64, "shape": "r, c"}."""
    spec = {"dtype": "f8", "bdata": base64.b64encode(np.ascontiguousarray(a, dtype="<f8")).decode("ascii")}
    if a.ndim > 1:
        spec["shape"] = ", ".join(map(str, a.shape))
    return spec


def _plain(value):
    """Float arrays typed, other numpy arrays and numbers as Python lists and numbers; dicts and lists
    walked through."""
    if isinstance(value, dict):
        return expand(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) if isinstance(v, NESTED) else v for v in value]
    if isinstance(value, np.ndarray) and value.dtype == np.float64 and value.size:
        return typed(value)
    if isinstance(value, (np.ndarray, np.generic)):
        return value.tolist()
    return value


def _merge(into, key, value):
    """Set `into[key]`, merging dicts (a title given as a string first becomes {"text": ...})."""
    old = into.get(key)
    if isinstance(old, str) and key == "title":
        old = into[key] = {"text": old}
    if isinstance(old, dict) and isinstance(value, dict):
        for k, v in value.items():
            _merge(old, k, v)
    else:
        into[key] = value


NAMES = {"paper_bgcolor", "plot_bgcolor"}  # Plotly's only property names with an underscore


def _is_path(key):
    """True for a magic-underscore key such as "title_standoff"."""
    return "_" in key and key not in NAMES


def expand(props):
    """`props` in Plotly's form: plain keys first, then each `a_b_c` key as the path a → b → c."""
    out = {}
    for key, value in props.items():
        if not _is_path(key):
            _merge(out, key, {"text": value} if key == "title" and isinstance(value, str) else _plain(value))
    for key, value in props.items():
        if _is_path(key):
            *path, last = key.split("_")
            nested = {last: _plain(value)}
            for part in reversed(path[1:]):
                nested = {part: nested}
            _merge(out, path[0], nested)
    return out


def figure(traces, layout, title, subtitle, large, height, top=0, right=20):
    """The dict `style.figure` would validate and return as `to_dict()`: the same look, no validation."""
    base = frame(title, subtitle, font_size(large), height, top, right)
    base["font"]["color"] = TEXT
    return {"data": [expand(t) for t in traces], "layout": expand(dict(layout, **WHITE, **base))}


def rich_labels(spec):
    """`style.rich_labels` on a dict: subscripts as HTML in the titles, axis titles, names, hovers."""
    layout = spec["layout"]
    titled = [layout["title"], layout["title"].get("subtitle", {})]
    titled += [v.get("title", {}) for k, v in layout.items() if k.startswith(("xaxis", "yaxis", "legend"))]
    titled += [v.get("colorbar", {}).get("title", {}) for k, v in layout.items() if k.startswith("coloraxis")]
    for part in titled + layout.get("annotations", []):
        if part.get("text"):
            part["text"] = rich(part["text"])
    for trace in spec["data"]:
        for key in ("name", "hovertemplate"):
            if trace.get(key):
                trace[key] = rich(trace[key])
    return spec
