"""Streamlit glue for the Trade-offs page: its Store, the experiment picker, the presets and each
experiment's settings.

A setting the engine refuses is not applied: the widget snaps back to the last good value and the
page says why. Each widget's help is the one sentence of why that setting matters (lessons.WHY).
"""
import dataclasses

import streamlit as st

from ui.common import link
from ui.common.lessons import OWN, matching
from ui.common.link import limits, options
from ui.common.store import Store, checked_update, show_link_error
from ui.tradeoffs import state as TS
from ui.tradeoffs.lessons import EXPERIMENT_NAMES, PRESETS, RECIPES, WHY



def from_link(query):
    """TS.from_query, with an unknown experiment named by the picker's buttons (not only the link's keys)."""
    if query.get("experiment", "cost") not in EXPERIMENT_NAMES:
        buttons = "; ".join(f"{name} (experiment={key})" for key, name in EXPERIMENT_NAMES.items())
        raise ValueError(f"the link's 'experiment' = '{str(query['experiment'])[:40]}' is not one of the page's "
                         f"{len(EXPERIMENT_NAMES)}: {buttons}")
    return TS.from_query(query)


TRADEOFFS = Store("tradeoffs_state", TS.TradeoffsState, from_link, link.to_query)
ERROR_KEY = "tradeoffs_setting_error"


def sidebar():
    TRADEOFFS.large_toggle()
    show_link_error()


def _checked(field, cast):
    """An update for bind that sets one field (a preset no longer applies), unless the engine refuses it."""
    return checked_update(field, cast, TS.check, ERROR_KEY, preset="")


def _picked(state, value):
    """The experiment picked (a click on the one picked already unpicks nothing)."""
    return state if value is None else dataclasses.replace(state, experiment=value, preset="")


def experiment_picker(state):
    """The five experiments, one per disadvantage in the notes."""
    TRADEOFFS.bind(st.segmented_control, "vt_experiment", state.experiment, _picked, label="Experiment",
                   options=options(TS.TradeoffsState, "experiment"), format_func=EXPERIMENT_NAMES.get,
                   help=WHY["experiment"])


def current_preset(state):
    """The preset of the experiment on screen that the state is ("" if none, or after "your own settings")."""
    if state.experiment not in PRESETS:
        return ""
    return matching(PRESETS[state.experiment], state, RECIPES[state.experiment])


def preset_picker(state):
    """The experiment's one-click presets, each with the sentence that says what it shows; they set only
    that experiment's settings."""
    if state.experiment not in PRESETS:
        return
    recipe = RECIPES[state.experiment]
    TRADEOFFS.preset_picker(PRESETS[state.experiment], current_preset(state), lambda s, lesson: dataclasses.replace(
        s, preset=lesson.name, **{name: getattr(lesson.state(), name) for name in recipe}),
        key=f"vt_preset_{state.experiment}", label="Preset", own=lambda s: dataclasses.replace(s, preset=OWN))


def _widget(widget, field, value, cast, label, **kwargs):
    """One setting's widget, bound to its field, with its range and its help."""
    if widget in (st.slider, st.number_input, st.select_slider) and "options" not in kwargs:
        kwargs.update(limits(TS.TradeoffsState, field))
    TRADEOFFS.bind(widget, f"vt_{field}", value, _checked(field, cast), label=label, help=WHY[field], **kwargs)


def cost_settings(state):
    """The cells' size and the batch."""
    a, b = st.columns(2)
    with a:
        _widget(st.slider, "cost_H", state.cost_H, int, "Units H")
    with b:
        _widget(st.slider, "cost_B", state.cost_B, int, "Batch size B (sequences per pass)")


def fit_settings(state):
    """The training set's size, the defences against overfitting, the budget and the seed."""
    a, b, c = st.columns(3)
    with a:
        _widget(st.number_input, "fit_n", state.fit_n, int, "Training sequences")
        _widget(st.number_input, "fit_steps", state.fit_steps, int, "Adam steps")
    with b:
        _widget(st.slider, "fit_dropout", state.fit_dropout, float, "Dropout")
        _widget(st.number_input, "fit_decay", state.fit_decay, float, "Weight decay", format="%.4f")
    with c:
        _widget(st.number_input, "fit_patience", state.fit_patience, int, "Early stopping: patience")
        _widget(st.number_input, "fit_seed", state.fit_seed, int, "Random seed")


def lr_settings(state):
    """The optimizer, clipping, the task's delay, the budget and the seed."""
    a, b, c = st.columns(3)
    with a:
        _widget(st.radio, "lr_optimizer", state.lr_optimizer, str, "Optimizer",
                options=options(TS.TradeoffsState, "lr_optimizer"), format_func={"adam": "Adam", "sgd": "SGD"}.get,
                horizontal=True)
        _widget(st.number_input, "lr_clip", state.lr_clip, float, "Clip the gradient norm at (0: off)",
                format="%.1f")
    with b:
        _widget(st.slider, "lr_T", state.lr_T, int, "Delay T")
        _widget(st.number_input, "lr_steps", state.lr_steps, int, "Steps at each rate")
    with c:
        _widget(st.number_input, "lr_seed", state.lr_seed, int, "Random seed")


def show_setting_error():
    """The reason the last change of a setting was refused, once."""
    if ERROR_KEY in st.session_state:
        st.error(st.session_state.pop(ERROR_KEY))


SETTINGS = {"cost": cost_settings, "overfit": fit_settings, "lr": lr_settings}  # each experiment's own settings
