"""Sequence to sequence: an encoder LSTM reads a digit string, a decoder LSTM writes the answer.

The notes' recipe: "encoding the input sequence into a fixed-size vector and then decoding it into
the output sequence". The encoder reads the input tokens x_1..x_T and hands over only its final
state (h_T, C_T); the decoder starts from that state, reads START, and at every step predicts the
next output token from its h_t. In training it is fed the right previous token (teacher forcing);
at inference it is fed its own previous output (`greedy`). Backprop runs the decoder backward
first, and its dL/dh_0, dL/dC_0 are all the encoder ever learns from.

Tokens: the digits 0..9 are ids 0..9, "+" is 10, START 11 and END 12, one vocabulary of V = 13 for
the encoder's inputs, the decoder's inputs and its outputs (START is never a target). Tasks:
reverse ("123" -> "321"), sort ("312" -> "123") and add ("12+34" -> "46"); a length n is the
digit count (of each operand, for add).
"""
import dataclasses
import math

import numpy as np

from .losses import accuracy, softmax_cross_entropy
from .lstm import LSTMParams, lstm_forward
from .lstm_bptt import lstm_backward
from .model import Dense
from .model_pass import dense, length_mask
from .optim import Adam, checked_number, clip_by_global_norm

TASKS = ("reverse", "sort", "add")
PLUS, START, END = 10, 11, 12
V = 13  # the vocabulary: ten digits, "+", START, END
TOKENS = tuple("0123456789+") + ("▶", "■")  # each id as the pages show it: START ▶, END ■
MAX_TEST_LEN = 12  # the longest length the pages test and a learner may type (digits per operand)
LIMITS = {"min_len": (1, 10), "max_len": (1, 10), "units": (2, 256), "batch_size": (1, 256),
          "steps": (1, 20000), "report_every": (1, 20000)}
EVAL_COUNT = 64  # examples per length in accuracy_by_length


@dataclasses.dataclass(frozen=True)
class Seq2SeqConfig:
    """One training run: the task, the lengths trained on, the model, Adam's settings."""

    task: str = "reverse"  # reverse, sort or add
    min_len: int = 1  # shortest training length (digits, or digits per operand for add)
    max_len: int = 6  # longest training length
    units: int = 64  # H of the encoder and of the decoder: the fixed-size vector is (h_T, C_T), 2H numbers
    lr: float = 0.01  # Adam's step size
    batch_size: int = 64  # examples per step, drawn afresh every step (the data never runs out)
    steps: int = 600  # Adam steps
    reverse_input: bool = False  # the encoder reads the input backwards (the reversed-input trick): it
    # shortens the path from an input to the output that needs it when outputs follow the input's order;
    # on "reverse" the plain order already reads the first answer digit last, and reading backwards
    # turns the task into copying, where the first digit read is needed only after the whole input
    clip: float = 5.0  # clip the gradient's global norm at this (None: no clipping)
    report_every: int = 20  # steps between two progress items
    seed: int = 0  # initial weights, training batches and evaluation sets


def validate(config):
    """The config, or ValueError with a readable reason."""
    if config.task not in TASKS:
        raise ValueError(f"task must be one of {', '.join(TASKS)}, got {config.task!r}")
    for name, (low, high) in LIMITS.items():
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
    if config.min_len > config.max_len:
        raise ValueError(f"the shortest training length ({config.min_len}) is longer than the "
                         f"longest ({config.max_len})")
    checked_number("lr", config.lr, 0.0, 1.0, open_low=True)
    if config.clip is not None:
        checked_number("clip", config.clip, 0.0, open_low=True)
    return config


# ---- the data ---------------------------------------------------------------------------------

def show_token(token):
    """A token id as the pages show it: "0".."9", "+", "▶" (START), "■" (END)."""
    return TOKENS[int(token)]


def decode(ids):
    """The text of output ids, up to (not including) the first END; START is skipped."""
    out = []
    for token in ids:
        if token == END:
            break
        if token != START:
            out.append(TOKENS[int(token)])
    return "".join(out)


def answer(task, text):
    """The right output text for an input text of `task` ("12+34" -> "46" for add)."""
    if task == "reverse":
        return text[::-1]
    if task == "sort":
        return "".join(sorted(text))
    a, b = text.split("+")
    return str(int(a) + int(b))


def encode_digits(text, task):
    """The input ids of a typed text for `task`, or ValueError saying what would fit."""
    text = "".join(str(text).split())  # spaces are ignored
    if not text:
        raise ValueError("type some digits" + (", for example 12+34" if task == "add" else ", for example 3141"))
    if task == "add":
        parts = text.split("+")
        if len(parts) != 2 or not all(parts):
            raise ValueError(f"type two numbers joined by one +, for example 12+34 (got {text!r})")
        operands = parts
    else:
        if "+" in text:
            raise ValueError(f"the {task} task reads digits only: there is no + in it (got {text!r})")
        operands = [text]
    bad = sorted({ch for ch in "".join(operands) if ch not in "0123456789"})
    if bad:
        raise ValueError(f"only the digits 0-9{' and one +' if task == 'add' else ''} can be read: "
                         f"{', '.join(repr(ch) for ch in bad)} cannot")
    longest = max(len(p) for p in operands)
    if longest > MAX_TEST_LEN:
        raise ValueError(f"at most {MAX_TEST_LEN} digits{' per number' if task == 'add' else ''} fit; "
                         f"this has {longest}")
    return np.array([PLUS if ch == "+" else int(ch) for ch in text], dtype=np.intp)


def length_of(task, text):
    """The length n of an input text: its digit count, or for add its longer operand's."""
    return max(len(p) for p in text.split("+")) if task == "add" else len(text)


@dataclasses.dataclass(frozen=True, eq=False)
class Batch:
    """Examples padded at the end: the encoder's input, the decoder's target (ending in END)."""

    src: np.ndarray  # (Ts, B) input ids, padded with 0 past src_len
    src_len: np.ndarray  # (B,)
    tgt: np.ndarray  # (Tt, B) output ids with END after the answer, padded with 0 past tgt_len
    tgt_len: np.ndarray  # (B,) answer length + 1 (the END)
    texts_in: tuple  # the input texts
    texts_out: tuple  # the right answers


def random_texts(task, lengths, rng):
    """One input text per length in `lengths`, drawn with one call to `rng` per operand."""
    ns = np.asarray(lengths, dtype=np.int64)
    if task != "add":
        digits = rng.integers(0, 10, (len(ns), max(ns, default=0)))
        chars = (digits + ord("0")).astype(np.uint8)  # each digit as its ASCII byte
        return [row[:n].tobytes().decode("ascii") for row, n in zip(chars, ns)]
    low, high = np.where(ns == 1, 0, 10 ** (ns - 1)), 10 ** ns  # n digits, no leading zero
    a, b = rng.integers(low, high), rng.integers(low, high)
    return [f"{x}+{y}" for x, y in zip(a, b)]


def batch_of(task, texts):
    """A padded Batch of the given input texts (spaces ignored); ValueError for one `task` cannot read."""
    texts = ["".join(str(t).split()) for t in texts]
    for text in texts:
        encode_digits(text, task)
    return _batch(task, texts)


def _batch(task, texts):
    """A padded Batch of input texts known to be readable (random_texts' own)."""
    outs = [answer(task, t) for t in texts]
    src, src_len = _id_rows(texts)
    tgt, tgt_len = _id_rows(outs, end=True)
    return Batch(src=src, src_len=src_len, tgt=tgt, tgt_len=tgt_len, texts_in=tuple(texts), texts_out=tuple(outs))


def _id_rows(texts, end=False):
    """(T, B) ids of the texts, each a column padded with 0 past its length (and its END, if `end`),
    and (B,) those lengths: all the texts' characters read at once."""
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=len(texts))
    ids = np.frombuffer("".join(texts).encode("ascii"), dtype=np.uint8).astype(np.intp) - ord("0")
    ids[ids == ord("+") - ord("0")] = PLUS
    steps = int(lengths.max()) + end
    rows = np.zeros((len(texts), steps), dtype=np.intp)
    rows[np.arange(steps) < lengths[:, None]] = ids  # row by row, in the texts' order
    if end:
        rows[np.arange(len(texts)), lengths] = END
        lengths = lengths + 1
    return np.ascontiguousarray(rows.T), lengths


def examples(task, lengths, count, seed):
    """A seeded Batch of `count` examples, their lengths drawn uniformly from `lengths`."""
    rng = np.random.default_rng(seed)
    return batch_of(task, random_texts(task, rng.choice(np.asarray(list(lengths)), count), rng))


# ---- the model --------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, eq=False)
class Seq2Seq:
    """An encoder LSTM, a decoder LSTM and the decoder's softmax head (V, H), of one dtype."""

    encoder: LSTMParams
    decoder: LSTMParams
    head: Dense

    PARTS = ("encoder", "decoder", "head")

    @property
    def hidden_size(self):
        return self.encoder.hidden_size

    def arrays(self):
        """Every array by "part.name", the optimizers' and clipping's view of the model."""
        return {f"{part}.{k}": a for part in self.PARTS for k, a in getattr(self, part).arrays().items()}

    def replace_arrays(self, arrays):
        """A copy holding `arrays` (like arrays())."""
        parts = {part: {} for part in self.PARTS}
        for key, a in arrays.items():
            part, name = key.split(".", 1)
            parts[part][name] = a
        return Seq2Seq(**{part: getattr(self, part).replace(**parts[part]) for part in self.PARTS})


def build(config, dtype=np.float32):
    """Seeded, torch-style initial weights for `config` (forget-gate bias 1, as the app's LSTMs),
    in float32 by default: a training step takes 3.6 ms instead of float64's 6.2 at the default
    shapes (B 64, H 64, one BLAS thread); the gradient tests build float64 ones."""
    H = config.units
    return Seq2Seq(encoder=LSTMParams.init(V, H, seed=config.seed).astype(dtype),
                   decoder=LSTMParams.init(V, H, seed=config.seed + 1).astype(dtype),
                   head=Dense.init(H, V, seed=config.seed + 2, dtype=dtype))


def _reversal(src_len, steps):
    """(Ts, B) time indices reading each input backwards within its length; pads stay put."""
    t = np.arange(steps)[:, None]
    L = np.asarray(src_len)[None, :]
    return np.where(t < L, L - 1 - t, t)


def encoder_inputs(src, src_len, reverse_input):
    """The ids the encoder reads: the input, or each input reversed within its length."""
    if not reverse_input:
        return src
    return src[_reversal(src_len, src.shape[0]), np.arange(src.shape[1])[None, :]]


def _encode_trace(model, src, src_len, reverse_input):
    """The encoder's trace over the (padded) inputs; pads carry the state unchanged."""
    return lstm_forward(model.encoder, encoder_inputs(src, src_len, reverse_input),
                        mask=length_mask(src_len, src.shape[0]))


def encode(model, src, src_len, reverse_input=False):
    """The fixed-size vector: the encoder's final (h_T, C_T), each (B, H), at each input's end."""
    trace = _encode_trace(model, src, src_len, reverse_input)
    return trace.h[-1], trace.c[-1]  # pads froze the state, so row -1 is the state at t = length


def decoder_inputs(tgt):
    """Teacher forcing: the decoder reads START, then the right previous output token."""
    return np.concatenate([np.full((1, tgt.shape[1]), START, dtype=tgt.dtype), tgt[:-1]])


def _forward(model, batch, reverse_input):
    """(encoder trace, decoder trace, logits (Tt, B, V)) with teacher forcing."""
    enc = _encode_trace(model, batch.src, batch.src_len, reverse_input)
    dec = lstm_forward(model.decoder, decoder_inputs(batch.tgt), h0=enc.h[-1], c0=enc.c[-1])
    return enc, dec, dense(dec.h, model.head.W.T, model.head.b)


def teacher_forced(model, batch, reverse_input=False):
    """The decoder's logits (Tt, B, V) at each position when fed the right previous token."""
    return _forward(model, batch, reverse_input)[2]


def target_mask(batch):
    """(Tt, B) 1 at the answer's positions and its END, 0 on padding."""
    return length_mask(batch.tgt_len, batch.tgt.shape[0])


def loss_and_grads(model, batch, reverse_input=False):
    """(mean cross-entropy per output token, grads like model.arrays()) with teacher forcing."""
    enc, dec, logits = _forward(model, batch, reverse_input)
    loss, dlogits = softmax_cross_entropy(logits, batch.tgt, target_mask(batch))  # (Tt, B, V)
    Tt, B, _ = dlogits.shape
    d2, h2 = dlogits.reshape(Tt * B, V), dec.h.reshape(Tt * B, -1)
    head = Dense(W=d2.T @ h2, b=d2.sum(axis=0))  # dL/dW (V, H), dL/db (V,)
    ddec = lstm_backward(model.decoder, dec, dense(dlogits, model.head.W))
    dh = np.zeros_like(enc.h)
    dh[-1] = ddec.dh0  # the decoder's start state is all the encoder hands over
    denc = lstm_backward(model.encoder, enc, dh, dc_last=ddec.dc0)
    grads = Seq2Seq(encoder=denc.params, decoder=ddec.params, head=head)
    return loss, grads.arrays()


@dataclasses.dataclass(frozen=True, eq=False)
class Decoding:
    """Greedy decoding: the decoder fed its own previous output, one step at a time."""

    ids: np.ndarray  # (B, m) the token written at each position (END, then END again once done)
    probs: np.ndarray  # (m, B, V) the distribution each position's token was drawn from
    lengths: np.ndarray  # (B,) positions up to and including the first END (m if none)
    texts: tuple  # each answer's text (decode(ids))


def greedy(model, src, src_len, reverse_input=False, max_out=None):
    """Decode each input by feeding back the argmax, up to `max_out` positions (default: the
    longest possible answer of the inputs' length, plus its END)."""
    h, c = encode(model, src, src_len, reverse_input)
    B = src.shape[1]
    max_out = int(src.shape[0]) + 2 if max_out is None else max_out
    token = np.full(B, START, dtype=np.intp)
    ids, probs = np.zeros((B, max_out), dtype=np.intp), np.zeros((max_out, B, V), h.dtype)
    for k in range(max_out):
        h, c, probs[k] = _decoder_step(model, token, h, c)
        token = np.argmax(probs[k], axis=1)
        ids[:, k] = token
    ended = ids == END
    lengths = np.where(ended.any(axis=1), ended.argmax(axis=1) + 1, max_out)
    return Decoding(ids=ids, probs=probs, lengths=lengths, texts=tuple(decode(row) for row in ids))


def softmax(logits):
    """Softmax over the last axis."""
    z = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def hits(model, batch, reverse_input=False):
    """(B,) whether greedy decoding wrote each whole answer and its END right, and (B,) how many
    answer positions (and the END) it got right where they stand.

    The numbers of `greedy` to the longest answer, computed with less work: the examples go longest
    first, the encoder runs each step only for the inputs that are that long yet (a padded step only
    carries the state) and the decoder each position only for the answers that long (a later position
    is never scored). On length_set's 1..12 digits that is about half the steps."""
    by_src = np.argsort(-batch.src_len, kind="stable")
    h, c = _encode_longest_first(model, batch.src[:, by_src], batch.src_len[by_src], reverse_input)
    order = np.argsort(-batch.tgt_len, kind="stable")  # positions in by_src order, longest answer first
    back = np.empty_like(by_src)
    back[by_src] = np.arange(len(by_src))
    h, c = h[back[order]], c[back[order]]
    tgt, tgt_len = batch.tgt[:, order], batch.tgt_len[order]
    token, right = np.full(len(order), START, dtype=np.intp), np.zeros(len(order), dtype=np.intp)
    for k in range(tgt.shape[0]):
        n = int(np.count_nonzero(tgt_len > k))  # the answers still this long: the first n
        h, c, probs = _decoder_step(model, token[:n], h[:n], c[:n])
        token = np.argmax(probs, axis=1)
        right[:n] += token == tgt[k, :n]
    per_example = np.empty_like(right)
    per_example[order] = right
    return per_example == batch.tgt_len, per_example


def _encode_longest_first(model, src, src_len, reverse_input):
    """encode's (h_T, C_T) of inputs sorted longest first, each step run only for the inputs that long."""
    x = encoder_inputs(src, src_len, reverse_input)
    h = c = None
    for t in range(x.shape[0]):
        n = int(np.count_nonzero(src_len > t))
        step = lstm_forward(model.encoder, x[t:t + 1, :n], h0=None if h is None else h[:n],
                            c0=None if c is None else c[:n])
        if h is None:
            h, c = step.h[0], step.c[0]
        else:
            h[:n], c[:n] = step.h[0], step.c[0]  # the shorter inputs keep their final state
    return h, c


def _decoder_step(model, token, h, c):
    """One decoder step from (h, c) reading `token` (B,): the new (h, c) and the distribution (B, V)."""
    step = lstm_forward(model.decoder, token[None, :], h0=h, c0=c)
    h, c = step.h[0], step.c[0]
    return h, c, softmax(dense(h, model.head.W.T, model.head.b))


def scores(model, batch, reverse_input=False):
    """(exact-match accuracy, token accuracy) of greedy decoding on `batch`."""
    exact, right = hits(model, batch, reverse_input)
    return _scores(exact, right, batch.tgt_len)


def _scores(exact, right, tgt_len):
    """(exact-match accuracy, token accuracy) of hits' (exact, right) on examples of these answer lengths."""
    return float(np.mean(exact)), float(right.sum() / tgt_len.sum())


def length_set(config, lengths=None, count=EVAL_COUNT, seed=None):
    """(lengths, one padded Batch of `count` seeded examples of each length n, default
    1..MAX_TEST_LEN): the same examples for every model of a seed."""
    lengths = list(range(1, MAX_TEST_LEN + 1) if lengths is None else lengths)
    seed = config.seed + 7919 if seed is None else seed
    return lengths, batch_of(config.task, [t for n in lengths
                                           for t in examples(config.task, [n], count, seed + n).texts_in])


def accuracy_by_length(model, config, lengths=None, count=EVAL_COUNT, seed=None, test=None):
    """{n: (exact-match accuracy, token accuracy)} of greedy decoding on length_set's examples
    (or on `test`, a length_set made before), decoded as one padded batch."""
    lengths, batch = length_set(config, lengths, count, seed) if test is None else test
    exact, right = hits(model, batch, config.reverse_input)
    return _by_length(exact, right, batch.tgt_len, lengths)


def _by_length(exact, right, tgt_len, lengths):
    """{n: _scores} of hits on a length_set's examples: len(exact) // len(lengths) of each n, in order."""
    count = len(exact) // len(lengths)
    return {n: _scores(exact[k * count:(k + 1) * count], right[k * count:(k + 1) * count],
                       tgt_len[k * count:(k + 1) * count]) for k, n in enumerate(lengths)}


def teacher_forced_accuracy(model, batch, reverse_input=False):
    """The fraction of answer positions right when each is fed the right previous token."""
    return accuracy(teacher_forced(model, batch, reverse_input), batch.tgt, target_mask(batch))


# ---- training ---------------------------------------------------------------------------------

def run_seq2seq(config, model=None):
    """A generator: one item every `report_every` Adam steps, {"kind", "step", "loss", "accuracy",
    "token_accuracy", "by_length", "done", "model", "best_step"}.

    "loss" is the mean teacher-forced cross-entropy (nats per output token) of the steps since the
    last item; "accuracy"/"token_accuracy" are greedy decoding's on a fixed seeded set at the
    training lengths; "by_length" is accuracy_by_length's {n: (exact, token)} for n = 1..12.
    """
    validate(config)
    model = build(config) if model is None else model
    return _run(config, model)


def _run(config, model):
    """Train on fresh seeded batches, yielding every report_every steps."""
    rng = np.random.default_rng(config.seed + 104729)
    lengths = np.arange(config.min_len, config.max_len + 1)
    held = examples(config.task, lengths, 256, config.seed + 1299709)  # the accuracy's fixed set
    test_lengths, test = length_set(config)  # accuracy against length, n = 1..12
    both = batch_of(config.task, held.texts_in + test.texts_in)  # decoded at once: one loop per report
    k = len(held.texts_in)
    optimizer = Adam(lr=config.lr)
    arrays = model.arrays()
    state, losses = optimizer.init(arrays), []
    for step in range(1, config.steps + 1):
        batch = _batch(config.task, random_texts(config.task, rng.choice(lengths, config.batch_size), rng))
        loss, grads = loss_and_grads(model, batch, config.reverse_input)
        if not math.isfinite(loss):
            raise FloatingPointError(f"training diverged at step {step}: the loss is no longer a "
                                     "number. Lower the learning rate or turn clipping on.")
        grads = clip_by_global_norm(grads, config.clip)[0] if config.clip is not None else grads
        arrays, state = optimizer.update(arrays, grads, state)
        model = model.replace_arrays(arrays)
        losses.append(loss)
        if step % config.report_every and step != config.steps:
            continue
        exact, right = hits(model, both, config.reverse_input)
        accuracy, token = _scores(exact[:k], right[:k], held.tgt_len)
        yield {"kind": "lstm", "step": step, "loss": float(np.mean(losses)), "accuracy": accuracy,
               "token_accuracy": token, "by_length": _by_length(exact[k:], right[k:], test.tgt_len, test_lengths),
               "done": step == config.steps, "model": model, "best_step": step}
        losses = []


def fit(config):
    """The model at the end of the run, and the run's last item (for tests and benchmarks)."""
    item = None
    for item in run_seq2seq(config):
        pass
    return item["model"], item

