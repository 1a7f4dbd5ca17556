"""Streamlit glue of the Writing-text page's "Reading the units" section: the corpus or the
generated text coloured by one unit, and "Find the unit".

One forward pass per (model, text, layer) is kept in this session's state, with the rankings and
the charts made from it, so a rerun that changes only the unit, the signal or the feature runs no
model. The widgets bind through the page's Store: the choices travel in the link.
"""
import dataclasses

import streamlit as st

from lstm_core import units as U
from ui.common.link import options
from ui.common.render import show
from ui.text import state as TS
from ui.text import units_figures as F
from ui.text import units_words as W
from ui.text.controls import TEXT

CACHE_KEY = "text_units_cache"  # {"model": the model read, "readings": {...}, "figures": {...}}
MAX_READINGS = 2  # (text, layer) passes kept a session (up to 15 MB each at H = 128): the corpus and a generated text
SOURCE_NAMES = {"corpus": "the corpus", "generated": "the generated text"}


def section(model, vocab, cfg, corpus_text, generated_text, state, large):
    """The whole "Reading the units" part of the page for a trained `model`: its text (the corpus
    or `generated_text`) coloured by the state's unit, and "Find the unit"."""
    st.subheader("Reading the units")
    st.caption(W.INTRO)
    layer = min(state.layer, len(model.layers) - 1)
    H = model.layers[layer].fwd.hidden_size
    unit = min(state.unit, H - 1)
    _controls(state, len(model.layers), layer, H, unit)
    text = generated_text if state.colour == "generated" and generated_text else corpus_text
    if state.colour == "generated" and not generated_text:
        st.caption(W.NO_GENERATED)
    try:
        reading = _reading(model, vocab, cfg, text, layer)
    except ValueError as err:
        st.warning(f"The units cannot be read on this text: {err}.")
        return
    notice = W.cut_notice(reading.total)
    if notice:
        st.caption(notice)
    values = reading.activity[state.signal][:, unit]  # (n,) the unit's signal after each character
    st.html(F.colour_bar(state.signal, values, large=large))
    st.html(F.coloured_text(reading.text, values, state.signal, large=large))
    _find_the_unit(state, model, reading, layer, unit, large)


def _set(field):
    """An update for Store.bind that sets one field of the state."""
    return lambda s, value: dataclasses.replace(s, **{field: value})


def _controls(state, layers, layer, H, unit):
    """What is coloured: the text, the signal, the layer (of a stacked model) and the unit."""
    cols = st.columns([1.3, 1.3, 1, 1] if layers > 1 else [1.3, 1.3, 1])
    with cols[0]:
        TEXT.bind(st.radio, "tu_colour", state.colour, _set("colour"), label="Colour",
                   options=options(TS.TextState, "colour"), format_func=SOURCE_NAMES.get, horizontal=True)
    with cols[1]:
        TEXT.bind(st.selectbox, "tu_signal", state.signal, _set("signal"), label="By the signal",
                   options=options(TS.TextState, "signal"), format_func=F.symbol,
                   help="Cₜ and hₜ are the cell's memory and output; fₜ, iₜ, oₜ its gates (0 closed, 1 open); "
                        "C̃ₜ the candidate it may write.")
    if layers > 1:
        with cols[2]:
            TEXT.bind(st.number_input, "tu_layer", layer, _set("layer"), label="Of the layer",
                       min_value=0, max_value=layers - 1, step=1, help="0 reads the characters; higher layers read the layer below.")
    with cols[-1]:
        TEXT.bind(st.number_input, "tu_unit", unit + 1, lambda s, v: dataclasses.replace(s, unit=int(v) - 1),
                  label="Of the unit", min_value=1, max_value=H, step=1,
                  help=f"One of the layer's {H} units, counted from 1 as on every page.")


def _cache(model):
    """This session's cache of passes for `model` (emptied when the model changes)."""
    cache = st.session_state.get(CACHE_KEY)
    if cache is None or cache["model"] is not model:
        cache = st.session_state[CACHE_KEY] = {"model": model, "readings": {}, "figures": {}}
    return cache


def _reading(model, vocab, cfg, text, layer):
    """The Reading of `text` by `layer`, from the cache or one forward pass (ValueError passes on)."""
    readings = _cache(model)["readings"]
    key = (text, layer)
    if key not in readings:
        if len(readings) >= MAX_READINGS:
            readings.pop(next(iter(readings)))
        with st.spinner("Reading the text through the model…"):  # a window per character: about a second for 5,000
            readings[key] = F.read_units(model, vocab, cfg, text, layer)
    return readings[key]


def _ranking_figure(model, reading, layer, signal, feature, large):
    """The ranking chart's dict, made once per reading, signal, feature and font size."""
    figures = _cache(model)["figures"]
    key = (reading.text, layer, signal, feature, large)
    if key not in figures:
        if len(figures) >= 4 * MAX_READINGS:
            figures.pop(next(iter(figures)))
        figures[key] = F.ranking_figure(reading.ranking(signal)[feature], signal, large=large).to_dict()
    return figures[key]


def _find_the_unit(state, model, reading, layer, unit, large):
    """Every feature's best unit, the chosen feature's |r| over all units, and a button to show the best."""
    st.markdown("#### Find the unit")
    ranking = reading.ranking(state.signal)
    left, right = (st.container(), st.container()) if large else st.columns([2, 3])  # one above the other at projector size
    with left:
        TEXT.bind(st.selectbox, "tu_feature", state.feature, _set("feature"), label="Feature of the text",
                   options=options(TS.TextState, "feature"), format_func=U.FEATURE_NAMES.get)
        st.markdown(F.feature_table(ranking))
    chosen = ranking[state.feature]
    with right:
        if chosen.constant:
            st.info(W.constant_message(state.feature, reading.features[state.feature]))
        else:
            show(_ranking_figure(model, reading, layer, state.signal, state.feature, large), key="tu_ranking")
            best = chosen.best
            st.button(f"Colour the text by unit {best + 1}", key="tu_best", disabled=best == unit,
                      on_click=lambda: TEXT.commit(dataclasses.replace(TEXT.current(), unit=best)),
                      help="The unit whose value follows this feature most closely (largest |r|).")
    st.caption(f"{W.READ_R} {W.NOT_PROOF}")
