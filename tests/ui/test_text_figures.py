"""The Writing-text figures plot the engine's own numbers at both font sizes, empty or full: the loss
chart's lines are the run's items with their perplexity on hover and the two guesses every model must
beat; the bars are the next-character distribution at T beside T = 1."""
import math

import numpy as np
import pytest

from lstm_core import text as T
from ui.common.style import font_size
from ui.text import figures as G
from ui.text.corpora import zen

CFG = T.TextConfig(units=8, steps=20, window=20, report_every=5)


@pytest.fixture(scope="module")
def run():
    """A real small run's items, without their models."""
    return [{k: v for k, v in it.items() if k != "model"} for it in T.run_text(zen(), CFG)]


def _by_meta(fig, meta):
    return next(t for t in fig.data if t.meta == meta)


def test_frequency_loss_is_the_entropy_of_the_character_counts():
    assert G.frequency_loss("aab") == pytest.approx(-(2 / 3 * math.log(2 / 3) + 1 / 3 * math.log(1 / 3)))
    assert G.frequency_loss("abcd" * 5) == pytest.approx(math.log(4))
    assert G.frequency_loss("ééa") == pytest.approx(G.frequency_loss("xxa"))  # characters, not bytes


def test_levels_are_the_uniform_guess_ln_v_and_the_frequency_guess_below_it():
    (k1, uniform, _), (k2, freq, _) = G.levels(zen()[:771], 45)
    assert (k1, k2) == ("uniform", "frequency")
    assert uniform == pytest.approx(math.log(45)) and freq < uniform


@pytest.mark.parametrize("large", [False, True])
def test_the_loss_chart_plots_every_item_with_its_perplexity_and_the_guesses(run, large):
    guesses = G.levels(zen()[:771], 45)
    fig = G.loss_figure(run, CFG.steps, guesses, large=large)
    train, held = _by_meta(fig, "loss"), _by_meta(fig, "val_loss")
    assert list(train.x) == [it["step"] for it in run] == [5, 10, 15, 20]
    np.testing.assert_allclose(train.y, [it["loss"] for it in run])
    np.testing.assert_allclose(held.y, [it["val_loss"] for it in run])
    np.testing.assert_allclose(train.customdata, [T.perplexity(it["loss"]) for it in run])
    assert "perplexity" in train.hovertemplate
    for key, level, _ in guesses:
        assert list(_by_meta(fig, key).y) == [level, level]
    top = fig.layout.yaxis.range[1]
    assert top > max(max(it["loss"] for it in run), max(it["val_loss"] for it in run), math.log(45))
    assert list(fig.layout.xaxis.range) == [0, CFG.steps * 1.02]  # the whole run: it stands still
    assert fig.layout.font.size == font_size(large)


def test_an_empty_loss_chart_says_press_train_and_a_nan_loss_is_a_gap():
    guesses = G.levels("abcab", 3)
    empty = G.loss_figure([], 100, guesses, large=False)
    assert [a.text for a in empty.layout.annotations] == ["press Train to start"]
    items = [{"step": 5, "loss": 2.0, "val_loss": None}, {"step": 10, "loss": float("nan"), "val_loss": None}]
    fig = G.loss_figure(items, 10, guesses, large=False)
    assert np.isnan(_by_meta(fig, "loss").y[1]) and "val_loss" not in [t.meta for t in fig.data]
    assert not fig.layout.annotations


@pytest.mark.parametrize("large", [False, True])
def test_the_bars_are_the_distribution_at_t_beside_t_1_in_order(large):
    vocab = T.vocabulary("ab \nc")
    logits = np.array([2.0, 0.5, 1.0, -1.0, 0.0])
    p_t, p_1 = T.softmax(logits, 0.5), T.softmax(logits, 1.0)
    chosen = T.top_k(p_t, vocab, 4)
    fig = G.top_k_figure(chosen, dict(zip(vocab.chars, p_1)), 0.5, large=large)
    at_t, at_1 = _by_meta(fig, "t"), _by_meta(fig, "t1")
    assert list(at_t.y) == [T.show_char(ch) for ch, _ in chosen] == list(at_1.y)
    np.testing.assert_allclose(at_t.x, sorted(p_t, reverse=True)[:4])
    np.testing.assert_allclose(at_1.x, [p_1[vocab.chars.index(ch)] for ch, _ in chosen])
    assert at_t.x[0] > at_1.x[0]  # T = 0.5 sharpens the likeliest character
    assert at_t.name == "T = 0.5" and at_1.name == "T = 1"
    assert at_t.text[-1] == "< 0.01" if at_t.x[-1] < 0.005 else at_t.text[-1] == f"{at_t.x[-1]:.2f}"
    assert fig.layout.font.size == font_size(large)


def test_greedy_says_it_takes_the_top_bar():
    fig = G.top_k_figure([("a", 0.9), ("b", 0.1)], {"a": 0.7, "b": 0.3}, 1.5, large=False, greedy=True)
    assert "greedy" in _by_meta(fig, "t").name


def test_the_temperature_words_hold_on_a_trained_models_distributions():
    """Below 1 the likeliest character gets likelier, above 1 less likely; T -> 0 is greedy; greedy
    text does not depend on the temperature."""
    cfg = T.TextConfig(units=16, steps=30, window=20, report_every=30)
    model, _ = T.fit(zen(), cfg)
    vocab = T.vocabulary(zen())
    gen = T.generate(model, vocab, cfg, zen()[:20], 30, temperatures=(0.1, 0.5, 1.0, 1.5), greedy=True)
    top = gen.probs.max(axis=-1)  # (4, 30): the likeliest character's probability at each step
    assert (top[0] >= top[1]).all() and (top[1] >= top[2]).all() and (top[2] >= top[3]).all()
    assert len(set(gen.texts)) == 1  # greedy: the same text at every temperature
    logits = np.log(gen.probs[2])  # (30, V): the scores at T = 1, up to a constant per step
    cold = T.softmax(logits, 0.001)  # T -> 0: all the probability on the greedy choice
    np.testing.assert_allclose(cold[np.arange(30), gen.ids[0]], 1.0, atol=1e-6)
