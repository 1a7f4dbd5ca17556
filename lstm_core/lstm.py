"""The LSTM cell's fast forward pass through time, in the notation of our notes.

    f_t  = sigma(W_f . [h_{t-1}, x_t] + b_f)         forget gate        (H,)
    i_t  = sigma(W_i . [h_{t-1}, x_t] + b_i)         input gate         (H,)
    C~_t = tanh (W_c . [h_{t-1}, x_t] + b_c)         candidate c_tilde  (H,)
    C_t  = f_t * C_{t-1} + i_t * C~_t                cell state c       (H,)
    o_t  = sigma(W_o . [h_{t-1}, x_t] + b_o)         output gate        (H,)
    h_t  = o_t * tanh(C_t)                           hidden state       (H,)

To read the math, open `reference.py`: one line per equation for one step, and its backward
mirrored line by line; tests prove this file computes exactly the same numbers. This file is
written for speed instead: the four gates are stacked in the order f, i, o, C~ and the sigmoid
gates' weights are halved, so that one tanh squashes all four: sigma(z) = (1 + tanh(z/2)) / 2.
The public fields keep the notes' names. The backward pass is in `lstm_bptt.py`. With peepholes
(Gers & Schmidhuber) f_t and i_t also see p * C_{t-1}, and o_t sees p_o * C_t. Why each loop is
written as it is: docs/benchmarks.md.
"""
import dataclasses
import functools

import numpy as np

from .numerics import carve, forward_inputs, initial_state, project_inputs, quiet, sigmoid_from_tanh
from .params import CellParamsMixin, check_shape, uniform_init

GATES = ("f", "i", "o", "c")  # internal stacking order of W_f, W_i, W_o and W_c (the candidate's)
TORCH_GATES = ("i", "f", "c", "o")  # torch.nn.LSTM's order (it calls the candidate g)
STEP_FIELDS = ("f", "i", "c_tilde", "o", "c", "h")  # the trace's per-step arrays, in the notes' order


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

    @classmethod
    def from_keras(cls, kernel, recurrent_kernel, bias):
        """From keras.layers.LSTM's weights: kernel (I, 4H), recurrent_kernel (H, 4H), bias (4H,).

        Keras stacks the gates i, f, c, o, torch's order, and keeps one bias, so this is torch's
        layout transposed."""
        kernel, recurrent_kernel = np.asarray(kernel), np.asarray(recurrent_kernel)
        return cls.from_torch(kernel.T, recurrent_kernel.T, bias, np.zeros_like(bias))

    def to_keras(self):
        """keras.layers.LSTM's [kernel (I, 4H), recurrent_kernel (H, 4H), bias (4H,)], for set_weights."""
        if self.peephole:
            raise ValueError("keras.layers.LSTM has no peepholes")
        t = self.to_torch()
        return [t["weight_ih"].T.copy(), t["weight_hh"].T.copy(), t["bias_ih"]]

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
    c_tilde: np.ndarray  # candidate C~_t
    o: np.ndarray  # output gate
    c: np.ndarray  # cell state c_t
    h: np.ndarray  # hidden state h_t
    xs: np.ndarray  # inputs, (T, B, I) internally, or token ids (T, B) (numerics.as_inputs)
    h0: np.ndarray  # (B, H)
    c0: np.ndarray  # (B, H)
    tanh_c: np.ndarray  # tanh(c_t), (T, B, H)
    gates: np.ndarray  # activations stacked f, i, o, C~: (T, B, 4H)
    mask: np.ndarray  # (T, B, 1) of 0/1, or None
    unbatched: bool


@dataclasses.dataclass(frozen=True, eq=False)
class LSTMGrads:
    """Gradients of a scalar loss: `params` like the parameters; per-step dh, dc like trace.h."""

    params: LSTMParams
    dxs: np.ndarray  # like xs; None for token ids (an integer has no gradient)
    dh0: np.ndarray  # (H,) or (B, H)
    dc0: np.ndarray
    dh: np.ndarray  # total dL/dh_t reaching each step, (T, [B,] H)
    dc: np.ndarray  # total dL/dc_t reaching each step


def lstm_forward(params, xs, h0=None, c0=None, mask=None):
    """Run the cell over xs (T, I) or (T, B, I), or token ids (T,) or (T, B) standing for one-hot
    vectors of I entries; mask (T, B) of 0/1 freezes the state on padded steps."""
    dtype = params.dtype
    X, unbatched, M, h0 = forward_inputs(params, xs, h0, mask)  # (T, B, I) or ids (T, B); (T, B, 1), (B, H)
    T, B = X.shape[:2]
    H = params.hidden_size
    c0 = initial_state(c0, B, H, dtype)
    from_zero = not h0.any()  # h_0 = 0 (the default): step 1's h_0 W^h is zero, not worth a product
    Wh, Wx, b = _halved(params, recurrent=T > 1 or not from_zero, single=one_product(B, H))
    G, C, TC, Hs = carve(dtype, (T, B, 4 * H), (T, B, H), (T, B, H), (T, B, H))
    with quiet():
        project_inputs(X, Wx, b, out=G.reshape(T * B, 4 * H))  # input part, all steps; becomes the gates
        _forward_loop(params, G, C, TC, Hs, h0, c0, Wh, None if M is None else M == 0, from_zero)
    trace = LSTMTrace(f=G[..., :H], i=G[..., H:2 * H], o=G[..., 2 * H:3 * H], c_tilde=G[..., 3 * H:],
                      c=C, h=Hs, xs=X, h0=h0, c0=c0, tanh_c=TC, gates=G, mask=M, unbatched=unbatched)
    if unbatched:
        trace = dataclasses.replace(trace, **{k: getattr(trace, k)[:, 0] for k in STEP_FIELDS})
    return trace


def one_product(B, H):
    """Whether the forward loop's recurrent product h_{t-1} W^h.T runs as one (B, H) @ (H, 4H)
    product (True) or as four (H, H) ones, one per gate: OpenBLAS (0.3.31, measured in float32
    and float64, one and two threads: docs/benchmarks.md) is faster with four below H = 128 or
    B * H = 4096 (its small-matrix path), and with one from there on (at B = 64, H = 128 float32:
    70 against 113 us on two threads)."""
    return H >= 128 and B * H >= 4096


def _halved(params, recurrent=True, single=False):
    """The weights in the loop's layout, the sigmoid gates' halved so that tanh of the sum is
    tanh(z/2) for f, i, o (exact: a power of 2): (Wh, or None unless `recurrent`, Wx (4H, I),
    b (4H,)), stacked f, i, o, C~: one fresh (4H, H+I) stack halved by one multiply (only its
    input part without `recurrent`), Wx a view into it (BLAS reads strided rows at no cost), Wh
    one contiguous copy: W^h.T (H, 4H) if `single`, else (4, H, H) holding W^h_k.T per gate
    (see one_product; BLAS also sums a transposed view in another order)."""
    H, I = params.hidden_size, params.input_size
    half = _gate_halves(H, params.dtype)  # (4H, 1)
    b = np.concatenate([getattr(params, f"b_{gate}") for gate in GATES])
    b *= half[:, 0]
    if not recurrent:  # only the input part is read: stack and halve just that
        Wx = np.concatenate([getattr(params, f"W_{gate}")[:, H:] for gate in GATES])
        Wx *= half
        return None, Wx, b
    W = np.concatenate([getattr(params, f"W_{gate}") for gate in GATES])  # (4H, H+I)
    W *= half
    if single:
        return np.ascontiguousarray(W[:, :H].T), W[:, H:], b  # W^h.T, (H, 4H)
    Wh_gates = np.ascontiguousarray(W.reshape(4, H, H + I)[:, :, :H].transpose(0, 2, 1))  # W^h_k.T
    return Wh_gates, W[:, H:], b


@functools.lru_cache(maxsize=64)
def _gate_halves(H, dtype):
    """(4H, 1) column: 0.5 on the rows of f, i, o, 1 on C~'s. Cached (read-only) per size."""
    half = np.where(np.arange(4 * H) < 3 * H, 0.5, 1.0).astype(dtype)[:, None]
    half.setflags(write=False)
    return half


@functools.lru_cache(maxsize=64)
def _tanh_to_gates(B, H, dtype):
    """(B, 4H) scale and shift taking tanh(z/2) to sigma(z) = 0.5 tanh(z/2) + 0.5 for f, i, o and
    leaving C~ alone; whole rows, since numpy is fastest on contiguous operands of one shape.
    Cached (read-only) per shape: every training step of a model asks for the same two."""
    sigmoid_cols = np.arange(4 * H) < 3 * H
    scale, shift = np.where(sigmoid_cols, 0.5, 1.0), np.where(sigmoid_cols, 0.5, 0.0)
    rows = tuple(np.tile(v.astype(dtype), (B, 1)) for v in (scale, shift))
    for row in rows:
        row.setflags(write=False)
    return rows


def _forward_loop(params, G, C, TC, Hs, h, c, Wh, pad, from_zero):
    """The recurrence. G holds each step's input projection (f, i, o halved) and becomes the gates;
    Wh is _halved's; from_zero: h_0 is all zeros, so step 1 adds no h_0 W^h (Wh may be None for T = 1)."""
    T, B, H = C.shape
    if T == 0:
        return  # an empty sequence: nothing to run
    if params.peephole:
        p_fi, p_o = 0.5 * np.stack([params.p_f, params.p_i]), 0.5 * params.p_o  # (2, H), (H,)
    hW, ic = np.empty_like(G[0]), np.empty_like(h)
    per_gate = Wh is not None and Wh.ndim == 3  # four (H, H) products write (4, B, H) views of the row
    hW_out = hW.reshape(B, 4, H).transpose(1, 0, 2) if per_gate else hW
    scale, shift = _tanh_to_gates(B, H, G.dtype)
    gate_views = [G[..., k * H:(k + 1) * H] for k in range(4)]  # f, i, o, C~: (T, B, H) each
    for t, (a, f, i, o, c_tilde, c_t, tc, h_t) in enumerate(zip(G, *gate_views, C, TC, Hs)):
        if t or not from_zero:
            np.matmul(h, Wh, out=hW_out)  # h_{t-1} W^h.T for the four gates at once
            a += hW  # pre-activations of all four gates: (B, 4H)
        if params.peephole:
            a.reshape(B, 4, H)[:, :2] += p_fi * c[:, None]  # f_t, i_t peek at c_{t-1}
            z_o = o.copy()  # o_t waits for c_t
        np.tanh(a, out=a)  # tanh(z/2) for f, i, o; C~_t = tanh(z_c)
        a *= scale
        a += shift  # f_t, i_t, o_t = (1 + tanh(z/2)) / 2; C~_t as it is
        np.multiply(f, c, out=c_t)  # f_t * c_{t-1}: what is kept
        np.multiply(i, c_tilde, out=ic)  # i_t * C~_t: what is written
        c_t += ic  # C_t
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
