"""Time to learn the Zen of Python: the Writing-text page's default recipe, ours against torch.

    python3 benchmarks/text_recipe.py              # ours (1 and 2 BLAS threads) and torch, if it imports
    python3 benchmarks/text_recipe.py --no-torch   # ours only

The recipe is the page's default preset (lstm_core.text.TextConfig()): one-hot input, the next
character predicted at every step of chunks of 40, LSTM(128) -> Dense(45), Adam(0.01), batch 32,
clipping at 5, 400 steps. Torch runs the same recipe on the same batches (lstm_core.text.batches,
so the same chunks in the same order): nn.LSTM + nn.Linear, cross_entropy, clip_grad_norm_, Adam.
"Loss" is the mean training cross-entropy of the last 20 steps (nats per character), as the page
reports it; a run's time to loss < 1 is measured at the first report below 1. Ours runs with one
BLAS thread (as the app's server does, ui/common/process.py) and with two, torch with one and two;
every run is a process of its own. The page's run also samples 120 characters and scores the held-out part at every
report; those are timed in ours (they are part of what the page waits for), not in torch's.
Prints Markdown: docs/benchmarks.md "Writing text: time to learn the Zen" holds one run.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 45.0  # the bar for loss < 1.0 nat/char with the page's default preset


def ours():
    """{"steps": [...], "loss": [...], "wall": [...], "cpu": [...]} of the page's run, per report."""
    from lstm_core import text as T
    from ui.text.corpora import zen
    out = {"steps": [], "loss": [], "wall": [], "cpu": []}
    wall, cpu = time.perf_counter(), time.process_time()
    for item in T.run_text(zen(), T.TextConfig()):
        out["steps"].append(item["step"])
        out["loss"].append(item["loss"])
        out["wall"].append(time.perf_counter() - wall)
        out["cpu"].append(time.process_time() - cpu)
    return out


def theirs():
    """The same recipe in torch on the same batches, reported every 20 steps."""
    import itertools

    import numpy as np
    import torch

    from lstm_core import text as T
    from ui.text.corpora import zen
    torch.manual_seed(0)
    config = T.TextConfig()
    prep = T.prepare(zen(), config)
    V = prep.vocab.size
    lstm, head = torch.nn.LSTM(V, config.units), torch.nn.Linear(config.units, V)
    params = list(lstm.parameters()) + list(head.parameters())
    adam = torch.optim.Adam(params, lr=config.lr)
    out = {"steps": [], "loss": [], "wall": [], "cpu": []}
    losses = []
    wall, cpu = time.perf_counter(), time.process_time()
    for step, (xs, ys) in enumerate(itertools.islice(T.batches(prep.train_ids, config, V), config.steps), 1):
        adam.zero_grad()
        x = torch.from_numpy(xs)
        y, _ = lstm(torch.nn.functional.one_hot(x, V).float() if x.dtype == torch.int64 else x)  # ids: one-hot
        loss = torch.nn.functional.cross_entropy(head(y).reshape(-1, V), torch.from_numpy(np.asarray(ys)).reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, config.clip)
        adam.step()
        losses.append(loss.item())
        if step % config.report_every == 0:
            out["steps"].append(step)
            out["loss"].append(float(np.mean(losses)))
            out["wall"].append(time.perf_counter() - wall)
            out["cpu"].append(time.process_time() - cpu)
            losses = []
    return out


def run(engine, threads):
    """One run in a process of its own, its BLAS (and torch) on `threads` threads."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": str(threads), "OMP_NUM_THREADS": str(threads),
           "PYTHONPATH": str(ROOT)}
    code = (f"import sys, json; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); import text_recipe as b; "
            f"import torch; torch.set_num_threads({threads})" if engine == "theirs" else
            f"import sys, json; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); import text_recipe as b")
    code += f"; print(json.dumps(b.{engine}()))"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def first_below(result, bound=1.0):
    """(step, wall s, cpu s) of the first report with loss < bound, or None."""
    for step, loss, wall, cpu in zip(result["steps"], result["loss"], result["wall"], result["cpu"]):
        if loss < bound:
            return step, wall, cpu
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-torch", action="store_true", help="time lstm_core only")
    args = parser.parse_args()
    rows = [("ours, 1 BLAS thread (the server's)", "ours", 1), ("ours, 2 BLAS threads", "ours", 2)]
    if not args.no_torch:
        try:
            import torch  # noqa: F401
            rows += [("torch 1 thread, same batches", "theirs", 1), ("torch 2 threads, same batches", "theirs", 2)]
        except ImportError:
            print("torch does not import: ours only")
    print(f"machine: nproc {os.cpu_count()}, Python {sys.version.split()[0]}, load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    print("| run | first report with loss < 1 (step) | wall s to it | CPU s to it | loss at 400 | wall s for 400 | target ≤ 45 s |")
    print("|---|---|---|---|---|---|---|")
    for name, engine, threads in rows:
        result = run(engine, threads)
        hit = first_below(result)
        step, wall, cpu = hit if hit else ("never", float("nan"), float("nan"))
        met = "met" if hit and wall <= TARGET_S else "**not met**"
        print(f"| {name} | {step} | {wall:.2f} | {cpu:.2f} | {result['loss'][-1]:.3f} | "
              f"{result['wall'][-1]:.2f} | {met if engine == 'ours' else '—'} |")


if __name__ == "__main__":
    main()
