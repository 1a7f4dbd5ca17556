"""Finite differences prove every cell kind's backward exact: every parameter, xs, h0 (and c0),
and the per-step totals dh; and every kind pads, saturates, runs in float32 and on T = 0 alike.

Each kind of lstm_core.CELLS runs through its registry entry on fdcheck.CellCase: a seeded cell and
a loss linear in the trace, L = sum(R_h * h) (+ sum(r_c * c_T) for the LSTM kinds), so dh = R_h and
dc_last = r_c. Central differences in float64 with eps = 1e-6 agree with the analytic gradient to
~1e-9. What only one cell has stays in test_rnn_fd.py, test_lstm_fd.py and test_gru_fd.py.
"""
import itertools
import warnings

import numpy as np
import pytest

import lstm_core as lc
from fdcheck import B, I, H, LSTM_KINDS, MASKS, T, CellCase, numeric_grad

CASES = list(itertools.product(lc.KINDS, MASKS, [False, True]))
IDS = [f"{kind}-{mask}-{'batched' if b else 'unbatched'}" for kind, mask, b in CASES]
BATCHED = pytest.mark.parametrize("batched", [False, True], ids=["unbatched", "batched"])
KIND = pytest.mark.parametrize("kind", lc.KINDS)

_LSTM_W = {"W_f", "W_i", "W_c", "W_o", "b_f", "b_i", "b_c", "b_o"}
PARAM_NAMES = {"rnn_sigmoid": {"W", "b"}, "rnn_tanh": {"W", "b"}, "lstm": _LSTM_W,
               "lstm_peephole": _LSTM_W | {"p_f", "p_i", "p_o"},
               "lstm_coupled": _LSTM_W - {"W_i", "b_i"},
               "gru": {"W_r", "W_z", "W_n", "b_r", "b_z", "b_in", "b_hn"}}
_LSTM_STEPS = ("f", "i", "c_tilde", "o", "c", "h")
STEP_FIELDS = {"rnn_sigmoid": ("a", "h"), "rnn_tanh": ("a", "h"), "lstm": _LSTM_STEPS,
               "lstm_peephole": _LSTM_STEPS, "lstm_coupled": _LSTM_STEPS, "gru": ("r", "z", "n", "h")}  # the trace's (T, [B,] H) arrays
BOUNDED = {"rnn_sigmoid": ("h",), "rnn_tanh": ("h",), "lstm": ("f", "i", "c_tilde", "o", "h"),
           "lstm_peephole": ("f", "i", "c_tilde", "o", "h"), "lstm_coupled": ("f", "i", "c_tilde", "o", "h"),
           "gru": ("r", "z", "n")}  # within [-1, 1]


def _states(kind):
    """The recurrent states of a kind: h, and c for the LSTM kinds."""
    return ("h", "c") if kind in LSTM_KINDS else ("h",)


def _grad_fields(kind):
    """The gradient arrays the backward returns beside .params: dxs, and dL/d state at 0 and per step."""
    return ("dxs",) + tuple(f"d{s}0" for s in _states(kind)) + tuple(f"d{s}" for s in _states(kind))


def _close(analytic, numeric):
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("kind, mask, batched", CASES, ids=IDS)
def test_param_grads_match_finite_differences(kind, mask, batched):
    case = CellCase.seeded(kind, mask, batched)
    _, grads = case.grads()
    arrays = {k: v.copy() for k, v in case.params.arrays().items()}
    assert set(grads.params.arrays()) == set(arrays) == PARAM_NAMES[kind]
    for name, arr in arrays.items():
        numeric = numeric_grad(lambda: case.loss(type(case.params)(**arrays)), arr)
        _close(getattr(grads.params, name), numeric)


@pytest.mark.parametrize("kind, mask, batched", CASES, ids=IDS)
def test_input_and_initial_state_grads_match_finite_differences(kind, mask, batched):
    """dxs, dh0 and, for the LSTM kinds, dc0: each shaped like what it differentiates."""
    case = CellCase.seeded(kind, mask, batched)
    _, grads = case.grads()
    for name in ("xs",) + tuple(f"{s}0" for s in _states(kind)):
        x, grad = getattr(case, name), getattr(grads, f"d{name}")
        assert grad.shape == x.shape, name
        _close(grad, numeric_grad(case.loss, x))  # case.loss reads x as numeric_grad perturbs it


@pytest.mark.parametrize("kind, mask, batched", CASES, ids=IDS)
def test_per_step_total_dh_matches_finite_differences(kind, mask, batched):
    """grads.dh[t] is dL/dh_t with c_t held: the loss's own term at t plus all that flows back later."""
    case = CellCase.seeded(kind, mask, batched)
    tr, grads = case.grads()
    assert grads.dh.shape == tr.h.shape
    for t in range(T - 1):
        h_t = tr.h[t].copy()
        rest = case.after(t, h_t, tr.c[t] if kind in LSTM_KINDS else None)
        _close(grads.dh[t], numeric_grad(lambda: np.sum(case.R_h[t] * h_t) + rest.loss(), h_t))
    _close(grads.dh[-1], case.R_h[-1])  # nothing but the loss reads h_T


@KIND
def test_padded_steps_keep_the_state_and_ignore_their_inputs(kind):
    case = CellCase.seeded(kind, "trailing", batched=True)
    mask = case.mask
    tr, grads = case.grads()
    for s in _states(kind):
        state = getattr(tr, s)
        np.testing.assert_array_equal(state[2, 1], state[1, 1], err_msg=s)  # sequence 1 ends after step 2
        np.testing.assert_array_equal(state[3], state[2], err_msg=s)  # both sequences are padded at step 4
    assert not np.allclose(tr.h[2, 0], tr.h[1, 0])  # a real step does move h
    noisy = case.xs.copy()
    noisy[mask == 0] = 100.0  # whatever sits in the padding
    np.testing.assert_array_equal(case.replace(xs=noisy).trace().h, tr.h)
    assert np.all(grads.dxs[mask == 0] == 0)


@KIND
def test_huge_weights_give_a_finite_bounded_trace_and_no_warnings(kind):
    case = CellCase.seeded(kind, "trailing", batched=True)
    huge = case.params.map(lambda a: np.sign(a) * 1e4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tr, _ = case.replace(xs=1e3 * case.xs).grads(huge)
    for name in STEP_FIELDS[kind]:
        assert np.all(np.isfinite(getattr(tr, name))), name
    for name in BOUNDED[kind]:
        assert np.all(np.abs(getattr(tr, name)) <= 1.0), name


@BATCHED
@pytest.mark.parametrize("mask", ["trailing", "gaps"])
@KIND
def test_float32_agrees_with_float64(kind, mask, batched):
    case = CellCase.seeded(kind, mask, batched)
    tr64, g64 = case.grads()
    tr32, g32 = case.grads(case.params.astype(np.float32))
    pairs = [(name, getattr(tr64, name), getattr(tr32, name)) for name in STEP_FIELDS[kind]]
    pairs += [(name, getattr(g64, name), getattr(g32, name)) for name in _grad_fields(kind)]
    pairs += [(name, a64, getattr(g32.params, name)) for name, a64 in g64.params.arrays().items()]
    for name, a64, a32 in pairs:
        assert a32.dtype == np.float32, name
        np.testing.assert_allclose(a32, a64, rtol=1e-4, atol=1e-5, err_msg=name)


@BATCHED
@KIND
def test_empty_sequence_gives_empty_trace_and_zero_grads(kind, batched):
    cell = lc.CELLS[kind]
    params = cell.init(I, H, seed=0)
    lead = (0, B) if batched else (0,)
    tr = cell.forward(params, np.zeros(lead + (I,)))
    for name in STEP_FIELDS[kind]:
        assert getattr(tr, name).shape == lead + (H,), name
    grads = cell.backward(params, tr, np.zeros(lead + (H,)))
    assert grads.dxs.shape == lead + (I,)
    for name, grad in grads.params.arrays().items():
        assert not np.any(grad), name
    for s in _states(kind):
        d0 = getattr(grads, f"d{s}0")
        assert d0.shape == lead[1:] + (H,) and not np.any(d0), s
