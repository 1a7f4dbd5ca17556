"""The lines the page shows for saving a weights file work: run with real PyTorch or Keras (where
installed, in a fresh interpreter), each writes a file the loader reads back as the model's own
weights."""
import importlib.util
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

import lstm_core as lc
from lstm_core import weights_file

ASSETS = pathlib.Path(__file__).parents[2] / "assets" / "transfer"
MODELS = {  # framework: lines that make `model`, then print its LSTM's weights as the loader names them
    "torch": """
import torch
torch.manual_seed(0)
class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(2, 3)
model = Model()
""",
    "keras": """
import keras
model = keras.Sequential([keras.Input((None, 2)), keras.layers.LSTM(3, name="lstm")])
""",
}
DUMPS = {  # framework: lines that save the model's weights in the engine's layout, for comparison
    "torch": "import numpy as np; np.savez('want.npz', **{k: v.detach().numpy() for k, v in model.lstm.state_dict().items()})",
    "keras": "import numpy as np; np.savez('want.npz', *model.get_layer('lstm').get_weights())",
}


def snippets(framework):
    """The code blocks of assets/transfer/<framework>.md, in order."""
    return re.findall(r"```python\n(.*?)```", (ASSETS / f"{framework}.md").read_text(), re.S)


def wanted(framework, tmp_path):
    """The model's weights as LSTMParams, from the file DUMPS wrote."""
    with np.load(tmp_path / "want.npz") as data:
        arrays = {k: data[k].astype(np.float64) for k in data.files}  # the loader sums torch's biases in float64
    if framework == "torch":
        return lc.LSTMParams.from_torch(*(arrays[f"{n}_l0"] for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")))
    return lc.LSTMParams.from_keras(*(arrays[f"arr_{k}"] for k in range(3)))


@pytest.mark.parametrize("framework, block, file", [
    ("torch", 0, "lstm.npz"), ("torch", 1, "lstm.safetensors"),
    ("keras", 0, "lstm.weights.h5"), ("keras", 1, "lstm.npz"),
])
def test_the_save_lines_write_a_file_the_loader_reads_as_the_models_weights(framework, block, file, tmp_path):
    needs = [framework] + (["safetensors"] if file.endswith("safetensors") else [])
    missing = [m for m in needs if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (dev tools, never requirements)")
    code = MODELS[framework] + snippets(framework)[block] + DUMPS[framework]
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "KERAS_BACKEND": "torch"})
    assert done.returncode == 0, done.stderr[-2000:]
    layers = weights_file.read_layers(file, (tmp_path / file).read_bytes()).layers
    assert len(layers) == 1
    want = wanted(framework, tmp_path)
    assert all(np.array_equal(a, b) for a, b in zip(layers[0].params.arrays().values(), want.arrays().values()))


def test_each_framework_shows_a_short_recipe():
    """At most three lines per recipe: what the page promises."""
    for framework in MODELS:
        assert all(len(block.strip().splitlines()) <= 3 for block in snippets(framework))
