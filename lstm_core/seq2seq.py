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
        return ["".join(map(str, row[:n])) for row, n in zip(digits, ns)]
    low, high = np.where(ns == 1, 0, 10 ** (ns - 1)), 10 ** ns  # n digits, no leading zero
    a, b = rng.integers(low, high), rng.integers(low, high)
    return [f"{x}+{y}" for x, y in zip(a, b)]


def batch_of(task, texts):
    """A padded Batch of the given input texts."""
    src = [encode_digits(t, task) for t in texts]
    outs = [answer(task, t) for t in texts]
    tgt = [np.array([int(ch) for ch in o] + [END], dtype=np.intp) for o in outs]
    return Batch(src=_padded(src), src_len=np.array([len(s) for s in src]), tgt=_padded(tgt),
                 tgt_len=np.array([len(t) for t in tgt]), texts_in=tuple(texts), texts_out=tuple(outs))


def _padded(seqs):
    """(T, B) ids, each sequence a column, padded with 0 past its length."""
    out = np.zeros((max(len(s) for s in seqs), len(seqs)), dtype=np.intp)
    for b, s in enumerate(seqs):
        out[:len(s), b] = s
    return out


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
        step = lstm_forward(model.decoder, token[None, :], h0=h, c0=c)
        h, c = step.h[0], step.c[0]
        probs[k] = softmax(dense(h, model.head.W.T, model.head.b))
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
    answer positions (and the END) it got right where they stand."""
    dec = greedy(model, batch.src, batch.src_len, reverse_input, max_out=int(batch.tgt.shape[0]))
    right = (dec.ids == batch.tgt.T) * target_mask(batch).T  # (B, Tt)
    per_example = right.sum(axis=1)
    return per_example == batch.tgt_len, per_example


def scores(model, batch, reverse_input=False):
    """(exact-match accuracy, token accuracy) of greedy decoding on `batch`."""
    exact, right = hits(model, batch, reverse_input)
    return float(np.mean(exact)), float(right.sum() / batch.tgt_len.sum())


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
    count = len(batch.src_len) // len(lengths)
    exact, right = hits(model, batch, config.reverse_input)
    group = np.repeat(np.arange(len(lengths)), count)
    return {n: (float(np.mean(exact[group == k])),
                float(right[group == k].sum() / batch.tgt_len[group == k].sum()))
            for k, n in enumerate(lengths)}


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
    test = length_set(config)  # accuracy against length, n = 1..12
    optimizer = Adam(lr=config.lr)
    arrays = model.arrays()
    state, losses = optimizer.init(arrays), []
    for step in range(1, config.steps + 1):
        batch = batch_of(config.task, random_texts(config.task, rng.choice(lengths, config.batch_size), rng))
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
        exact, token = scores(model, held, config.reverse_input)
        yield {"kind": "lstm", "step": step, "loss": float(np.mean(losses)), "accuracy": exact,
               "token_accuracy": token, "by_length": accuracy_by_length(model, config, test=test),
               "done": step == config.steps, "model": model, "best_step": step}
        losses = []


def fit(config):
    """The model at the end of the run, and the run's last item (for tests and benchmarks)."""
    item = None
    for item in run_seq2seq(config):
        pass
    return item["model"], item

