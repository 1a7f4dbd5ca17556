"""Every link parser and text parser either gives a usable value or raises ValueError, whatever it reads.

A link is any dict of str -> str: hostile values (0, -1, 1000, 1e309, NaN, words, empty, 40 digits,
emoji) on every key a page reads, unknown keys, and valid values mixed in. Whatever from_query
accepts is within every widget's range and round-trips through to_query; typed sequences and
weight files never reach the engine unless they are finite, in range and of the right shape.
"""
import dataclasses
import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ui.cell import state as S
from ui.cell.lessons import PRESETS
from ui.common import link
from ui.common.sequences import MAX_ABS, MAX_STEPS, SequenceError, format_sequence, parse_sequence
from ui.gradients import state as G
from ui.gradients.lessons import GRAD_PRESETS
from ui.training import state as TS
from ui.training.lessons import TRAIN_PRESETS

HOSTILE = ["0", "-1", "1000", "1e309", "-1e309", "nan", "NaN", "inf", "text", "", "9" * 40, "😀",
           "1,2", "0x10", "1_0", "١٢", " 1", "+", ".", "1e-400", "typed", "True"]
PARSERS = {"cell": (S.CellState, S.from_query), "gradients": (G.GradState, G.from_query),
           "training": (TS.TrainState, TS.from_query)}
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _valid_texts(cls, f):
    """Texts a link may hold for field f: its range's ends and middle, its choices, a few tuples."""
    meta = f.metadata
    if "choices" in meta:
        return st.sampled_from(meta["choices"])
    if "range" in meta:
        low, high = meta["range"]
        if f.type is tuple:
            return st.lists(st.floats(low, high), min_size=1, max_size=30).map(
                lambda vs: link._encode(tuple(vs)))
        if f.type is int:
            return st.integers(int(low), int(high)).map(str)
        return st.floats(low, high).map(link._short)
    return st.sampled_from([str(getattr(cls(), f.name)), "lstm", "rnn,gru", "rnn_tanh,lstm,gru"])


def _queries(cls, hostile):
    """Dicts of str -> str over the fields of cls: values each field may hold, and if `hostile`
    also hostile values, arbitrary text and keys no page reads."""
    fields = dataclasses.fields(cls)

    @st.composite
    def query(draw):
        q = {}
        for f in draw(st.lists(st.sampled_from(fields), unique_by=lambda f: f.name, max_size=6)):
            values = [_valid_texts(cls, f)] + ([st.sampled_from(HOSTILE), st.text(max_size=12)] if hostile else [])
            q[f.name] = draw(st.one_of(*values))
        if hostile and draw(st.integers(0, 9)) == 0:  # now and then a key no page reads, or Streamlit's own
            q[draw(st.sampled_from(["embed", "colour", "😀", "", "h"]))] = draw(st.sampled_from(HOSTILE))
        return q
    return query()


def _widget_values_fit(state):
    """What each page hands its widgets lies inside the widgets' ranges and options."""
    for f in dataclasses.fields(state):
        value = getattr(state, f.name)
        if "range" in f.metadata and f.type in (int, float):
            kw = link.limits(state, f.name)
            assert kw["min_value"] <= value <= kw["max_value"], f.name
        if "choices" in f.metadata:
            assert value in link.options(state, f.name), f.name
    if hasattr(state, "sequence"):
        T = len(state.sequence())
        kw = link.limits(state, "length")
        assert kw["min_value"] <= T <= kw["max_value"]
        assert np.all(np.isfinite(state.sequence()))
    if isinstance(state, S.CellState):
        assert 0 <= state.t < T and 0 <= state.unit < state.H  # the step slider 1..T, units 1..H
    if isinstance(state, TS.TrainState):
        assert state.kind_list() and set(state.kind_list()) <= set(TS.MODEL_CHOICES)
        TS.config(state)


@pytest.mark.parametrize("hostile", [True, False], ids=["hostile", "in-range"])
@pytest.mark.parametrize("page", PARSERS)
def test_any_link_gives_a_valid_state_that_round_trips_or_a_value_error(page, hostile):
    cls, from_query = PARSERS[page]

    @FAST
    @given(query=_queries(cls, hostile))
    def check(query):
        try:
            state = from_query(query)
        except ValueError as err:
            assert "link" in str(err)
            return
        _widget_values_fit(state)
        assert from_query(link.to_query(state)) == state

    check()


@pytest.mark.parametrize("page", PARSERS)
@pytest.mark.parametrize("key", ["embed", "embed_options"])
def test_streamlits_own_query_keys_are_allowed_in_any_link(page, key):
    cls, from_query = PARSERS[page]
    assert from_query({key: "true"}) == cls()


@pytest.mark.parametrize("page", PARSERS)
def test_every_hostile_value_on_every_key_is_refused_or_valid(page):
    """The full cross product, on the pure parser: no exception but ValueError, ever."""
    cls, from_query = PARSERS[page]
    for f in dataclasses.fields(cls):
        for value in HOSTILE:
            try:
                state = from_query({f.name: value})
            except ValueError:
                continue
            _widget_values_fit(state)


@pytest.mark.parametrize("presets, from_query", [(None, S.from_query), (GRAD_PRESETS, G.from_query),
                                                  (TRAIN_PRESETS, TS.from_query)])
def test_every_preset_is_inside_the_widget_ranges_and_round_trips(presets, from_query):
    states = ([S.apply_preset(S.CellState(), p) for p in PRESETS] if presets is None
              else [p.state() for p in presets])
    for state in states:
        _widget_values_fit(state)
        assert from_query(link.to_query(state)) == state


@pytest.mark.parametrize("cls", [S.CellState, G.GradState, TS.TrainState])
def test_the_defaults_are_inside_their_own_ranges(cls):
    link.check(cls())
    _widget_values_fit(cls())


def test_range_ends_are_typed_like_the_field_for_the_widgets():
    """st.number_input refuses a float value with int limits and the other way round."""
    for cls in (S.CellState, G.GradState, TS.TrainState):
        for f in dataclasses.fields(cls):
            if "range" in f.metadata and f.type in (int, float):
                assert all(type(v) is f.type for v in link.limits(cls, f.name).values()), f.name


# --- typed sequences -------------------------------------------------------------------------

SEPARATORS = st.sampled_from([",", " ", ";", ", ", "\t", ",,", ";;"])
TOKENS = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr), st.sampled_from(HOSTILE),
                   st.integers(-10**40, 10**40).map(str), st.text(max_size=4))


@st.composite
def typed_text(draw):
    lines = draw(st.lists(st.lists(TOKENS, max_size=8), max_size=4))
    sep = draw(SEPARATORS)
    return "\n".join(sep.join(line) for line in lines)


@FAST
@given(text=st.one_of(typed_text(), st.text(max_size=60)), input_size=st.integers(1, 3))
def test_typed_text_is_a_finite_in_range_sequence_or_a_sequence_error(text, input_size):
    try:
        xs = parse_sequence(text, input_size)
    except SequenceError as err:
        assert str(err)
        return
    assert xs.dtype == np.float64 and xs.ndim == 2 and xs.shape[1] == input_size
    assert 1 <= xs.shape[0] <= MAX_STEPS
    assert np.all(np.isfinite(xs)) and np.all(np.abs(xs) <= MAX_ABS)


@pytest.mark.parametrize("text", [";;;;;;;;", ",", " , ; ", "\n\n", "", "nan", "inf", "-inf", "1e309",
                                  "1e7", "x", "😀", ", ".join(["1"] * (MAX_STEPS + 1)), "1" * 200_000])
def test_hostile_typed_text_is_refused_with_a_sentence(text):
    with pytest.raises(SequenceError):
        parse_sequence(text, 1)


@FAST
@given(xs=st.lists(st.lists(st.floats(-MAX_ABS, MAX_ABS), min_size=2, max_size=2), min_size=1, max_size=40))
def test_formatted_sequences_parse_back_exactly(xs):
    xs = np.array(xs)
    np.testing.assert_array_equal(parse_sequence(format_sequence(xs), 2), xs)


# --- weight files ----------------------------------------------------------------------------

def _good_weights():
    return json.loads(S.params_to_json(S.CellState().params()))


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.text(max_size=5),
              st.floats(allow_nan=True, allow_infinity=True)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=12)


@st.composite
def weight_files(draw):
    """JSON text: good weights with some entries replaced, or arbitrary JSON, or broken text."""
    kind = draw(st.integers(0, 2))
    if kind == 0:
        d = _good_weights()
        for key in draw(st.lists(st.sampled_from(sorted(d) + ["extra"]), max_size=3)):
            d[key] = draw(JSON_VALUES)
        return json.dumps(d)  # allows NaN / Infinity, as a hand-edited file might
    if kind == 1:
        return json.dumps(draw(JSON_VALUES))
    return draw(st.text(max_size=40))


@FAST
@given(text=weight_files())
def test_any_weight_file_gives_valid_params_or_a_value_error(text):
    try:
        params = S.params_from_json(text)
    except ValueError as err:
        assert str(err)
        return
    assert 1 <= params.hidden_size <= S.MAX_HIDDEN and 1 <= params.input_size <= S.MAX_INPUT
    flat = S.flatten_params(params)
    assert np.all(np.isfinite(flat)) and np.all(np.abs(flat) <= S.WEIGHT_LIMIT)
    cell = S.resize(S.CellState(), params.hidden_size, params.input_size).with_params(params)
    assert S.from_query(link.to_query(cell)) == cell  # what a file loads travels in a link


@pytest.mark.parametrize("mutate", [
    lambda d: d.update(W_f=[[math.nan] * len(d["W_f"][0])] * len(d["W_f"])),
    lambda d: d.update(W_f=[[1e300] * len(d["W_f"][0])] * len(d["W_f"])),
    lambda d: d.update(W_f=[[1.0]]), lambda d: d.update(b_f=[1.0] * 9), lambda d: d.update(W_o="1"),
    lambda d: d.update(b_o=[[[[1]]]]), lambda d: d.update(kind="GRUParams"),
], ids=["nan", "huge", "wrong-shape", "wrong-length", "text", "too-deep", "other-kind"])
def test_broken_weight_files_are_refused_with_a_reason(mutate):
    d = _good_weights()
    mutate(d)
    with pytest.raises(ValueError):
        S.params_from_json(json.dumps(d))


@pytest.mark.parametrize("text", ["{", "", "😀", "1" * 5000, "[" * 5000 + "]" * 5000, "null", "NaN",
                                  " " * 300_000])
def test_text_that_is_not_weights_is_refused_with_a_reason(text):
    with pytest.raises(ValueError):
        S.params_from_json(text)
