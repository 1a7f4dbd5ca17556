"""Streamlit glue for the Writing-text page: its Store, the corpus picker and the learner's own text,
the recipe's widgets and the generation's.

A setting the engine rejects (a window too long for the corpus, a seed text with characters the model
never saw, ...) is not applied: the widget snaps back to the last good value and the page says why.
Each widget's help is the one sentence of why that setting matters (ui/text/lessons.WHY).
"""
import dataclasses

import streamlit as st

from lstm_core import text as T

from ui.common import link
from ui.common.lessons import OWN, matching
from ui.common.link import limits, options
from ui.common.store import Store, checked_update, show_link_error
from ui.common.words import sentence
from ui.text import state as TS
from ui.text.corpora import CORPORA
from ui.text.lessons import ENCODING_NAMES, INIT_NAMES, PRESETS, TARGET_NAMES, WHY
from ui.text.words import OWN_LIMITS


def _from_link(query):
    """A TextState from a link, checked against the corpus the page will show (a link cannot carry
    the learner's own text, so `corpus=own` is checked against the default corpus, which the page shows)."""
    state = TS.from_query(query)
    shown = TS.TextState().corpus if state.corpus == TS.OWN else state.corpus
    try:
        T.check_corpus(CORPORA[shown][1](), TS.config(state))
    except ValueError as err:
        raise ValueError(f"its settings do not fit the corpus {CORPORA[shown][0]}: {err}") from None
    return state


TEXT = Store("text_state", TS.TextState, _from_link, link.to_query)
ERROR_KEY = "text_setting_error"
OWN_KEY = "text_own"  # (name, text) of the learner's last good text, this session only
OWN_ERROR_KEY = "text_own_error"
SEED_ERROR_KEY = "text_seed_error"  # shown under the seed text box itself
MAX_BYTES = 200_000  # an upload's size limit (200 kB)
NO_OWN = ("no text of your own has been read in this session yet: paste or upload one under *Use your own "
          "text* and press *Use this text*")


def corpus_of(state):
    """(name, text) of the corpus the state names, or None for "own" when this session has none."""
    if state.corpus == TS.OWN:
        return st.session_state.get(OWN_KEY)
    name, read = CORPORA[state.corpus]
    return name, read()


def _check(state):
    """ValueError unless the engine accepts `state` on the corpus it names."""
    corpus = corpus_of(state)
    if corpus is None:
        raise ValueError(NO_OWN)
    T.check_corpus(corpus[1], TS.config(state))


def _checked(field, cast):
    """An update for bind that sets one field (a preset no longer applies), unless the engine
    rejects the result on this corpus."""
    return checked_update(field, cast, _check, ERROR_KEY, preset="")


def sidebar():
    TEXT.large_toggle()
    show_link_error()


RECIPE = ("corpus", "encoding", "target", "window", "units", "layers", "lr", "batch", "steps", "clip", "init",
          "seed")  # what an experiment sets; the generation and the unit coloured stay as they are


def _recipe(state):
    return {name: getattr(state, name) for name in RECIPE}


def preset_picker(state):
    """One-click experiments, each with the sentence that says what to look at; "(your own settings)"
    keeps the settings and drops the experiment and its sentence, even where they are an experiment's."""
    TEXT.preset_picker(PRESETS, matching(PRESETS, state, RECIPE), lambda s, lesson: dataclasses.replace(
        s, preset=lesson.name, **_recipe(lesson.state())), key="tx_preset", label="Experiment",
        own=lambda s: dataclasses.replace(s, preset=OWN))


def corpus_picker(state):
    """The corpus: a built-in one or the learner's own text."""
    names = {key: name for key, (name, _) in CORPORA.items()}
    names[TS.OWN] = "Your own text"
    TEXT.bind(st.selectbox, "tx_corpus", state.corpus, _checked("corpus", str), label="Corpus",
              options=options(TS.TextState, "corpus"), format_func=names.get, help=WHY["corpus"])


def read_upload(raw):
    """The text of an uploaded file's bytes, or ValueError saying why it is not usable text."""
    if len(raw) > MAX_BYTES:
        raise ValueError(f"the file has {len(raw):,} bytes; at most {MAX_BYTES:,} (200 kB) fit")
    if b"\x00" in raw:
        raise ValueError("the file holds NUL bytes: it looks like a binary file, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(f"the file is not UTF-8 text (byte 0x{raw[err.start]:02x} at position "
                         f"{err.start:,})") from None
    return text


def own_text(state):
    """Paste or upload a text; a bad one gets a message and the last good corpus stays."""
    with st.expander("Use your own text", expanded=state.corpus == TS.OWN):
        st.caption(OWN_LIMITS)
        raw = st.file_uploader("A .txt file", type=["txt"], key="tx_upload")
        pasted = st.text_area("…or paste a text", key="tx_paste", height=120)
        if st.button("Use this text", key="tx_use", icon=":material/upload:"):
            _use_own(raw, pasted)


def _use_own(raw, pasted):
    """Read the upload (or else the pasted text); on success the page switches to it, else it says why."""
    try:
        if raw is not None:
            name, text = raw.name, read_upload(raw.getvalue())
        elif pasted:
            name, text = "pasted text", pasted
        else:
            raise ValueError("there is no text to use: upload a .txt file or paste a text first")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        new = dataclasses.replace(TEXT.current(), corpus=TS.OWN, preset="")
        T.check_corpus(text, TS.config(new))
    except ValueError as err:
        st.session_state[OWN_ERROR_KEY] = f"{sentence(err)} The last good corpus is kept."
        return
    st.session_state[OWN_KEY] = (name, text)
    TEXT.commit(new)
    st.rerun()


def show_own_error():
    if OWN_ERROR_KEY in st.session_state:
        st.error(st.session_state.pop(OWN_ERROR_KEY))


def recipe(state):
    """The recipe: how characters go in and what is predicted, then the model and its training."""
    st.markdown("**The data**")
    a, b, c = st.columns([2, 2, 1.4])
    with a:
        TEXT.bind(st.radio, "tx_encoding", state.encoding, _checked("encoding", str), label="Input encoding",
                  options=options(TS.TextState, "encoding"), format_func=ENCODING_NAMES.get, help=WHY["encoding"])
    with b:
        TEXT.bind(st.radio, "tx_target", state.target, _checked("target", str), label="What is predicted",
                  options=options(TS.TextState, "target"), format_func=TARGET_NAMES.get, help=WHY["target"])
    with c:
        TEXT.bind(st.slider, "tx_window", state.window, _checked("window", int), label="Window (characters)",
                  **limits(TS.TextState, "window"), help=WHY["window"])
    st.markdown("**The model and its training**")
    a, b, c, d = st.columns(4)
    with a:
        TEXT.bind(st.slider, "tx_units", state.units, _checked("units", int), label="Units per layer",
                  **limits(TS.TextState, "units"), help=WHY["units"])
        TEXT.bind(st.slider, "tx_layers", state.layers, _checked("layers", int), label="LSTM layers",
                  **limits(TS.TextState, "layers"), help=WHY["layers"])
    with b:
        TEXT.bind(st.select_slider, "tx_lr", state.lr, _checked("lr", str), label="Learning rate (Adam)",
                  options=options(TS.TextState, "lr"), help=WHY["lr"])
        TEXT.bind(st.number_input, "tx_batch", state.batch, _checked("batch", int), label="Batch size",
                  **limits(TS.TextState, "batch"), help=WHY["batch"])
    with c:
        TEXT.bind(st.number_input, "tx_steps", state.steps, _checked("steps", int), label="Adam steps",
                  **limits(TS.TextState, "steps"), help=WHY["steps"])
        TEXT.bind(st.number_input, "tx_seed", state.seed, _checked("seed", int), label="Random seed",
                  **limits(TS.TextState, "seed"), help=WHY["seed"])
    with d:
        TEXT.bind(st.toggle, "tx_clip", bool(state.clip), _checked("clip", int),
                  label="Clip gradients", help=WHY["clip"])
        TEXT.bind(st.radio, "tx_init", state.init, _checked("init", str), label="Initial weights",
                  options=options(TS.TextState, "init"), format_func=INIT_NAMES.get, help=WHY["init"])


def show_setting_error():
    """The reason the last change of a setting was refused, once."""
    if ERROR_KEY in st.session_state:
        st.error(st.session_state.pop(ERROR_KEY))


def _seed_checked(vocab):
    """An update for the seed text: kept only if every character is in the model's vocabulary."""
    def update(s, value):
        try:
            if not value:
                raise ValueError("the seed text is empty: type at least one character")
            if len(value) > TS.MAX_SEED_CHARS:
                raise ValueError(f"the seed text has {len(value)} characters; at most {TS.MAX_SEED_CHARS} fit")
            vocab.encode(value)
        except ValueError as err:
            st.session_state[SEED_ERROR_KEY] = f"{sentence(err)} The last good seed text is kept."
            return s
        return dataclasses.replace(s, seed_text=value)
    return update


def _set(field, cast):
    """An update that sets one generation field (in its declared range: nothing to refuse)."""
    return lambda s, value: dataclasses.replace(s, **{field: cast(value)})


def generation(state, vocab, seed_text):
    """The generation's settings: the seed text (shown as `seed_text`), length, greedy, temperature."""
    TEXT.bind(st.text_area, "tx_seed_text", seed_text, _seed_checked(vocab), label="Seed text",
              height=80, help=WHY["seed_text"])
    if SEED_ERROR_KEY in st.session_state:  # here, under the box that caused it
        st.error(st.session_state.pop(SEED_ERROR_KEY))
    a, b, c = st.columns([2, 1, 2])
    with a:
        TEXT.bind(st.slider, "tx_length", state.length, _set("length", int), label="Characters to generate",
                  **limits(TS.TextState, "length"), help=WHY["length"])
    with b:
        TEXT.bind(st.toggle, "tx_greedy", bool(state.greedy), _set("greedy", int), label="Greedy",
                  help=WHY["greedy"])
    with c:
        TEXT.bind(st.slider, "tx_temperature", state.temperature, _set("temperature", float),
                  label="Temperature T", **limits(TS.TextState, "temperature"), help=WHY["temperature"])


def cursor(state, length):
    """The generated character whose next-character distribution is drawn (0-based, shown 1-based)."""
    TEXT.bind(st.slider, "tx_cursor", min(state.cursor, length - 1) + 1, lambda s, v: dataclasses.replace(
        s, cursor=int(v) - 1), label="Character under the cursor", min_value=1, max_value=length,
              help=WHY["cursor"])
