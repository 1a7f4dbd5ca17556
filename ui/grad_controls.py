"""Streamlit glue for the gradients page: its Store, presets and controls."""
import dataclasses

import streamlit as st

from . import grad_state as G
from . import link
from .sequences import GENERATORS, MAX_STEPS, SequenceError, format_sequence, parse_sequence
from .store import Store, show_link_error

GRAD = Store("grad_state", G.GradState, G.from_query, link.to_query)


def _set(**changes):
    """An update function for bind: replace fields, and the state is no longer a preset."""
    return lambda s, v: dataclasses.replace(s, preset="", **{k: f(v) for k, f in changes.items()})


def sidebar():
    """The gradients page's sidebar: only the projector toggle (the model is on the page)."""
    GRAD.large_toggle()
    show_link_error()


def preset_picker(state):
    """Settings that make one point in one click, and the sentence of the chosen one."""
    GRAD.preset_picker(G.GRAD_PRESETS, state.preset, lambda s, lesson: lesson.state(s.large),
                       key="g_preset", label="Preset lesson")


def model_controls(state):
    """Weight scale, forget bias, size, seed, biases and clipping, in two rows."""
    a, b, c = st.columns(3)
    with a:
        GRAD.bind(st.slider, "g_scale", state.scale, _set(scale=float), label="Recurrent weight scale",
                  min_value=G.SCALE_RANGE[0], max_value=G.SCALE_RANGE[1], step=0.1,
                  help="Multiplies every matrix that acts on h_{t-1}, in all four cells.")
    with b:
        GRAD.bind(st.slider, "g_fbias", state.forget_bias, _set(forget_bias=float),
                  label="LSTM forget-gate bias b_f", min_value=G.FORGET_BIAS_RANGE[0],
                  max_value=G.FORGET_BIAS_RANGE[1], step=0.5,
                  help="High b_f keeps f_t near 1: the cell path keeps the gradient.")
    with c:
        GRAD.bind(st.slider, "g_H", state.H, _set(H=int), label="Hidden size H", min_value=1,
                  max_value=G.MAX_HIDDEN)
    d, e, f = st.columns(3)
    with d:
        GRAD.bind(st.number_input, "g_seed", state.seed, _set(seed=int), label="Random seed",
                  min_value=0, max_value=2**32 - 1, step=1)
    with e:
        GRAD.bind(st.toggle, "g_biases", bool(state.biases), _set(biases=int), label="Biases on",
                  help="Off: every bias but b_f is 0, so a zero input keeps the state at 0, where "
                       "tanh is linear and the gradient grows or shrinks exactly like W_h's powers.")
    with f:
        GRAD.bind(st.number_input, "g_clip", state.clip, _set(clip=float),
                  label="Clip the gradient norm at (0 = off)", min_value=0.0, max_value=1e6,
                  step=0.5, help="Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_.")


def input_controls(state):
    """The input: a generator and a length, or typed numbers (one line)."""
    gen_col, len_col = st.columns(2)
    with gen_col:
        GRAD.bind(st.selectbox, "g_gen", state.gen if state.gen in GENERATORS else None,
                  lambda s, v: s if v is None else dataclasses.replace(s, gen=v, xs=None, preset=""),
                  label="Input shape", options=GENERATORS, placeholder="typed input")
    with len_col:
        GRAD.bind(st.number_input, "g_len", len(state.sequence()),
                  lambda s, v: dataclasses.replace(s, length=int(v), xs=None, preset="",
                                                   gen=s.gen if s.gen in GENERATORS else "sine"),
                  label="Sequence length T", min_value=1, max_value=MAX_STEPS, step=1)
    with st.expander("Type the input instead"):
        _typed_input(state)


def _typed_input(state):
    """A text area of numbers applied on a button; bad text keeps the last good input."""
    source = (state.gen, state.length, state.xs, state.seed)
    if st.session_state.get("g_text_source") != source:  # the input changed elsewhere
        st.session_state["g_text"] = format_sequence(state.sequence())
        st.session_state["g_text_source"] = source
    text = st.text_area(f"Numbers separated by commas or spaces, at most {MAX_STEPS}", key="g_text")
    if st.button("Use this input", key="g_apply", type="primary"):
        try:
            xs = parse_sequence(text, 1)
        except SequenceError as err:
            st.error(f"{err} The last good input is still in use.")
            return
        GRAD.commit(G.with_sequence(state, xs))
        st.rerun()
