"""The Sequence-to-sequence page's parts: the live training with its accuracy against length, and *Try it*.

Streamlit glue over pure pieces: the engine (lstm_core.seq2seq), this package's figures and words. Each
function draws one part of the page. What *Try it* shows for an input is cached by the model's digest
and the input (ui/common/caching.by_settings), so typing a string a classmate typed, or a rerun that
changes nothing, runs no forward pass.
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

RUN = "seq2seq"
LIVE_CHARTS = ("s2s_loss", "s2s_acc", "s2s_len")  # the charts a running fragment redraws


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
    if run is None:
        st.info(W.PRESS_TRAIN)
        _length_chart({}, cfg, large, "press Train to start")
        return
    job = run.config
    step = max((item["step"] for item in run.items), default=0)
    st.progress(step / job.config.steps, text=W.progress_words(step, job.config.steps, run.status))
    if run.error:
        st.error(f"Training stopped: {run.error}")
    if job.replayed:
        st.caption(W.REPLAYED)
    points = tuple((it["step"], it["loss"], it["accuracy"], it["token_accuracy"]) for it in run.items)
    first = job.config.report_every
    for column, (key, spec) in zip(st.columns(1 if large else 2) * 2, (
            ("s2s_loss", loss_spec(points, job.config.steps, large, first)),
            ("s2s_acc", accuracy_spec(points, job.config.steps, large, first)))):
        with column:
            with st.container():  # alone in its block: see ui/training/panels.keep_charts_drawn
                show(spec, key=key)
    if run.items:
        st.caption(W.scores_words(run.items[-1], (job.config.min_len, job.config.max_len)))
    _length_chart(run.items[-1]["by_length"] if run.items else {}, job.config, large,
                  f"training: the first bars come at step {first}")


def _length_chart(by_length, cfg, large, prompt):
    """Accuracy against input length (`prompt` while it has no bars), with the bottleneck's sentence under it."""
    exact = tuple((n, scores[0]) for n, scores in sorted(by_length.items()))
    with st.container():  # alone in its block: see ui/training/panels.keep_charts_drawn
        show(length_spec(exact, (cfg.min_len, cfg.max_len), cfg.task, large, prompt), key="s2s_len")
    st.markdown(W.BOTTLENECK)


def _first(step):
    return f"training: the first point comes at step {step}"


@by_settings(max_entries=64, max_size="32MiB")
def loss_spec(points, steps, large, first):
    """The loss chart's dict for (step, loss, accuracy, token accuracy) points: a class watching one fit
    builds it once."""
    items = [{"step": s, "loss": loss} for s, loss, _, _ in points]
    return G.loss_figure(items, steps, S.V, large=large, prompt=_first(first)).to_dict()


@by_settings(max_entries=64, max_size="32MiB")
def accuracy_spec(points, steps, large, first):
    """The accuracy chart's dict for the same points."""
    items = [{"step": s, "accuracy": a, "token_accuracy": t} for s, _, a, t in points]
    return G.accuracy_figure(items, steps, large=large, prompt=_first(first)).to_dict()


@by_settings(max_entries=64, max_size="32MiB")
def length_spec(exact, lengths, task, large, prompt):
    """The accuracy-against-length chart's dict for ((n, exact-match accuracy), ...)."""
    chance = G.chance_levels(task, S.MAX_TEST_LEN)
    return G.length_figure(dict(exact), lengths, chance, large=large, x_title=W.length_axis(task),
                           prompt=prompt).to_dict()


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


@by_settings(max_entries=256, max_size="64MiB")
def try_specs(model_digest, task, reverse_input, text, large, _model):
    """(Reading, {name: figure dict}) for one input of the model with this digest (the model itself
    is not hashed: its digest says which it is)."""
    r = read(_model, task, reverse_input, text)
    fed_own = W.tokens(np.concatenate([[S.START], r.ids[:-1]]))
    own_p = r.probs[np.arange(len(r.ids)), r.ids]
    forced_ids = r.forced_probs.argmax(axis=1)
    forced_p = r.forced_probs[np.arange(len(forced_ids)), forced_ids]
    figures = {
        "pipeline": G.pipeline_figure(list(r.read), fed_own, W.tokens(r.ids), len(r.h), large=large,
                                      reversed_input=reverse_input),
        "vector": G.vector_figure(r.h, r.c, large=large),
        "steps": G.steps_figure(r.probs, S.TOKENS, list(r.ids), list(r.right), large=large),
        "forcing": G.forcing_figure(W.tokens(r.right), (W.tokens(r.forced_fed), W.tokens(forced_ids), forced_p),
                                    (fed_own, W.tokens(r.ids), own_p), large=large),
    }
    return r, {name: fig.to_dict() for name, fig in figures.items()}


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
    reading, specs = try_specs(digest(model), cfg.task, cfg.reverse_input, text, large, model)
    st.markdown(W.verdict(reading.text, reading.written, reading.answer, reading.correct))
    show(specs["pipeline"], key="s2s_pipeline_fig")
    st.caption(W.read_order(cfg.task, reading.text, cfg.reverse_input))
    show(specs["vector"], key="s2s_vector_fig")
    columns = st.columns(1 if large else 2)
    with columns[0]:
        show(specs["steps"], key="s2s_decoder_fig")
    with columns[-1]:
        show(specs["forcing"], key="s2s_forcing_fig")
        st.markdown(W.TEACHER_FORCING)
