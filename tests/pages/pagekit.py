"""Shared AppTest helpers: open the app at a page, optionally from a link's query string."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")

PAGES = ["views/home.py", "views/inside_cell.py", "views/through_time.py"]


def open_page(page, query=None):
    """Run app.py, optionally with link query params, then switch to `page` and run it."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page != PAGES[0]:
        at.switch_page(page)
        at.run()
    return at


def assert_clean(at):
    """No exception element on the page."""
    assert not at.exception, [e.value for e in at.exception]

