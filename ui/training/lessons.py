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

METRIC_NAMES = {"classify": "validation accuracy",  # the chart's and the table's name for the metric
                "regress": "validation accuracy within ±{tol:g}"}
METRIC_DEFINITIONS = {  # one sentence for students, shown under the task
    "classify": "**Validation accuracy**: the share of the validation sequences (never trained on) "
                "whose answer the model gets right.",
    "regress": "The answer is a number, so the lab counts it right when it is within ±{tol:g} of the "
               "true value. **Validation accuracy within ±{tol:g}**: the share of the validation "
               "sequences (never trained on) answered that closely. **RMSE** (root mean squared error): "
               "the typical size of the error; {guess} scores an RMSE of {rmse:.2f}.",
}
GUESSES = {"remember_first": "a coin toss", "parity": "a coin toss",  # what the chance line is
           "adding": "always answering 1 (the average sum)",
           "sine": "repeating the last value seen"}

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
           "Hochreiter & Schmidhuber's benchmark for the LSTM: add the two marked numbers of a "
           "30-step sequence, counted right within ±0.04. Every model starts on a plateau where the "
           "best it can do is always answer 1 (about 8 % right). The LSTM needs patience: after 300 "
           "steps it is still there, so this experiment trains 2000 steps (about 20 s), and the LSTM "
           "and the GRU end above 90 % while the tanh RNN stays far below. With H = 8 this LSTM is "
           "too big for the cell pages.",
           TrainState, {"task": "adding", "T": 30, "H": 8, "steps": 2000}),
    Lesson("A low forget bias forgets too",
           "One step back along the LSTM's cell path multiplies the gradient by the forget gate f_t. "
           "Start it at b_f = 1 instead of 3: f ≈ σ(1) = 0.73, a half-life of 2.2 steps, so the cell "
           "path carries σ(1)⁴⁹ ≈ 2 × 10⁻⁷ of the gradient from step 50 back to step 1, under the "
           "10⁻³ the gradients page calls vanished, and the LSTM fails like the RNN. At the lab's "
           "default b_f = 3, f ≈ σ(3) = 0.95, a half-life of 14 steps: the cell path keeps "
           "σ(3)⁴⁹ ≈ 0.09 and the LSTM learns.",
           TrainState, {"task": "remember_first", "T": 50, "memory_bias": 1.0, "kinds": "rnn_tanh,lstm"}),
    Lesson("A sine wave: the GRU starts slowly",
           "Predict the next value of a wave, counted right within ±0.1. The GRU's update gate z_t "
           "both keeps and writes: h_t = (1 − z_t) n_t + z_t h_{t−1}. The lab starts it at b_z = 3, "
           "z_t ≈ σ(3) = 0.95, so each step writes only 5 % of the new value: right for holding a bit "
           "50 steps, slow for a wave that moves every step. After these 300 steps the GRU is still "
           "near the guess (repeat the last value), while the LSTM, which writes through its own input "
           "gate (i_t ≈ 0.5), and the tanh RNN are far above it. Set the initial memory bias to 0, or "
           "train 600 steps, and the GRU learns too.",
           TrainState, {"task": "sine", "T": 50}),
    Lesson("Overfitting on 32 examples",
           "Only 32 training sequences: the training loss keeps falling while the "
           "validation loss turns up. Try weight decay, dropout or early stopping.",
           TrainState, {"task": "parity", "T": 8, "n_train": 32, "steps": 600, "H": 16, "kinds": "lstm"}),
)
