"""The short-term and limited-context sections: every verdict sentence at the page's defaults, checked
against the seeded runs; the figures; the panels drawn alone (their state: the fields of
ui/tradeoffs/fields_d.md in a stand-in dataclass), Run to the end, and Stop."""
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from lstm_core import context as E
from ui.common import shared_runs
from ui.tradeoffs import context_figures as G
from ui.tradeoffs import context_words as W


@pytest.fixture(scope="module")
def short_run():
    cfg = E.ShortTermConfig()
    return cfg, list(E.run_short_term(cfg))


@pytest.fixture(scope="module")
def delay_run():
    cfg = E.DelayConfig()
    return cfg, list(E.run_delays(cfg))


@pytest.fixture(scope="module")
def items_run():
    cfg = E.ItemsConfig()
    return cfg, list(E.run_items(cfg))


def test_the_short_term_verdict_at_the_defaults_says_the_lstm_learns_it_but_needs_190_steps(short_run):
    cfg, items = short_run
    assert W.short_term_verdict(E.short_term_summary(items), cfg.k, cfg.steps) == (
        "The window model answers 100 % of the steps right after its one least-squares solve; the LSTM matches it "
        "first at step 190 of 300. The LSTM does learn this short-term dependency (k = 3): the notes' "
        "\"difficulty\" shows here only as the training it needs, against one solve.")


def test_at_k_10_the_verdict_says_slower_and_less_exact_with_the_runs_numbers():
    cfg = E.ShortTermConfig(k=10)
    assert W.short_term_verdict(E.short_term_summary(list(E.run_short_term(cfg))), 10, cfg.steps) == (
        "The window model answers 100 % of the steps right after its one least-squares solve; after 300 steps the "
        "LSTM gets 87 % (always answering the average count gets 17 %). The LSTM learns this short-term dependency "
        "(k = 10), but more slowly and less exactly than the window model: that is the notes' \"difficulty\" here.")


def test_an_lstm_no_better_than_the_guess_is_said_not_to_have_learned():
    s = {"window_acc": 1.0, "lstm_acc": 0.3, "guess_acc": 0.28, "matched_step": None, "lstm_steps": 50}
    assert W.short_term_verdict(s, 3, 50).endswith(
        "after 50 steps the LSTM gets 30 %, no better than always answering the average count (28 %): here it has "
        "not learned it.")


def test_the_delay_verdict_at_the_defaults_the_lstm_holds_the_bit_the_rnn_does_not(delay_run):
    cfg, items = delay_run
    assert W.delay_verdict(E.delay_summary(items, cfg), cfg.train_delay) == (
        "Trained at delay 5 only, the LSTM still recalls the bit 100 % of the time at delay 500 (100 times longer), "
        "and every answer right at every delay tested: here its memory is not limited in time. Once it learned to "
        "hold the bit, it holds it. The tanh RNN trained beside it is right 100 % of the time at delay 5 but 0 % at "
        "6, one step later: it did not learn to hold the bit, but an answer that flips sign every step, which lands "
        "right at the delay it was trained at. Further on it is right or wrong by where the flips land: 0.2 % at 10 "
        "(under 50 % means it gives the opposite bit), 94 % at 20, and at 500 it is about a coin toss (60 %).")


def test_an_lstm_that_forgets_and_an_rnn_that_holds_are_said_so():
    summary = {"lstm": {"by_delay": {5: 1.0, 50: 0.6}, "train_acc": 1.0, "far": 50, "far_acc": 0.6, "worst_acc": 0.6},
               "rnn_tanh": {"by_delay": {5: 1.0, 50: 0.9}, "train_acc": 1.0, "far": 50, "far_acc": 0.9,
                            "worst_acc": 0.9}}
    assert W.delay_verdict(summary, 5) == (
        "Trained at delay 5, the LSTM recalls 100 % there but only 60 % at delay 50: what it learned does not "
        "carry that far. The tanh RNN trained beside it holds on too here (at least 90 % at every longer delay).")


def test_the_rnn_is_judged_only_beyond_its_training_delay():
    """Trained at 20, the RNN fails at 10 (a shorter delay): the sentence on a context limited in time
    reads the longer delays only."""
    lstm = {"by_delay": {10: 1.0, 20: 1.0, 50: 1.0}, "train_acc": 1.0, "far": 50, "far_acc": 1.0, "worst_acc": 1.0}
    rnn = {"by_delay": {10: 0.0, 20: 1.0, 50: 0.55}, "train_acc": 1.0, "far": 50, "far_acc": 0.55, "worst_acc": 0.0}
    assert W.delay_verdict({"lstm": lstm, "rnn_tanh": rnn}, 20).endswith(
        "gets 100 % at delay 20 but 55 % at delay 50: its context is limited in time.")


def test_an_rnn_right_at_its_delay_and_wrong_one_step_later_is_said_to_flip_and_its_far_delays_read():
    lstm = {"by_delay": {2: 1.0, 3: 1.0, 50: 1.0}, "train_acc": 1.0, "far": 50, "far_acc": 1.0, "worst_acc": 1.0}
    rnn = {"by_delay": {2: 1.0, 3: 0.01, 20: 0.6, 50: 0.9}, "train_acc": 1.0, "next_acc": 0.01, "far": 50,
           "far_acc": 0.9, "worst_acc": 0.01}
    assert W.delay_verdict({"lstm": lstm, "rnn_tanh": rnn}, 2).endswith(
        "but 1 % at 3, one step later: it did not learn to hold the bit, but an answer that flips sign every "
        "step, which lands right at the delay it was trained at. Further on it gets 60 % to 90 %, and at 50 it is "
        "right 90 %.")
    only = {"by_delay": {2: 1.0, 3: 0.0}, "train_acc": 1.0, "next_acc": 0.0, "far": 3, "far_acc": 0.0,
            "worst_acc": 0.0}
    assert W.delay_verdict({"lstm": lstm, "rnn_tanh": only}, 2).endswith("lands right at the delay it was trained at.")


def test_the_items_verdict_at_the_defaults_up_to_4_bits_then_68_percent_of_24(items_run):
    cfg, items = items_run
    assert W.items_verdict(E.items_summary(items), cfg.hidden_size, cfg.steps) == (
        "With H = 8 fixed (each model trained 600 steps), the LSTM recalls up to 4 bits perfectly (100 %), "
        "but only 68 % of 24 bits (a coin toss gets 50 %): a state of fixed size holds a limited number of items.")


def test_an_items_run_that_recalls_everything_says_the_state_is_not_yet_the_limit():
    assert W.items_verdict({1: 1.0, 4: 0.97}, 32, 600).endswith(
        "the LSTM recalls at least 97 % of the bits for every n up to 4: at these numbers of items the fixed-size "
        "state is not yet the limit.")


def test_a_model_that_misses_even_one_bit_is_said_so():
    assert "the LSTM recalls 90 % of 1 bit(s), but only 55 % of 8 bits" in W.items_verdict({1: 0.9, 8: 0.55}, 2, 50)


def test_up_to_counts_only_the_numbers_of_items_before_the_first_miss():
    assert "recalls up to 2 bits almost perfectly (96 %), but only 97 % of 8" in W.items_verdict(
        {1: 1.0, 2: 0.96, 4: 0.9, 8: 0.97}, 8, 600)


def test_the_progress_words_say_which_model_and_step_a_run_is_at(delay_run, items_run):
    assert W.short_term_progress([], 300) == "solving the window model"
    assert W.short_term_progress([{"step": 0}, {"step": 7}], 300) == "window model solved; LSTM step 7 of 300"
    cfg, items = delay_run
    assert W.delay_progress(items[:9], cfg) == "training: step 5 of 300 for each of the 2 models"
    assert W.delay_progress(items, cfg) == "testing at delay 500 (the longest: 500)"
    cfg, items = items_run
    assert W.items_progress([], cfg) == "model for n = 1 (1 of 6): step 0 of 600"
    assert W.items_progress(items[:605], cfg) == "model for n = 2 (2 of 6): step 4 of 600"
    assert W.items_progress(items, cfg) == "model for n = 24 (6 of 6): step 600 of 600"


@pytest.mark.parametrize("share, text", [(1.0, "100 %"), (0.998, "99.8 %"), (0.87, "87 %"), (0.002, "0.2 %"),
                                         (0.0, "0 %")])
def test_a_percentage_is_never_rounded_to_all_or_none(share, text):
    assert W.pct(share) == text


def _valid(spec):
    """The dict as a go.Figure, after checking validation gives it back unchanged (but the template)."""
    fig = go.Figure(spec)
    validated = fig.to_dict()
    assert {**validated, "layout": {**validated["layout"], "template": {}}} == spec
    return fig


@pytest.mark.parametrize("large", [False, True])
def test_the_short_term_charts_draw_the_lstm_the_window_model_and_the_guess(short_run, large):
    cfg, items = short_run
    s = E.short_term_summary(items)
    acc = _valid(G.short_term_accuracy(items, cfg.steps, cfg.k, s["guess_acc"], large=large))
    assert [t.meta for t in acc.data] == ["lstm", "window", "guess"]
    assert acc.data[0].y[-1] == 100 and list(acc.data[1].y) == [100, 100]
    assert list(acc.layout.xaxis.range) == [0, cfg.steps * 1.02]
    err = _valid(G.short_term_error(items, cfg.steps, s["window_mse"], large=large))
    assert err.layout.yaxis.type == "log"
    assert s["window_mse"] < 1e-12 and 6e-30 <= s["window_mse"] < 7e-30  # zero but for rounding: "6 × 10⁻³⁰"
    assert min(err.data[0].y) > 1e-3  # the LSTM's lowest: the axis its line needs ends 25 decades above
    assert err.layout.title.subtitle.text == ("window model: error 6 × 10<sup>−30</sup>, exact but for rounding: "
                                              "far below this axis")


def test_a_window_error_not_zero_is_given_as_its_number_and_none_before_a_run():
    assert G._window_error(0.0123) == "window model: error 0.012"
    assert G._window_error(None) == "window model: error after the run"


def test_the_empty_charts_say_what_to_do():
    for spec in (G.short_term_accuracy([], 300, 3, None, large=False), G.short_term_error([], 300, None, large=False),
                 G.delay_figure([], 5, (5, 500), ("lstm",), large=False), G.items_figure([], (1, 8), 8, large=False)):
        assert [a.text for a in _valid(spec).layout.annotations] == ["press Run to start"]


def test_the_delay_chart_draws_each_kind_at_every_delay_and_marks_the_training_delay(delay_run):
    cfg, items = delay_run
    fig = _valid(G.delay_figure(items, cfg.train_delay, cfg.delays, cfg.kinds, large=False))
    assert [t.meta for t in fig.data] == ["rnn_tanh", "lstm", "guess", "trained"]
    assert list(fig.data[1].x) == list(cfg.delays) and list(fig.data[3].x) == [5, 5]
    assert fig.layout.xaxis.type == "log"


def test_the_items_chart_draws_one_point_per_n(items_run):
    cfg, items = items_run
    fig = _valid(G.items_figure(items, cfg.counts, cfg.hidden_size, large=True))
    assert list(fig.data[0].x) == list(cfg.counts) and fig.layout.font.size == 20


def _panels_app():
    """Both sections on one page over a stand-in of the page's state (the fields of fields_d.md)."""
    import dataclasses

    from ui.common import link
    from ui.common.store import Store
    from ui.tradeoffs import context, short_term

    @dataclasses.dataclass(frozen=True)
    class State:
        k: int = link.ranged(3, 1, 10)
        st_steps: int = link.ranged(300, 50, 1000, 50)
        st_seed: int = link.ranged(0, 0, 9999)
        ctx: str = link.choice("delay", ("delay", "items"))
        ctx_delay: int = link.ranged(5, 2, 20)
        ctx_H: int = link.ranged(8, 2, 32)
        ctx_seed: int = link.ranged(0, 0, 9999)
        preset: str = ""
        large: int = link.ranged(0, 0, 1)

    store = Store("vd_test", State, lambda q: link.from_query(State, q), link.to_query)
    state = store.current()
    for section in (short_term, context):  # as views/tradeoffs.py draws each: its intro, then its panel
        section.intro(state, store)
        section.panel(state, store, bool(state.large))


def _run_to_the_end(at, button, key):
    at.button(key=button).click().run()
    for _ in range(300):
        if at.session_state[key].status != "running":
            break
        at.run()
    return at.session_state[key]


def test_both_panels_open_on_their_prompts_run_to_the_end_and_print_their_verdicts():
    shared_runs.forget_all()
    at = AppTest.from_function(_panels_app, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [i.value.split(";")[0] for i in at.info][:2] == [
        "Press **Run** to train (one least-squares solve, then 300 LSTM steps)",
        "Press **Run** to train (a tanh RNN and an LSTM, 300 steps each, then tests at 8 delays)"]
    at.slider(key="vd_st_steps").set_value(50).run()
    run = _run_to_the_end(at, "vd_st_run", "short_term_run")
    assert run.status == "done" and run.count == run.total == 51
    verdict = W.short_term_verdict(E.short_term_summary(run.items), 3, 50)
    assert verdict in [m.value for m in at.markdown]
    run = _run_to_the_end(at, "vd_ctx_run", "context_run")
    assert run.status == "done" and run.config == E.DelayConfig()
    assert W.delay_verdict(E.delay_summary(run.items, run.config), 5) in [m.value for m in at.markdown]
    assert not at.exception


def test_stop_ends_a_run_and_picking_items_shows_its_own_prompt_not_the_delay_run():
    shared_runs.forget_all()
    at = AppTest.from_function(_panels_app, default_timeout=60).run()
    at.button(key="vd_ctx_run").click().run()
    at.button(key="vd_ctx_stop").click().run()
    assert at.session_state["context_run"].status == "stopped"
    at.button_group(key="vd_ctx").set_value("items").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("6 LSTMs of 600 steps each" in i.value for i in at.info)
    assert at.slider(key="vd_ctx_H").value == 8


def _state(settings):
    """A stand-in of the page's state at the defaults of fields_d.md with `settings`."""
    import types
    defaults = dict(k=3, st_steps=300, st_seed=0, ctx="delay", ctx_delay=5, ctx_H=8, ctx_seed=0)
    return types.SimpleNamespace(**{**defaults, **settings})


def _short(settings):
    from ui.tradeoffs import short_term
    return E.short_term_summary(list(E.run_short_term(short_term.config(_state(settings)))))


def _context(settings):
    from ui.tradeoffs import context
    cfg = context.config(_state(settings))
    if isinstance(cfg, E.DelayConfig):
        return E.delay_summary(list(E.run_delays(cfg)), cfg)
    return E.items_summary(list(E.run_items(cfg)))


def _percent(x):
    return round(100 * x)


def test_the_short_term_presets_sentences_hold_at_their_settings():
    (_, _, k3), (_, _, k1), (_, _, k10), (_, _, k10_long) = W.SHORT_TERM_PRESETS
    s = _short(k3)
    assert s["window_acc"] == 1.0 and s["matched_step"] == 190
    assert _short(k1)["matched_step"] <= 60
    short, long = _short(k10), _short(k10_long)
    assert short["window_acc"] == 1.0 and _percent(short["lstm_acc"]) == 87
    assert _percent(long["lstm_acc"]) == 96 and short["lstm_acc"] < long["lstm_acc"] < long["window_acc"]


def test_the_delay_presets_sentences_hold_at_their_settings():
    (_, _, five), (_, _, two) = W.CONTEXT_PRESETS[:2]
    for settings in (five, two):
        s = _context(settings)
        assert s["lstm"]["far"] == 500 and s["lstm"]["worst_acc"] == 1.0
    rnn = _context(five)["rnn_tanh"]["by_delay"]
    assert rnn[5] == 1.0 and rnn[6] == 0.0 and _percent(rnn[20]) == 94
    assert f"{100 * rnn[10]:.1f}" == "0.2"
    rnn = _context(two)["rnn_tanh"]["by_delay"]
    assert rnn[2] >= 0.95 and rnn[3] < 0.01
    assert {_percent(acc) for T, acc in rnn.items() if T >= 20} <= set(range(49, 55))
    assert min(_percent(acc) for T, acc in rnn.items() if T >= 20) == 49
    assert max(_percent(acc) for T, acc in rnn.items() if T >= 20) == 54


def test_the_items_presets_sentences_hold_at_their_settings():
    (_, _, h8), (_, _, h16), (_, _, h2) = W.CONTEXT_PRESETS[2:]
    eight = _context(h8)
    assert eight[1] == eight[2] == eight[4] == 1.0 and _percent(eight[8]) == 80 and _percent(eight[24]) == 68
    shares = [eight[n] for n in sorted(eight)]
    assert all(more <= fewer for fewer, more in zip(shares, shares[1:]))  # more bits, a smaller share
    wide = _context(h16)
    assert _percent(wide[8]) == 92 and _percent(wide[24]) == 73
    tiny = _context(h2)
    assert tiny[1] == tiny[2] == 1.0 and _percent(tiny[4]) == 77
