"""Gradient sizes are written one way, for reading aloud, on the page and in every chart."""
import numpy as np
import pytest

from ui.gradients import figures as gf
from ui.gradients.axes import quiet_end, sci_array


@pytest.mark.parametrize("value, words", [(0.0806, "0.0806"), (27.3, "27.3"), (1.31e176, "1.31 × 10¹⁷⁶"),
                                          (2.5e-28, "2.50 × 10⁻²⁸"), (np.inf, "∞ (overflowed)"),
                                          (np.nan, "∞ (overflowed)"), (0.0, "0 (underflowed)"),
                                          (0.5, "0.5"), (1234.5, "1.23 × 10³"), (999.6, "1.00 × 10³"),
                                          (0.001, "0.001"), (5e-324, "4.94 × 10⁻³²⁴"), (-3e7, "−3.00 × 10⁷")])
def test_numbers_are_written_for_reading_aloud(value, words):
    assert gf.sci(value) == words


def _reference_sci(x):
    """sci written from Python's own formatting: 3 significant digits, × 10ⁿ outside 0.001..999."""
    if not np.isfinite(x):
        return "∞ (overflowed)"
    if x == 0:
        return "0 (underflowed)"
    mantissa, exponent = f"{x:.2e}".split("e")
    power = str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    words = f"{x:.3g}" if -3 <= int(exponent) <= 2 else f"{mantissa} × 10{power}"
    return words.replace("-", "−")


def test_sci_array_writes_every_float_as_pythons_formatting_does():
    rng = np.random.default_rng(5)
    with np.errstate(over="ignore"):
        v = rng.uniform(1, 10, 4000) * 10.0 ** rng.integers(-324, 309, 4000) * rng.choice([-1, 1], 4000)
    v = np.concatenate([v, [0.0, np.inf, -np.inf, np.nan, 5e-324, 1.7976931348623157e308, 999.4, 0.00099]])
    assert list(sci_array(v)) == [_reference_sci(x) for x in v]
    assert sci_array(v.reshape(2, -1)).shape == (2, v.size // 2)


def test_the_page_and_the_charts_write_numbers_alike():
    from ui.gradients.backward import sci_array as animation_sci
    assert animation_sci is sci_array and gf.sci(1.7e177) == "1.70 × 10¹⁷⁷"


def test_the_exploded_label_goes_to_the_end_no_line_crosses():
    low = 10.0 ** np.linspace(-20, 0, 100)  # far under 10⁶ everywhere
    at_left = 10.0 ** np.linspace(7, 0, 100)  # just above 10⁶ at the left end
    at_right = 10.0 ** np.linspace(-30, 6.3, 100)  # just above 10⁶ at the right end
    box = dict(lo=-30, hi=12, at=36 / 42, line=0.05)  # 10⁶ sits at 36 of 42 decades
    assert quiet_end([low, at_left], **box) == "end"
    assert quiet_end([low, at_right], **box) == "start"
    assert quiet_end([low], **box) == "start"  # a tie: the left, where a reader starts
