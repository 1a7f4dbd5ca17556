"""How fast a page answers a change: server reruns in AppTest, and the round trip in a browser.

    python3 benchmarks/interaction.py               # AppTest reruns, then the browser
    python3 benchmarks/interaction.py --no-browser  # AppTest reruns only

Server: the median time of AppTest's `.run()` after one widget change, per page, at the
defaults and from a link with T = 500, H = 4. Browser: the median time from a key press on the
forget-bias slider to the new forget-gate number in the diagram's SVG, on Debian's Chromium.
Prints a Markdown table: docs/benchmarks.md ("Interaction") holds one run and this command.
"""
import argparse
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "pages")]
from pagekit import open_page  # noqa: E402 (after the path lines, so the script runs from anywhere)

SERVER_REPEATS, BROWSER_REPEATS = 15, 7
BIG = {"length": "500", "H": "4"}  # the largest sequence the pages take, and the widest model
TARGET_MS = {"defaults": 150, "T = 500, H = 4": 400, "browser": 1000}
CASES = [  # page, what changes, widget kind, key, the values it cycles through
    ("views/home.py", "none (a rerun)", None, None, [None]),  # Home has no widgets of its own
    ("views/inside_cell.py", "time step", "slider", "step_t", [2, 3]),
    ("views/inside_cell.py", "forget bias", "slider", "w_fbias", [1.5, 2.0]),
    ("views/through_time.py", "time step", "slider", "step_t", [2, 3]),
    ("views/through_time.py", "forget bias", "slider", "w_fbias", [1.5, 2.0]),
]
BROWSER_CASES = [("defaults", "/inside_cell"), ("T = 500, H = 4", "/inside_cell?H=4&length=500")]
FORGET_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] g.annotation')]
    .map(a => a.textContent).find(text => text.startsWith('forget'))"""


def rerun_ms(page, kind, key, values, query):
    """Median ms of AppTest's run() after setting widget `key` (if any) to each of `values` in turn."""
    at = open_page(page, query)

    def change(value):
        if kind is not None:
            getattr(at, kind)(key=key).set_value(value)

    change(values[-1])
    at.run()  # warm-up: the first change builds caches
    times = []
    for k in range(SERVER_REPEATS):
        change(values[k % len(values)])
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, [e.value for e in at.exception]
    return 1e3 * statistics.median(times)


def browser_ms(page, url):
    """Median ms from an arrow key on the forget-bias slider to a new forget-gate number."""
    from tests.browser.conftest import wait_idle

    page.goto(url)
    wait_idle(page)
    expander = page.locator('[data-testid="stExpander"]', has_text="Weights and biases")
    expander.locator("summary").click()
    slider = expander.get_by_role("slider", name="Forget-gate bias b_f")
    times = []
    for k in range(BROWSER_REPEATS + 1):  # the first round trip is a warm-up
        wait_idle(page)
        before = page.evaluate(FORGET_JS)
        slider.focus()
        start = time.perf_counter()
        page.keyboard.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
        page.wait_for_function(f"old => ({FORGET_JS})() !== old", arg=before, polling="raf")
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times[1:])


def browser_rows():
    """(condition, ms) per BROWSER_CASES, with one server and one headless Chromium."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, VIEWPORT, serve, wait_idle

    rows = []
    with serve() as url, sync_playwright() as pw:
        chrome = pw.chromium.launch(executable_path=shutil.which("chromium"), headless=True,
                                    args=CHROMIUM_ARGS)
        first = chrome.new_page(viewport=VIEWPORT)
        first.goto(url)  # a server's first session runs in a special mode: spend it on /
        wait_idle(first)
        for condition, path in BROWSER_CASES:
            page = chrome.new_page(viewport=VIEWPORT)
            rows.append((condition, browser_ms(page, url + path)))
            page.close()
        chrome.close()
    return rows


def verdict(ms, target):
    return "yes" if ms <= target else "**no**"


def header():
    import streamlit

    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return (f"- machine: {platform.machine()}, nproc {os.cpu_count()}, load average {load}, "
            f"Python {platform.python_version()}, streamlit {streamlit.__version__}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true", help="AppTest reruns only")
    args = parser.parse_args()
    print(header(), end="\n\n")
    print("| where | page | change | condition | median ms | target ms | met |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for condition, query in [("defaults", None), ("T = 500, H = 4", BIG)]:
        for page, change, kind, key, values in CASES:
            ms = rerun_ms(page, kind, key, values, query)
            target = TARGET_MS[condition]
            print(f"| server (AppTest) | {Path(page).stem} | {change} | {condition} | {ms:.0f} | "
                  f"{target} | {verdict(ms, target)} |", flush=True)
    if args.no_browser:
        return
    if shutil.which("chromium") is None:
        print("\nNo chromium on PATH: browser times skipped.")
        return
    for condition, ms in browser_rows():
        target = TARGET_MS["browser"]
        print(f"| browser (Chromium) | inside_cell | forget bias → diagram text | {condition} | "
              f"{ms:.0f} | {target} | {verdict(ms, target)} |", flush=True)


if __name__ == "__main__":
    main()
