"""The small seeded models and data the model-layer tests share."""
import numpy as np

import lstm_core as lc

T, B, I, H, O = 4, 2, 2, 3, 2  # steps, batch, input features, hidden units, outputs


def make_model(kind="lstm", num_layers=1, bidirectional=False, head=True, seed=0):
    """A seeded float64 model with weights doubled so that gates sit away from 0.5."""
    model = lc.Model.init(kind, I, H, O if head else None, num_layers=num_layers,
                          bidirectional=bidirectional, seed=seed)
    return model.map(lambda a: 2.0 * a)


def make_data(model, lengths=None, seed=1):
    """Inputs (T, B, I) and loss weights R shaped like y (or outputs without a head)."""
    rng = np.random.default_rng(seed)
    xs = rng.normal(size=(T, B, I))
    width = model.head.W.shape[0] if model.head is not None else model.feature_size
    R = rng.normal(size=(T, B, width))
    if lengths is not None:
        R = R * lc.length_mask(lengths, T)[:, :, None]  # the loss ignores padded steps
    return xs, R
