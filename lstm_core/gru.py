"""The GRU cell (Cho et al.), forward and backward through time, in torch.nn.GRU's exact math.

    r_t = sigma(W_r . [h_{t-1}, x_t] + b_r)                        reset gate     (H,)
    z_t = sigma(W_z . [h_{t-1}, x_t] + b_z)                        update gate    (H,)
    n_t = tanh (W_n[:, H:] x_t + b_in + r_t * (W_n[:, :H] h_{t-1} + b_hn))   candidate (H,)
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}                          hidden state   (H,)

The reset gate scales only the hidden part of the candidate, so its bias is kept in two
pieces, b_in and b_hn. Like the LSTM's cell, h_t has an additive path: z_t * h_{t-1}.
"""
import dataclasses

import numpy as np

from .numerics import (backward_inputs, dsigmoid_from_output, dtanh_from_output, forward_inputs,
                       input_weight_grad, is_ids, project_inputs, quiet, shape_out, sigmoid)
from .params import CellParamsMixin, check_shape, uniform_init

GATES = ("r", "z", "n")  # stacking order of W_r, W_z, W_n; torch.nn.GRU uses the same


@dataclasses.dataclass(frozen=True, eq=False)
class GRUParams(CellParamsMixin):
    """Weights act on [h_{t-1}, x_t] (hidden part first): each W is (H, H+I), each b is (H,)."""

    W_r: np.ndarray
    W_z: np.ndarray
    W_n: np.ndarray
    b_r: np.ndarray  # the summed input and hidden biases of r
    b_z: np.ndarray  # the summed input and hidden biases of z
    b_in: np.ndarray  # candidate bias outside the reset gate
    b_hn: np.ndarray  # candidate bias inside the reset gate

    def validate(self):
        """Raise ValueError if the shapes do not describe one GRU cell."""
        H, HI = self.W_r.shape if self.W_r.ndim == 2 else (0, -1)
        if HI <= H:
            raise ValueError("W_r must be (H, H+I) with I >= 1")
        for g in GATES:
            check_shape(f"W_{g}", getattr(self, f"W_{g}"), (H, HI))
        for name in ("b_r", "b_z", "b_in", "b_hn"):
            check_shape(name, getattr(self, name), (H,))
        return self

    @classmethod
    def init(cls, input_size, hidden_size, *, seed=0, dtype=np.float64):
        """PyTorch-style uniform init U(-1/sqrt(H), 1/sqrt(H)) with a seed."""
        rng = np.random.default_rng(seed)
        H, HI = hidden_size, hidden_size + input_size
        arrays = {f"W_{g}": uniform_init(rng, (H, HI), H) for g in GATES}
        arrays.update({name: uniform_init(rng, (H,), H) for name in ("b_r", "b_z", "b_in", "b_hn")})
        return cls(**arrays).astype(dtype)

    @classmethod
    def from_torch(cls, weight_ih, weight_hh, bias_ih, bias_hh):
        """From torch.nn.GRU's layout: (3H, I), (3H, H), (3H,), (3H,) in gate order r, z, n."""
        W = np.concatenate([np.asarray(weight_hh), np.asarray(weight_ih)], axis=1)  # (3H, H+I): [h, x]
        W_r, W_z, W_n = (w.copy() for w in np.split(W, 3))
        bi_r, bi_z, bi_n = np.split(np.asarray(bias_ih), 3)  # input biases
        bh_r, bh_z, bh_n = np.split(np.asarray(bias_hh), 3)  # hidden biases
        return cls(W_r=W_r, W_z=W_z, W_n=W_n, b_r=bi_r + bh_r, b_z=bi_z + bh_z,
                   b_in=bi_n.copy(), b_hn=bh_n.copy()).validate()

    def to_torch(self, *, gradient=False):
        """torch.nn.GRU's four arrays: b_r, b_z, b_in in bias_ih; zeros, zeros, b_hn in bias_hh.

        For a gradient (gradient=True) the summed r and z biases' gradients go in both biases.
        """
        H = self.hidden_size
        W, b_x = self.stacked()
        b_rz = (self.b_r, self.b_z) if gradient else (np.zeros_like(self.b_r),) * 2
        return {"weight_ih": W[:, H:].copy(), "weight_hh": W[:, :H].copy(),
                "bias_ih": b_x, "bias_hh": np.concatenate([*b_rz, self.b_hn])}

    def stacked(self):
        """(3H, H+I) weights in the order r, z, n, and the (3H,) bias of the input part: b_r, b_z, b_in."""
        W = np.concatenate([getattr(self, f"W_{g}") for g in GATES])
        b_x = np.concatenate([self.b_r, self.b_z, self.b_in])
        return W, b_x


@dataclasses.dataclass(frozen=True, eq=False)
class GRUTrace:
    """Every step of a forward pass. Public fields are (T, H) unbatched or (T, B, H) batched."""

    r: np.ndarray  # reset gate
    z: np.ndarray  # update gate
    n: np.ndarray  # candidate n_t
    h: np.ndarray  # hidden state h_t
    xs: np.ndarray  # inputs, (T, B, I) internally, or token ids (T, B) (numerics.as_inputs)
    h0: np.ndarray  # (B, H)
    gates: np.ndarray  # activations stacked r, z, n: (T, B, 3H)
    hn: np.ndarray  # W_n[:, :H] h_{t-1} + b_hn, the part the reset gate scales: (T, B, H)
    mask: np.ndarray  # (T, B, 1) of 0/1, or None
    unbatched: bool


@dataclasses.dataclass(frozen=True, eq=False)
class GRUGrads:
    """Gradients of a scalar loss: `params` like the parameters; per-step dh like trace.h."""

    params: GRUParams
    dxs: np.ndarray  # like xs; None for token ids (an integer has no gradient)
    dh0: np.ndarray  # (H,) or (B, H)
    dh: np.ndarray  # total dL/dh_t reaching each step, (T, [B,] H)


def gru_forward(params, xs, h0=None, mask=None):
    """Run the cell over xs (T, I) or (T, B, I), or token ids (T,) or (T, B) standing for one-hot
    vectors of I entries; mask (T, B) of 0/1 freezes the state on padded steps."""
    dtype = params.dtype
    X, unbatched, M, h0 = forward_inputs(params, xs, h0, mask)  # (T, B, I) or ids (T, B); (T, B, 1), (B, H)
    T, B = X.shape[:2]
    H = params.hidden_size
    W, b_x = params.stacked()
    Wh_T = np.ascontiguousarray(W[:, :H].T)  # (H, 3H)
    A = project_inputs(X, W[:, H:], b_x, out=np.empty((T * B, 3 * H), dtype))  # input part, all steps
    A = A.reshape(T, B, 3 * H)
    G = np.empty_like(A)  # gate activations r, z, n
    HN, Hs = np.empty((T, B, H), dtype), np.empty((T, B, H), dtype)
    with quiet():
        _forward_loop(params.b_hn, A, G, HN, Hs, h0, Wh_T, M)
    trace = GRUTrace(r=G[..., :H], z=G[..., H:2 * H], n=G[..., 2 * H:], h=Hs, xs=X, h0=h0,
                     gates=G, hn=HN, mask=M, unbatched=unbatched)
    if unbatched:
        trace = dataclasses.replace(trace, **{k: getattr(trace, k)[:, 0] for k in "rznh"})
    return trace


def _forward_loop(b_hn, A, G, HN, Hs, h, Wh_T, M):
    """The recurrence; A holds each step's input projection and is completed in place."""
    H = Wh_T.shape[0]
    for t in range(A.shape[0]):
        a, gt = A[t], G[t]  # (B, 3H), (B, 3H)
        ah = h @ Wh_T  # hidden part of all three pre-activations, (B, 3H)
        a[:, :2 * H] += ah[:, :2 * H]
        sigmoid(a[:, :2 * H], out=gt[:, :2 * H])  # r, z in one call
        np.add(ah[:, 2 * H:], b_hn, out=HN[t])  # W_n[:, :H] h_{t-1} + b_hn
        a[:, 2 * H:] += gt[:, :H] * HN[t]  # the reset gate scales the hidden part
        np.tanh(a[:, 2 * H:], out=gt[:, 2 * H:])  # candidate n_t
        z, n = gt[:, H:2 * H], gt[:, 2 * H:]
        Hs[t] = n + z * (h - n)  # h_t = (1 - z_t) n_t + z_t h_{t-1}
        if M is not None:
            Hs[t] = np.where(M[t] > 0, Hs[t], h)  # padded step: keep h_{t-1}
        h = Hs[t]


def gru_backward(params, trace, dh):
    """Backprop through time. dh: dL/dh_t injected at each step, shaped like trace.h; dxs is None
    for token-id inputs."""
    dtype = params.dtype
    T, B = trace.xs.shape[:2]
    H = params.hidden_size
    dH_in, H_prev = backward_inputs(params, trace, dh)  # (T, B, H) each
    W, _ = params.stacked()
    Wh = W[:, :H]  # (3H, H)
    dA = np.empty((T, B, 3 * H), dtype)  # dL/d pre-activations r, z, n
    dHN = np.empty((T, B, H), dtype)  # dL/d(W_n[:, :H] h_{t-1} + b_hn)
    dh_all = np.empty((T, B, H), dtype)
    dh_next = np.zeros((B, H), dtype)
    keep = None if trace.mask is None else trace.mask > 0  # (T, B, 1): real steps
    with quiet():
        for t in range(T - 1, -1, -1):
            dh_t = dH_in[t] + dh_next  # everything that reaches h_t
            dh_all[t] = dh_t
            dh_new = dh_t if keep is None else np.where(keep[t], dh_t, 0)  # a padded step computed nothing
            dh_next = _backward_step(trace, t, dh_new, H_prev[t], Wh, dA[t], dHN[t])
            if keep is not None:
                dh_next = np.where(keep[t], dh_next, dh_t)  # and passes dh straight through
        grads = _param_grads(dA, dHN, trace.xs, H_prev, params.input_size)
        dxs = None if is_ids(trace.xs) else dA @ W[:, H:]  # (T, B, I)
    u = trace.unbatched
    return GRUGrads(params=grads, dxs=None if dxs is None else shape_out(dxs, u), dh0=shape_out(dh_next, u),
                    dh=shape_out(dh_all, u))


def _backward_step(trace, t, dh_t, h_prev, Wh, da, dhn):
    """One step back: fills da (B, 3H) and dhn (B, H); returns dL/dh_{t-1}."""
    H = Wh.shape[1]
    gt = trace.gates[t]
    r, z, n = gt[:, :H], gt[:, H:2 * H], gt[:, 2 * H:]
    hn = trace.hn[t]
    da[:, 2 * H:] = dh_t * (1 - z) * dtanh_from_output(n)  # through n_t
    da[:, H:2 * H] = dh_t * (h_prev - n) * dsigmoid_from_output(z)  # through z_t
    da[:, :H] = da[:, 2 * H:] * hn * dsigmoid_from_output(r)  # through r_t
    dhn[...] = da[:, 2 * H:] * r  # the reset gate scales the hidden part's gradient too
    dh_prev = dh_t * z  # the additive path: scaled by z_t only
    dh_prev += da[:, :2 * H] @ Wh[:2 * H] + dhn @ Wh[2 * H:]  # through r, z and n's hidden part
    return dh_prev


def _param_grads(dA, dHN, X, H_prev, I):
    """Sum every step's contribution: the input part sees dA, the hidden part sees r's scaling of n."""
    T, B, H3 = dA.shape
    H = H3 // 3
    dA2 = dA.reshape(T * B, H3)
    dAh = np.concatenate([dA[..., :2 * H], dHN], axis=2).reshape(T * B, H3)  # what reaches W[:, :H]
    dW = np.empty((H3, H + I), dA.dtype)
    np.matmul(dAh.T, H_prev.reshape(T * B, H), out=dW[:, :H])
    input_weight_grad(dA2, X, out=dW[:, H:])
    db_x = dA2.sum(axis=0)
    arrays = {f"W_{g}": dW[k * H:(k + 1) * H] for k, g in enumerate(GATES)}
    return GRUParams(**arrays, b_r=db_x[:H], b_z=db_x[H:2 * H], b_in=db_x[2 * H:],
                     b_hn=dHN.reshape(T * B, H).sum(axis=0))
