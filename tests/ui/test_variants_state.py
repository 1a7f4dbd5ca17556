"""The Variants page's link: every field out of its range or choices is refused by name, a typed
input must fit its length and width, and a state survives the round trip."""
import dataclasses

import numpy as np
import pytest

from tests.pages.pagekit import outside_values
from ui.common import link
from ui.variants import state as VS
from ui.variants.lessons import PRESETS

FIELDS = [f for f in dataclasses.fields(VS.VariantsState) if outside_values(f)]


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_a_value_outside_a_fields_range_is_refused_by_name(field):
    for text in outside_values(field):
        with pytest.raises(ValueError, match=f"'{field.name}'"):
            VS.from_query({field.name: text})


@pytest.mark.parametrize("query,words", [
    ({"gen": "typed"}, "exactly when"),
    ({"xs": "1,2"}, "exactly when"),
    ({"gen": "typed", "xs": "1,2,3", "length": "2"}, "need 2"),
    ({"gen": "typed", "xs": "1,2,3", "length": "3", "I": "2"}, "need 6"),
    ({"seed": "1.5"}, "'seed' is not valid"),
    ({"colour": "red"}, "not a setting"),
])
def test_a_link_whose_parts_do_not_fit_says_which(query, words):
    with pytest.raises(ValueError, match=words):
        VS.from_query(query)


@pytest.mark.parametrize("state", [lesson.state() for lesson in PRESETS] + [
    VS.VariantsState(I=2, H=3).with_sequence(np.array([[0.5, -1.0], [2.0, 0.25]]))], ids=str)
def test_a_state_survives_its_link(state):
    assert VS.from_query(link.to_query(state)) == state


def test_a_typed_input_is_kept_only_while_its_width_fits():
    typed = VS.VariantsState().with_sequence(np.array([[1.0], [2.0]]))
    assert VS.resized(typed, H=4).xs == (1.0, 2.0)
    wider = VS.resized(typed, I=2)
    assert wider.xs is None and wider.gen == "sine" and wider.sequence().shape == (2, 2)


def test_a_typed_input_longer_than_the_page_shows_is_refused():
    with pytest.raises(ValueError, match=f"61 steps.*at most {VS.MAX_LENGTH}"):
        VS.VariantsState().with_sequence(np.zeros((VS.MAX_LENGTH + 1, 1)))
    longest = VS.VariantsState(I=2).with_sequence(np.zeros((VS.MAX_LENGTH, 2)))
    assert VS.from_query(link.to_query(longest)) == longest
