"""The GRU cell (Cho et al.), forward and backward through time, in torch.nn.GRU's exact math.

    r_t = sigma(W_r . [h_{t-1}, x_t] + b_r)                        reset gate     (H,)
    z_t = sigma(W_z . [h_{t-1}, x_t] + b_z)                        update gate    (H,)
    n_t = tanh (W_n[:, H:] x_t + b_in + r_t * (W_n[:, :H] h_{t-1} + b_hn))   candidate (H,)
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}                          hidden state   (H,)

The reset gate scales only the hidden part of the candidate, so its bias is kept in two
pieces, b_in and b_hn. Like the LSTM's cell, h_t has an additive path: z_t * h_{t-1}.

Written for speed as lstm.py is: the gates of each step lie gate-major, so every operand of the loop
is a contiguous (B, H) block; W_r, W_z and their biases are halved so that one tanh gives r and z
(sigma(z) = (1 + tanh(z/2)) / 2); the backward pass makes every local factor for all T at once and
loops only over the recurrence. Why: docs/benchmarks.md, "GRU step".
"""
import dataclasses

import numpy as np

from .numerics import (carve, dsigmoid_from_output, dtanh_from_output, forward_inputs, input_weight_grad, is_ids,
                       project_inputs, quiet, recurrent_weight_grad, shape_out, sigmoid_from_tanh)
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
    gates: np.ndarray  # activations r, z, n, gate-major: (T, 3, B, H)
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
    from_zero = not h0.any()  # h_0 = 0 (the default): step 1's h_0 W^h is zero, not worth a product
    Wh, Wx, b_x = _halved(params)  # (3, H, H), (3H, I), (3H,)
    G, HN, Hs, P = carve(dtype, (T, 3, B, H), (T, B, H), (T, B, H), (T * B, 3 * H))
    with quiet():
        project_inputs(X, Wx, b_x, out=P)  # input part, all steps, (T*B, 3H)
        np.copyto(G, P.reshape(T, B, 3, H).transpose(0, 2, 1, 3))  # gate-major: (T, 3, B, H)
        _forward_loop(params.b_hn, G, HN, Hs, h0, Wh, None if M is None else M == 0, from_zero)
    trace = GRUTrace(r=G[:, 0], z=G[:, 1], n=G[:, 2], h=Hs, xs=X, h0=h0, gates=G, hn=HN, mask=M,
                     unbatched=unbatched)
    if unbatched:
        trace = dataclasses.replace(trace, **{k: getattr(trace, k)[:, 0] for k in "rznh"})
    return trace


def _halved(params):
    """The weights in the loop's layout, the sigmoid gates' (r, z) halved so that tanh of the sum is
    tanh(z/2) (exact: a power of 2): Wh (3, H, H) holding W^h_k.T per gate r, z, n (one batched
    product fills a gate-major (3, B, H) row), Wx (3H, I) and b (3H,) of the input part."""
    H = params.hidden_size
    W, b_x = params.stacked()  # fresh arrays: (3H, H+I), (3H,)
    W[:2 * H] *= 0.5
    b_x[:2 * H] *= 0.5
    Wh = np.ascontiguousarray(W[:, :H].reshape(3, H, H).transpose(0, 2, 1))  # W^h_k.T
    return Wh, W[:, H:], b_x


def _forward_loop(b_hn, G, HN, Hs, h, Wh, pad, from_zero):
    """The recurrence. G (T, 3, B, H) holds each step's input projection (r, z halved) and becomes the
    gates r, z, n; every operand is a contiguous (B, H) or (2, B, H) block (numpy is 2-4x slower on
    strided slices); from_zero: h_0 is all zeros, so step 1 adds no h_0 W^h."""
    B, H = Hs.shape[1:]
    hW, tmp = np.empty((3, B, H), G.dtype), np.empty((B, H), G.dtype)
    for t, (g, hn, h_t) in enumerate(zip(G, HN, Hs)):
        rz, r, z, n = g[:2], g[0], g[1], g[2]
        if t or not from_zero:
            np.matmul(h, Wh, out=hW)  # h_{t-1} W^h.T for the three gates at once, (3, B, H)
            rz += hW[:2]
            np.add(hW[2], b_hn, out=hn)  # W_n[:, :H] h_{t-1} + b_hn, the part the reset gate scales
        else:
            np.copyto(hn, b_hn)
        np.tanh(rz, out=rz)  # tanh(z/2) for r and z
        sigmoid_from_tanh(rz, out=rz)  # r_t, z_t
        np.multiply(r, hn, out=tmp)  # the reset gate scales the hidden part
        n += tmp
        np.tanh(n, out=n)  # candidate n_t
        np.subtract(h, n, out=tmp)
        tmp *= z
        np.add(n, tmp, out=h_t)  # h_t = (1 - z_t) n_t + z_t h_{t-1}
        if pad is not None:
            np.copyto(h_t, h, where=pad[t])  # padded step: keep h_{t-1}
        h = h_t


def gru_backward(params, trace, dh):
    """Backprop through time. dh: dL/dh_t injected at each step, shaped like trace.h; dxs is None
    for token-id inputs."""
    dtype = params.dtype
    T, B = trace.xs.shape[:2]
    H = params.hidden_size
    ids = is_ids(trace.xs)
    I = 0 if ids else params.input_size
    D, dH, dxs, scratch = carve(dtype, (4, T, B, H), (T + 1, B, H), (T, B, I), (T, B, H))
    dxs = None if ids else dxs
    dH[0] = 0.0  # dH[t + 1] = total dL/dh_t, dH[0] = dL/dh0
    dH[1:] = np.reshape(dh, (T, B, H))  # what the loss injects; the loop adds what flows back
    u = trace.unbatched
    if T == 0:  # an empty sequence: the loss reaches only the initial state
        return GRUGrads(params=params.zeros_like(), dxs=None if ids else shape_out(dxs, u),
                        dh0=shape_out(dH[0], u), dh=shape_out(dH[1:], u))
    W, _ = params.stacked()  # (3H, H+I), order r, z, n
    Wh = W[:, :H].reshape(3, H, H)[[2, 0, 1]]  # (3, H, H) in D's order n, r, z
    with quiet():
        Z = _backward_factors(trace, D, scratch)
        _backward_loop(D, Z, Wh, dH)
        grads = _param_grads(D, trace, params.input_size)
        if dxs is not None:  # sum over the gates r, z, n of dL/da_k W_k[:, H:]
            np.matmul(D[1:].reshape(3, T * B, H), W[:, H:].reshape(3, H, I)).sum(axis=0, out=dxs.reshape(T * B, I))
    return GRUGrads(params=grads, dxs=None if dxs is None else shape_out(dxs, u), dh0=shape_out(dH[0], u),
                    dh=shape_out(dH[1:], u))


def _backward_factors(trace, K, tmp):
    """Fill K (4, T, B, H) and return Z (T, B, H): each step's local derivatives, for all T at once
    (none needs the backward recurrence), so that with dh_t the total dL/dh_t

        K[:, t] * dh_t = dL/d hn_t, dL/da_r, dL/da_z, dL/da_n   (hn_t = W_n[:, :H] h_{t-1} + b_hn)
        dL/dh_{t-1} = dh_t * Z_t + sum of the first three times W^h of n, r, z + what the loss injects

    tmp: a (T, B, H) scratch array."""
    T, B, H = tmp.shape
    r, z, n = (trace.gates[:, k] for k in range(3))  # (T, B, H) each
    Hs = trace.h.reshape(T, B, H)
    K_hn, K_r, K_z, K_n = K  # views into K
    np.subtract(1.0, z, out=tmp)
    dtanh_from_output(n, out=K_n)
    K_n *= tmp  # through n_t: h_t = (1 - z_t) n_t + ...
    np.subtract(Hs[:-1], n[1:], out=K_z[1:])  # through z_t, times h_{t-1} - n_t
    np.subtract(trace.h0, n[0], out=K_z[0])
    K_z *= dsigmoid_from_output(z, out=tmp)
    Z = z  # the additive path: scaled by z_t only
    if trace.mask is not None:
        m = trace.mask  # (T, B, 1): a padded step computes nothing and passes dh straight through
        K_n *= m
        K_z *= m
        Z = m * z + (1 - m)
    dsigmoid_from_output(r, out=K_r)
    K_r *= trace.hn
    K_r *= K_n  # through r_t, which scales hn_t inside n_t
    np.multiply(K_n, r, out=K_hn)  # the reset gate scales hn_t's gradient too
    return Z


def _backward_loop(D, Z, Wh, dH):
    """The reverse recurrence. D holds the factors K and becomes dL/d hn_t, dL/da_r, dL/da_z, dL/da_n
    in place: one multiply of the four (B, H) blocks by dh_t a step, one batched product."""
    T, B, H = Z.shape
    dh_gates, dh_z = np.empty((3, B, H), D.dtype), np.empty((B, H), D.dtype)
    for t in range(T - 1, -1, -1):
        dh_t, d = dH[t + 1], D[:, t]  # (B, H), (4, B, H)
        d *= dh_t
        np.matmul(d[:3], Wh, out=dh_gates)  # through hn, r and z: (3, B, H) @ (3, H, H)
        np.multiply(dh_t, Z[t], out=dh_z)  # the additive path
        dh_z += dh_gates.sum(axis=0)
        dH[t] += dh_z  # dL/dh_{t-1}: injected + along z_t + through the gates


def _param_grads(D, trace, I):
    """Sum every step's contribution with matmuls over (T*B) rows: the input part sees dL/da of r, z, n
    (D[1:]), the hidden part dL/da of r, z and dL/d hn (D[1], D[2], D[0])."""
    _, T, B, H = D.shape
    dW = np.empty((3, H, H + I), D.dtype)  # order r, z, n
    for k, d in enumerate((D[1], D[2], D[0])):
        recurrent_weight_grad(d, trace.h.reshape(T, B, H), trace.h0, out=dW[k, :, :H])
        input_weight_grad(D[k + 1].reshape(T * B, H), trace.xs, out=dW[k, :, H:])
    db = D.reshape(4, T * B, H).sum(axis=1)  # (4, H): hn, r, z, n
    arrays = {f"W_{g}": dW[k] for k, g in enumerate(GATES)}
    return GRUParams(**arrays, b_r=db[1], b_z=db[2], b_in=db[3], b_hn=db[0])
