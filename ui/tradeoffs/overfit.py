"""The Trade-offs page's overfitting section: the training lab's LSTM on a few sequences, its training loss
against its validation loss (the lab's own figure), and a link to the same run in the lab.

Streamlit glue: the lab's engine (lstm_core.lab.run_lab), its runner and figure (ui/training), this
package's words. A class pressing Train at the same settings shares one computation (ui/common/shared_runs).
"""
import streamlit as st

from lstm_core import lab
from ui.common import shared_runs
from ui.common.render import show
from ui.tradeoffs import buttons, drawn
from ui.tradeoffs import state as TS
from ui.tradeoffs import words as W
from ui.tradeoffs.lessons import LAB_LINK, PRESS_TRAIN_FIT
from ui.training import runner as R
from ui.training.figures import train_val_curves
from ui.training.history import by_kind
from ui.training.panels import keep_charts_drawn, progress_bar, progress_words

RUN = "tradeoffs_fit"
KIND = TS.FIT_TASK["kinds"][0]
CHART = "vt_fit_curves"


def start(cfg):
    """Train `cfg` in the lab, replacing this session's earlier run."""
    fit = shared_runs.follow(("tradeoffs_fit", cfg), lambda: lab.run_lab(cfg))
    R.start(RUN, fit, cfg.steps, cfg)


def panel(state, large):
    """Train / Stop, the live training-against-validation chart with its numbers, and the lab's link."""
    cfg = TS.fit_config(state)
    buttons.run_and_stop(RUN, lambda: start(cfg), run_key="vt_fit_train", stop_key="vt_fit_stop", label="Train")
    keep_charts_drawn((CHART,))
    R.live(RUN, lambda run: _draw(run, cfg, large))
    st.markdown(LAB_LINK.format(link=TS.training_link(state)))


def _draw(run, cfg, large):
    """The run's progress, the chart and what its numbers say; before any run, the empty chart."""
    if run is None:
        st.info(PRESS_TRAIN_FIT)
        with st.container():  # alone in its block: see ui/training/panels.keep_charts_drawn
            show(drawn.spec(CHART, (None, cfg.steps, large),
                            lambda: train_val_curves({}, KIND, large=large, steps=cfg.steps)), key=CHART)
        return
    progress_bar(run.count, run.total, progress_words(run))
    if run.error:
        st.error(f"Training stopped: {run.error}")
    if run.config != cfg:
        st.caption("This run was trained with other settings than the ones set now; press **Train** to train them.")
    history = by_kind(run.items).get(KIND, [])
    with st.container():  # alone in its block: see ui/training/panels.keep_charts_drawn
        show(drawn.spec(CHART, (run, len(history), large),
                        lambda: train_val_curves({KIND: history}, KIND, large=large, steps=run.config.steps)),
             key=CHART)
    st.markdown(W.fit_words(history))
    if run.status == "done":
        done = next((i for i in history if i.get("done")), None)
        steps_run = max((i["step"] for i in history), default=0)
        if done is not None:
            st.markdown(W.stopped_words(steps_run, run.config.steps, done["best_step"], run.config.patience))
