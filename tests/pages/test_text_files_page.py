"""The cell pages opened on a text model's first layer (as "Open it in Inside the cell" leaves
them), and the Writing-text page's files section, through AppTest."""
import pytest
from streamlit.testing.v1 import AppTest

from lstm_core import text as lt
from pagekit import APP, assert_clean
from ui.cell import state as S
from ui.text import cell_open
from ui.text.corpora import CORPORA

ZEN = CORPORA["zen"][1]()


@pytest.fixture(scope="module")
def text_cell():
    """Layer 0 of a 16-unit one-hot model on the window ending at character 121 of the Zen."""
    config = lt.TextConfig(units=16, steps=20, report_every=20)
    model, _ = lt.fit(ZEN, config)
    return cell_open.text_cell(model, lt.vocabulary(ZEN), config, ZEN, 120, unit=3)


def opened(page, cell):
    """The app at `page` with `cell` in the session, as the open buttons leave it."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["cell_state"] = cell
    at.run()
    at.switch_page(page)
    return at.run()


@pytest.mark.parametrize("page", ["views/inside_cell.py", "views/through_time.py"])
def test_the_cell_pages_show_the_text_models_layer_and_say_what_it_reads(page, text_cell):
    at = opened(page, text_cell)
    assert_clean(at)
    banner = at.info[0].value
    assert "**Writing text**" in banner and "H = 16 units" in banner and "one-hot" in banner
    assert "is better than" in banner  # the window, in characters
    assert at.session_state["cell_state"] == text_cell
    assert any("H = 16" in m.value for m in at.sidebar.markdown)


def test_through_time_draws_every_view_of_a_text_cell(text_cell):
    at = opened("views/through_time.py", text_cell)
    for view in ("Lines and heatmaps", "Zoom into steps"):
        at.segmented_control(key="time_view").set_value(view).run()
        assert_clean(at)


def test_a_text_cells_weights_are_summed_up_not_tabled(text_cell):
    at = opened("views/inside_cell.py", text_cell)
    at.session_state["weights_open"] = True  # the weights' expander, opened
    at.run()
    assert_clean(at)
    assert any("too many for tables" in c.value for c in at.caption)


def test_typed_characters_become_the_input_and_an_unknown_one_is_refused(text_cell):
    at = opened("views/inside_cell.py", text_cell)
    at.radio(key="seq_mode").set_value("Type characters").run()
    area = next(t for t in at.text_area if t.key.startswith("seq_chars_"))
    area.input("Simple is").run()
    at.button(key="seq_chars_use").click().run()
    assert_clean(at)
    assert "".join(at.session_state["cell_state"].step_chars()) == "Simple is"
    before = at.session_state["cell_state"]
    area = next(t for t in at.text_area if t.key.startswith("seq_chars_"))
    area.input("Simple~").run()
    at.button(key="seq_chars_use").click().run()
    assert at.error and "'~' is not among" in at.error[0].value
    assert at.session_state["cell_state"] == before


def test_start_a_small_cell_leaves_the_trained_model(text_cell):
    at = opened("views/inside_cell.py", text_cell)
    at.sidebar.button(key="sb_small").click().run()
    assert_clean(at)
    cell = at.session_state["cell_state"]
    assert (cell.H, cell.I, cell.held, cell.source) == (S.CellState().H, S.CellState().I, "", "")


def _section_app():
    """The files section alone, on a 16-unit model of the Zen (AppTest runs this function as a script)."""
    import streamlit as st

    from lstm_core import text as lt
    from ui.text import files
    from ui.text.corpora import CORPORA
    from ui.text.state import TextState

    zen = CORPORA["zen"][1]()
    config = lt.TextConfig(units=16, steps=20, report_every=20)
    if "model" not in st.session_state:
        st.session_state["model"] = lt.fit(zen, config)[0]
    files.section(st.session_state["model"], lt.vocabulary(zen), config, TextState(unit=2), False,
                  corpus_text=zen, generated_text="Beautiful is better than ugly~")


def test_the_files_section_opens_a_chosen_character_and_offers_the_files():
    at = AppTest.from_function(_section_app, default_timeout=60).run()
    assert_clean(at)
    assert at.number_input(key="tx_cell_pos").value == 40
    assert any("ending at position 40" in m.value for m in at.markdown)
    at.number_input(key="tx_cell_pos").set_value(121).run()
    assert any("ending at position 121" in m.value and "unit 3 (the one chosen in *Reading the units*)" in m.value
               for m in at.markdown)
    assert {b.key for b in at.button} >= {"tx_open_cell", "tx_open_time"}
    at.segmented_control(key="tx_cell_where").set_value("generated").run()
    assert_clean(at)
    at.number_input(key="tx_cell_pos").set_value(30).run()  # the window holds '~', not in the vocabulary
    assert at.warning and "'~'" in at.warning[0].value


def test_a_text_cells_unit_table_edits_its_weight_on_a_character(text_cell):
    """The weights' table of the unit shown: one row per character (and the bias), one column per gate; an edit
    becomes the held cell's weights, no longer the trained model's."""
    at = opened("views/inside_cell.py", text_cell)
    at.session_state["weights_open"] = True
    at.run()
    version = at.session_state["editor_version"] if "editor_version" in at.session_state else 0
    key = f"w_unit_{version}_{text_cell.unit}"
    at.session_state[key] = {"edited_rows": {2: {"forget f_t": 2.5}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert_clean(at)
    cell = at.session_state["cell_state"]
    H, u = cell.H, cell.unit
    assert cell.held != text_cell.held and cell.source == ""
    assert cell.params().W_f[u, H + 2] == 2.5
    changed = cell.params().W_f != text_cell.params().W_f
    assert changed.sum() == 1
