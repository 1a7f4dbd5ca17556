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
    Lesson("Reverse 1–6 digits",
           "The default run: reverse strings of 1 to 6 digits, H = 64, 600 steps. By the end it reverses at "
           "least 98 % of the test inputs of each of those lengths. Past them the accuracy falls with every "
           "digit more: most 7-digit inputs are still right, about half of the 8-digit ones, almost none of 9 "
           "and none from 10 on. It never saw more than 6 digits.",
           Seq2SeqState, {}),
    Lesson("A small vector (H = 8)",
           "The same run with H = 8: the vector handed to the decoder holds 16 numbers instead of 128. After "
           "the same 600 steps it gets every 1- and 2-digit input right, but the accuracy falls inside the "
           "training lengths already: about 9 in 10 at 3 digits, 4 in 10 at 5 and 2 in 10 at 6, where H = 64 "
           "gets at least 98 % at each.",
           Seq2SeqState, {"units": 8}),
    Lesson("Reverse the input order",
           "The encoder reads 123456 as 654321, so reversing becomes copying: the first digit to write is the "
           "first one read, the farthest from the decoder. The old trick (Sutskever et al., 2014) reversed a "
           "translation's input so that the first words to write are read last; on this task the plain order "
           "already does that, and reading backwards lengthens the path. It learns more slowly: 90 % of the "
           "answers are right first at step 320, against step 200 in the plain order, and after 600 steps it "
           "is at 92 % where the plain order is at 100 %.",
           Seq2SeqState, {"reverse_input": 1}),
    Lesson("Sort",
           "Sorting needs only how many of each digit the input holds: ten counts, whatever their order. It "
           "learns faster than reversing (97 % right at step 100, where reverse is at 56 %) and carries further "
           "past its training lengths: 92 % of the 8-digit inputs and 45 % of the 9-digit ones, where reverse "
           "gets 50 % and 5 %.",
           Seq2SeqState, {"task": "sort"}),
    Lesson("Add",
           "Add two numbers of 1 or 2 digits, in a longer run of 1,500 steps. Every one-digit sum is right by "
           "step 400, but two-digit sums come slowly: about 1 in 4 at step 1,000 and 3 in 4 by the end. Sums of "
           "three-digit numbers, never seen, are all wrong.",
           Seq2SeqState, {"task": "add", "max_len": 2, "steps": 1500}),
)
