"""The guided path's Sequence-to-sequence and Sentiment checkpoints on the engine's numbers."""
import pytest

from lstm_core import seq2seq as S

from ui.path import checkpoints_apply as A


@pytest.fixture(scope="module")
def seq2seq():
    return A.SEQ2SEQ.outcome()


@pytest.fixture(scope="module")
def sentiment():
    return A.SENTIMENT.outcome()


def test_seq2seq_checkpoint_rarely_reverses_three_digits_more_than_it_trained_on(seq2seq):
    n = seq2seq
    assert n["trained"] + 3 == A.FAR and n["at_trained"] > 0.9 and n["far"] < 0.2
    assert n["far_digits"] > 0.3  # it still writes many digits in place: the answer is near, not noise
    assert A.SEQ2SEQ.options[A.SEQ2SEQ.verdict(n)].startswith("Rarely")
    assert A.SEQ2SEQ.verdict({**n, "far": 0.5}) == 1 and A.SEQ2SEQ.verdict({**n, "far": 0.9}) == 0


def test_seq2seq_checkpoint_reads_the_bars_the_page_draws(seq2seq):
    """The page's chart draws the last item's by_length; the checkpoint loads the page's defaults."""
    state = A.SEQ2SEQ.settings(1)
    assert state.large == 1 and (state.task, state.min_len, state.max_len) == ("reverse", 1, 6)
    from ui.seq2seq.state import config
    model, item = S.fit(config(state))
    assert item["by_length"][A.FAR][0] == seq2seq["far"]


def test_sentiment_checkpoint_only_the_lstm_tells_the_order_pair_apart(sentiment):
    n = sentiment
    assert n["bow"][0] == n["bow"][1]  # the same bag of words: the same number, whatever the weights
    assert n["lstm"][0] > 0.7 and n["lstm"][1] < 0.3
    assert A.SENTIMENT.options[A.SENTIMENT.verdict(n)] == "Only the LSTM"
    assert A.SENTIMENT.verdict({"lstm": [0.5, 0.5], "bow": [0.9, 0.1]}) == 2
    assert A.SENTIMENT.verdict({"lstm": [0.6, 0.55], "bow": [0.4, 0.4]}) == 3


def test_recap_items_8_and_9_say_what_the_checkpoints_measured(seq2seq, sentiment):
    from pathlib import Path
    recap = " ".join((Path(__file__).resolve().parents[2] / "assets" / "recap.md").read_text().split())
    state = A.SEQ2SEQ.settings(0)
    assert f"strings of {state.min_len} to {state.max_len} digits" in recap and f"on {A.FAR} digits" in recap
    assert seq2seq["at_trained"] > 0.9 and seq2seq["far"] < 0.2  # "almost always right ... rarely"
    assert f"*{A.ORDER_PAIR[0]}* and *{A.ORDER_PAIR[1]}*" in recap
    assert sentiment["bow"][0] == sentiment["bow"][1] and A.SENTIMENT.verdict(sentiment) == 1
