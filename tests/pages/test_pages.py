"""Every page renders, every control reruns at its extremes, bad input keeps the last good state."""
import pytest

from ui.cell.lessons import PRESETS
from ui.cell.state import CellState

from pagekit import PAGES, assert_clean, open_page

CELL_PAGES = PAGES[1:]


@pytest.fixture
def cell_page():
    return open_page("views/inside_cell.py")


def _state(at):
    return at.session_state["cell_state"]


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_at_defaults_without_exception(page):
    at = open_page(page)
    assert_clean(at)
    assert at.title, "every page has a title"


@pytest.mark.parametrize("page", CELL_PAGES)
@pytest.mark.parametrize("key, values", [
    ("sb_H", [1, 2, 4]), ("sb_I", [1, 2, 3]), ("w_scale", [0.1, 2.5, 5.0]),
    ("w_fbias", [-6.0, 0.0, 6.0]), ("step_t", [1, 12, 24]),
])
def test_slider_at_min_middle_max_reruns_cleanly(page, key, values):
    at = open_page(page)
    for value in values:
        at.slider(key=key).set_value(value).run()
        assert_clean(at)


@pytest.mark.parametrize("page", CELL_PAGES)
def test_every_preset_and_generator_renders(page):
    at = open_page(page)
    for preset in PRESETS:
        at.selectbox(key="preset_pick").set_value(preset.name).run()
        assert_clean(at)
        assert _state(at).preset == preset.name and _state(at).H == 1
        assert _state(at).t == preset.step - 1 and at.slider(key="step_t").value == preset.step
    assert at.radio(key="seq_mode").value == "Type numbers", "a preset's input is shown as typed numbers"
    at.radio(key="seq_mode").set_value("Generate").run()
    for gen in ["sine", "step", "spike", "square", "random walk", "zeros"]:
        at.selectbox(key="seq_gen").set_value(gen).run()
        assert_clean(at)
        assert _state(at).gen == gen


@pytest.mark.parametrize("length", [1, 250, 500])
def test_sequence_length_from_one_to_five_hundred(length):
    at = open_page("views/through_time.py")
    at.number_input(key="seq_len").set_value(length).run()
    assert_clean(at)
    assert _state(at).sequence().shape[0] == length


def test_seed_and_step_buttons(cell_page):
    at = cell_page
    at.number_input(key="sb_seed").set_value(4294967295).run()
    assert_clean(at)
    at.button(key="step_fwd").click().run()
    at.button(key="step_fwd").click().run()
    assert _state(at).t == 2
    at.button(key="step_back").click().run()
    assert _state(at).t == 1


@pytest.mark.parametrize("text", ["1, two, 3", "", "nan", "1e999", ", ".join(["1"] * 501)])
def test_bad_sequence_text_shows_an_error_and_keeps_the_last_good_input(cell_page, text):
    at = cell_page
    before = _state(at)
    at.radio(key="seq_mode").set_value("Type numbers").run()
    at.text_area(key="seq_text").input(text).run()
    at.button(key="seq_apply").click().run()
    assert_clean(at)
    assert at.error and "last good sequence" in at.error[0].value
    assert _state(at) == before


def test_typed_sequence_is_used(cell_page):
    at = cell_page
    at.radio(key="seq_mode").set_value("Type numbers").run()
    at.text_area(key="seq_text").input("0, 1, 0.5, -1").run()
    at.button(key="seq_apply").click().run()
    assert_clean(at)
    assert _state(at).sequence()[:, 0].tolist() == [0, 1, 0.5, -1]


def test_a_shared_link_restores_the_view():
    query = {"H": "3", "I": "2", "seed": "5", "t": "4", "unit": "2", "gen": "square", "length": "30"}
    at = open_page("views/inside_cell.py", query)
    assert_clean(at)
    cell = _state(at)
    assert (cell.H, cell.I, cell.seed, cell.t, cell.unit, cell.gen, cell.length) == (3, 2, 5, 4, 2, "square", 30)
    assert at.slider(key="step_t").value == 5


def test_a_broken_link_warns_and_shows_defaults():
    at = open_page("views/home.py", {"H": "banana"})
    assert_clean(at)
    assert at.warning and "could not be opened" in at.warning[0].value
    assert _state(at) == CellState()


def test_changes_are_written_back_to_the_link(cell_page):
    at = cell_page
    at.slider(key="sb_H").set_value(3).run()
    assert at.query_params["H"] == ["3"] or at.query_params["H"] == "3"
