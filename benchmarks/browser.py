"""One user in a real browser: how long each page takes to load, and to answer a key on its slider.

    python3 benchmarks/browser.py                # every page, then the default training run
    python3 benchmarks/browser.py --no-training  # every page only (the training run takes ~30 s)

One server (`streamlit run app.py`) and one headless Debian Chromium (never `playwright install`),
1400 × 1000, a new session per page. "Idle" is tests/browser/conftest.py's: Streamlit's own script
state is notRunning, no element is stale or still loading, every chart is drawn.
- page load: `goto` → idle, the median of LOAD_REPEATS loads after one warm-up load.
- key → idle: focus the page's main slider, press ArrowRight (ArrowLeft once it is at its
  maximum, and so on) → the script run that the key started has finished and the page is idle,
  the median of KEY_REPEATS presses after one warm-up press. Home has no slider of its own: its
  row uses the shared sidebar's "Hidden units H" (Home's diagram does not change with it: a rerun).
- training: Train on the lab's defaults (3 models × 300 steps) → "finished" and idle, once.
Prints Markdown tables: docs/benchmarks.md ("One user in the browser") holds one run and this command.
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
sys.path.insert(0, str(ROOT))
from tests.browser.conftest import (  # noqa: E402 (after the path line, so the script runs from anywhere)
    CHROMIUM_ARGS, IDLE_JS, RERUN_DONE_JS, RUN_COUNTER_JS, VIEWPORT, serve)

LOAD_REPEATS, KEY_REPEATS = 5, 7
TARGET_MS = {"load": 1500, "key": 250, "training": 60_000}
PAGES = [  # page, path, the slider's label
    ("Home", "/", "Hidden units H"),
    ("Inside the cell", "/inside_cell", "Time step t"),
    ("Through time", "/through_time", "Time step t"),
    ("Vanishing & exploding gradients", "/gradients", "Recurrent weight scale"),
    ("Training lab", "/training", "Delay T (sequence length)"),
]
FINISHED_JS = f"""() => [...document.querySelectorAll('[data-testid="stProgress"]')]
    .some(bar => bar.innerText.includes('finished')) && ({IDLE_JS})()"""
TIMEOUT_MS = 120_000  # a hung page fails the run; a slow one is what the table shows


def idle_ms(page, start, js=IDLE_JS, arg=None):
    """Wait (polling each frame) until `js` holds; ms since perf_counter() read `start`."""
    page.wait_for_function(js, arg=arg, polling="raf", timeout=TIMEOUT_MS)
    return 1e3 * (time.perf_counter() - start)


def load_ms(page, url):
    """Milliseconds from goto(url) to the page idle."""
    start = time.perf_counter()
    page.goto(url, timeout=TIMEOUT_MS)
    return idle_ms(page, start)


def key_ms(page, slider):
    """Milliseconds from one arrow key on `slider` to the end of the run it started, page idle."""
    now, top = float(slider.input_value()), float(slider.get_attribute("max"))  # an <input type=range>
    slider.focus()
    before = page.evaluate("window.__scriptRuns")
    start = time.perf_counter()
    page.keyboard.press("ArrowLeft" if now >= top else "ArrowRight")
    return idle_ms(page, start, RERUN_DONE_JS, before)


def median_after_warmup(measure, repeats):
    """(median, lowest, highest) ms of `repeats` calls of measure(), after one uncounted call."""
    measure()
    times = [measure() for _ in range(repeats)]
    return statistics.median(times), min(times), max(times)


def page_rows(chrome, url):
    """(page, load times, slider, key times) for every page of PAGES, a new session each."""
    rows = []
    for name, path, label in PAGES:
        context = chrome.new_context(viewport=VIEWPORT)
        context.add_init_script(RUN_COUNTER_JS)
        page = context.new_page()
        loads = median_after_warmup(lambda: load_ms(page, url + path), LOAD_REPEATS)
        slider = page.get_by_role("slider", name=label)
        keys = median_after_warmup(lambda: key_ms(page, slider), KEY_REPEATS)
        rows.append((name, loads, label, keys))
        context.close()
    return rows


def training_ms(chrome, url):
    """Milliseconds from Train on the lab's defaults to the finished page, idle."""
    context = chrome.new_context(viewport=VIEWPORT)
    context.add_init_script(RUN_COUNTER_JS)
    page = context.new_page()
    load_ms(page, url + "/training")
    start = time.perf_counter()
    page.locator(".st-key-t_train button").click()
    ms = idle_ms(page, start, FINISHED_JS)
    context.close()
    return ms


def verdict(ms, target):
    return "yes" if ms <= target else "**no**"


def spread(times):
    median, low, high = times
    return f"{median:.0f} ({low:.0f}–{high:.0f})"


def header(chrome):
    from importlib.metadata import version

    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return (f"- machine: {platform.machine()}, nproc {os.cpu_count()}, load average {load} "
            f"(other work on the machine adds to every time), Python {platform.python_version()}, "
            f"streamlit {version('streamlit')}, Chromium {chrome.version}, "
            f"playwright {version('playwright')}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-training", action="store_true", help="skip the default training run")
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("No chromium on PATH (apt-get install chromium): nothing to time.")
    from playwright.sync_api import sync_playwright

    with serve() as url, sync_playwright() as pw:
        chrome = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        first = chrome.new_page(viewport=VIEWPORT)
        first.goto(url)  # a server's first session runs in a special mode: spend it on /
        first.wait_for_function(IDLE_JS, timeout=TIMEOUT_MS)
        first.close()
        print(header(chrome), end="\n\n")
        print(f"| page | page load → idle, median (range) ms | ≤ {TARGET_MS['load']} ms | slider | "
              f"key → idle, median (range) ms | ≤ {TARGET_MS['key']} ms |")
        print("| --- | --- | --- | --- | --- | --- |")
        for name, loads, label, keys in page_rows(chrome, url):
            print(f"| {name} | {spread(loads)} | {verdict(loads[0], TARGET_MS['load'])} | {label} | "
                  f"{spread(keys)} | {verdict(keys[0], TARGET_MS['key'])} |", flush=True)
        if not args.no_training:
            ms = training_ms(chrome, url)
            print(f"\n| Training lab, default experiment | ms | ≤ {TARGET_MS['training']} ms |")
            print("| --- | --- | --- |")
            print(f"| Train → finished, idle (once) | {ms:.0f} | {verdict(ms, TARGET_MS['training'])} |")
        chrome.close()


if __name__ == "__main__":
    main()
