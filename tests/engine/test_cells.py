"""The one registry of cell kinds: every kind runs, every layer of the model layer uses it."""
import numpy as np
import pytest

import lstm_core as lc
from lstm_core import cells


@pytest.mark.parametrize("kind", lc.KINDS)
def test_every_kind_initialises_runs_forward_and_backward(kind):
    cell = lc.CELLS[kind]
    params = cell.init(2, 3, seed=0)
    xs = np.random.default_rng(0).normal(size=(5, 2))
    trace = cell.forward(params, xs)
    grads = cell.backward(params, trace, np.ones_like(trace.h))
    assert trace.h.shape == (5, 3) and grads.dxs.shape == (5, 2)
    assert set(grads.params.arrays()) == set(params.arrays())


def test_kinds_have_distinct_screen_names_and_colour_keys():
    assert len({c.name for c in lc.CELLS.values()}) == len(lc.KINDS)
    assert len({c.color for c in lc.CELLS.values()}) == len(lc.KINDS)
    assert cells.name("rnn_tanh") == "tanh RNN" and cells.name("lstm") == "LSTM"


def test_the_rnn_kinds_differ_only_in_their_activation():
    p = lc.CELLS["rnn_tanh"].init(1, 2, seed=3)
    xs = np.linspace(-1, 1, 4)[:, None]
    np.testing.assert_allclose(lc.CELLS["rnn_tanh"].forward(p, xs).h, lc.rnn_forward(p, xs).h)
    np.testing.assert_allclose(lc.CELLS["rnn_sigmoid"].forward(p, xs).h,
                               lc.rnn_forward(p, xs, activation="sigmoid").h)


def test_the_peephole_kind_has_peepholes_and_the_plain_lstm_none():
    assert lc.CELLS["lstm_peephole"].init(1, 2).peephole
    assert not lc.CELLS["lstm"].init(1, 2).peephole
    assert lc.CELLS["lstm"].init(1, 2, forget_bias=2.5).b_f.tolist() == [2.5, 2.5]


def test_an_older_name_reads_as_todays_kind_and_an_unknown_one_is_refused():
    assert lc.canonical("rnn") == "rnn_tanh"
    assert lc.Model.init("rnn", 1, 2).layers[0].kind == "rnn_tanh"
    with pytest.raises(ValueError, match="unknown cell kind"):
        lc.canonical("cnn")


def test_an_old_model_file_with_kind_rnn_still_loads():
    d = lc.Model.init("rnn_tanh", 1, 2, 1).to_dict()
    d["layers"][0]["kind"] = "rnn"
    assert lc.Model.from_dict(d).layers[0].kind == "rnn_tanh"


def test_for_params_finds_the_kind_of_a_parameter_set():
    assert cells.for_params(lc.GRUParams.init(1, 2)).kind == "gru"
    with pytest.raises(TypeError):
        cells.for_params(lc.Dense.init(2, 1, seed=0))
