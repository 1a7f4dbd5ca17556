"""Streamlit glue for the training lab: its Store and its settings widgets.

A setting the engine rejects (a learning rate of 0, an empty model list, ...) is not applied:
the widget snaps back to the last good value and the page says why.
"""
import streamlit as st

from lstm_core.cells import name as cell_name

from ui.common import link
from ui.common.link import limits, options
from ui.training import state as TS
from ui.common.store import Store, checked_update, show_link_error
from ui.training.lessons import TASK_NAMES, TRAIN_PRESETS

TRAIN = Store("train_state", TS.TrainState, TS.from_query, link.to_query)
ERROR_KEY = "train_setting_error"


def _checked(field, cast):
    """An update for bind that sets one field, unless the engine rejects the result."""
    return checked_update(field, cast, TS.config, ERROR_KEY)


def sidebar():
    TRAIN.large_toggle()
    show_link_error()


def preset_picker(state):
    """One-click experiments, each with the sentence that says what to watch."""
    current = next((p.name for p in TRAIN_PRESETS if p.state(state.large) == state), "")
    TRAIN.preset_picker(TRAIN_PRESETS, current, lambda s, lesson: lesson.state(s.large),
                        key="t_preset", label="Experiment")


def task_controls(state):
    """The task, the delay and the models to race."""
    a, b, c = st.columns([2, 2, 3])
    with a:
        TRAIN.bind(st.selectbox, "t_task", state.task, _checked("task", str), label="Task",
                   options=options(TS.TrainState, "task"), format_func=TASK_NAMES.get)
    with b:
        TRAIN.bind(st.slider, "t_T", state.T, _checked("T", int), label="Delay T (sequence length)",
                   **limits(TS.TrainState, "T"),
                   help="How many steps the model must carry what matters.")
    with c:
        TRAIN.bind(st.multiselect, "t_kinds", list(state.kind_list()),
                   _checked("kinds", ",".join), label="Models", options=list(TS.MODEL_CHOICES),
                   format_func=cell_name)


def settings(state):
    """Size, optimiser and regularisation, all seeded; shown in an expander."""
    a, b, c, d = st.columns(4)
    with a:
        TRAIN.bind(st.slider, "t_H", state.H, _checked("H", int), label="Hidden size H",
                   **limits(TS.TrainState, "H"), help="H ≤ 4 can be opened in the cell pages.")
        TRAIN.bind(st.number_input, "t_seed", state.seed, _checked("seed", int), label="Random seed",
                   **limits(TS.TrainState, "seed"))
        TRAIN.bind(st.slider, "t_membias", state.memory_bias, _checked("memory_bias", float),
                   label="Initial forget bias b_f (LSTM), b_z (GRU)", **limits(TS.TrainState, "memory_bias"),
                   help="The LSTM's forget-gate bias b_f and the GRU's update-gate bias b_z at the "
                        "start. At 1 the LSTM keeps σ(1) = 0.73 per step (half-life 2.2 steps): over "
                        "49 steps its cell path keeps σ(1)⁴⁹ ≈ 2 × 10⁻⁷ of the gradient, vanished; "
                        "at 3 it keeps 0.95 (half-life 14 steps). The GRU writes 1 − z of each "
                        "new value: at 3 only 5 %.")
    with b:
        TRAIN.bind(st.number_input, "t_lr", state.lr, _checked("lr", float), label="Learning rate",
                   **limits(TS.TrainState, "lr"), format="%.4f")
        TRAIN.bind(st.radio, "t_opt", state.optimizer, _checked("optimizer", str),
                   label="Optimizer", options=options(TS.TrainState, "optimizer"), horizontal=True,
                   format_func={"adam": "Adam", "sgd": "SGD"}.get)
    with c:
        TRAIN.bind(st.number_input, "t_batch", state.batch, _checked("batch", int),
                   label="Batch size", **limits(TS.TrainState, "batch"))
        TRAIN.bind(st.number_input, "t_steps", state.steps, _checked("steps", int),
                   label="Training steps", **limits(TS.TrainState, "steps"))
        TRAIN.bind(st.number_input, "t_clip", state.clip, _checked("clip", float),
                   label="Clip gradient norm (0 = off)", **limits(TS.TrainState, "clip"))
    with d:
        TRAIN.bind(st.number_input, "t_ntrain", state.n_train, _checked("n_train", int),
                   label="Training sequences", **limits(TS.TrainState, "n_train"))
        TRAIN.bind(st.number_input, "t_wd", state.weight_decay, _checked("weight_decay", float),
                   label="Weight decay", **limits(TS.TrainState, "weight_decay"), format="%.4f")
        TRAIN.bind(st.slider, "t_dropout", state.dropout, _checked("dropout", float),
                   label="Dropout (inputs and outputs)", **limits(TS.TrainState, "dropout"))
        TRAIN.bind(st.number_input, "t_patience", state.patience, _checked("patience", int),
                   label="Early stopping patience (0 = off)", **limits(TS.TrainState, "patience"),
                   help="Stop a model when its validation loss has not improved for this many checks.")


def show_setting_error():
    """The reason the last change of a setting was refused, once."""
    if ERROR_KEY in st.session_state:
        st.error(st.session_state.pop(ERROR_KEY))
