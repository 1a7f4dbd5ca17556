"""The Writing-text page's settings as plain data that travels in a link, and what they ask the engine.

`TextState` holds what a student sets: the corpus, the recipe (turned into the engine's TextConfig
by `config`), the generation (seed text, length, temperature, greedy), and which unit the text is
coloured by. The corpus is a built-in key or "own", the learner's text, which lives in the session
only (a link cannot carry it).
"""
import dataclasses

from lstm_core import text as T
from lstm_core import units as U

from ui.common import link
from ui.text.corpora import CORPORA

OWN = "own"
CORPUS_CHOICES = tuple(CORPORA) + (OWN,)
LR_CHOICES = ("0.0005", "0.001", "0.002", "0.005", "0.01", "0.02", "0.05")  # Adam's step, as text for the link
SIGNAL_CHOICES = U.SIGNALS  # c, h, f, i, o, c_tilde
COLOUR_SOURCES = ("corpus", "generated")  # what the units panel colours
MAX_SEED_CHARS = 200  # a seed text longer than this is cut (the model reads its last `window` only)


@dataclasses.dataclass(frozen=True)
class TextState:
    """What the Writing-text page shows; each ranged field's range is its widget's range too."""

    corpus: str = link.choice("zen", CORPUS_CHOICES)
    encoding: str = link.choice("onehot", T.ENCODINGS)
    target: str = link.choice("every", T.TARGETS)
    window: int = link.ranged(40, 5, 100, step=5)
    units: int = link.ranged(128, 8, 256, step=8)
    layers: int = link.ranged(1, *T.LIMITS["layers"])
    lr: str = link.choice("0.01", LR_CHOICES)
    batch: int = link.ranged(32, 1, 128, step=1)
    steps: int = link.ranged(400, 20, 3000, step=20)
    clip: int = link.ranged(1, 0, 1)  # 1: clip the gradient's global norm at 5 (the default)
    init: str = link.choice("torch", T.INITS)
    seed: int = link.ranged(0, 0, 9999, step=1)
    seed_text: str = ""  # "": the corpus's first window
    length: int = link.ranged(200, 10, 600, step=10)
    temperature: float = link.ranged(0.5, *T.TEMPERATURE, step=0.05)
    greedy: int = link.ranged(0, 0, 1)
    cursor: int = link.ranged(0, 0, 600, step=1)  # the generated character whose distribution is drawn
    colour: str = link.choice("corpus", COLOUR_SOURCES)
    signal: str = link.choice("c", SIGNAL_CHOICES)
    layer: int = link.ranged(0, 0, T.LIMITS["layers"][1] - 1)
    unit: int = link.ranged(0, 0, 255, step=1)
    feature: str = link.choice("line_position", U.FEATURES)  # the Zen has no quotes (only apostrophes)
    preset: str = ""  # the lesson last picked ("" when none): a link opens its sentence
    large: int = link.ranged(0, 0, 1)


CLIP_NORM = 5.0  # the global norm the gradient is clipped at when clip=1


def config(state):
    """The engine's TextConfig for these settings (ValueError if the engine rejects them)."""
    link.check(state)
    if len(state.seed_text) > MAX_SEED_CHARS:
        raise ValueError(f"the seed text has {len(state.seed_text)} characters; at most {MAX_SEED_CHARS} fit")
    cfg = T.TextConfig(encoding=state.encoding, target=state.target, window=state.window, units=state.units,
                       layers=state.layers, lr=float(state.lr), batch_size=state.batch, steps=state.steps,
                       clip=CLIP_NORM if state.clip else None, init=state.init, seed=state.seed,
                       report_every=report_every(state.steps))
    return T.validate(cfg)


def report_every(steps):
    """Adam steps between two progress items: about 20 items a run, at least every 5 steps."""
    return max(5, steps // 20)


def from_query(query):
    """A TextState from a link (ValueError with a readable reason if it is not valid)."""
    state = link.from_query(TextState, query)
    try:
        config(state)
    except ValueError as err:
        raise ValueError(f"the link's settings are not valid: {err}") from None
    return state
