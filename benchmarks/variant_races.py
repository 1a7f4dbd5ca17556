"""The Variants page's training races at their defaults: engine CPU time, the numbers behind each verdict,
and (with --browser) Train → "finished" in a real browser.

    python3 benchmarks/variant_races.py              # the engine: every race at seed 0
    python3 benchmarks/variant_races.py --browser    # and each race trained in Chromium

Engine: lstm_core.races.run_race of race_config(variant, 0) to the end, the process's CPU time, one
BLAS thread. Browser: one server (`streamlit run app.py`), headless Debian Chromium at 1400 × 1000, a new
session per race on /variants?variant=...: click Train → the progress bar says "finished", once (the
fragment trains 0.35 s of every 0.5 s, so a busy server stretches it). Targets (issue 14): ≤ ~12 s of
engine time, ≤ ~20 s in the browser. Prints Markdown tables.
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

from lstm_core import races as R  # noqa: E402 (after the path line, so the script runs from anywhere)
from lstm_core.variants import VARIANTS  # noqa: E402


def engine_rows():
    """One Markdown row per race: CPU seconds, each model's steps to the threshold, final accuracy,
    median ms per step, and whether the claim holds."""
    rows = []
    for variant in VARIANTS:
        config = R.race_config(variant, 0)
        start = time.process_time()
        items = list(R.run_race(config))
        seconds = time.process_time() - start
        plain, other = R.standings(config, items).values()
        cells = [f"{s.who}: {s.reached or '—'} · {s.final_acc:.1%} · {s.ms_per_step:.2f} ms" for s in (plain, other)]
        rows.append(f"| {variant} | {config.steps} | {seconds:.1f} | {' | '.join(cells)} | "
                    f"{'holds' if R.claim_holds(config, plain, other) else 'does not hold'} |")
    return rows


def browser_rows():
    """One Markdown row per race: seconds from the Train click to "finished" in Chromium."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, VIEWPORT, serve, wait_idle
    rows = []
    with sync_playwright() as pw, serve() as url:
        chrome = pw.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS)
        for variant in VARIANTS:
            context = chrome.new_context(viewport=VIEWPORT)
            page = context.new_page()
            page.goto(f"{url}/variants?variant={variant}")
            wait_idle(page, 120_000)
            start = time.perf_counter()
            page.locator(".st-key-vr_train button").click()
            page.locator('[data-testid="stProgress"]').filter(visible=True).filter(
                has_text="finished").wait_for(timeout=120_000)
            rows.append(f"| {variant} | {time.perf_counter() - start:.1f} |")
            context.close()
        chrome.close()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browser", action="store_true", help="also train each race in Chromium")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print("| race | steps | engine CPU s | plain LSTM: step to 90 % · final · ms/step | variant: the same | claim |")
    print("|---|---|---|---|---|---|")
    print("\n".join(engine_rows()))
    if args.browser:
        print("\n| race | browser s, Train → finished |\n|---|---|")
        print("\n".join(browser_rows()))


if __name__ == "__main__":
    main()
