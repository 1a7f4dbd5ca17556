"""What a cell costs: its parameter count and the multiply-adds of one step, as formulas in I and H.

For comparing the kinds side by side ("which has fewer parameters at H = 8, I = 1?"). The counts
are the engine's own arrays (tests check them against every kind's `arrays()`): each gate has one
(H, H+I) weight acting on [h_{t-1}, x_t] and one bias, torch's two biases summed where they are
equivalent (an LSTM's b_ih + b_hh), kept apart where they are not (the GRU's b_hn sits inside the
reset gate). torch and Keras count what they store, so `framework_count` gives theirs too. The
multiply-adds are those of the step's matrix products, which dominate once H is more than a few units;
the gates' elementwise work adds a few per unit.
"""
import dataclasses

from .cells import canonical


@dataclasses.dataclass(frozen=True)
class Cost:
    """One kind's formulas: `gates` weight blocks of (H, H+I), `biases` bias vectors of H, `diagonal`
    extra (H,) vectors (peepholes), and the formula as the pages write it."""

    gates: int
    biases: int
    diagonal: int
    formula: str
    torch_biases: int  # bias vectors of H torch stores (bias_ih and bias_hh per gate)


COSTS = {
    "rnn_sigmoid": Cost(1, 1, 0, "H·(H+I) + H", 2),
    "rnn_tanh": Cost(1, 1, 0, "H·(H+I) + H", 2),
    "lstm": Cost(4, 4, 0, "4·(H·(H+I) + H)", 8),
    "lstm_peephole": Cost(4, 4, 3, "4·(H·(H+I) + H) + 3·H", 8),
    "lstm_coupled": Cost(3, 3, 0, "3·(H·(H+I) + H)", 6),
    "gru": Cost(3, 4, 0, "3·H·(H+I) + 4·H", 6),
}


def param_count(kind, input_size, hidden_size):
    """The number of parameters of one cell of `kind` reading I inputs with H units."""
    c, H, I = COSTS[canonical(kind)], hidden_size, input_size
    return c.gates * H * (H + I) + (c.biases + c.diagonal) * H


def framework_count(kind, input_size, hidden_size):
    """What torch.nn.LSTM / RNN / GRU count for the same cell: both bias vectors of every gate (a
    Keras LSTM keeps one, like the engine; a Keras GRU with reset_after keeps torch's six)."""
    c, H, I = COSTS[canonical(kind)], hidden_size, input_size
    return c.gates * H * (H + I) + (c.torch_biases + c.diagonal) * H


def step_multiply_adds(kind, input_size, hidden_size):
    """Multiply-adds of one step's matrix products: each gate's (H, H+I) weight times [h_{t-1}, x_t],
    plus a peephole's H per peeping gate."""
    c, H, I = COSTS[canonical(kind)], hidden_size, input_size
    return c.gates * H * (H + I) + c.diagonal * H


def model_param_count(kind, input_size, hidden_size, *, num_layers=1, bidirectional=False, output_size=None):
    """The parameters of a Model.init of the same arguments: each layer's cells (two if
    bidirectional, reading the layer below's H or 2H features) and the head's (O, D) weight and bias."""
    directions = 2 if bidirectional else 1
    total, size = 0, input_size
    for _ in range(num_layers):
        total += directions * param_count(kind, size, hidden_size)
        size = directions * hidden_size
    return total + (0 if output_size is None else output_size * (size + 1))
