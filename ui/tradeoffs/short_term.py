"""The Trade-offs page's short-term section: a window model against the LSTM on counting the last k bits.

Streamlit glue over pure pieces: the engine (lstm_core.context), the figures and words of
context_figures / context_words. `panel(state, store, large)` draws the controls (k, the LSTM's
steps, the seed: fields of the page's TradeoffsState), Run / Stop, the live charts and the verdict.
A class pressing Run at the same settings shares one computation (ui/common/shared_runs).
"""
import dataclasses

import streamlit as st

from lstm_core import context as E
from ui.common import link, shared_runs
from ui.common.render import show
from ui.tradeoffs import buttons
from ui.tradeoffs import context_figures as G
from ui.tradeoffs import context_words as W
from ui.training import runner as R
from ui.training.panels import RUN_WORDS, keep_charts_drawn, progress_bar

RUN = "short_term"  # ui/training/runner.RUN_KEYS
LIVE_CHARTS = ("vd_st_acc", "vd_st_err")  # redrawn while a run runs, each alone in its block


def config(state):
    """The engine's settings for the page's state."""
    return E.ShortTermConfig(k=state.k, steps=state.st_steps, seed=state.st_seed)


def intro(state, store):
    """What the section shows, under the experiment picker (above the presets, as every section's)."""
    st.markdown(W.SHORT_TERM_WHAT)
    st.caption(W.SHORT_TERM_CLAIM)


def panel(state, store, large):
    """The section below the presets: its controls, Run / Stop, the live charts and the verdict."""
    buttons.settings(lambda: _controls(state, store))
    cfg = config(state)
    buttons.run_and_stop(RUN, lambda: start(cfg), run_key="vd_st_run", stop_key="vd_st_stop")
    keep_charts_drawn(LIVE_CHARTS)
    R.live(RUN, lambda run: _draw(run, cfg, large))


def _controls(state, store):
    """k, the LSTM's training steps and the seed, each bound to the page's state."""
    cls = type(state)
    left, middle, right = st.columns(3)
    with left:
        store.bind(st.slider, "vd_k", state.k, lambda s, v: dataclasses.replace(s, k=int(v)),
                   label="Window k (the answer counts the last k inputs)", help=W.HELP["k"],
                   **link.limits(cls, "k"))
    with middle:
        store.bind(st.slider, "vd_st_steps", state.st_steps, lambda s, v: dataclasses.replace(s, st_steps=int(v)),
                   label="LSTM training steps", help=W.HELP["st_steps"],
                   **link.limits(cls, "st_steps"))
    with right:
        store.bind(st.number_input, "vd_st_seed", state.st_seed,
                   lambda s, v: dataclasses.replace(s, st_seed=int(v)), label="Seed", help=W.HELP["st_seed"],
                   **link.limits(cls, "st_seed"))


def start(cfg):
    """Begin the run of `cfg`, replacing any earlier one; shared with every session asking the same."""
    fit = shared_runs.follow(("short_term", cfg), lambda: E.run_short_term(cfg))
    R.start(RUN, fit, cfg.total, cfg)


def _draw(run, cfg, large):
    """Progress, the two charts and the verdict of the run; before any run, the empty charts."""
    items, shown = ([], cfg) if run is None else (run.items, run.config)
    if run is None:
        st.info(W.PRESS_RUN.format(what=f"one least-squares solve, then {cfg.steps} LSTM steps"))
    else:
        progress_bar(run.count, run.total, f"{W.short_term_progress(run.items, run.config.steps)} — "
                                           f"{RUN_WORDS[run.status]}")
        if run.error:
            st.error(f"The run stopped: {run.error}")
        if run.config != cfg:
            st.caption("These results are of other settings than those set now: press **Run** to train these.")
    summary = E.short_term_summary(items) if any(i["kind"] == "window" for i in items) else None
    guess = None if summary is None else summary["guess_acc"]
    window_mse = None if summary is None else summary["window_mse"]
    left, right = (st.container(), st.container()) if large else st.columns(2)
    with left, st.container():
        show(G.short_term_accuracy(items, shown.steps, shown.k, guess, large=large), key="vd_st_acc")
    with right, st.container():
        show(G.short_term_error(items, shown.steps, window_mse, large=large), key="vd_st_err")
    if summary is not None and run.status != "running":
        st.markdown(W.short_term_verdict(summary, shown.k, shown.steps))
