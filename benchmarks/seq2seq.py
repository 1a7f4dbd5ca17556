"""Sequence to sequence: a training step ours against torch on the same batches, the page's default
run, and the exploration view's decoding (what one keystroke in "Try it" costs the server).

    python3 benchmarks/seq2seq.py              # ours and torch, if it imports
    python3 benchmarks/seq2seq.py --no-torch   # ours only

Shapes are the page's default (lstm_core.seq2seq.Seq2SeqConfig()): reverse, lengths 1..6, H 64,
batch 64, V 13, float32. Torch runs the same model: an nn.LSTM encoder over one-hot inputs whose
final (h, c) starts an nn.LSTM decoder fed START and the right previous tokens, nn.Linear head,
cross_entropy over the answer positions, backward, Adam. Each timing is the best of 5 rounds of
CPU time per call, with one BLAS (and torch intra-op) thread, as the app's server runs (see
ui/common/process.py). Prints Markdown: docs/benchmarks.md "Sequence to sequence" holds one run.
"""
import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from lstm_core import seq2seq as S  # noqa: E402
from lstm_core.optim import Adam, clip_by_global_norm  # noqa: E402

ROUNDS = 5


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
    """(CPU seconds of the page's whole default run with its reports, its last item)."""
    t = time.process_time()
    model, item = S.fit(config)
    return time.process_time() - t, item


def decode_one(config, model):
    """ms to encode and greedily decode one typed input of the longest training length."""
    batch = S.batch_of(config.task, [S.examples(config.task, [config.max_len], 1, 3).texts_in[0]])
    return best_ms(lambda: S.greedy(model, batch.src, batch.src_len, config.reverse_input), 50)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-torch", action="store_true")
    args = parser.parse_args()
    config = S.Seq2SeqConfig()
    data = batches(config, 20)
    print("| what (default shapes: reverse 1..6, H 64, batch 64, float32, 1 thread) | ours | torch | torch / ours |")
    print("|---|---|---|---|")
    ours = ours_step(config, data)
    theirs = None if args.no_torch else torch_step(config, data)
    ratio = "" if theirs is None else f"{theirs / ours:.2f}"
    print(f"| one training step (ms) | {ours:.2f} | {'' if theirs is None else f'{theirs:.2f}'} | {ratio} |")
    seconds, item = default_run(config)
    print(f"| the page's default run: {config.steps} steps and {config.steps // config.report_every} "
          f"reports (s) | {seconds:.1f} | | |")
    print(f"| its accuracy at lengths 1..6, greedy, whole answer | {item['accuracy']:.2f} | | |")
    by = item["by_length"]
    print("| its accuracy at lengths 7 / 8 / 9 / 10 | "
          + " / ".join(f"{by[n][0]:.2f}" for n in (7, 8, 9, 10)) + " | | |")
    print(f"| Try it: decode one {config.max_len}-digit input (ms) | {decode_one(config, item['model']):.2f} | | |")


if __name__ == "__main__":
    main()
