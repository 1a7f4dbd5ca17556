"""One computation per set of settings, however many sessions start it: a class pressing Train at once.

A teacher says "press Train" and thirty sessions ask for the same deterministic fit. `follow(key,
start)` gives each of them a generator over the items of one shared computation of `key`: whoever
needs an item that is not computed yet computes it (under the fit's lock), everyone else reads it.
So the server trains once, and every student sees the same progress, exactly the numbers a fit of
their own would give (the fit is a pure function of its settings).

What is shared cannot be changed by a session: items are copied out as new dicts of plain numbers,
and the model (a frozen dataclass) has read-only arrays. Only the newest item carries its model, so
a fit holds one model, not one per epoch. At most MAX_FITS fits are kept, the least recently asked
for leaving first; a fit that failed is started afresh by the next session that asks for it.
"""
import collections
import threading

MAX_FITS = 8
_FITS = collections.OrderedDict()  # key -> _Fit, most recently asked for last
_REGISTRY_LOCK = threading.Lock()


class _Fit:
    """One computation: its generator, the items it has yielded (without models), its newest model."""

    def __init__(self, generator):
        self.generator = generator
        self.items = []
        self.model = None  # the newest item's model, arrays read-only
        self.done = False
        self.error = None
        self.lock = threading.Lock()

    def item(self, k):
        """Item k (with its model if it is the newest so far), computing up to it; None past the end."""
        with self.lock:
            while len(self.items) <= k and not self.done:
                self._next()
            if k < len(self.items):
                return {**self.items[k], "model": self.model if k == len(self.items) - 1 else None}
            if self.error is not None:
                raise self.error
            return None

    def _next(self):
        """Advance the computation by one item (the caller holds the lock)."""
        try:
            item = next(self.generator)
        except StopIteration:
            self.done = True
            return
        except (ValueError, FloatingPointError) as err:
            self.done, self.error = True, err
            return
        self.model = read_only(item.get("model"))
        self.items.append({k: v for k, v in item.items() if k != "model"})


def read_only(model):
    """`model` with every array made read-only (None stays None): safe to hand to every session."""
    if model is not None:
        for array in model.arrays().values():
            array.flags.writeable = False
    return model


def follow(key, start):
    """A generator over the shared computation of `key`; `start()` makes its generator the first time.

    `start` runs at once, so a setting it refuses raises ValueError here, as a fit of one's own would.
    """
    with _REGISTRY_LOCK:
        fit = _FITS.pop(key, None)
        if fit is None or fit.error is not None:
            fit = _Fit(start())
        _FITS[key] = fit
        while len(_FITS) > MAX_FITS:
            _FITS.popitem(last=False)
    return _items(fit)


def finished(key):
    """Whether a fit of `key` has already run to its end without an error (following it replays it)."""
    with _REGISTRY_LOCK:
        fit = _FITS.get(key)
    return fit is not None and fit.done and fit.error is None


def _items(fit):
    """Every item of `fit`, in order, computing what no one has computed yet."""
    k = 0
    while (item := fit.item(k)) is not None:
        yield item
        k += 1


def forget_all():
    """Drop every shared fit (tests start from an empty registry)."""
    with _REGISTRY_LOCK:
        _FITS.clear()
