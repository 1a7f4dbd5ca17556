"""Reading single units of a text model: what each unit does at every character, and which units
follow a simple feature of the text (Karpathy's quote and line-length cells, LSTMVis's search).

    act = unit_activity(model, vocab, config, text)          # {"c": (n, H), "h": ..., "f": ...}
    ranking = rank_units(act["c"], text_features(text))      # |Pearson r| of every unit, per feature

Position t holds the unit just after reading character t, having read the `window` characters
up to it from a zero state (fewer at the start of the text): exactly what the model computes when
it predicts the character after t, since training and generation read windows of that length.
(Karpathy's visualisations run one pass over the whole text instead; there, a model trained on
windows from a zero state drifts, its cell states growing far past anything it trained on.)
"""
import dataclasses

import numpy as np

from .model_pass import model_forward
from .text import VOWELS, model_inputs

SIGNALS = ("c", "h", "f", "i", "o", "c_tilde")  # C_t, h_t and the gates, the trace's field names
MAX_CHARS = 5_000  # characters one pass reads (a longer text is cut, and the page says so)
FEATURES = ("quotes", "brackets", "line_position", "space", "newline", "vowel")
FEATURE_NAMES = {"quotes": "inside quotes", "brackets": "inside brackets",
                 "line_position": "position in the line", "space": "just read a space",
                 "newline": "just read a newline", "vowel": "just read a vowel"}


def unit_activity(model, vocab, config, text, layer=0, chunk=256):
    """{signal: (n, H) float64} for every SIGNALS name: layer `layer`'s forward cell just after each
    character of `text` (its first MAX_CHARS), each read at the end of its own window (see above).
    The windows run as batches of `chunk`, so memory stays bounded. Unknown characters raise
    ValueError naming them."""
    if not 0 <= layer < len(model.layers):
        raise ValueError(f"layer must be in 0..{len(model.layers) - 1}, got {layer!r}")
    ids = vocab.encode(text[:MAX_CHARS])
    if ids.size == 0:
        raise ValueError("the text is empty")
    windows, lengths = reading_windows(ids, config.window)
    cells = dataclasses.replace(model, layers=model.layers[:layer + 1], head=None)  # nothing above is read
    H = model.layers[layer].fwd.hidden_size
    out = {s: np.empty((ids.size, H)) for s in SIGNALS}
    full = int(np.argmax(lengths == lengths.max()))  # rows from here hold whole windows: no mask needed
    for start in [*range(0, full, chunk), *range(full, ids.size, chunk)]:
        rows = slice(start, min(start + chunk, full if start < full else ids.size))
        X, L = windows[rows], lengths[rows]
        trace = model_forward(cells, model_inputs(X.T, config, vocab.size),
                              lengths=L if start < full else None)
        cell, last = trace.layers[layer][0], (L - 1, np.arange(len(L)))
        for s in SIGNALS:
            out[s][rows] = getattr(cell, s)[last]
    return out


def reading_windows(ids, window):
    """(windows (n, L), lengths (n,)): row t holds the window of at most `window` ids ending at t,
    starting at the text's start (length t + 1) until the window is full; shorter rows are end-padded
    with ids the lengths mask out."""
    n = ids.size
    L = min(window, n)
    starts = np.maximum(np.arange(n) - L + 1, 0)
    lengths = np.arange(n) - starts + 1
    return ids[np.minimum(starts[:, None] + np.arange(L), n - 1)], lengths


def text_features(text):
    """{feature: (n,) float64} for every FEATURES name, the state after reading each character.

    quotes: 1 after an opening quote (" or '; a ' between two letters is an apostrophe and is
    skipped) until its closing quote, which is read outside again; brackets: 1 while (, [ or { is
    open after the character; line_position: characters since the last newline; space, newline, vowel: 1 when the
    character just read is one."""
    text = text[:MAX_CHARS]
    quotes, brackets, column = _quotes(text), _brackets(text), _columns(text)
    chars = np.array(list(text)) if text else np.array([], dtype="<U1")
    return {"quotes": quotes, "brackets": brackets, "line_position": column,
            "space": (chars == " ").astype(float), "newline": (chars == "\n").astype(float),
            "vowel": np.array([ch in VOWELS for ch in text], dtype=float)}


def _quotes(text):
    """1 after reading an opening quote, 0 again after its closing quote."""
    out, open_quote = np.zeros(len(text)), None
    for t, ch in enumerate(text):
        if ch in "\"'" and not _apostrophe(text, t):
            if open_quote is None:
                open_quote = ch
            elif ch == open_quote:
                open_quote = None
        out[t] = open_quote is not None
    return out


def _apostrophe(text, t):
    """A ' between two letters (don't, it's) is an apostrophe, not a quote."""
    return text[t] == "'" and 0 < t < len(text) - 1 and text[t - 1].isalpha() and text[t + 1].isalpha()


def _brackets(text):
    """1 while at least one bracket is open after reading the character, else 0."""
    out, depth = np.zeros(len(text)), 0
    for t, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(depth - 1, 0)
        out[t] = depth > 0
    return out


def _columns(text):
    """Characters since the last newline (0 on the newline itself)."""
    out, column = np.zeros(len(text)), 0
    for t, ch in enumerate(text):
        column = 0 if ch == "\n" else column + 1
        out[t] = column
    return out


@dataclasses.dataclass(frozen=True, eq=False)
class Ranking:
    """Every unit's Pearson correlation with one feature, and the units ordered best first."""

    feature: str
    r: np.ndarray  # (H,) Pearson r of each unit with the feature; NaN where a side is constant
    order: np.ndarray  # (H,) units by |r|, largest first (NaN last)
    constant: bool  # the feature does not vary in this text: nothing can track it

    @property
    def best(self):
        return int(self.order[0])


def correlations(values, feature):
    """Pearson r of each column of values (n, H) with feature (n,); NaN for a constant column."""
    return _Centred(values).r(feature)


class _Centred:
    """values (n, H) centred once, so r against several features costs one product each."""

    def __init__(self, values):
        X = np.asarray(values, np.float64)
        self.Xc = X - X.mean(axis=0)
        self.sx = np.sqrt((self.Xc * self.Xc).sum(axis=0))
        self.flat = self.sx < 1e-12 * max(np.abs(X).max(initial=0.0), 1.0)  # a constant unit

    def r(self, feature):
        y = np.asarray(feature, np.float64)
        yc = y - y.mean()
        with np.errstate(invalid="ignore", divide="ignore"):
            r = (yc @ self.Xc) / (self.sx * np.sqrt(yc @ yc))
        r[~np.isfinite(r) | self.flat] = np.nan
        return np.clip(r, -1.0, 1.0)


def rank_units(values, features):
    """{feature: Ranking} of the units of values (n, H) against each feature (n,)."""
    centred, out = _Centred(values), {}
    for name, feature in features.items():
        constant = np.ptp(feature) == 0 if len(feature) else True
        r = np.full(values.shape[1], np.nan) if constant else centred.r(feature)
        score = np.where(np.isnan(r), -1.0, np.abs(r))
        out[name] = Ranking(feature=name, r=r, order=np.argsort(-score, kind="stable"), constant=bool(constant))
    return out
