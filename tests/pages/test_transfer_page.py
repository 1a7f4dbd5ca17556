"""Models in and code out on 'Inside the cell', under AppTest: a PyTorch or Keras file loads one
LSTM layer through the page's Store (so the link carries it); a file with several layers asks
which; every bad file gets a message and leaves the weights as they were."""
import io
import pathlib

import numpy as np
import pytest

from lstm_core import weights_file
from ui.cell import state as S

from pagekit import assert_clean, open_page
from tests.fixtures.safetensors_bytes import safetensors

FIXTURES = pathlib.Path(__file__).parents[1] / "fixtures"
PAGE = "views/inside_cell.py"


def uploader(at):
    return next(w for w in at.get("file_uploader") if w.key == "w_upload")


def upload(at, name, data):
    """Put a file in the weights uploader and rerun; the page, after its own rerun."""
    uploader(at).set_value((name, data, "application/octet-stream"))
    at.run()
    assert_clean(at)
    return at


def fixture(name):
    return (FIXTURES / name).read_bytes()


def link(at):
    """The app's link as str -> str (AppTest may hold a value as a one-item list)."""
    return {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}


def state(at):
    return at.session_state["cell_state"]


def errors(at):
    return " ".join(e.value for e in at.error)


def torch_lstm(H, I, scale=0.5, seed=0):
    rng = np.random.default_rng(seed)
    return {"weight_ih_l0": rng.uniform(-scale, scale, (4 * H, I)), "weight_hh_l0": rng.uniform(-scale, scale, (4 * H, H)),
            "bias_ih_l0": rng.uniform(-scale, scale, 4 * H), "bias_hh_l0": rng.uniform(-scale, scale, 4 * H)}


def expected(name, index=0):
    return weights_file.read_layers(name, fixture(name)).layers[index].params


def same(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a.arrays().values(), b.arrays().values()))


@pytest.mark.parametrize("name", ["keras_lstm.weights.h5", "torch_lstm.safetensors", "keras_lstm.npz"])
def test_a_one_layer_file_loads_its_weights_into_the_page_and_the_link(name):
    at = upload(open_page(PAGE), name, fixture(name))
    cell = state(at)
    assert (cell.H, cell.I) == (3, 2) and same(cell.params(), expected(name))
    assert S.from_query(link(at)).weights == cell.weights  # the link carries them
    assert " ".join(s.value for s in at.success).startswith("Showing ")


def test_a_file_with_two_layers_asks_which_and_loads_the_one_picked():
    at = upload(open_page(PAGE), "model.keras", fixture("keras_two_lstm.keras"))
    before = state(at)
    picker = next(s for s in at.selectbox if s.key and s.key.startswith("tr_layer_"))
    assert picker.value is None and state(at) == before  # nothing loaded until a layer is picked
    assert picker.options == ["lstm (H = 3, I = 3)", "lstm_1 (H = 2, I = 3)"]
    picker.select_index(1).run()
    assert_clean(at)
    assert (state(at).H, state(at).I) == (2, 3)
    assert same(state(at).params(), expected("keras_two_lstm.keras", 1))


def too_big_weights():
    big = torch_lstm(2, 1)
    big["weight_hh_l0"][0, 0] = 150.0
    return safetensors(big)


def nan_weights():
    bad = torch_lstm(2, 1)
    bad["bias_ih_l0"][3] = np.nan
    return safetensors(bad)


BAD = {  # name: (file name, bytes, words the message must have)
    "a Keras GRU": ("gru.weights.h5", fixture("keras_gru.weights.h5"), "GRU, not an LSTM"),
    "a torch GRU": ("gru.safetensors", fixture("torch_gru.safetensors"), "GRU, not an LSTM"),
    "too many units": ("big.safetensors", safetensors(torch_lstm(8, 2)), "H up to 4"),
    "too many inputs": ("wide.safetensors", safetensors(torch_lstm(2, 5)), "I up to 3"),
    "a weight over the limit": ("w.safetensors", too_big_weights(), "±100"),
    "NaN": ("w.safetensors", nan_weights(), "NaN"),
    "a zip named safetensors": ("w.safetensors", fixture("keras_lstm.npz"), "holds a zip archive"),
    "chunked HDF5": ("w.weights.h5", fixture("h5py_chunked.h5"), "compressed"),
    "cut short": ("w.weights.h5", fixture("keras_lstm.weights.h5")[:3000], "HDF5"),
    "too big": ("w.npz", b"PK\x03\x04" + bytes(weights_file.MAX_BYTES), "bytes"),
    "not an LSTM at all": ("w.npz", io.BytesIO(), "no LSTM layer"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_file_gets_a_message_and_keeps_the_weights(case):
    name, data, words = BAD[case]
    if isinstance(data, io.BytesIO):
        np.savez(data, other=np.ones(3))
        data = data.getvalue()
    at = open_page(PAGE)
    before = state(at)
    upload(at, name, data)
    assert words in errors(at) and "The current weights are kept" in errors(at), errors(at)
    assert state(at) == before


def test_a_json_file_still_loads_through_the_same_uploader():
    params = expected("keras_lstm.weights.h5")
    at = upload(open_page(PAGE), "w.json", S.params_to_json(params).encode())
    assert same(state(at).params(), params) and not at.error


def test_the_page_offers_the_three_scripts_and_the_lines_that_save_a_file():
    at = open_page(PAGE)
    assert_clean(at)
    labels = [b.label for b in at.get("download_button")]
    assert {"NumPy script", "PyTorch script", "Keras script"} <= set(labels)
    text = " ".join(m.value for m in at.markdown)
    assert "np.savez" in text and "model.save_weights" in text and "save_file" in text


def test_after_an_edit_the_loaded_layer_can_be_loaded_again():
    name = "torch_lstm.safetensors"
    at = upload(open_page(PAGE), name, fixture(name))
    at.slider(key="w_fbias").set_value(-3.0).run()  # an edit: b_f of every unit
    assert_clean(at)
    assert not same(state(at).params(), expected(name)) and not at.success
    at.button(key="tr_again").click().run()
    assert_clean(at)
    assert same(state(at).params(), expected(name))
    assert at.success[0].value.startswith("Showing layer 0")
