"""lstm_core.units: text features, unit activity, and the "find the unit" ranking on a model wired
by hand to follow quotes."""
import numpy as np
import pytest

from lstm_core import text as tx
from lstm_core import units as U
from lstm_core.model_pass import model_forward

TEXT = 'He said "hello" and left. She said "no, not now" and "maybe" later; it\'s fine.\n' * 2


def test_quotes_open_after_the_opening_quote_and_close_on_the_closing_one():
    q = U.text_features('a "bc" d')["quotes"]
    assert q.tolist() == [0, 0, 1, 1, 1, 0, 0, 0]


def test_an_apostrophe_is_not_a_quote():
    assert U.text_features("it's 'x'")["quotes"].tolist() == [0, 0, 0, 0, 0, 1, 1, 0]


def test_brackets_count_nesting_and_close():
    assert U.text_features("f(a[1]) b")["brackets"].tolist() == [0, 1, 1, 1, 1, 1, 0, 0, 0]


def test_line_position_restarts_after_each_newline():
    assert U.text_features("ab\ncd")["line_position"].tolist() == [1, 2, 0, 1, 2]


def test_character_features():
    f = U.text_features("a b\n")
    assert f["vowel"].tolist() == [1, 0, 0, 0] and f["space"].tolist() == [0, 1, 0, 0]
    assert f["newline"].tolist() == [0, 0, 0, 1]


def quote_model(vocab, units=6, seed=0):
    """A one-hot LSTM whose unit 0 flips its cell state at every quote and keeps it otherwise:
    f_0 = 0 and i_0 = 1 on a quote (1 and 0 elsewhere), C~_0 = tanh(-10 h_0 + 0.5): a quote writes
    the opposite sign of what the unit holds. The other units are random."""
    config = tx.TextConfig(window=len(TEXT))  # every window starts at the text's start: all quotes seen
    model = tx.build_model(config, vocab.size)
    params = model.layers[0].fwd
    H = params.hidden_size
    q = H + vocab.chars.index('"')
    W = {g: getattr(params, f"W_{g}").copy() for g in "fico"}
    b = {g: getattr(params, f"b_{g}").copy() for g in "fico"}
    for g in "fico":
        W[g][0] = 0.0
    b["f"][0], W["f"][0, q] = 10.0, -20.0
    b["i"][0], W["i"][0, q] = -10.0, 20.0
    b["c"][0], W["c"][0, 0] = 0.5, -10.0
    b["o"][0] = 10.0
    arrays = {f"layers.0.fwd.W_{g}": W[g] for g in "fico"}
    arrays.update({f"layers.0.fwd.b_{g}": b[g] for g in "fico"})
    return model.replace_arrays(arrays), config


def test_each_position_is_read_at_the_end_of_its_own_window():
    ids = np.arange(7)
    windows, lengths = U.reading_windows(ids, 3)
    assert lengths.tolist() == [1, 2, 3, 3, 3, 3, 3]
    assert windows[1, :2].tolist() == [0, 1] and windows[4].tolist() == [2, 3, 4]


def test_activity_is_the_state_after_each_window_from_zero():
    vocab = tx.vocabulary(TEXT)
    model, _ = quote_model(vocab)
    config = tx.TextConfig(window=10)
    act = U.unit_activity(model, vocab, config, TEXT, chunk=7)
    for t in (0, 5, 9, 10, 57, len(TEXT) - 1):
        window = vocab.encode(TEXT[max(t - 9, 0):t + 1])
        alone = model_forward(model, tx.model_inputs(window, config, vocab.size)).layers[0][0]
        assert np.allclose(act["c"][t], alone.c[-1, 0], atol=1e-6)
        assert np.allclose(act["f"][t], alone.f[-1, 0], atol=1e-6)


def test_a_unit_wired_to_follow_quotes_ranks_first():
    vocab = tx.vocabulary(TEXT)
    model, config = quote_model(vocab)
    act = U.unit_activity(model, vocab, config, TEXT)
    ranking = U.rank_units(act["c"], U.text_features(TEXT))
    assert ranking["quotes"].best == 0 and ranking["quotes"].r[0] > 0.95
    assert ranking["line_position"].best != 0 or abs(ranking["line_position"].r[0]) < 0.5


def test_the_wired_unit_s_values_are_the_model_s():
    vocab = tx.vocabulary(TEXT)
    model, config = quote_model(vocab)
    act = U.unit_activity(model, vocab, config, TEXT)
    trace = model_forward(model, tx.encode_inputs(vocab.encode(TEXT), config, vocab.size))
    assert np.allclose(act["h"], trace.layers[0][0].h[:, 0], atol=1e-6)  # one window: the whole text
    assert set(act) == set(U.SIGNALS) and act["f"].shape == (len(TEXT), model.layers[0].fwd.hidden_size)


def test_a_feature_absent_from_the_text_is_marked_constant():
    text = "abcde fghij klmno pqrs"
    ranking = U.rank_units(np.random.default_rng(0).normal(size=(len(text), 3)), U.text_features(text))
    assert ranking["brackets"].constant and np.isnan(ranking["brackets"].r).all()
    assert not ranking["space"].constant


def test_correlation_is_pearson_r():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(50, 3)), rng.normal(size=50)
    assert np.allclose(U.correlations(X, y), [np.corrcoef(X[:, k], y)[0, 1] for k in range(3)])
    X[:, 1] = 2.0
    assert np.isnan(U.correlations(X, y)[1])


def test_unit_activity_refuses_unknown_characters_and_bad_layers():
    vocab = tx.vocabulary(TEXT)
    model, config = quote_model(vocab)
    with pytest.raises(ValueError, match="'Z'"):
        U.unit_activity(model, vocab, config, "Zed")
    with pytest.raises(ValueError, match="layer"):
        U.unit_activity(model, vocab, config, "He", layer=1)
