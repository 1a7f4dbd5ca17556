"""Editors of the cell pages: the input sequence, every weight, and saving / loading the weights.

Bad input never replaces the last good state: it is reported with st.error and ignored.
"""
import dataclasses
import functools

import numpy as np
import pandas as pd
import streamlit as st

from ui.cell import state as S
from ui.cell import transfer
from ui.cell.controls import CELL, bind, commit, current
from ui.common import present
from ui.common.link import bounds, limits
from ui.common.sequence_input import generator_controls, typed_sequence
from ui.common.sequences import MAX_STEPS

GATE_LABELS = {"f": "Forget gate $W_f$, $b_f$", "i": "Input gate $W_i$, $b_i$",
               "c": r"Candidate $W_c$, $b_c$ (of $\tilde C_t$)", "o": "Output gate $W_o$, $b_o$"}
GATE_COLUMNS = {"f": "forget f_t", "i": "input i_t", "c": "candidate C̃_t", "o": "output o_t"}
TABLE_COLUMNS_IN_HALF = 5  # number columns of ~70 px beside the row names in half the page's width
LOW, HIGH = bounds(S.CellState, "weights")  # what a weight table accepts: a link's range too


def sequence_editor(cell):
    """Choose a generator and a length, or type the numbers; errors keep the last good input."""
    modes = ["Generate", "Type numbers"] + (["Type characters"] if cell.chars else [])
    source = (cell.gen, cell.length, cell.xs, cell.I, cell.seed, cell.chars)
    if st.session_state.get("seq_mode_source") != source:  # the input changed elsewhere
        st.session_state["seq_mode"] = modes[-1] if cell.gen == "typed" else modes[0]
        st.session_state["seq_mode_source"] = source
    mode = st.radio("Input", modes, key="seq_mode", horizontal=True, label_visibility="collapsed")
    if mode == "Type characters":
        _typed_chars(cell)
        return
    if mode == "Generate":
        generator_controls(CELL, cell, prefix="seq", shape_label="Shape", length_label="Length T (steps)",
                           placeholder="choose a shape")
        return
    st.caption(f"One line per input feature ({cell.I} line(s)); numbers separated by commas or "
               f"spaces; at most {MAX_STEPS} steps.")
    typed_sequence(CELL, cell, prefix="seq", input_size=cell.I, source=source,
                   with_sequence=lambda c, xs: dataclasses.replace(c, preset="").with_sequence(xs),
                   label="Sequence", button="Use this sequence", noun="sequence", height=100)


def _typed_chars(cell):
    """The input typed as characters, for a cell whose input stands for characters."""
    known = ", ".join(cell.input_labels()) if len(cell.chars) == cell.I else f"{len(cell.chars)} characters"
    st.caption(f"One character per step, at most {MAX_STEPS}; each must be one this input stands for "
               f"({known}).")
    shown = "".join(ch or "" for ch in cell.step_chars())
    text = st.text_area("Characters", shown, key=f"seq_chars_{hash((cell.xs, cell.chars))}", height=100)
    if st.button("Use these characters", key="seq_chars_use"):
        try:
            xs = S.chars_sequence(cell, text)
        except ValueError as err:
            st.error(f"{err}. The last good input is kept.")
            return
        commit(dataclasses.replace(cell, preset="").with_sequence(xs))
        st.rerun()


def weight_editor(cell, tables=True):
    """The weight-scale and forget-bias sliders, and per-gate tables of every weight and bias.

    `tables=False` leaves the tables out: pages pass it while the expander holding them is
    closed, since four data editors are most of the server's work in a rerun of a cell page.
    """
    left, right, buttons = st.columns([2, 2, 1], vertical_alignment="bottom")
    with left:
        bind(st.slider, "w_scale", cell.scale, S.rescale, label="Weight scale",
             **limits(S.CellState, "scale"), help="Multiplies every weight matrix (not the biases).")
    with right:
        bind(st.slider, "w_fbias", cell.forget_bias, S.set_forget_bias, label="Forget-gate bias b_f",
             **limits(S.CellState, "forget_bias"),
             help="Sets b_f of every unit: high keeps memory (f ≈ 1), low forgets (f ≈ 0).")
    with buttons:
        st.button("Reset", key="w_reset", width="stretch", help="Back to the seeded weights.",
                  on_click=lambda: commit(S.reset(current())))
    if not tables:
        return
    if cell.H > S.MAX_HIDDEN or cell.I > S.MAX_INPUT:
        _unit_table(cell)
        return
    params = cell.params()
    version = st.session_state.get("editor_version", 0)
    per_row = tables_per_row(cell.H, cell.I)
    edited = {}
    for k, gate in enumerate("fico"):
        if k % per_row == 0:
            cols = st.columns(per_row)
        with cols[k % per_row]:
            edited[gate] = _gate_table(params, gate, cell, version)
    _apply_tables(cell, params, edited)


def tables_per_row(H, I):
    """Two gate tables side by side while a table's H + I + 1 columns fit half the page, else one
    a row, so the bias column of a wide cell (H = 4, I = 3) is never cut off."""
    return 2 if H + I + 1 <= TABLE_COLUMNS_IN_HALF else 1


def _gate_table(params, gate, cell, version):
    """One gate's (H, H+I+1) table: columns h_1..h_H, x_1..x_I and bias, one row per unit."""
    W, b = getattr(params, f"W_{gate}"), getattr(params, f"b_{gate}")
    inputs = [f"x {label}" for label in cell.input_labels()] if cell.chars else \
        [f"x{j + 1}" for j in range(cell.I)]
    columns = [f"h{j + 1}" for j in range(cell.H)] + inputs + ["bias"]
    frame = pd.DataFrame(np.column_stack([W, b]), columns=columns,
                         index=[f"unit {u + 1}" for u in range(cell.H)])
    config = {c: st.column_config.NumberColumn(c, format="%.3f", step=0.001, required=True,
                                               min_value=LOW, max_value=HIGH) for c in columns}
    st.markdown(f"**{GATE_LABELS[gate]}**")
    return st.data_editor(frame, key=f"w_{gate}_{version}", column_config=config, width="stretch")


def _unit_table(cell):
    """A big cell's weights from its inputs and biases of the unit shown: one row per input (by
    character for a text model's) and the bias, one column per gate; the rest summed up in words."""
    params, u, H = cell.params(), cell.unit, cell.H
    st.caption(f"This cell has {4 * H * (H + cell.I + 1):,} weights and biases (four gates of {H} units × "
               f"{H} + {cell.I} inputs + 1): too many for tables. Here are unit {u + 1}'s weights on each "
               f"input and its biases; its {4 * H:,} weights on $h_{{t-1}}$ and the other units' are left "
               "out. The sliders above change them all; *Save or load the weights* downloads them as JSON.")
    columns = {g: np.append(getattr(params, f"W_{g}")[u, H:], getattr(params, f"b_{g}")[u]) for g in "fico"}
    frame = pd.DataFrame({GATE_COLUMNS[g]: v for g, v in columns.items()},
                         index=[f"x {label}" for label in cell.input_labels()] + ["bias"])
    config = {c: st.column_config.NumberColumn(c, format="%.3f", step=0.001, required=True,
                                               min_value=LOW, max_value=HIGH) for c in frame.columns}
    version = st.session_state.get("editor_version", 0)
    row_px = 44 if cell.large else 35  # a row's height in Streamlit's table, at the page's font size
    edited = st.data_editor(frame, key=f"w_unit_{version}_{u}", column_config=config, width="stretch",
                            height=(min(len(frame), 30) + 1) * row_px + 3)  # up to 30 rows without scrolling
    values = edited.to_numpy(dtype=float, na_value=np.nan)  # (I + 1, 4)
    if not (np.all(np.isfinite(values)) and np.all((LOW <= values) & (values <= HIGH))):
        st.error(f"Every entry must be a number between {LOW:g} and {HIGH:g}. The last good weights are kept.")
        return
    arrays = {}
    for k, g in enumerate(columns):
        W, b = getattr(params, f"W_{g}").copy(), getattr(params, f"b_{g}").copy()
        W[u, H:], b[u] = values[:-1, k], values[-1, k]
        arrays[f"W_{g}"], arrays[f"b_{g}"] = W, b
    new = params.replace(**arrays)
    if not all(np.array_equal(getattr(new, k), getattr(params, k)) for k in arrays):
        commit(dataclasses.replace(cell, preset="").with_params(new))
        st.rerun()


def _apply_tables(cell, params, edited):
    """Commit edited tables if every entry is a finite number within LOW..HIGH."""
    arrays = {}
    for gate, frame in edited.items():
        values = frame.to_numpy(dtype=float, na_value=np.nan)
        if not (np.all(np.isfinite(values)) and np.all((LOW <= values) & (values <= HIGH))):
            st.error(f"{GATE_LABELS[gate]}: every entry must be a number between "
                     f"{LOW:g} and {HIGH:g}. The last good weights are kept.")
            return
        arrays[f"W_{gate}"], arrays[f"b_{gate}"] = values[:, :-1], values[:, -1]
    new = params.replace(**arrays)
    if not all(np.array_equal(getattr(new, k), getattr(params, k)) for k in arrays):
        commit(dataclasses.replace(cell, preset="").with_params(new))
        st.rerun()


def save_load(cell):
    """Download the weights as JSON, or upload weights: a JSON file, or one LSTM layer of a
    PyTorch or Keras file (ui/cell/transfer.py)."""
    down, up = st.columns(2)
    down.download_button("Download weights (JSON)", functools.partial(S.params_to_json, cell.params()),
                         file_name="lstm_weights.json", mime="application/json", key="w_download")
    upload = up.file_uploader("Load weights: JSON, or PyTorch / Keras (.safetensors, .npz, "
                              ".weights.h5, .keras)", type=["json", *transfer.FILE_TYPES], key="w_upload",
                              max_upload_size=transfer.MAX_UPLOAD_MB)
    if upload is not None and not upload.name.lower().endswith(".json"):
        transfer.load_file(cell, upload)
    elif upload is not None and st.session_state.get("w_upload_done") != upload.file_id:
        _load_json(cell, upload)
    transfer.how_to_save()


def _load_json(cell, upload):
    """Show the weights of an uploaded JSON file, or say why they cannot be shown."""
    try:
        params = S.params_from_json(upload.getvalue().decode("utf-8", errors="strict"))
    except (ValueError, UnicodeDecodeError) as err:
        st.error(f"That file could not be loaded: {err}. The current weights are kept.")
        return
    st.session_state["w_upload_done"] = upload.file_id
    resized = S.resize(cell, params.hidden_size, params.input_size)
    commit(resized.with_params(params))
    st.rerun()


def input_and_weights(cell):
    """The two cell pages' editing sections: the input editor and the weight tables, each unless
    the link hides its group; the tables are drawn only while their expander is open."""
    if present.shows("input"):
        with st.expander("Input sequence", expanded=False):
            sequence_editor(cell)
    if present.shows("weights"):
        weights = st.expander("Weights and biases", key="weights_open", on_change="rerun")
        with weights:
            weight_editor(cell, tables=bool(weights.open))
