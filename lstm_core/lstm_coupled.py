"""The coupled input–forget gate LSTM: one gate decides both what to forget and what to write.

    f_t  = sigma(W_f . [h_{t-1}, x_t] + b_f)         forget gate                  (H,)
    i_t  = 1 - f_t                                   input gate, coupled to f_t   (H,)
    C~_t = tanh (W_c . [h_{t-1}, x_t] + b_c)         candidate                    (H,)
    C_t  = f_t * C_{t-1} + (1 - f_t) * C~_t          cell state: a running blend  (H,)
    o_t  = sigma(W_o . [h_{t-1}, x_t] + b_o)         output gate                  (H,)
    h_t  = o_t * tanh(C_t)                           hidden state                 (H,)

Greff et al. ("LSTM: A Search Space Odyssey", 2017) found this variant about as good as the full LSTM
with a quarter fewer weights; the GRU's update gate couples the same way. Since 1 - sigma(z) = sigma(-z),
the cell IS an LSTM whose input gate has the weights -W_f and the bias -b_f, so it runs on the fast
LSTM passes: forward through `full()`, and backward folds the two gates' gradients into one,
dL/dW_f = dL/dW_f(full) - dL/dW_i(full), exactly.
"""
import dataclasses

import numpy as np

from .lstm import LSTMParams, lstm_forward
from .lstm_bptt import lstm_backward
from .params import CellParamsMixin, check_shape, uniform_init


@dataclasses.dataclass(frozen=True, eq=False)
class CoupledLSTMParams(CellParamsMixin):
    """Three gate weights (H, H+I) on [h_{t-1}, x_t] and their biases (H,); the input gate has none."""

    W_f: np.ndarray
    W_c: np.ndarray
    W_o: np.ndarray
    b_f: np.ndarray
    b_c: np.ndarray
    b_o: np.ndarray

    peephole = False  # no peepholes: this cell's gates see [h_{t-1}, x_t] only

    def validate(self):
        """Raise ValueError if the shapes do not describe one coupled cell."""
        H, HI = self.W_f.shape if self.W_f.ndim == 2 else (0, -1)
        if HI <= H:
            raise ValueError("W_f must be (H, H+I) with I >= 1")
        for g in "fco":
            check_shape(f"W_{g}", getattr(self, f"W_{g}"), (H, HI))
            check_shape(f"b_{g}", getattr(self, f"b_{g}"), (H,))
        return self

    @classmethod
    def init(cls, input_size, hidden_size, *, seed=0, forget_bias=1.0, dtype=np.float64):
        """PyTorch-style uniform init with a seed, drawn like LSTMParams.init (same W_f, W_c, W_o and
        b_c, b_o for the same seed); b_f = `forget_bias`, which here also sets how little is written."""
        full = LSTMParams.init(input_size, hidden_size, seed=seed, forget_bias=forget_bias, dtype=dtype)
        return cls(W_f=full.W_f, W_c=full.W_c, W_o=full.W_o, b_f=full.b_f, b_c=full.b_c, b_o=full.b_o)

    def full(self):
        """The same cell as a plain LSTM: W_i = -W_f and b_i = -b_f make sigma(z_i) = 1 - f_t."""
        return LSTMParams(W_f=self.W_f, W_i=-self.W_f, W_c=self.W_c, W_o=self.W_o,
                          b_f=self.b_f, b_i=-self.b_f, b_c=self.b_c, b_o=self.b_o)

    @classmethod
    def from_torch(cls, *arrays):
        """Refused: torch.nn.LSTM has no coupled gates, so no torch weights describe this cell."""
        raise ValueError("torch.nn.LSTM has no coupled input–forget gate: load a plain LSTM instead")


def coupled_forward(params, xs, h0=None, c0=None, mask=None):
    """The forward pass: an LSTMTrace whose i is exactly 1 - f (see the module docstring)."""
    return lstm_forward(params.full(), xs, h0, c0, mask=mask)


def coupled_backward(params, trace, dh, dc_last=None):
    """Backprop through time: the full LSTM's gradients with the input gate's folded into W_f, b_f
    (z_i = -z_f, so dL/dz_f gains -dL/dz_i)."""
    grads = lstm_backward(params.full(), trace, dh, dc_last=dc_last)
    g = grads.params
    folded = CoupledLSTMParams(W_f=g.W_f - g.W_i, W_c=g.W_c, W_o=g.W_o,
                               b_f=g.b_f - g.b_i, b_c=g.b_c, b_o=g.b_o)
    return dataclasses.replace(grads, params=folded)
