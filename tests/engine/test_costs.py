"""Parameter counts and multiply-adds per step, checked against the engine's own arrays and torch's."""
import numpy as np
import pytest

from lstm_core import costs
from lstm_core.cells import CELLS, KINDS
from lstm_core.model import Model

SIZES = [(1, 1), (1, 8), (3, 5), (16, 4)]  # (I, H)


def test_every_kind_of_the_registry_has_its_formulas():
    assert set(costs.COSTS) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("I, H", SIZES)
def test_a_cells_count_is_the_size_of_its_arrays(kind, I, H):
    arrays = CELLS[kind].init(I, H, seed=0).arrays()
    assert costs.param_count(kind, I, H) == sum(a.size for a in arrays.values())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("layers, bidirectional, out", [(1, False, None), (2, False, 3), (1, True, 2), (3, True, None)])
def test_a_models_count_is_the_size_of_its_arrays(kind, layers, bidirectional, out):
    model = Model.init(kind, 2, 4, out, num_layers=layers, bidirectional=bidirectional)
    size = sum(np.asarray(a).size for a in model.arrays().values())
    assert costs.model_param_count(kind, 2, 4, num_layers=layers, bidirectional=bidirectional,
                                   output_size=out) == size


@pytest.mark.parametrize("kind, torch_name", [("lstm", "LSTM"), ("gru", "GRU"), ("rnn_tanh", "RNN")])
def test_the_framework_count_is_what_torch_stores(kind, torch_name):
    """torch's counts, by its documented shapes: weight_ih (G·H, I), weight_hh (G·H, H), two biases (G·H,)."""
    gates = {"LSTM": 4, "GRU": 3, "RNN": 1}[torch_name]
    for I, H in SIZES:
        stored = gates * H * I + gates * H * H + 2 * gates * H
        assert costs.framework_count(kind, I, H) == stored


def test_at_h8_i1_the_gru_has_fewer_parameters_than_the_lstm_and_the_rnn_fewest():
    counts = {kind: costs.param_count(kind, 1, 8) for kind in ("rnn_tanh", "gru", "lstm", "lstm_peephole")}
    assert counts == {"rnn_tanh": 80, "gru": 248, "lstm": 320, "lstm_peephole": 344}


def test_a_step_costs_one_multiply_add_per_weight_of_its_products():
    for kind in KINDS:
        H, I = 8, 3
        c = costs.COSTS[kind]
        assert costs.step_multiply_adds(kind, I, H) == c.gates * H * (H + I) + c.diagonal * H
    assert costs.step_multiply_adds("lstm", 1, 8) == 4 * 8 * 9  # 288: 4/3 of the GRU's 216
    assert costs.step_multiply_adds("gru", 1, 8) == 216
