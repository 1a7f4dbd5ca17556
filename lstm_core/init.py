"""Keras-style initialisers, so a model can start where keras.layers.LSTM / GRU / SimpleRNN / Dense do.

PyTorch draws every weight and bias from U(-1/sqrt(H), 1/sqrt(H)) (each cell's own `init`).
Keras 3's defaults differ, and the source notes' recipe is a Keras one:

    kernel            glorot_uniform on (I, nH):  U(-l, l),  l = sqrt(6 / (fan_in + fan_out))
    recurrent_kernel  orthogonal on (H, nH):      orthonormal rows (QR of a Gaussian, sign-fixed)
    bias              zeros; the LSTM's forget bias b_f = 1 (unit_forget_bias)
    Dense kernel      glorot_uniform on (D, O), bias zeros

n is the number of gate blocks (4 LSTM, 3 GRU, 1 RNN). The Keras-layout arrays are converted into
ours through the same code paths as real Keras weights (LSTMParams.from_keras, torch's layout).
The numbers are Keras's distributions drawn from NumPy's seeded generator, not Keras's own draws.
"""
import numpy as np

from .gru import GRUParams
from .lstm import LSTMParams
from .rnn import RNNParams

INITS = ("torch", "keras")  # Model.init(init=...): PyTorch's uniform defaults or Keras 3's
GATE_BLOCKS = {LSTMParams: 4, GRUParams: 3, RNNParams: 1}  # stacked gate blocks of each cell's kernel


def glorot_uniform(rng, fan_in, fan_out, shape):
    """Keras's GlorotUniform: U(-l, l) with l = sqrt(6 / (fan_in + fan_out)), an array of `shape`."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape)


def orthogonal(rng, shape):
    """Keras's Orthogonal (gain 1) for a 2-D shape: orthonormal rows if rows <= cols, else columns.

    QR of a Gaussian (max, min) matrix, with each column's sign fixed by diag(R) so the result is
    uniformly (Haar) distributed, transposed when the shape is wide."""
    rows, cols = shape
    a = rng.normal(size=(max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))  # sign fix: without it QR's convention biases the distribution
    return q.T if rows < cols else q


def keras_cell(params_cls, input_size, hidden_size, *, seed, forget_bias=1.0, **options):
    """A cell of `params_cls` with Keras's default init; `forget_bias` is the LSTM's b_f (Keras: 1).

    `options` are the cell's init options (peephole=True gets zero peepholes, like Keras's zeros)."""
    if params_cls not in GATE_BLOCKS:
        raise ValueError(f"Keras has no cell with the parameters of {params_cls.__name__}: use init='torch'")
    rng = np.random.default_rng(seed)
    n, H, I = GATE_BLOCKS[params_cls], hidden_size, input_size
    kernel = glorot_uniform(rng, I, n * H, (I, n * H))  # Keras's (I, nH)
    recurrent = orthogonal(rng, (H, n * H))  # Keras's (H, nH)
    bias = np.zeros(n * H)
    if params_cls is LSTMParams:
        bias[H:2 * H] = float(forget_bias)  # gate order i, f, c, o: the f block
        params = LSTMParams.from_keras(kernel, recurrent, bias)
        if options.get("peephole"):
            params = params.replace(**{f"p_{g}": np.zeros(H) for g in "fio"})
        return params
    # GRU, RNN: torch's layout is Keras's transposed. Keras stacks the GRU's gates z, r, h and torch
    # r, z, n, but every block is drawn alike, so the order of the draws changes no distribution.
    return params_cls.from_torch(kernel.T, recurrent.T, bias, np.zeros(n * H))


def keras_dense(in_size, out_size, *, seed):
    """(W (O, D), b (O,)) of keras.layers.Dense's default init: glorot_uniform kernel (D, O), zero bias."""
    rng = np.random.default_rng(seed)
    kernel = glorot_uniform(rng, in_size, out_size, (in_size, out_size))
    return kernel.T.copy(), np.zeros(out_size)
