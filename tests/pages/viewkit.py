"""Helpers of the teacher-mode and guided-path page tests: open a shared link, read the link."""
from streamlit.testing.v1 import AppTest

from pagekit import APP


def open_link(page, query=None):
    """The app opened straight at `page` with the link's query, as a browser opens a shared link."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


def link_value(at, key):
    """One value of the app's link (AppTest may hold it as a string or a one-item list)."""
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else value
