"""The sentiment model: an embedding, one LSTM layer read at each sentence's last word, two classes.

    x_t = E[id_t]                                   embedding row of word t         (embed,)
    h_t = LSTM(x_t, h_{t-1}, C_{t-1})               masked beyond each length       (H,)
    z   = W [h_{n-1}] + b,  p = softmax(z)[1]       P(positive) read at t = n - 1   (2,)
Bidirectional: z = W [forward h_{n-1}, backward h at step 0] + b, each direction's final state
(torch's h_n). E is trained with the rest (np.add.at of dL/dx_t into its rows); PAD's row stays 0.
Training, the baseline and the readings are in `sentiment.py`.
"""
import dataclasses

import numpy as np

from .losses import softmax_cross_entropy
from .model import Dense, Model
from .model_pass import model_backward, model_forward
from .sentiment_data import PAD, UNK, pad_batch


@dataclasses.dataclass(frozen=True, eq=False)
class SentimentModel:
    """The embedding E (V, embed), the LSTM (a one-layer Model without head) and the head (2, D)."""

    embedding: np.ndarray
    lstm: Model
    head: Dense

    @property
    def bidirectional(self):
        return self.lstm.layers[0].bwd is not None

    @property
    def units(self):
        return self.lstm.layers[0].fwd.hidden_size

    def arrays(self):
        """Flat dict name -> array: "embedding", "lstm.layers.0.fwd.W_f", ..., "head.W", "head.b"."""
        out = {"embedding": self.embedding}
        out.update({f"lstm.{k}": a for k, a in self.lstm.arrays().items()})
        out.update({f"head.{k}": a for k, a in self.head.arrays().items()})
        return out

    def replace_arrays(self, arrays):
        """A new model with every array taken from `arrays` (names as arrays())."""
        lstm = self.lstm.replace_arrays({k[5:]: a for k, a in arrays.items() if k.startswith("lstm.")})
        return SentimentModel(np.asarray(arrays["embedding"]), lstm,
                              Dense(W=np.asarray(arrays["head.W"]), b=np.asarray(arrays["head.b"])))


def build_model(config, vocab_size):
    """Seeded init: E ~ N(0, 1) (torch's nn.Embedding) with the PAD and UNK rows 0, torch's LSTM
    and Linear inits."""
    rng = np.random.default_rng((config.seed, 0))
    E = rng.normal(size=(vocab_size, config.embed))
    E[[PAD, UNK]] = 0.0  # PAD stays 0; UNK starts with no direction and learns from word dropout
    lstm = Model.init("lstm", config.embed, config.units, None, bidirectional=config.bidirectional,
                      seed=config.seed + 1)
    head = Dense.init(lstm.feature_size, 2, seed=config.seed + 3)
    return SentimentModel(E, lstm, head)


@dataclasses.dataclass(frozen=True, eq=False)
class SentimentTrace:
    """A forward pass over a padded batch."""

    ids: np.ndarray  # (T, B)
    lengths: np.ndarray  # (B,)
    lstm: object  # the ModelTrace of the LSTM over the embedded words
    features: np.ndarray  # (B, D) what the head reads
    logits: np.ndarray  # (B, 2)

    @property
    def p_positive(self):
        return positive(self.logits)


def positive(logits):
    """P(positive) = softmax(z)[1] = sigmoid(z_1 - z_0), for logits (..., 2)."""
    return 1.0 / (1.0 + np.exp(logits[..., 0] - logits[..., 1]))


def head_logits(head, features):
    """z = W f + b for features (..., D), each row on its own (an elementwise product summed), so a
    row gives the same bits whatever else is in the batch."""
    return (features[..., None, :] * head.W).sum(axis=-1) + head.b  # (..., 2)


def read_features(trace_outputs, lengths, H):
    """(B, D): forward h at step length - 1, and if bidirectional the backward h at step 0."""
    B = lengths.size
    fwd = trace_outputs[lengths - 1, np.arange(B), :H]
    if trace_outputs.shape[2] == H:
        return fwd
    return np.concatenate([fwd, trace_outputs[0, :, H:]], axis=1)


def forward(model, ids, lengths):
    """The model over padded ids (T, B) with lengths (B,)."""
    ids, lengths = np.asarray(ids, np.intp), np.asarray(lengths, np.intp)
    trace = model_forward(model.lstm, model.embedding[ids], lengths)  # x_t = E[id_t]: (T, B, embed)
    features = read_features(trace.outputs, lengths, model.units)
    return SentimentTrace(ids, lengths, trace, features, head_logits(model.head, features))


def loss_and_grads(model, ids, lengths, labels):
    """(mean cross-entropy in nats, dict of dL/d every array like model.arrays())."""
    tr = forward(model, ids, lengths)
    loss, dz = softmax_cross_entropy(tr.logits, np.asarray(labels, np.intp))  # dz: (B, 2)
    H, B = model.units, tr.lengths.size
    dfeat = dz @ model.head.W  # (B, D)
    dout = np.zeros_like(tr.lstm.outputs)  # (T, B, D): only the steps read get a gradient
    dout[tr.lengths - 1, np.arange(B), :H] = dfeat[:, :H]
    if model.bidirectional:
        dout[0, :, H:] += dfeat[:, H:]
    grads = model_backward(model.lstm, tr.lstm, doutputs=dout)
    dE = np.zeros_like(model.embedding)
    np.add.at(dE, tr.ids, grads.dxs)  # each word's row sums dL/dx_t over its occurrences
    dE[PAD] = 0.0  # padded steps read PAD; it stays the zero vector
    out = {"embedding": dE}
    out.update({f"lstm.{k}": a for k, a in grads.model.arrays().items()})
    out.update({"head.W": dz.T @ tr.features, "head.b": dz.sum(axis=0)})
    return float(loss), out


def predict(model, id_lists):
    """P(positive) (B,) of each sentence (a list of id arrays), all in one padded batch."""
    return forward(model, *pad_batch(id_lists)).p_positive
