"""Forecasting: the source notes' Keras recipe on Seattle temp_max, Keras 3 (torch backend) against lstm_core.

    python3 benchmarks/forecast_keras.py                # Keras and ours, seeds 0 1 2, one thread each
    python3 benchmarks/forecast_keras.py --no-keras     # ours only (also when keras does not import)
    python3 benchmarks/forecast_keras.py --dtype float32
    python3 benchmarks/forecast_keras.py --profile      # also cProfile's top entries of our training
    python3 benchmarks/forecast_keras.py --rounds 3     # each CPU time the lowest of 3 rounds
    python3 benchmarks/forecast_keras.py --same-batches 1 10   # both in float64 on the same batches

The recipe, as the notes write it: MinMaxScaler(0, 1) fitted on the whole series, 80/20 split without
shuffling, create_dataset(look_back=10) (1,157 training windows of 1,461 days), inputs (samples, 1, 10),
LSTM(50, return_sequences=True) -> LSTM(50) -> Dense(1), Adam(lr 1e-3, eps 1e-7), MSE, 100 epochs of
shuffled batches of 32 (the last one partial), predictions inverse-transformed, test RMSE in °C.
For each seed, Keras (float32, its default) starts from keras.utils.set_random_seed(seed)'s initial
weights; ours starts from the same weights, copied through LSTMParams.from_keras, so the RMSEs compare
like for like (the shuffling orders differ). Without keras, ours starts from Model.init(init="keras").
Time is CPU time (time.process_time) of the training call alone, numpy's BLAS and torch on one thread.
Each engine runs in a process of its own (benchmarks/timing.py says why), Keras first: its worker
writes the initial weights that ours then reads. With --rounds R the two take turns R times and each
CPU time is the lowest of its rounds (other work on a shared machine only ever adds time; the RMSEs
are the same every round). Prints Markdown: docs/benchmarks.md holds a run.

--same-batches E ... is a check, not a timing: Keras (floatx float64) and ours from Keras's seed-0
weights, both on the same unshuffled batches for E epochs, with Adam's epsilon 1e-7 and 1e-12;
it prints how far the weights drift apart, as a fraction of how far Keras moved them.
"""
import argparse
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import timing

SEEDS = (0, 1, 2)
LOOK_BACK, TRAIN_FRACTION, UNITS = 10, 0.8, 50
EPOCHS, BATCH, LR, EPS = 100, 32, 1e-3, 1e-7  # Keras's Adam defaults but epsilon (torch: 1e-8)
SERIES = "seattle_temp_max"
TARGET = 0.25  # ours / Keras CPU time, the target
PROFILE_EPOCHS, PROFILE_TOP = 10, 18


def parse_args():
    """The flags in the docstring above; --engine (hidden) makes this process a worker."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-keras", action="store_true", help="time lstm_core only")
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64", help="our engine's dtype")
    parser.add_argument("--threads", type=int, default=1, help="threads for numpy's BLAS and for torch")
    parser.add_argument("--profile", action="store_true", help="cProfile our training as well")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each engine, taking turns")
    parser.add_argument("--same-batches", type=int, nargs="+", metavar="E",
                        help="compare Keras and ours in float64 on the same batches after E epochs")
    parser.add_argument("--engine", choices=["ours", "torch"], help=argparse.SUPPRESS)  # torch: Keras on torch
    parser.add_argument("--weights", help=argparse.SUPPRESS)  # folder of Keras's initial weights per seed
    return parser.parse_args()


def recipe_data():
    """The seed's data: {X_train (N, 1, L), Y_train (N, 1), X_test, y_test (original units), scaler, ...}."""
    sys.path.insert(0, str(timing.ROOT))
    from lstm_core import series as sr
    from ui.forecast.data import load_builtin

    values = load_builtin(SERIES).values
    n_train = sr.split_point(len(values), TRAIN_FRACTION, LOOK_BACK)
    scaler = sr.fit_scaler(values, n_train, leak=True)  # the seed: fitted on the whole series
    w = sr.make_windows(scaler.transform(values), n_train, LOOK_BACK)
    return {"X_train": sr.layout(w.X_train, "one_step"), "Y_train": w.y_train[:, None],
            "X_test": sr.layout(w.X_test, "one_step"), "y_test": scaler.inverse(w.y_test),
            "scaler": scaler, "persistence": sr.rmse(scaler.inverse(sr.persistence(w.X_test)),
                                                     scaler.inverse(w.y_test))}


def rmse_on_test(data, scaled_pred):
    """Test RMSE in original units of scaled predictions (N, 1)."""
    from lstm_core import series as sr
    return sr.rmse(data["scaler"].inverse(scaled_pred[:, 0]), data["y_test"])


def keras_worker(data, folder):
    """Fit the recipe in Keras per seed; write each seed's initial weights to `folder` first."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras

    facts = [f"keras {keras.__version__}, backend {keras.backend.backend()}, floatx {keras.config.floatx()}"]
    results = {}
    for seed in SEEDS:
        model = keras_model(keras, seed, EPS)
        np.savez(Path(folder) / f"seed{seed}.npz", *model.get_weights())
        start = time.process_time()
        model.fit(data["X_train"], data["Y_train"], epochs=EPOCHS, batch_size=BATCH, verbose=0)
        cpu = time.process_time() - start
        results[seed] = {"cpu_s": cpu, "rmse": rmse_on_test(data, model.predict(data["X_test"], verbose=0))}
    return facts, results


def keras_model(keras, seed, eps):
    """The notes' model in Keras, compiled with the recipe's Adam and MSE, seeded initial weights."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((1, LOOK_BACK)), keras.layers.LSTM(UNITS, return_sequences=True),
                              keras.layers.LSTM(UNITS), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=LR, epsilon=eps), loss="mse")
    return model


def from_keras_weights(w):
    """Our Model from the Keras model's get_weights(): two LSTMs' (kernel, recurrent, bias), Dense."""
    import lstm_core as lc
    w = [np.asarray(a, dtype=np.float64) for a in w]  # float32 Keras weights are exact in float64
    layers = tuple(lc.Layer("lstm", lc.LSTMParams.from_keras(*w[k:k + 3])) for k in (0, 3))
    return lc.Model(layers, lc.Dense(W=w[6].T, b=w[7]), readout="last").validate()


def our_model(folder, seed, dtype):
    """The recipe's model in lstm_core: Keras's initial weights of `seed` when saved, else init="keras"."""
    import lstm_core as lc
    path = Path(folder) / f"seed{seed}.npz" if folder else None
    if path is None or not path.exists():
        model = lc.Model.init("lstm", LOOK_BACK, UNITS, 1, num_layers=2, seed=seed, init="keras", readout="last")
    else:
        with np.load(path) as f:
            model = from_keras_weights([f[f"arr_{k}"] for k in range(len(f.files))])
    return model.map(lambda a: a.astype(dtype))


def our_training(model, data, epochs, seed, *, eps=EPS, shuffle=True):
    """The train() generator over the recipe's mini-batches; the last model."""
    import lstm_core as lc
    X, Y = data["X_train"].astype(model.dtype), data["Y_train"].astype(model.dtype)
    steps = epochs * lc.steps_per_epoch(len(X), BATCH)
    batches = lc.minibatches(X, Y, batch_size=BATCH, epochs=epochs, seed=seed, shuffle=shuffle)
    for info in lc.train(model, batches, lc.mse_loss, lc.Adam(LR, eps=eps, eps_placement="keras"), steps=steps):
        pass
    return info["model"]


def ours_worker(data, folder, dtype, profile):
    """Train the recipe in lstm_core per seed; with `profile`, cProfile's top entries of a shorter run."""
    import lstm_core as lc
    results = {}
    for seed in SEEDS:
        model = our_model(folder, seed, dtype)
        start = time.process_time()
        model = our_training(model, data, EPOCHS, seed)
        cpu = time.process_time() - start
        results[seed] = {"cpu_s": cpu, "rmse": rmse_on_test(data, lc.predict(model, data["X_test"].astype(dtype)))}
    return results, profiled(data, folder, dtype) if profile else None


def profiled(data, folder, dtype):
    """cProfile's top entries over PROFILE_EPOCHS epochs of our training, as text: by own time, then
    lstm_core's functions by cumulative time (where a step's time goes, phase by phase)."""
    import cProfile
    import io
    import pstats

    model = our_model(folder, SEEDS[0], dtype)
    profiler = cProfile.Profile()
    profiler.runcall(our_training, model, data, PROFILE_EPOCHS, SEEDS[0])
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(PROFILE_TOP)
    ours = "|".join(p.stem for p in (timing.ROOT / "lstm_core").glob("*.py"))
    stats.sort_stats("cumulative").print_stats(rf"^({ours})\.py:", PROFILE_TOP)
    return out.getvalue()


def same_batches(epoch_counts):
    """Markdown rows: Keras and ours in float64 from the same weights on the same unshuffled batches."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras
    keras.config.set_floatx("float64")
    data = recipe_data()  # puts the repository on sys.path
    import lstm_core as lc
    head = ("| Adam eps | epochs | steps | max drift / Keras's change | arrays never changed "
            "| ours test RMSE °C | Keras test RMSE °C |")
    rows = [head, "|" + " --- |" * 7]
    for eps in (EPS, 1e-12):
        for epochs in epoch_counts:
            model = keras_model(keras, 0, eps)
            start = model.get_weights()
            model.fit(data["X_train"], data["Y_train"], epochs=epochs, batch_size=BATCH, verbose=0, shuffle=False)
            ours = our_training(from_keras_weights(start), data, epochs, 0, eps=eps, shuffle=False)
            mine = [a for layer in ours.layers for a in layer.fwd.to_keras()] + [ours.head.W.T, ours.head.b]
            moved = [(a, b, c) for a, b, c in zip(mine, model.get_weights(), start) if np.any(b != c)]
            drift = max(np.abs(a - b).max() / np.abs(b - c).max() for a, b, c in moved)
            rows.append(f"| {eps:g} | {epochs} | {epochs * lc.steps_per_epoch(len(data['X_train']), BATCH):,} "
                        f"| {drift:.1e} | {len(start) - len(moved)} of {len(start)} "
                        f"| {rmse_on_test(data, lc.predict(ours, data['X_test'])):.4f} "
                        f"| {rmse_on_test(data, model.predict(data['X_test'], verbose=0)):.4f} |")
    return "\n".join(rows)


def worker(args):
    """Run one engine; print its facts and results as JSON."""
    facts = timing.setup_worker(args.engine, args.threads)
    data = recipe_data()
    out = {"facts": facts, "persistence": data["persistence"], "n_train": len(data["X_train"])}
    if args.engine == "torch":
        more, out["results"] = keras_worker(data, args.weights)
        out["facts"] += more
    else:
        out["results"], out["profile"] = ours_worker(data, args.weights, args.dtype, args.profile)
    print(json.dumps(out))


def lowest(runs):
    """One run from several: the last run, with each seed's CPU time the lowest of all the runs."""
    out = dict(runs[-1])
    out["results"] = {seed: {**r, "cpu_s": min(run["results"][seed]["cpu_s"] for run in runs)}
                      for seed, r in runs[-1]["results"].items()}
    return out


def adam_steps(n_train):
    """Optimizer steps of the whole fit: EPOCHS times ceil(n_train / BATCH), the partial batch kept."""
    return EPOCHS * math.ceil(n_train / BATCH)


def table(mine, keras_run, dtype):
    """Markdown rows per seed and their mean: CPU seconds, the ratio, test RMSEs."""
    ours_res = mine["results"]
    steps = adam_steps(mine["n_train"])
    cols = ["seed", f"ours CPU s ({dtype})", "ours ms/step"]
    if keras_run:
        cols += ["Keras CPU s", "ours / Keras", "ours test RMSE °C", "Keras test RMSE °C"]
    else:
        cols += ["ours test RMSE °C"]
    rows = ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
    seeds = list(ours_res)
    for label, pick in [*((s, [s]) for s in seeds), ("mean", seeds)]:
        cpu = sum(ours_res[s]["cpu_s"] for s in pick) / len(pick)
        rmse = sum(ours_res[s]["rmse"] for s in pick) / len(pick)
        cells = [str(label), f"{cpu:.2f}", f"{cpu / steps * 1e3:.2f}"]
        if keras_run:
            k = keras_run["results"]
            k_cpu = sum(k[s]["cpu_s"] for s in pick) / len(pick)
            k_rmse = sum(k[s]["rmse"] for s in pick) / len(pick)
            cells += [f"{k_cpu:.2f}", f"{cpu / k_cpu:.3f}", f"{rmse:.3f}", f"{k_rmse:.3f}"]
        else:
            cells += [f"{rmse:.3f}"]
        rows.append("| " + " | ".join(f"**{c}**" if label == "mean" else c for c in cells) + " |")
    return "\n".join(rows)


def spread(results):
    """'mean ± sample standard deviation' of the RMSEs over the seeds."""
    import statistics
    values = [r["rmse"] for r in results.values()]
    return f"{statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}"


def main():
    """As a worker, run one engine; else Keras, then ours, and print the tables."""
    args = parse_args()
    if args.engine:
        worker(args)
        return
    if args.same_batches:
        print(same_batches(args.same_batches))
        return
    load, rounds = os.getloadavg(), max(args.rounds, 1)
    keras_runs, my_runs = [], []
    with tempfile.TemporaryDirectory() as folder:
        for r in range(rounds):
            if not args.no_keras:
                keras_runs.append(timing.run_worker(__file__, "torch", args.threads, ["--weights", folder]))
            profile = ["--profile"] if args.profile and r == rounds - 1 else []
            my_runs.append(timing.run_worker(__file__, "ours", args.threads,
                                             ["--weights", folder, "--dtype", args.dtype, *profile]))
            if my_runs[-1] is None:
                sys.exit("lstm_core's run failed: run with --engine ours to see why")
    keras_run = None if not keras_runs or None in keras_runs else lowest(keras_runs)
    mine = lowest(my_runs)
    start = "Keras's initial weights of each seed" if keras_run else 'Model.init(init="keras", seed=seed)'
    notes = [(f"{SERIES}: {mine['n_train']:,} training windows, {EPOCHS} epochs of batches of {BATCH} "
              f"({adam_steps(mine['n_train']):,} Adam steps), seeds {', '.join(map(str, SEEDS))}"),
             (f"ours starts from {start}; CPU time of the training call (time.process_time), "
              f"the lowest of {rounds} round(s), the engines taking turns")]
    if keras_run is None:
        notes.append("Keras: not run (--no-keras, or keras does not import): ours only")
    print(timing.header(mine, keras_run, args.threads, load, notes), end="\n\n")
    print(table(mine, keras_run, args.dtype), end="\n\n")
    print(f"- persistence ('tomorrow = today') test RMSE: {mine['persistence']:.3f} °C")
    print(f"- test RMSE over the seeds, mean ± sd: ours {spread(mine['results'])} °C"
          + (f", Keras {spread(keras_run['results'])} °C" if keras_run else ""))
    if keras_run:
        ratio = (sum(r["cpu_s"] for r in mine["results"].values())
                 / sum(r["cpu_s"] for r in keras_run["results"].values()))
        print(f"- ours / Keras CPU time: {ratio:.3f} (target <= {TARGET}: {'met' if ratio <= TARGET else 'not met'})")
    if mine["profile"]:
        print(f"\ncProfile of our training, {PROFILE_EPOCHS} epochs (seed {SEEDS[0]}), top {PROFILE_TOP} by own time:\n")
        print("```\n" + mine["profile"].strip() + "\n```")


if __name__ == "__main__":
    main()
