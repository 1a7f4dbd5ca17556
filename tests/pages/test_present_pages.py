"""Teacher mode under AppTest: `present=1` on every page gives fewer controls, no sidebar and large
fonts, keeps the presets and step controls; `hide=` hides the groups it names; bad values say why;
the "Share this view" panel builds the link."""
import pytest

from ui.common.present import LARGE_CSS

from pagekit import assert_clean
from viewkit import open_link

PAGES = {  # page -> (its state's key, a preset control it keeps, a step control it keeps)
    "views/home.py": ("cell_state", None, None),
    "views/inside_cell.py": ("cell_state", "preset_pick", "step_fwd"),
    "views/through_time.py": ("cell_state", "preset_pick", "step_fwd"),
    "views/gradients.py": ("grad_state", "g_preset", None),
    "views/training.py": ("train_state", "t_preset", "t_train"),
}
WIDGETS = ["button", "slider", "number_input", "toggle", "selectbox", "radio", "multiselect",
           "text_input", "text_area", "checkbox", "select_slider", "segmented_control",
           "data_editor", "file_uploader", "download_button"]


def _controls(at):
    """Every input widget on the page, main area and sidebar."""
    return sum(len(at.get(kind)) for kind in WIDGETS)


def _keys(at):
    """The keys of every input widget on the page."""
    return {w.key for kind in WIDGETS for w in at.get(kind) if getattr(w, "key", None)}


def _large_css(at):
    return any(LARGE_CSS in h.proto.body for h in at.get("html"))


@pytest.mark.parametrize("page", PAGES)
def test_present_gives_fewer_controls_no_sidebar_large_fonts_and_keeps_presets_and_steps(page):
    state_key, preset, step = PAGES[page]
    normal, shown = open_link(page), open_link(page, {"present": "1"})
    assert_clean(shown)
    assert _controls(shown) < _controls(normal)
    assert not shown.sidebar.children and normal.sidebar.children
    assert shown.session_state[state_key].large == 1 and _large_css(shown)
    assert normal.session_state[state_key].large == 0 and not _large_css(normal)
    assert {k for k in (preset, step) if k} <= _keys(shown)


def test_present_hides_the_cell_pages_editors_and_keeps_the_diagram():
    at = open_link("views/inside_cell.py", {"present": "1"})
    labels = {e.label for e in at.expander}
    assert not labels & {"Input sequence", "Weights and biases", "Save or load the weights"}
    assert "cell_diagram" in {c.key for c in at.get("plotly_chart")}
    assert not _keys(at) & {"sb_H", "sb_I", "sb_seed", "sb_large"}


@pytest.mark.parametrize("page, hide, gone, kept", [
    ("views/inside_cell.py", "weights,input", {"Weights and biases", "Input sequence"},
     {"Save or load the weights"}),
    ("views/through_time.py", "weights", {"Weights and biases"}, {"Input sequence"}),
])
def test_hide_hides_the_named_groups_on_a_normal_page(page, hide, gone, kept):
    at = open_link(page, {"hide": hide})
    assert_clean(at)
    labels = {e.label for e in at.expander}
    assert not labels & gone and kept <= labels
    assert at.sidebar.children and at.session_state["cell_state"].large == 0


@pytest.mark.parametrize("hide, gone", [("presets", "preset_pick"), ("steps", "step_fwd"),
                                        ("sidebar", "sb_H")])
def test_hide_can_take_away_presets_steps_or_the_sidebar(hide, gone):
    assert gone in _keys(open_link("views/inside_cell.py"))
    assert gone not in _keys(open_link("views/inside_cell.py", {"hide": hide}))


def test_present_with_hide_none_keeps_every_control_but_the_fonts_grow():
    at = open_link("views/inside_cell.py", {"present": "1", "hide": "none"})
    assert {"sb_H", "preset_pick", "step_fwd"} <= _keys(at) and at.session_state["cell_state"].large == 1


def test_gradients_and_training_hide_their_settings_in_presentation_mode():
    grad = open_link("views/gradients.py", {"present": "1"})
    assert not _keys(grad) & {"g_scale", "g_fbias", "g_seed"}
    train = open_link("views/training.py", {"present": "1"})
    assert not _keys(train) & {"t_lr", "t_H", "t_seed"} and "t_train" in _keys(train)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query, words", [({"present": "yes"}, "'present' must be 1"),
                                          ({"hide": "weights,bogus"}, "'bogus' is not a control group")])
def test_bad_present_or_hide_gives_a_message_and_the_default_view(page, query, words):
    at = open_link(page, query)
    assert_clean(at)
    assert any(words in w.value for w in at.warning)
    assert at.sidebar.children, "the default view: nothing hidden"
    assert not set(query) & set(at.query_params)


def test_share_panel_builds_the_presentation_link_of_the_view_on_screen():
    at = open_link("views/inside_cell.py", {"H": "3"})
    at.button(key="step_fwd").click().run()
    link = at.sidebar.code[0].value
    assert link.startswith("/") and "H=3" in link and "t=1" in link and "present=1" in link
    assert "hide" not in link
    at.multiselect(key="share_hide").set_value(["weights"]).run()
    assert at.sidebar.code[0].value.endswith("present=1&hide=weights")
    at.toggle(key="share_present").set_value(False).run()
    assert "present" not in at.sidebar.code[0].value and at.sidebar.code[0].value.endswith("hide=weights")
