"""Word-level sentiment: training a small LSTM classifier live, its bag-of-words baseline, and
reading a sentence word by word.

The model (embedding, one LSTM layer read at each sentence's last word, two classes) is in
`sentiment_model.py`, the sentences, words and padded batches in `sentiment_data.py`; both are
re-exported here. The bag-of-words baseline is a logistic regression on word counts: it cannot see
order ("good , not bad" and "bad , not good" are one bag).

    train, val = split(read_sentences(tsv_text), 0.2, seed=0)
    for item in run_sentiment(train, val, SentimentConfig()): ...    # every report_every steps
"""
import dataclasses
import math

import numpy as np

from .losses import softmax_cross_entropy
from .optim import Adam, checked_number, clip_by_global_norm
from .sentiment_data import (CATEGORIES, MAX_WORDS, PAD, PAD_WORD, UNK, UNK_WORD, Example, Vocab,
                             check_sentence, pad_batch, read_sentences, split, tokenize)
from .sentiment_model import (SentimentModel, SentimentTrace, build_model, forward, head_logits,
                              loss_and_grads, positive, predict)

__all__ = ["CATEGORIES", "LIMITS", "MAX_WORDS", "PAD", "PAD_WORD", "UNK", "UNK_WORD", "BagOfWords",
           "Example", "PaddingCheck", "Reading", "SentimentConfig", "SentimentModel",
           "SentimentTrace", "Vocab", "accuracy_by_category", "bow_predictor", "bow_probability",
           "build_model", "check_sentence", "fit", "fit_bow", "forward", "loss_and_grads",
           "lstm_predictor", "pad_batch", "padding_check", "predict", "read_sentence",
           "read_sentences", "run_sentiment", "split", "tokenize", "validate"]

LIMITS = {"embed": (1, 64), "units": (1, 128), "batch_size": (1, 512), "steps": (1, 5000),
          "report_every": (1, 1000), "seed": (0, 2**31 - 1)}


@dataclasses.dataclass(frozen=True)
class SentimentConfig:
    """Everything a sentiment run depends on; the defaults train in a few seconds."""

    embed: int = 8  # size of each word's embedding row
    units: int = 16  # hidden size H of the LSTM (per direction)
    bidirectional: bool = False  # a second LSTM reads each sentence backwards
    lr: float = 0.01  # Adam's learning rate
    batch_size: int = 32  # sentences per Adam step
    steps: int = 400  # Adam steps of the whole run
    clip: float = 5.0  # global gradient-norm clipping; None: off
    holdout: float = 0.2  # part of each (category, label) group held out
    word_dropout: float = 0.1  # chance that a training word is read as UNK (the model cannot lean on one word)
    report_every: int = 10  # Adam steps between two items of run_sentiment
    seed: int = 0  # seeds the weights, the split's pick (by the caller) and the batch order


def validate(config):
    """Return `config` if it can be trained, else ValueError saying which value is wrong and why."""
    if not isinstance(config, SentimentConfig):
        raise ValueError(f"sentiment training needs a SentimentConfig, got {type(config).__name__}")
    for name, (low, high) in LIMITS.items():
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{name.replace('_', ' ')} must be a whole number in {low}..{high}, got {value!r}")
    if not isinstance(config.bidirectional, bool):
        raise ValueError(f"bidirectional must be True or False, got {config.bidirectional!r}")
    checked_number("learning rate", config.lr, 0.0, 1.0, open_low=True)
    if config.clip is not None:
        checked_number("clipping norm", config.clip, 0.0, open_low=True)
    checked_number("held-out part", config.holdout, 0.0, 0.5, open_high=True)
    checked_number("word dropout", config.word_dropout, 0.0, 0.5)
    return config


def _encoded(vocab, examples):
    """(id arrays, labels (N,)) of examples."""
    return [vocab.encode(e.words)[0] for e in examples], np.array([e.label for e in examples], np.intp)


def _scores(model, id_lists, labels):
    """(loss, accuracy) of the model on sentences, or (None, None) for none."""
    if not id_lists:
        return None, None
    logits = forward(model, *pad_batch(id_lists)).logits
    loss = softmax_cross_entropy(logits, labels)[0]
    return float(loss), float(np.mean(np.argmax(logits, axis=1) == labels))


def _batches(id_lists, labels, config):
    """Endless (ids, lengths, labels) batches, each epoch in a fresh seeded order; each real word
    is read as UNK with probability config.word_dropout (seeded)."""
    drops = np.random.default_rng((config.seed, 3))
    epoch = 0
    while True:
        order = np.random.default_rng((config.seed, 1, epoch)).permutation(len(id_lists))
        for start in range(0, len(order), config.batch_size):
            pick = order[start:start + config.batch_size]
            ids, lengths = pad_batch([id_lists[k] for k in pick])
            dropped = (drops.random(ids.shape) < config.word_dropout) & (ids != PAD)
            yield np.where(dropped, UNK, ids), lengths, labels[pick]
        epoch += 1


def run_sentiment(examples_train, examples_val, config):
    """A generator: every `report_every` Adam steps {"kind", "step", "epoch", "loss" (the mean
    training loss of the steps since the last item), "val_loss", "accuracy" (the whole training
    split's), "val_accuracy", "done", "model", "best_step", "vocab"}. "best_step" is the item's own step,
    whose model it carries, as the app's other runs report it: the pages keep the newest model."""
    validate(config)
    if not examples_train:
        raise ValueError("there are no training sentences")
    vocab = Vocab.from_examples(examples_train)
    return _run(vocab, examples_train, examples_val, config)


def _run(vocab, examples_train, examples_val, config):
    """Train, yielding every report_every steps."""
    train_ids, train_labels = _encoded(vocab, examples_train)
    val_ids, val_labels = _encoded(vocab, examples_val)
    model = build_model(config, vocab.size)
    arrays, opt = model.arrays(), Adam(lr=config.lr)
    state, batches = opt.init(arrays), _batches(train_ids, train_labels, config)
    per_epoch = math.ceil(len(train_ids) / config.batch_size)
    losses = []
    for step in range(1, config.steps + 1):
        loss, grads = loss_and_grads(model, *next(batches))
        if config.clip is not None:
            grads = clip_by_global_norm(grads, config.clip)[0]
        arrays, state = opt.update(arrays, grads, state)
        model = model.replace_arrays(arrays)
        losses.append(loss)
        if step % config.report_every and step != config.steps:
            continue
        mean_loss, losses = float(np.mean(losses)), []
        if not math.isfinite(mean_loss):
            raise FloatingPointError(f"training diverged at step {step}: lower the learning rate")
        accuracy = _scores(model, train_ids, train_labels)[1]
        val_loss, val_accuracy = _scores(model, val_ids, val_labels)
        yield {"kind": "lstm", "step": step, "epoch": step / per_epoch, "loss": mean_loss,
               "val_loss": val_loss, "accuracy": accuracy, "val_accuracy": val_accuracy,
               "done": step == config.steps, "model": model, "best_step": step, "vocab": vocab}


def fit(examples_train, examples_val, config):
    """The model at the end of the run, and the run's last item."""
    item = None
    for item in run_sentiment(examples_train, examples_val, config):
        pass
    return item["model"], item


@dataclasses.dataclass(frozen=True, eq=False)
class BagOfWords:
    """Logistic regression on word counts: P(positive) = sigmoid(counts . w + b)."""

    vocab: Vocab
    w: np.ndarray  # (V,) one weight per word
    b: float


def counts(vocab, words):
    """(V,) how often each id occurs in the words (unknown words count as UNK)."""
    return np.bincount(vocab.encode(words)[0], minlength=vocab.size).astype(np.float64)


def fit_bow(train, vocab, config, *, steps=300, lr=0.05, weight_decay=1e-3):
    """The baseline fitted by full-batch Adam on the mean cross-entropy (+ L2 on w), seeded init."""
    X = np.array([counts(vocab, e.words) for e in train])  # (N, V)
    y = np.array([e.label for e in train], np.float64)
    rng = np.random.default_rng((config.seed, 2))
    arrays, opt = {"w": 0.01 * rng.normal(size=vocab.size), "b": np.zeros(1)}, Adam(lr=lr)
    state = opt.init(arrays)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(X @ arrays["w"] + arrays["b"][0])))
        err = (p - y) / len(y)  # dL/dz of the mean cross-entropy
        grads = {"w": X.T @ err + weight_decay * arrays["w"], "b": np.array([err.sum()])}
        arrays, state = opt.update(arrays, grads, state)
    return BagOfWords(vocab, np.array(arrays["w"]), float(arrays["b"][0]))


def bow_probability(bow, words):
    """The baseline's P(positive) for a sentence: the same for any order of the same words."""
    return float(1.0 / (1.0 + math.exp(-(float(counts(bow.vocab, words) @ bow.w) + bow.b))))


def lstm_predictor(model, vocab):
    """predict(list of word lists) -> P(positive) (B,) of the LSTM, for accuracy_by_category."""
    return lambda word_lists: predict(model, [vocab.encode(w)[0] for w in word_lists])


def bow_predictor(bow):
    """predict(list of word lists) -> P(positive) (B,) of the bag of words."""
    return lambda word_lists: np.array([bow_probability(bow, w) for w in word_lists])


def accuracy_by_category(predict_fn, examples):
    """{category: accuracy} for the categories present (CATEGORIES order), then "all"."""
    if not examples:
        return {}
    p = np.asarray(predict_fn([e.words for e in examples]))
    right = (p > 0.5) == np.array([e.label == 1 for e in examples])
    cats = np.array([e.category for e in examples])
    out = {c: float(right[cats == c].mean()) for c in CATEGORIES if np.any(cats == c)}
    out["all"] = float(right.mean())
    return out


@dataclasses.dataclass(frozen=True, eq=False)
class Reading:
    """A sentence read word by word (the forward direction's states and gates, (n, H))."""

    words: tuple
    ids: np.ndarray  # (n,)
    unknown: np.ndarray  # (n,) bool: words outside the vocabulary, read as UNK
    p_positive: np.ndarray  # (n,) P(positive) if the sentence ended after word t
    c: np.ndarray
    h: np.ndarray
    f: np.ndarray
    i: np.ndarray
    o: np.ndarray
    dC: np.ndarray  # (n,) ||C_t - C_{t-1}||, C_0 = 0: how much word t moved the memory
    p_final: float  # the model's prediction for the whole sentence


def read_sentence(model, vocab, words):
    """The sentence's Reading. Unidirectional: p_positive[t] is the head on h_t (the LSTM is causal,
    so exactly what it says for the prefix); bidirectional: the model rerun on each prefix."""
    words = tuple(words)
    if not words:
        raise ValueError("the sentence has no words")
    ids, unknown = vocab.encode(words)
    n = ids.size
    alone = forward(model, ids[:, None], np.array([n]))
    cell = alone.lstm.layers[0][0]  # the forward direction's LSTMTrace, (n, 1, H)
    if model.bidirectional:
        prefixes = forward(model, *pad_batch([ids[:t + 1] for t in range(n)]))
        running = prefixes.p_positive
    else:
        running = positive(head_logits(model.head, cell.h[:, 0]))
    c = cell.c[:, 0]
    dC = np.linalg.norm(np.diff(c, axis=0, prepend=np.zeros((1, c.shape[1]))), axis=1)
    return Reading(words=words, ids=ids, unknown=unknown, p_positive=running, c=c, h=cell.h[:, 0],
                   f=cell.f[:, 0], i=cell.i[:, 0], o=cell.o[:, 0], dC=dC,
                   p_final=float(alone.p_positive[0]))


@dataclasses.dataclass(frozen=True, eq=False)
class PaddingCheck:
    """Each sentence in one padded batch against the same sentence alone."""

    ids: np.ndarray  # (T, B) padded with PAD at the end
    lengths: np.ndarray  # (B,)
    mask: np.ndarray  # (T, B) 1 at real steps, 0 at pads
    order: np.ndarray  # (T, B) the step the backward direction reads at t: reversed within each length
    p_batched: np.ndarray  # (B,)
    p_alone: np.ndarray  # (B,)
    max_diff_p: float  # max |p_batched - p_alone|
    max_diff_state: float  # max |difference| of the features read and the forward C at length - 1


def padding_check(model, id_lists):
    """Run the sentences as one padded batch and each alone; compare predictions and final states."""
    ids, lengths = pad_batch(id_lists)
    batched = forward(model, ids, lengths)
    B = lengths.size
    c_batched = batched.lstm.layers[0][0].c[lengths - 1, np.arange(B)]  # (B, H)
    alone = [forward(model, np.asarray(row, np.intp)[:, None], np.array([len(row)])) for row in id_lists]
    p_alone = np.array([a.p_positive[0] for a in alone])
    feats = np.stack([a.features[0] for a in alone])
    c_alone = np.stack([a.lstm.layers[0][0].c[-1, 0] for a in alone])
    diff_state = max(np.max(np.abs(feats - batched.features)), np.max(np.abs(c_alone - c_batched)))
    return PaddingCheck(ids=ids, lengths=lengths, mask=batched.lstm.mask, order=batched.lstm.order,
                        p_batched=batched.p_positive, p_alone=p_alone,
                        max_diff_p=float(np.max(np.abs(batched.p_positive - p_alone))),
                        max_diff_state=float(diff_state))
