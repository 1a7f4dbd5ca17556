"""The LSTM's variants as models, run on one input: what each computes, costs and lets reach step 1.

A variant is a Model.init of one cell kind, stacked or bidirectional, and the plain LSTM is the same
call with the LSTM kind and one layer. Built from the same seed, every variant shares weights with
the plain LSTM where it can: the peephole LSTM has the plain one's W and b plus three peephole
vectors, the coupled cell its W_f, W_c, W_o; a stacked model's first layer and a bidirectional
layer's forward cell ARE the plain cell (Model.init seeds cell k with seed + k).

Gradient reach: one loss on what the model ends with, as a unit vector, sent back exactly. For one
direction that is the top layer's h_T; a bidirectional layer's backward cell ends at step 1 (it reads
x_T first and x_1 last), so its summary is [h→_T, h←_1], Keras's Bidirectional's final states.
(torch's output[-1] holds h← after one step only.) The reach at step t is ||dL/d(first layer's output
at t)||: h_t, h¹_t of a stack, or [h→_t, h←_t].
"""
import dataclasses

import numpy as np

from .costs import COSTS, model_param_count, step_multiply_adds
from .model import Model
from .model_pass import model_backward, model_forward

VARIANTS = ("peephole", "coupled", "gru", "stacked", "bidirectional")  # the page's variants, in its order
PLAIN = "plain"
STEP_KEYS = {"lstm": ("f", "i", "c_tilde", "o", "c", "h"), "gru": ("r", "z", "n", "h")}  # per step, per cell


@dataclasses.dataclass(frozen=True)
class Shape:
    """A variant's model: the cell kind, how many layers, and whether each reads both ways."""

    kind: str
    num_layers: int = 1
    bidirectional: bool = False


SHAPES = {
    PLAIN: Shape("lstm"),
    "peephole": Shape("lstm_peephole"),
    "coupled": Shape("lstm_coupled"),
    "gru": Shape("gru"),
    "stacked": Shape("lstm", num_layers=2),
    "bidirectional": Shape("lstm", bidirectional=True),
}


def shape(variant):
    """The Shape of `variant` (a VARIANTS key or PLAIN); ValueError naming the choices otherwise."""
    if variant not in SHAPES:
        raise ValueError(f"unknown variant {variant!r}: choose from {', '.join(VARIANTS)}")
    return SHAPES[variant]


def build(variant, input_size, hidden_size, *, seed=0):
    """The seeded Model (no head) of `variant` reading I inputs with H units per cell."""
    s = shape(variant)
    return Model.init(s.kind, input_size, hidden_size, num_layers=s.num_layers,
                      bidirectional=s.bidirectional, seed=seed)


def param_count(variant, input_size, hidden_size):
    """Parameters of the variant's cells (costs.model_param_count, without a head)."""
    s = shape(variant)
    return model_param_count(s.kind, input_size, hidden_size, num_layers=s.num_layers,
                             bidirectional=s.bidirectional)


def multiply_adds(variant, input_size, hidden_size):
    """Multiply-adds of one time step: every cell's (costs.step_multiply_adds), layer by layer."""
    s = shape(variant)
    directions = 2 if s.bidirectional else 1
    total, size = 0, input_size
    for _ in range(s.num_layers):
        total += directions * step_multiply_adds(s.kind, size, hidden_size)
        size = directions * hidden_size
    return total


def formula(variant):
    """The parameter count as the page writes it, in H and I: "4·(H·(H+I) + H)" for the plain LSTM."""
    s = shape(variant)
    one = COSTS[s.kind].formula
    if s.bidirectional:
        return f"2·{one}"
    if s.num_layers == 2:
        return f"{one} + 4·(H·(H+H) + H)"  # layer 2 reads layer 1's H features instead of I inputs
    return one


@dataclasses.dataclass(frozen=True, eq=False)
class Anatomy:
    """One variant run forward and back on one input xs (T, I)."""

    variant: str
    model: Model
    trace: object  # the ModelTrace; cell traces are (T, 1, .)
    grads: object  # the ModelGrads of the summary loss
    reach: np.ndarray  # (T,) ||dL/d first layer's output at t||

    def cell_trace(self, layer=0, direction=0):
        """One layer and direction's gates and states (STEP_KEYS of its kind) as (T, H) arrays in the
        input's time order (the backward cell's own order is reversed back)."""
        trace = self.trace.layers[layer][direction]
        keys = STEP_KEYS["gru" if self.model.layers[layer].kind == "gru" else "lstm"]
        return {k: getattr(trace, k)[::-1 if direction else 1, 0] for k in keys}


def summary_gradient(model, T):
    """dL/d top layer's outputs (T, 1, D) of the summary loss: a unit vector on what each direction
    ends with (h→ at step T, h← at step 1)."""
    D = model.feature_size
    d = np.zeros((T, 1, D))
    if model.layers[-1].bwd is None:
        d[-1, 0] = 1.0 / np.sqrt(D)
    else:
        H = D // 2
        d[-1, 0, :H] = d[0, 0, H:] = 1.0 / np.sqrt(D)
    return d


def anatomy(variant, xs, *, input_size, hidden_size, seed=0):
    """Build `variant`, run it on xs (T, I) and send the summary loss back; ValueError for T = 0 or a
    wrong width."""
    xs = np.asarray(xs, dtype=np.float64)
    if xs.ndim != 2 or len(xs) == 0 or xs.shape[1] != input_size:
        raise ValueError(f"the input must be T ≥ 1 steps of {input_size} value(s), got shape {xs.shape}")
    model = build(variant, input_size, hidden_size, seed=seed)
    trace = model_forward(model, xs[:, None, :])  # (T, 1, I): one sequence, batched
    grads = model_backward(model, trace, doutputs=summary_gradient(model, len(xs)))
    first = grads.layers[0]  # the first layer's cell grads, each direction in its own time order
    dh = np.concatenate([g.dh[::-1] if k else g.dh for k, g in enumerate(first)], axis=-1)[:, 0]
    return Anatomy(variant, model, trace, grads, np.linalg.norm(dh, axis=-1))
