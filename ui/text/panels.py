"""The Writing-text page's parts: the corpus, the live training with its samples, and the generation.

Streamlit glue over pure pieces: the engine (lstm_core.text), this package's figures and words. Each
function draws one part of the page. Generation is cached per (model, settings) in session state, so
a rerun that changes nothing about it costs no forward pass.
"""
import dataclasses
import hashlib

import numpy as np
import streamlit as st

from lstm_core import text as T
from ui.common import shared_runs
from ui.common.caching import by_settings
from ui.common.render import show
from ui.text import controls as C
from ui.text import figures as G
from ui.text import words as W
from ui.training import runner as R
from ui.training.panels import step_header

RUN = "text"
LIVE_CHARTS = ("tx_loss",)  # the chart a running fragment redraws
LOADED_KEY = "text_loaded"  # a Loaded(model, vocab, config, name) the files section put there
GEN_KEY = "text_generations"  # the last few generations: [(model, arguments, Generation)]
GEN_KEEP = 4  # generations kept per session: the text and the side-by-side, for two models
TOP_K = 10
SAMPLE_LENGTH, SAMPLE_TEMPERATURE = 120, 0.5  # the samples printed while training


@dataclasses.dataclass(frozen=True, eq=False)
class Job:
    """What a run was started with: the corpus text, its vocabulary, the engine's config, and the
    loaded model that was there when it started (a model loaded later is newer than the run)."""

    corpus_text: str
    vocab: T.Vocab
    config: T.TextConfig
    loaded: object = None
    replayed: bool = False  # the same fit had already finished on this server: it is shown at once


def corpus_panel(name, text, cfg):
    """The corpus's numbers, its vocabulary as chips, and its first lines (with the page's text styles)."""
    st.html(W.TEXT_CSS)
    st.markdown(f"**{name}** — {W.corpus_words(text, cfg)}")
    st.html(W.chips(T.vocabulary(text).chars))
    st.code(W.first_lines(text), language=None)


def digest(text):
    """What identifies a corpus for a shared fit: its text's SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def start(text, cfg):
    """Begin training `cfg` on `text`, replacing any earlier run; a class asking for the same fit at
    once shares one computation (ui/common/shared_runs.py)."""
    key = (digest(text), cfg)
    replayed = shared_runs.finished(key)
    fit = shared_runs.follow(key, lambda: T.run_text(
        text, cfg, sample_length=SAMPLE_LENGTH, sample_temperature=SAMPLE_TEMPERATURE))
    total = -(-cfg.steps // cfg.report_every)
    R.start(RUN, fit, total, Job(text, T.vocabulary(text), cfg, st.session_state.get(LOADED_KEY), replayed))


def live(large):
    """Progress, the live loss chart and the samples, in a fragment that trains while the run runs."""
    R.live(RUN, lambda run: _race(run, large))


def _race(run, large):
    if run is None:
        st.info(W.PRESS_TRAIN)
        return
    job = run.config
    step_header(run, job.config.steps, W.REPLAYED)
    with st.container():  # alone in its block: see ui/training/panels.keep_charts_drawn
        points = tuple((it["step"], it["loss"], it["val_loss"]) for it in run.items)
        show(loss_spec(points, job.config.steps, guesses(job), large, job.config.report_every), key="tx_loss")
    if run.items:
        st.markdown(W.samples_title(SAMPLE_LENGTH, SAMPLE_TEMPERATURE))
        st.html(W.samples_html(run.items))


@by_settings(max_entries=64, max_size="32MiB")
def loss_spec(points, steps, guesses, large, first):
    """The loss chart's dict for (step, loss, val_loss) points, the first due at step `first`: a class
    watching one fit builds it once."""
    items = [{"step": step, "loss": loss, "val_loss": val} for step, loss, val in points]
    return G.loss_figure(items, steps, guesses, large=large, prompt=W.first_loss(first)).to_dict()


@by_settings(max_entries=128, max_size="16MiB")
def top_k_spec(chosen, at_one, temperature, large, greedy):
    """The next-character bars' dict (chosen: ((char, p), ...), at_one: ((char, p), ...))."""
    return G.top_k_figure(list(chosen), dict(at_one), temperature, large=large, greedy=greedy).to_dict()


def guesses(job):
    """The loss chart's two reference guesses for a run's corpus, computed once per run."""
    kept = st.session_state.get("text_guesses")
    if kept is None or kept[0] is not job:
        n_train = T.split(len(job.corpus_text), job.config.holdout)[0]
        kept = (job, G.levels(job.corpus_text[:n_train], job.vocab.size))
        st.session_state["text_guesses"] = kept
    return kept[1]


def newer_loaded():
    """The loaded model (files section) if it was loaded after the last run started, else None."""
    run, loaded = R.current(RUN), st.session_state.get(LOADED_KEY)
    return loaded if loaded is not None and (run is None or run.config.loaded is not loaded) else None


def current_model():
    """(model, vocab, config, corpus_text) to generate with and to read: the loaded model if it came
    after the last run (with the page's corpus), else the last run's newest model once it is no
    longer running; or None."""
    run, loaded = R.current(RUN), newer_loaded()
    if loaded is not None:
        corpus = C.corpus_of(C.TEXT.current())
        return loaded.model, loaded.vocab, loaded.config, corpus[1] if corpus else ""
    if run is None or run.status == "running" or "lstm" not in run.models:
        return None
    job = run.config
    return run.models["lstm"], job.vocab, job.config, job.corpus_text


def default_seed(corpus_text, vocab, window):
    """The corpus's first `window` characters that the vocabulary knows (all of them for its own corpus)."""
    known = "".join(ch for ch in corpus_text if ch in vocab.chars)
    return known[:window] or vocab.chars[:window]


def generated(model, vocab, cfg, seed_text, length, temperatures, greedy, seed):
    """T.generate, kept per (model, arguments) in session state: a rerun that changes none costs nothing."""
    args = (seed_text, length, temperatures, greedy, seed, cfg)
    kept = st.session_state.setdefault(GEN_KEY, [])
    for m, a, gen in kept:
        if m is model and a == args:
            return gen
    gen = T.generate(model, vocab, cfg, seed_text, length, temperatures=temperatures, greedy=greedy, seed=seed)
    kept.append((model, args, gen))
    del kept[:-GEN_KEEP]
    return gen


def generation(model, vocab, cfg, corpus_text, state, large):
    """Generate from a seed: the text, the cursor's next-character distribution, several temperatures.
    Returns the generated text (for the units panel)."""
    st.subheader("Generate")
    default = default_seed(corpus_text, vocab, cfg.window)
    seed_text = state.seed_text or default
    try:
        vocab.encode(seed_text)
    except ValueError as err:  # a link's seed text, or one kept from a model with other characters
        st.warning(W.bad_seed(err, default))
        seed_text = default
    C.generation(state, vocab, seed_text)
    C.show_setting_error()
    state = C.TEXT.current()
    gen = generated(model, vocab, cfg, seed_text, state.length, (state.temperature,), bool(state.greedy), state.seed)
    text = gen.texts[0]
    C.cursor(state, len(text))
    at = min(state.cursor, len(text) - 1)
    st.html(W.generation_html(gen, at))
    st.caption(W.cursor_words(gen, at, vocab))
    _distribution(gen, at, vocab, state, large)
    st.markdown(W.TEMPERATURE)
    _side_by_side(model, vocab, cfg, seed_text, state, large)
    return text


def at_temperature_one(p, temperature):
    """The distribution at T = 1 behind p = softmax(z / T): softmax(T · ln p), since ln p = z / T + a
    constant. No forward pass; a probability that underflowed to 0 stays 0."""
    with np.errstate(divide="ignore"):
        return T.softmax(temperature * np.log(p), 1.0)


def _distribution(gen, at, vocab, state, large):
    """The top-k bars of the distribution the character at `at` was drawn from, at T beside T = 1."""
    p = gen.probs[0, at]
    chosen = tuple(T.top_k(p, vocab, TOP_K))
    p_1 = at_temperature_one(p, gen.temperatures[0])
    at_one = tuple((ch, float(p_1[vocab.chars.index(ch)])) for ch, _ in chosen)
    show(top_k_spec(chosen, at_one, gen.temperatures[0], large, bool(state.greedy)), key="tx_topk")


def _side_by_side(model, vocab, cfg, seed_text, state, large):
    """The same seed sampled at several temperatures, side by side (two by two on a projector)."""
    st.markdown("**The same seed at several temperatures** (sampled)")
    gen = generated(model, vocab, cfg, seed_text, state.length, W.SIDE_BY_SIDE, False, state.seed)
    per_row = 2 if large else len(W.SIDE_BY_SIDE)
    for start in range(0, len(W.SIDE_BY_SIDE), per_row):
        for col, temperature, text in zip(st.columns(per_row), gen.temperatures[start:start + per_row],
                                          gen.texts[start:start + per_row]):
            col.markdown(f"**T = {temperature:g}**")
            col.html(W.generated_html("", text))


def stale(model, cfg, corpus_text):
    """True when the run's model was trained on other settings or another corpus than those set now."""
    run = R.current(RUN)
    if run is None or run.models.get("lstm") is not model:
        return False
    return run.config.config != cfg or run.config.corpus_text != corpus_text
