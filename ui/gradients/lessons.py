"""The gradients page's one-click lessons: each sets the page's controls and says what to look for.

Each sentence is a claim about the exact flows; tests/ui/test_grad_state.py checks the numbers.
"""
from ui.common.lessons import Lesson
from ui.gradients.state import GradState

GRAD_PRESETS = (
    Lesson("Sigmoid RNN vanishes",
           "The sigmoid's slope is at most 0.25, so each step back multiplies the gradient by "
           "at most 0.25·‖W_h‖: after 100 steps the sigmoid RNN's gradient is gone (look at the "
           "lowest line).",
           GradState, {"gen": "sine", "length": 100}),
    Lesson("tanh RNN vanishes more slowly",
           "tanh's slope is up to 1, so the tanh RNN loses less per step than the sigmoid RNN — "
           "but with ‖W_h‖ < 1 it still fades geometrically: compare the two RNN lines.",
           GradState, {"gen": "sine", "length": 100}),
    Lesson("LSTM with forget bias 1 keeps the gradient",
           "The LSTM's cell path is additive: going back one step multiplies the gradient by "
           "the forget gate f_t, not by a squashed matrix. With b_f = 1 many orders of magnitude "
           "more of it survives 50 steps than in either RNN; raise b_f towards 4 and watch the "
           "LSTM's lines climb towards 1.",
           GradState, {"gen": "sine", "length": 50, "forget_bias": 1.0}),
    Lesson("Large recurrent weights explode",
           "With the biases off and a zero input the state stays at 0, where tanh is linear, so "
           "each step back multiplies the gradient by W_h. Scaled by 4 its gain is above 1 and "
           "the gradient grows past 10⁶ (exploded): the weights would change drastically.",
           GradState, {"gen": "zeros", "length": 200, "scale": 4.0, "biases": 0}),
    Lesson("Clipping tames the explosion",
           "The same explosion, with the gradient clipped to norm 1: the direction is kept, but "
           "the update the weights receive is capped (see the clipping chart).",
           GradState, {"gen": "zeros", "length": 200, "scale": 4.0, "biases": 0, "clip": 1.0}),
)
BY_NAME = {p.name: p for p in GRAD_PRESETS}
