"""The cell pages' state: exact link round trips, and bad links rejected with a reason."""
import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ui.cell import state as S
from ui.cell.lessons import PRESETS


def test_default_state_has_an_empty_link():
    assert S.to_query(S.CellState()) == {}


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_preset_state_round_trips_through_the_link(preset):
    cell = S.apply_preset(S.CellState(), preset)
    back = S.from_query(S.to_query(cell))
    assert back == cell
    np.testing.assert_array_equal(back.params().W_f, preset.params().W_f)
    np.testing.assert_array_equal(back.sequence(), preset.sequence())


@settings(max_examples=40, deadline=None)
@given(H=st.integers(1, 4), I=st.integers(1, 3), seed=st.integers(0, 2**32 - 1),
       delta=st.floats(-50, 50, allow_nan=False), t=st.integers(0, 30))
def test_edited_weights_round_trip_exactly(H, I, seed, delta, t):
    cell = dataclasses.replace(S.CellState(), H=H, I=I, seed=seed, t=t)
    p = cell.params()
    cell = cell.with_params(p.replace(W_o=p.W_o + delta / 7))
    back = S.from_query(S.to_query(cell))
    assert back == cell.clamp()
    np.testing.assert_array_equal(back.params().W_o, cell.params().W_o)


def test_seeded_weights_are_left_out_of_the_link():
    cell = dataclasses.replace(S.CellState(), seed=7)
    assert cell.with_params(cell.params()).weights is None
    assert "weights" not in S.to_query(cell)


@pytest.mark.parametrize("query", [
    {"H": "9"}, {"H": "two"}, {"I": "0"}, {"gen": "noise"}, {"weights": "1,2,3"},
    {"weights": "nan," * 23 + "1"}, {"xs": "1,x"}, {"length": "0"}, {"seed": "-1"},
    {"scale": "inf"}, {"I": "2", "xs": "1,2,3"}, {"t": "999"}, {"unit": "-1"}, {"scale": "0"},
    {"forget_bias": "100"}, {"gen": "typed"}, {"xs": "1,2"}, {"preset": "nope"}, {"colour": "red"},
])
def test_bad_links_raise_a_readable_error(query):
    with pytest.raises(ValueError, match="link"):
        S.from_query(query)


def test_cursor_from_a_link_is_clamped_into_the_sequence():
    cell = S.from_query({"t": "400", "length": "10", "unit": "3"})
    assert cell.t == 9 and cell.unit == S.CellState().H - 1


def test_resize_keeps_a_typed_input_only_when_its_width_still_fits():
    typed = S.CellState().with_sequence(np.ones((5, 1)))
    assert S.resize(typed, 3, 1).xs == typed.xs
    wider = S.resize(typed, 3, 2)
    assert wider.xs is None and wider.gen == "sine" and wider.sequence().shape == (5, 2)


def test_rescale_multiplies_weights_and_leaves_biases():
    cell = S.CellState()
    edited = cell.with_params(cell.params().replace(b_i=np.array([0.5, -0.5])))
    scaled = S.rescale(edited, 2.0)
    np.testing.assert_allclose(scaled.params().W_c, 2 * edited.params().W_c)
    np.testing.assert_array_equal(scaled.params().b_i, edited.params().b_i)


def test_forget_bias_sets_every_unit():
    cell = S.set_forget_bias(dataclasses.replace(S.CellState(), H=3), -2.5)
    np.testing.assert_array_equal(cell.params().b_f, [-2.5] * 3)


def test_json_export_import_round_trips_and_rejects_bad_files():
    p = S.CellState().params()
    back = S.params_from_json(S.params_to_json(p))
    np.testing.assert_array_equal(back.W_c, p.W_c)
    for bad in ["{", "[]", '{"kind": "GRUParams"}', '{"W_f": "x"}', S.params_to_json(p).replace("0.", "1e999*", 1)]:
        with pytest.raises(ValueError):
            S.params_from_json(bad)


@pytest.mark.parametrize("bad", [
    lambda d: {k: v for k, v in d.items() if k != "W_i"}, lambda d: {}, lambda d: {"kind": "LSTMParams"},
    lambda d: {**d, "b_i": [500.0] * len(d["b_i"])},
])
def test_incomplete_or_out_of_range_weight_files_are_rejected(bad):
    import json
    d = json.loads(S.params_to_json(S.CellState().params()))
    with pytest.raises(ValueError):
        S.params_from_json(json.dumps(bad(d)))


def test_deeply_nested_json_is_rejected_not_a_crash():
    with pytest.raises(ValueError, match="nested"):
        S.params_from_json("[" * 100000 + "]" * 100000)


def test_links_with_weights_beyond_the_table_limit_are_rejected():
    cell = S.CellState()
    big = cell.with_params(cell.params().replace(b_i=np.array([500.0, 0.0])))
    with pytest.raises(ValueError, match="within"):
        S.from_query(S.to_query(big))


def test_rescaling_an_edited_weight_keeps_it_within_the_limit_so_the_link_still_opens():
    cell = S.CellState()
    edited = cell.with_params(cell.params().replace(W_f=np.full((2, 3), 90.0)))
    scaled = S.rescale(edited, 5.0)
    assert np.abs(scaled.params().W_f).max() == S.WEIGHT_LIMIT
    assert S.from_query(S.to_query(scaled)) == scaled


def _trained(task="adding"):
    """A state as the Training lab hands it over: weights of its own, then `source` set."""
    cell = S.CellState()
    p = cell.params()
    return dataclasses.replace(cell.with_params(p.replace(W_f=p.W_f + 0.25)), source=task)


def test_source_is_empty_by_default_and_names_only_a_training_task():
    assert S.CellState().source == ""
    trained = _trained()
    assert S.from_query(S.to_query(trained)) == trained
    with pytest.raises(ValueError, match="source"):
        S.from_query({"source": "chess"})


def test_a_link_naming_a_trained_model_without_its_weights_is_refused():
    with pytest.raises(ValueError, match="source"):
        S.from_query({"source": "adding"})


@pytest.mark.parametrize("route", [
    lambda c: c.with_params(c.params().replace(b_o=c.params().b_o + 1)),  # a table edit, a file
    lambda c: S.resize(c, 3, 1), lambda c: S.reseed(c, 9), lambda c: S.rescale(c, 2.0),
    lambda c: S.set_forget_bias(c, -2.0), lambda c: S.apply_preset(c, PRESETS[0]),
], ids=["edit", "resize", "reseed", "rescale", "forget_bias", "preset"])
def test_any_other_change_of_the_weights_clears_the_trained_source(route):
    changed = route(_trained())
    assert changed.weights != _trained().weights and changed.source == ""


def test_moving_the_cursor_or_the_unit_keeps_the_trained_source():
    trained = _trained()
    assert dataclasses.replace(trained, t=5, unit=1).source == "adding"


def test_a_short_link_naming_a_preset_opens_its_weights_on_its_step():
    preset = PRESETS[3]
    opened = S.from_query({"preset": preset.name, "large": "1"})
    assert opened == S.apply_preset(dataclasses.replace(S.CellState(), large=1), preset)
    assert opened.t == preset.step - 1
    assert S.from_query({"preset": preset.name, "t": "0"}).t == 0
