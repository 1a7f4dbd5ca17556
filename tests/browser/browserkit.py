"""Plain helpers shared by the browser tests: locators for what the app draws, and small checks.

Fixtures (the server, the browser tab, `idle`, `open_app`) live in conftest.py; this module holds
what a test calls with a page in hand. pytest puts tests/browser on sys.path (the folder has no
__init__.py), so the tests import it as `from browserkit import ...`.
"""
import math

from playwright.sync_api import expect

# Every wait in tests/browser uses the defaults (conftest's EXPECT_TIMEOUT_MS for `expect`, its
# IDLE_TIMEOUT_MS for the page); none is shorter. test_classroom.py's waits for a worker take this.
SLOW_MS = 30_000
PLOTLY_CHART = '[data-testid="stPlotlyChart"]'


def no_exception(page):
    """Expect no Streamlit traceback on the page."""
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def chart(page, key):
    """The Plotly chart with widget key `key`."""
    return page.locator(f".st-key-{key} {PLOTLY_CHART}")


def visible_chart(page, key):
    """The Plotly chart with widget key `key`, leaving out the empty 0 × 0 copy that a fragment's
    rerun can leave behind."""
    return page.locator(f".st-key-{key}").filter(visible=True).locator(PLOTLY_CHART)


def drawn(page, key):
    """The drawing (the SVG) of the visible Plotly chart under widget key `key`."""
    return visible_chart(page, key).locator(".main-svg").first


def button(page, key):
    """The button with widget key `key`."""
    return page.locator(f".st-key-{key} button")


def bar(page):
    """The visible progress bar (a fragment's rerun can leave a hidden copy behind)."""
    return page.locator('[data-testid="stProgress"]').filter(visible=True)


def errors(page):
    """Every error box on the page."""
    return page.locator('[data-testid="stAlertContentError"]')


def training_page(open_app, path, title, train_key):
    """Open a page that trains, once its title is drawn and its Train button is ready."""
    page = open_app(path)
    expect(page.locator("h1").first).to_contain_text(title)
    expect(button(page, train_key)).to_be_enabled()
    return page


def diagram_title(page):
    """The cell diagram's title (the only Plotly title on Inside the cell)."""
    return page.locator(f"{PLOTLY_CHART} .gtitle")


def gate_text(page, word):
    """The SVG text of a gate box on the cell diagram, e.g. 'forget0.731' for word 'forget'."""
    return page.locator(f"{PLOTLY_CHART} g.annotation", has_text=word).first


def read_when(page, js, arg=None):
    """What the JS function `js` returns, read as soon as it is neither null nor false.

    For what the page redraws (a chart, a progress bar): `js` returns null while the thing is
    missing or half drawn, so the value is only ever read whole, and the read is retried until it is.
    """
    return page.wait_for_function(js, arg=arg, polling=50).json_value()
