"""The LSTM cell, forward and backward through time, in the notation of our notes.

    f_t = sigma(W_f . [h_{t-1}, x_t] + b_f)          forget gate        (H,)
    i_t = sigma(W_i . [h_{t-1}, x_t] + b_i)          input gate         (H,)
    g_t = tanh (W_c . [h_{t-1}, x_t] + b_c)          candidate C~_t     (H,)
    c_t = f_t * c_{t-1} + i_t * g_t                  cell state         (H,)
    o_t = sigma(W_o . [h_{t-1}, x_t] + b_o)          output gate        (H,)
    h_t = o_t * tanh(c_t)                            hidden state       (H,)

With peepholes (Gers & Schmidhuber) f_t and i_t also see p * c_{t-1}, and o_t sees p_o * c_t.
Internally the four gates are stacked in the order f, i, o, g so that the three sigmoids are
one contiguous slice; the public fields keep the notes' names.
"""
import dataclasses

import numpy as np

from .numerics import (as_batch, as_mask, dsigmoid_from_output, dtanh_from_output,
                       initial_state, quiet, sigmoid)
from .params import ParamsMixin, check_shape, uniform_init

GATES = ("f", "i", "o", "c")  # internal stacking order of W_f, W_i, W_o, W_c
TORCH_GATES = ("i", "f", "c", "o")  # torch.nn.LSTM's order (it calls the candidate g)


@dataclasses.dataclass(frozen=True, eq=False)
class LSTMParams(ParamsMixin):
    """Weights act on [h_{t-1}, x_t] (hidden part first): each W is (H, H+I), each b is (H,)."""

    W_f: np.ndarray
    W_i: np.ndarray
    W_c: np.ndarray
    W_o: np.ndarray
    b_f: np.ndarray
    b_i: np.ndarray
    b_c: np.ndarray
    b_o: np.ndarray
    p_f: np.ndarray = None  # peephole weights (H,), or None for none
    p_i: np.ndarray = None
    p_o: np.ndarray = None

    @property
    def hidden_size(self):
        return self.W_f.shape[0]

    @property
    def input_size(self):
        return self.W_f.shape[1] - self.W_f.shape[0]

    @property
    def peephole(self):
        return self.p_f is not None

    def validate(self):
        """Raise ValueError if the shapes do not describe one LSTM cell."""
        H, HI = self.W_f.shape if self.W_f.ndim == 2 else (0, -1)
        if HI <= H:
            raise ValueError("W_f must be (H, H+I) with I >= 1")
        for g in "fico":
            check_shape(f"W_{g}", getattr(self, f"W_{g}"), (H, HI))
            check_shape(f"b_{g}", getattr(self, f"b_{g}"), (H,))
        peeps = [getattr(self, f"p_{g}") for g in "fio"]
        if any(p is None for p in peeps) and any(p is not None for p in peeps):
            raise ValueError("peepholes p_f, p_i, p_o come all together or not at all")
        for g in "fio":
            check_shape(f"p_{g}", getattr(self, f"p_{g}"), (H,))
        return self

    @classmethod
    def init(cls, input_size, hidden_size, *, seed=0, forget_bias=1.0, peephole=False,
             dtype=np.float64):
        """PyTorch-style uniform init with a seed; b_f set to `forget_bias` so memory starts long."""
        rng = np.random.default_rng(seed)
        H, HI = hidden_size, hidden_size + input_size
        arrays = {f"W_{g}": uniform_init(rng, (H, HI), H) for g in "fico"}
        arrays.update({f"b_{g}": uniform_init(rng, (H,), H) for g in "ico"})
        arrays["b_f"] = np.full(H, float(forget_bias))
        if peephole:
            arrays.update({f"p_{g}": uniform_init(rng, (H,), H) for g in "fio"})
        return cls(**arrays).astype(dtype)

    @classmethod
    def from_torch(cls, weight_ih, weight_hh, bias_ih, bias_hh):
        """From torch.nn.LSTM's layout: (4H, I), (4H, H), (4H,), (4H,) in gate order i, f, g, o."""
        weight_ih, weight_hh = np.asarray(weight_ih), np.asarray(weight_hh)
        W = np.concatenate([weight_hh, weight_ih], axis=1)  # (4H, H+I): [h, x]
        b = np.asarray(bias_ih) + np.asarray(bias_hh)  # (4H,)
        Ws, bs = np.split(W, 4), np.split(b, 4)
        arrays = {}
        for k, g in enumerate(TORCH_GATES):
            arrays[f"W_{g}"], arrays[f"b_{g}"] = Ws[k].copy(), bs[k].copy()
        return cls(**arrays).validate()

    def to_torch(self):
        """torch.nn.LSTM's weight_ih, weight_hh, bias_ih, bias_hh; the whole bias in both biases."""
        if self.peephole:
            raise ValueError("torch.nn.LSTM has no peepholes")
        H = self.hidden_size
        W = np.concatenate([getattr(self, f"W_{g}") for g in TORCH_GATES])  # (4H, H+I)
        b = np.concatenate([getattr(self, f"b_{g}") for g in TORCH_GATES])  # (4H,)
        return {"weight_ih": W[:, H:].copy(), "weight_hh": W[:, :H].copy(),
                "bias_ih": b.copy(), "bias_hh": b.copy()}

    def stacked(self):
        """(4H, H+I) weights and (4H,) bias in the internal order f, i, o, c."""
        W = np.concatenate([getattr(self, f"W_{g}") for g in GATES])
        b = np.concatenate([getattr(self, f"b_{g}") for g in GATES])
        return W, b


@dataclasses.dataclass(frozen=True, eq=False)
class LSTMTrace:
    """Every step of a forward pass. Public fields are (T, H) unbatched or (T, B, H) batched."""

    f: np.ndarray  # forget gate
    i: np.ndarray  # input gate
    g: np.ndarray  # candidate C~_t
    o: np.ndarray  # output gate
    c: np.ndarray  # cell state c_t
    h: np.ndarray  # hidden state h_t
    xs: np.ndarray  # inputs, (T, B, I) internally
    h0: np.ndarray  # (B, H)
    c0: np.ndarray  # (B, H)
    tanh_c: np.ndarray  # tanh(c_t), (T, B, H)
    gates: np.ndarray  # activations stacked f, i, o, g: (T, B, 4H)
    mask: np.ndarray  # (T, B, 1) of 0/1, or None
    unbatched: bool


@dataclasses.dataclass(frozen=True, eq=False)
class LSTMGrads:
    """Gradients of a scalar loss: `params` like the parameters; per-step dh, dc like trace.h."""

    params: LSTMParams
    dxs: np.ndarray  # like xs
    dh0: np.ndarray  # (H,) or (B, H)
    dc0: np.ndarray
    dh: np.ndarray  # total dL/dh_t reaching each step, (T, [B,] H)
    dc: np.ndarray  # total dL/dc_t reaching each step


def _shape_out(a, unbatched):
    """Drop the batch axis of a (T, 1, ...) or (1, ...) array for an unbatched caller."""
    return a[:, 0] if unbatched and a.ndim == 3 else (a[0] if unbatched else a)


def lstm_forward(params, xs, h0=None, c0=None, mask=None):
    """Run the cell over xs (T, I) or (T, B, I); mask (T, B) of 0/1 freezes the state on padded steps."""
    dtype = params.dtype
    X, unbatched = as_batch(xs, dtype)  # (T, B, I)
    T, B, _ = X.shape
    H = params.hidden_size
    if X.shape[2] != params.input_size:
        raise ValueError(f"xs has {X.shape[2]} features, the cell expects {params.input_size}")
    M = as_mask(None if mask is None else np.reshape(mask, (T, B)), T, B, dtype)
    h0, c0 = initial_state(h0, B, H, dtype), initial_state(c0, B, H, dtype)
    W, b = params.stacked()
    Wh_T = np.ascontiguousarray(W[:, :H].T)  # (H, 4H)
    A = (X.reshape(T * B, -1) @ W[:, H:].T + b).reshape(T, B, 4 * H)  # input part of every step at once
    G = np.empty_like(A)  # gate activations f, i, o, g
    C, TC, Hs = (np.empty((T, B, H), dtype) for _ in range(3))
    with quiet():
        _forward_loop(params, A, G, C, TC, Hs, h0, c0, Wh_T, M)
    trace = LSTMTrace(f=G[..., :H], i=G[..., H:2 * H], o=G[..., 2 * H:3 * H], g=G[..., 3 * H:],
                      c=C, h=Hs, xs=X, h0=h0, c0=c0, tanh_c=TC, gates=G, mask=M, unbatched=unbatched)
    if unbatched:
        trace = dataclasses.replace(trace, **{k: getattr(trace, k)[:, 0] for k in "figoch"})
    return trace


def _forward_loop(params, A, G, C, TC, Hs, h, c, Wh_T, M):
    """The recurrence; A holds each step's input projection and is completed in place."""
    H = Wh_T.shape[0]
    peep = params.peephole
    tmp = np.empty_like(h)
    for t in range(A.shape[0]):
        a, gt, c_t = A[t], G[t], C[t]  # (B, 4H), (B, 4H), (B, H)
        a += h @ Wh_T  # pre-activations of all four gates
        if peep:
            a[:, :H] += params.p_f * c  # forget gate peeks at c_{t-1}
            a[:, H:2 * H] += params.p_i * c  # input gate peeks at c_{t-1}
            sigmoid(a[:, :2 * H], out=gt[:, :2 * H])
        else:
            sigmoid(a[:, :3 * H], out=gt[:, :3 * H])  # f, i, o in one call
        np.tanh(a[:, 3 * H:], out=gt[:, 3 * H:])  # candidate g
        np.multiply(gt[:, :H], c, out=c_t)  # f_t * c_{t-1}: what is kept
        np.multiply(gt[:, H:2 * H], gt[:, 3 * H:], out=tmp)  # i_t * g_t: what is written
        c_t += tmp  # c_t
        if peep:
            a[:, 2 * H:3 * H] += params.p_o * c_t  # output gate peeks at c_t
            sigmoid(a[:, 2 * H:3 * H], out=gt[:, 2 * H:3 * H])
        if M is not None:
            c_t[...] = M[t] * c_t + (1 - M[t]) * c  # padded step: keep c_{t-1}
        np.tanh(c_t, out=TC[t])
        np.multiply(gt[:, 2 * H:3 * H], TC[t], out=Hs[t])  # h_t = o_t * tanh(c_t)
        if M is not None:
            Hs[t] = M[t] * Hs[t] + (1 - M[t]) * h  # padded step: keep h_{t-1}
        h, c = Hs[t], c_t


def lstm_backward(params, trace, dh, dc_last=None):
    """Backprop through time. dh: dL/dh_t injected at each step, shaped like trace.h."""
    dtype = params.dtype
    H = params.hidden_size
    G, X = trace.gates, trace.xs
    T, B, _ = G.shape
    dH_in = np.asarray(dh, dtype=dtype).reshape(T, B, H)
    W, _ = params.stacked()
    Wh = W[:, :H]  # (4H, H)
    C = trace.c.reshape(T, B, H)
    Hs = trace.h.reshape(T, B, H)
    C_prev = np.concatenate([trace.c0[None], C[:-1]])  # c_{t-1} for every t
    H_prev = np.concatenate([trace.h0[None], Hs[:-1]])  # h_{t-1} for every t
    dA = np.empty_like(G)  # dL/d pre-activations, stacked f, i, o, g
    dh_all, dc_all = np.empty((T, B, H), dtype), np.empty((T, B, H), dtype)
    dh_next = np.zeros((B, H), dtype)
    dc_next = initial_state(dc_last, B, H, dtype)
    with quiet():
        for t in range(T - 1, -1, -1):
            dh_next, dc_next = _backward_step(params, trace, t, dH_in[t] + dh_next, dc_next,
                                              C_prev[t], Wh, dA[t], dh_all, dc_all)
        grads = _param_grads(params, dA, X, H_prev, C_prev, C)
        dxs = dA @ W[:, H:]  # (T, B, I)
    u = trace.unbatched
    return LSTMGrads(params=grads, dxs=_shape_out(dxs, u), dh0=_shape_out(dh_next, u),
                     dc0=_shape_out(dc_next, u), dh=_shape_out(dh_all, u), dc=_shape_out(dc_all, u))


def _backward_step(params, trace, t, dh_t, dc_next, c_prev, Wh, da, dh_all, dc_all):
    """One step back: fills da (B, 4H) and the totals at t; returns (dh_{t-1}, dc_{t-1})."""
    H = Wh.shape[1]
    gt = trace.gates[t]
    f, i, o, g = gt[:, :H], gt[:, H:2 * H], gt[:, 2 * H:3 * H], gt[:, 3 * H:]
    tc = trace.tanh_c[t]
    m = None if trace.mask is None else trace.mask[t]
    dh_all[t] = dh_t
    dh_new = dh_t if m is None else m * dh_t  # padded steps pass dh straight through
    da_o = dh_new * tc * dsigmoid_from_output(o)  # through o_t
    dc_new = dh_new * o * dtanh_from_output(tc) + (dc_next if m is None else m * dc_next)
    if params.peephole:
        dc_new += da_o * params.p_o  # o_t saw c_t
    dc_all[t] = dc_new if m is None else dc_new + (1 - m) * dc_next
    da[:, :H] = dc_new * c_prev * dsigmoid_from_output(f)  # through f_t
    da[:, H:2 * H] = dc_new * g * dsigmoid_from_output(i)  # through i_t
    da[:, 2 * H:3 * H] = da_o
    da[:, 3 * H:] = dc_new * i * dtanh_from_output(g)  # through g_t
    dc_prev = dc_new * f  # the additive cell path: scaled by f_t only
    if params.peephole:
        dc_prev += da[:, :H] * params.p_f + da[:, H:2 * H] * params.p_i
    dh_prev = da @ Wh  # (B, H)
    if m is not None:
        dh_prev += (1 - m) * dh_t
        dc_prev += (1 - m) * dc_next
    return dh_prev, dc_prev


def _param_grads(params, dA, X, H_prev, C_prev, C):
    """Sum every step's contribution to the weights with three matmuls over (T*B) rows."""
    T, B, H4 = dA.shape
    H = H4 // 4
    dA2 = dA.reshape(T * B, H4)
    dW = np.concatenate([dA2.T @ H_prev.reshape(T * B, H), dA2.T @ X.reshape(T * B, -1)], axis=1)
    db = dA2.sum(axis=0)
    arrays = {}
    for k, gate in enumerate(GATES):
        arrays[f"W_{gate}"] = dW[k * H:(k + 1) * H]
        arrays[f"b_{gate}"] = db[k * H:(k + 1) * H]
    if params.peephole:
        arrays["p_f"] = (dA[..., :H] * C_prev).sum(axis=(0, 1))
        arrays["p_i"] = (dA[..., H:2 * H] * C_prev).sum(axis=(0, 1))
        arrays["p_o"] = (dA[..., 2 * H:3 * H] * C).sum(axis=(0, 1))
    return LSTMParams(**arrays)
