"""A page's state in a link: frozen dataclasses of plain values to and from query strings.

Only fields that differ from the defaults are written, so ordinary links stay short. Fields
are decoded by their annotated type (int, float, str, or a tuple of floats); a value that does
not parse raises ValueError naming the field, so a page can say which part of a link is broken.
"""
import dataclasses

import numpy as np


def to_query(state):
    """The query-string dict of a state: only what differs from the class defaults."""
    default = type(state)()
    return {f.name: _encode(getattr(state, f.name)) for f in dataclasses.fields(state)
            if getattr(state, f.name) != getattr(default, f.name)}


def from_query(cls, query):
    """An instance of `cls` from a query dict (str -> str); unknown keys are ignored."""
    kwargs = {f.name: _decode(f, query[f.name]) for f in dataclasses.fields(cls) if f.name in query}
    return cls(**kwargs)


def _encode(value):
    """Tuples as comma-separated shortest-exact floats; everything else as str."""
    if isinstance(value, tuple):
        return ",".join(_short(v) for v in value)
    return str(value)


def _short(v):
    """The shortest exact text of a float: repr without a trailing '.0'."""
    text = repr(float(v))
    return text[:-2] if text.endswith(".0") else text


def _decode(field, text):
    """Parse one query value by the field's type; finite numbers only."""
    kind = field.type
    try:
        if kind is tuple:
            values = tuple(float(v) for v in str(text).split(","))
            if not all(np.isfinite(values)):
                raise ValueError
            return values
        if kind is int:
            return int(text)
        if kind is float:
            value = float(text)
            if not np.isfinite(value):
                raise ValueError
            return value
        return str(text)
    except ValueError:
        raise ValueError(f"the link's '{field.name}' is not valid") from None
