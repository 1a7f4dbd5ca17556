"""The one sequence-input widget: a generator and a length, or typed numbers applied on a button.

Every page with an input sequence uses it, each under its own widget keys. A state here is any
frozen dataclass with `gen`, `length` (a link.ranged field), `xs`, `preset` and `sequence()`;
bad text is reported with st.error and the last good sequence is kept.
"""
import dataclasses

import streamlit as st

from ui.common.link import limits
from ui.common.sequences import GENERATORS, SequenceError, format_sequence, parse_sequence


def _generated(state, gen):
    """The state with a generator chosen (None: the select box was cleared, nothing changes)."""
    return state if gen is None else dataclasses.replace(state, gen=gen, xs=None, preset="")


def _resized(state, length):
    """The state with a generated sequence of `length` steps (a typed one falls back to a sine)."""
    return dataclasses.replace(state, length=int(length), xs=None, preset="",
                               gen=state.gen if state.gen in GENERATORS else "sine")


def generator_controls(store, state, *, prefix, shape_label, length_label, placeholder):
    """Two columns: the generator's shape and the length T, bound to `store` under prefix_gen/_len."""
    gen_col, len_col = st.columns(2)
    with gen_col:
        store.bind(st.selectbox, f"{prefix}_gen", state.gen if state.gen in GENERATORS else None,
                   _generated, label=shape_label, options=GENERATORS, placeholder=placeholder)
    with len_col:
        store.bind(st.number_input, f"{prefix}_len", len(state.sequence()), _resized,
                   label=length_label, **limits(state, "length"))


def typed_sequence(store, state, *, prefix, input_size, with_sequence, label, button, noun, source,
                   **text_options):
    """A text area of numbers (one line per feature) applied on a button.

    `source` identifies the state's input: when it changes elsewhere the text is rewritten from
    it. `with_sequence(state, xs)` is the state holding the parsed (T, I) input.
    """
    key = f"{prefix}_text"
    if st.session_state.get(f"{key}_source") != source:  # the input changed elsewhere
        st.session_state[key] = format_sequence(state.sequence())
        st.session_state[f"{key}_source"] = source
    text = st.text_area(label, key=key, **text_options)
    if st.button(button, key=f"{prefix}_apply", type="primary"):
        try:
            xs = parse_sequence(text, input_size)
        except SequenceError as err:
            st.error(f"{err} The last good {noun} is still in use.")
            return
        store.commit(with_sequence(state, xs))
        st.rerun()
