"""The coupled input–forget gate LSTM: i_t is exactly 1 - f_t, it is the plain LSTM with W_i = -W_f, and
it has three gates' weights. Its gradients are checked by finite differences in test_cells_fd.py."""
import numpy as np
import pytest

from lstm_core import costs, reference
from lstm_core.cells import CELLS
from lstm_core.lstm import LSTMParams
from lstm_core.lstm_coupled import CoupledLSTMParams
from lstm_core.model import Model
from lstm_core.model_pass import model_forward

XS = np.random.default_rng(3).normal(size=(7, 2))


def test_the_input_gate_is_one_minus_the_forget_gate_at_every_step():
    params = CELLS["lstm_coupled"].init(2, 4, seed=1)
    trace = CELLS["lstm_coupled"].forward(params, XS)
    np.testing.assert_allclose(trace.i, 1 - trace.f, rtol=0, atol=1e-15)
    np.testing.assert_allclose(trace.c[1:], trace.f[1:] * trace.c[:-1] + (1 - trace.f[1:]) * trace.c_tilde[1:],
                               atol=1e-15)


def test_each_step_is_the_reference_lstm_step_with_the_coupled_gate():
    params = CELLS["lstm_coupled"].init(2, 3, seed=2)
    trace = CELLS["lstm_coupled"].forward(params, XS)
    h, c = np.zeros(3), np.zeros(3)
    for t, x_t in enumerate(XS):
        step = reference.lstm_step(params.full(), x_t, h, c)
        np.testing.assert_allclose(step.i, 1 - step.f, atol=1e-15)
        np.testing.assert_allclose(trace.h[t], step.h, atol=1e-14)
        h, c = step.h, step.c


def test_it_draws_the_plain_lstms_weights_for_the_same_seed_but_keeps_no_input_gate():
    coupled = CoupledLSTMParams.init(2, 4, seed=5, forget_bias=2.0)
    plain = LSTMParams.init(2, 4, seed=5, forget_bias=2.0)
    for name, array in coupled.arrays().items():
        np.testing.assert_array_equal(array, getattr(plain, name))
    assert set(coupled.arrays()) == {"W_f", "W_c", "W_o", "b_f", "b_c", "b_o"}
    assert costs.param_count("lstm_coupled", 2, 4) == sum(a.size for a in coupled.arrays().values())
    assert costs.param_count("lstm_coupled", 1, 8) == 240 == 3 * 320 // 4


def test_a_model_of_coupled_cells_runs_stacked_and_bidirectional_and_round_trips_as_json():
    model = Model.init("lstm_coupled", 2, 3, 2, num_layers=2, bidirectional=True, seed=4)
    y = model_forward(model, XS).y
    assert y.shape == (7, 2) and np.all(np.isfinite(y))
    again = Model.from_dict(model.to_dict())
    np.testing.assert_array_equal(model_forward(again, XS).y, y)


@pytest.mark.parametrize("make", [lambda: CoupledLSTMParams.from_torch(None, None, None, None),
                                  lambda: Model.init("lstm_coupled", 1, 2, init="keras")])
def test_frameworks_without_the_cell_are_refused_in_words(make):
    with pytest.raises(ValueError, match="coupled|Keras has no"):
        make()
