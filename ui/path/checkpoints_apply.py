"""The checkpoints of the guided path's last two steps, Sequence to sequence and Sentiment.

Like ui/path/checkpoints.py (read its docstring): each outcome trains the page's default run in
the engine (a few seconds) and the verdict and reveal are read off its numbers. Pure: no Streamlit.
"""
import dataclasses

from lstm_core import sentiment as sentiment_engine
from lstm_core import seq2seq as seq2seq_engine

from ui.path.checkpoints import Checkpoint
from ui.sentiment.state import SentimentState, split
from ui.sentiment.state import config as sentiment_config
from ui.seq2seq.state import Seq2SeqState
from ui.seq2seq.state import config as seq2seq_config

FAR = 9  # the seq2seq checkpoint's input length: three digits more than the default run trains on


def seq2seq_state(large=0):
    """The Sequence-to-sequence page's default run: reverse strings of 1 to 6 digits."""
    return dataclasses.replace(Seq2SeqState(), large=large)


def _seq2seq_outcome():
    """The default run's greedy accuracy (whole answers, and digits) at its longest training
    length and at FAR digits: the bars the page's accuracy-against-length chart draws."""
    cfg = seq2seq_config(seq2seq_state())
    by = seq2seq_engine.fit(cfg)[1]["by_length"]
    return {"trained": cfg.max_len, "units": cfg.units, "at_trained": by[cfg.max_len][0],
            "far": by[FAR][0], "far_digits": by[FAR][1]}


def _seq2seq_verdict(n):
    """Almost always: over 80 % of whole answers right; rarely: under 20 %; else about half."""
    return 0 if n["far"] > 0.8 else 2 if n["far"] < 0.2 else 1


SEQ2SEQ = Checkpoint(
    question=("An encoder LSTM reads a string of digits and hands only its final state (h_T, C_T) to a "
              "decoder LSTM, which writes the string reversed. Trained on strings of 1 to 6 digits, it "
              f"reverses those almost always right. Now give it {FAR} digits, three more than it ever saw: "
              "how often is its whole answer right?"),
    options=("Almost always (over 80 %)", "About half the time", "Rarely (under 20 %)"),
    outcome=_seq2seq_outcome,
    verdict=_seq2seq_verdict,
    reveal=lambda n: (f"At {n['trained']} digits the whole answer is right {n['at_trained']:.0%} of the time, "
                      f"at {FAR} digits {n['far']:.0%}, though {n['far_digits']:.0%} of what it writes there "
                      "(each digit and the end mark) is still right in its place. Everything the decoder "
                      f"knows passes through one vector of 2 × {n['units']} numbers, and the encoder learnt to pack at most the lengths it was "
                      "trained on into it. Committing loaded this run: press **Train** and watch the "
                      "accuracy-against-length chart."),
    settings=seq2seq_state,
)


ORDER_PAIR = ("good , not bad", "bad , not good")  # the same words in another order


def sentiment_state(large=0):
    """The Sentiment page's default run."""
    return dataclasses.replace(SentimentState(), large=large)


def _sentiment_outcome():
    """P(positive) of the two sentences of ORDER_PAIR from the default run's LSTM and from the
    bag-of-words baseline fitted on the same training sentences."""
    state = sentiment_state()
    cfg = sentiment_config(state)
    train, held = split(state.seed, cfg.holdout)
    model, item = sentiment_engine.fit(list(train), list(held), cfg)
    vocab = item["vocab"]
    bow = sentiment_engine.fit_bow(list(train), vocab, cfg)
    words = [sentiment_engine.tokenize(s) for s in ORDER_PAIR]
    lstm = sentiment_engine.lstm_predictor(model, vocab)(words)
    return {"lstm": [float(p) for p in lstm],
            "bow": [sentiment_engine.bow_probability(bow, w) for w in words]}


def _tells_apart(p):
    """Two P(positive) on opposite sides of 0.5, at least 0.2 apart."""
    return (p[0] - 0.5) * (p[1] - 0.5) < 0 and abs(p[0] - p[1]) >= 0.2


def _sentiment_verdict(n):
    """Which of the two models tells the sentences apart (0 both, 1 LSTM, 2 bag of words, 3 neither)."""
    lstm, bow = _tells_apart(n["lstm"]), _tells_apart(n["bow"])
    return 0 if lstm and bow else 1 if lstm else 2 if bow else 3


SENTIMENT = Checkpoint(
    question=(f"Two reviews use the same words in another order: *{ORDER_PAIR[0]}* (positive) and "
              f"*{ORDER_PAIR[1]}* (negative). An LSTM reads them word by word; a bag-of-words model "
              "adds up one weight per word, whatever the order. Both were trained on the same few hundred "
              "sentences. Which of them tells the two reviews apart?"),
    options=("Both", "Only the LSTM", "Only the bag of words", "Neither"),
    outcome=_sentiment_outcome,
    verdict=_sentiment_verdict,
    reveal=lambda n: (f"The LSTM says P(positive) = {n['lstm'][0]:.2f} for *{ORDER_PAIR[0]}* and "
                      f"{n['lstm'][1]:.2f} for *{ORDER_PAIR[1]}*; the bag of words says {n['bow'][0]:.2f} "
                      f"and {n['bow'][1]:.2f}: the same number, since it sees the same bag. Only a model "
                      "that reads in order can know what *not* applies to. Committing loaded this run: "
                      "press **Train**, then type both reviews under *Try a sentence*."),
    settings=sentiment_state,
)
