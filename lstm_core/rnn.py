"""The plain (Elman) RNN cell, forward and backward through time: the baseline the LSTM fixes.

    a_t = W . [h_{t-1}, x_t] + b                     pre-activation     (H,)
    h_t = phi(a_t)                                   hidden state       (H,)

phi is tanh (torch.nn.RNN's default) or the sigmoid. Backprop multiplies dh by
phi'(a_t) W_h at every step, so gradients shrink or grow geometrically with time.
"""
import dataclasses

import numpy as np

from .numerics import (backward_inputs, dsigmoid_from_output, dtanh_from_output, forward_inputs,
                       input_weight_grad, is_ids, project_inputs, quiet, shape_out, sigmoid)
from .params import CellParamsMixin, check_shape, uniform_init

ACTIVATIONS = {"tanh": (np.tanh, dtanh_from_output),
               "sigmoid": (sigmoid, dsigmoid_from_output)}  # phi and phi' written with phi's output


@dataclasses.dataclass(frozen=True, eq=False)
class RNNParams(CellParamsMixin):
    """W acts on [h_{t-1}, x_t] (hidden part first): W is (H, H+I), b is (H,)."""

    W: np.ndarray
    b: np.ndarray

    def validate(self):
        """Raise ValueError if the shapes do not describe one RNN cell."""
        H, HI = self.W.shape if self.W.ndim == 2 else (0, -1)
        if HI <= H:
            raise ValueError("W must be (H, H+I) with I >= 1")
        check_shape("b", self.b, (H,))
        return self

    @classmethod
    def init(cls, input_size, hidden_size, *, seed=0, dtype=np.float64):
        """PyTorch-style uniform init U(-1/sqrt(H), 1/sqrt(H)) with a seed."""
        rng = np.random.default_rng(seed)
        H, HI = hidden_size, hidden_size + input_size
        W = uniform_init(rng, (H, HI), H)
        b = uniform_init(rng, (H,), H)
        return cls(W=W, b=b).astype(dtype)

    @classmethod
    def from_torch(cls, weight_ih, weight_hh, bias_ih, bias_hh):
        """From torch.nn.RNN's layout: (H, I), (H, H), (H,), (H,); the two biases are summed."""
        W = np.concatenate([np.asarray(weight_hh), np.asarray(weight_ih)], axis=1)  # (H, H+I): [h, x]
        b = np.asarray(bias_ih) + np.asarray(bias_hh)  # (H,)
        return cls(W=W, b=b).validate()

    def to_torch(self, *, gradient=False):
        """torch.nn.RNN's four arrays: b in bias_ih and zeros in bias_hh, as torch adds them;
        for a gradient (gradient=True) the summed bias's gradient goes in both."""
        H = self.hidden_size
        return {"weight_ih": self.W[:, H:].copy(), "weight_hh": self.W[:, :H].copy(),
                "bias_ih": self.b.copy(), "bias_hh": self.b.copy() if gradient else np.zeros_like(self.b)}


@dataclasses.dataclass(frozen=True, eq=False)
class RNNTrace:
    """Every step of a forward pass. Public fields are (T, H) unbatched or (T, B, H) batched."""

    a: np.ndarray  # pre-activation W . [h_{t-1}, x_t] + b
    h: np.ndarray  # hidden state h_t
    xs: np.ndarray  # inputs, (T, B, I) internally, or token ids (T, B) (numerics.as_inputs)
    h0: np.ndarray  # (B, H)
    mask: np.ndarray  # (T, B, 1) of 0/1, or None
    activation: str  # "tanh" or "sigmoid"
    unbatched: bool


@dataclasses.dataclass(frozen=True, eq=False)
class RNNGrads:
    """Gradients of a scalar loss: `params` like the parameters; per-step dh like trace.h."""

    params: RNNParams
    dxs: np.ndarray  # like xs; None for token ids (an integer has no gradient)
    dh0: np.ndarray  # (H,) or (B, H)
    dh: np.ndarray  # total dL/dh_t reaching each step, (T, [B,] H)


def _check_activation(activation):
    """Raise ValueError unless `activation` names one of ACTIVATIONS."""
    if activation not in tuple(ACTIVATIONS):
        raise ValueError(f"activation must be one of {tuple(ACTIVATIONS)}, got {activation!r}")


def rnn_forward(params, xs, h0=None, activation="tanh", mask=None):
    """Run the cell over xs (T, I) or (T, B, I), or token ids (T,) or (T, B) standing for one-hot
    vectors of I entries; mask (T, B) of 0/1 freezes the state on padded steps."""
    _check_activation(activation)
    X, unbatched, M, h0 = forward_inputs(params, xs, h0, mask)  # (T, B, I) or ids (T, B); (T, B, 1), (B, H)
    T, B = X.shape[:2]
    H = params.hidden_size
    Wh_T = np.ascontiguousarray(params.W[:, :H].T)  # (H, H)
    A = project_inputs(X, params.W[:, H:], params.b, out=np.empty((T * B, H), params.dtype))
    A = A.reshape(T, B, H)  # input part, all steps
    Hs = np.empty_like(A)
    with quiet():
        _forward_loop(ACTIVATIONS[activation][0], A, Hs, h0, Wh_T, M)
    trace = RNNTrace(a=A, h=Hs, xs=X, h0=h0, mask=M, activation=activation, unbatched=unbatched)
    if unbatched:
        trace = dataclasses.replace(trace, a=A[:, 0], h=Hs[:, 0])
    return trace


def _forward_loop(phi, A, Hs, h, Wh_T, M):
    """The recurrence; A holds each step's input projection and is completed in place."""
    for t in range(A.shape[0]):
        a = A[t]  # (B, H)
        a += h @ Wh_T  # a_t = W . [h_{t-1}, x_t] + b
        phi(a, out=Hs[t])  # h_t = phi(a_t)
        if M is not None:
            Hs[t] = np.where(M[t] > 0, Hs[t], h)  # padded step: keep h_{t-1}
        h = Hs[t]


def rnn_backward(params, trace, dh):
    """Backprop through time. dh: dL/dh_t injected at each step, shaped like trace.h; dxs is None
    for token-id inputs."""
    dtype = params.dtype
    T, B = trace.xs.shape[:2]
    H = params.hidden_size
    dH_in, H_prev = backward_inputs(params, trace, dh)  # (T, B, H) each
    Hs = trace.h.reshape(T, B, H)
    dphi = ACTIVATIONS[trace.activation][1]
    Wh = params.W[:, :H]  # (H, H)
    dA = np.empty((T, B, H), dtype)  # dL/da_t
    dh_all = np.empty((T, B, H), dtype)
    dh_next = np.zeros((B, H), dtype)
    keep = None if trace.mask is None else trace.mask > 0  # (T, B, 1): real steps
    with quiet():
        for t in range(T - 1, -1, -1):
            dh_t = dH_in[t] + dh_next  # everything that reaches h_t
            dh_all[t] = dh_t
            dA[t] = dh_t * dphi(Hs[t])  # through phi: dL/da_t
            if keep is not None:
                dA[t] = np.where(keep[t], dA[t], 0)  # a padded step computed nothing
            dh_next = dA[t] @ Wh  # dL/dh_{t-1}: one factor phi'(a_t) W_h per step
            if keep is not None:
                dh_next = np.where(keep[t], dh_next, dh_t)  # a padded step passes dh straight through
        grads = _param_grads(dA, trace.xs, H_prev, params.input_size)
        dxs = None if is_ids(trace.xs) else dA @ params.W[:, H:]  # (T, B, I)
    u = trace.unbatched
    return RNNGrads(params=grads, dxs=None if dxs is None else shape_out(dxs, u), dh0=shape_out(dh_next, u),
                    dh=shape_out(dh_all, u))


def _param_grads(dA, X, H_prev, I):
    """Sum every step's contribution to W and b with two matmuls over (T*B) rows (the input
    part a sum per id for token ids)."""
    T, B, H = dA.shape
    dA2 = dA.reshape(T * B, H)
    dW = np.empty((H, H + I), dA.dtype)
    np.matmul(dA2.T, H_prev.reshape(T * B, H), out=dW[:, :H])
    input_weight_grad(dA2, X, out=dW[:, H:])
    return RNNParams(W=dW, b=dA2.sum(axis=0))
