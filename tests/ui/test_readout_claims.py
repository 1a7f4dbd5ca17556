"""Home's note on reading the answer out and on sequences of different lengths (assets/readout.md),
checked on the engine: a padded step carries the state through unchanged, and every training-lab
task counts its loss at the last step only."""
import numpy as np
import pytest

import lstm_core as lc
from lstm_core import tasks
from ui.cell.state import seeded_params


def test_a_padded_step_carries_h_and_c_through_unchanged():
    params = seeded_params(3, 2, seed=4, scale=1.0, forget_bias=1.0)
    xs = np.random.default_rng(0).normal(size=(6, 2, 2))  # (T, B, I)
    lengths = np.array([6, 3])
    trace = lc.lstm_forward(params, xs, mask=lc.length_mask(lengths, 6))
    for t in range(3, 6):  # sequence 1 is padding from step 4 on
        np.testing.assert_array_equal(trace.h[t, 1], trace.h[2, 1])
        np.testing.assert_array_equal(trace.c[t, 1], trace.c[2, 1])
    assert not np.allclose(trace.h[3:, 0], trace.h[2, 0])  # the unpadded sequence moves on


def test_alone_a_short_sequence_gets_the_numbers_it_gets_in_the_padded_batch():
    params = seeded_params(2, 1, seed=1, scale=1.0, forget_bias=1.0)
    xs = np.random.default_rng(2).normal(size=(5, 2, 1))
    batch = lc.lstm_forward(params, xs, mask=lc.length_mask(np.array([5, 2]), 5))
    alone = lc.lstm_forward(params, xs[:2, 1])
    np.testing.assert_allclose(batch.h[:2, 1], alone.h, rtol=0, atol=1e-14)


@pytest.mark.parametrize("name", tasks.TASKS)
def test_every_lab_task_reads_its_answer_and_loss_at_the_last_step_only(name):
    data = tasks.make_task(name, 6, 4, seed=0)
    y = np.random.default_rng(1).normal(size=(6, 4, data.n_out))  # (T, B, n_out)
    _, dy = tasks.task_loss(data)(y, data.target)
    assert np.all(dy[:-1] == 0) and np.any(dy[-1] != 0)
