"""Each preset does what its sentence promises, checked on the engine's trace."""
import numpy as np

import lstm_core as lc
from ui.cell.lessons import BY_NAME


def _trace(name):
    p = BY_NAME[name]
    return lc.lstm_forward(p.params(), p.sequence())


def test_remember_forever_holds_the_written_value():
    tr = _trace("Remember forever")
    assert tr.c[2, 0] > 0.9 and tr.c[-1, 0] > 0.95 * tr.c[2, 0]
    assert np.all(tr.f[:, 0] > 0.99) and np.all(tr.i[3:, 0] < 0.01)


def test_forget_every_step_leaves_only_this_steps_candidate():
    tr = _trace("Forget every step")
    np.testing.assert_allclose(tr.c[:, 0], tr.i[:, 0] * tr.c_tilde[:, 0], atol=0.01)


def test_latch_holds_after_the_spike_and_clears_after_the_reset():
    tr = _trace("Latch a spike and hold it")
    assert tr.c[4, 0] > 0.9 and tr.c[18, 0] > 0.85 and abs(tr.c[19, 0]) < 0.05


def test_counter_steps_up_once_per_spike():
    p = BY_NAME["Counter"]
    tr = _trace("Counter")
    spikes = np.cumsum(p.sequence()[:, 0])
    np.testing.assert_allclose(tr.c[:, 0], 0.197 * spikes, atol=0.02)


def test_output_gate_closed_hides_a_held_memory():
    tr = _trace("Output gate closed")
    assert tr.c[-1, 0] > 0.9 and np.all(np.abs(tr.h[:, 0]) < 0.01)
