"""The Sentiment page's settings in words: what each one is and why it matters, and the one-click
experiments.

Each experiment's sentence is a claim about what a seeded run shows; tests/ui/test_sentiment_lessons.py
trains each one at its own settings, as the page does, and checks every number and comparison in it.
"""
from ui.common.lessons import Lesson
from ui.sentiment.state import SentimentState

WHY = {  # one sentence per setting: why it matters (each widget's help)
    "embed": "Each word of the vocabulary is a learnt row of this many numbers, the x_t the LSTM reads; "
             "words used alike end up with alike rows.",
    "units": "The hidden size H: how much the LSTM can hold in C_t while it reads; it costs "
             "4·H·(embed + H + 1) weights.",
    "bidirectional": "A second LSTM reads each sentence from its end back to its start; the head reads both "
                     "directions' final states, so a word far from the end is near one of them.",
    "lr": "Adam's step size: too large and the loss jumps or diverges, too small and 300 steps are not enough.",
    "batch": "Sentences per Adam step, padded to the longest of them; larger batches give smoother, "
             "slower steps.",
    "steps": "Adam steps of the whole run: more steps fit the training sentences better, and memorise them.",
    "seed": "Seeds the initial weights, which sentences are held out and the batch order: the same seed "
            "trains the same model.",
    "sentence": "Any sentence: split into words and , . ! ?, at most 30 of them.",
}

PRESETS = (  # each sentence's claims: tests/ui/test_sentiment_lessons.py
    Lesson("An LSTM against a bag of words",
           "The page's defaults: words as rows of 8 numbers, an LSTM of 16 units, 400 Adam steps. By the end it "
           "gets every training sentence right and 94 % of the held-out ones, where the bag of words gets 55 %. "
           "The gap is where order matters: on negation the LSTM scores 93 % and the bag of words 29 %, worse "
           "than a coin; on the order pairs 100 % against exactly 50 %, since “good , not bad” and “bad , not "
           "good” are the same bag.",
           SentimentState, {}),
    Lesson("Bidirectional",
           "A second LSTM reads every sentence from its end back to its start, and the head reads both final "
           "states: twice the LSTM's weights. On these short sentences it does not beat one direction on "
           "held-out accuracy (93 % against 94 %), though its held-out loss is lower (0.16 against 0.23 nats "
           "per sentence). The prediction after each word is the model's answer for the sentence cut off at that "
           "word, read both ways; the padding section draws the backward direction's reading order.",
           SentimentState, {"bidirectional": 1}),
    Lesson("Tiny memory (H = 2)",
           "Two units: the LSTM carries just two numbers of $C_t$ through the sentence. After 400 steps it gets "
           "only 90 % of the training sentences right and 64 % of the held-out ones; on negation (32 %) it is "
           "barely above the bag of words (29 %). Compare the page's sentence word by word with the default "
           "model's.",
           SentimentState, {"units": 2}),
)
