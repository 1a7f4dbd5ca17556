"""How fast a page answers a change: server reruns in AppTest, and the round trip in a browser.

    python3 benchmarks/interaction.py                          # AppTest reruns, then the browser
    python3 benchmarks/interaction.py --no-browser             # AppTest reruns only
    python3 benchmarks/interaction.py --no-browser --page gradients  # one page, and its parts

Server: the median time of AppTest's `.run()` after one widget change, per page, at the
defaults and from a link with T = 500 (H = 4 on the cell pages, the default H = 8 on the
gradients page). Browser: the median time from a key press on the forget-bias slider to the new
forget-gate number in the diagram's SVG, on Debian's Chromium. For the gradients page it also
times its parts outside Streamlit: the engine (`GradState.flows()`) and each figure builder.
Prints Markdown tables: docs/benchmarks.md ("Interaction") holds one run and this command.
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

SERVER_REPEATS, BROWSER_REPEATS, PART_REPEATS = 15, 7, 5
BIG = {"length": "500", "H": "4"}  # the largest sequence the pages take, and the widest model
GRAD_BIG = {"length": "500"}  # the gradients page's longest input, at its default H = 8
TARGET_MS = {"defaults": 150, "T = 500, H = 4": 400, "T = 500, H = 8": 300, "browser": 1000}
CASES = [  # page, what changes, widget kind, key, the values it cycles through
    ("views/home.py", "none (a rerun)", None, None, [None]),  # Home has no widgets of its own
    ("views/inside_cell.py", "time step", "slider", "step_t", [2, 3]),
    ("views/inside_cell.py", "forget bias", "slider", "w_fbias", [1.5, 2.0]),
    ("views/through_time.py", "time step", "slider", "step_t", [2, 3]),
    ("views/through_time.py", "forget bias", "slider", "w_fbias", [1.5, 2.0]),
]
# every value new to the page (none is the default 1.0), so each change misses the figure cache
NEW_SCALES = [round(1.1 + 0.1 * k, 1) for k in range(SERVER_REPEATS + 1)]
NEW_FORGET_BIASES = [b / 2 for b in range(-12, 13) if b != 2][:SERVER_REPEATS + 1]
GRAD_CASES = [  # the page shows its default view, the animated backward pass
    ("views/gradients.py", "weight scale", "slider", "g_scale", NEW_SCALES),
    ("views/gradients.py", "forget bias", "slider", "g_fbias", NEW_FORGET_BIASES),
    ("views/gradients.py", "weight scale, to values seen before", "slider", "g_scale", [1.5, 2.0]),
]
SUITES = [(CASES, [("defaults", None), ("T = 500, H = 4", BIG)]),
          (GRAD_CASES, [("defaults", None), ("T = 500, H = 8", GRAD_BIG)])]
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


def median_ms(fn, repeats=PART_REPEATS):
    """Median ms of `repeats` calls of fn() after one warm-up call."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def gradient_parts():
    """(part, ms at defaults, ms at T = 500): the gradients page's engine and figure builders.

    A figure is timed as the page makes it: built, then turned into the dict that is cached. Then
    what `st.plotly_chart` does with a cached dict on every rerun: validate it again as a Figure
    (plotly.tools.return_figure_from_figure_or_data), then write its JSON.
    """
    import plotly.graph_objects as go
    import plotly.io

    from ui.gradients import figures as GF
    from ui.gradients.backward import backward_animation
    from ui.gradients.state import GradState

    builders = {
        "norm_lines": lambda flows, s: GF.norm_lines(flows),
        "backward_animation": lambda flows, s: backward_animation(flows),
        "gradient_heatmaps": lambda flows, s: GF.gradient_heatmaps(flows),
        "factor_chart": lambda flows, s: GF.factor_chart(flows),
        "clipping_chart (clip 1)": lambda flows, s: GF.clipping_chart(flows, s.max_norm()),
    }
    states = [GradState(clip=1.0), GradState(length=500, clip=1.0)]
    flows = [s.flows() for s in states]
    rows = [("engine: `GradState.flows()`, four cells", *(median_ms(s.flows) for s in states))]
    for name, build in builders.items():
        rows.append((f"`{name}` + `to_dict()`",
                     *(median_ms(lambda: build(f, s).to_dict()) for f, s in zip(flows, states))))
    for name in ("norm_lines", "backward_animation"):  # the two figures of the default view
        dicts = [builders[name](f, s).to_dict() for f, s in zip(flows, states)]
        rows.append((f"`st.plotly_chart` of the cached `{name}` dict (validate + JSON)",
                     *(median_ms(lambda: plotly.io.to_json(go.Figure(d).to_dict(), validate=False))
                       for d in dicts)))
    return rows


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
    parser.add_argument("--page", help="time only this page (a file stem such as gradients)")
    args = parser.parse_args()
    print(header(), end="\n\n")
    print("| where | page | change | condition | median ms | target ms | met |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for cases, conditions in SUITES:
        for condition, query in conditions:
            for page, change, kind, key, values in cases:
                if args.page not in (None, Path(page).stem):
                    continue
                ms = rerun_ms(page, kind, key, values, query)
                target = TARGET_MS[condition]
                print(f"| server (AppTest) | {Path(page).stem} | {change} | {condition} | {ms:.0f} | "
                      f"{target} | {verdict(ms, target)} |", flush=True)
    if args.page in (None, "gradients"):
        print("\n| gradients page part | defaults (T = 100, H = 8) ms | T = 500, H = 8 ms |")
        print("| --- | --- | --- |")
        for part, small, big in gradient_parts():
            print(f"| {part} | {small:.0f} | {big:.0f} |", flush=True)
    if args.no_browser or args.page not in (None, "inside_cell"):
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
