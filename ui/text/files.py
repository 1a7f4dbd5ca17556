"""The Writing-text page's last part (Streamlit glue): open the trained model's first layer in the
cell pages at a chosen character, save and load the model, and download it as code.

    files.section(model, vocab, cfg, state, large, corpus_text=..., generated_text=...)

A loaded model goes into st.session_state["text_loaded"] as a `Loaded`; the page generates and
colours with it while no run is newer (ui/text/panels.current_model). A file that cannot be
loaded gets a message and the last good model stays.
"""
import dataclasses
import functools

import streamlit as st

from lstm_core.text import show_char
from ui.cell import controls as cell_controls
from ui.cell import held
from ui.cell.controls import quoted
from ui.text import cell_open
from ui.text import files_export as FE
from ui.text import files_format as FF

LOADED_KEY = "text_loaded"  # what ui/text/panels.current_model reads
DONE_KEY = "tx_upload_done"  # the file id of the upload already loaded (or refused)
CELL_KEY = "tx_cell_kept"  # (model, arguments, CellState) of the last window opened
MAX_UPLOAD_MB = FF.MAX_BYTES // 1_000_000
WHERE = {"corpus": "the corpus", "generated": "the generated text"}


@dataclasses.dataclass(frozen=True, eq=False)
class Loaded:
    """A model loaded from a file, with its vocabulary, its TextConfig and the file's name."""

    model: object
    vocab: object
    config: object
    name: str


def section(model, vocab, cfg, state, large, *, corpus_text="", generated_text=""):
    """"Open in the cell pages" and "Save, load and export" for the model the page shows."""
    st.subheader("Look inside: open a character in the cell pages")
    open_in_cell_pages(model, vocab, cfg, state, large, corpus_text, generated_text)
    st.subheader("Save, load and export the model")
    save(model, vocab, cfg)
    load()
    export(model, vocab, cfg, corpus_text)


def open_in_cell_pages(model, vocab, cfg, state, large, corpus_text, generated_text):
    """Pick a character of the corpus or of the generated text; open layer 0 on the window ending there."""
    texts = {k: t for k, t in (("corpus", corpus_text), ("generated", generated_text)) if t}
    if not texts:
        st.caption("There is no text to pick a character from yet.")
        return
    where = st.segmented_control("Pick a character of", list(texts), format_func=WHERE.get,
                                 key="tx_cell_where", default=next(iter(texts))) or next(iter(texts))
    text = texts[where]
    st.session_state.setdefault("tx_cell_pos", min(cfg.window, len(text)))
    st.session_state["tx_cell_pos"] = min(max(st.session_state["tx_cell_pos"], 1), len(text))
    position = st.number_input(f"Position in {WHERE[where]} (1..{len(text):,})", min_value=1,
                               max_value=len(text), step=1, key="tx_cell_pos",
                               help="The cell pages run the model's first layer over the window of "
                                    f"{cfg.window} characters that ends at this one, as the model reads it.")
    unit = state.unit if state.layer == 0 else 0
    try:
        cell = _cell(model, vocab, cfg, text, int(position) - 1, unit, large)
    except ValueError as err:
        st.warning(f"This window cannot be opened: {err}.")
        return
    st.markdown(f"The window of {len(cell.sequence())} characters ending at position {int(position):,} "
                f"({show_char(text[int(position) - 1])}): {quoted(cell.step_chars())} · unit {cell.unit + 1}"
                + (" (the one chosen in *Reading the units*)" if state.layer == 0 else ""))
    cell_controls.open_buttons(cell, "tx_open", "Open it in {page}")


def _cell(model, vocab, cfg, text, end, unit, large):
    """cell_open.text_cell, kept in the session for the last (model, arguments): a rerun that
    changes none of them costs nothing."""
    args = (vocab, cfg, text, end, unit, bool(large))
    kept = st.session_state.get(CELL_KEY)
    if kept is None or kept[0] is not model or kept[1] != args or not held.holds(kept[2].held):
        kept = (model, args, cell_open.text_cell(model, vocab, cfg, text, end, unit=unit, large=large))
        st.session_state[CELL_KEY] = kept
    return kept[2]


def save(model, vocab, cfg):
    """Download the model, its vocabulary and its settings as the app's JSON or as an .npz."""
    json_col, npz_col = st.columns(2)
    json_col.download_button("Download the model (JSON)", functools.partial(FF.to_json, model, vocab, cfg),
                             file_name="text_model.json", mime="application/json", key="tx_save_json",
                             icon=":material/download:", width="stretch",
                             help="The app's own format: the weights, the characters and the recipe.")
    npz_col.download_button("Download the model (.npz)", functools.partial(FF.to_npz, model, vocab, cfg),
                            file_name="text_model.npz", mime="application/octet-stream", key="tx_save_npz",
                            icon=":material/download:", width="stretch",
                            help="NumPy arrays in torch.nn.LSTM's names (lstm.*) and nn.Linear's (head.*), "
                                 "with the characters and the recipe as 'meta'.")


def load():
    """Upload a saved model: it becomes the one the page generates and colours with."""
    upload = st.file_uploader("Load a saved model (.json or .npz)", type=["json", "npz"], key="tx_load",
                              max_upload_size=MAX_UPLOAD_MB)
    if upload is None or st.session_state.get(DONE_KEY) == upload.file_id:
        return
    st.session_state[DONE_KEY] = upload.file_id
    loaded, message = read_upload(upload.name, upload.getvalue())
    if message:
        st.error(message)
        return
    st.session_state[LOADED_KEY] = loaded
    st.rerun()


def read_upload(name, data):
    """(Loaded, None) for a file this page saved, or (None, a message saying why it is refused)."""
    try:
        model, vocab, config = FF.read(name, data)
    except ValueError as err:
        return None, f"{name} could not be loaded: {err}. Nothing was changed: the page keeps the model it had."
    return Loaded(model, vocab, config, name), None


def export(model, vocab, cfg, corpus_text):
    """Three download buttons: the model as a NumPy, PyTorch or Keras script that writes greedily."""
    st.markdown("**The model as code.** Each script rebuilds this model, loads its exact weights and writes "
                f"{FE.LENGTH} characters greedily after the corpus's first window; the NumPy one needs "
                "only NumPy.")
    known = "".join(ch for ch in corpus_text if ch in vocab.chars)
    seed_text = known[:cfg.window] or vocab.chars[:cfg.window]
    for column, (kind, (label, file_name)) in zip(st.columns(len(FE.SCRIPTS)), FE.SCRIPTS.items()):
        make = functools.partial(FE.script, kind, model, vocab, cfg, seed_text)
        column.download_button(f"{label} script", make, file_name=file_name, mime="text/x-python",
                               key=f"tx_code_{kind}", icon=":material/download:", width="stretch")
