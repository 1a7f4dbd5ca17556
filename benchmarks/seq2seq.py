"""Sequence to sequence: a training step ours against torch on the same batches, the page's default
run and its reports, and the page's reruns (what a keystroke in "Try it" costs the server).

    python3 benchmarks/seq2seq.py                     # ours and torch, if it imports, and the page
    python3 benchmarks/seq2seq.py --no-torch          # ours only
    python3 benchmarks/seq2seq.py --no-torch --no-page  # the engine only (no AppTest)

Shapes are the page's default (lstm_core.seq2seq.Seq2SeqConfig()): reverse, lengths 1..6, H 64,
batch 64, V 13, float32. Torch runs the same model: an nn.LSTM encoder over one-hot inputs whose
final (h, c) starts an nn.LSTM decoder fed START and the right previous tokens, nn.Linear head,
cross_entropy over the answer positions, backward, Adam. Each timing is the best of 5 rounds of
CPU time per call, with one BLAS (and torch intra-op) thread, as the app's server runs (see
ui/common/process.py). The page's rows: AppTest opens the page, trains at the defaults to the end, then
times each kind of rerun (no change; a newly typed input, new each time; a cached one, two alternating;
large fonts on and off, both drawn before): the lowest of --rounds medians over --repeats reruns of the
process's CPU time (the script thread and AppTest's own, which compiles the page's scripts on every
rerun, as a server does not); and their parts outside Streamlit, uncached. Target (docs/benchmarks.md,
"A class at once"): a rerun after a control change at most 40 ms of server CPU. Prints one Markdown
table: docs/benchmarks.md "Sequence to sequence" holds one run.
"""
import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import timing  # noqa: E402 (benchmarks/, this script's folder)

from lstm_core import seq2seq as S  # noqa: E402
from lstm_core.optim import Adam, clip_by_global_norm  # noqa: E402

ROUNDS = 5
TARGET_MS = 40


def best_ms(fn, calls):
    """The best of ROUNDS rounds of CPU time per call, in ms."""
    best = float("inf")
    for _ in range(ROUNDS):
        t = time.process_time()
        for _ in range(calls):
            fn()
        best = min(best, (time.process_time() - t) / calls * 1e3)
    return best


def batches(config, count):
    """`count` training batches as the run draws them."""
    lengths = np.arange(config.min_len, config.max_len + 1)
    rng = np.random.default_rng(1)
    return [S.batch_of(config.task, S.random_texts(config.task, rng.choice(lengths, config.batch_size), rng))
            for _ in range(count)]


def ours_step(config, data):
    """ms per training step: forward, backward, clipping and Adam."""
    model = S.build(config)
    arrays = model.arrays()
    opt = Adam(lr=config.lr)
    state = opt.init(arrays)
    it = iter(data * 1000)

    def step():
        nonlocal arrays, state
        loss, grads = S.loss_and_grads(model.replace_arrays(arrays), next(it), config.reverse_input)
        grads = clip_by_global_norm(grads, config.clip)[0]
        arrays, state = opt.update(arrays, grads, state)
    return best_ms(step, 50)


def torch_step(config, data):
    """ms per training step of the same model in torch, on the same batches."""
    import torch
    torch.set_num_threads(1)
    H = config.units
    enc, dec = torch.nn.LSTM(S.V, H), torch.nn.LSTM(S.V, H)
    head = torch.nn.Linear(H, S.V)
    params = [*enc.parameters(), *dec.parameters(), *head.parameters()]
    opt = torch.optim.Adam(params, lr=config.lr)
    eye = torch.eye(S.V)
    tensors = [(eye[torch.as_tensor(b.src)], torch.as_tensor(b.src_len),
                eye[torch.as_tensor(S.decoder_inputs(b.tgt))], torch.as_tensor(b.tgt),
                torch.as_tensor(S.target_mask(b), dtype=torch.float32)) for b in data]
    it = iter(tensors * 1000)

    def step():
        src, src_len, dec_in, tgt, mask = next(it)
        packed = torch.nn.utils.rnn.pack_padded_sequence(src, src_len, enforce_sorted=False)
        _, (h, c) = enc(packed)
        out, _ = dec(dec_in, (h, c))
        logits = head(out)
        loss = (torch.nn.functional.cross_entropy(logits.reshape(-1, S.V), tgt.reshape(-1), reduction="none")
                * mask.reshape(-1)).sum() / mask.sum()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, config.clip)
        opt.step()
    return best_ms(step, 50)


def default_run(config):
    """(CPU seconds of the page's whole default run with its reports, its items)."""
    t = time.process_time()
    items = list(S.run_seq2seq(config))
    return time.process_time() - t, items


def decode_one(config, model):
    """ms to encode and greedily decode one typed input of the longest training length."""
    batch = S.batch_of(config.task, [S.examples(config.task, [config.max_len], 1, 3).texts_in[0]])
    return best_ms(lambda: S.greedy(model, batch.src, batch.src_len, config.reverse_input), 50)


def report_parts(config, model):
    """[(row, ms)]: one report's evaluation as the run makes it (held set and length set decoded as one
    batch, longest first) and as whole padded batches (greedy to the longest answer, as it was)."""
    lengths = np.arange(config.min_len, config.max_len + 1)
    held = S.examples(config.task, lengths, 256, config.seed + 1299709)
    _, test = S.length_set(config)
    both = S.batch_of(config.task, held.texts_in + test.texts_in)
    whole = [(b.src, b.src_len, b.tgt.shape[0]) for b in (held, test)]
    return [("one report's evaluation: 256 held + 12 × 64 by length, one batch longest first (ms)",
             best_ms(lambda: S.hits(model, both, config.reverse_input), 5)),
            ("the same decoded as two whole padded batches (greedy to the longest answer) (ms)",
             best_ms(lambda: [S.greedy(model, src, n, config.reverse_input, max_out=m) for src, n, m in whole], 5))]


def page_rows(repeats, rounds):
    """[(row, lowest median CPU ms of the rounds)] of AppTest reruns after training at the defaults."""
    from pagekit import train_to_the_end
    from viewkit import open_link
    at = open_link("views/seq2seq.py")
    run = train_to_the_end(at, "s2s_train", "seq2seq_run", limit=1000)
    assert run.status == "done", run.status
    count, flip = [0], [0]

    def typed(text):
        at.text_input(key="s2s_text").set_value(text).run()

    def new_input():
        count[0] += 1
        typed(str(100_000 + count[0]))

    def cached_input():
        flip[0] ^= 1
        typed(("123456", "654321")[flip[0]])

    def large_fonts():
        at.toggle(key="sb_large").set_value(not at.toggle(key="sb_large").value).run()

    for warm in (cached_input, large_fonts):  # both values of each drawn once
        warm()
        warm()
    steps = {"no change": at.run, "a newly typed input": new_input, "a cached input": cached_input,
             "large fonts on/off": large_fonts}
    best = {}
    for _ in range(rounds):
        for name, rerun in steps.items():
            best[name] = min(best.get(name, float("inf")), timing.median_cpu_ms(rerun, repeats))
            assert not at.exception, [e.value for e in at.exception]
    return [(f"page rerun (AppTest, trained at the defaults): {name} (median CPU ms, target ≤ {TARGET_MS})", ms)
            for name, ms in best.items()]


def try_parts(config, items, repeats, rounds):
    """[(row, lowest median CPU ms)]: what the page's reruns compute outside Streamlit, uncached."""
    import plotly.io as pio

    from ui.seq2seq import panels as P
    model, key, text = items[-1]["model"], "digest", "2718281"
    view = P.try_view.__wrapped__(key, config.task, config.reverse_input, text, False, model)
    live = P.live_specs(items, config, False)
    specs = [view[k] for k in ("pipeline", "vector", "steps", "forcing")] + list(live.values())
    parts = {
        "the model's digest, SHA-256 of its arrays (once per trained run)": lambda: P.digest(model),
        "a new input: its reading (encoder, greedy, teacher forced)":
            lambda: P.read(model, config.task, config.reverse_input, text),
        "a new input: its words and four figure dicts (try_view uncached, its reading cached)":
            lambda: P.try_view.__wrapped__(key, config.task, config.reverse_input, text, False, model),
        "large fonts: the three live charts' dicts (built per session, not cached)":
            lambda: P.live_specs(items, config, True),
        "every rerun: the 7 charts' JSON (st.plotly_chart)": lambda: [pio.to_json(s, validate=False) for s in specs],
    }
    return [(f"{name} (ms)", min(timing.median_cpu_ms(fn, repeats) for _ in range(rounds))) for name, fn in parts.items()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-torch", action="store_true")
    parser.add_argument("--no-page", action="store_true", help="skip the page's AppTest reruns")
    parser.add_argument("--repeats", type=int, default=15, help="page reruns per step and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over the page's steps; each keeps its best")
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[1]
    sys.path[:0] = [str(root / "tests" / "pages")]
    os.chdir(root)
    config = S.Seq2SeqConfig()
    data = batches(config, 20)
    print("| what (default shapes: reverse 1..6, H 64, batch 64, float32, 1 thread) | ours | torch | torch / ours |")
    print("|---|---|---|---|")
    ours = ours_step(config, data)
    theirs = None if args.no_torch else torch_step(config, data)
    ratio = "" if theirs is None else f"{theirs / ours:.2f}"
    print(f"| one training step (ms) | {ours:.2f} | {'' if theirs is None else f'{theirs:.2f}'} | {ratio} |")
    rng = np.random.default_rng(2)
    lengths = np.arange(config.min_len, config.max_len + 1)
    draw = best_ms(lambda: S._batch(config.task, S.random_texts(config.task, rng.choice(lengths, 64), rng)), 50)
    print(f"| its batch of 64 fresh examples, drawn (ms) | {draw:.2f} | | |")
    model0 = S.build(config)
    grads = best_ms(lambda: S.loss_and_grads(model0, data[0], config.reverse_input), 50)
    print(f"| its forward and backward, loss_and_grads (ms) | {grads:.2f} | | |")
    seconds, items = default_run(config)
    item = items[-1]
    print(f"| the page's default run: {config.steps} steps and {config.steps // config.report_every} "
          f"reports (s) | {seconds:.1f} | | |")
    for name, ms in report_parts(config, item["model"]):
        print(f"| {name} | {ms:.1f} | | |")
    print(f"| its accuracy at lengths 1..6, greedy, whole answer | {item['accuracy']:.2f} | | |")
    by = item["by_length"]
    print("| its accuracy at lengths 7 / 8 / 9 / 10 | "
          + " / ".join(f"{by[n][0]:.2f}" for n in (7, 8, 9, 10)) + " | | |")
    print(f"| Try it: decode one {config.max_len}-digit input (ms) | {decode_one(config, item['model']):.2f} | | |")
    for name, ms in try_parts(config, items, args.repeats, args.rounds):
        print(f"| {name} | {ms:.2f} | | |")
    if not args.no_page:
        for name, ms in page_rows(args.repeats, args.rounds):
            print(f"| {name} | {ms:.1f} | | |")


if __name__ == "__main__":
    main()
