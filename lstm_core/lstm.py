"""The LSTM cell, forward and backward through time, in the notation of our notes.

    f_t = sigma(W_f . [h_{t-1}, x_t] + b_f)          forget gate        (H,)
    i_t = sigma(W_i . [h_{t-1}, x_t] + b_i)          input gate         (H,)
    g_t = tanh (W_c . [h_{t-1}, x_t] + b_c)          candidate C~_t     (H,)
    c_t = f_t * c_{t-1} + i_t * g_t                  cell state         (H,)
    o_t = sigma(W_o . [h_{t-1}, x_t] + b_o)          output gate        (H,)
    h_t = o_t * tanh(c_t)                            hidden state       (H,)

With peepholes (Gers & Schmidhuber) f_t and i_t also see p * c_{t-1}, and o_t sees p_o * c_t.
Internally the four gates are stacked in the order f, i, o, g and the sigmoid gates' weights
are halved, so that one tanh squashes all four: sigma(z) = (1 + tanh(z/2)) / 2. The public
fields keep the notes' names. Why each loop is written as it is: docs/benchmarks.md.
"""
import dataclasses
import math

import numpy as np

from .numerics import (as_batch, as_mask, dsigmoid_from_output, dtanh_from_output,
                       initial_state, quiet, shape_out, sigmoid_from_tanh)
from .params import CellParamsMixin, check_shape, uniform_init

GATES = ("f", "i", "o", "c")  # internal stacking order of W_f, W_i, W_o, W_c
TORCH_GATES = ("i", "f", "c", "o")  # torch.nn.LSTM's order (it calls the candidate g)


@dataclasses.dataclass(frozen=True, eq=False)
class LSTMParams(CellParamsMixin):
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

    def to_torch(self, *, gradient=False):
        """torch.nn.LSTM's weight_ih, weight_hh, bias_ih, bias_hh.

        Torch adds its two biases, so weights put b in bias_ih and zeros in bias_hh (a round trip
        through from_torch is exact). For a gradient (gradient=True) the summed bias's gradient is
        the gradient of each of torch's two biases, so it goes in both.
        """
        if self.peephole:
            raise ValueError("torch.nn.LSTM has no peepholes")
        H = self.hidden_size
        W = np.concatenate([getattr(self, f"W_{g}") for g in TORCH_GATES])  # (4H, H+I)
        b = np.concatenate([getattr(self, f"b_{g}") for g in TORCH_GATES])  # (4H,)
        return {"weight_ih": W[:, H:].copy(), "weight_hh": W[:, :H].copy(),
                "bias_ih": b.copy(), "bias_hh": b.copy() if gradient else np.zeros_like(b)}

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


def _carve(dtype, *shapes):
    """Contiguous arrays of these shapes cut from one allocation. Fresh memory costs a page fault
    per 4 KiB page (~3 us on the project's VMs); one block, which numpy backs with huge pages
    from 4 MiB on, costs far fewer than several arrays."""
    sizes = [math.prod(shape) for shape in shapes]
    block = np.empty(sum(sizes), dtype)
    parts = np.split(block, np.cumsum(sizes)[:-1])
    return [part.reshape(shape) for part, shape in zip(parts, shapes)]


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
    W, b = _halved(params)
    # (4, H, H): W^h_k.T per gate; OpenBLAS runs four (H, H) products faster than one (H, 4H)
    Wh_gates = np.ascontiguousarray(W[:, :H].reshape(4, H, H).transpose(0, 2, 1))
    G, C, TC, Hs = _carve(dtype, (T, B, 4 * H), (T, B, H), (T, B, H), (T, B, H))
    with quiet():
        np.matmul(X.reshape(T * B, X.shape[2]), W[:, H:].T, out=G.reshape(T * B, 4 * H))  # input part, all steps
        G += b  # becomes the gate activations f, i, o, g in place
        _forward_loop(params, G, C, TC, Hs, h0, c0, Wh_gates, None if M is None else M == 0)
    trace = LSTMTrace(f=G[..., :H], i=G[..., H:2 * H], o=G[..., 2 * H:3 * H], g=G[..., 3 * H:],
                      c=C, h=Hs, xs=X, h0=h0, c0=c0, tanh_c=TC, gates=G, mask=M, unbatched=unbatched)
    if unbatched:
        trace = dataclasses.replace(trace, **{k: getattr(trace, k)[:, 0] for k in "figoch"})
    return trace


def _halved(params):
    """Stacked W, b with the sigmoid gates' rows halved, so tanh of the sum is tanh(z/2) for f, i, o."""
    W, b = params.stacked()
    H = params.hidden_size
    half = np.where(np.arange(4 * H) < 3 * H, 0.5, 1.0).astype(W.dtype)  # (4H,): exact, a power of 2
    return W * half[:, None], b * half


def _tanh_to_gates(B, H, dtype):
    """(B, 4H) scale and shift taking tanh(z/2) to sigma(z) = 0.5 tanh(z/2) + 0.5 for f, i, o and
    leaving g alone; whole rows, since numpy is fastest on contiguous operands of one shape."""
    sigmoid_cols = np.arange(4 * H) < 3 * H
    scale, shift = np.where(sigmoid_cols, 0.5, 1.0), np.where(sigmoid_cols, 0.5, 0.0)
    return (np.tile(v.astype(dtype), (B, 1)) for v in (scale, shift))


def _forward_loop(params, G, C, TC, Hs, h, c, Wh_gates, pad):
    """The recurrence. G holds each step's input projection (f, i, o halved) and becomes the gates."""
    T, B, H = C.shape
    if T == 0:
        return  # an empty sequence: nothing to run
    if params.peephole:
        p_fi, p_o = 0.5 * np.stack([params.p_f, params.p_i]), 0.5 * params.p_o  # (2, H), (H,)
    hW, ig = np.empty_like(G[0]), np.empty_like(h)
    hW_gates = hW.reshape(B, 4, H).transpose(1, 0, 2)  # (4, B, H) view: each gate's slot of the row
    scale, shift = _tanh_to_gates(B, H, G.dtype)
    gate_views = [G[..., k * H:(k + 1) * H] for k in range(4)]  # f, i, o, g: (T, B, H) each
    for t, (a, f, i, o, g, c_t, tc, h_t) in enumerate(zip(G, *gate_views, C, TC, Hs)):
        np.matmul(h, Wh_gates, out=hW_gates)  # h_{t-1} W^h_k.T for the four gates at once
        a += hW  # pre-activations of all four gates: (B, 4H)
        if params.peephole:
            a.reshape(B, 4, H)[:, :2] += p_fi * c[:, None]  # f_t, i_t peek at c_{t-1}
            z_o = o.copy()  # o_t waits for c_t
        np.tanh(a, out=a)  # tanh(z/2) for f, i, o; g_t = tanh(z_g)
        a *= scale
        a += shift  # f_t, i_t, o_t = (1 + tanh(z/2)) / 2; g_t as it is
        np.multiply(f, c, out=c_t)  # f_t * c_{t-1}: what is kept
        np.multiply(i, g, out=ig)  # i_t * g_t: what is written
        c_t += ig  # c_t
        if params.peephole:
            z_o += p_o * c_t  # o_t peeks at c_t
            sigmoid_from_tanh(np.tanh(z_o, out=o), out=o)
        if pad is not None:
            np.copyto(c_t, c, where=pad[t])  # padded step: keep c_{t-1}
        np.tanh(c_t, out=tc)
        np.multiply(o, tc, out=h_t)  # h_t = o_t * tanh(c_t)
        if pad is not None:
            np.copyto(h_t, h, where=pad[t])  # padded step: keep h_{t-1}
        h, c = h_t, c_t


def lstm_backward(params, trace, dh, dc_last=None):
    """Backprop through time. dh: dL/dh_t injected at each step, shaped like trace.h."""
    dtype = params.dtype
    H = params.hidden_size
    T, B, _ = trace.gates.shape
    W, _ = params.stacked()
    I = params.input_size
    dA, dC, dH, dxs = _carve(dtype, (T, B, 4 * H), (T, B, H), (T + 1, B, H), (T, B, I))
    dH[0] = 0.0  # dH[t + 1] = total dL/dh_t, dH[0] = dL/dh0
    dH[1:] = np.reshape(dh, (T, B, H))  # what the loss injects; the loop adds what flows back
    dc = initial_state(dc_last, B, H, dtype)  # dL/dc flowing back into the current step
    u = trace.unbatched
    if T == 0:  # an empty sequence: the loss reaches only the initial state
        return LSTMGrads(params=params.zeros_like(), dxs=shape_out(dxs, u), dh0=shape_out(dH[0], u),
                         dc0=shape_out(dc, u), dh=shape_out(dH[1:], u), dc=shape_out(dC, u))
    with quiet():
        F = _backward_factors(params, trace, dA, dC)  # factors K, K_c: the loop turns them into dA, dC
        keep = None if trace.mask is None else 1 - trace.mask  # 1 on padded steps
        _backward_loop(dA, dC, F, np.ascontiguousarray(W[:, :H]), keep, dH, dc)
        grads = _param_grads(params, trace, dA)
        np.matmul(dA.reshape(T * B, 4 * H), W[:, H:], out=dxs.reshape(T * B, I))  # (T, B, I)
    return LSTMGrads(params=grads, dxs=shape_out(dxs, u), dh0=shape_out(dH[0], u),
                     dc0=shape_out(dc, u), dh=shape_out(dH[1:], u), dc=shape_out(dC, u))


def _backward_factors(params, trace, K, K_c):
    """Fill K, K_c and return F: each step's local derivatives, for all T at once (none needs the
    backward recurrence).

    K (T, B, 4H) stacked f, i, o, g: da_f, da_i, da_g = dc_t * K_{f,i,g} and da_o = dh_t * K_o;
    K_c (T, B, H): dc_t = dh_t * K_c + dc_{t+1};  F (T, B, H): dc_{t-1} = dc_t * F.
    """
    T, B, H4 = trace.gates.shape
    f, i, o, g = trace.gates.reshape(T, B, 4, H4 // 4).transpose(2, 0, 1, 3)  # each (T, B, H)
    C = trace.c.reshape(f.shape)
    dsigmoid_from_output(trace.gates, out=K)  # every slot at once: one contiguous pass is fastest
    K_f, K_i, K_o, K_g = K.reshape(T, B, 4, H4 // 4).transpose(2, 0, 1, 3)  # views into K
    np.multiply(K_f[1:], C[:-1], out=K_f[1:])  # through f_t, times c_{t-1}
    np.multiply(K_f[0], trace.c0, out=K_f[0])
    K_i *= g  # through i_t
    K_o *= trace.tanh_c  # through o_t
    dtanh_from_output(g, out=K_g)
    K_g *= i  # through g_t (its sigmoid slot redone)
    dtanh_from_output(trace.tanh_c, out=K_c)
    K_c *= o  # h_t = o_t tanh(c_t) passes dh_t to c_t
    F = f  # the additive cell path: scaled by f_t only
    if params.peephole:
        K_c += params.p_o * K_o  # o_t saw c_t
        F = f + params.p_f * K_f + params.p_i * K_i  # f_t, i_t saw c_{t-1}
    if trace.mask is not None:
        m = trace.mask  # (T, B, 1): a padded step passes dc straight through
        K *= m
        K_c *= m
        F = m * F + (1 - m)
    return F


def _backward_loop(dA, dC, F, Wh, keep, dH, dc):
    """The reverse recurrence. dA, dC hold the factors K, K_c and become dL/da_t, dL/dc_t in place."""
    T, B, H = dC.shape
    dh_gates = np.empty((B, H), dc.dtype)
    upstream = np.empty((B, 4 * H), dc.dtype)  # what multiplies each gate's factor: dc_t, dh_t for o
    upstream_gates, upstream_o = upstream.reshape(B, 4, H), upstream[:, 2 * H:3 * H]
    steps = zip(dH[:0:-1], dH[-2::-1], dC[::-1], dA[::-1], F[::-1])
    for t, (dh_t, dh_prev, dc_t, da, f) in zip(range(T - 1, -1, -1), steps):
        dc_t *= dh_t
        dc_t += dc  # dL/dc_t: through h_t and from c_{t+1}
        np.copyto(upstream_gates, dc_t[:, None])
        np.copyto(upstream_o, dh_t)
        da *= upstream  # da_f, da_i, da_o, da_g in one contiguous pass
        np.multiply(dc_t, f, out=dc)  # dL/dc_{t-1}
        np.matmul(da, Wh, out=dh_gates)  # (B, 4H) @ (4H, H)
        dh_prev += dh_gates  # dL/dh_{t-1}: injected + through the four gates
        if keep is not None:
            dh_prev += keep[t] * dh_t  # a padded step passes dh straight back


def _param_grads(params, trace, dA):
    """Sum every step's contribution to the weights with matmuls over (T*B) rows."""
    T, B, H4 = dA.shape
    H = H4 // 4
    dA2 = dA.reshape(T * B, H4)
    dW_h = _sum_outer_prev(dA, trace.h.reshape(T, B, H), trace.h0)  # with h_{t-1}
    dW = np.concatenate([dW_h, dA2.T @ trace.xs.reshape(T * B, trace.xs.shape[2])], axis=1)  # (4H, H+I)
    db = dA2.sum(axis=0)
    arrays = {}
    for k, gate in enumerate(GATES):
        arrays[f"W_{gate}"] = dW[k * H:(k + 1) * H]
        arrays[f"b_{gate}"] = db[k * H:(k + 1) * H]
    if params.peephole:
        C = trace.c.reshape(T, B, H)
        C_prev = np.concatenate([trace.c0[None], C[:-1]])  # c_{t-1} for every t
        arrays["p_f"] = (dA[..., :H] * C_prev).sum(axis=(0, 1))
        arrays["p_i"] = (dA[..., H:2 * H] * C_prev).sum(axis=(0, 1))
        arrays["p_o"] = (dA[..., 2 * H:3 * H] * C).sum(axis=(0, 1))
    return LSTMParams(**arrays)


def _sum_outer_prev(dA, S, s0):
    """sum over t of dA_t^T S_{t-1}, where S_{-1} = s0: (T, B, N), (T, B, M), (B, M) -> (N, M)."""
    (T, B, N), M = dA.shape, S.shape[2]
    return dA[1:].reshape((T - 1) * B, N).T @ S[:-1].reshape((T - 1) * B, M) + dA[0].T @ s0
