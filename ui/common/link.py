"""A page's state in a link: frozen dataclasses of plain values to and from query strings.

Only fields that differ from the defaults are written, so ordinary links stay short. Fields
are decoded by their annotated type (int, float, str, or a tuple of floats). A field declared
with `ranged` or `choice` carries its allowed values, and that one declaration serves both the
link parser (`check`) and the widget (`limits`, `options`): a link can never hold a value the
page's slider or select box would refuse. Anything a link cannot mean — an unknown key, text
that is not a number, NaN, infinity, a value out of range — raises ValueError naming the field,
so a page can say which part of a link is broken.
"""
import dataclasses
import math
import numbers
import re

VIEW_KEYS = ("present", "hide", "path")  # any page's: the view (ui/common/present.py), the path (ui/path)
RESERVED = ("embed", "embed_options") + VIEW_KEYS  # allowed in any link, never a field; Streamlit's two first
_INT = re.compile(r"[-+]?[0-9]{1,30}")  # ASCII digits only; longer than 30 is out of every range anyway
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")  # no 'nan', 'inf', '1_0'


def ranged(default, low, high, step=None):
    """A dataclass field whose value (every element, for a tuple) must lie in low..high.

    `step` is the widget's step; `limits` hands all three to the slider or number input.
    """
    return dataclasses.field(default=default, metadata={"range": (low, high), "step": step})


def choice(default, options):
    """A str dataclass field that must be one of `options` (the select box's options too)."""
    return dataclasses.field(default=default, metadata={"choices": tuple(options)})


def _field(cls, name):
    """The dataclass field `name` of `cls` (a class or an instance)."""
    return next(f for f in dataclasses.fields(cls) if f.name == name)


def limits(cls, name):
    """The widget keywords of a ranged field: min_value, max_value (typed like the field), step."""
    f = _field(cls, name)
    low, high = f.metadata["range"]
    cast = float if f.type is float else int
    kwargs = {"min_value": cast(low), "max_value": cast(high)}
    if f.metadata["step"] is not None:
        kwargs["step"] = cast(f.metadata["step"])
    return kwargs


def bounds(cls, name):
    """(low, high) of a ranged field."""
    return _field(cls, name).metadata["range"]


def options(cls, name):
    """The allowed values of a choice field, as a list for a select box."""
    return list(_field(cls, name).metadata["choices"])


def check(state):
    """Raise ValueError naming the first field outside its declared range or choices; return state."""
    for f in dataclasses.fields(state):
        value = getattr(state, f.name)
        if "range" in f.metadata and value is not None:
            low, high = f.metadata["range"]
            values = value if isinstance(value, tuple) else (value,)
            if not all(_number(v, f.type) and low <= v <= high for v in values):
                what = "every value in the link's" if isinstance(value, tuple) else "the link's"
                raise ValueError(f"{what} '{f.name}' must lie within {_text(low)}..{_text(high)}")
        if "choices" in f.metadata and value not in f.metadata["choices"]:
            raise ValueError(f"the link's '{f.name}' must be one of: "
                             + ", ".join(repr(c) for c in f.metadata["choices"]))
    return state


def _text(x):
    """A range end as a person writes it: 4294967295, 0.1, 1e+06."""
    return str(x) if isinstance(x, int) else f"{x:g}"


def _number(v, kind):
    """A finite number of the field's kind: a whole number for an int field (never a bool)."""
    want = numbers.Integral if kind is int else numbers.Real
    return isinstance(v, want) and not isinstance(v, bool) and math.isfinite(v)


def to_query(state):
    """The query-string dict of a state: only what differs from the class defaults."""
    default = type(state)()
    return {f.name: _encode(getattr(state, f.name)) for f in dataclasses.fields(state)
            if getattr(state, f.name) != getattr(default, f.name)}


def from_query(cls, query):
    """A checked instance of `cls` from a query dict (str -> str); ValueError on any unknown key."""
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(k for k in query if k not in names and k.lower() not in RESERVED)
    if unknown:
        raise ValueError(f"the link's '{str(unknown[0])[:40]}' is not a setting of this page")
    kwargs = {f.name: _decode(f, query[f.name]) for f in dataclasses.fields(cls) if f.name in query}
    return check(cls(**kwargs))


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
    """Parse one query value by the field's type; plain ASCII, finite numbers only."""
    text = str(text)
    try:
        if field.type is tuple:
            return tuple(_float(v) for v in text.split(","))
        if field.type is int:
            if not _INT.fullmatch(text):
                raise ValueError
            return int(text)
        if field.type is float:
            return _float(text)
        return text
    except ValueError:
        raise ValueError(f"the link's '{field.name}' is not valid") from None


def _float(text):
    """A finite float from plain decimal text, else ValueError."""
    if not _FLOAT.fullmatch(text):
        raise ValueError
    value = float(text)
    if not math.isfinite(value):  # 1e309 parses to inf
        raise ValueError
    return value
