"""The training lab's results as data: smoothing, the best step, and the table of kept models."""
import math

import numpy as np

from ui.training import history as H
from ui.training.panels import results_rows


def test_smooth_is_the_documented_moving_average_on_a_known_series():
    np.testing.assert_allclose(H.smooth([4.0, 2.0, 6.0, 0.0], weight=0.5), [4.0, 3.0, 4.5, 2.25])
    np.testing.assert_allclose(H.smooth([1.0, 3.0], weight=0.9), [1.0, 0.9 * 1.0 + 0.1 * 3.0])
    np.testing.assert_array_equal(H.smooth([]), [])


def test_smooth_skips_nan_and_inf_leaving_gaps_and_resumes_from_the_last_finite_average():
    s = H.smooth([4.0, math.nan, math.inf, 0.0], weight=0.5)
    assert s[0] == 4.0 and np.isnan(s[1:3]).all() and s[3] == 2.0


def test_best_validation_skips_nan_takes_the_first_of_ties_and_is_none_before_any():
    steps = np.array([10.0, 20.0, 30.0, 40.0])
    assert H.best_validation(steps, np.array([0.5, math.nan, 0.2, 0.2])) == (30, 0.2)
    assert H.best_validation(steps, np.full(4, math.nan)) is None


def _item(kind, step, val_loss=None, val_acc=None, best_step=None, done=False):
    return {"kind": kind, "step": step, "loss": 1.0, "val_loss": val_loss, "val_acc": val_acc,
            "best_step": best_step, "done": done}


def test_the_results_table_shows_the_kept_model_of_lowest_validation_loss_not_the_best_accuracy():
    items = [_item("lstm", 10, 0.50, 0.90, best_step=10),
             _item("lstm", 20, 0.40, 0.80, best_step=20),  # lower loss, lower accuracy: the lab keeps it
             _item("lstm", 30, 0.45, 0.95, best_step=20),
             _item("lstm", 20, 0.40, 0.80, best_step=20, done=True)]
    (row,) = results_rows(items)
    assert row == {"model": "LSTM", "steps trained": 30, "validation accuracy": "80.0%", "kept from step": 20}


def test_a_model_stopped_before_its_first_evaluation_has_no_accuracy_yet():
    (row,) = results_rows([_item("rnn_tanh", 1), _item("rnn_tanh", 2)])
    assert row["model"] == "tanh RNN" and row["steps trained"] == 2 and row["validation accuracy"] is None
