"""The gradients page: renders, every control at its extremes, presets, links, bad input."""
import pytest

from ui.gradients.lessons import GRAD_PRESETS
from ui.gradients.state import GradState

from pagekit import assert_clean, open_page

PAGE = "views/gradients.py"


def _state(at):
    return at.session_state["grad_state"]


@pytest.fixture
def grad_page():
    return open_page(PAGE)


def test_renders_at_defaults_with_four_cells(grad_page):
    at = grad_page
    assert_clean(at)
    assert at.title[0].value == "Vanishing & exploding gradients"
    assert len(at.metric) >= 4


@pytest.mark.parametrize("key, values", [
    ("g_scale", [0.1, 5.0, 10.0]), ("g_fbias", [-6.0, 0.0, 6.0]), ("g_H", [1, 16, 32]),
])
def test_sliders_at_min_middle_max(grad_page, key, values):
    at = grad_page
    for value in values:
        at.slider(key=key).set_value(value).run()
        assert_clean(at)


@pytest.mark.parametrize("preset", GRAD_PRESETS, ids=lambda p: p.name)
def test_each_preset_renders_and_says_its_lesson(grad_page, preset):
    at = grad_page
    at.selectbox(key="g_preset").set_value(preset.name).run()
    assert_clean(at)
    assert _state(at).preset == preset.name
    assert any(preset.name in i.value for i in at.info)


def test_max_scale_at_T_500_shows_exploded_not_an_exception():
    at = open_page(PAGE, {"scale": "10", "length": "500", "gen": "zeros", "biases": "0"})
    assert_clean(at)
    assert any("exploded" in w.value and "overflowed" in w.value for w in at.warning)
    assert any(m.value.startswith("∞") for m in at.metric)


def test_exploded_preset_names_the_step_where_it_passed_a_million(grad_page):
    at = grad_page
    at.selectbox(key="g_preset").set_value("Large recurrent weights explode").run()
    assert any("passed 10⁶ at step" in w.value for w in at.warning)


@pytest.mark.parametrize("view", ["Backward pass, animated", "Per-unit heatmaps", "Why: the factors", "Clipping"])
def test_every_view_renders_at_T_500(view):
    at = open_page(PAGE, {"length": "500", "H": "16", "clip": "1"})
    at.segmented_control(key="g_view").set_value(view).run()
    assert_clean(at)
    assert at.segmented_control(key="g_view").value == view


def test_clip_seed_biases_and_length_extremes(grad_page):
    at = grad_page
    at.number_input(key="g_clip").set_value(1e6).run()
    at.number_input(key="g_seed").set_value(4294967295).run()
    at.toggle(key="g_biases").set_value(False).run()
    for length in (1, 500):
        at.number_input(key="g_len").set_value(length).run()
        assert_clean(at)
    assert _state(at).clip == 1e6 and _state(at).biases == 0 and _state(at).length == 500


@pytest.mark.parametrize("text", ["1, x", "", "nan", ", ".join(["0"] * 501)])
def test_bad_typed_input_shows_an_error_and_keeps_the_last_good_input(grad_page, text):
    at = grad_page
    before = _state(at)
    at.text_area(key="g_text").input(text).run()
    at.button(key="g_apply").click().run()
    assert_clean(at)
    assert at.error and "last good input" in at.error[0].value
    assert _state(at) == before


def test_a_link_restores_the_page_and_a_broken_one_warns():
    at = open_page(PAGE, {"H": "4", "scale": "2.5", "forget_bias": "3", "clip": "2", "length": "60"})
    s = _state(at)
    assert (s.H, s.scale, s.forget_bias, s.clip, s.length) == (4, 2.5, 3.0, 2.0, 60)
    assert at.slider(key="g_scale").value == 2.5
    broken = open_page(PAGE, {"scale": "999"})
    assert_clean(broken)
    assert _state(broken) == GradState()
