"""Every Sentiment experiment's sentence on the engine's numbers: each preset is trained once at its own
settings (ui.sentiment.state.config of its state), on the split of its seed, as the page trains it; the
page's fixed sentences about padding, masking and unknown words are checked on the engine too."""
import dataclasses
import functools

import numpy as np
import pytest

from lstm_core import sentiment as S
from ui.sentiment import padding, state as SS
from ui.sentiment import words as W
from ui.sentiment.lessons import PRESETS, WHY
from ui.sentiment.state import SentimentState, config

BY_NAME = {p.name: p for p in PRESETS}
DEFAULT, BIDIRECTIONAL, TINY = (p.name for p in PRESETS)


@dataclasses.dataclass(frozen=True)
class Result:
    cfg: S.SentimentConfig
    last: dict  # the run's last item (with its model and vocabulary)
    lstm: dict  # held-out accuracy per category
    bow: dict

    def p(self, text):
        """The LSTM's P(positive) for a sentence."""
        return S.read_sentence(self.last["model"], self.last["vocab"], S.tokenize(text)).p_final


@functools.cache
def trained(name):
    """The preset trained as the page trains it, with both models' held-out accuracy per category."""
    cfg = config(BY_NAME[name].state())
    train, held = SS.split(cfg.seed)
    last = list(S.run_sentiment(list(train), list(held), cfg))[-1]
    bow = S.fit_bow(list(train), last["vocab"], cfg)
    return Result(cfg, last, S.accuracy_by_category(S.lstm_predictor(last["model"], last["vocab"]), list(held)),
                  S.accuracy_by_category(S.bow_predictor(bow), list(held)))


def pct(x):
    return f"{round(100 * x)} %"


def test_the_presets_set_what_their_sentences_name():
    assert BY_NAME[DEFAULT].state() == dataclasses.replace(SentimentState(), preset=DEFAULT)  # the defaults
    default = config(BY_NAME[DEFAULT].state())
    assert (default.embed, default.units, default.steps, default.bidirectional) == (8, 16, 400, False)
    assert default == dataclasses.replace(S.SentimentConfig(), report_every=default.report_every)  # the engine's
    assert config(BY_NAME[BIDIRECTIONAL].state()).bidirectional
    assert config(BY_NAME[TINY].state()).units == 2
    assert set(WHY) >= {"embed", "units", "bidirectional", "lr", "batch", "steps", "seed", "sentence"}


def test_the_default_fits_every_training_sentence_and_beats_the_bag_of_words_where_order_matters():
    r, lesson = trained(DEFAULT), BY_NAME[DEFAULT].lesson
    assert r.last["step"] == 400 and r.last["accuracy"] == 1.0  # "every training sentence right"
    assert "400 Adam steps" in lesson
    assert f"{pct(r.lstm['all'])} of the held-out ones" in lesson and f"bag of words gets {pct(r.bow['all'])}" in lesson
    assert r.lstm["negation"] > r.bow["negation"] and r.bow["negation"] < 0.5  # "worse than a coin"
    assert f"negation the LSTM scores {pct(r.lstm['negation'])} and the bag of words {pct(r.bow['negation'])}" in lesson
    assert r.lstm["order"] == 1.0 and r.bow["order"] == 0.5  # "100 % against exactly 50 %"
    assert "100 % against exactly 50 %" in lesson
    assert r.p(SS.DEFAULT_SENTENCE) > 0.5  # the page opens on a sentence it gets right


def test_bidirectional_has_twice_the_lstm_weights_and_does_not_beat_one_direction():
    one, two, lesson = trained(DEFAULT), trained(BIDIRECTIONAL), BY_NAME[BIDIRECTIONAL].lesson
    lstm_weights = lambda r: sum(a.size for a in r.last["model"].lstm.arrays().values())  # noqa: E731
    assert lstm_weights(two) == 2 * lstm_weights(one)
    assert two.lstm["all"] <= one.lstm["all"]
    assert f"({pct(two.lstm['all'])} against {pct(one.lstm['all'])})" in lesson
    assert two.last["val_loss"] < one.last["val_loss"]
    assert f"({two.last['val_loss']:.2f} against {one.last['val_loss']:.2f} nats" in lesson


def test_bidirectionals_prediction_after_each_word_is_its_answer_for_the_sentence_cut_there():
    r, lesson = trained(BIDIRECTIONAL), BY_NAME[BIDIRECTIONAL].lesson
    assert "the model's answer for the sentence cut off at that word, read both ways" in lesson
    assert "reruns every prefix" not in lesson  # said in words, not jargon
    words = S.tokenize(SS.DEFAULT_SENTENCE)
    running = S.read_sentence(r.last["model"], r.last["vocab"], words).p_positive
    cut = [r.p(" ".join(words[:t + 1])) for t in range(len(words))]  # each cut sentence read alone
    np.testing.assert_allclose(running, cut, rtol=0, atol=1e-12)


def test_a_tiny_memory_fits_less_and_is_barely_above_the_bag_of_words_on_negation():
    r, default, lesson = trained(TINY), trained(DEFAULT), BY_NAME[TINY].lesson
    assert r.last["model"].units == 2
    assert f"After {r.last['step']} steps" in lesson
    assert f"only {pct(r.last['accuracy'])} of the training sentences" in lesson and r.last["accuracy"] < 1.0
    assert f"{pct(r.lstm['all'])} of the held-out ones" in lesson and r.lstm["all"] < default.lstm["all"]
    assert r.bow["negation"] < r.lstm["negation"] < r.bow["negation"] + 0.1  # "barely above"
    assert f"on negation ({pct(r.lstm['negation'])})" in lesson and f"({pct(r.bow['negation'])})" in lesson


def test_a_pad_is_a_zero_input_an_unknown_word_a_learnt_row_and_pads_carry_the_state_unchanged():
    r = trained(DEFAULT)
    model, vocab = r.last["model"], r.last["vocab"]
    assert not model.embedding[S.PAD].any() and model.embedding[S.UNK].any()  # after training
    assert r.cfg.word_dropout == 0.1 and "one word in ten" in W.TRY_INTRO
    rows = padding.batch_words(SS.DEFAULT_SENTENCE)
    ids, lengths = S.pad_batch([vocab.encode(row)[0] for row in rows])
    cell = S.forward(model, ids, lengths).lstm.layers[0][0]
    for b, n in enumerate(lengths):  # MASKING: "at a pad step the cell carries its C_t and h_t over unchanged"
        for t in range(n, ids.shape[0]):
            np.testing.assert_array_equal(cell.c[t, b], cell.c[n - 1, b])
            np.testing.assert_array_equal(cell.h[t, b], cell.h[n - 1, b])
    assert "unchanged" in W.MASKING and "zero input" in W.UNMASKED


@pytest.mark.parametrize("name", [DEFAULT, BIDIRECTIONAL])
def test_the_check_can_fail_the_same_batch_without_its_lengths_reads_other_states(name):
    """The equality check is no tautology: reading the padded batch without the mask moves the state read."""
    r = trained(name)
    model, vocab = r.last["model"], r.last["vocab"]
    rows = padding.batch_words(SS.DEFAULT_SENTENCE)
    check = S.padding_check(model, [vocab.encode(row)[0] for row in rows])
    assert check.max_diff_p < 1e-12 and check.max_diff_state < 1e-12
    wrong = padding.unmasked(model, check.ids)
    right = S.forward(model, check.ids, check.lengths)
    padded = check.lengths < check.ids.shape[0]
    assert np.abs(wrong.features - right.features).max(axis=1)[padded].min() > 0.05  # every padded row moves
    assert np.abs(wrong.features - right.features).max(axis=1)[~padded].max() == 0.0  # the longest does not
    assert max(padding.state_differences(model, check.ids, check.lengths, right)) == check.max_diff_state
    moved = float(np.abs(wrong.features - right.features).max())
    assert W.equality_words(float(np.abs(wrong.p_positive - check.p_alone).max()), moved).startswith("**Not equal:**")
    assert W.equality_words(check.max_diff_p, check.max_diff_state).startswith("**Equal")
