"""Each preset does what its sentence promises, on the step it opens on, checked on the engine's trace.

Every number a sentence prints is compared with the engine's value at the digits printed.
"""
import re

import numpy as np
import pytest

import lstm_core as lc
from ui.cell.lessons import BY_NAME, COUNTER_SPIKES, PRESETS
from ui.cell.state import CellState, apply_preset


def _trace(name):
    p = BY_NAME[name]
    return lc.lstm_forward(p.params(), p.sequence())


def _reads(value, text):
    """True when `value` printed with as many decimals as `text` has is `text` (−0.000 reads 0.000)."""
    decimals = len(text.partition(".")[2])
    return f"{abs(value) if round(value, decimals) == 0 else value:.{decimals}f}" == text


def _says(name, text):
    """The preset's sentence contains `text` (a phrase with a number in it)."""
    return text in BY_NAME[name].lesson


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_each_preset_opens_on_the_step_its_sentence_names(preset):
    assert preset.lesson.startswith(f"Shown: step {preset.step}")
    cell = apply_preset(CellState(), preset)
    assert cell.t == preset.step - 1 and 1 <= preset.step <= len(preset.xs)


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_the_opening_step_is_not_the_empty_first_step(preset):
    tr = lc.lstm_forward(preset.params(), preset.sequence())
    s = preset.step - 1
    assert preset.step > 1 and max(abs(preset.xs[s]), abs(tr.c[s, 0]), abs(tr.c[s - 1, 0])) > 0.5


def test_remember_forever_writes_at_step_3_and_keeps_99_97_percent_a_step():
    tr, name = _trace("Remember forever"), "Remember forever"
    assert BY_NAME[name].xs[2] == 1 and _says(name, "$x_t = 1$")
    assert _reads(tr.i[2, 0], "0.993") and _says(name, "$i_t = 0.993$")
    assert _reads(tr.c[2, 0], "0.988") and _says(name, "$C_t = 0.988$")
    assert all(_reads(f, "0.9997") and _reads(f, "1.000") for f in tr.f[3:, 0])
    assert all(_reads(i, "0.007") for i in tr.i[3:, 0])
    assert all(_reads(c1 / c0 * 100, "99.97") for c0, c1 in zip(tr.c[2:-1, 0], tr.c[3:, 0]))
    assert len(tr.c) == 30 and _reads(tr.c[29, 0], "0.979") and _says(name, "still 0.979")


def test_forget_every_step_keeps_almost_nothing_at_step_7():
    tr, name = _trace("Forget every step"), "Forget every step"
    assert all(_reads(f, "0.002") for f in tr.f[:, 0])
    assert _reads(tr.c[5, 0], "0.762") and _says(name, "$C_{t-1} = 0.762$")
    assert _reads(tr.f[6, 0] * tr.c[5, 0], "0.002") and _says(name, r"$f_t \cdot C_{t-1} = 0.002$")
    assert BY_NAME[name].xs[6] == 0 and _reads(tr.c_tilde[6, 0], "0.000")
    assert _reads(tr.c[6, 0], "0.002") and _says(name, "$C_t = 0.002$")
    np.testing.assert_allclose(tr.c[:, 0], tr.i[:, 0] * tr.c_tilde[:, 0], atol=0.003)


def test_latch_holds_99_5_percent_for_14_steps_and_the_reset_at_step_20_erases_it():
    tr, name = _trace("Latch a spike and hold it"), "Latch a spike and hold it"
    xs = BY_NAME[name].xs
    assert xs[4] == 1 and xs[19] == -1 and sum(x != 0 for x in xs) == 2
    assert _reads(tr.c[4, 0], "0.988") and _says(name, "$C_t = 0.988$")
    held = tr.f[5:19, 0]  # steps 6..19
    assert len(held) == 14 and all(_reads(f, "0.9997") for f in held)
    assert _reads(np.prod(held) * 100, "99.5") and _says(name, "$0.9997^{14}$ = 99.5 %")
    assert _reads(tr.c[18, 0], "0.984") and _says(name, "still 0.984")
    assert _reads(tr.f[19, 0], "0.002") and _says(name, "($f_t = 0.002$)")
    assert _reads(tr.i[19, 0], "0.000") and _says(name, "($i_t = 0.000$)")
    assert _reads(tr.c[19, 0], "0.002") and _says(name, "drops to 0.002")


def test_counter_adds_0_196_per_spike_and_reads_1_365_at_the_seventh():
    tr, name = _trace("Counter"), "Counter"
    p = BY_NAME[name]
    assert [s + 1 for s, x in enumerate(p.xs) if x == 1] == list(COUNTER_SPIKES) and p.step == COUNTER_SPIKES[6]
    written = tr.i[:, 0] * tr.c_tilde[:, 0]
    assert all(_reads(written[s - 1], "0.196") for s in COUNTER_SPIKES)
    assert _says(name, r"$i_t \cdot \tilde C_t = 0.196$") and all(_reads(f, "0.9997") for f in tr.f[:, 0])
    assert all(_reads(f, "1.000") for f in tr.f[:, 0])  # 'which the diagram rounds to 1.000
    assert _reads(tr.c[33, 0], "1.365") and _says(name, "$C_t = 1.365$")
    assert _reads(7 * 0.196, "1.372") and tr.c[33, 0] < 7 * written[2]  # 'less a small leak'
    spikes = np.cumsum(p.sequence()[:, 0])
    np.testing.assert_allclose(tr.c[:, 0], written[2] * spikes, atol=0.01)


def test_output_gate_closed_hides_the_memory_it_holds_at_step_10():
    tr, name = _trace("Output gate closed"), "Output gate closed"
    assert _reads(tr.c[2, 0], "0.988") and _reads(tr.c[9, 0], "0.986") and _says(name, "($C_t = 0.986$)")
    assert all(_reads(o, "0.002") for o in tr.o[:, 0]) and _says(name, "($o_t = 0.002$)")
    assert _reads(tr.h[9, 0], "0.002") and _says(name, r"$h_t = o_t \tanh(C_t) = 0.002$")
    assert np.all(np.abs(tr.h[:, 0]) < 0.003)


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_every_number_in_a_sentence_is_one_the_tests_above_check(preset):
    """A guard against a sentence edited without its test: the numbers are the ones checked above."""
    checked = {"Remember forever": {"3", "1", "0.993", "0.988", "0.9997", "1.000", "0.007", "99.97", "30",
                                    "0.979"},
               "Forget every step": {"7", "0.002", "0.762", "0", "1"},
               "Latch a spike and hold it": {"20", "5", "1", "0.988", "6", "19", "0.9997", "14", "99.5",
                                             "0.984", "0.002", "0.000"},
               "Counter": {"34", "7", *map(str, COUNTER_SPIKES), "0.196", "0.9997", "1.000", "1.365", "1.372"},
               "Output gate closed": {"10", "3", "0.988", "0.986", "0.002"}}[preset.name]
    text = re.sub(r"_\{t-1\}|_t|\^\{14\}", "", preset.lesson)  # subscripts and the exponent are not values
    assert set(re.findall(r"\d+(?:\.\d+)?", text)) <= checked
