"""Real-browser fixtures: a Streamlit server per module, Debian's Chromium, a screenshot per test.

Chromium comes from the system (never `playwright install`: the machine may be offline). Without
it the browser tests skip, except under CI=true, where they fail.
"""
import contextlib
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from classroom import healthy as _healthy  # noqa: E402, F401 (test_classroom takes it from here)
from classroom import serve as start_server  # noqa: E402
OUTPUT = ROOT / "test-output"
SCREENSHOTS = OUTPUT / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 1000}
IDLE_TIMEOUT_MS = 30_000
EXPECT_TIMEOUT_MS = 20_000  # CI's 2 cores may be busy: wait for the app, never sleep


def pytest_configure(config):
    """Give every Playwright `expect` the same generous timeout."""
    try:
        from playwright.sync_api import expect
    except ImportError:
        return
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)

# Streamlit writes its script state on the app's root as it changes ("initial", "running",
# "rerunRequested", "notRunning"); the "Running..." widget only shows after 500 ms, so it is no proof.
IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const drawn = (charts, part) => [...document.querySelectorAll(charts)].every(c => c.querySelector(part));
  return app?.dataset.testScriptState === 'notRunning' && app.dataset.testConnectionState === 'CONNECTED'
    && !!document.querySelector('[data-testid="stMainBlockContainer"]')
    && !document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')  // a part still loading
    && drawn('[data-testid="stPlotlyChart"]', '.main-svg')
    && drawn('[data-testid="stVegaLiteChart"]', 'svg, canvas');
}"""
# Installed in every tab before the app loads: window.__scriptRuns counts the script runs (whole
# page or fragment) that have ended, so a test can wait for the rerun its action caused. It reads
# the server's messages: one of ForwardMsg's top-level fields is script_finished (field 6, a
# varint). The app's script state is no count: React may draw a quick run's "running" and
# "notRunning" in one go, or neither. A run counts two frames after its message, once drawn.
RUN_COUNTER_JS = """window.__scriptRuns = 0;
const finished = bytes => {  // does this ForwardMsg carry script_finished?
  let i = 0;
  const varint = () => { let value = 0, shift = 0, byte;
    do { byte = bytes[i++]; value += (byte & 127) * 2 ** shift; shift += 7; } while (byte & 128);
    return value; };
  while (i < bytes.length) {
    const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
    if (field === 6 && wire === 0) return true;
    if (wire === 2) { const length = varint(); i += length; }  // not i += varint(): i is read first
    else if (wire === 0) varint(); else if (wire === 1) i += 8;
    else if (wire === 5) i += 4; else return false;
  }
  return false;
};
const NativeWebSocket = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new NativeWebSocket(...args);
  socket.addEventListener('message', event => {
    if (event.data instanceof ArrayBuffer && finished(new Uint8Array(event.data)))
      requestAnimationFrame(() => requestAnimationFrame(() => { window.__scriptRuns += 1; }));
  });
  return socket;
};
Object.assign(window.WebSocket, NativeWebSocket);
window.WebSocket.prototype = NativeWebSocket.prototype;"""
RERUN_DONE_JS = f"before => window.__scriptRuns > before && ({IDLE_JS})()"
# Every Plotly chart laid out at its box's width (a resize reaches Plotly a few frames later)
FITS_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')]
  .filter(gd => gd._fullLayout && gd.getBoundingClientRect().width > 0)
  .every(gd => Math.abs(gd._fullLayout.width - gd.getBoundingClientRect().width) < 1)"""


def _missing(reason):
    """Skip the browser tests with `reason`, or fail them under CI=true."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright, shared by every browser test."""
    chromium = shutil.which("chromium")
    if chromium is None:
        _missing("Debian's chromium is not on PATH (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as pw:
        chrome = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield chrome
        chrome.close()


@contextlib.contextmanager
def serve():
    """Run `streamlit run app.py` on a free loopback port (benchmarks/classroom.py's `serve`, the
    one way the suite and the benchmarks start a server); yield its base URL; stop it afterwards.
    Its log is test-output/streamlit-<port>.log."""
    OUTPUT.mkdir(exist_ok=True)
    with start_server(ROOT, log_path=OUTPUT / "streamlit-{port}.log") as (url, _, _):
        yield url


@pytest.fixture(scope="module")
def app_url(browser):
    """Base URL of one app server shared by a test module."""
    with serve() as url:
        yield url


@pytest.fixture
def fresh_app_url(browser):
    """Base URL of a server started for this test alone: the test is its first visitor."""
    with serve() as url:
        yield url


@pytest.fixture
def page(browser, request, screenshots):
    """A new browser tab; a full-page screenshot of its final view is saved after the test."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(RUN_COUNTER_JS)
    tab = context.new_page()
    tab.set_default_timeout(IDLE_TIMEOUT_MS)
    yield tab
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_")
    with contextlib.suppress(Exception):  # a test that broke the page still gets its report
        full_page_screenshot(tab, screenshots / f"{name}.png")
    context.close()


@pytest.fixture
def screenshots():
    """The folder a test saves its own screenshots in (test-output/screenshots), created."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def idle():
    """The `wait_idle` helper, for tests: idle(page) returns when the app has settled."""
    return wait_idle


@pytest.fixture
def open_app(page, app_url):
    """open_app(path): load a path of the app (with its query string) and wait until it is idle."""
    def go(path):
        page.goto(app_url + path)
        wait_idle(page)
        return page
    return go


def wait_idle(page, timeout_ms=IDLE_TIMEOUT_MS):
    """Wait until the app is idle: connected, no script running, no stale elements, every chart drawn.

    Idle right after an action can be the moment before its rerun starts, and the app is idle for
    a moment between the runs of an st.rerun(): first expect what the (last) run draws, or use
    wait_rerun."""
    page.wait_for_function(IDLE_JS, timeout=timeout_ms, polling=50)


def wait_rerun(page, action, timeout_ms=IDLE_TIMEOUT_MS):
    """Do action() on the idle app, and wait until a script run has ended since and the app is idle
    again. Needs RUN_COUNTER_JS in the tab (the `page` fixture installs it)."""
    before = page.evaluate("window.__scriptRuns")
    action()
    page.wait_for_function(RERUN_DONE_JS, arg=before, timeout=timeout_ms, polling=50)


def full_page_screenshot(page, path):
    """Screenshot the whole app: Streamlit scrolls inside stMain, so grow the viewport to fit it."""
    height = page.evaluate("""() => Math.max(window.innerHeight,
        document.querySelector('[data-testid="stMain"]')?.scrollHeight ?? 0)""")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
    page.wait_for_function(FITS_JS)  # a scrollbar gone widens the page: the charts redraw
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(VIEWPORT)
