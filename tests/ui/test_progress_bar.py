"""The run progress bars show whole percents counted in integers, so the bar agrees with its words."""
import pytest

from ui.training import panels


@pytest.mark.parametrize("done, total, percent", [(87, 300, 29), (0, 300, 0), (300, 300, 100),
                                                  (29, 100, 29), (1, 3, 33), (5, 0, 100), (400, 300, 100)])
def test_the_bar_is_the_whole_percent_done(monkeypatch, done, total, percent):
    drawn = []
    monkeypatch.setattr(panels.st, "progress", lambda value, text: drawn.append((value, text)))
    panels.progress_bar(done, total, "words")
    assert drawn == [(percent, "words")]


def test_the_float_route_would_be_a_percent_short():
    """Why the helper counts in integers: Streamlit's int(100 * value) of 87/300 is 28."""
    assert int(100 * (87 / 300)) == 28 and 100 * 87 // 300 == 29
