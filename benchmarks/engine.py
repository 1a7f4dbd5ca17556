"""Time lstm_forward and lstm_forward + lstm_backward against torch.nn.LSTM on the CPU.

    python3 benchmarks/engine.py                 # both engines when torch imports, else ours only
    python3 benchmarks/engine.py --no-torch      # ours only
    python3 benchmarks/engine.py --threads 1     # numpy's BLAS and torch both on one thread

Each time is the median of repeats after a warm-up, and the best such median of --rounds rounds
(other work on a shared machine only ever adds time). Forward + backward is a loss on the last
output, sum(h_T), backpropagated to every weight and to the inputs, in both engines.
Each engine runs in a process of its own, the two taking turns: in one process, the thread pools
of OpenBLAS and of torch spin on the same two cores and the heap of one slows the other.
Prints a Markdown table: docs/benchmarks.md holds one run and the command that made it.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

SHAPES = [(1, 20, 1, 4), (1, 100, 1, 8), (1, 500, 2, 16), (32, 100, 8, 64), (16, 200, 65, 128)]
DTYPES = ["float64", "float32"]
BUDGET_S = 0.3  # time spent on the repeats of one measurement, roughly


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-torch", action="store_true", help="time lstm_core only")
    parser.add_argument("--threads", type=int, help="threads for numpy's BLAS and for torch")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; each time is the best round's")
    parser.add_argument("--engine", choices=["ours", "torch"], help=argparse.SUPPRESS)  # a worker
    return parser.parse_args()


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
    import numpy as np

    import lstm_core as lc
    B, T, I, H = shape
    params = lc.LSTMParams.init(I, H, seed=0, dtype=dtype)
    xs = np.random.default_rng(0).normal(size=(T, I) if B == 1 else (T, B, I)).astype(dtype)
    dh = np.zeros(((T, H) if B == 1 else (T, B, H)), dtype)
    dh[-1] = 1.0  # L = sum(h_T)

    def forward_backward():
        lc.lstm_backward(params, lc.lstm_forward(params, xs), dh)

    return (lambda: lc.lstm_forward(params, xs)), forward_backward


def theirs(shape, dtype):
    """The same two closures for torch.nn.LSTM, inputs requiring grad like our dxs."""
    import torch
    B, T, I, H = shape
    lstm = torch.nn.LSTM(I, H).to(getattr(torch, dtype))
    x = torch.randn(T, B, I, dtype=getattr(torch, dtype), requires_grad=True)

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
    """numpy's BLAS: threadpoolctl's view when installed, else numpy's build config."""
    import numpy as np
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas['name']} {blas['version']} (threadpoolctl not installed: threads unknown)"
    pools = [p for p in threadpool_info() if p["user_api"] == "blas"]
    return "; ".join(f"{p['internal_api']} {p['version']} {p.get('architecture')} "
                     f"threads={p['num_threads']}" for p in pools)


def worker(engine, threads):
    """Time one engine at every shape and dtype; print its facts and times as JSON."""
    if engine == "ours":
        import numpy as np
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        closures = ours
        facts = [f"numpy {np.__version__}, BLAS: {blas_info()}"]
    else:
        import torch
        if threads:
            torch.set_num_threads(threads)
        closures = theirs
        facts = [f"torch {torch.__version__}, torch.get_num_threads() = {torch.get_num_threads()}"]
    times = {}
    for dtype in DTYPES:
        for shape in SHAPES:
            times[f"{dtype} {shape}"] = [median_time(fn) for fn in closures(shape, dtype)]
    print(json.dumps({"facts": facts, "times": times}))


def run_worker(engine, threads):
    """Run `worker` in a fresh process; None when it fails (torch not importable)."""
    env = dict(os.environ)
    if threads:
        env["OPENBLAS_NUM_THREADS"] = str(threads)  # OpenBLAS reads it once, when numpy loads it
    cmd = [sys.executable, __file__, "--engine", engine]
    cmd += ["--threads", str(threads)] if threads else []
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    return json.loads(done.stdout) if done.returncode == 0 else None


def best_of(runs):
    """Facts of the first run and, for every row, the fastest of the runs' times."""
    keys = runs[0]["times"]
    times = {key: [min(run["times"][key][k] for run in runs) for k in range(2)] for key in keys}
    return {"facts": runs[0]["facts"], "times": times}


def header(facts, threads, load):
    """The machine, the libraries and the environment that change BLAS speed."""
    load = ", ".join(f"{x:.2f}" for x in load)
    lines = [f"- machine: {platform.machine()}, nproc {os.cpu_count()}, "
             f"Python {platform.python_version()}",
             f"- load average before the run: {load} (other work on the machine skews the times)"]
    lines += [f"- {fact}" for fact in facts]
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(var, "(unset)")
        lines.append(f"- {var}={threads if var == 'OPENBLAS_NUM_THREADS' and threads else value}")
    return "\n".join(lines)


def table(mine, theirs_):
    """Markdown rows: our times, and torch's with the ratio ours/torch when torch ran."""
    cols = ["dtype", "(B, T, I, H)", "ours fwd ms", "ours fwd+bwd ms"]
    if theirs_:
        cols += ["torch fwd ms", "torch fwd+bwd ms", "fwd ours/torch", "fwd+bwd ours/torch"]
    rows = ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
    for key, (fwd, fb) in mine.items():
        dtype, shape = key.split(" ", 1)
        cells = [dtype, shape, f"{fwd * 1e3:.3f}", f"{fb * 1e3:.3f}"]
        if theirs_:
            t_fwd, t_fb = theirs_[key]
            cells += [f"{t_fwd * 1e3:.3f}", f"{t_fb * 1e3:.3f}"]
            cells += [f"{fwd / t_fwd:.2f}", f"{fb / t_fb:.2f}"]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main():
    args = parse_args()
    if args.engine:
        worker(args.engine, args.threads)
        return
    load = os.getloadavg()
    mine, torch_runs = [], []
    for _ in range(args.rounds):
        mine.append(run_worker("ours", args.threads))
        if mine[-1] is None:
            sys.exit("timing lstm_core failed: run with --engine ours to see why")
        torch_runs.append(None if args.no_torch else run_worker("torch", args.threads))
    torch_runs = [run for run in torch_runs if run is not None]
    mine, torch_run = best_of(mine), (best_of(torch_runs) if torch_runs else None)
    facts = mine["facts"] + (torch_run["facts"] if torch_run else
                             ["torch: not timed (--no-torch, or not importable): our times only"])
    print(header(facts, args.threads, load), end="\n\n")
    print(table(mine["times"], torch_run and torch_run["times"]))


if __name__ == "__main__":
    main()
