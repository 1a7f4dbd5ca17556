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
    "encoding": "One integer feature makes characters next to each other in the vocabulary look alike to "
                "the first layer (their inputs differ by 1/V); one-hot gives every character its own column "
                "of weights.",
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
    "init": "Where training starts: Keras draws Glorot-uniform input weights and orthogonal recurrent ones, "
            "PyTorch every weight uniform in ±1/√H, and both start the forget bias at 1.",
    "seed": "Seeds the initial weights, the batch order and the samples: the same seed trains the same model.",
    "seed_text": "The text the model continues; it reads the last `window` characters of it.",
    "length": "How many characters to write after the seed text, each drawn from the model's prediction.",
    "temperature": "Divides the logits before the softmax: below 1 the likely characters get likelier, "
                   "above 1 the unlikely ones get a chance.",
    "greedy": "Always take the most likely character (the notes' generation): the same seed text always "
              "gives the same text, whatever the temperature.",
    "cursor": "The generated character whose distribution the bars show.",
}

PRESETS = (  # each sentence's claims: tests/ui/test_text_lessons.py
    Lesson("One-hot input",
           "Every character gets its own input, and the model predicts the next character at every step "
           "of chunks of 40. Within 100 steps the training loss falls below 1 nat per character; by the "
           "end it is under 0.2 and the last sample recites the Zen word for word. The held-out loss rises "
           "meanwhile: the model memorises the 771 characters it trains on, and the last 85 are new to it.",
           TextState, {}),
    Lesson("The seed's recipe (integer feature, LSTM 256)",
           "The notes' program: one integer feature (id ÷ V), LSTM(256), one prediction per window of 40, "
           "batch 64, Adam at 0.001, Keras's initial weights, no clipping; here for 60 steps, 5 passes over "
           "its 731 windows. From step 20 on its loss stays within 0.1 of 3.11 nats per character, "
           "what a guess that knows only how often each character occurs scores: it has not learnt to read "
           "the window yet, and the samples are babble. (Keras, after the notes' 50 epochs, was at 2.70: "
           "still babble.)",
           TextState, {"encoding": "integer", "target": "last", "units": 256, "batch": 64, "lr": "0.001",
                       "steps": 60, "init": "keras", "clip": 0}),
    Lesson("Stacked 2 × 128",
           "Two LSTM layers of 128: the second reads the first one's h_t at every step, 2.5 times the LSTM "
           "weights of one layer. It starts slower: at step 80 its loss is still above 1.5 nats per "
           "character, where one layer's is below 1 (*One-hot input*). By step 200 the two are level "
           "(within 0.02 nats per character): on 771 characters a second layer does not learn faster.",
           TextState, {"layers": 2, "steps": 200}),
    Lesson("Small and fast",
           "32 units: an eighth of *One-hot input*'s weights. The loss still falls below 1 nat per character "
           "within 200 steps, but after 300 it is above 0.4, where 128 units are under 0.2 by then: fewer "
           "units memorise less. The held-out loss is lowest before step 100 and rises after it: even 32 "
           "units learn the training text by heart rather than the language.",
           TextState, {"units": 32, "steps": 300}),
)
