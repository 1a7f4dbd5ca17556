"""Backprop through time for the LSTM: the fast reverse pass of `lstm.lstm_forward`.

The same derivatives as `reference.lstm_step_backward`, one line per derivative there; here the
local factors of every step are computed for all T at once and only the recurrence runs as a
loop, carrying dL/dh and dL/dC back one step at a time:

    dC_t     = dh_t * o_t * tanh'(C_t) + dC_{t+1} * f_{t+1}      (the additive cell path)
    dz_f     = dC_t * C_{t-1} * sigma'   dz_i = dC_t * C~_t * sigma'
    dz_c     = dC_t * i_t * tanh'        dz_o = dh_t * tanh(C_t) * sigma'
    dh_{t-1} = W_h^T [dz_f, dz_i, dz_o, dz_c] + what the loss injects at t - 1
"""
import numpy as np

from .lstm import GATES, LSTMGrads, LSTMParams
from .numerics import (carve, dsigmoid_from_output, dtanh_from_output, initial_state, input_weight_grad,
                       is_ids, quiet, recurrent_weight_grad, shape_out)


def lstm_backward(params, trace, dh, dc_last=None):
    """Backprop through time. dh: dL/dh_t injected at each step, shaped like trace.h. For token-id
    inputs the grads' dxs is None (an id has no gradient) and costs nothing."""
    dtype = params.dtype
    H = params.hidden_size
    T, B, _ = trace.gates.shape
    Wh, Wx = _stacked_parts(params)  # (4H, H), (4H, I)
    ids = is_ids(trace.xs)
    I = 0 if ids else params.input_size
    dA, dC, dH, dxs = carve(dtype, (T, B, 4 * H), (T, B, H), (T + 1, B, H), (T, B, I))
    dxs = None if ids else dxs
    dH[0] = 0.0  # dH[t + 1] = total dL/dh_t, dH[0] = dL/dh0
    dH[1:] = np.reshape(dh, (T, B, H))  # what the loss injects; the loop adds what flows back
    dc = initial_state(dc_last, B, H, dtype)  # dL/dc flowing back into the current step
    u = trace.unbatched
    if T == 0:  # an empty sequence: the loss reaches only the initial state
        return LSTMGrads(params=params.zeros_like(), dxs=_out(dxs, u), dh0=shape_out(dH[0], u),
                         dc0=shape_out(dc, u), dh=shape_out(dH[1:], u), dc=shape_out(dC, u))
    with quiet():
        F = _backward_factors(params, trace, dA, dC)  # factors K, K_c: the loop turns them into dA, dC
        keep = None if trace.mask is None else 1 - trace.mask  # 1 on padded steps
        _backward_loop(dA, dC, F, Wh, keep, dH, dc)
        grads = _param_grads(params, trace, dA)
        if dxs is not None:
            np.matmul(dA.reshape(T * B, 4 * H), Wx, out=dxs.reshape(T * B, I))  # (T, B, I)
    return LSTMGrads(params=grads, dxs=_out(dxs, u), dh0=shape_out(dH[0], u),
                     dc0=shape_out(dc, u), dh=shape_out(dH[1:], u), dc=shape_out(dC, u))


def _out(dxs, unbatched):
    """dxs as the caller shaped xs, or None for token ids."""
    return None if dxs is None else shape_out(dxs, unbatched)


def _stacked_parts(params):
    """The hidden and input parts of the stacked weights (order f, i, o, C~): Wh (4H, H) and
    Wx (4H, I), views into one fresh (4H, H+I) stack (BLAS reads strided rows at no cost)."""
    H = params.hidden_size
    W = np.concatenate([getattr(params, f"W_{gate}") for gate in GATES])
    return W[:, :H], W[:, H:]


def _backward_factors(params, trace, K, K_c):
    """Fill K, K_c and return F: each step's local derivatives, for all T at once (none needs the
    backward recurrence).

    K (T, B, 4H) stacked f, i, o, C~: da_f, da_i, da_c = dc_t * K_{f,i,c} and da_o = dh_t * K_o;
    K_c (T, B, H): dc_t = dh_t * K_c + dc_{t+1};  F (T, B, H): dc_{t-1} = dc_t * F.
    """
    T, B, H4 = trace.gates.shape
    f, i, o, c_tilde = trace.gates.reshape(T, B, 4, H4 // 4).transpose(2, 0, 1, 3)  # each (T, B, H)
    C = trace.c.reshape(f.shape)
    dsigmoid_from_output(trace.gates, out=K)  # every slot at once: one contiguous pass is fastest
    K_f, K_i, K_o, K_ct = K.reshape(T, B, 4, H4 // 4).transpose(2, 0, 1, 3)  # views into K
    np.multiply(K_f[1:], C[:-1], out=K_f[1:])  # through f_t, times c_{t-1}
    np.multiply(K_f[0], trace.c0, out=K_f[0])
    K_i *= c_tilde  # through i_t
    K_o *= trace.tanh_c  # through o_t
    dtanh_from_output(c_tilde, out=K_ct)
    K_ct *= i  # through C~_t (its sigmoid slot redone)
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
        da *= upstream  # da_f, da_i, da_o, da_c in one contiguous pass
        np.multiply(dc_t, f, out=dc)  # dL/dc_{t-1}
        np.matmul(da, Wh, out=dh_gates)  # (B, 4H) @ (4H, H)
        dh_prev += dh_gates  # dL/dh_{t-1}: injected + through the four gates
        if keep is not None:
            dh_prev += keep[t] * dh_t  # a padded step passes dh straight back


def _param_grads(params, trace, dA):
    """Sum every step's contribution to the weights with matmuls over (T*B) rows, each written
    straight into its part of dW (4H, H+I)."""
    T, B, H4 = dA.shape
    H, I = H4 // 4, params.input_size
    dA2 = dA.reshape(T * B, H4)
    dW = np.empty((H4, H + I), dA.dtype)
    recurrent_weight_grad(dA, trace.h.reshape(T, B, H), trace.h0, out=dW[:, :H])  # with h_{t-1}
    input_weight_grad(dA2, trace.xs, out=dW[:, H:])  # with x_t
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
