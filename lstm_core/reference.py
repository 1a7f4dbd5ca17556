"""The cells written to be read: one time step, one line per equation of our notes.

These are the equations the pages show, in the notes' names, for one sequence (no batch axis):
x_t is (I,), h_prev and c_prev are (H,), every W is (H, H+I) and acts on [h_{t-1}, x_t].
`lstm.py` computes exactly the same numbers faster (stacked gates, one tanh for all four, the
whole sequence at once); tests/engine/test_reference.py proves the two agree, values and
gradients, peepholes included. Backward mirrors forward line by line, as in min-char-rnn.
"""
import dataclasses

import numpy as np

from .lstm import LSTMParams
from .numerics import sigmoid


@dataclasses.dataclass(frozen=True, eq=False)
class LSTMStep:
    """Everything one LSTM step computed: its inputs, the pre-activations z and the results."""

    x_t: np.ndarray  # input (I,)
    h_prev: np.ndarray  # h_{t-1} (H,)
    c_prev: np.ndarray  # C_{t-1} (H,)
    z_f: np.ndarray  # W_f . [h_{t-1}, x_t] + b_f, the argument of the forget gate's sigma (H,)
    z_i: np.ndarray  # ... of the input gate's sigma
    z_c: np.ndarray  # ... of the candidate's tanh
    z_o: np.ndarray  # ... of the output gate's sigma
    f: np.ndarray  # forget gate f_t (H,)
    i: np.ndarray  # input gate i_t (H,)
    c_tilde: np.ndarray  # candidate C~_t (H,)
    o: np.ndarray  # output gate o_t (H,)
    c: np.ndarray  # cell state C_t (H,)
    h: np.ndarray  # hidden state h_t (H,)


def _peep(p, c):
    """A peephole's term p * C, or 0 for a cell without peepholes."""
    return 0.0 if p is None else p * c


def lstm_step(params, x_t, h_prev, c_prev):
    """One LSTM step: x_t (I,), h_prev (H,), c_prev (H,) -> LSTMStep."""
    p = params
    hx = np.concatenate([h_prev, x_t])                          # [h_{t-1}, x_t]      (H+I,)
    z_f = p.W_f @ hx + p.b_f + _peep(p.p_f, c_prev)             # pre-activations     (H,)
    z_i = p.W_i @ hx + p.b_i + _peep(p.p_i, c_prev)
    z_c = p.W_c @ hx + p.b_c
    f_t = sigmoid(z_f)                                          # forget gate         (H,)
    i_t = sigmoid(z_i)                                          # input gate          (H,)
    c_tilde = np.tanh(z_c)                                      # candidate C~_t      (H,)
    c_t = f_t * c_prev + i_t * c_tilde                          # cell state C_t      (H,)
    z_o = p.W_o @ hx + p.b_o + _peep(p.p_o, c_t)                # (a peephole sees C_t)
    o_t = sigmoid(z_o)                                          # output gate         (H,)
    h_t = o_t * np.tanh(c_t)                                    # hidden state h_t    (H,)
    return LSTMStep(x_t=x_t, h_prev=h_prev, c_prev=c_prev, z_f=z_f, z_i=z_i, z_c=z_c, z_o=z_o,
                    f=f_t, i=i_t, c_tilde=c_tilde, o=o_t, c=c_t, h=h_t)


@dataclasses.dataclass(frozen=True, eq=False)
class LSTMStepGrads:
    """One step's gradients: the weights' share of this step, and what flows to step t - 1."""

    params: LSTMParams  # dL/dW_f, dL/db_f, ... from this step alone
    dx: np.ndarray  # dL/dx_t (I,)
    dh_prev: np.ndarray  # dL/dh_{t-1} through this step (H,)
    dc_prev: np.ndarray  # dL/dC_{t-1} through this step (H,)


def lstm_step_backward(params, step, dh, dc_next):
    """Backward through one step: dh = all of dL/dh_t, dc_next = dL/dC_t from step t + 1."""
    p, s = params, step
    tanh_c = np.tanh(s.c)
    do = dh * tanh_c                                            # h_t = o_t tanh(C_t)
    dz_o = do * s.o * (1 - s.o)                                 # sigma' = o (1 - o)
    dc = dc_next + dh * s.o * (1 - tanh_c ** 2) + _peep(p.p_o, dz_o)  # every path into C_t
    df = dc * s.c_prev                                          # C_t = f_t C_{t-1} + i_t C~_t
    di = dc * s.c_tilde
    dc_tilde = dc * s.i
    dz_f = df * s.f * (1 - s.f)
    dz_i = di * s.i * (1 - s.i)
    dz_c = dc_tilde * (1 - s.c_tilde ** 2)                      # tanh' = 1 - C~^2
    dc_prev = dc * s.f + _peep(p.p_f, dz_f) + _peep(p.p_i, dz_i)  # the cell path: times f_t (+ peepholes)
    hx = np.concatenate([s.h_prev, s.x_t])
    grads = {f"W_{g}": np.outer(dz, hx) for g, dz in zip("fico", (dz_f, dz_i, dz_c, dz_o))}
    grads.update({f"b_{g}": dz for g, dz in zip("fico", (dz_f, dz_i, dz_c, dz_o))})
    if p.peephole:
        grads.update(p_f=dz_f * s.c_prev, p_i=dz_i * s.c_prev, p_o=dz_o * s.c)
    dhx = p.W_f.T @ dz_f + p.W_i.T @ dz_i + p.W_c.T @ dz_c + p.W_o.T @ dz_o  # (H+I,)
    H = len(s.h_prev)
    return LSTMStepGrads(params=LSTMParams(**grads), dx=dhx[H:], dh_prev=dhx[:H], dc_prev=dc_prev)


def lstm_run(params, xs, h0=None, c0=None):
    """lstm_step over xs (T, I) from h0, c0 (zeros by default): the list of T steps."""
    H = params.hidden_size
    h = np.zeros(H) if h0 is None else h0
    c = np.zeros(H) if c0 is None else c0
    steps = []
    for x_t in xs:
        steps.append(lstm_step(params, x_t, h, c))
        h, c = steps[-1].h, steps[-1].c
    return steps


def lstm_run_backward(params, steps, dh):
    """Backprop through time over lstm_run's steps; dh (T, H) is what the loss injects at each h_t.

    Returns (summed parameter gradients, dL/dx (T, I), dL/dh0, dL/dC0)."""
    H = params.hidden_size
    dh_next, dc_next = np.zeros(H), np.zeros(H)  # what step t + 1 sends back
    total, dxs = params.zeros_like().arrays(), []
    for s, dh_t in zip(reversed(steps), reversed(dh)):
        g = lstm_step_backward(params, s, dh_t + dh_next, dc_next)
        total = {k: total[k] + v for k, v in g.params.arrays().items()}
        dxs.append(g.dx)
        dh_next, dc_next = g.dh_prev, g.dc_prev
    return params.replace(**total), np.array(dxs[::-1]), dh_next, dc_next


def rnn_step(params, x_t, h_prev, activation="tanh"):
    """One plain RNN step: h_t = phi(W . [h_{t-1}, x_t] + b), phi tanh or the sigmoid."""
    a_t = params.W @ np.concatenate([h_prev, x_t]) + params.b   # pre-activation      (H,)
    return np.tanh(a_t) if activation == "tanh" else sigmoid(a_t)  # h_t             (H,)


def gru_step(params, x_t, h_prev):
    """One GRU step in torch.nn.GRU's form (the reset gate scales W_n's hidden part): (r, z, n, h)."""
    p, H = params, len(h_prev)
    hx = np.concatenate([h_prev, x_t])                          # [h_{t-1}, x_t]      (H+I,)
    r_t = sigmoid(p.W_r @ hx + p.b_r)                           # reset gate          (H,)
    z_t = sigmoid(p.W_z @ hx + p.b_z)                           # update gate         (H,)
    n_t = np.tanh(p.W_n[:, H:] @ x_t + p.b_in + r_t * (p.W_n[:, :H] @ h_prev + p.b_hn))  # candidate
    h_t = (1 - z_t) * n_t + z_t * h_prev                        # hidden state        (H,)
    return r_t, z_t, n_t, h_t
