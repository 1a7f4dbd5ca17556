"""Golden tests: lstm_core agrees with PyTorch 2.13 (float64) on values and gradients to 1e-9.

The fixtures in tests/fixtures/ were made by make_golden.py with torch.nn.LSTM, RNN and GRU; this
file reads them with NumPy only. Every comparison goes through `mismatches`, and the sensitivity
tests show that the same check fails when one gate's weights or one derivative is changed.
"""
import pathlib

import numpy as np
import pytest

import lstm_core as lc

FIXTURES = pathlib.Path(__file__).parents[1] / "fixtures"
TOL = 1e-9  # absolute and relative
SINGLE = ["single_unbatched", "single_batched"]
TORCH_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def load(kind, case):
    """The fixture `<kind>_<case>.npz` as a dict of arrays."""
    with np.load(FIXTURES / f"{kind}_{case}.npz") as data:
        return {k: data[k] for k in data.files}


def mismatches(actual, expected, tol=TOL):
    """'name: error' for each expected array that `actual` misses by more than tol; [] if all agree."""
    bad = []
    for name, want in expected.items():
        got = np.asarray(actual[name])
        if got.shape != want.shape:
            bad.append(f"{name}: shape {got.shape} != {want.shape}")
        elif not np.allclose(got, want, rtol=tol, atol=tol):
            bad.append(f"{name}: max error {np.max(np.abs(got - want)):.2e}")
    return bad


def expected(fx, names):
    """The fixture's arrays `names` (skipping those the case lacks, like c_n for a GRU)."""
    return {n: fx[n] for n in names if n in fx}


def cell_params(cls, fx, suffix="_l0"):
    """One direction of one layer of a torch state_dict as the engine's cell parameters."""
    return cls.from_torch(*(fx[name + suffix] for name in TORCH_NAMES))


def injected_dh(fx):
    """dL/dh_t put in at every step by L = sum(output * w) + sum(h_n * u): w, plus u at the end."""
    dh = fx["w"].copy()
    dh[-1] += fx["u"][0]
    return dh


def lstm_cell_results(params, fx):
    """Forward and backward the engine's LSTM on a single-layer fixture; names like the fixture."""
    trace = lc.lstm_forward(params, fx["x"], fx["h0"][0], fx["c0"][0])
    grads = lc.lstm_backward(params, trace, injected_dh(fx), fx["v"][0])
    out = {"output": trace.h, "h_n": trace.h[-1][None], "c_n": trace.c[-1][None],
           "grad_x": grads.dxs, "grad_h0": grads.dh0[None], "grad_c0": grads.dc0[None]}
    out.update({f"grad_{k}_l0": v for k, v in grads.params.to_torch().items()})
    return out


CELL_NAMES = ["output", "h_n", "c_n", "grad_x", "grad_h0", "grad_c0"] + [
    f"grad_{n}_l0" for n in TORCH_NAMES]


@pytest.mark.parametrize("case", SINGLE)
def test_lstm_cell_matches_torch_values_and_every_gradient(case):
    fx = load("lstm", case)
    results = lstm_cell_results(cell_params(lc.LSTMParams, fx), fx)
    assert mismatches(results, expected(fx, CELL_NAMES)) == []


@pytest.mark.parametrize("case", SINGLE)
def test_lstm_cell_float32_forward_agrees_with_float64_torch_to_1e_5(case):
    fx = load("lstm", case)
    params = cell_params(lc.LSTMParams, fx).astype(np.float32)
    x, h0, c0 = (fx[k].astype(np.float32) for k in ("x", "h0", "c0"))
    trace = lc.lstm_forward(params, x, h0[0], c0[0])
    assert trace.h.dtype == np.float32 and trace.c.dtype == np.float32
    results = {"output": trace.h, "h_n": trace.h[-1][None], "c_n": trace.c[-1][None]}
    assert mismatches(results, expected(fx, ["output", "h_n", "c_n"]), tol=1e-5) == []


def test_golden_check_fails_when_forget_and_input_gate_weights_swap():
    fx = load("lstm", "single_batched")
    params = cell_params(lc.LSTMParams, fx)
    swapped = params.replace(W_f=params.W_i, W_i=params.W_f)
    bad = mismatches(lstm_cell_results(swapped, fx), expected(fx, CELL_NAMES))
    assert any(b.startswith("output:") for b in bad)


@pytest.mark.parametrize("bias", ["b_f", "b_i", "b_c", "b_o"])
def test_golden_check_fails_when_one_gate_bias_moves_by_1e_7(bias):
    fx = load("lstm", "single_batched")
    params = cell_params(lc.LSTMParams, fx)
    nudged = params.replace(**{bias: getattr(params, bias) + np.array([1e-7, 0, 0, 0])})
    bad = mismatches(lstm_cell_results(nudged, fx), expected(fx, CELL_NAMES))
    assert any(b.startswith("output:") for b in bad)


def test_golden_check_fails_when_the_candidate_derivative_is_wrong(monkeypatch):
    fx = load("lstm", "single_batched")
    params = cell_params(lc.LSTMParams, fx)
    monkeypatch.setattr(lc.lstm, "dtanh_from_output", lc.numerics.dsigmoid_from_output)
    bad = mismatches(lstm_cell_results(params, fx), expected(fx, CELL_NAMES))
    assert not any(b.startswith(("output:", "h_n:", "c_n:")) for b in bad)  # forward untouched
    assert any(b.startswith("grad_weight_hh_l0:") for b in bad)
