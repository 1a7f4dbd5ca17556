"""Shared AppTest helpers: open the app at a page, optionally from a link's query string."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.common import link

APP = str(Path(__file__).resolve().parents[2] / "app.py")

PAGES = ["views/home.py", "views/inside_cell.py", "views/through_time.py"]


def open_page(page, query=None):
    """The app opened at `page`, optionally with link query params: one run, as a browser opens a
    page's link (running Home first as well cost every page test a second script run)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if page != PAGES[0]:
        at.switch_page(page)
    return at.run()


def assert_clean(at):
    """No exception element on the page."""
    assert not at.exception, [e.value for e in at.exception]



def run_of(at, key):
    """The training Run a page keeps under `key` in session state, or None."""
    return at.session_state[key] if key in at.session_state else None


def train_to_the_end(at, button, key, limit=200):
    """Press the Train button `button`, then rerun (the fragment trains a slice per run) until the
    run under `key` has ended; that Run."""
    at.button(key=button).click().run()
    for _ in range(limit):
        if run_of(at, key).status != "running":
            break
        at.run()
    return run_of(at, key)


def input_keys(at, kinds):
    """The keys of every input widget of these kinds on the page."""
    return {w.key for kind in kinds for w in at.get(kind) if getattr(w, "key", None)}


def input_count(at, kinds):
    """How many input widgets of these kinds the page shows, main area and sidebar."""
    return sum(len(at.get(kind)) for kind in kinds)


def errors(at):
    return [e.value for e in at.error]


def warnings(at):
    return [w.value for w in at.warning]


def outside_values(f):
    """Link text just outside a state field's declared range or choices (none for a free field)."""
    if "choices" in f.metadata:
        return ["noise"]
    if "range" not in f.metadata:
        return []
    low, high = f.metadata["range"]
    step = f.metadata["step"] or (1 if f.type is int else 0.1)
    if f.type is tuple:
        return [link._encode((low - step,) * 2), link._encode((high + step,) * 2)]
    cast = int if f.type is int else float
    return [link._encode(cast(low - step)), link._encode(cast(high + step))]
