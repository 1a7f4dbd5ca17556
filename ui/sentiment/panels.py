"""The Sentiment page's parts: the data, the live training, the per-category results and "Try a sentence".

Streamlit glue over pure pieces: the engine (lstm_core.sentiment), this package's figures and words.
Each function draws one part of the page. What a reading draws (its numbers, sentences and figure
dicts) is cached across sessions by the trained model's digest (ui/common/caching.by_settings), which
is computed once per trained run and kept in the session with the model: typing a sentence someone
has read with the same model costs no forward pass, and a rerun that changes nothing runs no model,
builds no figure and hashes no model (benchmarks/sentiment_page.py measures each step).
"""
import dataclasses
import hashlib

import numpy as np
import streamlit as st

from lstm_core import sentiment as S
from ui.common import shared_runs
from ui.common.caching import by_settings
from ui.common.render import show
from ui.sentiment import controls as C
from ui.sentiment import figures as G
from ui.sentiment import state as SS
from ui.sentiment import words as W
from ui.training import runner as R
from ui.training.panels import step_header

RUN = "sentiment"
LIVE_CHARTS = ("se_training",)  # the chart a running fragment redraws
TRAINED_KEY = "sentiment_trained"  # (model, Trained) of the last model shown
UNTRAINED_KEY = "sentiment_untrained"  # the Trained of the settings' untrained model, for the padding check
CHART_KEY = "sentiment_chart"  # (run, items drawn, large, dict) of the training chart this session last drew


@dataclasses.dataclass(frozen=True, eq=False)
class Job:
    """What a run was started with: the engine's config and whether the fit had already finished here."""

    config: S.SentimentConfig
    replayed: bool = False


@dataclasses.dataclass(frozen=True, eq=False)
class Trained:
    """A model to read sentences with: its vocabulary, the bag of words of the same split, the config it
    was trained with, the step it reached (0: untrained) and a digest of all of it (the caches' key)."""

    model: S.SentimentModel
    vocab: S.Vocab
    bow: S.BagOfWords
    config: S.SentimentConfig
    step: int
    digest: str


def digest(model, vocab, bow):
    """SHA-256 of the model's arrays, the vocabulary's words and the baseline's weights."""
    h = hashlib.sha256("\n".join(vocab.words).encode("utf-8"))
    for name, array in sorted(model.arrays().items()):
        h.update(name.encode("utf-8") + np.ascontiguousarray(array, dtype=np.float64).tobytes())
    if bow is not None:
        h.update(np.ascontiguousarray(bow.w).tobytes() + repr(bow.b).encode("ascii"))
    return h.hexdigest()


def data_digest():
    """What identifies the sentences a run trains on: the file's SHA-256."""
    return hashlib.sha256(SS.DATA.read_bytes()).hexdigest()


@by_settings(max_entries=32, max_size="2MiB")
def data_words(seed):
    """The data expander's label, table and caption for the split of `seed`."""
    train, held = SS.split(seed)
    return (W.data_title(len(SS.examples())), W.data_table(SS.examples(), held),
            W.split_words(len(train), len(held), S.Vocab.from_examples(train).size, seed))


def data_panel(cfg):
    """In an expander: counts per kind of sentence and label, an example of each, the split and the
    vocabulary's size."""
    title, table, caption = data_words(cfg.seed)
    with st.expander(title, icon=":material/table_rows:"):
        st.markdown(table)
        st.caption(caption)


@by_settings(max_entries=16, max_size="8MiB")
def baseline(cfg):
    """The bag-of-words baseline fitted on the training split of `cfg`'s seed (its own vocabulary)."""
    train, _ = SS.split(cfg.seed)
    return S.fit_bow(list(train), S.Vocab.from_examples(train), cfg)


def start(cfg):
    """Begin training `cfg`, replacing any earlier run; a class asking for the same fit at once shares
    one computation (ui/common/shared_runs.py)."""
    key = (data_digest(), cfg)
    replayed = shared_runs.finished(key)
    train, held = SS.split(cfg.seed)
    fit = shared_runs.follow(key, lambda: S.run_sentiment(list(train), list(held), cfg))
    R.start(RUN, fit, -(-cfg.steps // cfg.report_every), Job(cfg, replayed))


def live(large):
    """Progress and the live loss and accuracy chart, in a fragment that trains while the run runs."""
    R.live(RUN, lambda run: _race(run, large))


@by_settings(max_entries=64, max_size="32MiB")
def training_spec(points, steps, large, first):
    """The training chart's dict for (step, loss, val_loss, accuracy, val_accuracy) points: a class
    watching one fit builds it once."""
    items = [dict(zip(("step", "loss", "val_loss", "accuracy", "val_accuracy"), p)) for p in points]
    return G.training_figure(items, steps, large=large, prompt=W.first_point(first))


def _race(run, large):
    """The run's progress, its error if it failed, and the training chart (or, before any run, a prompt)."""
    if run is None:
        st.info(W.PRESS_TRAIN)
        return
    step_header(run, run.config.config.steps, W.REPLAYED)
    with st.container():  # alone in its block: see ui/training/panels.keep_charts_drawn
        show(_training_chart(run, large), key="se_training")


def _training_chart(run, large):
    """The training chart's dict: the one this session drew last while the run has no new item (so a
    rerun does not hash every point again), else training_spec's for the run's points."""
    kept = st.session_state.get(CHART_KEY)
    if kept is None or kept[0] is not run or kept[1:3] != (len(run.items), large):
        cfg = run.config.config
        points = tuple((it["step"], it["loss"], it["val_loss"], it["accuracy"], it["val_accuracy"])
                       for it in run.items)
        kept = (run, len(run.items), large, training_spec(points, cfg.steps, large, cfg.report_every))
        st.session_state[CHART_KEY] = kept
    return kept[3]


def trained_model():
    """The last run's newest model as a Trained, once the run is no longer running; else None."""
    run = R.current(RUN)
    if run is None or run.status == "running" or "lstm" not in run.models:
        return None
    model = run.models["lstm"]
    kept = st.session_state.get(TRAINED_KEY)
    if kept is None or kept[0] is not model:
        cfg = run.config.config
        vocab = S.Vocab.from_examples(SS.split(cfg.seed)[0])
        bow = baseline(cfg)
        step = max(it["step"] for it in run.items)
        kept = (model, Trained(model, vocab, bow, cfg, step, digest(model, vocab, bow)))
        st.session_state[TRAINED_KEY] = kept
    return kept[1]


def untrained_model(cfg):
    """The model of these settings before training, for the padding check (masking holds for any weights);
    built and digested once per settings in this session, not on every rerun."""
    kept = st.session_state.get(UNTRAINED_KEY)
    if kept is None or kept.config != cfg:
        vocab = S.Vocab.from_examples(SS.split(cfg.seed)[0])
        model = S.build_model(cfg, vocab.size)
        kept = st.session_state[UNTRAINED_KEY] = Trained(model, vocab, None, cfg, 0, digest(model, vocab, None))
    return kept


def stale(trained, cfg):
    """True when the model shown was trained with other settings than those set now."""
    return trained.config != cfg


@by_settings(max_entries=32, max_size="1MiB")
def category_accuracy(key, _trained):
    """Held-out accuracy per kind of sentence of the LSTM and of the bag of words, and each kind's count
    (the rows' order); `key` (the model's digest) stands for `_trained`."""
    held = list(SS.split(_trained.config.seed)[1])
    lstm = S.accuracy_by_category(S.lstm_predictor(_trained.model, _trained.vocab), held)
    bow = S.accuracy_by_category(S.bow_predictor(_trained.bow), held)
    names = [c for c in S.CATEGORIES if c in lstm] + ["all"]
    return lstm, bow, {c: sum(e.category == c or c == "all" for e in held) for c in names}


@by_settings(max_entries=64, max_size="8MiB")
def category_view(key, large, _trained):
    """The accuracies (category_accuracy: once per model, whatever the font size), their chart's dict
    and the verdict under it."""
    lstm, bow, counts = category_accuracy(key, _trained)
    names = list(counts)
    fig = G.category_figure(names, [lstm[c] for c in names], [bow[c] for c in names], list(counts.values()),
                            large=large)
    return lstm, bow, fig, W.categories_verdict(lstm, bow)


def results(trained, large):
    """The held-out accuracy per kind of sentence, the LSTM beside the bag of words."""
    st.subheader("Which sentences each model gets right")
    _, _, spec, verdict = category_view(trained.digest, large, trained)
    show(spec, key="se_categories")
    st.markdown(verdict)


@by_settings(max_entries=256, max_size="64MiB")
def reading_view(key, words, large, _trained):
    """What "Try a sentence" draws for `words` (a tuple): the Reading's numbers, the sentence's HTML and
    words, and the three charts' dicts; `key` (the model's digest) stands for `_trained`."""
    r = S.read_sentence(_trained.model, _trained.vocab, words)
    p_bow = S.bow_probability(_trained.bow, words)
    unknown = [bool(u) for u in r.unknown]
    bidirectional = _trained.model.bidirectional
    return dict(
        unknown=unknown, p_final=r.p_final, p_bow=p_bow, running_words=W.running_words(words, r.p_positive.tolist()),
        memory_words=W.memory_words(words, r.dC.tolist()), html=W.CSS + W.sentence_html(words, unknown),
        notice=W.unknown_words(words, unknown), verdict=W.verdict(r.p_final, p_bow),
        running=G.running_figure(words, unknown, r.p_positive, p_bow, large=large, bidirectional=bidirectional),
        memory=G.memory_figure(words, unknown, r.dC, large=large, bidirectional=bidirectional),
        gates=G.gates_figure(words, unknown, {"f": r.f, "i": r.i, "o": r.o}, large=large,
                             bidirectional=bidirectional))


@by_settings(max_entries=64, max_size="4MiB")
def order_pair(key, _trained):
    """(LSTM, bag of words) P(positive) of the two sentences of W.ORDER_PAIR, and the words saying so."""
    pair = [tuple(S.tokenize(text)) for text in W.ORDER_PAIR]
    p_lstm = [S.read_sentence(_trained.model, _trained.vocab, words).p_final for words in pair]
    p_bow = [S.bow_probability(_trained.bow, words) for words in pair]
    return p_lstm, p_bow, W.order_pair_words(p_lstm, p_bow)


@by_settings(max_entries=32, max_size="1MiB")
def known_words(seed):
    """The note and chips of the words a model trained with `seed` knows (its training split's)."""
    return W.known_words(S.Vocab.from_examples(SS.split(seed)[0]).words)


def try_sentence(trained, state, large):
    """The typed sentence read word by word: the running prediction, ‖ΔC_t‖, the gates; the order pair."""
    st.subheader("Try a sentence")
    st.caption(W.TRY_INTRO)
    C.sentence_box(state)
    note, chips = known_words(trained.config.seed)
    st.caption(note)
    with st.expander("The words the model knows", icon=":material/menu_book:"):
        st.html(chips)
    state = C.SENTIMENT.current()
    words = tuple(S.tokenize(SS.sentence_of(state)))
    view = reading_view(trained.digest, words, large, trained)
    st.html(view["html"])
    if view["notice"]:
        st.caption(view["notice"])
    st.markdown(view["verdict"])
    show(view["running"], key="se_running")
    if view["running_words"]:
        st.caption(view["running_words"])
    _order_pair(trained)
    show(view["memory"], key="se_memory")
    st.caption(view["memory_words"])
    show(view["gates"], key="se_gates")


def _order_pair(trained):
    """Quick buttons for the two orders of the same words, and both models' answers to each."""
    cols = st.columns([1, 1, 3])
    for col, text, key in zip(cols, W.ORDER_PAIR, ("se_pair_a", "se_pair_b")):
        col.button(f"“{text}”", key=key, on_click=C.use_sentence, args=(text,), width="stretch")
    cols[2].caption(order_pair(trained.digest, trained)[2])
