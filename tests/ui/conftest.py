"""Fixtures of the figure tests: seeded gradient flows that stay finite, overflow or underflow."""
import numpy as np
import pytest
from gradient_cases import flows_of


@pytest.fixture(scope="module")
def small():
    """Twelve steps of a random input through all four cells: finite, vanishing at different rates."""
    return flows_of(np.random.default_rng(1).normal(size=(12, 1)), seed=0)


@pytest.fixture(scope="module")
def blowup():
    """Weights ×10, no biases, zero input, T = 500: the tanh RNN overflows to inf (and NaN inside)."""
    flows = flows_of(np.zeros((500, 1)), H=8, scale=10, biases=False)
    assert np.isinf(flows["rnn_tanh"].dh_norm).any() and not np.isfinite(flows["rnn_tanh"].grads.dh).all()
    return flows


@pytest.fixture(scope="module")
def underflow():
    """Default cells on 500 random steps: the sigmoid RNN's gradient underflows to exactly 0."""
    flows = flows_of(np.random.default_rng(0).normal(size=(500, 1)), H=8)
    assert (flows["rnn_sigmoid"].dh_norm == 0).any()
    return flows
