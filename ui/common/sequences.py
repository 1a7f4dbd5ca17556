"""Input sequences: parsing what a student types, and the built-in generators.

Both return a float64 array of shape (T, I): T time steps, I input features. Parsing raises
SequenceError with a sentence a student can act on; the page shows it and keeps the last good
sequence.
"""
import re

import numpy as np

MAX_STEPS = 500
MAX_ABS = 1e6  # the largest |x| a typed or linked input may hold
MAX_CHARS = 100_000  # longer text cannot be 500 steps of numbers someone typed
GENERATORS = ("sine", "step", "spike", "square", "random walk", "zeros")


class SequenceError(ValueError):
    """A typed sequence that cannot be used, with a message meant for the student."""


def parse_sequence(text, input_size):
    """Parse one line per input feature, values separated by commas or spaces, into (T, I)."""
    text = text or ""
    if len(text) > MAX_CHARS:
        raise SequenceError(f"The text is too long ({len(text)} characters); type at most "
                            f"{MAX_STEPS} numbers per line.")
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    if not lines:
        raise SequenceError("The sequence is empty: type at least one number.")
    if len(lines) != input_size:
        raise SequenceError(f"The model has {input_size} input feature(s), so type "
                            f"{input_size} line(s) of numbers; found {len(lines)}.")
    rows = [_parse_row(ln, k) for k, ln in enumerate(lines)]
    lengths = {len(r) for r in rows}
    if len(lengths) > 1:
        raise SequenceError("Every line must have the same number of values "
                            f"(found lengths {sorted(lengths)}).")
    return np.array(rows, dtype=np.float64).T  # (T, I)


def _parse_row(line, k):
    """One feature's values as floats; rejects words, NaN, infinity and overlong rows."""
    tokens = [tok for tok in re.split(r"[,\s;]+", line.strip()) if tok]
    if not tokens:
        raise SequenceError(f"Line {k + 1} has no numbers, only separators: type at least one number.")
    if len(tokens) > MAX_STEPS:
        raise SequenceError(f"Line {k + 1} has {len(tokens)} values; at most {MAX_STEPS} are allowed.")
    values = []
    for tok in tokens:
        try:
            v = float(tok.replace("−", "-"))
        except ValueError:
            raise SequenceError(f"Line {k + 1}: '{tok[:20]}' is not a number.") from None
        if not np.isfinite(v):
            raise SequenceError(f"Line {k + 1}: '{tok[:20]}' is not a finite number.")
        if abs(v) > MAX_ABS:
            raise SequenceError(f"Line {k + 1}: {tok[:20]} is too large (keep |x| ≤ {MAX_ABS:g}).")
        values.append(v)
    return values


def format_sequence(xs):
    """The text that parse_sequence reads back to the same (T, I) array, one line per feature."""
    return "\n".join(", ".join(f"{v:g}" if float(f"{v:g}") == v else repr(float(v)) for v in row)
                     for row in np.asarray(xs).T)


def generate(kind, length, *, input_size=1, seed=0):
    """A built-in sequence of `length` steps; feature k is shifted so features differ."""
    if kind not in GENERATORS:
        raise SequenceError(f"Unknown generator '{kind}'; choose one of {', '.join(GENERATORS)}.")
    if not 1 <= int(length) <= MAX_STEPS:
        raise SequenceError(f"The length must be between 1 and {MAX_STEPS}.")
    t = np.arange(int(length))
    rng = np.random.default_rng(seed)
    cols = [_feature(kind, t, k, rng) for k in range(input_size)]
    return np.round(np.stack(cols, axis=1), 3)  # (T, I), rounded so it prints exactly


def _feature(kind, t, k, rng):
    """Feature k of a generated sequence over steps t."""
    T = len(t)
    if kind == "sine":
        return np.sin(2 * np.pi * t / 12.0 + k * np.pi / 3)
    if kind == "step":
        return (t >= max(1, T // 3) + k).astype(float)
    if kind == "spike":
        return (t == min(T - 1, 2 + k)).astype(float)
    if kind == "square":
        return np.where((t // 6 + k) % 2 == 0, 1.0, -1.0)
    if kind == "random walk":
        return np.clip(np.cumsum(rng.normal(0.0, 0.3, T)), -3, 3)
    return np.zeros(T)
