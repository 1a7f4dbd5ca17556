"""Time lstm_forward and lstm_forward + lstm_backward against torch.nn.LSTM on the CPU.

    python3 benchmarks/engine.py                 # both engines when torch imports, else ours only
    python3 benchmarks/engine.py --no-torch      # ours only
    python3 benchmarks/engine.py --threads 1     # numpy's BLAS and torch both on one thread

Each time is the median of repeats after a warm-up. Forward + backward is a loss on the last
output, sum(h_T), backpropagated to every weight and to the inputs, in both engines.
Prints a Markdown table: docs/benchmarks.md holds one run and the command that made it.
"""
import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-torch", action="store_true", help="time lstm_core only")
    parser.add_argument("--threads", type=int, help="threads for numpy's BLAS and for torch")
    return parser.parse_args()


ARGS = parse_args()
if ARGS.threads:  # OpenBLAS reads this once, when numpy loads it
    os.environ["OPENBLAS_NUM_THREADS"] = str(ARGS.threads)

import numpy as np  # noqa: E402 (after the thread setting)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import lstm_core as lc  # noqa: E402 (after the path line, so the script runs from anywhere)

SHAPES = [(1, 20, 1, 4), (1, 100, 1, 8), (1, 500, 2, 16), (32, 100, 8, 64), (16, 200, 65, 128)]
DTYPES = [np.float64, np.float32]
BUDGET_S = 0.3  # time spent on the repeats of one measurement, roughly


def median_time(fn):
    """Median wall time of fn() in seconds: one warm-up call, then repeats filling BUDGET_S."""
    start = time.perf_counter()
    fn()
    once = time.perf_counter() - start
    times = []
    for _ in range(int(min(max(BUDGET_S / max(once, 1e-9), 7), 300))):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ours(shape, dtype):
    """(forward, forward + backward) closures of lstm_core; B = 1 runs unbatched, as the app does."""
    B, T, I, H = shape
    params = lc.LSTMParams.init(I, H, seed=0, dtype=dtype)
    xs = np.random.default_rng(0).normal(size=(T, I) if B == 1 else (T, B, I)).astype(dtype)
    dh = np.zeros(((T, H) if B == 1 else (T, B, H)), dtype)
    dh[-1] = 1.0  # L = sum(h_T)

    def forward_backward():
        lc.lstm_backward(params, lc.lstm_forward(params, xs), dh)

    return (lambda: lc.lstm_forward(params, xs)), forward_backward


def theirs(torch, shape, dtype):
    """The same two closures for torch.nn.LSTM, inputs requiring grad like our dxs."""
    B, T, I, H = shape
    tdtype = torch.float64 if dtype == np.float64 else torch.float32
    lstm = torch.nn.LSTM(I, H).to(tdtype)
    x = torch.randn(T, B, I, dtype=tdtype, requires_grad=True)

    def forward():
        with torch.no_grad():
            lstm(x)

    def forward_backward():
        lstm.zero_grad(set_to_none=True)
        x.grad = None
        out, _ = lstm(x)
        out[-1].sum().backward()  # L = sum(h_T)

    return forward, forward_backward


def blas_info():
    """One line on numpy's BLAS: threadpoolctl's view when installed, else numpy's build config."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas['name']} {blas['version']} (threadpoolctl not installed: threads unknown)"
    pools = [p for p in threadpool_info() if p["user_api"] == "blas"]
    return "; ".join(f"{p['internal_api']} {p['version']} {p.get('architecture')} "
                     f"threads={p['num_threads']}" for p in pools)


def header(torch):
    """The machine, the libraries and the environment that change BLAS speed."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [f"- machine: {platform.machine()}, nproc {os.cpu_count()}, Python {platform.python_version()}",
             f"- load average before the run: {load} (other work on the machine skews the times)",
             f"- numpy {np.__version__}, BLAS: {blas_info()}"]
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        lines.append(f"- {var}={os.environ.get(var, '(unset)')}")
    if torch is not None:
        lines.append(f"- torch {torch.__version__}, torch.get_num_threads() = {torch.get_num_threads()}")
    else:
        lines.append("- torch: not timed (--no-torch, or not importable): our times only")
    return "\n".join(lines)


def ms(seconds):
    return f"{seconds * 1e3:.3f}"


def row(shape, dtype, torch):
    """One table row: our times, and torch's with the ratio ours/torch when torch is there."""
    fwd, fwd_bwd = ours(shape, dtype)
    t_fwd, t_fb = median_time(fwd), median_time(fwd_bwd)
    cells = [np.dtype(dtype).name, str(shape), ms(t_fwd), ms(t_fb)]
    if torch is not None:
        fwd, fwd_bwd = theirs(torch, shape, dtype)
        r_fwd, r_fb = median_time(fwd), median_time(fwd_bwd)
        cells += [ms(r_fwd), ms(r_fb), f"{t_fwd / r_fwd:.2f}", f"{t_fb / r_fb:.2f}"]
    return "| " + " | ".join(cells) + " |"


def main():
    torch = None
    if not ARGS.no_torch:
        try:
            import torch
        except ImportError:
            pass
    if torch is not None and ARGS.threads:
        torch.set_num_threads(ARGS.threads)
    print(header(torch), end="\n\n")
    cols = ["dtype", "(B, T, I, H)", "ours fwd ms", "ours fwd+bwd ms"]
    if torch is not None:
        cols += ["torch fwd ms", "torch fwd+bwd ms", "fwd ours/torch", "fwd+bwd ours/torch"]
    print("| " + " | ".join(cols) + " |")
    print("|" + " --- |" * len(cols))
    for dtype in DTYPES:
        for shape in SHAPES:
            print(row(shape, dtype, torch), flush=True)


if __name__ == "__main__":
    main()
