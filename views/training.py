"""Training lab: train a plain RNN, an LSTM and a GRU live on the same memory task."""
import streamlit as st

from lstm_core import lab
from ui.common import present
from ui.path import panel as path
from ui.training import controls as C
from ui.training import panels as P
from ui.training import runner as R
from ui.training.lessons import INPUT_FEATURES, TASK_DESCRIPTIONS
from ui.training.state import SWEEP_DELAYS, config

present.sidebar(C.sidebar)
state = C.TRAIN.current()
large = bool(state.large)
st.title("Training lab")
st.caption("Train a plain RNN, an LSTM and a GRU on the same data with the same budget, and "
           "watch which one learns a long-range dependency. Everything runs in the app's NumPy engine.")
path.checkpoint("train")
if present.shows("presets"):
    C.preset_picker(state)
C.task_controls(state)
cfg = config(state)
guess = P.guess(cfg)  # the validation sequences: what guessing scores on them is the chance line
chance = guess.chance
st.caption(f"{TASK_DESCRIPTIONS[state.task]} Inputs: {INPUT_FEATURES[state.task]}")
st.caption(P.metric_definition(cfg, guess))
if present.shows("settings"):
    with st.expander("Training settings", expanded=False):
        C.settings(state)
C.show_setting_error()

train_col, stop_col, _ = st.columns([1, 1, 4])
lab_run = R.current("lab")
if train_col.button("Train", key="t_train", type="primary", icon=":material/play_arrow:", width="stretch"):
    R.start("lab", lab.run_lab(cfg), cfg.steps * len(cfg.kinds), cfg)
    st.session_state.pop(P.OVERFIT_KEY, None)  # the new run opens on its own most overfit model
    lab_run = R.current("lab")
stop_col.button("Stop", key="t_stop", icon=":material/stop:", width="stretch", on_click=R.stop,
                args=("lab",), disabled=lab_run is None or lab_run.status != "running")

P.keep_charts_drawn()
R.live("lab", lambda run: P.race(run, chance, large))
if lab_run is not None and lab_run.status != "running" and lab_run.items:
    P.divergence_warning(lab_run)
    P.results_table(lab_run)
    P.predictions(lab_run, large)
    P.open_in_cell_pages(lab_run)
    P.overfitting(lab_run, large)

st.subheader("Accuracy against delay")
st.markdown("The curve that shows why LSTMs exist: as the delay grows, a plain RNN falls to chance "
            "long before an LSTM does.")
delays = st.multiselect("Delays to try", [5, 10, 20, 50, 100, 200], default=list(SWEEP_DELAYS), key="t_delays")
if st.button("Run the sweep", key="t_sweep_run", icon=":material/insights:", disabled=not delays):
    R.start("sweep", lab.sweep(cfg, sorted(delays)), len(delays) * len(cfg.kinds), cfg)
R.live("sweep", lambda run: P.sweep(run, chance, large))
