"""The cell pages' state as plain data, and its round trip through a link's query string.

A `CellState` is everything that decides what the two cell pages show: sizes, the weights,
the input sequence and the cursor. It is a frozen dataclass of plain values, so it can sit in
session state, be compared, and be written to / read from `st.query_params` by pure functions.
Weights and the input are left out of the link when they equal what the seed (or the generator)
would rebuild, which keeps ordinary links short. A cell too big for a link (a trained text model's
first layer) is held in the server's memory (ui/cell/held.py) and the link carries its digest.
An input of characters names them in `chars`: x_t is one-hot over them (I = len(chars)), or one
number per step, the character's id divided by V = len(chars) (I = 1).
"""
import dataclasses
import json

import numpy as np

import lstm_core as lc

from lstm_core.text import MAX_VOCAB, show_char
from ui.cell import held as held_cells
from ui.cell.lessons import FORECAST_SOURCE, PRESETS, TEXT_SOURCE
from ui.common import link
from ui.common.sequences import GENERATORS, MAX_ABS, MAX_STEPS, generate

MAX_HIDDEN, MAX_INPUT = 4, 3  # what the sliders make and a link's weights may hold
MAX_HELD_HIDDEN = 512  # a held cell's units (a text model's first layer): its link leaves H and I out
WEIGHT_LIMIT = 100.0  # the weight tables accept |w| up to this; links and files are held to it too
MAX_FILE_CHARS = 200_000  # the largest cell's weights file (H=4, I=3) is about 1,500 characters
WEIGHT_ORDER = ("W_f", "W_i", "W_c", "W_o", "b_f", "b_i", "b_c", "b_o")


@dataclasses.dataclass(frozen=True)
class CellState:
    """What the cell pages show; `weights` and `xs` are tuples of floats (flat, fixed order).

    Each ranged field's range is both what a link may hold and its widget's range.
    """

    H: int = link.ranged(2, 1, MAX_HIDDEN)  # a held cell's is its weights' (the link leaves it out)
    I: int = link.ranged(1, 1, MAX_INPUT)  # likewise
    seed: int = link.ranged(0, 0, 2**32 - 1, step=1)
    scale: float = link.ranged(1.0, 0.1, 5.0, step=0.1)  # weight scale when weights are (re)initialised
    forget_bias: float = link.ranged(1.0, -6.0, 6.0, step=0.5)
    weights: tuple = link.ranged(None, -WEIGHT_LIMIT, WEIGHT_LIMIT)  # None: seeded; else flat, WEIGHT_ORDER
    gen: str = link.choice("sine", GENERATORS + ("typed",))  # generator name, or "typed"
    length: int = link.ranged(24, 1, MAX_STEPS, step=1)
    xs: tuple = link.ranged(None, -MAX_ABS, MAX_ABS)  # None: generated; else flat (T * I), time-major
    t: int = link.ranged(0, 0, MAX_STEPS - 1)  # cursor, 0-based
    unit: int = link.ranged(0, 0, MAX_HELD_HIDDEN - 1)  # clamped to the cell's H
    preset: str = link.choice("", ("",) + tuple(p.name for p in PRESETS))
    source: str = link.choice("", ("",) + lc.TASKS + (FORECAST_SOURCE, TEXT_SOURCE))  # who trained it
    held: str = ""  # the digest of weights held by the server (ui/cell/held.py), or "": `weights` says
    chars: str = ""  # the characters the input stands for (see the module's docstring), or ""
    large: int = link.ranged(0, 0, 1)  # 1: large fonts for projectors

    def params(self):
        """The LSTMParams this state describes."""
        if self.held:
            return held_cells.get(self.held)
        if self.weights is None:
            return seeded_params(self.H, self.I, self.seed, self.scale, self.forget_bias)
        return unflatten_params(np.array(self.weights), self.H, self.I)

    def sequence(self):
        """The (T, I) input this state describes."""
        if self.xs is None:
            return generate(self.gen, self.length, input_size=self.I, seed=self.seed)
        return np.array(self.xs, dtype=np.float64).reshape(-1, self.I)

    def with_params(self, params):
        """A copy holding `params` (None for them when the seed rebuilds them exactly; held by the
        server when they are too big for a link).

        New weights are no longer the trained ones, so `source` is cleared: whoever sets it
        (the Training lab) sets it after the weights.
        """
        if params.hidden_size > MAX_HIDDEN or params.input_size > MAX_INPUT:
            return dataclasses.replace(self, weights=None, held=held_cells.hold(params), source="")
        flat = tuple(float(v) for v in flatten_params(params))
        seeded = flatten_params(seeded_params(self.H, self.I, self.seed, self.scale, self.forget_bias))
        return dataclasses.replace(self, weights=None if np.array_equal(flat, seeded) else flat,
                                   held="", source="")

    def with_sequence(self, xs, gen="typed"):
        """A copy holding the (T, I) input `xs`, with the cursor kept inside it."""
        xs = np.asarray(xs, dtype=np.float64)
        return dataclasses.replace(self, xs=tuple(float(v) for v in xs.ravel()), gen=gen,
                                   length=len(xs), t=min(self.t, len(xs) - 1))

    def input_labels(self):
        """The name of each input feature: its character ('a', space, ...) for a one-hot input,
        "id / V" for the characters' integer feature, else x1, x2, ..."""
        if self.chars and len(self.chars) == self.I:
            return [show_char(ch) for ch in self.chars]
        if self.chars:
            return [f"id / {len(self.chars)}"]
        return [f"x{j + 1}" for j in range(self.I)]

    def step_chars(self):
        """The character each step's input stands for (None for a step that is no character), or
        None when the input is not characters."""
        if not self.chars:
            return None
        xs = self.sequence()
        if len(self.chars) == self.I:  # one-hot: exactly one 1 per step
            hot = (xs == 1).sum(axis=1) == 1
            ok = hot & ((xs == 0).sum(axis=1) == self.I - 1)
            return [self.chars[int(k)] if good else None for k, good in zip(xs.argmax(axis=1), ok)]
        V, ids = len(self.chars), np.rint(xs[:, 0] * len(self.chars)).astype(int)
        ok = (0 <= ids) & (ids < V) & np.isclose(xs[:, 0] * V, ids, rtol=0, atol=1e-4)
        return [self.chars[k] if good else None for k, good in zip(ids, ok)]

    def clamp(self):
        """The same state with cursor and unit inside the sequence and the model."""
        T = len(self.sequence())
        return dataclasses.replace(self, t=max(0, min(self.t, T - 1)),
                                   unit=max(0, min(self.unit, self.H - 1)))


def seeded_params(H, I, seed, scale, forget_bias):
    """Seeded PyTorch-style weights times `scale`, rounded to 3 decimals so they read well."""
    p = lc.LSTMParams.init(I, H, seed=seed, forget_bias=forget_bias)
    return p.replace(**{k: np.round(v * (scale if k.startswith("W") else 1.0), 3)
                        for k, v in p.arrays().items()})


def flatten_params(params):
    """All weights and biases as one flat float64 vector in WEIGHT_ORDER."""
    return np.concatenate([getattr(params, k).ravel() for k in WEIGHT_ORDER])


def unflatten_params(flat, H, I):
    """Inverse of flatten_params; ValueError if the count does not match (H, I)."""
    sizes = [H * (H + I)] * 4 + [H] * 4
    if len(flat) != sum(sizes):
        raise ValueError(f"expected {sum(sizes)} weights for H={H}, I={I}, got {len(flat)}")
    parts = np.split(np.asarray(flat, dtype=np.float64), np.cumsum(sizes)[:-1])
    arrays = {k: (v.reshape(H, H + I) if k.startswith("W") else v) for k, v in zip(WEIGHT_ORDER, parts)}
    return lc.LSTMParams(**arrays)


def to_query(state):
    """The query-string dict of a cell-page state: only what differs from the defaults (a held
    cell's sizes are its weights', so its link leaves H and I out)."""
    query = link.to_query(state)
    if state.held:
        query = {k: v for k, v in query.items() if k not in ("H", "I")}
    return query


def from_query(query):
    """A CellState from a query dict (str -> str); ValueError with a readable reason if bad."""
    state = _open_preset(_held_sizes(link.from_query(CellState, query), query), query)
    _validate(state)
    return state.clamp()


def _held_sizes(state, query):
    """A held cell's state with H and I read from its weights (a link gives them for no other cell)."""
    if not state.held:
        return state
    if "H" in query or "I" in query:
        raise ValueError("the link gives 'H' or 'I' beside 'held', whose weights say them")
    try:
        params = held_cells.get(state.held)
    except ValueError as err:
        raise ValueError(f"the link's cell could not be opened: {err}") from None
    return dataclasses.replace(state, H=params.hidden_size, I=params.input_size)


def _open_preset(state, query):
    """A short link that only names a preset (no weights: '?preset=Counter') opens that preset,
    on its own step unless the link gives 't'; a page's own links carry the weights and are kept."""
    if not state.preset or "weights" in query:
        return state
    opened = apply_preset(state, next(p for p in PRESETS if p.name == state.preset))
    return dataclasses.replace(opened, t=state.t) if "t" in query else opened


def _validate(state):
    """Raise ValueError unless the state describes a model and sequence the pages can show.

    Every field is already within its declared range (link.check); here: what ties fields together.
    """
    if (state.gen == "typed") != (state.xs is not None):
        raise ValueError("the link's input must be typed numbers ('xs') exactly when 'gen' is 'typed'")
    if state.xs is not None and len(state.xs) != state.length * state.I:
        raise ValueError(f"the link's 'xs' has {len(state.xs)} values, but 'length' {state.length} "
                         f"steps of 'I' {state.I} input(s) need {state.length * state.I}")
    if state.source and state.weights is None and not state.held:
        raise ValueError("the link's 'source' names a trained model, so it must carry its 'weights'")
    _validate_held(state)
    _validate_chars(state)
    try:
        state.params()
    except ValueError as err:
        raise ValueError(f"the link's weights do not fit: {err}") from None


def chars_sequence(state, text):
    """The (T, I) input of `text` for a state whose input stands for characters (one-hot over
    `chars`, or id / V); ValueError naming any character it has no feature for."""
    if not text or len(text) > MAX_STEPS:
        raise ValueError(f"type 1 to {MAX_STEPS} characters")
    unknown = sorted(set(text) - set(state.chars))
    if unknown:
        raise ValueError(f"{', '.join(show_char(ch) for ch in unknown[:10])} "
                         f"{'is' if len(unknown) == 1 else 'are'} not among the input's characters")
    ids = np.array([state.chars.index(ch) for ch in text])
    if len(state.chars) == state.I:
        return np.eye(state.I)[ids]
    return (ids / np.float32(len(state.chars))).astype(np.float32).astype(np.float64)[:, None]


def _validate_held(state):
    """Raise ValueError unless a held cell's link holds no weights besides (its sizes are checked
    by _held_sizes; every other cell's by its fields' ranges)."""
    if state.held and state.weights is not None:
        raise ValueError("the link gives both 'weights' and 'held'")


def _validate_chars(state):
    """Raise ValueError unless `chars` is empty, or distinct characters that fit the input's width."""
    chars = state.chars
    if not chars:
        return
    if len(set(chars)) != len(chars) or len(chars) > MAX_VOCAB:
        raise ValueError(f"the link's 'chars' must be at most {MAX_VOCAB} distinct characters")
    if len(chars) != state.I and not (state.I == 1 and len(chars) >= 2):
        raise ValueError("the link's 'chars' must name one character per input (one-hot), "
                         "or the vocabulary of one integer input")


def params_to_json(params):
    """The parameters as pretty JSON text, for the download button."""
    return json.dumps(params.to_dict(), indent=1)


def params_from_json(text):
    """LSTMParams from uploaded JSON; ValueError with a readable reason on anything malformed."""
    if len(text) > MAX_FILE_CHARS:
        raise ValueError(f"the file is {len(text):,} characters long; weights of H ≤ {MAX_HIDDEN} "
                         "fit in a few thousand")
    try:
        data = json.loads(text)
    except ValueError as err:  # JSONDecodeError, UnicodeDecodeError, an integer of 5000 digits
        raise ValueError(f"the file is not valid JSON ({str(err)[:120]})") from None
    except RecursionError:
        raise ValueError("the file is nested too deeply to be weights") from None
    params = lc.LSTMParams.from_dict(data)
    if params.peephole:
        raise ValueError("these pages show LSTMs without peepholes")
    if not (1 <= params.hidden_size <= MAX_HIDDEN and 1 <= params.input_size <= MAX_INPUT):
        raise ValueError(f"the pages show H up to {MAX_HIDDEN} and I up to {MAX_INPUT}; "
                         f"the file has H={params.hidden_size}, I={params.input_size}")
    if max(np.abs(a).max() for a in params.arrays().values()) > WEIGHT_LIMIT:
        raise ValueError(f"every weight must lie within ±{WEIGHT_LIMIT:g}")
    return params



def resize(state, H, I):
    """New sizes: seeded weights again; a typed input of the wrong width falls back to a generator."""
    keep_xs = state.xs is not None and I == state.I
    return dataclasses.replace(state, H=H, I=I, weights=None, held="", preset="", source="",
                               chars=state.chars if keep_xs else "",
                               xs=state.xs if keep_xs else None,
                               gen=state.gen if keep_xs or state.gen != "typed" else "sine").clamp()


def reseed(state, seed):
    """A new seed: fresh seeded weights (and a fresh random walk), no longer a trained model."""
    return small(dataclasses.replace(state, seed=seed, weights=None, held="", preset="", source="")).clamp()


def reset(state):
    """The seeded weights again, at scale 1 and b_f = 1 (a held cell's sizes: the sliders' defaults)."""
    return small(dataclasses.replace(state, weights=None, held="", preset="", source="", scale=1.0,
                                     forget_bias=1.0))


def small(state):
    """`state`, or if its sizes are above the sliders' (a held cell's), the default sizes and input."""
    if state.H <= MAX_HIDDEN and state.I <= MAX_INPUT:
        return state
    default = CellState()
    return resize(state, default.H, default.I)


def rescale(state, scale):
    """Scale every weight matrix by scale / old scale, keeping any edits; biases untouched.

    An edited weight is held within ±WEIGHT_LIMIT, like the tables and links."""
    if state.weights is None and not state.held:
        return dataclasses.replace(state, scale=scale, preset="", source="")
    p = state.params()
    ratio = scale / state.scale
    p = p.replace(**{k: np.clip(v * ratio, -WEIGHT_LIMIT, WEIGHT_LIMIT)
                     for k, v in p.arrays().items() if k.startswith("W")})
    return dataclasses.replace(state, scale=scale, preset="").with_params(p)


def set_forget_bias(state, forget_bias):
    """Set b_f of every unit to `forget_bias`, keeping every other weight."""
    p = state.params()
    p = p.replace(b_f=np.full_like(p.b_f, forget_bias))
    return dataclasses.replace(state, forget_bias=forget_bias, preset="").with_params(p)


def apply_preset(state, preset):
    """The state of a preset: its one-unit weights and its input, the cursor on the step that makes
    its point."""
    base = dataclasses.replace(CellState(), H=1, I=1, preset=preset.name, t=preset.step - 1,
                               large=state.large)
    return base.with_params(preset.params()).with_sequence(preset.sequence())
