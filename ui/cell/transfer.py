"""Models in and code out, on the cell pages: load one LSTM layer from a PyTorch or Keras weights
file (through the weights uploader of ui/cell/editors.save_load), and download the current
cell as a NumPy, PyTorch or Keras script.

A loaded layer goes through the page's Store like any edit (so the link carries it) and is held
to what a JSON weights file is held to; a file that cannot be shown gets a message and the
current weights stay.
"""
import functools
import pathlib

import streamlit as st

from lstm_core import weights_file
from ui.cell import export
from ui.cell import state as S
from ui.cell.controls import commit

ASSETS = pathlib.Path(__file__).resolve().parents[2] / "assets" / "transfer"
FILE_TYPES = ["safetensors", "npz", "h5", "keras"]  # what weights_file reads; .weights.h5 ends in h5
MAX_UPLOAD_MB = 2  # the browser refuses bigger files; weights_file.MAX_BYTES is the server's own check


@functools.cache
def prose(name):
    """One Markdown file of assets/transfer/."""
    return (ASSETS / name).read_text(encoding="utf-8")


def how_to_save():
    """What a weights file can hold, and the lines that save one in PyTorch or in Keras."""
    st.markdown(prose("intro.md"))
    torch_tab, keras_tab = st.tabs(["Save from PyTorch", "Save from Keras"])
    torch_tab.markdown(prose("torch.md"))
    keras_tab.markdown(prose("keras.md"))


def load_file(cell, upload):
    """Show one LSTM layer of an uploaded PyTorch or Keras file (the user picks it if there are
    several), or say why the file cannot be shown."""
    try:
        contents = weights_file.read_layers(upload.name, upload.getvalue())
    except ValueError as err:
        st.error(f"{upload.name} could not be loaded: {err}. The current weights are kept.")
        return
    for reason in contents.skipped:
        st.caption(f"Not loaded from this file: {reason}.")
    layer = _pick_layer(contents.layers, upload.file_id)
    if layer is not None:
        _load(cell, layer, upload)


def _pick_layer(layers, file_id):
    """The file's one layer, or the one the user picks from several (None until they do)."""
    if len(layers) == 1:
        return layers[0]
    index = st.selectbox(f"This file has {len(layers)} LSTM layers: which one should the page show?",
                         range(len(layers)), index=None, placeholder="choose a layer",
                         format_func=lambda k: _describe(layers[k]), key=f"tr_layer_{file_id}")
    return None if index is None else layers[index]


def _describe(layer):
    """'lstm_1 (H = 2, I = 3)': a layer as the picker lists it."""
    return f"{layer.name} (H = {layer.params.hidden_size}, I = {layer.params.input_size})"


def _load(cell, layer, upload):
    """Commit `layer`'s weights once per file and layer, if the page can show them; once they
    have been edited since, offer to load them again."""
    try:  # the checks of a JSON weights file: sizes the page shows, |w| within the tables' limit
        params = S.params_from_json(S.params_to_json(layer.params))
    except ValueError as err:
        st.error(f"{_describe(layer)} from {upload.name} could not be shown: {err}. "
                 "The current weights are kept.")
        return
    done = (upload.file_id, layer.name)
    if st.session_state.get("tr_loaded") == done:
        if _same(cell, params):
            st.success(f"Showing {_describe(layer)} from {upload.name}.")
            return
        if not st.button(f"Load {layer.name} again", key="tr_again",
                         help="The weights have changed since this layer was loaded."):
            return
    st.session_state["tr_loaded"] = done
    commit(S.resize(cell, params.hidden_size, params.input_size).with_params(params))
    st.rerun()


def _same(cell, params):
    """Whether the page shows exactly `params`."""
    shown = cell.params()
    return (shown.hidden_size, shown.input_size) == (params.hidden_size, params.input_size) and \
        (S.flatten_params(shown) == S.flatten_params(params)).all()


def code_out(cell):
    """Three download buttons: the cell as a NumPy, PyTorch or Keras script (made on click)."""
    st.markdown(prose("code_out.md"))
    params, xs = cell.params(), cell.sequence()
    for column, (kind, (label, file_name)) in zip(st.columns(len(export.SCRIPTS)), export.SCRIPTS.items()):
        make = functools.partial(export.script, kind, params, xs, t=cell.t, unit=cell.unit)
        column.download_button(f"{label} script", make, file_name=file_name, mime="text/x-python",
                               key=f"tr_code_{kind}", icon=":material/download:", width="stretch")
