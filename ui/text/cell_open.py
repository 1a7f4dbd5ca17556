"""A text model's first layer, on the window of characters ending at a chosen position, as the
cell pages' state (ui/cell/state.CellState): what "Open in Inside the cell / Through time" carries.

The model reads windows of `window` characters from h_0 = C_0 = 0, so the cell pages run layer 0
over the window that ends at the chosen character. A one-hot input has V features, but at each
step all but one are 0: the columns of W for the characters absent from the window multiply zeros
at every step, so the cell keeps only the columns of the window's own characters, and every
number on the cell pages is still the model's. The integer input (id / V) is one feature already.
Pure functions: no streamlit import.
"""
import dataclasses

import numpy as np

from lstm_core import text as lt
from ui.cell import state as cell_state
from ui.cell.lessons import TEXT_SOURCE


def window_at(text, end, window):
    """The characters text[end - window + 1 .. end] (fewer at the start of the text), end 0-based."""
    if not 0 <= end < len(text):
        raise ValueError(f"the position must be in 1..{len(text)}, got {end + 1}")
    return text[max(0, end - window + 1):end + 1]


def first_layer(model, ids, config, vocab_size):
    """(params, xs, chars-index): layer 0 as float64 LSTMParams on the inputs of `ids`, keeping for
    a one-hot input only the columns of the characters in `ids` (their ids, sorted)."""
    params = model.layers[0].fwd.astype(np.float64)
    if config.encoding != "onehot":
        xs = lt.encode_inputs(ids, config, vocab_size).astype(np.float64)  # (T, 1): id / V, as trained
        return params, xs, np.arange(vocab_size)
    used = np.unique(ids)  # (I,) sorted ids
    H = params.hidden_size
    keep = np.concatenate([np.arange(H), H + used])  # [h part, the window's characters' columns]
    params = params.replace(**{f"W_{g}": getattr(params, f"W_{g}")[:, keep] for g in "fico"})
    xs = (ids[:, None] == used[None, :]).astype(np.float64)  # (T, I) one-hot over the window's characters
    return params, xs, used


def text_cell(model, vocab, config, text, end, *, unit=0, large=0):
    """The CellState of layer 0 on the window ending at text[end], its cursor on that character.

    ValueError if the window holds characters outside the model's vocabulary (naming them)."""
    window = window_at(text, end, config.window)
    ids = vocab.encode(window)
    params, xs, used = first_layer(model, ids, config, vocab.size)
    chars = "".join(vocab.chars[k] for k in used)
    cell = cell_state.CellState(H=params.hidden_size, I=params.input_size, large=int(large))
    cell = cell.with_params(params).with_sequence(xs)
    return dataclasses.replace(cell, chars=chars, source=TEXT_SOURCE, t=len(window) - 1,
                               unit=min(max(unit, 0), params.hidden_size - 1))
