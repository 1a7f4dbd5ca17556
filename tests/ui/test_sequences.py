"""Typed sequences: good text parses exactly; bad text raises a message meant for the student."""
import numpy as np
import pytest

from ui.common.sequences import GENERATORS, MAX_STEPS, SequenceError, format_sequence, generate, parse_sequence


def test_commas_spaces_and_lines_parse_to_time_by_feature():
    xs = parse_sequence("1, 2 3\n-1,0.5,  7", 2)
    np.testing.assert_array_equal(xs, [[1, -1], [2, 0.5], [3, 7]])


@pytest.mark.parametrize("text, input_size, message", [
    ("", 1, "empty"), ("   \n ", 1, "empty"), ("1, two, 3", 1, "'two' is not a number"),
    ("1, nan", 1, "not a finite"), ("inf", 1, "not a finite"), ("1 2\n3", 2, "same number"),
    ("1 2", 2, "2 line"), (", ".join(["1"] * (MAX_STEPS + 1)), 1, "at most"), ("1e300", 1, "too large"),
])
def test_bad_text_is_rejected_with_a_clear_message(text, input_size, message):
    with pytest.raises(SequenceError, match=message):
        parse_sequence(text, input_size)


@pytest.mark.parametrize("kind", GENERATORS)
@pytest.mark.parametrize("length", [1, 7, MAX_STEPS])
def test_generators_make_the_asked_shape_and_print_back_exactly(kind, length):
    xs = generate(kind, length, input_size=2, seed=3)
    assert xs.shape == (length, 2) and np.all(np.isfinite(xs))
    np.testing.assert_array_equal(parse_sequence(format_sequence(xs), 2), xs)


def test_generator_limits_are_enforced():
    with pytest.raises(SequenceError):
        generate("sine", 0)
    with pytest.raises(SequenceError):
        generate("sine", MAX_STEPS + 1)
    with pytest.raises(SequenceError):
        generate("noise", 5)
