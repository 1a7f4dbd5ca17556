"""The Sequence-to-sequence page's parts: the live training with its accuracy against length, and *Try it*.

Streamlit glue over pure pieces: the engine (lstm_core.seq2seq), this package's figures and words. Each
function draws one part of the page. What *Try it* reads for an input is cached across sessions by the
trained model's digest (computed once per trained run and kept in the session with the model) and the
input (ui/common/caching.by_settings), its figures by the same and the font size: typing a string a
classmate typed runs no forward pass, the font toggle builds figures but runs no model. A rerun that
changes nothing runs no model, hashes no model and builds no figure: the session keeps the charts it drew
last (benchmarks/seq2seq.py measures each step).
"""
import dataclasses
import hashlib

import numpy as np
import streamlit as st

from lstm_core import seq2seq as S
from ui.common import shared_runs
from ui.common.caching import by_settings
from ui.common.render import show
from ui.seq2seq import controls as C
from ui.seq2seq import figures as G
from ui.seq2seq import state as SS
from ui.seq2seq import words as W
from ui.training import runner as R
from ui.training.panels import step_header

RUN = "seq2seq"
LIVE_CHARTS = ("s2s_loss", "s2s_acc", "s2s_len")  # the charts a running fragment redraws
TRAINED_KEY = "seq2seq_trained"  # (model, its digest) of the last model Try it read with
CHARTS_KEY = "seq2seq_charts"  # (run, items drawn, large, {chart key: dict}) of the live charts drawn last
TRY_KEY = "seq2seq_try"  # (what Try it was asked, its Reading and figure dicts) drawn last


@dataclasses.dataclass(frozen=True, eq=False)
class Job:
    """What a run was started with: the engine's config, and whether this server had already run it."""

    config: S.Seq2SeqConfig
    replayed: bool = False


def start(cfg):
    """Begin training `cfg`, replacing any earlier run; a class asking for the same fit at once shares
    one computation (ui/common/shared_runs.py)."""
    key = ("seq2seq", cfg)
    replayed = shared_runs.finished(key)
    fit = shared_runs.follow(key, lambda: S.run_seq2seq(cfg))
    R.start(RUN, fit, -(-cfg.steps // cfg.report_every), Job(cfg, replayed))


def live(cfg, large):
    """Progress, the live loss and accuracy, and accuracy against length, in a fragment that trains
    while the run runs; before any run, the empty length chart of the settings `cfg`."""
    R.live(RUN, lambda run: _race(run, cfg, large))


def _race(run, cfg, large):
    """The run's progress, its error if it failed, the live loss and accuracy and accuracy against length;
    before any run, the empty length chart of the settings `cfg`."""
    specs = _live_specs(run, cfg, large)
    if run is None:
        st.info(W.PRESS_TRAIN)
        _length_chart(specs["s2s_len"])
        return
    job = run.config
    step_header(run, job.config.steps, W.REPLAYED)
    for column, key in zip(st.columns(1 if large else 2) * 2, ("s2s_loss", "s2s_acc")):
        with column:
            with st.container():  # alone in its block: see ui/training/panels.keep_charts_drawn
                show(specs[key], key=key)
    if run.items:
        st.caption(W.scores_words(run.items[-1], (job.config.min_len, job.config.max_len)))
    _length_chart(specs["s2s_len"])


def _length_chart(spec):
    """Accuracy against input length, with the bottleneck's sentence under it."""
    with st.container():  # alone in its block: see ui/training/panels.keep_charts_drawn
        show(spec, key="s2s_len")
    st.markdown(W.BOTTLENECK)


def _live_specs(run, cfg, large):
    """{chart key: dict} of the live charts: the ones this session drew last while the run has no new item
    (before any run: the settings' lengths and task are the same) and the font size is the same, so a rerun
    builds none; else live_specs anew. They are not cached for the class: hashing a run's points costs more
    than building the three plain dicts (under 1 ms)."""
    drawn = (len(run.items), large) if run is not None else ((cfg.min_len, cfg.max_len, cfg.task), large)
    kept = st.session_state.get(CHARTS_KEY)
    if kept is None or kept[0] is not run or kept[1] != drawn:
        kept = st.session_state[CHARTS_KEY] = (run, drawn, live_specs(run.items if run else None,
                                                                      run.config.config if run else cfg, large))
    return kept[2]


def live_specs(items, cfg, large):
    """{chart key: dict}: the loss, accuracy and accuracy-against-length charts of a run's `items` at the
    settings `cfg`; for items None (no run yet) only the empty length chart."""
    lengths, chance = (cfg.min_len, cfg.max_len), G.chance_levels(cfg.task, S.MAX_TEST_LEN)
    if items is None:
        return {"s2s_len": G.length_figure({}, lengths, chance, large=large, x_title=W.length_axis(cfg.task),
                                           count=S.EVAL_COUNT, prompt="press Train to start")}
    first = f"training: the first point comes at step {cfg.report_every}"
    by_length = {n: scores[0] for n, scores in items[-1]["by_length"].items()} if items else {}
    return {"s2s_loss": G.loss_figure(items, cfg.steps, S.V, large=large, prompt=first),
            "s2s_acc": G.accuracy_figure(items, cfg.steps, large=large, held=W.HELD_COUNT, prompt=first),
            "s2s_len": G.length_figure(by_length, lengths, chance, large=large, x_title=W.length_axis(cfg.task),
                                       count=S.EVAL_COUNT,
                                       prompt=f"training: the first bars come at step {cfg.report_every}")}


def current_model():
    """(model, config) of the last run once it is no longer running, or None."""
    run = R.current(RUN)
    if run is None or run.status == "running" or "lstm" not in run.models:
        return None
    return run.models["lstm"], run.config.config


def stale(cfg):
    """True when the last run was trained on other settings than those set now."""
    run = R.current(RUN)
    return run is not None and run.config.config != cfg


def digest(model):
    """What identifies a trained model for the cache: the SHA-256 of its arrays."""
    sha = hashlib.sha256()
    for name, array in model.arrays().items():
        sha.update(name.encode())
        sha.update(np.ascontiguousarray(array).tobytes())
    return sha.hexdigest()


@dataclasses.dataclass(frozen=True)
class Reading:
    """One input through the model: what the encoder read, the vector, both decodings (plain data)."""

    text: str
    answer: str  # the right answer
    written: str  # greedy decoding's answer (up to its first END)
    ended: bool  # greedy decoding wrote END
    read: tuple  # the tokens in the order the encoder read them
    h: np.ndarray  # (H,) h_T
    c: np.ndarray  # (H,) C_T
    ids: np.ndarray  # (m,) greedy decoding's tokens, up to and including END
    probs: np.ndarray  # (m, V) the distribution each was chosen from
    right: np.ndarray  # (Tt,) the right tokens, ending in END
    forced_fed: np.ndarray  # (Tt,) teacher forcing's inputs: START, then the right previous tokens
    forced_probs: np.ndarray  # (Tt, V) the teacher-forced distributions

    @property
    def correct(self):
        return self.ended and self.written == self.answer


def read(model, task, reverse_input, text):
    """Run one input through the encoder, greedy decoding and teacher forcing."""
    batch = S.batch_of(task, [text])
    h, c = S.encode(model, batch.src, batch.src_len, reverse_input)
    dec = S.greedy(model, batch.src, batch.src_len, reverse_input)
    m = int(dec.lengths[0])
    forced = S.softmax(S.teacher_forced(model, batch, reverse_input))[:, 0]
    return Reading(text=text, answer=batch.texts_out[0], written=dec.texts[0], ended=bool(S.END in dec.ids[0]),
                   read=tuple(W.tokens(S.encoder_inputs(batch.src, batch.src_len, reverse_input)[:, 0])),
                   h=h[0], c=c[0], ids=dec.ids[0, :m], probs=dec.probs[:m, 0], right=batch.tgt[:, 0],
                   forced_fed=S.decoder_inputs(batch.tgt)[:, 0], forced_probs=forced)


def trained_digest(model):
    """The digest of `model`, computed once per trained model in this session (not on every rerun)."""
    kept = st.session_state.get(TRAINED_KEY)
    if kept is None or kept[0] is not model:
        kept = st.session_state[TRAINED_KEY] = (model, digest(model))
    return kept[1]


@by_settings(max_entries=256, max_size="32MiB")
def reading(key, task, reverse_input, text, _model):
    """The Reading of one input by the model whose digest is `key` (it stands for `_model`, which is not
    hashed), whatever the font size."""
    return read(_model, task, reverse_input, text)


@by_settings(max_entries=256, max_size="64MiB")
def try_view(key, task, reverse_input, text, large, _model):
    """What Try it draws for one input (reading's numbers, once per model and input): the verdict and the
    reading order in words, and the four figures' dicts."""
    r = reading(key, task, reverse_input, text, _model)
    fed_own = W.tokens(np.concatenate([[S.START], r.ids[:-1]]))
    own_p = r.probs[np.arange(len(r.ids)), r.ids]
    forced_ids = r.forced_probs.argmax(axis=1)
    forced_p = r.forced_probs[np.arange(len(forced_ids)), forced_ids]
    return {
        "verdict": W.verdict(r.text, r.written, r.answer, r.correct),
        "read_order": W.read_order(task, r.text, reverse_input),
        "pipeline": G.pipeline_figure(list(r.read), fed_own, W.tokens(r.ids), len(r.h), large=large,
                                      reversed_input=reverse_input),
        "vector": G.vector_figure(r.h, r.c, large=large),
        "steps": G.steps_figure(r.probs, S.TOKENS, list(r.ids), list(r.right), large=large),
        "forcing": G.forcing_figure(W.tokens(r.right), (W.tokens(r.forced_fed), W.tokens(forced_ids), forced_p),
                                    (fed_own, W.tokens(r.ids), own_p), large=large),
    }


def _view(model, task, reverse_input, text, large):
    """try_view's answer: the one this session drew last if it asks the same again, else the cache's."""
    asked = (trained_digest(model), task, reverse_input, text, large)
    kept = st.session_state.get(TRY_KEY)
    if kept is None or kept[0] != asked:
        kept = st.session_state[TRY_KEY] = (asked, try_view(*asked, model))
    return kept[1]


def try_it(model, cfg, state, large):
    """Type an input; the model's answer, the vector it went through, the decoder's steps and teacher
    forcing beside its own outputs."""
    st.subheader("Try it")
    st.caption(W.TRY_IT.format(longer=min(cfg.max_len + 3, S.MAX_TEST_LEN)))
    default = SS.default_text(cfg.task, cfg.max_len)
    text = state.text or default
    try:
        text = SS.check_text(text, cfg.task)
    except ValueError as err:  # a link's input, or one kept from a model of another task
        st.warning(W.bad_text(err, default))
        text = default
    C.text_input(text, cfg.task)
    view = _view(model, cfg.task, cfg.reverse_input, text, large)
    st.markdown(view["verdict"])
    st.caption(W.MARKS)  # the two marks the three figures below write
    show(view["pipeline"], key="s2s_pipeline_fig")
    st.caption(view["read_order"])
    show(view["vector"], key="s2s_vector_fig")
    columns = st.columns(1 if large else 2)
    with columns[0]:
        show(view["steps"], key="s2s_decoder_fig")
    with columns[-1]:
        show(view["forcing"], key="s2s_forcing_fig")
        st.markdown(W.TEACHER_FORCING)
