"""Streamlit glue for the gradients page: its Store, presets and controls."""
import dataclasses

import streamlit as st

from ui.gradients import state as G
from ui.common import link
from ui.common.link import limits
from ui.common.sequence_input import generator_controls, typed_sequence
from ui.common.sequences import MAX_STEPS
from ui.common.store import Store, show_link_error
from ui.gradients.lessons import GRAD_PRESETS

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
    GRAD.preset_picker(GRAD_PRESETS, state.preset, lambda s, lesson: lesson.state(s.large),
                       key="g_preset", label="Preset lesson")


def model_controls(state):
    """Weight scale, forget bias, size, seed, biases and clipping, in two rows."""
    a, b, c = st.columns(3)
    with a:
        GRAD.bind(st.slider, "g_scale", state.scale, _set(scale=float), label="Recurrent weight scale",
                  **limits(G.GradState, "scale"),
                  help="Multiplies every matrix that acts on h_{t-1}, in all four cells.")
    with b:
        GRAD.bind(st.slider, "g_fbias", state.forget_bias, _set(forget_bias=float),
                  label="LSTM forget-gate bias b_f", **limits(G.GradState, "forget_bias"),
                  help="f_t ≈ σ(b_f): b_f = 1 gives f ≈ 0.73, a half-life of about 2 steps; b_f = 4 gives "
                       "f ≈ 0.98, about 38 steps. The nearer f_t is to 1, the more the cell path keeps.")
    with c:
        GRAD.bind(st.slider, "g_H", state.H, _set(H=int), label="Hidden size H",
                  **limits(G.GradState, "H"))
    d, e, f = st.columns(3)
    with d:
        GRAD.bind(st.number_input, "g_seed", state.seed, _set(seed=int), label="Random seed",
                  **limits(G.GradState, "seed"))
    with e:
        GRAD.bind(st.toggle, "g_biases", bool(state.biases), _set(biases=int), label="Biases on",
                  help="Off: every bias but b_f is 0, so a zero input keeps the state at 0, where "
                       "tanh is linear and the gradient grows or shrinks exactly like W_h's powers.")
    with f:
        GRAD.bind(st.number_input, "g_clip", state.clip, _set(clip=float),
                  label="Clip the gradient norm at (0 = off)", **limits(G.GradState, "clip"),
                  help="Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_: the norm of "
                       "all the weights' gradients together is capped at this value, their direction kept.")


VIEW_LABELS = {"animation": "Backward pass, animated", "heatmaps": "Per-unit heatmaps",
               "factors": "Why: the factors", "clipping": "Clipping"}  # the view picker: name -> label


def view_picker(state):
    """The switch between the views under the main chart; the choice lives in the state (and link),
    so a lesson can open the view that makes its point. A lesson stays a lesson across views."""
    by_label = {label: name for name, label in VIEW_LABELS.items()}
    GRAD.bind(st.segmented_control, "g_view", VIEW_LABELS[state.view],
              lambda s, label: dataclasses.replace(s, view=by_label.get(label, s.view)),
              label="View", options=list(by_label), label_visibility="collapsed")


def input_controls(state):
    """The input: a generator and a length, or typed numbers (one line)."""
    generator_controls(GRAD, state, prefix="g", shape_label="Input shape", length_label="Sequence length T",
                       placeholder="typed input")
    with st.expander("Type the input instead"):
        typed_sequence(GRAD, state, prefix="g", input_size=1, with_sequence=G.with_sequence,
                       source=(state.gen, state.length, state.xs, state.seed),
                       label=f"Numbers separated by commas or spaces, at most {MAX_STEPS}",
                       button="Use this input", noun="input")
