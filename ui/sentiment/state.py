"""The Sentiment page's settings as plain data that travels in a link, and what they ask the engine.

`SentimentState` holds what a student sets: the model and its training (turned into the engine's
SentimentConfig by `config`) and the sentence typed under "Try a sentence" ("" is the page's default
sentence). The sentences are the app's own file (assets/sentiment/sentences.tsv), split into training
and held-out sentences by the run's seed, stratified by kind of sentence and label.
"""
import dataclasses
import functools
from pathlib import Path

from lstm_core import sentiment as S

from ui.common import link
from ui.common.lessons import OWN  # the preset once "(your own settings)" was picked

DATA = Path(__file__).resolve().parents[2] / "assets" / "sentiment" / "sentences.tsv"
LR_CHOICES = ("0.001", "0.002", "0.005", "0.01", "0.02", "0.05")  # Adam's step, as text for the link
MAX_SENTENCE_CHARS = 300  # a typed (or linked) sentence longer than this is refused
DEFAULT_SENTENCE = "the plot was not good , but the acting was wonderful"
ENGINE = S.SentimentConfig()  # the engine's defaults are the page's


@dataclasses.dataclass(frozen=True)
class SentimentState:
    """What the Sentiment page shows; each ranged field's range is its widget's range too."""

    embed: int = link.ranged(ENGINE.embed, 1, 32, step=1)
    units: int = link.ranged(ENGINE.units, 1, 64, step=1)
    bidirectional: int = link.ranged(int(ENGINE.bidirectional), 0, 1)
    lr: str = link.choice(f"{ENGINE.lr:g}", LR_CHOICES)
    batch: int = link.ranged(ENGINE.batch_size, 1, 256, step=1)
    steps: int = link.ranged(ENGINE.steps, 10, 2000, step=10)
    seed: int = link.ranged(ENGINE.seed, 0, 9999, step=1)
    sentence: str = ""  # "": DEFAULT_SENTENCE
    preset: str = ""  # the lesson last picked ("" when none, OWN when the student picked their own settings)
    large: int = link.ranged(0, 0, 1)


def report_every(steps):
    """Adam steps between two progress items: about 40 items a run, at least every 5 steps."""
    return max(5, steps // 40)


def config(state):
    """The engine's SentimentConfig for these settings (ValueError if the engine rejects them)."""
    link.check(state)
    cfg = S.SentimentConfig(embed=state.embed, units=state.units, bidirectional=bool(state.bidirectional),
                            lr=float(state.lr), batch_size=state.batch, steps=state.steps, seed=state.seed,
                            report_every=report_every(state.steps))
    return S.validate(cfg)


def sentence_problem(text):
    """None if the typed `text` can be read, else the reason as a sentence (empty, too long, no word)."""
    if len(text) > MAX_SENTENCE_CHARS:
        return f"The sentence has {len(text):,} characters; at most {MAX_SENTENCE_CHARS} fit. Shorten it."
    return S.check_sentence(text)


def sentence_of(state):
    """The sentence the page reads: the state's, or the default one."""
    return state.sentence or DEFAULT_SENTENCE


def from_query(query, preset_names=()):
    """A SentimentState from a link (ValueError with a readable reason if it is not valid); its preset
    must be "", OWN or one of `preset_names`."""
    state = link.from_query(SentimentState, query)
    try:
        config(state)
    except ValueError as err:
        raise ValueError(f"the link's settings are not valid: {err}") from None
    problem = sentence_problem(state.sentence) if state.sentence else None
    if problem:
        raise ValueError(f"the link's sentence cannot be read: {problem[0].lower()}{problem[1:].rstrip('.')}")
    if state.preset not in ("", OWN, *preset_names):
        raise ValueError(f"the link's preset {state.preset[:40]!r} is not an experiment of this page")
    return state


@functools.cache
def examples():
    """Every labelled sentence of the app's file, read once per server."""
    return tuple(S.read_sentences(DATA.read_text(encoding="utf-8")))


def split(seed, holdout=S.SentimentConfig().holdout):
    """(training, held-out) sentences for a run seeded `seed`."""
    train, held = S.split(list(examples()), holdout, seed=seed)
    return tuple(train), tuple(held)
