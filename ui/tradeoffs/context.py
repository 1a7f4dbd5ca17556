"""The Trade-offs page's limited-context section: (a) accuracy against a delay far beyond the training
delay, (b) recall against the number of items for a fixed hidden size H.

Streamlit glue over pure pieces: the engine (lstm_core.context), the figures and words of
context_figures / context_words. `panel(state, store, large)` draws the experiment picker (`ctx`),
its controls (fields of the page's TradeoffsState), Run / Stop, the live chart and the verdict.
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

RUN = "context"  # ui/training/runner.RUN_KEYS: one run at a time, of either experiment
LIVE_CHARTS = ("vd_ctx_delay_fig", "vd_ctx_items_fig")  # redrawn while a run runs, each alone in its block


def config(state):
    """The engine's settings of the chosen experiment for the page's state."""
    if state.ctx == "delay":
        return E.DelayConfig(train_delay=state.ctx_delay, seed=state.ctx_seed)
    return E.ItemsConfig(hidden_size=state.ctx_H, seed=state.ctx_seed)


def intro(state, store):
    """Under the experiment picker (above the presets, as every section's): the choice of (a) or (b), and
    what it shows."""
    store.bind(st.segmented_control, "vd_ctx", state.ctx,
               lambda s, v: s if v is None else dataclasses.replace(s, ctx=v), label="Limited context",
               help=W.HELP["ctx"], options=link.options(type(state), "ctx"), format_func=W.CONTEXT_CHOICES.get)
    st.markdown(W.DELAY_WHAT if state.ctx == "delay" else W.ITEMS_WHAT)


def panel(state, store, large):
    """The section below the presets: its controls, Run / Stop, the chart and the verdict."""
    buttons.settings(lambda: _controls(state, store))
    cfg = config(state)
    buttons.run_and_stop(RUN, lambda: start(cfg), run_key="vd_ctx_run", stop_key="vd_ctx_stop")
    keep_charts_drawn(LIVE_CHARTS)
    R.live(RUN, lambda run: _draw(run, cfg, large))


def _controls(state, store):
    """The training delay (a) or the hidden size (b), and the seed, each bound to the page's state."""
    cls = type(state)
    left, right = st.columns(2)
    with left:
        if state.ctx == "delay":
            store.bind(st.slider, "vd_ctx_delay", state.ctx_delay,
                       lambda s, v: dataclasses.replace(s, ctx_delay=int(v)),
                       label="Training delay (steps between the bit and the question)", help=W.HELP["ctx_delay"],
                   **link.limits(cls, "ctx_delay"))
        else:
            store.bind(st.slider, "vd_ctx_H", state.ctx_H, lambda s, v: dataclasses.replace(s, ctx_H=int(v)),
                       label="Hidden size H (fixed for every n)", help=W.HELP["ctx_H"],
                   **link.limits(cls, "ctx_H"))
    with right:
        store.bind(st.number_input, "vd_ctx_seed", state.ctx_seed,
                   lambda s, v: dataclasses.replace(s, ctx_seed=int(v)), label="Seed", help=W.HELP["ctx_seed"],
                   **link.limits(cls, "ctx_seed"))


def start(cfg):
    """Begin the run of `cfg`, replacing any earlier one; shared with every session asking the same."""
    make = E.run_delays if isinstance(cfg, E.DelayConfig) else E.run_items
    fit = shared_runs.follow(("context", cfg), lambda: make(cfg))
    R.start(RUN, fit, cfg.total, cfg)


def _draw(run, cfg, large):
    """Progress, the chart and the verdict of the run of the chosen experiment; else its empty chart."""
    mine = run is not None and type(run.config) is type(cfg)  # a run of the other experiment is not drawn here
    items, shown = (run.items, run.config) if mine else ([], cfg)
    if not mine:
        st.info(W.PRESS_RUN.format(what=_what(cfg)))
    else:
        where = (W.delay_progress if isinstance(run.config, E.DelayConfig) else W.items_progress)(run.items, run.config)
        progress_bar(run.count, run.total, f"{where} — {RUN_WORDS[run.status]}")
        if run.error:
            st.error(f"The run stopped: {run.error}")
        if run.config != cfg:
            st.caption("These results are of other settings than those set now: press **Run** to train these.")
    if isinstance(shown, E.DelayConfig):
        with st.container():
            show(G.delay_figure(items, shown.train_delay, shown.delays, shown.kinds, large=large),
                 key="vd_ctx_delay_fig")
        verdict = W.delay_verdict(E.delay_summary(items, shown), shown.train_delay)
    else:
        with st.container():
            show(G.items_figure(items, shown.counts, shown.hidden_size, large=large), key="vd_ctx_items_fig")
        verdict = W.items_verdict(E.items_summary(items), shown.hidden_size, shown.steps)
    if mine and run.status != "running" and verdict:
        st.markdown(verdict)


def _what(cfg):
    """What a run of `cfg` trains, in words, for the prompt before it."""
    if isinstance(cfg, E.DelayConfig):
        return f"a tanh RNN and an LSTM, {cfg.steps} steps each, then tests at {len(cfg.delays)} delays"
    return f"{len(cfg.counts)} LSTMs of {cfg.steps} steps each"
