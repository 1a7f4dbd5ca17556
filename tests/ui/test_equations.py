"""The equations carry the engine's numbers: pre-activations squash to the trace's gates, and
every number plugged into the LaTeX is the trace's value at that step and unit."""
import re

import numpy as np
import pytest

from lstm_core import STEP_FIELDS, LSTMParams, lstm_forward
from ui.cell.equations import equations_latex, num, preactivations

NUMBER = re.compile(r"-?\d+\.\d{3}")


def _cell(H=3, I=2, T=5, peephole=False, seed=1):
    """A seeded cell with weights large enough to push gates away from 0.5, its inputs and trace."""
    rng = np.random.default_rng(seed)
    params = LSTMParams.init(I, H, seed=seed, peephole=peephole).map(lambda a: 2.5 * a)
    h0, c0 = rng.normal(size=H), rng.normal(size=H)
    trace = lstm_forward(params, rng.normal(size=(T, I)), h0=h0, c0=c0)
    return params, trace, h0, c0


def _numbers(line):
    return NUMBER.findall(line)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


@pytest.mark.parametrize("peephole", [False, True], ids=["plain", "peephole"])
def test_squashed_preactivations_are_the_traces_gates(peephole):
    params, trace, _, _ = _cell(peephole=peephole)
    for t in range(trace.f.shape[0]):
        z = preactivations(params, trace, t)
        np.testing.assert_allclose(_sigmoid(z["f"]), trace.f[t], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(_sigmoid(z["i"]), trace.i[t], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(np.tanh(z["c_tilde"]), trace.c_tilde[t], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(_sigmoid(z["o"]), trace.o[t], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("peephole", [False, True], ids=["plain", "peephole"])
def test_every_plugged_in_number_is_the_traces(peephole):
    params, trace, _, _ = _cell(peephole=peephole)
    for t in range(trace.f.shape[0]):
        for unit in range(trace.f.shape[1]):
            f_line, i_line, g_line, c_line, o_line, h_line = equations_latex(params, trace, t, unit)
            z = {k: a[unit] for k, a in preactivations(params, trace, t).items()}
            for line, k in [(f_line, "f"), (i_line, "i"), (g_line, "c_tilde"), (o_line, "o")]:
                assert _numbers(line) == [num(z[k]), num(getattr(trace, k)[t, unit])]
            c_prev = trace.c0[0, unit] if t == 0 else trace.c[t - 1, unit]
            f, i, g, o, c, h = (getattr(trace, k)[t, unit] for k in STEP_FIELDS)
            assert _numbers(c_line) == [num(f), num(c_prev), num(i), num(g), num(f * c_prev),
                                        num(abs(i * g)), num(c)]
            assert _numbers(h_line) == [num(o), num(c), num(o), num(np.tanh(c)), num(h)]


def test_first_step_plugs_in_c0():
    params, trace, _, c0 = _cell()
    c_line = equations_latex(params, trace, 0, unit=1)[3]
    assert _numbers(c_line)[1] == num(c0[1])


def test_negative_factors_are_parenthesised_and_differences_use_minus():
    params, trace, _, _ = _cell()
    trace = lstm_forward(params, trace.xs[:, 0], h0=trace.h0[0], c0=-np.ones(3))
    c_line = equations_latex(params, trace, 0, unit=0)[3]
    assert f"\\cdot ({num(-1.0)})" in c_line
    assert "+ -" not in c_line


def test_peephole_terms_appear_only_with_peepholes():
    for peephole in (False, True):
        params, trace, _, _ = _cell(peephole=peephole)
        f_line, i_line, _, _, o_line, _ = equations_latex(params, trace, 2)
        assert ("p_f C_{t-1}" in f_line) == peephole
        assert ("p_i C_{t-1}" in i_line) == peephole
        assert ("p_o C_t" in o_line) == peephole


def test_equations_follow_the_notes_notation():
    params, trace, _, _ = _cell()
    lines = equations_latex(params, trace, 1)
    assert len(lines) == 6
    assert lines[0].startswith("f_t = \\sigma(W_f \\cdot [h_{t-1}, x_t] + b_f)")
    assert lines[2].startswith("\\tilde{C}_t = \\tanh(W_c")
    assert lines[3].startswith("C_t = f_t C_{t-1} + i_t \\tilde{C}_t")
    assert lines[5].startswith("h_t = o_t \\tanh(C_t)")


def test_num_has_three_decimals_and_no_negative_zero():
    assert num(0.60149) == "0.601"
    assert num(-0.3) == "-0.300"
    assert num(-1e-9) == "0.000"


def test_bad_step_unit_or_sizes_raise_value_error():
    params, trace, _, _ = _cell()
    with pytest.raises(ValueError):
        equations_latex(params, trace, 5)
    with pytest.raises(ValueError):
        equations_latex(params, trace, -1)
    with pytest.raises(ValueError):
        equations_latex(params, trace, 0, unit=3)
    with pytest.raises(ValueError):
        preactivations(LSTMParams.init(2, 4), trace, 0)
