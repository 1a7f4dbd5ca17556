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
KINDS = ["lstm", "rnn", "gru"]
SINGLE = ["single_unbatched", "single_batched"]
MULTI = ["stacked", "bidir", "stacked_bidir"]
TORCH_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
PARAMS = {"lstm": lc.LSTMParams, "rnn": lc.RNNParams, "gru": lc.GRUParams}


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


def cell_params(kind, fx, suffix="_l0"):
    """One direction of one layer of the fixture's state_dict as the engine's cell parameters."""
    return PARAMS[kind].from_torch(*(fx[name + suffix] for name in TORCH_NAMES))


def torch_grads(kind, grad_params, suffix="_l0"):
    """The engine's parameter gradient in torch's names, via to_torch(gradient=True)."""
    arrays = grad_params.to_torch(gradient=True)
    return {f"grad_{name}{suffix}": a for name, a in arrays.items()}


def injected_dh(fx):
    """dL/dh_t put in at every step by L = sum(output * w) + sum(h_n * u): w, plus u at the end."""
    dh = fx["w"].copy()
    dh[-1] += fx["u"][0]
    return dh


def cell_results(kind, params, fx):
    """Forward and backward one engine cell on a single-layer fixture; results named like the fixture."""
    h0 = fx["h0"][0]  # drop torch's layer axis: (H,) or (B, H)
    if kind == "lstm":
        trace = lc.lstm_forward(params, fx["x"], h0, fx["c0"][0])
        grads = lc.lstm_backward(params, trace, injected_dh(fx), fx["v"][0])
        out = {"c_n": trace.c[-1][None], "grad_c0": grads.dc0[None]}
    elif kind == "rnn":
        trace = lc.rnn_forward(params, fx["x"], h0, activation="tanh")
        grads, out = lc.rnn_backward(params, trace, injected_dh(fx)), {}
    else:
        trace = lc.gru_forward(params, fx["x"], h0)
        grads, out = lc.gru_backward(params, trace, injected_dh(fx)), {}
    out.update({"output": trace.h, "h_n": trace.h[-1][None], "grad_x": grads.dxs,
                "grad_h0": grads.dh0[None]})
    out.update(torch_grads(kind, grads.params))
    return out


CELL_NAMES = ["output", "h_n", "c_n", "grad_x", "grad_h0", "grad_c0"] + [
    f"grad_{n}_l0" for n in TORCH_NAMES]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", SINGLE)
def test_single_layer_cell_matches_torch_values_and_every_gradient(kind, case):
    fx = load(kind, case)
    results = cell_results(kind, cell_params(kind, fx), fx)
    assert mismatches(results, expected(fx, CELL_NAMES)) == []


def model_results(kind, fx):
    """Forward and backward the engine's Model on a stacked/bidirectional fixture (zero initial states)."""
    num_layers, bidirectional = int(fx["num_layers"]), bool(fx["bidirectional"])
    state_dict = {k: v for k, v in fx.items() if k.startswith(TORCH_NAMES)}
    model = lc.Model.from_torch(kind, state_dict, num_layers, bidirectional)
    trace = lc.model_forward(model, fx["x"])
    grads = lc.model_backward(model, trace, doutputs=fx["w"])  # L = sum(output * w)
    cell_traces = [t for layer in trace.layers for t in layer]  # torch's h_n order: layer, direction
    out = {"output": trace.outputs, "grad_x": grads.dxs,
           "h_n": np.stack([t.h[-1] for t in cell_traces])}  # a reverse cell ends at t = 0
    if kind == "lstm":
        out["c_n"] = np.stack([t.c[-1] for t in cell_traces])
    for k, layer in enumerate(grads.model.layers):
        for direction, params in layer.cells():
            out.update(torch_grads(kind, params, f"_l{k}" + ("_reverse" if direction == "bwd" else "")))
    return out


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", MULTI)
def test_stacked_and_bidirectional_model_matches_torch_values_and_every_gradient(kind, case):
    fx = load(kind, case)
    weight_grads = [n for n in fx if n.startswith("grad_") and n[5:].startswith(TORCH_NAMES)]
    directions = 2 if fx["bidirectional"] else 1
    assert len(weight_grads) == 4 * int(fx["num_layers"]) * directions  # every array of every cell
    names = ["output", "h_n", "c_n", "grad_x"] + weight_grads
    assert mismatches(model_results(kind, fx), expected(fx, names)) == []


@pytest.mark.parametrize("case", SINGLE)
def test_lstm_cell_float32_forward_agrees_with_float64_torch_to_1e_5(case):
    fx = load("lstm", case)
    params = cell_params("lstm", fx).astype(np.float32)
    x, h0, c0 = (fx[k].astype(np.float32) for k in ("x", "h0", "c0"))
    trace = lc.lstm_forward(params, x, h0[0], c0[0])
    assert trace.h.dtype == np.float32 and trace.c.dtype == np.float32
    results = {"output": trace.h, "h_n": trace.h[-1][None], "c_n": trace.c[-1][None]}
    assert mismatches(results, expected(fx, ["output", "h_n", "c_n"]), tol=1e-5) == []


def test_golden_check_fails_when_forget_and_input_gate_weights_swap():
    fx = load("lstm", "single_batched")
    params = cell_params("lstm", fx)
    swapped = params.replace(W_f=params.W_i, W_i=params.W_f)
    bad = mismatches(cell_results("lstm", swapped, fx), expected(fx, CELL_NAMES))
    assert any(b.startswith("output:") for b in bad)


def test_golden_check_fails_when_gru_reset_and_update_gate_weights_swap():
    fx = load("gru", "single_batched")
    params = cell_params("gru", fx)
    swapped = params.replace(W_r=params.W_z, W_z=params.W_r)
    bad = mismatches(cell_results("gru", swapped, fx), expected(fx, CELL_NAMES))
    assert any(b.startswith("output:") for b in bad)


@pytest.mark.parametrize("bias", ["b_f", "b_i", "b_c", "b_o"])
def test_golden_check_fails_when_one_gate_bias_moves_by_1e_7(bias):
    fx = load("lstm", "single_batched")
    params = cell_params("lstm", fx)
    nudged = params.replace(**{bias: getattr(params, bias) + np.array([1e-7, 0, 0, 0])})
    bad = mismatches(cell_results("lstm", nudged, fx), expected(fx, CELL_NAMES))
    assert any(b.startswith("output:") for b in bad)


def test_golden_check_fails_when_the_candidate_derivative_is_wrong(monkeypatch):
    fx = load("lstm", "single_batched")
    params = cell_params("lstm", fx)
    monkeypatch.setattr(lc.lstm_bptt, "dtanh_from_output", lc.numerics.dsigmoid_from_output)
    bad = mismatches(cell_results("lstm", params, fx), expected(fx, CELL_NAMES))
    assert not any(b.startswith(("output:", "h_n:", "c_n:")) for b in bad)  # forward untouched
    assert any(b.startswith("grad_weight_hh_l0:") for b in bad)
