"""Character-level text: a vocabulary, training batches, a live training run, sampling.

    vocab = vocabulary(corpus)                          # sorted(set(corpus)), as the notes' program
    for item in run_text(corpus, TextConfig()):         # one item every `report_every` Adam steps
        chart.add(item["step"], item["loss"], item["val_loss"]); print(item["sample"])
    gen = generate(item["model"], vocab, config, "Beautiful", 200, temperatures=(0.5,))

Two ways to feed characters (`encoding`):
- "integer": one feature per step, the character's index divided by the vocabulary size, as the
  notes' Keras program does (`X = X / float(n_vocab)`): neighbouring letters look alike to the
  first layer's weights, and most of them differ by less than 1/V.
- "onehot": V features per step, a 1 at the character's index: every character gets its own
  column of W_x.
Two things to predict (`target`):
- "last": windows of `window` characters, each predicting the character after it (the notes'
  program: seq-to-one, one prediction per window, windows at every start).
- "every": the next character at every step of non-overlapping chunks of `window` characters
  (char-rnn, truncated back-propagation through time): `window` predictions per chunk.
The last `holdout` of the corpus is never trained on; its loss is the held-out loss. Losses are
cross-entropies in nats per character; perplexity is exp(loss), the number of equally likely
characters the model is as unsure as.
"""
import dataclasses
import math

import numpy as np

from .losses import softmax_cross_entropy
from .lstm import lstm_forward
from .model import Model
from .model_pass import model_forward
from .optim import Adam, checked_number
from .training import train

ENCODINGS = ("integer", "onehot")
TARGETS = ("last", "every")
INITS = ("keras", "torch")
MAX_CHARS = 200_000  # characters a corpus may have (an upload's limit too)
MAX_VOCAB = 100  # distinct characters a corpus may have: V inputs and V outputs per step
LIMITS = {"window": (2, 200), "units": (1, 512), "layers": (1, 3), "batch_size": (1, 512),
          "steps": (1, 20_000), "report_every": (1, 1000), "seed": (0, 2**31 - 1)}
VOWELS = frozenset("aeiouAEIOU")


@dataclasses.dataclass(frozen=True)
class Vocab:
    """The characters of a corpus, sorted: a character's id is its index in `chars`."""

    chars: str

    @property
    def size(self):
        return len(self.chars)

    def encode(self, text):
        """The ids of `text`, (n,) ints; ValueError naming every character outside the vocabulary."""
        index = {ch: k for k, ch in enumerate(self.chars)}
        unknown = sorted({ch for ch in text if ch not in index})
        if unknown:
            shown = ", ".join(show_char(ch) for ch in unknown[:10])
            more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
            raise ValueError(f"{len(unknown)} character(s) are not in the model's vocabulary of "
                             f"{self.size}: {shown}{more}")
        return np.fromiter((index[ch] for ch in text), dtype=np.intp, count=len(text))

    def decode(self, ids):
        """The text of a sequence of ids."""
        return "".join(self.chars[int(k)] for k in ids)


def show_char(ch):
    """A character as a reader can see it: quoted, with space, newline and tab named."""
    return {" ": "space", "\n": "newline", "\t": "tab"}.get(ch, repr(ch))


def vocabulary(text):
    """The sorted distinct characters of `text` (the notes' `sorted(list(set(raw_text)))`)."""
    return Vocab("".join(sorted(set(text))))


@dataclasses.dataclass(frozen=True)
class TextConfig:
    """Everything a text model's training depends on; the defaults train fast on the Zen of Python."""

    encoding: str = "onehot"  # "onehot": V inputs; "integer": one input, id / V (the notes' program)
    target: str = "every"  # "every": next character at every step (char-rnn); "last": after each window
    window: int = 40  # characters per window ("last") or per truncated-BPTT chunk ("every")
    units: int = 128  # hidden size H of every layer
    layers: int = 1  # stacked LSTM layers
    lr: float = 1e-2  # Adam's learning rate
    batch_size: int = 32  # windows or chunks per Adam step
    steps: int = 400  # Adam steps of the whole run
    clip: float = 5.0  # global gradient-norm clipping; None: off
    holdout: float = 0.1  # the corpus's last part, never trained on, scored as held-out loss
    init: str = "torch"  # initial weights: "torch" (PyTorch's uniform) or "keras" (Glorot/orthogonal)
    report_every: int = 20  # Adam steps between two items of run_text (and two samples)
    seed: int = 0  # seeds the initial weights, the batch order and the samples


def validate(config):
    """Return `config` if it can be trained, else ValueError saying which value is wrong and why."""
    if not isinstance(config, TextConfig):
        raise ValueError(f"text training needs a TextConfig, got {type(config).__name__}")
    for name, (low, high) in LIMITS.items():
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{name.replace('_', ' ')} must be a whole number in {low}..{high}, got {value!r}")
    if config.encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}, got {config.encoding!r}")
    if config.target not in TARGETS:
        raise ValueError(f"target must be one of {TARGETS}, got {config.target!r}")
    if config.init not in INITS:
        raise ValueError(f"init must be one of {INITS}, got {config.init!r}")
    checked_number("learning rate", config.lr, 0.0, 1.0, open_low=True)
    if config.clip is not None:
        checked_number("clipping norm", config.clip, 0.0, open_low=True)
    checked_number("held-out part", config.holdout, 0.0, 0.5, open_high=True)
    return config


def check_corpus(text, config):
    """Return `text` if `config` can train on it, else ValueError saying what would fit."""
    validate(config)
    if not isinstance(text, str) or not text:
        raise ValueError("the text is empty")
    if len(text) > MAX_CHARS:
        raise ValueError(f"the text has {len(text):,} characters; at most {MAX_CHARS:,} fit")
    distinct = len(set(text))
    if distinct > MAX_VOCAB:
        raise ValueError(f"the text has {distinct} distinct characters; at most {MAX_VOCAB} fit "
                         "(every one is an input and an output of the model)")
    if distinct < 2:
        raise ValueError("the text repeats one character: there is nothing to predict")
    n_train, n_test = split(len(text), config.holdout)
    need = config.window + 1
    if n_train < need or (config.holdout and n_test < need):
        raise ValueError(f"the text has {len(text):,} characters: too short for windows of "
                         f"{config.window}. Its training part ({n_train:,} characters) and its held-out "
                         f"part ({n_test:,}) each need at least {need}: use a shorter window or a longer text")
    return text


def split(n, holdout):
    """(training characters, held-out characters): the last `holdout` of n is held out."""
    n_test = int(n * holdout)
    return n - n_test, n_test


@dataclasses.dataclass(frozen=True, eq=False)
class Prepared:
    """A corpus as ids, its vocabulary and its two parts, ready to batch."""

    vocab: Vocab
    ids: np.ndarray  # (n,) the whole corpus
    n_train: int  # ids[:n_train] trains, the rest is held out

    @property
    def train_ids(self):
        return self.ids[:self.n_train]

    @property
    def test_ids(self):
        return self.ids[self.n_train:]


def prepare(text, config):
    """The corpus checked, its vocabulary made, and encoded as ids."""
    check_corpus(text, config)
    vocab = vocabulary(text)
    return Prepared(vocab=vocab, ids=vocab.encode(text), n_train=split(len(text), config.holdout)[0])


def input_size(config, vocab_size):
    """Features per step: V for one-hot, 1 for the integer feature."""
    return vocab_size if config.encoding == "onehot" else 1


def build_model(config, vocab_size):
    """`layers` LSTMs of `units` and a Dense head of V logits, read per config.target, in float32."""
    readout = "sequence" if config.target == "every" else "last"
    model = Model.init("lstm", input_size(config, vocab_size), config.units, vocab_size,
                       num_layers=config.layers, seed=config.seed, init=config.init, readout=readout)
    return model.map(lambda a: a.astype(np.float32))


def encode_inputs(ids, config, vocab_size):
    """(T, B) or (T,) ids -> the inputs as vectors (T, [B,] I): one-hot rows, or id / V."""
    ids = np.asarray(ids)
    if config.encoding == "onehot":
        return np.eye(vocab_size, dtype=np.float32)[ids]
    return (ids / np.float32(vocab_size)).astype(np.float32)[..., None]


def model_inputs(ids, config, vocab_size):
    """What the model is fed for (T, B) or (T,) ids: for one-hot the ids themselves (the engine reads
    an integer array as its one-hot vectors, gathering columns of W_x instead of multiplying by
    zeros: the same numbers, faster), else the integer feature id / V."""
    if config.encoding == "onehot":
        return np.asarray(ids, dtype=np.intp)
    return encode_inputs(ids, config, vocab_size)


def windows(ids, window):
    """The notes' windows at every start: X (N, window) ids, y (N,) the character after each."""
    n = ids.size - window
    if n < 1:
        return np.empty((0, window), np.intp), np.empty(0, np.intp)
    X = np.lib.stride_tricks.sliding_window_view(ids, window)[:n]
    return np.ascontiguousarray(X), ids[window:]


def chunks(ids, window, offset=0):
    """Non-overlapping chunks from `offset`: X (N, window) ids and Y (N, window), X shifted by one."""
    n = (ids.size - 1 - offset) // window
    starts = offset + window * np.arange(max(n, 0))
    X = ids[starts[:, None] + np.arange(window)]
    return X, ids[starts[:, None] + np.arange(1, window + 1)]


def epoch_data(ids, config, epoch):
    """One epoch's samples in a fresh seeded order: (X (N, window) ids, targets (N,) or (N, window)).

    For "every" the chunks start at a seeded offset in 0..window-1, so each epoch cuts the text at
    new places and every character is sometimes a chunk's first."""
    rng = np.random.default_rng((config.seed, epoch))
    if config.target == "last":
        X, y = windows(ids, config.window)
    else:
        offset = int(rng.integers(config.window)) if ids.size - 1 >= 2 * config.window else 0
        X, y = chunks(ids, config.window, offset)
    order = rng.permutation(len(X))
    return X[order], y[order]


def batches(ids, config, vocab_size):
    """Endless (model inputs (T, B) ids or (T, B, 1), targets) batches, epoch after epoch, the last partial batch kept."""
    epoch = 0
    while True:
        X, y = epoch_data(ids, config, epoch)
        for start in range(0, len(X), config.batch_size):
            Xb, yb = X[start:start + config.batch_size], y[start:start + config.batch_size]
            yield model_inputs(Xb.T, config, vocab_size), (yb.T if yb.ndim == 2 else yb)
        epoch += 1


def samples_per_epoch(n_train, config):
    """Windows ("last") or chunks ("every", at offset 0) in one pass over the training text."""
    if config.target == "last":
        return max(n_train - config.window, 0)
    return max((n_train - 1) // config.window, 0)


def run_text(text, config, model=None, *, sample_length=120, sample_temperature=0.5):
    """A generator: one item every `report_every` Adam steps, {"kind", "step", "epoch", "loss",
    "val_loss", "sample", "best_step", "done", "model"}.

    "loss" is the mean training cross-entropy (nats/char) of the steps since the last item,
    "val_loss" the held-out part's (None without one), "sample" `sample_length` characters
    generated at `sample_temperature` from the corpus's first window (seeded: the same run gives
    the same samples). `model` continues from given weights.
    """
    prep = prepare(text, config)
    V = prep.vocab.size
    model = build_model(config, V) if model is None else model.validate()
    if model.input_size != input_size(config, V) or model.head is None or model.head.W.shape[0] != V:
        raise ValueError(f"the model does not fit this text: it reads {model.input_size} features "
                         f"and this text needs {input_size(config, V)}, with {V} outputs")
    return _run(prep, config, model, sample_length, sample_temperature)


def _run(prep, config, model, sample_length, sample_temperature):
    """Train, yielding every report_every steps."""
    V = prep.vocab.size
    steps = train(model, batches(prep.train_ids, config, V), softmax_cross_entropy,
                  Adam(lr=config.lr), steps=config.steps, clip=config.clip)
    per_epoch = math.ceil(samples_per_epoch(prep.n_train, config) / config.batch_size)
    seed_text = prep.vocab.decode(prep.ids[:config.window])
    losses = []
    for info in steps:
        losses.append(info["loss"])
        step = info["step"]
        if step % config.report_every and step != config.steps:
            continue
        model, loss = info["model"], float(np.mean(losses))
        losses = []
        if not math.isfinite(loss):
            raise FloatingPointError(f"training diverged at step {step}: the loss is no longer a "
                                     "number. Lower the learning rate or turn clipping on.")
        sample = generate(model, prep.vocab, config, seed_text, sample_length,
                          temperatures=(sample_temperature,), seed=config.seed + step).texts[0]
        yield {"kind": "lstm", "step": step, "epoch": step / max(per_epoch, 1), "loss": loss,
               "val_loss": held_out_loss(model, prep, config), "sample": sample,
               "best_step": step, "done": step == config.steps, "model": model}


def fit(text, config):
    """The model at the end of the run, and the run's last item (for tests and benchmarks)."""
    item = None
    for item in run_text(text, config):
        pass
    return item["model"], item


def loss_on(model, ids, config, vocab_size, *, max_samples=512):
    """Mean cross-entropy (nats/char) of `model` on the windows or chunks of `ids` (at most
    `max_samples` of them, evenly spaced, so a long held-out part costs a bounded time)."""
    X, y = windows(ids, config.window) if config.target == "last" else chunks(ids, config.window)
    if len(X) == 0:
        return None
    pick = np.unique(np.linspace(0, len(X) - 1, min(len(X), max_samples)).astype(int))
    X, y = X[pick], y[pick]
    trace = model_forward(model, model_inputs(X.T, config, vocab_size))
    return softmax_cross_entropy(trace.y, y.T if y.ndim == 2 else y)[0]


def held_out_loss(model, prep, config):
    """The held-out part's loss, or None when nothing is held out."""
    if not config.holdout:
        return None
    return loss_on(model, prep.test_ids, config, prep.vocab.size)


def perplexity(loss):
    """exp(loss): how many equally likely characters the model's uncertainty is worth."""
    return None if loss is None else float(math.exp(min(loss, 700.0)))


def softmax(logits, temperature=1.0):
    """The distribution p_k = exp(z_k / T) / sum_j exp(z_j / T) over the last axis, in float64."""
    z = np.asarray(logits, np.float64) / temperature
    z = z - z.max(axis=-1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=-1, keepdims=True)


TEMPERATURE = (0.1, 2.0)  # the range a page offers


@dataclasses.dataclass(frozen=True, eq=False)
class Generation:
    """Texts generated from one seed text: one row per temperature."""

    seed_text: str
    temperatures: tuple
    greedy: bool
    ids: np.ndarray  # (R, length) generated ids, R rows (one per temperature)
    probs: np.ndarray  # (R, length, V): the distribution each generated character was drawn from
    texts: tuple  # R generated strings (the seed not included)


def generate(model, vocab, config, seed_text, length, *, temperatures=(1.0,), greedy=False, seed=0):
    """`length` characters after `seed_text`, one row per temperature, each drawn from
    softmax(logits / T) (or the most likely one, `greedy`). Every prediction is made in the regime the
    model trained in (its `Reader`). Characters outside the vocabulary raise ValueError naming them."""
    if not seed_text:
        raise ValueError("the seed text is empty: type at least one character")
    if isinstance(length, bool) or not isinstance(length, int) or not 0 <= length <= 2000:
        raise ValueError(f"length must be a whole number in 0..2000, got {length!r}")
    temperatures = tuple(float(checked_number("temperature", t, *TEMPERATURE)) for t in temperatures)
    if not temperatures:
        raise ValueError("give at least one temperature")
    R, V = len(temperatures), vocab.size
    reader = Reader(model, config, np.tile(vocab.encode(seed_text)[-config.window:], (R, 1)))
    rng = np.random.default_rng(seed)
    ids = np.empty((R, length), np.intp)
    probs = np.empty((R, length, V))
    for k in range(length):
        logits = reader.logits  # (R, V)
        for r, T in enumerate(temperatures):
            probs[r, k] = softmax(logits[r], T)
        ids[:, k] = (probs[:, k].argmax(axis=-1) if greedy
                     else [rng.choice(V, p=probs[r, k]) for r in range(R)])
        reader.read(ids[:, k])
    return Generation(seed_text=seed_text, temperatures=temperatures, greedy=greedy, ids=ids, probs=probs,
                      texts=tuple(vocab.decode(row) for row in ids))


class Reader:
    """The model reading a growing text, R rows at once, always as it trained.

    - target "last" (the notes' windows): it trained on windows of exactly `window` characters, so
      each prediction reads the last `window` characters afresh from a zero state (the notes'
      `pattern = pattern[1:] + [index]`): `window` steps per character.
    - target "every" (chunks): it trained on chunks of `window`, predicting after 1..window
      characters read from a zero state. So it carries its state from character to character, and
      once it has read `window` characters since its last zero state it starts again from zero on
      the last window // 2: every prediction comes after window // 2..window characters, and a
      character costs about two steps instead of `window`.
    `logits` (R, V) is the prediction for the character after what has been read.
    """

    def __init__(self, model, config, context):
        self.model, self.config = check_text_model(model), config
        self.window = config.window
        self.history = np.asarray(context, np.intp)  # (R, n): every id read so far
        self._restart(self.history[:, -self.window:])

    def read(self, next_ids):
        """Read one more character per row, (R,) ids, and update `logits`."""
        self.history = np.concatenate([self.history, np.asarray(next_ids, np.intp)[:, None]], axis=1)
        if self.model.readout == "last":
            self._restart(self.history[:, -self.window:])
        elif self.since >= self.window:
            self._restart(self.history[:, -max(self.window // 2, 1):])
        else:
            self._advance(self.history[:, -1:])

    def _restart(self, ids):
        """Read ids (R, n) from a zero state."""
        self.states, self.since = None, 0
        self._advance(ids)

    def _advance(self, ids):
        """Read ids (R, n) on from the carried state: every layer's (h, C), then the head."""
        X = model_inputs(ids.T, self.config, self.model.head.W.shape[0])  # (n, R) ids or (n, R, 1)
        if self.model.readout == "last":
            self.logits = np.asarray(model_forward(self.model, X).y, np.float64)
            return
        states = []
        for k, layer in enumerate(self.model.layers):
            h0, c0 = (None, None) if self.states is None else self.states[k]
            trace = lstm_forward(layer.fwd, X, h0, c0)
            states.append((trace.h[-1], trace.c[-1]))
            X = trace.h  # (n, R, H): what the next layer reads
        self.states, self.since = states, self.since + ids.shape[1]
        self.logits = np.asarray(X[-1] @ self.model.head.W.T + self.model.head.b, np.float64)


def check_text_model(model):
    """Return `model` if it is a text model (one-way LSTM layers and a head), else ValueError."""
    if model.head is None or any(layer.bwd is not None or not layer.kind.startswith("lstm")
                                 for layer in model.layers):
        raise ValueError("a text model is one-way LSTM layers with a Dense head of one logit per character")
    return model


def top_k(p, vocab, k=10):
    """The k most likely characters of a distribution p (V,): [(character, probability)], largest first."""
    order = np.argsort(-np.asarray(p), kind="stable")[:k]
    return [(vocab.chars[j], float(p[j])) for j in order]
