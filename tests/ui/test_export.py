"""Code out: each exported script, run as it is in a fresh Python, prints the h_t and C_t the
engine computes, to the 3 decimals the page shows (ui/cell/equations.num), at every step.

The NumPy script always runs; the PyTorch and Keras ones where those packages are installed.
"""
import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

import lstm_core as lc
from ui.cell import export
from ui.cell import state as S
from ui.cell.equations import num
from ui.cell.lessons import PRESETS

def largest_typed_extreme():
    """H = 4, I = 3, weights up to the tables' limit (gates saturate), a typed input of 30 steps."""
    rng = np.random.default_rng(3)
    cell = S.CellState(H=4, I=3, seed=3)
    def extreme(a):  # magnitudes from 0.01 to 100
        return np.round(rng.uniform(-S.WEIGHT_LIMIT, S.WEIGHT_LIMIT, a.shape) / 10.0 ** rng.integers(0, 3, a.shape), 4)
    params = cell.params().map(extreme)
    return cell.with_params(params).with_sequence(rng.normal(0, 3, (30, 3)))


CASES = {  # name: a cell state the page can show
    "default": S.CellState(),
    "largest, typed, extreme": largest_typed_extreme(),
    "preset": S.apply_preset(S.CellState(), PRESETS[0]),
}


def printed(trace):
    """The lines a script must print for `trace`: the engine's numbers as the page writes them."""
    show = lambda v: "[" + ", ".join(num(u) for u in v) + "]"  # noqa: E731
    return [f"t={t + 1:<3d} h_t = {show(h)}  C_t = {show(c)}" for t, (h, c) in enumerate(zip(trace.h, trace.c))]


def run_script(text, tmp_path, name, env=None):
    """Run `text` as a file in a fresh interpreter; its stdout lines."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    return [line for line in done.stdout.splitlines() if line.startswith("t=")]


def engine_lines(cell):
    return printed(lc.lstm_forward(cell.params(), cell.sequence()))


@pytest.mark.parametrize("case", list(CASES))
def test_the_numpy_script_prints_the_pages_numbers_at_every_step(case, tmp_path):
    cell = CASES[case]
    text = export.script("numpy", cell.params(), cell.sequence(), t=cell.t, unit=cell.unit)
    assert run_script(text, tmp_path, "lstm_cell_numpy.py") == engine_lines(cell)


def test_a_script_of_other_weights_prints_other_numbers(tmp_path):
    """The comparison can fail: one weight changed by 0.01 changes the printed lines."""
    cell = CASES["default"]
    params = cell.params()
    other = params.replace(W_c=params.W_c + np.eye(*params.W_c.shape) * 0.01)
    text = export.script("numpy", other, cell.sequence())
    assert run_script(text, tmp_path, "other.py") != engine_lines(cell)


def test_the_scripts_hold_the_weights_exactly():
    """repr round-trips float64: the literal in a script is the engine's number, bit for bit."""
    cell = CASES["default"].with_params(lc.LSTMParams.init(1, 2, seed=1))  # unrounded: 17 digits
    text = export.script("numpy", cell.params(), cell.sequence())
    for name, a in cell.params().arrays().items():
        assert repr(float(a.ravel()[0])) in text, name


@pytest.mark.parametrize("kind, env", [("torch", {}), ("keras", {"KERAS_BACKEND": "torch"})])
@pytest.mark.parametrize("case", ["default", "largest, typed, extreme"])
def test_the_framework_scripts_print_the_pages_numbers(kind, env, case, tmp_path):
    if importlib.util.find_spec(kind) is None or importlib.util.find_spec("torch") is None:
        pytest.skip(f"{kind} is not installed (a dev tool, never a requirement)")
    cell = CASES[case]
    text = export.script(kind, cell.params(), cell.sequence())
    assert run_script(text, tmp_path, export.SCRIPTS[kind][1], env) == engine_lines(cell)
