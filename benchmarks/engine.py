"""Time lstm_forward and lstm_forward + lstm_backward against torch.nn.LSTM on the CPU.

    python3 benchmarks/engine.py                 # both engines when torch imports, else ours only
    python3 benchmarks/engine.py --no-torch      # ours only
    python3 benchmarks/engine.py --threads 1     # numpy's BLAS and torch both on one thread

Each time is the median of repeats after a warm-up, and the best such median of --rounds rounds
(other work on a shared machine only ever adds time). Forward + backward is a loss on the last
output, sum(h_T), backpropagated to every weight and to the inputs, in both engines.
Each engine runs in a process of its own, the two taking turns (benchmarks/timing.py says why).
Prints a Markdown table: docs/benchmarks.md holds one run and the command that made it.
"""
import json
import os

import timing

SHAPES = [(1, 20, 1, 4), (1, 100, 1, 8), (1, 500, 2, 16), (32, 100, 8, 64), (16, 200, 65, 128)]
DTYPES = ["float64", "float32"]
# one warm-up call, then repeats filling ~0.3 s (at least 7, at most 300) for each median
MEDIAN = dict(budget_s=0.3, warmups=1, min_repeats=7, max_repeats=300)


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


def worker(engine, threads):
    """Time one engine at every shape and dtype; print its facts and times as JSON."""
    facts = timing.setup_worker(engine, threads)
    closures = ours if engine == "ours" else theirs
    times = {}
    for dtype in DTYPES:
        for shape in SHAPES:
            fwd, fwd_bwd = (timing.median_time(fn, **MEDIAN) for fn in closures(shape, dtype))
            times[f"{dtype} {shape}"] = {"fwd": fwd, "fwd+bwd": fwd_bwd}
    print(json.dumps({"facts": facts, "times": times}))


def table(mine, theirs_):
    """Markdown rows: our times, and torch's with the ratio ours/torch when torch ran."""
    cols = ["dtype", "(B, T, I, H)", "ours fwd ms", "ours fwd+bwd ms"]
    if theirs_:
        cols += ["torch fwd ms", "torch fwd+bwd ms", "fwd ours/torch", "fwd+bwd ours/torch"]
    rows = ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
    for key, parts in mine.items():
        fwd, fb = parts["fwd"], parts["fwd+bwd"]
        dtype, shape = key.split(" ", 1)
        cells = [dtype, shape, f"{fwd * 1e3:.3f}", f"{fb * 1e3:.3f}"]
        if theirs_:
            t_fwd, t_fb = theirs_[key]["fwd"], theirs_[key]["fwd+bwd"]
            cells += [f"{t_fwd * 1e3:.3f}", f"{t_fb * 1e3:.3f}"]
            cells += [f"{fwd / t_fwd:.2f}", f"{fb / t_fb:.2f}"]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main():
    """As a worker, time one engine; else run both in turns and print the header and the table."""
    args = timing.engine_args(__doc__)
    if args.engine:
        worker(args.engine, args.threads)
        return
    load = os.getloadavg()
    runs = timing.alternate(__file__, args.rounds, args.no_torch, args.threads)
    mine = timing.fastest(runs["ours"])
    torch_run = timing.fastest(runs["torch"]) if runs["torch"] else None
    print(timing.header(mine, torch_run, args.threads, load), end="\n\n")
    print(table(mine["times"], torch_run and torch_run["times"]))


if __name__ == "__main__":
    main()
