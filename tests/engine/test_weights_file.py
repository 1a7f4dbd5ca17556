"""The weights-file reader finds exactly the LSTM layers that real PyTorch and Keras files hold,
with NumPy only, and refuses everything else with a sentence that names the problem.

Fixtures: tests/fixtures/make_keras.py (Keras 3 and h5py) and make_torch_files.py (torch).
"""
import io
import pathlib
import zipfile

import numpy as np
import pytest

import lstm_core as lc
from lstm_core import weights_file as wf
from tests.fixtures.safetensors_bytes import safetensors

FIXTURES = pathlib.Path(__file__).parents[1] / "fixtures"


def read(name, as_name=None):
    return wf.read_layers(as_name or name, (FIXTURES / name).read_bytes())


def load(name):
    with np.load(FIXTURES / name) as data:
        return {k: data[k] for k in data.files}


def torch_layer(H=2, I=3, rows=None, seed=0):
    rng = np.random.default_rng(seed)
    rows = rows or 4 * H
    return {"weight_ih_l0": rng.uniform(-1, 1, (rows, I)), "weight_hh_l0": rng.uniform(-1, 1, (rows, H)),
            "bias_ih_l0": rng.uniform(-1, 1, rows), "bias_hh_l0": rng.uniform(-1, 1, rows)}


@pytest.mark.parametrize("name, layer", [("keras_lstm.weights.h5", "lstm"), ("keras_lstm.npz", "lstm")])
def test_keras_files_give_the_weights_keras_saved(name, layer):
    contents = read(name)
    assert [l.name for l in contents.layers] == [layer] and contents.skipped == ()
    expected = load("keras_expected.npz")
    want = lc.LSTMParams.from_keras(*(expected[f"keras_lstm/lstm/{n}"] for n in range(3)))
    for got, w in zip(contents.layers[0].params.arrays().values(), want.arrays().values()):
        np.testing.assert_array_equal(got, w)


def test_a_trained_keras_model_file_lists_its_two_lstm_layers_and_not_the_optimizer():
    contents = read("keras_two_lstm.keras")
    expected = load("keras_expected.npz")
    assert [l.name for l in contents.layers] == ["lstm", "lstm_1"]
    for k, layer in enumerate(contents.layers):
        want = lc.LSTMParams.from_keras(*(expected[f"keras_two_lstm/{k}/{n}"] for n in range(3)))
        assert all(np.array_equal(a, b) for a, b in zip(layer.params.arrays().values(), want.arrays().values()))
    assert [(l.params.hidden_size, l.params.input_size) for l in contents.layers] == [(3, 3), (2, 3)]


def test_the_torch_safetensors_file_runs_as_torch_ran_it():
    """End to end: bytes -> params -> engine gives torch.nn.LSTM's output (float64 on the file's weights)."""
    params = read("torch_lstm.safetensors").layers[0].params
    fx = load("torch_expected.npz")
    trace = lc.lstm_forward(params, fx["x"])
    np.testing.assert_allclose(trace.h, fx["output"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(trace.c[-1], fx["c_n"][0], rtol=1e-9, atol=1e-12)


def test_a_two_layer_torch_state_dict_with_a_prefix_lists_both_layers():
    contents = read("torch_two_layer.npz")
    assert [l.name for l in contents.layers] == ["lstm layer 0", "lstm layer 1"]
    assert [l.params.input_size for l in contents.layers] == [3, 2]


def test_a_keras_model_offers_both_directions_of_a_bidirectional_lstm_and_skips_its_gru():
    contents = read("keras_mixed.keras")
    assert [(l.name, l.params.hidden_size, l.params.input_size) for l in contents.layers] == [
        ("bidirectional/backward_layer", 3, 2), ("bidirectional/forward_layer", 3, 2), ("lstm", 4, 2)]
    assert len(contents.skipped) == 1 and contents.skipped[0].startswith("gru: it is a GRU")


@pytest.mark.parametrize("name", ["keras_gru.weights.h5", "torch_gru.safetensors"])
def test_a_gru_is_named_as_a_gru_not_read_as_an_lstm(name):
    with pytest.raises(ValueError, match="it is a GRU, not an LSTM"):
        read(name)


def test_a_gru_beside_an_lstm_is_skipped_with_its_reason():
    arrays = {**torch_layer(), **{k.replace("_l0", "_l1"): v for k, v in torch_layer(H=3, I=2, rows=9).items()}}
    contents = wf.read_layers("mixed.safetensors", safetensors(arrays))
    assert [l.name for l in contents.layers] == ["layer 0"]
    assert "GRU" in contents.skipped[0] and contents.skipped[0].startswith("layer 1")


@pytest.mark.parametrize("name, message", [
    ("h5py_chunked.h5", "compressed or filtered"),
    ("h5py_latest.h5", "superblock version 3"),
])
def test_hdf5_the_reader_does_not_know_is_refused_by_name(name, message):
    with pytest.raises(ValueError, match=message):
        read(name)


@pytest.mark.parametrize("real, claimed, holds", [
    ("torch_lstm.safetensors", "w.npz", "a safetensors file"),
    ("keras_lstm.npz", "w.safetensors", "a zip archive"),
    ("keras_lstm.weights.h5", "w.keras", "an HDF5 file"),
    ("keras_lstm.npz", "w.keras", None),
    ("keras_two_lstm.keras", "w.npz", None),
])
def test_a_file_that_is_not_what_its_name_says_is_refused(real, claimed, holds):
    with pytest.raises(ValueError) as err:
        read(real, claimed)
    assert (f"holds {holds}" if holds else "name it .") in str(err.value)


def test_json_text_and_unknown_names_are_refused():
    with pytest.raises(ValueError, match="JSON"):
        wf.read_layers("w.npz", b'{"kind": "LSTMParams"}')
    with pytest.raises(ValueError, match="not a weights file"):
        wf.read_layers("weights.pt", b"\x80\x02")


def test_a_file_too_big_is_refused_before_it_is_read():
    with pytest.raises(ValueError, match="bytes"):
        wf.read_layers("big.npz", b"PK\x03\x04" + bytes(wf.MAX_BYTES))


def test_a_zip_that_unpacks_too_big_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("kernel.npy", bytes(wf.MAX_BYTES + 1))
    with pytest.raises(ValueError, match="unpacks to"):
        wf.read_layers("bomb.npz", buf.getvalue())


def test_nan_and_wrong_shapes_are_named():
    bad = torch_layer()
    bad["weight_hh_l0"][0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN or infinity"):
        wf.read_layers("w.safetensors", safetensors(bad))
    short = torch_layer()
    short["weight_ih_l0"] = short["weight_ih_l0"][:6]
    with pytest.raises(ValueError, match=r"weight_ih is \(6, 3\) but weight_hh says 4H = 8 rows"):
        wf.read_layers("w.safetensors", safetensors(short))
    odd = torch_layer()
    odd["weight_hh_l0"] = np.ones((7, 2))
    with pytest.raises(ValueError, match="not 4 gates"):
        wf.read_layers("w.safetensors", safetensors(odd))


def test_a_layer_without_biases_gets_zero_biases():
    arrays = {k: v for k, v in torch_layer().items() if k.startswith("weight")}
    params = wf.read_layers("w.safetensors", safetensors(arrays)).layers[0].params
    assert all(not np.any(getattr(params, f"b_{g}")) for g in "fico")


def test_pickled_arrays_in_an_npz_are_not_loaded():
    buf = io.BytesIO()
    np.savez(buf, kernel=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError, match="not plain numbers"):
        wf.read_layers("w.npz", buf.getvalue())


def test_the_hdf5_reader_gives_h5pys_arrays_for_every_layer_variable():
    arrays = wf.read_hdf5((FIXTURES / "keras_lstm.weights.h5").read_bytes())
    assert {k: v.shape for k, v in arrays.items()} == {
        "layers/lstm/cell/vars/0": (2, 12), "layers/lstm/cell/vars/1": (3, 12), "layers/lstm/cell/vars/2": (12,)}
    assert all(v.dtype == np.float32 for v in arrays.values())


@pytest.mark.parametrize("name", ["keras_lstm.weights.h5", "keras_two_lstm.keras", "torch_lstm.safetensors",
                                  "keras_lstm.npz"])
def test_damaged_files_only_ever_raise_value_errors(name):
    """Cut short at every 97th byte, or with seeded bytes overwritten: a message, never a crash."""
    data = (FIXTURES / name).read_bytes()
    rng = np.random.default_rng(0)
    damaged = [data[:n] for n in range(0, len(data), 97)]
    for _ in range(300):
        b = np.frombuffer(data, dtype=np.uint8).copy()
        at = rng.integers(0, len(b), size=rng.integers(1, 6))
        b[at] = rng.integers(0, 256, size=len(at))
        damaged.append(b.tobytes())
    for d in damaged:
        try:
            wf.read_layers(name, d)
        except ValueError:
            pass
