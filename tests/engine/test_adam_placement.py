"""Adam's eps in Keras's place: the update Keras 3's Adam computes, step for step, and not torch's."""
import math

import numpy as np
import pytest

from lstm_core.optim import Adam


def keras_adam(p, grads, lr, beta1, beta2, eps):
    """Keras 3's Adam written out (keras/src/optimizers/adam.py): alpha = lr sqrt(1 - b2^t) / (1 - b1^t),
    p -= alpha m / (sqrt(v) + eps)."""
    m, v = np.zeros_like(p), np.zeros_like(p)
    for t, g in enumerate(grads, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        alpha = lr * math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
        p = p - alpha * m / (np.sqrt(v) + eps)
    return p


def run(adam, p, grads):
    arrays, state = {"w": p}, adam.init({"w": p})
    for g in grads:
        arrays, state = adam.update(arrays, {"w": g}, state)
    return arrays["w"]


@pytest.fixture
def problem():
    rng = np.random.default_rng(3)
    return rng.normal(size=(4, 5)), [rng.normal(scale=s, size=(4, 5)) for s in (1e-7, 1e-6, 1.0, 1e-5, 0.3)]


def test_keras_placement_is_keras_adam(problem):
    p, grads = problem
    ours = run(Adam(lr=1e-3, eps=1e-7, eps_placement="keras"), p, grads)
    np.testing.assert_allclose(ours, keras_adam(p, grads, 1e-3, 0.9, 0.999, 1e-7), rtol=0, atol=1e-15)


def test_torch_placement_differs_where_gradients_are_small(problem):
    p, grads = problem
    torch_like = run(Adam(lr=1e-3, eps=1e-7), p, grads)
    assert np.abs(torch_like - keras_adam(p, grads, 1e-3, 0.9, 0.999, 1e-7)).max() > 1e-5


def test_an_unknown_placement_is_refused():
    with pytest.raises(ValueError, match="eps_placement must be one of"):
        Adam(eps_placement="tf")
