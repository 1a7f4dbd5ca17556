"""Code out for a text model: a NumPy, PyTorch or Keras script that rebuilds the trained model,
loads its exact weights and writes text greedily from a seed.

The templates are assets/export/text_*.py.tmpl (beside the cell pages' ones, ui/cell/export.py).
The weights travel inside the script as the page's .npz in base64 (ui/text/files_format.to_npz),
torch's names, so every script reads the same bytes the "Download (.npz)" button gives.
Pure functions: no streamlit import.
"""
import base64
import string

from lstm_core import text as lt
from ui.cell.export import TEMPLATES
from ui.text.files_format import to_npz

SCRIPTS = {  # kind: (button label, file name)
    "numpy": ("NumPy", "text_model_numpy.py"),
    "torch": ("PyTorch", "text_model_torch.py"),
    "keras": ("Keras", "text_model_keras.py"),
}
LENGTH = 200  # characters a script writes


def script(kind, model, vocab, config, seed_text, length=LENGTH):
    """The `kind` script (a key of SCRIPTS) of a trained text model, seeded with `seed_text`."""
    V, H = vocab.size, config.units
    I = lt.input_size(config, V)
    encoding = "one-hot" if config.encoding == "onehot" else "one integer feature (id / V)"
    values = {"filename": SCRIPTS[kind][1], "vocab": repr(vocab.chars), "V": V, "H": H, "I": I,
              "encoding": config.encoding, "target": config.target, "window": config.window,
              "layers": config.layers,
              "seed_text": repr(seed_text[-config.window:]), "length": length,
              "npz": repr(base64.b64encode(to_npz(model, vocab, config)).decode("ascii")),
              "size": f"{config.layers} LSTM layer(s) of H = {H} units over {I} input(s) per step "
                      f"({encoding} of {V} characters), a Dense head of {V} logits, windows of "
                      f"{config.window} characters"}
    text = (TEMPLATES / f"text_{kind}.py.tmpl").read_text(encoding="utf-8")
    return string.Template(text).substitute(values)
