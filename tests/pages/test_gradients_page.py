"""The gradients page: renders, every control at its extremes, presets, links, bad input."""
import pytest

from lstm_core import flow as F
from ui.common import link
from ui.gradients.controls import VIEW_LABELS
from ui.gradients.lessons import BY_NAME, GRAD_PRESETS, OLD_NAMES
from ui.gradients.panels import memory_words
from ui.gradients.state import GradState, memory, status

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


def test_exploded_preset_counts_the_steps_back_from_the_loss(grad_page):
    at = grad_page
    at.selectbox(key="g_preset").set_value("Large recurrent weights explode").run()
    tanh = _state(at).flows()["rnn_tanh"]
    T, above = len(tanh.dh_norm), F.last_step_above(tanh.dh_norm)
    words = f"passed 10⁶ {T - 1 - above} steps back from the loss at step {T} (at step {above + 1})"
    assert any(w.value.startswith("**tanh RNN: exploded.**") and words in w.value for w in at.warning)


@pytest.mark.parametrize("preset", GRAD_PRESETS, ids=lambda p: p.name)
def test_each_preset_opens_the_view_that_makes_its_point(grad_page, preset):
    at = grad_page
    at.selectbox(key="g_preset").set_value(preset.name).run()
    assert at.segmented_control(key="g_view").value == VIEW_LABELS[preset.state().view]
    assert not at.expander[0].proto.expanded, "under a lesson the primer is folded, out of the way"


def test_with_clipping_on_one_note_says_what_clipping_does_and_does_not_change():
    at = open_page(PAGE, link.to_query(BY_NAME["Clipping caps the update, not the gradient"].state()))
    assert_clean(at)
    assert not at.warning, "the per-step explosion is in the note, not in three warnings"
    (note,) = [i.value for i in at.info if "does not stop the explosion" in i.value]
    flows = _state(at).flows()
    back = {k: len(f.dh_norm) - 1 - F.last_step_above(f.dh_norm) for k, f in flows.items() if k != "rnn_sigmoid"}
    assert (f"still passes 10⁶ (tanh RNN {back['rnn_tanh']}, LSTM {back['lstm']}, GRU {back['gru']} steps back "
            "from the loss at step 200)") in note
    assert "at most lr × 1" in note and "global norm" in note


def test_an_overflowed_gradient_under_clipping_says_its_update_is_dropped():
    at = open_page(PAGE, {"scale": "10", "length": "500", "gen": "zeros", "biases": "0", "clip": "1"})
    (note,) = [i.value for i in at.info if "does not stop the explosion" in i.value]
    assert "clipping drops the update of the tanh RNN" in note


def test_the_page_states_its_thresholds_and_the_lstm_numbers_behind_its_word(grad_page):
    at = grad_page
    captions = [c.value for c in at.caption]
    assert any("**vanished**: less than 10⁻³ of the last step's gradient reaches step 1" in c
               and "**exploded**: more than 10⁶" in c for c in captions)
    assert memory_words(GradState().flows()["lstm"], "vanished") in captions
    assert not any("the gates" in c for c in captions), "vanished, and so is the cell path's ∏ f"
    assert at.expander[0].label.startswith("New here? Loss, gradient") and at.expander[0].proto.expanded


def test_where_the_cell_path_alone_would_vanish_but_the_lstm_exploded_the_page_says_why():
    lesson = BY_NAME["Large recurrent weights explode"]
    at = open_page(PAGE, link.to_query(lesson.state()))
    flow = lesson.state().flows()["lstm"]
    assert memory(flow).kept < F.VANISHED and status(flow)[0] == "exploded"
    assert any(c.value.endswith("the rest comes back through the gates (the h path)") for c in at.caption)


def test_where_a_large_forget_bias_saturates_the_cell_the_page_says_why_it_vanished():
    at = open_page(PAGE, {"forget_bias": "6", "length": "200"})
    flow = _state(at).flows()["lstm"]
    assert memory(flow).kept >= F.VANISHED and status(flow)[0] == "vanished"
    assert any("but little enters it: ‖∂L/∂C_T‖ =" in c.value and "tanh(C_T) is flat" in c.value
               for c in at.caption)


def test_a_link_opens_the_view_it_names():
    at = open_page(PAGE, {"view": "clipping", "clip": "2"})
    assert at.segmented_control(key="g_view").value == "Clipping"
    at.segmented_control(key="g_view").set_value("Per-unit heatmaps").run()
    assert _state(at).view == "heatmaps"


@pytest.mark.parametrize("old", OLD_NAMES)
def test_an_old_lessons_link_opens_todays_lesson(old):
    at = open_page(PAGE, {"preset": old})
    assert_clean(at)
    assert _state(at) == BY_NAME[OLD_NAMES[old]].state()
    assert any(OLD_NAMES[old] in i.value for i in at.info)


def test_a_link_with_an_unknown_lesson_says_so_and_shows_the_defaults():
    at = open_page(PAGE, {"preset": "Gradients are magic"})
    assert_clean(at)
    assert any("is not one of this page's lessons" in w.value for w in at.warning)
    assert _state(at) == GradState()


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
