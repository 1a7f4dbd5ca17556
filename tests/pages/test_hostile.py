"""Hostile links and hostile typed text never crash a page: the page says why and shows the defaults.

Each page is opened the way a browser opens a shared link: straight at the page, with the query.
Every key a page reads gets a value just below its widget's range and one just above it, and each
piece of garbage (NaN, 1e309, 40 digits, emoji, empty, ...) goes on some key of every page; the
full cross product of hostile values and keys runs on the pure parsers in
tests/ui/test_link_properties.py. Valid links at the ends of every
range render without a warning, and bad typed input keeps the last good input.
"""
import dataclasses

import pytest
from streamlit.testing.v1 import AppTest

from ui.cell.state import CellState
from ui.common import link
from ui.gradients.state import GradState
from ui.training.state import TrainState

from pagekit import APP, assert_clean, outside_values

PAGES = {"views/home.py": ("cell_state", CellState), "views/inside_cell.py": ("cell_state", CellState),
         "views/through_time.py": ("cell_state", CellState),
         "views/gradients.py": ("grad_state", GradState), "views/training.py": ("train_state", TrainState)}
GARBAGE = ["nan", "1e309", "9" * 40, "😀", "", "-inf", "text", "1,x"]
SHARED = ["views/home.py", "views/through_time.py"]  # same parser as Inside the cell: one value per key


def open_link(page, query):
    """The app opened at `page` with the link's query, as a browser opens a shared link."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


def _cases():
    cases = []
    for page, (_, cls) in PAGES.items():
        for k, f in enumerate(dataclasses.fields(cls)):
            garbage = [GARBAGE[k % len(GARBAGE)]] if k < len(GARBAGE) or f.type is str else []
            if f.type is str and garbage == [""]:
                garbage = ["noise"]  # an empty preset is the default, not garbage
            values = outside_values(f) + garbage
            if page in SHARED:
                values = values[k % len(values):][:1]
            cases += [pytest.param(page, {f.name: v}, id=f"{page[6:-3]}-{f.name}={v[:12]}") for v in values]
        cases.append(pytest.param(page, {"colour": "red"}, id=f"{page[6:-3]}-unknown-key"))
        cases.append(pytest.param(page, {"large": ["0", "1"]}, id=f"{page[6:-3]}-repeated-key"))
    return cases


@pytest.mark.parametrize("page, query", _cases())
def test_a_hostile_link_warns_and_opens_the_defaults(page, query):
    at = open_link(page, query)
    assert_clean(at)
    key, cls = PAGES[page]
    assert [w.value for w in at.warning if w.value.startswith("The link could not be opened (")], query
    assert at.warning[0].value.endswith("showing the defaults.")
    assert at.session_state[key] == cls()


@pytest.mark.parametrize("page", PAGES)
def test_streamlits_embed_keys_open_the_page_without_a_warning(page):
    at = open_link(page, {"embed": "true", "embed_options": "light_theme", "large": "1"})
    assert_clean(at)
    assert not at.warning
    key, _ = PAGES[page]
    assert at.session_state[key].large == 1


def _extreme(cls, end, **fixes):
    """The state with every ranged scalar at one end of its range (0: low, 1: high), then `fixes`."""
    ends = {f.name: (f.type(f.metadata["range"][end])) for f in dataclasses.fields(cls)
            if "range" in f.metadata and f.type in (int, float)}
    return dataclasses.replace(cls(), **{**ends, **fixes})


EXTREMES = [
    ("views/inside_cell.py", _extreme(CellState, 0)), ("views/inside_cell.py", _extreme(CellState, 1)),
    ("views/through_time.py", _extreme(CellState, 1)),
    ("views/gradients.py", _extreme(GradState, 0)), ("views/gradients.py", _extreme(GradState, 1)),
    ("views/training.py", _extreme(TrainState, 0, lr=0.001)), ("views/training.py", _extreme(TrainState, 1)),
]


@pytest.mark.parametrize("page, state", EXTREMES, ids=[f"{p[6:-3]}-{i}" for i, (p, _) in enumerate(EXTREMES)])
def test_a_link_at_the_ends_of_every_range_renders_every_widget(page, state):
    at = open_link(page, link.to_query(state))
    assert_clean(at)
    assert not [w for w in at.warning if "link" in w.value], [w.value for w in at.warning]
    key, cls = PAGES[page]
    assert at.session_state[key] == (state.clamp() if cls is CellState else state)


TYPED = [";;;;;;;;", "", " , ; ", "nan", "1e309", "-inf", "1e7", "one, two", "😀", ", ".join(["1"] * 501)]


@pytest.mark.parametrize("page, prefix, open_input", [
    ("views/inside_cell.py", "seq", lambda at: at.radio(key="seq_mode").set_value("Type numbers").run()),
    ("views/through_time.py", "seq", lambda at: at.radio(key="seq_mode").set_value("Type numbers").run()),
    ("views/gradients.py", "g", lambda at: at),
], ids=["inside_cell", "through_time", "gradients"])
def test_hostile_typed_text_shows_a_message_and_keeps_the_last_good_input(page, prefix, open_input):
    at = open_input(open_link(page, {}))
    key, _ = PAGES[page]
    before = at.session_state[key]
    for text in TYPED:
        at.text_area(key=f"{prefix}_text").input(text).run()
        at.button(key=f"{prefix}_apply").click().run()
        assert_clean(at)
        assert at.error and "is still in use" in at.error[0].value, text
        assert at.session_state[key] == before, text
