"""Server CPU of a Variants page rerun after one change of an exploration control (AppTest).

    OPENBLAS_NUM_THREADS=1 python3 benchmarks/variants_page.py

For each control: the median CPU ms (timing.median_cpu_ms) of `.run()` after setting it, cycling
through values; "new" values miss the figure cache (new engine runs and figures), "seen" values hit it.
"""
import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "pages"), str(ROOT / "benchmarks")]
from pagekit import open_page  # noqa: E402
from timing import median_cpu_ms  # noqa: E402

REPEATS = 11
CASES = [  # what changes, widget kind, key, values, link
    ("step shown, seen", "slider", "va_t", [3, 4], {}),
    ("unit shown, seen", "number_input", "va_unit", [2, 3], {}),
    ("variant, seen", "segmented_control", "va_variant", ["gru", "stacked"], {}),
    ("hidden units H, new", "slider", "va_H", list(range(1, 17)), {}),
    ("step shown, new, T = 60", "slider", "va_t", list(range(1, 61)), {"length": "60", "variant": "bidirectional"}),
]


def rerun_ms(kind, key, values, query):
    """Median CPU ms of a rerun after setting widget `key` to the next of `values`."""
    at = open_page("views/variants.py", query)
    cycle = itertools.cycle(values)

    def change():
        getattr(at, kind)(key=key).set_value(next(cycle)).run()
        assert not at.exception, [e.value for e in at.exception]
    return median_cpu_ms(change, REPEATS)


if __name__ == "__main__":
    print("| change | median CPU ms |\n|---|---|")
    for name, kind, key, values, query in CASES:
        print(f"| {name} | {rerun_ms(kind, key, values, query):.1f} |")
