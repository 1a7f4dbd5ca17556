"""Every number and comparison in the Variants page's lessons, from the engine at each lesson's settings."""
import numpy as np
import pytest

from lstm_core import variants as V
from lstm_core.flow import VANISHED
from ui.variants import counts
from ui.variants.controls import SETTINGS, current_preset
from ui.variants.lessons import PRESETS
from ui.variants.state import check

LESSONS = {lesson.name: lesson for lesson in PRESETS}


def run(name):
    """(plain, variant) anatomies of a lesson's state, as the page computes them."""
    state = LESSONS[name].state()
    xs = state.sequence()
    return state, [V.anatomy(v, xs, input_size=state.I, hidden_size=state.H, seed=state.seed)
                   for v in (V.PLAIN, state.variant)]


def test_every_lesson_is_a_valid_state_the_picker_recognises():
    for lesson in PRESETS:
        state = check(lesson.state())
        assert current_preset(state) == lesson.name
    assert len({tuple(getattr(l.state(), k) for k in SETTINGS) for l in PRESETS}) == len(PRESETS)


def test_fewer_parameters_gru_then_coupled():
    state, _ = run("Which has fewer parameters at H = 8, I = 1?")
    gru, plain, coupled = (counts.cost(v, 1, 8) for v in ("gru", V.PLAIN, "coupled"))
    assert (state.variant, state.H, state.I) == ("gru", 8, 1)
    assert (gru.params, plain.params, round(100 * gru.params / plain.params)) == (248, 320, 78)
    assert (gru.multiply_adds, plain.multiply_adds) == (216, 288)
    assert coupled.params == 240 < gru.params
    gru_params = V.build("gru", 1, 8).layers[0].fwd.arrays()
    assert [name for name in gru_params if name.startswith("b")] == ["b_r", "b_z", "b_in", "b_hn"]
    assert sum(1 for name in gru_params if name.startswith("W")) == 3


def test_peepholes_add_3h_and_change_h_by_up_to_005():
    state, (plain, peep) = run("Peepholes: the gates read the cell")
    assert counts.cost("peephole", 1, 8).params == 344 == 320 + 3 * 8
    diff = np.abs(peep.cell_trace()["h"] - plain.cell_trace()["h"]).max()
    assert round(diff, 2) == 0.05
    for name, a in plain.model.layers[0].fwd.arrays().items():
        np.testing.assert_array_equal(getattr(peep.model.layers[0].fwd, name), a)


def test_coupled_gates_sum_to_one_keep_three_quarters_and_reach_12_times_less():
    state, (plain, coupled) = run("Coupled gates: i_t = 1 − f_t")
    assert counts.cost("coupled", 1, 8).params == 240 == 0.75 * 320
    tr = coupled.cell_trace()
    assert np.abs(tr["i"] + tr["f"] - 1).max() < 1e-15
    assert abs(tr["f"].mean() - 0.75) < 0.03 and abs(tr["i"].mean() - 0.25) < 0.03
    assert 11.5 <= plain.reach[0] / coupled.reach[0] < 12.5


def test_stacked_layer_1_is_the_plain_lstm():
    state, (plain, stacked) = run("Stacked: layer 1 is the plain LSTM")
    cost = counts.cost("stacked", 1, 8)
    assert (cost.params, cost.params - 320, cost.multiply_adds) == (864, 544, 800)
    assert stacked.model.layers[1].fwd.input_size == 8
    np.testing.assert_array_equal(stacked.cell_trace(0)["h"], plain.cell_trace()["h"])


def test_bidirectional_reaches_step_1_where_the_plain_lstm_vanishes():
    state, (plain, bi) = run("Bidirectional: step 1 is no step away")
    assert state.length == 40
    assert f"{plain.reach[0]:.1e}" == "5.3e-04" and plain.reach[0] < VANISHED
    assert round(bi.reach[0], 2) == 0.71
    assert counts.cost("bidirectional", 1, 8).params == 640 == 2 * 320


def test_on_a_long_sine_the_untrained_gru_fades_first():
    state, (plain, gru) = run("A long sine: the GRU fades first")
    assert state.length == 40
    assert f"{gru.reach[0]:.1e}" == "2.4e-07" and f"{plain.reach[0]:.1e}" == "5.3e-04"
    assert abs(gru.cell_trace()["z"].mean() - 0.5) < 0.05
    assert abs(plain.cell_trace()["f"].mean() - 0.75) < 0.05


@pytest.mark.parametrize("lesson", PRESETS, ids=lambda l: l.name)
def test_every_number_in_a_sentence_is_checked_here(lesson):
    """A guard against a sentence edited without its test: the numbers each sentence holds."""
    numbers = {
        "Which has fewer parameters at H = 8, I = 1?": {"248", "320", "78", "216", "288", "240"},
        "Peepholes: the gates read the cell": {"344", "320", "3·8", "0.05"},
        "Coupled gates: i_t = 1 − f_t": {"240", "75", "320", "16", "3/4", "1/4", "12"},
        "Stacked: layer 1 is the plain LSTM": {"864", "320", "544", "8", "800", "288"},
        "Bidirectional: step 1 is no step away": {"40", "5.3 × 10⁻⁴", "10⁻³", "0.71", "640", "320"},
        "A long sine: the GRU fades first": {"40", "2.4 × 10⁻⁷", "5.3 × 10⁻⁴", "1/2", "3/4"},
    }[lesson.name]
    for number in numbers:
        assert number in lesson.lesson
