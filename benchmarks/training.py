"""Training throughput: lstm_core.train (LSTM + Dense head + Adam) against torch on the CPU.

    python3 benchmarks/training.py                 # both engines when torch imports, else ours only
    python3 benchmarks/training.py --no-torch      # ours only
    python3 benchmarks/training.py --threads 1     # numpy's BLAS and torch both on one thread
    python3 benchmarks/training.py --profile       # also where one step's time goes, in both engines

One step is what the training lab does: forward over (T, B, I) inputs, softmax cross-entropy on the
head's output at the last step, backward to every weight, one Adam update. Ours is one item of the
`lstm_core.train` generator (which also measures the gradient norm and rebuilds the model); torch's
is zero_grad, torch.nn.LSTM, torch.nn.Linear on the last step, cross_entropy, backward, step.
Throughput is B / (median step time). Each engine runs in a process of its own (see timing.py),
the two alternating for --rounds rounds; each time is the lowest of the rounds' medians, so a burst
of other work on a shared machine spoils a round, not the result.
Prints Markdown: docs/benchmarks.md "Training throughput" holds one run and the command.
"""
import argparse
import itertools
import json
import os

import timing

B, T, I, O = 32, 50, 2, 2  # batch, steps, input features, classes: the lab's remember_first
HIDDEN = [8, 32, 64]
DTYPES = ["float64", "float32"]
# three warm-up calls, then repeats filling ~0.5 s (at least 15, at most 2000) for each median
MEDIAN = dict(budget_s=0.5, warmups=3, min_repeats=15, max_repeats=2000)
TARGET = 0.8  # ours / torch throughput we aim for


def parse_args():
    """The flags in the docstring above; --engine (hidden) makes this process a worker."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-torch", action="store_true", help="time lstm_core only")
    parser.add_argument("--threads", type=int, help="threads for numpy's BLAS and for torch")
    parser.add_argument("--profile", action="store_true", help="time each part of a step as well")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each engine, alternating")
    parser.add_argument("--engine", choices=["ours", "torch"], help=argparse.SUPPRESS)  # a worker
    return parser.parse_args()


def ours(H, dtype):
    """{part: closure}: "step" is one item of lstm_core.train; the rest split a step into its parts."""
    import numpy as np

    import lstm_core as lc
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(T, B, I)).astype(dtype)
    target = rng.integers(0, O, size=B)
    loss_fn = lc.task_loss(lc.make_task("remember_first", T, B, seed=0))  # the lab's loss; our data
    model = lc.Model.init("lstm", I, H, O, seed=0).map(lambda a: a.astype(dtype))
    steps = lc.train(model, itertools.repeat((xs, target)), loss_fn, lc.Adam(1e-3), steps=10**9)
    closures = {"step": lambda: next(steps)}
    trace = lc.model_forward(model, xs)
    _, dy = loss_fn(trace.y, target)
    grads = lc.model_backward(model, trace, dy=dy).model.arrays()
    adam, arrays = lc.Adam(1e-3), model.arrays()
    state = adam.init(arrays)
    closures.update({
        "forward (LSTM + head)": lambda: lc.model_forward(model, xs),
        "  of which lstm_forward": lambda: lc.lstm_forward(model.layers[0].fwd, xs),
        "loss": lambda: loss_fn(trace.y, target),
        "backward (head + LSTM)": lambda: lc.model_backward(model, trace, dy=dy),
        "  of which lstm_backward": lambda: lc.lstm_backward(model.layers[0].fwd, trace.layers[0][0],
                                                             np.zeros((T, B, H), dtype)),
        "grad norm": lambda: lc.global_norm(grads),
        "Adam update": lambda: adam.update(arrays, grads, state),
        "model rebuild": lambda: model.replace_arrays(arrays),
    })
    return closures


def theirs(H, dtype):
    """The same for torch: "step" is the whole step, the rest its parts."""
    import torch
    torch.manual_seed(0)
    dt = getattr(torch, dtype)
    lstm, head = torch.nn.LSTM(I, H).to(dt), torch.nn.Linear(H, O).to(dt)
    params = list(lstm.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    x, target = torch.randn(T, B, I, dtype=dt), torch.randint(0, O, (B,))

    def loss():
        out, _ = lstm(x)  # (T, B, H)
        return torch.nn.functional.cross_entropy(head(out[-1]), target)

    def step():
        opt.zero_grad(set_to_none=True)
        loss().backward()
        opt.step()

    def backward():
        opt.zero_grad(set_to_none=True)
        loss().backward()

    step()  # Adam's state exists from here on
    return {"step": step, "forward (LSTM + head)": loss, "forward + backward": backward,
            "Adam update": opt.step}


def worker(engine, threads, profile):
    """Time one engine at every size and dtype; print its facts and times as JSON."""
    facts = timing.setup_worker(engine, threads)
    closures = ours if engine == "ours" else theirs
    times, faults = {}, {}
    for dtype in DTYPES:
        for H in HIDDEN:
            parts = closures(H, dtype)
            chosen = parts if profile else {"step": parts["step"]}
            times[f"{dtype} {H}"] = {name: timing.median_time(fn, **MEDIAN)
                                     for name, fn in chosen.items()}
            faults[f"{dtype} {H}"] = page_faults(parts["step"])
    print(json.dumps({"facts": facts, "times": times, "faults": faults}))


def page_faults(fn, repeats=50):
    """Minor page faults per call of fn (fresh memory the kernel maps on first touch); None off Unix."""
    try:
        import resource
    except ImportError:
        return None
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(repeats):
        fn()
    return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / repeats


def quietest(rounds):
    """One run from several: each time the lowest over the rounds, page faults the highest."""
    faults = {key: None if value is None else max(r["faults"][key] for r in rounds)
              for key, value in rounds[0]["faults"].items()}
    return {**timing.fastest(rounds), "faults": faults}


def table(mine, theirs_):
    """Markdown rows: our step time and throughput, and torch's with the ratio when torch ran."""
    cols = ["dtype", "H", "ours ms/step", "ours seq/s"]
    if theirs_:
        cols += ["torch ms/step", "torch seq/s", "ours/torch", f"≥ {TARGET}"]
    rows = ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
    for key, parts in mine.items():
        dtype, H = key.split(" ")
        step = parts["step"]
        cells = [dtype, H, f"{step * 1e3:.2f}", f"{B / step:,.0f}"]
        if theirs_:
            t_step = theirs_[key]["step"]
            ratio = t_step / step  # throughput ratio
            cells += [f"{t_step * 1e3:.2f}", f"{B / t_step:,.0f}", f"{ratio:.3f}",
                      "yes" if ratio >= TARGET else "**no**"]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def profile_table(name, run):
    """Markdown rows: each part's median ms at every size and dtype, then page faults per step."""
    times, faults = run["times"], run["faults"]
    keys = list(times)
    rows = [f"| {name}: part | " + " | ".join(k.replace(" ", ", H = ") for k in keys) + " |",
            "|" + " --- |" * (len(keys) + 1)]
    for part in times[keys[0]]:
        rows.append(f"| {part} ms | " + " | ".join(f"{times[k][part] * 1e3:.2f}" for k in keys) + " |")
    if faults[keys[0]] is not None:
        rows.append("| minor page faults per step | " + " | ".join(f"{faults[k]:.0f}" for k in keys) + " |")
    return "\n".join(rows)


def main():
    """As a worker, time one engine; else run both in turns and print the tables."""
    args = parse_args()
    if args.engine:
        worker(args.engine, args.threads, args.profile)
        return
    load, rounds = os.getloadavg(), max(args.rounds, 1)
    runs = timing.alternate(__file__, rounds, args.no_torch, args.threads,
                            ["--profile"] if args.profile else [])
    mine = quietest(runs["ours"])
    torch_run = quietest(runs["torch"]) if runs["torch"] else None
    notes = [f"shapes: B = {B}, T = {T}, I = {I}, {O} classes; one Adam step per training step",
             f"each time: the lowest of {rounds} rounds' medians, the engines alternating"]
    print(timing.header(mine, torch_run, args.threads, load, notes), end="\n\n")
    print(table(mine["times"], torch_run and torch_run["times"]))
    if args.profile:
        print("\nmedian ms per part of one step:\n")
        print(profile_table("ours", mine))
        if torch_run:
            print()
            print(profile_table("torch", torch_run))


if __name__ == "__main__":
    main()
