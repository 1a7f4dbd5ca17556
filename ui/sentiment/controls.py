"""Streamlit glue for the Sentiment page: its Store, the presets, the model's settings and the typed
sentence.

A setting the engine rejects is not applied: the widget snaps back to the last good value and the page
says why. A typed sentence that cannot be read (empty, too long, no word the tokenizer reads) gets its reason under
the box, and the last good sentence stays. Each widget's help is the one sentence of why that setting
matters (ui/sentiment/lessons.WHY).
"""
import dataclasses

import streamlit as st

from ui.common import link
from ui.common.lessons import OWN, matching
from ui.common.link import limits, options
from ui.common.store import Store, checked_update, show_link_error
from ui.sentiment import state as SS
from ui.sentiment.lessons import PRESETS, WHY

SENTIMENT = Store("sentiment_state", SS.SentimentState,
                  lambda query: SS.from_query(query, [p.name for p in PRESETS]), link.to_query)
ERROR_KEY = "sentiment_setting_error"
SENTENCE_ERROR_KEY = "sentiment_sentence_error"  # shown under the sentence box itself
RECIPE = ("embed", "units", "bidirectional", "lr", "batch", "steps", "seed")  # what an experiment sets


def sidebar():
    """The page's sidebar: the projector toggle and why a link could not be opened."""
    SENTIMENT.large_toggle()
    show_link_error()


def current_preset(state):
    """The experiment the page shows ("" if none, or once "(your own settings)" was picked)."""
    return matching(PRESETS, state, RECIPE)


def preset_picker(state):
    """One-click experiments, each with the sentence that says what to look at (the typed sentence kept); "(your own
    settings)" keeps the settings and drops the experiment and its sentence."""
    SENTIMENT.preset_picker(PRESETS, current_preset(state), lambda s, lesson: dataclasses.replace(
        s, preset=lesson.name, **{name: getattr(lesson.state(), name) for name in RECIPE}), key="se_preset",
        label="Experiment", own=lambda s: dataclasses.replace(s, preset=OWN))


def _checked(field, cast):
    """An update for bind that sets one field (a preset no longer applies), unless the engine refuses it."""
    return checked_update(field, cast, SS.config, ERROR_KEY, preset="")


def settings(state):
    """The model (embedding, units, one or two directions) and its training."""
    a, b, c, d = st.columns(4)
    with a:
        SENTIMENT.bind(st.slider, "se_embed", state.embed, _checked("embed", int), label="Embedding size",
                       **limits(SS.SentimentState, "embed"), help=WHY["embed"])
        SENTIMENT.bind(st.toggle, "se_bidirectional", bool(state.bidirectional), _checked("bidirectional", int),
                       label="Bidirectional", help=WHY["bidirectional"])
    with b:
        SENTIMENT.bind(st.slider, "se_units", state.units, _checked("units", int), label="Units H",
                       **limits(SS.SentimentState, "units"), help=WHY["units"])
    with c:
        SENTIMENT.bind(st.select_slider, "se_lr", state.lr, _checked("lr", str), label="Learning rate (Adam)",
                       options=options(SS.SentimentState, "lr"), help=WHY["lr"])
        SENTIMENT.bind(st.number_input, "se_batch", state.batch, _checked("batch", int), label="Batch size",
                       **limits(SS.SentimentState, "batch"), help=WHY["batch"])
    with d:
        SENTIMENT.bind(st.number_input, "se_steps", state.steps, _checked("steps", int), label="Adam steps",
                       **limits(SS.SentimentState, "steps"), help=WHY["steps"])
        SENTIMENT.bind(st.number_input, "se_seed", state.seed, _checked("seed", int), label="Random seed",
                       **limits(SS.SentimentState, "seed"), help=WHY["seed"])


def show_setting_error():
    """The reason the last change of a setting was refused, once."""
    if ERROR_KEY in st.session_state:
        st.error(st.session_state.pop(ERROR_KEY))


def _sentence_update(s, value):
    """Keep a sentence the model can read; otherwise the reason waits under the box and the last stays."""
    problem = SS.sentence_problem(value)
    if problem:
        st.session_state[SENTENCE_ERROR_KEY] = f"{problem} The last good sentence is kept."
        return s
    return dataclasses.replace(s, sentence="" if value == SS.DEFAULT_SENTENCE else value)


def sentence_box(state):
    """The typed sentence (the default one when the state has none), and the reason a sentence was refused."""
    SENTIMENT.bind(st.text_input, "se_sentence", SS.sentence_of(state), _sentence_update,
                   label="Your sentence", help=WHY["sentence"])
    if SENTENCE_ERROR_KEY in st.session_state:  # here, under the box that caused it
        st.error(st.session_state.pop(SENTENCE_ERROR_KEY))


def use_sentence(text):
    """Read `text` next (a quick button's on_click)."""
    SENTIMENT.commit(dataclasses.replace(SENTIMENT.current(), sentence=text))
