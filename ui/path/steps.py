"""The guided path for self-learners: one entry per step, in order, across the pages.

Each step has one idea, one thing to do in the app, and a predict-then-reveal checkpoint on its
page. Adding a step (a later page) is one more entry in STEPS. `store` names the page's Store
("module:attribute") that the checkpoint loads its experiment into; None for Home.
"""
import dataclasses

from ui.path import checkpoints as C
from ui.path import checkpoints_apply as A
from ui.path import checkpoints_compare as V
from ui.path.checkpoints import Checkpoint


@dataclasses.dataclass(frozen=True)
class Step:
    """One step of the path: where it is, what it teaches, what to do, and its checkpoint."""

    key: str  # short and lower-case: it is written in the link (`path=cell.1`)
    page: str  # the page's file in views/
    title: str
    idea: str  # the one idea of the step
    todo: str  # the one thing to do in the app
    checkpoint: Checkpoint
    store: str = None  # "module:attribute" of the page's Store, or None


STEPS = [
    Step("rnn", "home.py", "What a recurrent network is",
         "A recurrent network reads a sequence one step at a time and carries a hidden state "
         "$h_t$ from step to step. A plain RNN squashes that state through tanh at every step, "
         "so what it read long ago fades.",
         "Read *What an RNN is* and *What an LSTM is* on this page, then answer the checkpoint.",
         C.RNN),
    Step("cell", "inside_cell.py", "Inside the cell: the forget gate",
         "The forget gate $f_t$ decides how much of the memory $C_{t-1}$ is kept at each step: "
         "$C_t = f_t \\cdot C_{t-1} + i_t \\cdot \\tilde C_t$.",
         "Commit your answer: the page loads a one-unit cell whose input has a spike, and you "
         "read $f_t$ and $C_t$ in the diagram and in the equations.",
         C.CELL, "ui.cell.controls:CELL"),
    Step("time", "through_time.py", "Through time: a memory's half-life",
         "A forget gate that stays at $f$ keeps $f^k$ of a memory after $k$ steps: the memory "
         "has a half-life of $\\ln 0.5 / \\ln f$ steps.",
         "Commit your answer, then press **Play** and read the ledger: kept plus written is $C_t$.",
         C.TIME, "ui.cell.controls:CELL"),
    Step("grad", "gradients.py", "Gradients: why plain RNNs forget",
         "Learning means following the gradient of the loss back through every step. Each step "
         "multiplies it by a factor; a plain RNN's factors are small, the LSTM's cell path "
         "multiplies by $f_t$, which $b_f$ keeps near 1.",
         "Commit your answer, then move the forget-gate bias $b_f$ and watch the LSTM's line.",
         C.GRAD, "ui.gradients.controls:GRAD"),
    Step("train", "training.py", "Training: who learns a long delay",
         "With the same data and budget, the model whose gradient reaches the first step learns "
         "to remember it.",
         "Commit your answer, then press **Train** and watch the two accuracy curves.",
         C.TRAIN, "ui.training.controls:TRAIN"),
    Step("forecast", "forecast.py", "Forecasting: beat tomorrow = today",
         "A forecaster is only as good as the simple forecasts it beats: repeating the last value "
         "(persistence), averaging the window, or a straight line through it.",
         "Commit your answer, then press **Train** and compare the LSTM's test RMSE with the baselines.",
         C.FORECAST, "ui.forecast.controls:FORECAST"),
    Step("text", "text.py", "Writing text: how a character goes in",
         "A character-level LSTM reads one character a step and predicts the next; how a character "
         "is fed matters: one number per character (the notes' program) or an input of its own (one-hot).",
         "Commit your answer, then press **Train**, switch the encoding and train again, and read "
         "the samples printed while it learns.",
         C.TEXT, "ui.text.controls:TEXT"),
    Step("seq2seq", "seq2seq.py", "Sequence to sequence: one vector between two LSTMs",
         "An encoder LSTM reads the whole input and hands a decoder LSTM only its final state "
         "$(h_T, C_T)$, a vector of fixed size; the decoder writes the answer from it one token at a time.",
         "Commit your answer, then press **Train**, read the accuracy-against-length chart, and type a "
         "longer string under *Try it*.",
         A.SEQ2SEQ, "ui.seq2seq.controls:S2S"),
    Step("sentiment", "sentiment.py", "Sentiment: the order of the words",
         "Read word by word, an LSTM can carry a *not* forward to the word it turns round; a bag of words "
         "adds up one weight per word and cannot see the order.",
         "Commit your answer, then press **Train**, type both reviews under *Try a sentence*, and watch "
         "the prediction after each word.",
         A.SENTIMENT, "ui.sentiment.controls:SENTIMENT"),
    Step("variants", "variants.py", "Variants: the same idea, other cells",
         "Peepholes let the gates read $C$; a coupled gate writes $1 - f_t$; a GRU merges the memory into "
         "$h_t$ with two gates; stacking and reading both ways add layers. Each trades parameters "
         "and time for what it can learn.",
         "Commit your answer, then read the two columns: equations, diagram, parameter count, and the race.",
         V.VARIANTS, "ui.variants.controls:VAR"),
    Step("tradeoffs", "tradeoffs.py", "Trade-offs: each disadvantage, tested",
         "Our notes list the LSTM's disadvantages: cost, short-term dependencies, overfitting, training "
         "difficulty, limited context. An experiment can show each one, and show where a claim holds "
         "only in part.",
         "Commit your answer, then press **Run** and read the accuracy against delay; then try the "
         "other experiments.",
         V.TRADEOFFS, "ui.tradeoffs.controls:TRADEOFFS"),
]
BY_KEY = {step.key: step for step in STEPS}
OPTION_COUNTS = {step.key: len(step.checkpoint.options) for step in STEPS}


def next_step(key):
    """The step after `key`, or None at the end of the path."""
    keys = [step.key for step in STEPS]
    at = keys.index(key)
    return STEPS[at + 1] if at + 1 < len(STEPS) else None
