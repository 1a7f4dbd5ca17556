"""Server CPU of a Variants page rerun after one change of an exploration control (AppTest).

    OPENBLAS_NUM_THREADS=1 python3 benchmarks/variants_page.py

For each control: the median CPU ms (timing.median_cpu_ms) of `.run()` after setting it, cycling
through values; "new" values miss the figure cache (new engine runs and figures), "seen" values hit it.
Of ROUNDS rounds, each row keeps the lowest median (as timing.py does: other work on a shared machine
only ever adds time). The CPU is the whole process's: AppTest's own work is in it (it also compiles the
page's scripts again on every run, ~3 ms, which a server does once), so a server's rerun costs less.
"""
import itertools
import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "pages"), str(ROOT / "benchmarks")]
from pagekit import open_page  # noqa: E402
from timing import median_cpu_ms  # noqa: E402

REPEATS, ROUNDS = 11, 3
CASES = [  # what changes, widget kind, key, values, link
    ("step shown, seen", "slider", "va_t", [3, 4], {}),
    ("unit shown, seen", "number_input", "va_unit", [2, 3], {}),
    ("variant, seen", "segmented_control", "va_variant", ["gru", "stacked"], {}),
    ("hidden units H, new", "slider", "va_H", list(range(1, 17)), {}),
    ("seed of the weights, new", "number_input", "va_seed", list(range(100, 200)), {"variant": "gru"}),
    ("step shown, new, T = 60, peephole", "slider", "va_t", list(range(1, 61)), {"length": "60"}),
    ("step shown, new, T = 60, bidirectional", "slider", "va_t", list(range(1, 61)),
     {"length": "60", "variant": "bidirectional"}),
]


def rerun_ms(kind, key, values, query):
    """Median CPU ms of a rerun after setting widget `key` to the next of `values`."""
    at = open_page("views/variants.py", query)
    cycle = itertools.cycle(values)

    def change():
        getattr(at, kind)(key=key).set_value(next(cycle)).run()
        assert not at.exception, [e.value for e in at.exception]
    return median_cpu_ms(change, REPEATS)


def lowest_ms(kind, key, values, query):
    """The lowest of ROUNDS medians, each round on emptied caches, so a new value is new in every round
    (each case's "new" values are more than the REPEATS + 1 reruns of a round)."""
    medians = []
    for _ in range(ROUNDS):
        st.cache_data.clear()
        medians.append(rerun_ms(kind, key, values, query))
    return min(medians)


if __name__ == "__main__":
    print("| change | median CPU ms |\n|---|---|")
    for name, kind, key, values, query in CASES:
        print(f"| {name} | {lowest_ms(kind, key, values, query):.1f} |")
