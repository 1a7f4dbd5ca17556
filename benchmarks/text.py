"""Writing text: character-level training throughput of lstm_core.train against torch on the CPU.

    python3 benchmarks/text.py                 # both engines when torch imports, else ours only
    python3 benchmarks/text.py --no-torch      # ours only
    python3 benchmarks/text.py --threads 1     # numpy's BLAS and torch both on one thread
    python3 benchmarks/text.py --one-hot       # ours fed one-hot float arrays instead of token ids
    python3 benchmarks/text.py --profile       # also where one of our steps' time goes

One step at the Writing-text page's shapes, float32: V symbols in, an LSTM of H units, a Dense
head of V outputs at every step, softmax cross-entropy against the next character, backward,
global-norm clipping at 5, one Adam step (lr 2e-3). Ours is one item of `lstm_core.train` on
token ids (T, B) (readout "sequence"); torch's is zero_grad, torch.nn.LSTM on the one-hot float
input (T, B, V), torch.nn.Linear at every step, cross_entropy, backward, clip_grad_norm_, step.
Throughput is characters a second, B * T / (median step time). Both engines get the same number
of threads (--threads, default: every core). Each engine runs in a process of its own (see
timing.py), the two alternating for --rounds rounds; each time is the lowest of the rounds'
medians. Prints Markdown: docs/benchmarks.md "Writing text: training throughput" holds a run.
"""
import argparse
import itertools
import json
import os

import timing

ROWS = [  # (V, H, B, T): 8 of the 24 of V in {45, 65, 100}, H in {128, 256}, B in {32, 64}, T in {40, 100}
    (45, 128, 64, 40), (45, 128, 32, 100), (65, 128, 64, 100), (100, 128, 32, 100),
    (45, 256, 32, 40), (65, 256, 64, 100), (100, 256, 64, 40), (100, 256, 32, 100),
]
# two warm-up calls, then repeats filling ~1 s (at least 5, at most 50) for each median
MEDIAN = dict(budget_s=1.0, warmups=2, min_repeats=5, max_repeats=50)
TARGET = 1.0  # ours / torch throughput the issue asks for
LR, CLIP = 2e-3, 5.0


def parse_args():
    """The flags in the docstring above; --engine (hidden) makes this process a worker."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-torch", action="store_true", help="time lstm_core only")
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="threads for numpy's BLAS and for torch (default: every core)")
    parser.add_argument("--one-hot", action="store_true", help="feed ours one-hot floats, not ids")
    parser.add_argument("--profile", action="store_true", help="time each part of our step as well")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each engine, alternating")
    parser.add_argument("--engine", choices=["ours", "torch"], help=argparse.SUPPRESS)  # a worker
    return parser.parse_args()


def data(V, B, T):
    """Seeded token ids (T + 1, B): inputs are the first T, targets the last T."""
    import numpy as np
    return np.random.default_rng(0).integers(0, V, size=(T + 1, B))


def ours(V, H, B, T, one_hot, profile):
    """{part: closure}: "step" is one item of lstm_core.train; with `profile` its parts too."""
    import numpy as np

    import lstm_core as lc
    ids = data(V, B, T)
    xs, target = (np.eye(V, dtype=np.float32)[ids[:-1]] if one_hot else ids[:-1]), ids[1:]
    model = lc.Model.init("lstm", V, H, V, seed=0).map(lambda a: a.astype(np.float32))
    steps = lc.train(model, itertools.repeat((xs, target)), lc.softmax_cross_entropy, lc.Adam(LR),
                     steps=10**9, clip=CLIP)
    closures = {"step": lambda: next(steps)}
    if not profile:
        return closures
    trace = lc.model_forward(model, xs)
    _, dy = lc.softmax_cross_entropy(trace.y, target)
    grads = lc.model_backward(model, trace, dy=dy).model.arrays()
    adam, arrays = lc.Adam(LR), model.arrays()
    state = adam.init(arrays)
    closures.update({
        "forward (LSTM + head)": lambda: lc.model_forward(model, xs),
        "  of which lstm_forward": lambda: lc.lstm_forward(model.layers[0].fwd, xs),
        "loss": lambda: lc.softmax_cross_entropy(trace.y, target),
        "backward (head + LSTM)": lambda: lc.model_backward(model, trace, dy=dy),
        "  of which lstm_backward": lambda: lc.lstm_backward(model.layers[0].fwd, trace.layers[0][0],
                                                             np.zeros((T, B, H), np.float32)),
        "clip": lambda: lc.clip_by_global_norm(grads, CLIP),
        "Adam update": lambda: adam.update(arrays, grads, state),
    })
    return closures


def theirs(V, H, B, T):
    """The same step in torch, on one-hot float inputs."""
    import torch
    torch.manual_seed(0)
    lstm, head = torch.nn.LSTM(V, H), torch.nn.Linear(H, V)
    params = list(lstm.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=LR)
    ids = torch.from_numpy(data(V, B, T))
    x, target = torch.nn.functional.one_hot(ids[:-1], V).float(), ids[1:].reshape(-1)

    def step():
        opt.zero_grad(set_to_none=True)
        out, _ = lstm(x)  # (T, B, H)
        loss = torch.nn.functional.cross_entropy(head(out).reshape(-1, V), target)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, CLIP)
        opt.step()

    return {"step": step}


def worker(engine, threads, one_hot, profile):
    """Time one engine at every row; print its facts and times as JSON."""
    facts = timing.setup_worker(engine, threads)
    times = {}
    for V, H, B, T in ROWS:
        parts = ours(V, H, B, T, one_hot, profile) if engine == "ours" else theirs(V, H, B, T)
        times[f"{V} {H} {B} {T}"] = {name: timing.median_time(fn, **MEDIAN) for name, fn in parts.items()}
    print(json.dumps({"facts": facts, "times": times}))


def table(mine, theirs_):
    """Markdown rows: our ms a step and characters a second, and torch's with the ratio."""
    cols = ["(V, H, B, T)", "ours ms/step", "ours chars/s"]
    if theirs_:
        cols += ["torch ms/step", "torch chars/s", "ours/torch", f"≥ {TARGET}×"]
    rows = ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
    for key, parts in mine.items():
        V, H, B, T = map(int, key.split())
        step = parts["step"]
        cells = [f"({V}, {H}, {B}, {T})", f"{step * 1e3:.1f}", f"{B * T / step:,.0f}"]
        if theirs_:
            t_step = theirs_[key]["step"]
            ratio = t_step / step  # throughput ratio
            cells += [f"{t_step * 1e3:.1f}", f"{B * T / t_step:,.0f}", f"{ratio:.2f}",
                      "yes" if ratio >= TARGET else "**no**"]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def verdicts(mine, theirs_):
    """One line a row: whether ours reaches TARGET times torch's throughput."""
    lines = []
    for key, parts in mine.items():
        ratio = theirs_[key]["step"] / parts["step"]
        met = "met" if ratio >= TARGET else "not met"
        lines.append(f"- (V, H, B, T) = ({', '.join(key.split())}): target ≥ {TARGET}×: {met} ({ratio:.2f}×)")
    return "\n".join(lines)


def profile_table(times):
    """Markdown rows: each part of our step, median ms, a column a row of ROWS."""
    keys = list(times)
    rows = ["| ours: part | " + " | ".join(f"({k.replace(' ', ', ')})" for k in keys) + " |",
            "|" + " --- |" * (len(keys) + 1)]
    for part in times[keys[0]]:
        rows.append(f"| {part} ms | " + " | ".join(f"{times[k][part] * 1e3:.2f}" for k in keys) + " |")
    return "\n".join(rows)


def main():
    """As a worker, time one engine; else run both in turns and print the tables."""
    args = parse_args()
    flags = (["--one-hot"] if args.one_hot else []) + (["--profile"] if args.profile else [])
    if args.engine:
        worker(args.engine, args.threads, args.one_hot, args.profile)
        return
    load, rounds = os.getloadavg(), max(args.rounds, 1)
    runs = timing.alternate(__file__, rounds, args.no_torch, args.threads, flags)
    mine = timing.fastest(runs["ours"])
    torch_run = timing.fastest(runs["torch"]) if runs["torch"] else None
    notes = ["float32; one step: LSTM + Dense head at every step + softmax cross-entropy + backward "
             f"+ global-norm clip {CLIP} + Adam({LR})",
             f"ours on {'one-hot float inputs' if args.one_hot else 'token ids'}, torch on one-hot floats",
             f"each time: the lowest of {rounds} rounds' medians, the engines alternating"]
    print(timing.header(mine, torch_run, args.threads, load, notes), end="\n\n")
    print(table(mine["times"], torch_run and torch_run["times"]))
    if torch_run:
        print()
        print(verdicts(mine["times"], torch_run["times"]))
    if args.profile:
        print("\nmedian ms per part of one of our steps:\n")
        print(profile_table(mine["times"]))


if __name__ == "__main__":
    main()
