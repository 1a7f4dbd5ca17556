"""How benchmarks/engine.py and benchmarks/training.py measure: a median time, a process per engine.

Each engine, ours (lstm_core) and torch, is timed in a process of its own, the two taking turns
over rounds: in one process the thread pools of OpenBLAS and of torch spin on the same two cores
and the heap of one slows the other (torch's forward + backward at (32, 100, 8, 64) took 8-9 ms
after ours had run, 4.5-5 ms alone). A script is both the parent, which runs the rounds and prints
the tables, and the worker: run with `--engine ours|torch` it times that engine and prints JSON,
{"facts": [...], "times": {row: {part: seconds}}, ...}. Of the rounds, each time keeps the lowest
median: other work on a shared machine only ever adds time.
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

ROOT = Path(__file__).resolve().parents[1]
ENV_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")


def engine_args(doc):
    """The flags of a script that times ours against torch (its docstring `doc` says them);
    --engine (hidden) makes the process a worker."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--no-torch", action="store_true", help="time lstm_core only")
    parser.add_argument("--threads", type=int, help="threads for numpy's BLAS and for torch")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; each time is the best round's")
    parser.add_argument("--engine", choices=["ours", "torch"], help=argparse.SUPPRESS)  # a worker
    return parser.parse_args()


def median_time(fn, *, budget_s, warmups, min_repeats, max_repeats):
    """Median wall time of fn() in seconds, after `warmups` calls that are not counted.

    The last warm-up's time sets the repeats: as many as fill about budget_s, clamped to
    [min_repeats, max_repeats], so a fast call gets a stable median and a slow one a bounded run.
    """
    for _ in range(warmups):
        start = time.perf_counter()
        fn()
    once = time.perf_counter() - start
    times = []
    for _ in range(int(min(max(budget_s / max(once, 1e-9), min_repeats), max_repeats))):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_cpu_ms(fn, repeats):
    """Median CPU ms (`time.process_time`: this process's threads) of fn() over `repeats` calls, after
    one warm-up call: what a page's rerun costs the server, not the wall clock of a shared machine."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return 1e3 * statistics.median(times)


def blas_info():
    """numpy's BLAS: threadpoolctl's view (with threads) when installed, else its build config."""
    import numpy as np
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas['name']} {blas['version']} (threadpoolctl not installed: threads unknown)"
    pools = [p for p in threadpool_info() if p["user_api"] == "blas"]
    return "; ".join(f"{p['internal_api']} {p['version']} {p.get('architecture')} "
                     f"threads={p['num_threads']}" for p in pools)


def setup_worker(engine, threads):
    """Ready this worker process for `engine`; the facts about its library for the header.

    Ours: the repository goes on sys.path so that `import lstm_core` finds it from any directory.
    Torch: its intra-op threads are set here; numpy's BLAS got OPENBLAS_NUM_THREADS from run_worker.
    """
    if engine == "ours":
        import numpy as np
        sys.path.insert(0, str(ROOT))
        return [f"numpy {np.__version__}, BLAS: {blas_info()}"]
    import torch
    if threads:
        torch.set_num_threads(threads)
    return [f"torch {torch.__version__}, torch.get_num_threads() = {torch.get_num_threads()}"]


def run_worker(script, engine, threads, flags=()):
    """Run `script --engine ENGINE` in a fresh process; its JSON, or None when it fails.

    OPENBLAS_NUM_THREADS goes in the environment: OpenBLAS reads it once, when numpy loads it.
    """
    env = dict(os.environ)
    if threads:
        env["OPENBLAS_NUM_THREADS"] = str(threads)
    cmd = [sys.executable, script, "--engine", engine, *flags]
    cmd += ["--threads", str(threads)] if threads else []
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    return json.loads(done.stdout) if done.returncode == 0 else None


def alternate(script, rounds, no_torch, threads, flags=()):
    """{"ours": runs, "torch": runs} of max(rounds, 1) rounds, each a worker of ours, then of torch.

    Exits at once when ours fails. Torch's list is empty with no_torch, or when any of its runs
    failed (torch not importable), so its times are always the lowest of every round.
    """
    engines = ["ours"] if no_torch else ["ours", "torch"]
    runs = {"ours": [], "torch": []}
    for _ in range(max(rounds, 1)):
        for engine in engines:
            runs[engine].append(run_worker(script, engine, threads, flags))
            if runs["ours"][-1] is None:
                sys.exit("timing lstm_core failed: run with --engine ours to see why")
    if None in runs["torch"]:
        runs["torch"] = []
    return runs


def fastest(runs):
    """One run from several: the first run's facts, and for each row and part the lowest time."""
    times = {row: {part: min(run["times"][row][part] for run in runs) for part in parts}
             for row, parts in runs[0]["times"].items()}
    return {"facts": runs[0]["facts"], "times": times}


def header(mine, torch_run, threads, load, notes=()):
    """Markdown bullets on what sets the times: the machine, its load before the run, `notes` on the
    run, each engine's library facts, and the environment variables that change BLAS's speed."""
    facts = mine["facts"] + (torch_run["facts"] if torch_run else
                             ["torch: not timed (--no-torch, or not importable): our times only"])
    lines = [f"- machine: {platform.machine()}, nproc {os.cpu_count()}, "
             f"Python {platform.python_version()}",
             f"- load average before the run: {', '.join(f'{x:.2f}' for x in load)} "
             "(other work on the machine skews the times)"]
    lines += [f"- {line}" for line in [*notes, *facts]]
    for var in ENV_VARS:
        value = os.environ.get(var, "(unset)")
        lines.append(f"- {var}={threads if var == 'OPENBLAS_NUM_THREADS' and threads else value}")
    return "\n".join(lines)
