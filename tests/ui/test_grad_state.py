"""The gradients page's state: link round trips, validation, and presets that make their point."""
import dataclasses

import numpy as np
import pytest

from lstm_core import flow as F
from ui.gradients import state as G
from ui.common import link
from ui.gradients import lessons


def test_default_link_is_empty_and_edits_round_trip():
    assert link.to_query(G.GradState()) == {}
    s = dataclasses.replace(G.GradState(), H=5, scale=2.5, clip=1.5, biases=0, gen="spike", length=80)
    assert G.from_query(link.to_query(s)) == s
    typed = G.with_sequence(G.GradState(), np.array([[0.5], [-1.0], [2.0]]))
    assert G.from_query(link.to_query(typed)) == typed
    np.testing.assert_array_equal(typed.sequence()[:, 0], [0.5, -1.0, 2.0])


@pytest.mark.parametrize("query", [{"H": "0"}, {"H": "33"}, {"scale": "0"}, {"scale": "11"},
                                   {"scale": "nan"}, {"forget_bias": "9"}, {"clip": "-1"},
                                   {"biases": "2"}, {"gen": "noise"}, {"length": "501"},
                                   {"seed": "-3"}, {"xs": ",".join(["1"] * 501)}, {"H": "x"},
                                   {"scale": "0.05"}, {"gen": "typed"}, {"preset": "nope"},
                                   {"xs": "1,2", "gen": "typed"}, {"clip": "1e309"}, {"H": "٣"}])
def test_bad_links_are_rejected_with_a_reason(query):
    with pytest.raises(ValueError, match="link"):
        G.from_query(query)


def _first(state):
    return {k: G.status(f) for k, f in state.flows().items()}


def test_vanishing_presets_show_sigmoid_below_tanh_below_lstm():
    s = lessons.BY_NAME["Sigmoid RNN vanishes"].state()
    st = _first(s)
    assert st["rnn_sigmoid"][0] == st["rnn_tanh"][0] == "vanished"
    assert st["rnn_sigmoid"][1] < st["rnn_tanh"][1]
    lstm = _first(lessons.BY_NAME["LSTM with forget bias 1 keeps the gradient"].state())
    assert lstm["lstm"][1] > 1e6 * lstm["rnn_tanh"][1]


def test_explosion_preset_explodes_and_clipping_caps_the_update():
    boom = lessons.BY_NAME["Large recurrent weights explode"].state()
    flows = boom.flows()
    assert G.status(flows["rnn_tanh"])[0] in ("exploded", "overflowed")
    clip = lessons.BY_NAME["Clipping tames the explosion"].state()
    raw, clipped = F.clipped_update(clip.flows()["rnn_tanh"], clip.max_norm())
    assert raw > 1e3 and clipped == pytest.approx(0.1 * clip.max_norm())


def test_status_uses_the_cell_path_for_the_lstm():
    s = dataclasses.replace(G.GradState(), forget_bias=6.0, length=50)
    flow = s.flows()["lstm"]
    word, value = G.status(flow)
    assert value == max(flow.dh_norm[0], flow.dc_norm[0])
