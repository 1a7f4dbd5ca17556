"""Central finite differences, the reference every engine gradient test compares against."""
import numpy as np

EPS = 1e-6  # float64: truncation error ~EPS^2, rounding error ~1e-16 / EPS; both ~1e-10


def numeric_grad(f, x, eps=EPS):
    """d f() / d x for every element of x, by central differences; x is perturbed in place."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        up = f()
        x[idx] = old - eps
        down = f()
        x[idx] = old
        grad[idx] = (up - down) / (2 * eps)
    return grad
