"""The one registry of cell kinds: each kind's parameters, passes, display name and colour.

Every part of the app that handles "which cell" — the model layer, the gradient flow, the
Jacobians, the training lab and every figure — looks the kind up here, so a kind has one name
in code (`rnn_tanh`), one name on screen ("tanh RNN") and one colour everywhere.

    cell = CELLS["lstm"]
    params = cell.init(input_size=1, hidden_size=4, seed=0)
    trace = cell.forward(params, xs)            # xs (T, I) or (T, B, I); mask=... by name
    grads = cell.backward(params, trace, dh)    # grads.params, grads.dh, grads.dxs
"""
import dataclasses
import functools

from .gru import GRUParams, gru_backward, gru_forward
from .lstm import LSTMParams, lstm_forward
from .lstm_bptt import lstm_backward
from .lstm_coupled import CoupledLSTMParams, coupled_backward, coupled_forward
from .rnn import RNNParams, rnn_backward, rnn_forward


@dataclasses.dataclass(frozen=True)
class Cell:
    """One kind of recurrent cell."""

    kind: str  # the kind's name in code, links and files
    name: str  # the kind's name on screen
    color: str  # key of the kind's colour in the UI's palette (ui/common/palette.py)
    params_cls: type  # its parameters: LSTMParams, CoupledLSTMParams, GRUParams or RNNParams
    forward: object  # (params, xs, h0=None, *, mask=None) -> trace; pass mask by name
    backward: object  # (params, trace, dh) -> grads with .params, .dxs, .dh
    init_options: tuple = ()  # extra keyword arguments of params_cls.init, as (name, value) pairs

    def init(self, input_size, hidden_size, *, seed=0, forget_bias=1.0):
        """Seeded PyTorch-style parameters; `forget_bias` is b_f for the LSTM kinds, unused otherwise."""
        options = dict(self.init_options)
        if self.params_cls in (LSTMParams, CoupledLSTMParams):
            options["forget_bias"] = forget_bias
        return self.params_cls.init(input_size, hidden_size, seed=seed, **options)


def _rnn(activation):
    return functools.partial(rnn_forward, activation=activation)


CELLS = {cell.kind: cell for cell in (
    Cell("rnn_sigmoid", "sigmoid RNN", "rnn_sigmoid", RNNParams, _rnn("sigmoid"), rnn_backward),
    Cell("rnn_tanh", "tanh RNN", "rnn_tanh", RNNParams, _rnn("tanh"), rnn_backward),
    Cell("lstm", "LSTM", "lstm", LSTMParams, lstm_forward, lstm_backward),
    Cell("lstm_peephole", "peephole LSTM", "lstm_peephole", LSTMParams, lstm_forward, lstm_backward,
         init_options=(("peephole", True),)),
    Cell("lstm_coupled", "coupled-gate LSTM", "lstm_coupled", CoupledLSTMParams, coupled_forward,
         coupled_backward),
    Cell("gru", "GRU", "gru", GRUParams, gru_forward, gru_backward),
)}
KINDS = tuple(CELLS)  # every kind, in the order the pages list them
ALIASES = {"rnn": "rnn_tanh"}  # names of older links and model files, read as today's kinds


def canonical(kind):
    """Today's name of a kind (an older alias is translated); ValueError for an unknown kind."""
    kind = ALIASES.get(kind, kind)
    if kind not in CELLS:
        raise ValueError(f"unknown cell kind {kind!r}: choose from {', '.join(KINDS)}")
    return kind


def cell(kind):
    """The registry entry of `kind` (or of an older alias of it)."""
    return CELLS[canonical(kind)]


def name(kind):
    """The display name of `kind`: "tanh RNN", "LSTM", ..."""
    return cell(kind).name


def for_params(params):
    """The first kind whose parameters have the type of `params` (the RNN kinds share a backward)."""
    for entry in CELLS.values():
        if isinstance(params, entry.params_cls):
            return entry
    raise TypeError(f"no cell kind has parameters of type {type(params).__name__}")
