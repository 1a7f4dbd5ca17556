"""Finite differences prove the LSTM's dc path exact: grads.dc[t] is dL/dc_t with h_t following c_t.

What every cell kind shares (parameters, xs, h0, c0, dh, padding, float32, T = 0) is proved for both
LSTM kinds, with the loss L = sum(R_h * h) + sum(r_c * c_T), in test_cells_fd.py; this file holds
what only the LSTM has: a cell state that h reads through o_t (and through the peephole p_o).
"""
import itertools

import numpy as np
import pytest

from fdcheck import LSTM_KINDS, MASKS, T, CellCase, numeric_grad

CASES = list(itertools.product(LSTM_KINDS, MASKS, [False, True]))
IDS = [f"{kind}-{mask}-{'batched' if b else 'unbatched'}" for kind, mask, b in CASES]


def _h_of_c(case, tr, t, c):
    """h_t recomputed from a perturbed c_t: o_t * tanh(c_t), o_t peeking at c_t; padded rows keep h_t."""
    o = tr.o[t]
    if case.params.peephole:
        z_o = np.log(o / (1 - o)) + case.params.p_o * (c - tr.c[t])  # o_t's pre-activation moves with c_t
        o = 1 / (1 + np.exp(-z_o))
    h = o * np.tanh(c)
    if case.mask is None:
        return h
    m = np.asarray(case.mask[t], dtype=float)[..., None]
    return m * h + (1 - m) * tr.h[t]


@pytest.mark.parametrize("kind, mask, batched", CASES, ids=IDS)
def test_per_step_total_dc_matches_finite_differences_with_h_following_c(kind, mask, batched):
    case = CellCase.seeded(kind, mask, batched)
    tr, grads = case.grads()
    assert grads.dc.shape == tr.c.shape
    for t in range(T):
        c_t = tr.c[t].copy()

        def loss_from():  # reads c_t as numeric_grad perturbs it; h_t follows
            h_t = _h_of_c(case, tr, t, c_t)
            rest = np.sum(case.r_c * c_t) if t == T - 1 else case.after(t, h_t, c_t).loss()
            return np.sum(case.R_h[t] * h_t) + rest

        np.testing.assert_allclose(grads.dc[t], numeric_grad(loss_from, c_t), rtol=1e-6, atol=1e-8)
