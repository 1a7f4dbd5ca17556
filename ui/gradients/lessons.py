"""The gradients page's one-click lessons: each sets the page's controls, opens the view that makes
its point, and says where to look.

Every number and claim in a sentence is checked against the exact flows by
tests/ui/test_grad_state.py; "vanished" and "exploded" are lstm_core.flow's VANISHED and EXPLODED.
"""
from ui.common.lessons import Lesson
from ui.gradients.state import GradState

EXPLOSION = {"gen": "zeros", "length": 200, "scale": 4.0, "biases": 0}  # the state stays at 0

GRAD_PRESETS = (
    Lesson("Sigmoid RNN vanishes within 10 steps",
           "Only 10 steps, and the sigmoid RNN's gradient is gone: 1.49 × 10⁻⁸ of it reaches step 1 "
           "(the metrics: vanished), while the tanh RNN keeps 0.00266. Why: in the lower chart the "
           "sigmoid's slope φ′ never passes 0.25, so each step back multiplies its gradient by at most "
           "about 0.25 (its gain); tanh's slope reaches 1 and its gain is about 1. The gain is only the "
           "most a step can keep: the tanh RNN still loses about half of its gradient a step (next lesson).",
           GradState, {"length": 10, "view": "factors"}),
    Lesson("tanh RNN vanishes more slowly",
           "Look at the top chart. On its log axis both RNN lines fall straight to the left: each step "
           "back multiplies the gradient by about the same factor, on average ×0.54 for the tanh RNN and "
           "×0.14 for the sigmoid RNN. tanh's slope φ′ reaches 1, the sigmoid's only 0.25, so tanh "
           "loses less per step, but over 99 steps back its gradient has vanished too: "
           "1.80 × 10⁻²⁷ against 1.29 × 10⁻⁸⁴.",
           GradState, {"length": 100}),
    Lesson("LSTM at b_f = 1: far better than an RNN, still vanishing at 50 steps",
           "One step back along the LSTM's cell path multiplies the gradient by the forget gate f_t. "
           "With b_f = 1, f_t ≈ σ(1) ≈ 0.73 (f̄ under the LSTM's metric): a half-life of 2.2 steps, so "
           "49 steps back are 22 half-lives and the cell path keeps ∏ f = 2.25 × 10⁻⁷ (the lower "
           "chart). What reaches step 1, 4.12 × 10⁻⁴, is 10¹⁰ times the tanh RNN's, yet under 10⁻³: "
           "vanished.",
           GradState, {"length": 50, "forget_bias": 1.0, "view": "factors"}),
    Lesson("LSTM at b_f = 4: the gradient survives 100 steps",
           "With b_f = 4, f_t ≈ σ(4) ≈ 0.98: a half-life of 38 steps, so over 99 steps back the cell "
           "path keeps ∏ f = 0.173 (the lower chart) and 0.0996 of the gradient reaches step 1: "
           "survived, while every other cell's has vanished. The training lab's LSTM starts at "
           "b_f = 3 (f ≈ 0.95, half-life 14 steps): set it here and the gradient survives 100 steps "
           "too; at b_f = 1 it vanishes.",
           GradState, {"length": 100, "forget_bias": 4.0, "view": "factors"}),
    Lesson("Large recurrent weights explode",
           "Every recurrent matrix is scaled by 4, the biases are off (all but the LSTM's forget bias "
           "b_f, still 1) and the input is zero, so the state stays at 0, where tanh is linear: each step "
           "back multiplies the tanh RNN's gradient by its scaled weights 4·W_h, on average ×2.38, so it "
           "passes 10⁶ only 17 steps back from the loss at step 200 (the warnings). The LSTM explodes "
           "later, 50 steps back, growing ×1.34 per step: at C = 0 its gates i_t = o_t = σ(0) = 0.5 "
           "shrink its h path to 0.5 · 0.5 · 4·W_c (its scaled candidate weights), and the cell path "
           "adds f_t = σ(1) ≈ 0.73. The lower chart shows the RNNs' gains (upper bounds) per step above 1.",
           GradState, {**EXPLOSION, "view": "factors"}),
    Lesson("Clipping caps the update, not the gradient",
           "The same explosion, clipped at 1. The backward pass is unchanged: the per-step gradients "
           "still pass 10⁶ and the metrics still say exploded. Clipping acts afterwards: it rescales "
           "all the weights' gradients together (their global norm) to at most 1, keeping the "
           "direction, so one SGD step (lr = 0.1) moves the tanh RNN's weights by 0.1 instead of "
           "1.43 × 10⁷⁴: compare the bars in the chart below.",
           GradState, {**EXPLOSION, "clip": 1.0, "view": "clipping"}),
)
BY_NAME = {p.name: p for p in GRAD_PRESETS}
OLD_NAMES = {  # lessons renamed since links were shared: old name -> today's
    "Sigmoid RNN vanishes": "Sigmoid RNN vanishes within 10 steps",
    "LSTM with forget bias 1 keeps the gradient":
        "LSTM at b_f = 1: far better than an RNN, still vanishing at 50 steps",
    "Clipping tames the explosion": "Clipping caps the update, not the gradient",
}
