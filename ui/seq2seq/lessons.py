"""The Sequence-to-sequence page's settings in words: what each one is and why it matters, and the
one-click experiments.

Each experiment's sentence is a claim about what a seeded run shows; tests/ui/test_seq2seq_lessons.py
trains each one at its own settings, as the page does, and checks every number and comparison in it.
"""
from ui.common.lessons import Lesson
from ui.seq2seq.state import Seq2SeqState

TASK_WHY = {  # one sentence per task, under the task picker
    "reverse": "Write the digits backwards. The first digit to write is the last one read: the nearest to "
               "the decoder.",
    "sort": "Write the same digits in increasing order. Only how many of each digit there are matters, "
            "not where they stood.",
    "add": "Write the sum of two whole numbers. Each number has n digits (12+34 has n = 2), and the "
           "answer's first digit depends on every carry.",
}

WHY = {  # one sentence per setting: why it matters (each widget's help)
    "task": "What the decoder must write for the digits the encoder read.",
    "lengths": "Every training batch draws its lengths uniformly from this range; the chart of accuracy "
               "against length also tests longer inputs, up to 12, which the model never saw.",
    "reverse_input": "Reading the input backwards (Sutskever et al., 2014) changes which input is nearest the "
                     "decoder's first output: for the reverse task it turns the task into copying.",
    "units": "The hidden size H of both LSTMs: the fixed-size vector (h_T, C_T) handed to the decoder holds "
             "2·H numbers, however long the input.",
    "lr": "Adam's step size: too large and the loss jumps; clipping at a global norm of 5 catches the worst steps.",
    "batch": "Examples per Adam step, each drawn afresh: the data never runs out, so there is nothing to "
             "memorise.",
    "steps": "Adam steps of the whole run; the accuracy is measured every few steps on a fixed set of examples.",
    "seed": "Seeds the initial weights, the training examples and the test sets: the same seed trains the "
            "same model.",
    "text": "Digits only ({longest} at most per number); for add two numbers joined by +. Spaces are ignored.",
}

PRESETS = (  # each sentence's claims: tests/ui/test_seq2seq_lessons.py
    Lesson("Reverse 1–6 digits", "", Seq2SeqState, {}),
    Lesson("A small vector (H = 8)", "", Seq2SeqState, {"units": 8}),
    Lesson("Reverse the input order", "", Seq2SeqState, {"reverse_input": 1}),
    Lesson("Sort", "", Seq2SeqState, {"task": "sort"}),
    Lesson("Add", "", Seq2SeqState, {"task": "add", "max_len": 2, "steps": 1500}),
)
