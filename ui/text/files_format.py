"""A trained text model as a file and back: the app's JSON, or an .npz of torch-named arrays.

    JSON  {"kind": "TextModel", "version": 1, "vocab": "\\n !',-.ABC...", "config": {TextConfig's
          fields}, "dtype": "float32", "model": Model.to_dict()}
    .npz  torch.nn.LSTM's state dict under "lstm." (lstm.weight_ih_l0 (4H, I), lstm.weight_hh_l0
          (4H, H), lstm.bias_ih_l0, lstm.bias_hh_l0 (4H,), ... per layer), torch.nn.Linear's under
          "head." (head.weight (V, H), head.bias (V,)), and "meta": the JSON above without "model",
          as one string (loaded with allow_pickle=False, like every array)

Both hold the float32 weights exactly, so a round trip gives the same model bit for bit. A file
that is not one of these, or whose model does not fit its vocabulary and config, raises
ValueError with a sentence a learner can act on. Pure functions: no streamlit import.
"""
import dataclasses
import io
import json
import zipfile

import numpy as np

from lstm_core import text as lt
from lstm_core.model import Model

FORMAT, VERSION = "TextModel", 1
MAX_BYTES = 100_000_000  # a file: the largest model the page trains (3 x 512 units) is ~22 MB as .npz
DTYPES = {"float32": np.float32, "float64": np.float64}


def to_json(model, vocab, config):
    """The model, its vocabulary and its TextConfig as the app's JSON text."""
    return json.dumps({**_meta(model, vocab, config), "model": model.to_dict()})


def to_npz(model, vocab, config):
    """The model as .npz bytes: torch-named arrays (a torch state dict) and the JSON "meta"."""
    arrays = {"meta": np.array(json.dumps(_meta(model, vocab, config)))}
    for l, layer in enumerate(model.layers):
        arrays.update({f"lstm.{name}_l{l}": a for name, a in layer.fwd.to_torch().items()})
    arrays["head.weight"], arrays["head.bias"] = model.head.W, model.head.b
    out = io.BytesIO()
    np.savez(out, **arrays)
    return out.getvalue()


def _meta(model, vocab, config):
    """What a file says besides the weights."""
    return {"kind": FORMAT, "version": VERSION, "vocab": vocab.chars,
            "config": dataclasses.asdict(config), "dtype": np.dtype(model.dtype).name}


def read(name, data):
    """(model, vocab, config) from a file's name and bytes (.json or .npz); ValueError otherwise."""
    if len(data) > MAX_BYTES:
        raise ValueError(f"the file is {len(data):,} bytes; at most {MAX_BYTES:,} are read")
    lower = str(name).lower()
    try:
        if lower.endswith(".json"):
            return from_json(data)
        if lower.endswith(".npz"):
            return from_npz(data)
    except RecursionError:
        raise ValueError("the file is nested too deeply to be a model") from None
    raise ValueError(f"'{name}' is neither .json nor .npz, the two formats this page saves")


def from_json(data):
    """(model, vocab, config) from the app's JSON (bytes or text)."""
    try:
        d = json.loads(data)
    except ValueError as err:  # JSONDecodeError, UnicodeDecodeError
        raise ValueError(f"the file is not valid JSON ({str(err)[:100]})") from None
    vocab, config, dtype = _read_meta(d)
    try:
        model = Model.from_dict(d.get("model"))
    except (TypeError, KeyError, AttributeError) as err:
        raise ValueError(f"its model is malformed ({str(err)[:100]})") from None
    return _checked(model, vocab, config, dtype)


def from_npz(data):
    """(model, vocab, config) from the .npz that to_npz writes."""
    arrays = _npz_arrays(data)
    meta = arrays.pop("meta", None)
    if meta is None or meta.dtype.kind != "U" or meta.ndim != 0:
        raise ValueError("the .npz has no 'meta' text saying its vocabulary and settings: "
                         "it was not saved by this page")
    try:
        d = json.loads(str(meta))
    except ValueError:
        raise ValueError("the .npz's 'meta' is not valid JSON") from None
    vocab, config, dtype = _read_meta(d)
    head = {k[len("head."):]: arrays.pop(k) for k in ("head.weight", "head.bias") if k in arrays}
    unknown = sorted(k for k in arrays if not k.startswith("lstm."))
    if unknown or len(head) != 2:
        raise ValueError("the .npz must hold lstm.* arrays, head.weight and head.bias"
                         + (f"; it also holds {unknown[:3]}" if unknown else ""))
    readout = "sequence" if config.target == "every" else "last"
    state = {k[len("lstm."):]: v for k, v in arrays.items()}
    try:
        model = Model.from_torch("lstm", state, config.layers, False, head=head, readout=readout)
    except (TypeError, IndexError) as err:
        raise ValueError(f"its arrays are malformed ({str(err)[:100]})") from None
    return _checked(model, vocab, config, dtype)


def _npz_arrays(data):
    """name -> array of an .npz of plain numbers and text (no pickled objects)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
        if sum(i.file_size for i in infos) > MAX_BYTES:
            raise ValueError(f"the archive unpacks to more than {MAX_BYTES:,} bytes")
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return {key: npz[key] for key in npz.files}
    except (zipfile.BadZipFile, EOFError, OSError) as err:
        raise ValueError(f"the file is not an .npz archive ({str(err)[:100]})") from None
    except ValueError as err:
        if "pickle" in str(err).lower():
            raise ValueError("the .npz holds pickled objects, which are never loaded") from None
        raise


def _read_meta(d):
    """(Vocab, TextConfig, dtype) from a file's JSON object."""
    if not isinstance(d, dict) or d.get("kind") != FORMAT:
        raise ValueError(f"it is not a text model of this page (no \"kind\": \"{FORMAT}\")")
    if d.get("version") != VERSION:
        raise ValueError(f"it is version {d.get('version')!r} of the format; this page reads {VERSION}")
    chars = d.get("vocab")
    if not isinstance(chars, str) or len(set(chars)) != len(chars) or list(chars) != sorted(chars) \
            or not 2 <= len(chars) <= lt.MAX_VOCAB:
        raise ValueError(f"its vocabulary must be 2..{lt.MAX_VOCAB} distinct characters, sorted")
    fields = {f.name for f in dataclasses.fields(lt.TextConfig)}
    config = d.get("config")
    if not isinstance(config, dict) or set(config) != fields:
        raise ValueError(f"its config must name exactly TextConfig's fields: {', '.join(sorted(fields))}")
    config = lt.validate(lt.TextConfig(**config))
    if d.get("dtype") not in DTYPES:
        raise ValueError(f"its dtype must be one of {', '.join(DTYPES)}")
    return lt.Vocab(chars), config, DTYPES[d["dtype"]]


def _checked(model, vocab, config, dtype):
    """The model in its dtype, if it is what build_model(config, V) makes and every weight is finite."""
    V = vocab.size
    want = lt.build_model(config, V)
    shapes = {n: a.shape for n, a in model.arrays().items()}
    if any(layer.kind != "lstm" or layer.bwd is not None for layer in model.layers) \
            or model.head is None or model.readout != want.readout:
        raise ValueError("its model is not the page's: one-directional LSTM layers and a head, "
                         f"read at {'every step' if want.readout == 'sequence' else 'the last step'}")
    if model.head.W.shape[0] != V:
        raise ValueError(f"its head has {model.head.W.shape[0]} outputs but the vocabulary "
                         f"{V} characters")
    expected = {n: a.shape for n, a in want.arrays().items()}
    if shapes != expected:
        wrong = [n for n in expected if shapes.get(n) != expected[n]] + sorted(set(shapes) - set(expected))
        wrong = wrong[0]
        raise ValueError(f"its weights do not fit its settings ({config.layers} layer(s) of "
                         f"{config.units} units, {lt.input_size(config, V)} input(s)): {wrong} is "
                         f"{shapes.get(wrong)}, expected {expected.get(wrong)}")
    for name, a in model.arrays().items():
        if not np.all(np.isfinite(a)) or np.any(np.abs(a) > np.finfo(dtype).max):
            raise ValueError(f"{name} holds NaN, infinity or numbers too big for {np.dtype(dtype).name}")
    return model.map(lambda a: a.astype(dtype)), vocab, config
