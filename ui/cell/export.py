"""Code out: the current cell (weights and input sequence) as a script that runs on its own.

Three versions, NumPy, PyTorch and Keras, filled into the templates in assets/export/; each
prints h_t and C_t at every step to the 3 decimals the pages show. The weights are written
with repr, which round-trips a float64 exactly, so a script computes the page's numbers.
Pure functions: no streamlit import.
"""
import pathlib
import string

import numpy as np

TEMPLATES = pathlib.Path(__file__).resolve().parents[2] / "assets" / "export"
SCRIPTS = {  # kind: (button label, file name)
    "numpy": ("NumPy", "lstm_cell_numpy.py"),
    "torch": ("PyTorch", "lstm_cell_torch.py"),
    "keras": ("Keras", "lstm_cell_keras.py"),
}


def script(kind, params, xs, *, t=0, unit=0):
    """The `kind` script (a key of SCRIPTS) for LSTMParams `params` on the (T, I) input `xs`;
    `t`, `unit` (0-based) name the step and unit the page was showing, in its docstring."""
    H, I = params.hidden_size, params.input_size
    xs = np.asarray(xs, dtype=np.float64)
    values = {"filename": SCRIPTS[kind][1], "H": H, "I": I, "HI": H + I, "H4": 4 * H, "T": len(xs),
              "t": t + 1, "unit": unit + 1, "x": _literal(xs),
              "size": f"H = {H} hidden unit(s), I = {I} input feature(s), T = {len(xs)} steps, "
                      "starting from h_0 = C_0 = 0"}
    values.update(_weights(kind, params))
    text = (TEMPLATES / f"{kind}.py.tmpl").read_text(encoding="utf-8")
    return string.Template(text).substitute(values)


def _weights(kind, params):
    """The template's weight fields in the layout of `kind`."""
    if kind == "numpy":
        lines = [f"{name} = np.array({_literal(a)})" for name, a in params.arrays().items()]
        return {"weights": "\n".join(lines)}
    kernel, recurrent, bias = params.to_keras()  # torch's layout is this transposed
    if kind == "torch":
        return {"weight_ih": _literal(kernel.T), "weight_hh": _literal(recurrent.T), "bias": _literal(bias)}
    return {"kernel": _literal(kernel), "recurrent_kernel": _literal(recurrent), "bias": _literal(bias)}


def _literal(a):
    """A nested-list literal of `a` with every float exact; a matrix gets one row per line."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 1:
        return "[" + ", ".join(repr(float(v)) for v in a) + "]"
    return "[\n" + "".join(f"    {_literal(row)},\n" for row in a) + "]"
