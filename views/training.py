"""Training lab: train a plain RNN, an LSTM and a GRU live on the same memory task."""
import pandas as pd
import streamlit as st

from lstm_core import lab, tasks
from ui import controls as cell_controls
from ui import lab_runner as R
from ui import state as S
from ui import train_controls as C
from ui import train_state as TS
from ui.training_figures import (accuracy_curves, accuracy_vs_delay, columns, diverged_step, loss_curves,
                                 train_val_curves)


def by_kind(items):
    """The run's items grouped per model, in the order they were trained."""
    history = {}
    for item in items:
        history.setdefault(item["kind"], []).append(item)
    return history


def draw_race(run):
    """Progress and the live loss and accuracy curves of every model."""
    if run is None:
        st.info("Press **Train** to train every chosen model on the same data, side by side.")
        return
    words = {"running": "training…", "stopped": "stopped", "done": "finished", "failed": "failed"}
    st.progress(min(1.0, run.count / max(run.total, 1)), text=f"{run.count} of {run.total} steps — {words[run.status]}")
    if run.error:
        st.error(f"Training stopped: {run.error}")
    history = by_kind(run.items)
    large = bool(state.large)
    left, right = (st.container(), st.container()) if large else st.columns(2)  # a projector needs the width
    steps = run.config.steps  # the whole budget: the x axis stays still while the curves grow
    left.plotly_chart(loss_curves(history, large=large, steps=steps), key="t_loss")
    right.plotly_chart(accuracy_curves(history, CHANCE, large=large, steps=steps), key="t_acc")


def draw_sweep(run):
    """Final validation accuracy against the delay, filling in as the sweep runs."""
    if run is None:
        st.info("Press **Run the sweep** to train each model at every chosen delay (about a minute).")
        return
    st.progress(min(1.0, run.count / max(run.total, 1)), text=f"{run.count} of {run.total} trainings")
    st.plotly_chart(accuracy_vs_delay(run.items, CHANCE, large=bool(state.large)), key="t_sweep")


def results_table(run):
    """Best validation accuracy per model, as a plain table (three rows read best without a grid)."""
    rows = []
    for kind, items in by_kind(run.items).items():
        evals = [i for i in items if i.get("val_acc") is not None]
        best = max(evals, key=lambda i: i["val_acc"]) if evals else None
        rows.append({"model": TS.KIND_NAMES[kind], "steps trained": max(i["step"] for i in items),
                     "best validation accuracy": None if best is None else f"{best['val_acc']:.1%}",
                     "at step": None if best is None else best["step"]})
    st.table(pd.DataFrame(rows).set_index("model"))


def divergence_warning(run):
    """Name the models whose loss became NaN or infinite, and say what to try instead."""
    diverged = []
    for kind, items in by_kind(run.items).items():
        r = columns(items)
        step = diverged_step(r["step"], r["loss"])
        if step is not None:
            diverged.append(f"the **{TS.KIND_NAMES[kind]}** from step {step}")
    if not diverged:
        return
    clip = "a smaller clip value" if run.config.clip is not None else "clipping the gradient norm (e.g. at 1)"
    st.warning(f"Training diverged: the loss became NaN or infinite for {' and '.join(diverged)}, and "
               f"the weights are lost from there. Try a smaller learning rate (this run used "
               f"{run.config.lr:g}) or {clip}, under **Training settings**.", icon=":material/warning:")


def open_in_cell_pages(run):
    """Carry the trained LSTM and one example sequence to the cell pages."""
    model = run.models.get("lstm")
    if model is None:
        return
    params = model.layers[0].fwd
    if params.hidden_size > S.MAX_HIDDEN or params.input_size > S.MAX_INPUT:
        st.caption(f"The cell pages show H ≤ {S.MAX_HIDDEN}: train with a smaller hidden size to "
                   "open this LSTM there.")
        return
    example = tasks.make_task(run.config.task, run.config.T, 1, seed=run.config.seed + 1).xs[:, 0, :]
    cell = S.resize(S.CellState(), params.hidden_size, params.input_size)
    cell = cell.with_params(params).with_sequence(example)
    st.markdown("**See which gates learned to hold the memory:**")
    a, b = st.columns(2)
    if a.button("Open the trained LSTM in Inside the cell", key="t_open_cell", icon=":material/biotech:"):
        cell_controls.commit(cell)
        st.switch_page("views/inside_cell.py")
    if b.button("Open the trained LSTM in Through time", key="t_open_time", icon=":material/movie:"):
        cell_controls.commit(cell)
        st.switch_page("views/through_time.py")


C.sidebar()
state = C.TRAIN.current()
st.title("Training lab")
st.caption("Train a plain RNN, an LSTM and a GRU on the same data with the same budget, and "
           "watch which one learns a long-range dependency. Everything runs in the app's NumPy engine.")
C.preset_picker(state)
C.task_controls(state)
st.caption(tasks.make_task(state.task, state.T, 1, seed=state.seed).description)
with st.expander("Training settings", expanded=False):
    C.settings(state)
C.show_setting_error()

cfg = TS.config(state)
CHANCE = tasks.make_task(state.task, state.T, 64, seed=state.seed).chance  # a guesser's accuracy
train_col, stop_col, _ = st.columns([1, 1, 4])
lab_run = R.current("lab")
if train_col.button("Train", key="t_train", type="primary", icon=":material/play_arrow:",
                    width="stretch"):
    R.start("lab", lab.run_lab(cfg), cfg.steps * len(cfg.kinds), cfg)
    lab_run = R.current("lab")
stop_col.button("Stop", key="t_stop", icon=":material/stop:", width="stretch",
                on_click=R.stop, args=("lab",),
                disabled=lab_run is None or lab_run.status != "running")

R.live("lab", draw_race)
if lab_run is not None and lab_run.status != "running" and lab_run.items:
    divergence_warning(lab_run)
    results_table(lab_run)
    open_in_cell_pages(lab_run)
    if len(by_kind(lab_run.items)) >= 1:
        kind = st.selectbox("Overfitting: training against validation loss of", list(by_kind(lab_run.items)),
                            format_func=TS.KIND_NAMES.get, key="t_overfit_kind")
        st.plotly_chart(train_val_curves(by_kind(lab_run.items), kind, large=bool(state.large),
                                         steps=lab_run.config.steps), key="t_trainval")

st.subheader("Accuracy against delay")
st.markdown("The curve that shows why LSTMs exist: as the delay grows, a plain RNN falls to chance "
            "long before an LSTM does.")
delays = st.multiselect("Delays to try", [5, 10, 20, 50, 100, 200], default=list(TS.SWEEP_DELAYS),
                        key="t_delays")
if st.button("Run the sweep", key="t_sweep_run", icon=":material/insights:", disabled=not delays):
    R.start("sweep", lab.sweep(cfg, sorted(delays)), len(delays) * len(cfg.kinds), cfg)
R.live("sweep", draw_sweep)
