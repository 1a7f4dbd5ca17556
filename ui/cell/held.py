"""Cells too big for a link, held in this server's memory under a digest of their weights.

A trained text model's first layer has H = 128 units and dozens of inputs: some 75,000 weights,
far more than a URL carries. The cell pages' state holds the digest instead (CellState.held),
and `get` gives the weights back. The store is shared by the sessions of one server process, is
bounded (the oldest cells go first) and holds immutable float64 parameters only, so no session
can change what another sees; a link whose cell is no longer held says so and opens the defaults.
"""
import collections
import hashlib
import threading

import numpy as np

MAX_BYTES = 256 * 2**20  # about 400 text models' first layers (H = 128, 20 inputs)
_HELD = collections.OrderedDict()  # digest -> LSTMParams, oldest first
_LOCK = threading.Lock()


def digest(params):
    """16 hex digits naming `params` by its shapes and every weight's bytes."""
    h = hashlib.sha256()
    for name, a in params.arrays().items():
        h.update(f"{name}{a.shape}".encode())
        h.update(np.ascontiguousarray(a, dtype=np.float64).tobytes())
    return h.hexdigest()[:16]


def hold(params):
    """Keep `params` (as read-only float64 arrays) and return its digest."""
    params = params.map(_frozen)
    key = digest(params)
    with _LOCK:
        _HELD[key] = params
        _HELD.move_to_end(key)
        while len(_HELD) > 1 and sum(_size(p) for p in _HELD.values()) > MAX_BYTES:
            _HELD.popitem(last=False)
    return key


def get(key):
    """The parameters held under `key`; ValueError if this server does not hold them (any more)."""
    with _LOCK:
        params = _HELD.get(key)
        if params is not None:
            _HELD.move_to_end(key)
    if params is None:
        raise ValueError("its trained model is no longer held by this server (a link to a text "
                         "model's cell works while the server that opened it runs)")
    return params


def holds(key):
    """Whether `key` names held parameters."""
    with _LOCK:
        return key in _HELD


def _frozen(a):
    """A read-only float64 copy."""
    a = np.array(a, dtype=np.float64)
    a.flags.writeable = False
    return a


def _size(params):
    return sum(a.nbytes for a in params.arrays().values())
