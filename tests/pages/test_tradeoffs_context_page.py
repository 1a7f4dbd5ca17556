"""The Trade-offs page's short-term and limited-context sections in the app: opened from links, run to the
end, their verdicts the engine's, their settings in the link, a bad link refused with the defaults kept."""
import pytest
from pagekit import assert_clean, open_page, train_to_the_end, warnings

from lstm_core import context as E
from ui.common import shared_runs
from ui.tradeoffs import context_words as W
from ui.tradeoffs.state import TradeoffsState

PAGE = "views/tradeoffs.py"


@pytest.fixture(autouse=True)
def fresh_runs():
    shared_runs.forget_all()


def test_the_short_term_section_opens_from_its_link_and_runs_to_its_verdict():
    at = open_page(PAGE, {"experiment": "short_term", "k": "10", "st_steps": "50", "st_seed": "2"})
    assert_clean(at)
    assert (at.slider(key="vd_k").value, at.slider(key="vd_st_steps").value) == (10, 50)
    assert at.number_input(key="vd_st_seed").value == 2
    run = train_to_the_end(at, "vd_st_run", "short_term_run")
    assert run.status == "done" and run.config == E.ShortTermConfig(k=10, steps=50, seed=2)
    assert_clean(at)
    assert W.short_term_verdict(E.short_term_summary(run.items), 10, 50) in [m.value for m in at.markdown]


def test_a_moved_window_goes_into_the_link():
    at = open_page(PAGE, {"experiment": "short_term"})
    at.slider(key="vd_k").set_value(6).run()
    assert_clean(at)
    assert at.query_params["k"] == "6"


def test_the_delay_experiment_runs_in_the_app_and_says_what_its_numbers_show():
    at = open_page(PAGE, {"experiment": "context", "ctx_delay": "5"})
    assert_clean(at)
    run = train_to_the_end(at, "vd_ctx_run", "context_run")
    assert run.status == "done" and run.config == E.DelayConfig()
    assert W.delay_verdict(E.delay_summary(run.items, run.config), 5) in [m.value for m in at.markdown]


def test_the_items_experiment_opens_from_its_link_with_its_hidden_size():
    at = open_page(PAGE, {"experiment": "context", "ctx": "items", "ctx_H": "4"})
    assert_clean(at)
    assert at.slider(key="vd_ctx_H").value == 4 and W.ITEMS_WHAT in [m.value for m in at.markdown]


@pytest.mark.parametrize("query", [{"k": "11"}, {"ctx": "noise"}, {"ctx_H": "1"}, {"st_steps": "x"}])
def test_a_bad_link_says_why_and_opens_the_defaults(query):
    at = open_page(PAGE, {"experiment": "short_term", **query})
    assert_clean(at)
    assert any("could not be opened" in w for w in warnings(at))
    assert at.session_state["tradeoffs_state"] == TradeoffsState()  # the whole link refused: the defaults
