"""The variants' models: their counts are their arrays', their reach is the exact flow's, and the
weights they share with the plain LSTM (the Variants page says so) are shared."""
import numpy as np
import pytest

from lstm_core import flow as F
from lstm_core import variants as V
from lstm_core.cells import CELLS
from lstm_core.costs import step_multiply_adds
from ui.common.sequences import generate

SIZES = [(1, 1), (1, 8), (3, 5), (4, 16)]
ALL = (V.PLAIN,) + V.VARIANTS


@pytest.mark.parametrize("variant", ALL)
@pytest.mark.parametrize("I,H", SIZES)
def test_param_count_is_the_size_of_the_models_arrays(variant, I, H):
    model = V.build(variant, I, H, seed=3)
    assert V.param_count(variant, I, H) == sum(a.size for a in model.arrays().values())


@pytest.mark.parametrize("I,H", SIZES)
def test_multiply_adds_add_up_every_cell_of_the_model(I, H):
    one = step_multiply_adds("lstm", I, H)
    assert V.multiply_adds(V.PLAIN, I, H) == one == 4 * H * (H + I)
    assert V.multiply_adds("bidirectional", I, H) == 2 * one
    assert V.multiply_adds("stacked", I, H) == one + step_multiply_adds("lstm", H, H)
    for variant, kind in (("peephole", "lstm_peephole"), ("coupled", "lstm_coupled"), ("gru", "gru")):
        assert V.multiply_adds(variant, I, H) == step_multiply_adds(kind, I, H)


def test_counts_at_h8_i1_are_the_ones_the_page_and_path_quote():
    counts = {v: V.param_count(v, 1, 8) for v in ALL}
    assert counts == {"plain": 320, "peephole": 344, "coupled": 240, "gru": 248, "stacked": 864,
                      "bidirectional": 640}


@pytest.mark.parametrize("variant", ("plain", "peephole", "coupled", "gru"))
def test_one_cells_reach_is_the_gradient_pages_exact_flow(variant):
    xs = generate("random walk", 30, input_size=2, seed=4)
    anatomy = V.anatomy(variant, xs, input_size=2, hidden_size=5, seed=4)
    kind = V.shape(variant).kind
    flow = F.gradient_flow(kind, CELLS[kind].init(2, 5, seed=4), xs)
    np.testing.assert_allclose(anatomy.reach, flow.dh_norm, rtol=1e-12)


@pytest.mark.parametrize("variant", ALL)
def test_the_summary_loss_is_a_unit_vector(variant):
    model = V.build(variant, 1, 6)
    assert np.linalg.norm(V.summary_gradient(model, 9)) == pytest.approx(1.0)


def test_a_bidirectional_layers_backward_cell_ends_at_step_1():
    xs = generate("sine", 40)
    bi = V.anatomy("bidirectional", xs, input_size=1, hidden_size=8)
    plain = V.anatomy(V.PLAIN, xs, input_size=1, hidden_size=8)
    assert bi.reach[0] >= 1 / np.sqrt(2) - 1e-12  # the backward half's loss is injected right there
    assert plain.reach[0] < F.VANISHED


def test_same_seed_shares_the_weights_the_page_says_it_shares():
    plain = V.build(V.PLAIN, 2, 4, seed=7).layers[0].fwd
    peep = V.build("peephole", 2, 4, seed=7).layers[0].fwd
    coupled = V.build("coupled", 2, 4, seed=7).layers[0].fwd
    for name, a in plain.arrays().items():
        np.testing.assert_array_equal(getattr(peep, name), a)
    for name in ("W_f", "W_c", "W_o", "b_f", "b_c", "b_o"):
        np.testing.assert_array_equal(getattr(coupled, name), getattr(plain, name))
    gru = V.build("gru", 2, 4, seed=7).layers[0].fwd
    for mine, lstms in (("W_r", "W_f"), ("W_z", "W_i"), ("W_n", "W_c")):
        np.testing.assert_array_equal(getattr(gru, mine), getattr(plain, lstms))
    assert not any(np.array_equal(getattr(gru, b), getattr(plain, c)) for b in ("b_r", "b_z", "b_in", "b_hn")
                   for c in ("b_f", "b_i", "b_c", "b_o"))


@pytest.mark.parametrize("variant", ("stacked", "bidirectional"))
def test_first_layer_forward_cell_is_the_plain_lstm(variant):
    xs = generate("square", 15, input_size=2)
    plain = V.anatomy(V.PLAIN, xs, input_size=2, hidden_size=3, seed=2)
    other = V.anatomy(variant, xs, input_size=2, hidden_size=3, seed=2)
    np.testing.assert_array_equal(other.cell_trace(0, 0)["h"], plain.cell_trace()["h"])


def test_backward_cell_trace_is_in_the_inputs_time_order():
    xs = generate("sine", 7)
    bi = V.anatomy("bidirectional", xs, input_size=1, hidden_size=2)
    np.testing.assert_array_equal(bi.cell_trace(0, 1)["h"], bi.trace.layer_outputs[0][:, 0, 2:])


@pytest.mark.parametrize("xs", [np.zeros((0, 1)), np.zeros((5, 2)), np.zeros(5)])
def test_anatomy_refuses_an_input_it_cannot_read(xs):
    with pytest.raises(ValueError, match="the input must be"):
        V.anatomy("gru", xs, input_size=1, hidden_size=3)


def test_unknown_variant_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="choose from peephole"):
        V.shape("lstm")
