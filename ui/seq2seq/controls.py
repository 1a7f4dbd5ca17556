"""Streamlit glue for the Sequence-to-sequence page: its Store, the presets, the settings' widgets and the
digit string typed under *Try it*.

A setting the engine rejects is not applied: the widget snaps back to the last good value and the page
says why. An input the model cannot read (a letter, a + for reverse or sort, too many digits, nothing)
gets a message under its box and the last good input stays. Each widget's help is the one sentence of
why that setting matters (ui/seq2seq/lessons.WHY).
"""
import dataclasses

import streamlit as st

from lstm_core.seq2seq import MAX_TEST_LEN
from ui.common import link
from ui.common.lessons import OWN, matching
from ui.common.link import limits, options
from ui.common.store import Store, checked_update, show_link_error
from ui.common.words import sentence
from ui.seq2seq import state as SS
from ui.seq2seq.lessons import PRESETS, TASK_WHY, WHY
from ui.seq2seq.words import TASK_NAMES

S2S = Store("seq2seq_state", SS.Seq2SeqState, SS.from_query, link.to_query)
ERROR_KEY = "seq2seq_setting_error"
TEXT_ERROR_KEY = "seq2seq_text_error"  # shown under the input box itself
RECIPE = ("task", "min_len", "max_len", "units", "reverse_input", "lr", "batch", "steps", "seed")


def sidebar():
    S2S.large_toggle()
    show_link_error()


def current_preset(state):
    """The experiment the page shows ("" if none, or once "(your own settings)" was picked)."""
    return matching(PRESETS, state, RECIPE)


def preset_picker(state):
    """One-click experiments, each with the sentence that says what to look at (the typed input dropped: it may not suit its task); "(your own
    settings)" keeps the settings and drops the experiment and its sentence."""
    S2S.preset_picker(PRESETS, current_preset(state), lambda s, lesson: dataclasses.replace(
        s, preset=lesson.name, text="", **{name: getattr(lesson.state(), name) for name in RECIPE}), key="s2s_preset",
        label="Experiment", own=lambda s: dataclasses.replace(s, preset=OWN))


def _checked(field, cast, **also):
    """An update for bind that sets one field (a preset no longer applies), unless the engine refuses it."""
    return checked_update(field, cast, SS.config, ERROR_KEY, preset="", **also)


def _lengths(state, value):
    """The range slider's (min, max) as the two fields, checked like any setting."""
    lo, hi = (int(v) for v in value)
    return _checked("min_len", int, max_len=hi)(state, lo)


def settings(state):
    """The task and the lengths it trains on, then the model and its training."""
    a, b = st.columns([1.2, 2])
    with a:
        S2S.bind(st.radio, "s2s_task", state.task, _checked("task", str, text=""), label="Task",
                 options=options(SS.Seq2SeqState, "task"), format_func=TASK_NAMES.get, help=WHY["task"])
        st.caption(TASK_WHY[state.task])
    with b:
        low, high = link.bounds(SS.Seq2SeqState, "min_len")
        S2S.bind(st.slider, "s2s_lengths", (state.min_len, state.max_len), _lengths,
                 label="Training lengths n (digits" + (" per number)" if state.task == "add" else ")"),
                 min_value=low, max_value=high, step=1, help=WHY["lengths"])
        S2S.bind(st.toggle, "s2s_reverse", bool(state.reverse_input), _checked("reverse_input", int),
                 label="The encoder reads the input reversed", help=WHY["reverse_input"])
    st.markdown("**The model and its training**")
    a, b, c, d = st.columns(4)
    with a:
        S2S.bind(st.slider, "s2s_units", state.units, _checked("units", int), label="Units H (encoder and decoder)",
                 **limits(SS.Seq2SeqState, "units"), help=WHY["units"])
    with b:
        S2S.bind(st.select_slider, "s2s_lr", state.lr, _checked("lr", str), label="Learning rate (Adam)",
                 options=options(SS.Seq2SeqState, "lr"), help=WHY["lr"])
    with c:
        S2S.bind(st.number_input, "s2s_batch", state.batch, _checked("batch", int), label="Batch size",
                 **limits(SS.Seq2SeqState, "batch"), help=WHY["batch"])
        S2S.bind(st.number_input, "s2s_steps", state.steps, _checked("steps", int), label="Adam steps",
                 **limits(SS.Seq2SeqState, "steps"), help=WHY["steps"])
    with d:
        S2S.bind(st.number_input, "s2s_seed", state.seed, _checked("seed", int), label="Random seed",
                 **limits(SS.Seq2SeqState, "seed"), help=WHY["seed"])


def show_setting_error():
    """The reason the last change of a setting was refused, once."""
    if ERROR_KEY in st.session_state:
        st.error(st.session_state.pop(ERROR_KEY))


def _text_checked(task):
    """An update for the typed input: kept only if the model's task can read it."""
    def update(s, value):
        try:
            text = SS.check_text(value, task)
        except ValueError as err:
            st.session_state[TEXT_ERROR_KEY] = f"{sentence(err)} The last good input is kept."
            return s
        return dataclasses.replace(s, text=text)
    return update


def text_input(shown, task):
    """The digit string the model reads (showing `shown`); a bad one is refused under the box."""
    S2S.bind(st.text_input, "s2s_text", shown, _text_checked(task), label="Your input",
             max_chars=40, help=WHY["text"].format(longest=MAX_TEST_LEN))
    if TEXT_ERROR_KEY in st.session_state:  # here, under the box that caused it
        st.error(st.session_state.pop(TEXT_ERROR_KEY))
