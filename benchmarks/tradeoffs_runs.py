"""The Trade-offs page's trained runs at their defaults: engine CPU time and (with --browser) Run → "finished"
in a real browser, with the server's CPU over the run and how many fragment reruns it took.

    python3 benchmarks/tradeoffs_runs.py              # the engine: the default learning-rate sweep
    python3 benchmarks/tradeoffs_runs.py --browser --repeat 3    # and the sweep in Chromium, seeds 0, 1, 2
    python3 benchmarks/tradeoffs_runs.py --browser --root /tmp/old  # the app of another checkout

Engine: lstm_core.tradeoffs.lr_sweep at the page's default settings to the end, the process's CPU time,
one BLAS thread. Browser: one server (`streamlit run app.py`), headless Debian Chromium at 1400 × 1000, a
new session per run on /tradeoffs?experiment=lr: click Run → the progress bar says "finished". Target
(issue 14): ≤ ~20 s in the browser. Prints Markdown tables and the load average before and after.
"""
import argparse
import os
import shutil
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from lstm_core import tradeoffs as X  # noqa: E402 (after the path line, so the script runs from anywhere)
from ui.tradeoffs import state as TS  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def engine_row():
    """The default sweep's trainings, CPU seconds, and the rates at which each kind learned."""
    cfg, lrs = TS.sweep_config(TS.TradeoffsState(experiment="lr"))
    start = time.process_time()
    items = list(X.lr_sweep(cfg, lrs))
    seconds = time.process_time() - start
    learned = "; ".join(f"{k}: {', '.join(f'{lr:g}' for lr in X.learned(items, k, 0.9)) or '—'}" for k in cfg.kinds)
    return f"| {len(items)} | {cfg.steps} | {seconds:.1f} | {learned} |"


def server_cpu(pid):
    """utime + stime of process `pid` and its children so far, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / CLOCK_TICKS


def browser_rows(repeat, root):
    """One Markdown row per run: seconds from the Run click to "finished", server CPU, script runs. Run i
    sweeps with seed i: at one seed every run after the first would replay the first's results, shared
    (ui/common/shared_runs)."""
    from playwright.sync_api import sync_playwright

    from classroom import serve
    from tests.browser.conftest import CHROMIUM_ARGS, RUN_COUNTER_JS, VIEWPORT, wait_idle
    rows = []
    with sync_playwright() as pw, serve(root) as (url, server, _):
        pid = server.pid
        chrome = pw.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS)
        for seed in range(repeat):
            context = chrome.new_context(viewport=VIEWPORT)
            context.add_init_script(RUN_COUNTER_JS)
            page = context.new_page()
            page.goto(f"{url}/tradeoffs?experiment=lr&lr_seed={seed}")
            wait_idle(page, 120_000)
            runs, cpu, load = page.evaluate("window.__scriptRuns"), server_cpu(pid), os.getloadavg()[0]
            start = time.perf_counter()
            page.locator(".st-key-vt_lr_run button").click()
            page.locator('[data-testid="stProgress"]').filter(visible=True).filter(
                has_text="finished").wait_for(timeout=300_000)
            seconds = time.perf_counter() - start
            reruns = page.evaluate("window.__scriptRuns") - runs
            rows.append(f"| {seed} | {seconds:.1f} | {server_cpu(pid) - cpu:.1f} | {reruns} | {load:.1f} |")
            context.close()
        chrome.close()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browser", action="store_true", help="also run the sweep in Chromium")
    parser.add_argument("--repeat", type=int, default=1, help="browser runs, each in a new session")
    parser.add_argument("--root", type=Path, default=ROOT, help="the app folder to serve (another checkout, "
                        "say, to compare with an earlier commit)")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print("| trainings | steps | engine CPU s | learned to 90 % at |\n|---|---|---|---|")
    print(engine_row())
    if args.browser:
        print(f"\n{args.root}\n\n| seed | browser s, Run → finished | server CPU s | script runs | load before |\n"
              "|---|---|---|---|---|")
        print("\n".join(browser_rows(args.repeat, args.root)))
    print(f"\nload average after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
