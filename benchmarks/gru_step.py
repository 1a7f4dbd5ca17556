"""Time the forward and the backward pass of the LSTM, the GRU and the tanh RNN, ours and torch's.

    python3 benchmarks/gru_step.py                 # both engines when torch imports, else ours only
    python3 benchmarks/gru_step.py --threads 1     # numpy's BLAS and torch both on one thread
    python3 benchmarks/gru_step.py --no-torch      # ours only

At (T, B, I) = (50, 32, 2) and H = 8, 32, 64, 128, float64: the shapes of the Variants page's races
and the Training lab. Forward is one call of the cell's forward pass; backward one call of its
backward pass on a trace made once, for a loss on the last output, sum(h_T) (torch: backward with
retain_graph through a graph made once). Each time is the median of repeats after a warm-up, the
best such median of --rounds rounds, each engine in a process of its own (benchmarks/timing.py).
Prints a Markdown table with the ratio GRU/LSTM: docs/benchmarks.md, "GRU step", holds one run.
"""
import json
import os

import timing

T, B, I = 50, 32, 2
HIDDEN = (8, 32, 64, 128)
KINDS = ("lstm", "gru", "rnn_tanh")
MEDIAN = dict(budget_s=0.3, warmups=2, min_repeats=15, max_repeats=500)


def ours(kind, H):
    """(forward, backward) closures of lstm_core's cell `kind` at hidden size H."""
    import numpy as np

    from lstm_core import cells
    cell = cells.cell(kind)
    params = cell.init(I, H, seed=0)
    xs = np.random.default_rng(0).normal(size=(T, B, I))
    dh = np.zeros((T, B, H))
    dh[-1] = 1.0  # L = sum(h_T)
    trace = cell.forward(params, xs)
    return (lambda: cell.forward(params, xs)), (lambda: cell.backward(params, trace, dh))


def theirs(kind, H):
    """The same two closures for torch.nn.LSTM / GRU / RNN, inputs requiring grad like our dxs."""
    import torch
    module = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn_tanh": torch.nn.RNN}[kind](I, H).double()
    x = torch.randn(T, B, I, dtype=torch.float64, requires_grad=True)
    loss = module(x)[0][-1].sum()  # L = sum(h_T), its graph kept for repeated backward passes

    def forward():
        with torch.no_grad():
            module(x)

    return forward, (lambda: loss.backward(retain_graph=True))


def worker(engine, threads):
    """Time one engine for every kind and H; print its facts and times as JSON."""
    facts = timing.setup_worker(engine, threads)
    closures = ours if engine == "ours" else theirs
    times = {}
    for H in HIDDEN:
        for kind in KINDS:
            fwd, bwd = (timing.median_time(fn, **MEDIAN) for fn in closures(kind, H))
            times[f"{H} {kind}"] = {"fwd": fwd, "bwd": bwd}
    print(json.dumps({"facts": facts, "times": times}))


def table(mine, theirs_):
    """Markdown rows, one per H: forward and backward ms per call of each kind, and GRU/LSTM."""
    cols = ["H"] + [f"{name} {part} ms" for name in ("LSTM", "GRU", "RNN") for part in ("fwd", "bwd")]
    cols += ["GRU/LSTM fwd", "GRU/LSTM bwd"]
    if theirs_:
        cols += [f"torch {name} {part} ms" for name in ("LSTM", "GRU") for part in ("fwd", "bwd")]
    rows = ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
    for H in HIDDEN:
        ms = {kind: mine[f"{H} {kind}"] for kind in KINDS}
        cells_ = [str(H)] + [f"{ms[kind][part] * 1e3:.2f}" for kind in KINDS for part in ("fwd", "bwd")]
        cells_ += [f"{ms['gru'][part] / ms['lstm'][part]:.2f}" for part in ("fwd", "bwd")]
        if theirs_:
            cells_ += [f"{theirs_[f'{H} {kind}'][part] * 1e3:.2f}" for kind in ("lstm", "gru")
                       for part in ("fwd", "bwd")]
        rows.append("| " + " | ".join(cells_) + " |")
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
    notes = [f"(T, B, I) = ({T}, {B}, {I}), float64"]
    print(timing.header(mine, torch_run, args.threads, load, notes), end="\n\n")
    print(table(mine["times"], torch_run and torch_run["times"]))


if __name__ == "__main__":
    main()
