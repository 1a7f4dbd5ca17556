"""Save, load and code out for the Writing text page's model (ui/text/files_format.py,
ui/text/files_export.py): exact round trips through JSON and .npz, a reason for every broken
file, and exported scripts that compute the engine's logits and write the engine's greedy text.

The NumPy script always runs; the PyTorch one where torch is installed (a dev tool, never required).
"""
import dataclasses
import importlib.util
import io
import json
import os
import runpy
import subprocess
import sys

import numpy as np
import pytest

from lstm_core import text as lt
from ui.text import files_export as FE
from ui.text import files_format as FF
from ui.text.corpora import CORPORA

ZEN = CORPORA["zen"][1]()
CONFIGS = {
    "one-hot, every step": lt.TextConfig(units=24, steps=30, report_every=30),
    "integer, last, 2 layers, keras": lt.TextConfig(encoding="integer", target="last", units=16, layers=2,
                                                    steps=20, report_every=20, init="keras", clip=None),
}


@pytest.fixture(scope="module", params=list(CONFIGS))
def trained(request):
    """(model, vocab, config) after a short seeded run on the Zen of Python."""
    config = CONFIGS[request.param]
    model, _ = lt.fit(ZEN, config)
    return model, lt.vocabulary(ZEN), config


def same_model(a, b):
    """Every array equal bit for bit, in the same dtype, and the same readout."""
    A, B = a.arrays(), b.arrays()
    return a.readout == b.readout and A.keys() == B.keys() and \
        all(A[k].dtype == B[k].dtype and np.array_equal(A[k], B[k]) for k in A)


@pytest.mark.parametrize("fmt", ["json", "npz"])
def test_a_saved_model_loads_back_bit_for_bit_with_its_vocabulary_and_config(trained, fmt):
    model, vocab, config = trained
    data = FF.to_json(model, vocab, config).encode() if fmt == "json" else FF.to_npz(model, vocab, config)
    loaded, vocab2, config2 = FF.read(f"model.{fmt}", data)
    assert same_model(loaded, model) and vocab2 == vocab and config2 == config
    gen = lambda m: lt.generate(m, vocab, config, ZEN[:config.window], 30, temperatures=(0.5,), seed=1)  # noqa: E731
    assert gen(loaded).texts == gen(model).texts


def test_the_npz_is_a_torch_state_dict_the_cell_pages_read_too(trained):
    """Its lstm.* arrays are torch's names, so the cell pages' uploader finds layer 0 in it."""
    from lstm_core import weights_file
    model, vocab, config = trained
    contents = weights_file.read_layers("model.npz", FF.to_npz(model, vocab, config))
    first = contents.layers[0].params
    assert len(contents.layers) == config.layers
    assert all(np.array_equal(first.arrays()[k], a) for k, a in model.layers[0].fwd.arrays().items())


def _json(trained, change):
    """The model's JSON with `change(d)` applied."""
    d = json.loads(FF.to_json(*trained))
    change(d)
    return json.dumps(d).encode()


def _first_weight(d):
    return d["model"]["layers"][0]["fwd"]["W_f"]


BROKEN_JSON = {
    "not JSON": (lambda d: None, b"\x89PNG not json", "not valid JSON"),
    "a list": (lambda d: None, b"[1, 2]", "not a text model"),
    "other kind": (lambda d: d.update(kind="Model"), None, "not a text model"),
    "other version": (lambda d: d.update(version=7), None, "version 7"),
    "vocab unsorted": (lambda d: d.update(vocab=d["vocab"][::-1]), None, "vocabulary"),
    "vocab of one": (lambda d: d.update(vocab="a"), None, "vocabulary"),
    "vocab one short": (lambda d: d.update(vocab=d["vocab"][:-1]), None, "outputs but the vocabulary"),
    "config key missing": (lambda d: d["config"].pop("units"), None, "TextConfig's fields"),
    "config value bad": (lambda d: d["config"].update(window=0), None, "window"),
    "config says more units": (lambda d: d["config"].update(units=d["config"]["units"] + 1), None,
                               "do not fit its settings"),
    "NaN weight": (lambda d: _first_weight(d)[0].__setitem__(0, float("nan")), None, "NaN"),
    "huge weight": (lambda d: _first_weight(d)[0].__setitem__(0, 1e300), None, "too big for float32"),
    "wrong shape": (lambda d: _first_weight(d).pop(), None, "shape"),
    "no model": (lambda d: d.pop("model"), None, "kind 'Model'"),
    "weights as text": (lambda d: d["model"]["layers"][0]["fwd"].update(W_f="abc"), None, "numbers"),
    "a GRU": (lambda d: d["model"]["layers"][0].update(kind="gru"), None, "not a GRUParams"),
    "other dtype": (lambda d: d.update(dtype="int8"), None, "dtype"),
}


@pytest.mark.parametrize("case", list(BROKEN_JSON))
def test_a_broken_json_file_is_refused_with_a_reason(trained, case):
    change, raw, words = BROKEN_JSON[case]
    data = raw if raw is not None else _json(trained, change)
    with pytest.raises(ValueError, match=words) as err:
        FF.read("model.json", data)
    assert str(err.value)


def _npz(arrays):
    out = io.BytesIO()
    np.savez(out, **arrays)
    return out.getvalue()


def _npz_arrays(trained):
    with np.load(io.BytesIO(FF.to_npz(*trained))) as npz:
        return {k: npz[k] for k in npz.files}


BROKEN_NPZ = {
    "not a zip": (lambda a: None, "not an .npz"),
    "no meta": (lambda a: a.pop("meta"), "no 'meta'"),
    "meta not JSON": (lambda a: a.update(meta=np.array("{oops")), "not valid JSON"),
    "head missing": (lambda a: a.pop("head.bias"), "head.weight and head.bias"),
    "extra array": (lambda a: a.update(other=np.zeros(3)), "also holds"),
    "layer missing": (lambda a: a.pop("lstm.weight_hh_l0"), "missing"),
    "wrong shape": (lambda a: a.update({"head.weight": a["head.weight"][:-1]}), "must have shape"),
    "NaN": (lambda a: a["lstm.weight_ih_l0"].__setitem__((0, 0), np.nan), "NaN"),
}


@pytest.mark.parametrize("case", list(BROKEN_NPZ))
def test_a_broken_npz_is_refused_with_a_reason(trained, case):
    change, words = BROKEN_NPZ[case]
    if case == "not a zip":
        data = b"PK\x03\x04 cut short"
    else:
        arrays = _npz_arrays(trained)
        change(arrays)
        data = _npz(arrays)
    with pytest.raises(ValueError, match=words) as err:
        FF.read("model.npz", data)
    assert str(err.value)


def test_pickled_objects_in_an_npz_are_never_loaded(trained):
    arrays = _npz_arrays(trained)
    arrays["meta"] = np.array([{"a": 1}], dtype=object)
    with pytest.raises(ValueError, match="pickled"):
        FF.read("model.npz", _npz(arrays))


def test_files_that_are_too_big_or_of_another_kind_are_refused(monkeypatch, trained):
    with pytest.raises(ValueError, match="neither .json nor .npz"):
        FF.read("model.txt", b"{}")
    monkeypatch.setattr(FF, "MAX_BYTES", 100)
    with pytest.raises(ValueError, match="at most 100 are read"):
        FF.read("model.json", FF.to_json(*trained).encode())


def _engine_logits(model, vocab, config, text):
    """The engine's logits for the character after `text` (its last window), float64."""
    ids = vocab.encode(text)[-config.window:][None]
    return lt.Reader(model, config, ids).logits[0]


def _write(tmp_path, kind, trained, seed_text, length):
    path = tmp_path / FE.SCRIPTS[kind][1]
    path.write_text(FE.script(kind, *trained, seed_text, length), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["numpy", "torch", "keras"])
def test_an_exported_script_computes_the_engines_logits_and_greedy_text(tmp_path, trained, kind, monkeypatch):
    if kind != "numpy" and _missing(kind):
        pytest.skip(f"{kind} is not installed (with a backend)")
    if kind == "keras":
        _keras_backend(monkeypatch)
    model, vocab, config = trained
    seed_text = ZEN[:config.window]
    path = _write(tmp_path, kind, trained, seed_text, 12)  # a short run: Keras steps slowly, eagerly
    ns = runpy.run_path(str(path))  # not as __main__: only defines the model and its functions
    for text in (seed_text, ZEN[100:100 + config.window], "Beautiful"):
        np.testing.assert_allclose(ns["logits"](text), _engine_logits(model, vocab, config, text),
                                   rtol=1e-4, atol=1e-5)
    greedy = lt.generate(model, vocab, config, seed_text, 12, greedy=True).texts[0]
    assert ns["generate"](seed_text, 12) == greedy
    if kind == "numpy":  # run as a script once: the __main__ path prints the seed and the text
        out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True)
        assert out.stdout == seed_text + greedy + "\n"


BACKENDS = ("tensorflow", "jax", "torch")  # Keras 3's, in the order of its default


def _missing(package):
    """Whether `package` is not installed (Keras: or none of its backends is)."""
    if importlib.util.find_spec(package) is None:
        return True
    return package == "keras" and not any(importlib.util.find_spec(b) for b in BACKENDS)


def _keras_backend(monkeypatch):
    """Point Keras at an installed backend, unless KERAS_BACKEND already names one."""
    if not os.environ.get("KERAS_BACKEND"):
        monkeypatch.setenv("KERAS_BACKEND", next(b for b in BACKENDS if importlib.util.find_spec(b)))


def test_an_exported_script_refuses_a_seed_outside_the_vocabulary(tmp_path, trained):
    path = _write(tmp_path, "numpy", trained, ZEN[:40], 5)
    out = subprocess.run([sys.executable, str(path), "~§"], capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "not in it" in out.stderr


def test_every_template_names_the_models_sizes(trained):
    model, vocab, config = trained
    for kind in FE.SCRIPTS:
        text = FE.script(kind, *trained, ZEN[:config.window])
        assert f"H = {config.units} units" in text and repr(vocab.chars) in text
        compile(text, kind, "exec")


def test_a_config_round_trips_through_asdict():
    """The JSON keeps every TextConfig field, clip None included."""
    config = lt.TextConfig(clip=None, holdout=0.0)
    assert lt.TextConfig(**json.loads(json.dumps(dataclasses.asdict(config)))) == config


@pytest.fixture(scope="module")
def small_files():
    """The JSON and .npz of a 4-unit model: small enough to mutate many times."""
    config = lt.TextConfig(units=4, steps=1, report_every=1)
    vocab = lt.vocabulary(ZEN)
    model = lt.build_model(config, vocab.size)
    return {"json": FF.to_json(model, vocab, config).encode(), "npz": FF.to_npz(model, vocab, config)}


@pytest.mark.parametrize("fmt", ["json", "npz"])
def test_any_damaged_file_gives_a_model_or_a_value_error(small_files, fmt):
    """Bytes overwritten, cut short or spliced: never an exception but ValueError."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as hs

    data = small_files[fmt]

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(at=hs.integers(0, len(data) - 1), patch=hs.binary(min_size=0, max_size=12),
           cut=hs.integers(0, len(data)))
    def check(at, patch, cut):
        damaged = (data[:at] + patch + data[at + len(patch):])[:max(cut, at)]
        try:
            model, vocab, config = FF.read(f"m.{fmt}", damaged)
        except ValueError as err:
            assert str(err)
            return
        assert model.head.W.shape[0] == vocab.size and lt.validate(config)
        assert all(np.all(np.isfinite(a)) for a in model.arrays().values())

    check()
