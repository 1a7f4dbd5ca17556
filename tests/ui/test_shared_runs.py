"""A class pressing Train at once shares one computation: each item computed once, every follower sees
all of them in order, nothing shared can be changed by a session, and the result is a fit's own."""
import threading

import numpy as np
import pytest

from lstm_core import forecast as F
from ui.common import shared_runs as SR
from ui.forecast.data import load_builtin


@pytest.fixture(autouse=True)
def empty_registry():
    SR.forget_all()
    yield
    SR.forget_all()


class Counted:
    """A generator of n items that counts how many it has produced (and can fail at one)."""

    def __init__(self, n, fail_at=None):
        self.n, self.fail_at, self.made = n, fail_at, 0

    def __call__(self):
        def gen():
            for k in range(1, self.n + 1):
                if k == self.fail_at:
                    raise ValueError("diverged")
                self.made += 1
                yield {"step": k, "loss": 1.0 / k, "model": None}
        return gen()


def test_two_followers_share_one_computation_and_see_every_item():
    source = Counted(5)
    a, b = SR.follow("k", source), SR.follow("k", source)
    first = [next(a) for _ in range(3)]
    assert source.made == 3
    assert [item["step"] for item in b] == [1, 2, 3, 4, 5] and source.made == 5
    assert [item["step"] for item in a] == [4, 5] and source.made == 5
    assert [item["step"] for item in first] == [1, 2, 3]


def test_other_settings_compute_their_own():
    one, two = Counted(2), Counted(2)
    assert len(list(SR.follow("a", one))) == len(list(SR.follow("b", two))) == 2
    assert one.made == two.made == 2


def test_a_session_cannot_change_what_another_reads():
    source = Counted(2)
    mine = next(SR.follow("k", source))
    mine["loss"] = 99.0
    assert next(SR.follow("k", source))["loss"] == 1.0


def test_threads_following_at_once_get_every_item_in_order_each_computed_once():
    source, seen = Counted(40), {}

    def student(k):
        seen[k] = [item["step"] for item in SR.follow("k", source)]

    threads = [threading.Thread(target=student, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(steps == list(range(1, 41)) for steps in seen.values()) and len(seen) == 8
    assert source.made == 40


def test_a_failed_fit_fails_for_its_followers_and_starts_afresh_when_asked_again():
    source = Counted(5, fail_at=3)
    fit = SR.follow("k", source)
    assert [next(fit)["step"] for _ in range(2)] == [1, 2]
    with pytest.raises(ValueError, match="diverged"):
        next(fit)
    with pytest.raises(ValueError, match="diverged"):
        list(SR.follow("k", source))[2:]
    assert source.made == 4  # the second follow started a new computation


def test_the_registry_keeps_at_most_max_fits():
    for k in range(SR.MAX_FITS + 3):
        list(SR.follow(k, Counted(1)))
    assert len(SR._FITS) == SR.MAX_FITS and 0 not in SR._FITS and SR.MAX_FITS + 2 in SR._FITS


def test_a_shared_forecast_is_exactly_a_fit_of_ones_own_and_its_model_is_read_only():
    values = load_builtin("aapl").values
    cfg = F.ForecastConfig(epochs=4, units=8)
    start = lambda: F.run_forecast(values, cfg)  # noqa: E731
    a, b = list(SR.follow("aapl", start)), list(SR.follow("aapl", start))
    own = list(F.run_forecast(values, cfg))
    assert [i["loss"] for i in a] == [i["loss"] for i in b] == [i["loss"] for i in own]
    assert [i["test_loss"] for i in b] == [i["test_loss"] for i in own]
    assert all(i["model"] is None for i in b[:-1]) and b[-1]["model"] is a[-1]["model"]
    shared, mine = b[-1]["model"].arrays(), own[-1]["model"].arrays()
    assert all(np.array_equal(shared[k], mine[k]) for k in mine)
    with pytest.raises(ValueError):
        shared["head.b"][0] = 1.0
    report = F.evaluate_forecast(values, cfg, b[-1]["model"])
    assert report.errors == F.evaluate_forecast(values, cfg, own[-1]["model"]).errors
