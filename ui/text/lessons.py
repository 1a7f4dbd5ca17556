"""The Writing-text page's settings in words: what each one is and why it matters, and the one-click
experiments.

Each experiment's sentence is a claim about what a seeded run shows; tests/ui/test_text_lessons.py
trains each one at its own settings, as the page does, and checks every number and comparison in it.
"""
from ui.common.lessons import Lesson
from ui.text.state import CLIP_NORM, TextState

ENCODING_NAMES = {"onehot": "one-hot: V inputs, a 1 at the character",
                  "integer": "one integer feature: id ÷ V (the notes)"}
TARGET_NAMES = {"every": "the next character at every step (char-rnn)",
                "last": "the character after each window (the notes)"}
INIT_NAMES = {"torch": "PyTorch (uniform)", "keras": "Keras (Glorot, orthogonal)"}

WHY = {  # one sentence per setting: why it matters (each widget's help)
    "corpus": "The model learns only from this text: its characters are the vocabulary, and a small "
              "text is soon memorised rather than understood.",
    "encoding": "One integer feature makes neighbouring characters look alike to the first layer (most "
                "differ by less than 1/V); one-hot gives every character its own column of weights.",
    "target": "Predicting at every step gives `window` lessons per chunk; the notes' program learns one "
              "character per window, so it sees far fewer targets per step.",
    "window": "How many characters the model reads before it predicts: it can use nothing older.",
    "units": "The hidden size H: more units remember more and cost 4·H·(I + H + 1) weights per layer.",
    "layers": "Stacked LSTMs: each layer reads the sequence of the one below it.",
    "lr": "Adam's step size: Keras's default is 0.001; too large and the loss jumps or diverges.",
    "batch": "Windows or chunks per Adam step: larger batches give smoother, slower steps.",
    "steps": "Adam steps of the whole run: more steps, a lower training loss, and more memorising.",
    "clip": f"Clips the gradient's global norm at {CLIP_NORM:g}: one long sequence's gradient can explode "
            "and one step would throw away what was learnt.",
    "init": "Where training starts. Keras: Glorot-uniform input weights, orthogonal recurrent weights; "
            "PyTorch: every weight uniform in ±1/√H; both with forget bias 1.",
    "seed": "Seeds the initial weights, the batch order and the samples: the same seed trains the same model.",
    "seed_text": "The text the model continues; it reads the last `window` characters of it.",
    "length": "How many characters to generate, one forward pass of the window each.",
    "temperature": "Divides the logits before the softmax: below 1 the likely characters get likelier, "
                   "above 1 the unlikely ones get a chance.",
    "greedy": "Always take the most likely character (the notes' generation): the same seed always gives "
              "the same text, and it often falls into a loop.",
    "cursor": "The generated character whose distribution the bars show.",
}

PRESETS = (  # each sentence's claims: tests/ui/test_text_lessons.py
    Lesson("One-hot input",
           "Every character gets its own input, and the model predicts the next character at every step "
           "of chunks of 40. Within 100 steps the training loss falls below 1 nat per character; by the "
           "end it is under 0.2 and the samples recite the Zen. The held-out loss rises meanwhile: the "
           "model memorises 770 characters and the last 85 are new to it.",
           TextState, {}),
    Lesson("The seed's recipe (integer feature, LSTM 256)",
           "The notes' program: one integer feature (id ÷ V), LSTM(256), one prediction per window of 40, "
           "batch 64, Adam at 0.001, Keras's initial weights, no clipping, here for 80 steps (7 passes "
           "over the 730 windows). Its loss stays above 3 nats per character, close to a uniform guess's "
           "3.81: the samples are babble. (Keras, after the notes' 50 epochs, was still at 2.70.) "
           "Compare *One-hot input*.",
           TextState, {"encoding": "integer", "target": "last", "units": 256, "batch": 64, "lr": "0.001",
                       "steps": 80, "init": "keras", "clip": 0}),
    Lesson("Stacked 2 × 128",
           "Two LSTM layers of 128: the second reads the first one's h_t at every step.",
           TextState, {"layers": 2}),
    Lesson("Small and fast",
           "32 units and 300 steps.",
           TextState, {"units": 32, "steps": 300}),
)
