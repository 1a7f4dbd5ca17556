"""Shared AppTest helpers: open the app at a page, optionally from a link's query string."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")

PAGES = ["pages/home.py", "pages/inside_cell.py", "pages/through_time.py"]


def _run_app():
    """app.py run from a script outside the repo: no pages/ folder beside it, so Streamlit's
    folder mode (which would run a page without app.py's frame) stays off, as in a browser."""
    import runpy
    import sys

    runpy.run_path(sys.modules["pagekit"].APP, run_name="__main__")


def open_page(page, query=None):
    """Run app.py, optionally with link query params, then switch to `page` and run it."""
    at = AppTest.from_function(_run_app, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page != PAGES[0]:
        at.switch_page(str(Path(APP).parent / page))
        at.run()
    return at


def assert_clean(at):
    """No exception element on the page."""
    assert not at.exception, [e.value for e in at.exception]

