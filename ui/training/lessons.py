"""The training lab's words: task names and descriptions, and the one-click experiments.

Each experiment's sentence is a claim about what training shows; tests/pages/test_training_page.py
and tests/engine/test_lab.py check the numbers behind them.
"""
from ui.common.lessons import Lesson
from ui.training.state import TrainState

TASK_NAMES = {"remember_first": "Remember the first value", "adding": "The adding problem",
              "sine": "Continue a sine wave", "parity": "Parity of a bit sequence"}
TASK_DESCRIPTIONS = {  # one sentence for students, shown under the task
    "remember_first": "The first step shows a bit (+1 or -1); after T - 1 steps of noise, "
                      "the model must say which bit it was.",
    "adding": "Each step shows a number between 0 and 1; two steps are marked, and at the end "
              "the model must give the sum of the two marked numbers.",
    "sine": "The model sees T steps of a sine wave with an unknown phase and frequency and must "
            "predict the value one step later.",
    "parity": "Each step shows a bit (0 or 1); at the end the model must say whether the number "
              "of ones was odd.",
}

INPUT_FEATURES = {  # one sentence for students: what the model's input x_t holds at each step
    "remember_first": "2 features: the value (the bit as -1 or +1 at step 1, random noise after), "
                      "and the marker (1 at step 1, 0 after).",
    "adding": "2 features: the number (between 0 and 1), and the marker (1 on the two marked "
              "steps, 0 elsewhere).",
    "sine": "1 feature: the value of the sine wave at that step.",
    "parity": "1 feature: the bit (0 or 1) at that step.",
}

TRAIN_PRESETS = (
    Lesson("LSTM remembers, RNN forgets",
           "A bit arrives at step 1 and must be reported at step 50, with noise in between. "
           "Watch the LSTM's accuracy climb to 100 % while the RNN stays at chance: its "
           "gradient from step 50 never reaches step 1.",
           TrainState, {"task": "remember_first", "T": 50}),
    Lesson("Short delay: everyone learns",
           "With a delay of 5 steps the gradient survives even in a plain RNN: all three "
           "models learn. Raise the delay and see which one keeps up.",
           TrainState, {"task": "remember_first", "T": 5}),
    Lesson("The adding problem",
           "Hochreiter & Schmidhuber's test: add the two marked numbers of a long sequence. "
           "The loss falls below the 'always guess 1' level only when a model can carry "
           "both values to the end.",
           TrainState, {"task": "adding", "T": 30, "steps": 400}),
    Lesson("A low forget bias forgets too",
           "Start the LSTM with b_f = 1 instead of 3: it keeps only σ(1) = 0.73 of its memory per "
           "step, its gradient vanishes across 50 steps like the RNN's, and it fails too.",
           TrainState, {"task": "remember_first", "T": 50, "memory_bias": 1.0, "kinds": "rnn_tanh,lstm"}),
    Lesson("Overfitting on 32 examples",
           "Only 32 training sequences: the training loss keeps falling while the "
           "validation loss turns up. Try weight decay, dropout or early stopping.",
           TrainState, {"task": "parity", "T": 8, "n_train": 32, "steps": 600, "H": 16, "kinds": "lstm"}),
)
