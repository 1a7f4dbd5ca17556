"""The Trade-offs page's training-difficulty section: final loss against learning rate for the tanh RNN,
the GRU and the LSTM, trained live with progress.

Streamlit glue over the engine's sweep (lstm_core.tradeoffs.lr_sweep, the lab's training at each rate),
the runner and this package's figure and words. A class pressing Run at the same settings shares one
computation (ui/common/shared_runs).
"""
import streamlit as st

from lstm_core import tradeoffs as X
from ui.common import shared_runs
from ui.common.render import show
from ui.tradeoffs import buttons, drawn
from ui.tradeoffs import figures as G
from ui.tradeoffs import state as TS
from ui.tradeoffs import words as W
from ui.tradeoffs.lessons import PRESS_SWEEP
from ui.training import runner as R
from ui.training.panels import RUN_WORDS, keep_charts_drawn, progress_bar

RUN = "tradeoffs_lr"
CHART = "vt_lr_curve"


def start(cfg, lrs):
    """Sweep `cfg` over the rates `lrs`, replacing this session's earlier sweep."""
    sweep = shared_runs.follow(("tradeoffs_lr", cfg, lrs), lambda: X.lr_sweep(cfg, lrs))
    R.start(RUN, sweep, len(lrs) * len(cfg.kinds), (cfg, lrs))


def panel(state, large):
    """Run / Stop, the live chart of final loss against learning rate and where each model learned."""
    cfg, lrs = TS.sweep_config(state)
    buttons.run_and_stop(RUN, lambda: start(cfg, lrs), run_key="vt_lr_run", stop_key="vt_lr_stop",
                         label="Run the sweep", icon=":material/insights:")
    keep_charts_drawn((CHART,))
    R.live(RUN, lambda run: _draw(run, cfg, lrs, large))


def _draw(run, cfg, lrs, large):
    """The sweep's progress, the chart, and where each model learned; before any run, the empty chart."""
    if run is None:
        st.info(PRESS_SWEEP.format(n=len(lrs) * len(cfg.kinds), steps=cfg.steps))
        with st.container():  # alone in its block: see ui/training/panels.keep_charts_drawn
            show(drawn.spec(CHART, (None, cfg.kinds, lrs, large), lambda: G.lr_figure([], cfg.kinds, lrs, level=W.LEARNED, large=large)),
                 key=CHART)
        return
    run_cfg, run_lrs = run.config
    progress_bar(run.count, run.total, f"{run.count} of {run.total} trainings — {RUN_WORDS[run.status]}")
    if run.error:
        st.error(f"The sweep stopped: {run.error}")
    if (run_cfg, run_lrs) != (cfg, lrs):
        st.caption("This sweep was run with other settings than the ones set now; press **Run the sweep** to run them.")
    with st.container():  # alone in its block: see ui/training/panels.keep_charts_drawn
        show(drawn.spec(CHART, (run, len(run.items), large),
                        lambda: G.lr_figure(run.items, run_cfg.kinds, run_lrs, level=W.LEARNED,
                                                    large=large)), key=CHART)
    if run.items:
        st.markdown(W.learned_words(run.items, run_cfg.kinds, run_lrs, run_cfg.steps))
