"""Streamlit glue for the Variants page: its Store, the presets, the variant picker, the sizes, the
input and the step and unit shown.

Every widget's range is its state field's (ui/variants/state.py); a typed input the cells cannot read
gets a message under its box and the last good input stays; a broken link gets a warning and the
defaults. Each widget's help is the one sentence of why that setting matters (lessons.WHY).
"""
import dataclasses

import streamlit as st

from lstm_core.variants import VARIANTS
from ui.common import link
from ui.common.lessons import OWN, matching
from ui.common.link import limits
from ui.common.sequence_input import generator_controls, typed_sequence
from ui.common.store import Store, show_link_error
from ui.variants import state as VS
from ui.variants.lessons import PRESETS, WHY
from ui.variants.words import SHORT

VAR = Store("variants_state", VS.VariantsState, VS.from_query, link.to_query)
REFUSED_KEY = "va_text_refused"  # why the typed text was not used, shown once under its box
SETTINGS = ("variant", "H", "I", "seed", "gen", "length", "xs")  # what a lesson is (the step and unit shown are not)


def sidebar():
    VAR.large_toggle()
    show_link_error()


def current_preset(state):
    """The lesson the page shows ("" if none, or once "(your own settings)" was picked)."""
    return matching(PRESETS, state, SETTINGS)


def preset_picker(state):
    """One-click lessons, each with the sentence of what to look at."""
    VAR.preset_picker(PRESETS, current_preset(state), lambda s, lesson: dataclasses.replace(
        lesson.state(s.large), race_seed=s.race_seed), key="va_preset", label="Lesson",
        own=lambda s: dataclasses.replace(s, preset=OWN))


def _set(field, cast=int):
    """An update that sets one field (no lesson applies any more)."""
    return lambda s, value: dataclasses.replace(s, **{field: cast(value)}, preset="")


def _picked(state, value):
    """The variant picked; a click on the chosen one (which unselects it) keeps it."""
    return state if value is None else dataclasses.replace(state, variant=value, preset="")


def variant_picker(state):
    """The variant drawn beside the plain LSTM, as a segmented control."""
    VAR.bind(st.segmented_control, "va_variant", state.variant, _picked, label="Variant", options=list(VARIANTS),
             format_func=SHORT.get, help=WHY["variant"], width="stretch")


def model_controls(state):
    """Sizes and seed of both models."""
    a, b, c = st.columns(3)
    with a:
        VAR.bind(st.slider, "va_H", state.H, lambda s, v: VS.resized(s, H=int(v)), label="Hidden units H",
                 **limits(VS.VariantsState, "H"), help=WHY["H"])
    with b:
        VAR.bind(st.number_input, "va_I", state.I, lambda s, v: VS.resized(s, I=int(v)), label="Inputs I",
                 **limits(VS.VariantsState, "I"), help=WHY["I"])
    with c:
        VAR.bind(st.number_input, "va_seed", state.seed, _set("seed"), label="Seed of the weights",
                 **limits(VS.VariantsState, "seed"), help=WHY["seed"])


def input_controls(state):
    """The input both models read: a generator and a length, or typed numbers."""
    generator_controls(VAR, state, prefix="va", shape_label="Input shape", length_label="Steps T",
                       placeholder="typed numbers")
    with st.expander("Type the input yourself"):
        typed_sequence(VAR, state, prefix="va", input_size=state.I, with_sequence=_typed,
                       label=f"{state.I} line(s) of numbers, one per input feature", button="Use these numbers",
                       noun="input", source=(state.gen, state.length, state.xs, state.I, state.seed), height=100)
        refused = st.session_state.pop(REFUSED_KEY, None)
        if refused:
            st.error(refused)


def _typed(state, xs):
    """The state holding the typed input, or, if the page cannot show it, the state as it was, with
    the reason kept for the next run (the widget reruns the page after applying the text)."""
    try:
        return state.with_sequence(xs)
    except ValueError as err:
        st.session_state[REFUSED_KEY] = f"{err} The last good input is still in use."
        return state


def step_controls(state):
    """The step and unit the diagrams show, each kept inside the input and the cell."""
    a, b = st.columns([3, 1])
    with a:
        if state.length > 1:
            VAR.bind(st.slider, "va_t", state.step_shown() + 1, _set("t"), label="Step shown t", min_value=1,
                     max_value=state.length, help=WHY["t"])
        else:
            st.caption("One step: the diagrams show step 1.")
    with b:
        VAR.bind(st.number_input, "va_unit", state.unit_shown() + 1, _set("unit"), label="Unit shown",
                 min_value=1, max_value=state.H, help=WHY["unit"])


def race_seed(state):
    """The race's seed, in the race section."""
    VAR.bind(st.number_input, "va_race_seed", state.race_seed, lambda s, v: dataclasses.replace(s, race_seed=int(v)),
             label="Seed of the race", **limits(VS.VariantsState, "race_seed"), help=WHY["race_seed"])
