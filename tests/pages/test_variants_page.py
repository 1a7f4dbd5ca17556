"""The Variants page in AppTest: every variant opens cleanly beside the plain LSTM, the counts it
prints are the engine's arrays', the link carries its state, and bad input gets a message."""
import json

import pytest

from lstm_core import variants as V
from tests.pages.pagekit import assert_clean, errors, open_page, warnings
from ui.variants.lessons import PRESETS

PAGE = "views/variants.py"


def printed_counts(at):
    """The page's parameter counts, plain LSTM's first: ints read from its metrics."""
    return [int(m.value.replace(",", "")) for m in at.metric if m.label == "Parameters"]


@pytest.mark.parametrize("variant", V.VARIANTS)
def test_each_variant_opens_and_prints_the_size_of_its_arrays(variant):
    at = open_page(PAGE, {"variant": variant, "H": "5", "I": "2"})
    assert_clean(at)
    sizes = [sum(a.size for a in V.build(v, 2, 5).arrays().values()) for v in (V.PLAIN, variant)]
    assert printed_counts(at) == sizes
    assert [m.value for m in at.metric if m.label == "Multiply-adds per step"] == [
        f"{V.multiply_adds(v, 2, 5):,}" for v in (V.PLAIN, variant)]


def test_default_page_draws_equations_cells_lines_reach_and_the_race():
    at = open_page(PAGE)
    assert_clean(at)
    assert printed_counts(at) == [320, 344]
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert titles[:3] == ["peephole LSTM — step 24 of 24, unit 1", "Gates and states at every step — unit 1",
                          "How much of the gradient reaches step t"]  # only the open tab's cell is drawn
    assert any("p_f" in latex.value for latex in at.latex)
    assert any("race" in h.value.lower() for h in at.subheader)


def test_moving_the_step_writes_the_link_and_keeps_the_counts():
    at = open_page(PAGE)
    at.slider(key="va_t").set_value(5).run()
    assert_clean(at)
    assert at.query_params["t"] == "5"
    at.segmented_control(key="va_variant").set_value("gru").run()
    assert at.query_params["variant"] == "gru" and printed_counts(at) == [320, 248]


def test_a_broken_link_says_why_and_shows_the_defaults():
    at = open_page(PAGE, {"variant": "lstm9", "H": "3"})
    assert_clean(at)
    assert any("could not be opened" in w for w in warnings(at))
    assert printed_counts(at) == [320, 344]


def test_typed_text_that_is_not_numbers_is_refused_and_the_input_kept():
    at = open_page(PAGE, {"length": "6"})
    at.text_area(key="va_text").set_value("1, 2, banana").run()
    at.button(key="va_apply").click().run()
    assert_clean(at)
    assert any("banana" in e and "last good input" in e for e in errors(at))
    assert "xs" not in at.query_params


def reopened(at):
    """The page opened afresh from the link `at` shows."""
    return open_page(PAGE, {key: at.query_params[key] for key in at.query_params})


def test_typed_input_longer_than_the_page_shows_is_refused_and_its_link_still_opens():
    at = open_page(PAGE, {"length": "6", "variant": "gru"})
    at.text_area(key="va_text").set_value(", ".join(str(k % 7) for k in range(200))).run()
    at.button(key="va_apply").click().run()
    assert_clean(at)
    assert any("200 steps" in e and "at most 60" in e and "last good input" in e for e in errors(at))
    assert "xs" not in at.query_params and at.number_input(key="va_len").value == 6
    again = reopened(at)
    assert_clean(again)
    assert not warnings(again) and again.number_input(key="va_len").value == 6


def test_typed_input_of_the_longest_length_is_used_and_its_link_opens():
    at = open_page(PAGE, {"I": "2"})
    at.text_area(key="va_text").set_value("\n".join(", ".join(["0.5"] * 60) for _ in range(2))).run()
    at.button(key="va_apply").click().run()
    assert_clean(at)
    assert at.query_params["gen"] == "typed" and at.number_input(key="va_len").value == 60
    again = reopened(at)
    assert_clean(again)
    assert not warnings(again) and again.number_input(key="va_len").value == 60


def test_typed_numbers_are_used_by_both_models():
    at = open_page(PAGE)
    at.text_area(key="va_text").set_value("0.5, -1, 2").run()
    at.button(key="va_apply").click().run()
    assert_clean(at)
    assert at.query_params["gen"] == "typed" and at.query_params["xs"] == "0.5,-1,2"


def in_order(node, out=None):
    """The page's elements top to bottom as (type, key), expanders and columns opened in place."""
    out = [] if out is None else out
    children = getattr(node, "children", None)
    if isinstance(children, dict) and children:
        for k in sorted(children):
            in_order(children[k], out)
    else:
        out.append((node.type, getattr(node, "key", None)))
    return out


def above_the_picker(at):
    """What the page draws above the Variant picker, and what comes right under it."""
    elements = in_order(at.main)
    k = elements.index(("button_group", "va_variant"))
    return elements[:k], elements[k + 1]


def test_clicking_a_variant_or_a_lesson_never_moves_the_picker_under_the_cursor():
    at = open_page(PAGE)
    first = above_the_picker(at)
    assert first[1] == ("selectbox", "va_preset")  # the lesson's sentence comes under both
    with_lesson = set()
    for variant in V.VARIANTS:  # the default states of some variants are lessons: their sentence shows up
        at.segmented_control(key="va_variant").set_value(variant).run()
        assert_clean(at)
        assert above_the_picker(at) == first, variant
        if any(i.value.startswith(f"**{lesson.name}") for i in at.info for lesson in PRESETS):
            with_lesson.add(variant)
    assert {"gru", "coupled", "stacked"} <= with_lesson
    at.selectbox(key="va_preset").select(PRESETS[1].name).run()
    assert above_the_picker(at) == first


def test_a_lesson_sets_its_variant_and_says_its_claim():
    at = open_page(PAGE)
    lesson = PRESETS[0]
    at.selectbox(key="va_preset").select(lesson.name).run()
    assert_clean(at)
    assert any(lesson.lesson[:40] in i.value for i in at.info)
    assert printed_counts(at) == [320, 248]


def test_large_fonts_and_one_step_inputs_draw_cleanly():
    at = open_page(PAGE, {"large": "1", "length": "1", "variant": "bidirectional", "H": "1"})
    assert_clean(at)
    assert printed_counts(at) == [V.param_count(v, 1, 1) for v in (V.PLAIN, "bidirectional")]


@pytest.mark.parametrize("variant", ("gru", "bidirectional", "stacked"))
def test_the_largest_settings_draw_cleanly(variant):
    at = open_page(PAGE, {"variant": variant, "H": "16", "I": "4", "length": "60", "t": "60", "unit": "16",
                          "gen": "random walk"})
    assert_clean(at)
    assert printed_counts(at) == [V.param_count(v, 4, 16) for v in (V.PLAIN, variant)]


def test_presentation_mode_keeps_the_lessons_and_steps_and_hides_the_model_settings():
    at = open_page(PAGE, {"present": "1", "variant": "coupled"})
    assert_clean(at)
    keys = {w.key for kind in ("selectbox", "slider", "number_input") for w in at.get(kind)}
    assert {"va_preset", "va_t", "va_unit"} <= keys and "va_H" not in keys
    assert printed_counts(at) == [320, 240]
