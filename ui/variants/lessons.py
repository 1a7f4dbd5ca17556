"""The Variants page's one-click lessons and the sentence of why each setting matters.

Each lesson's sentence is a claim about the engine's numbers at its settings (seed 0, untrained
cells); tests/ui/test_variants_lessons.py runs each one as the page does and checks every number
and comparison in it.
"""
from ui.common.lessons import Lesson
from ui.variants.state import VariantsState

WHY = {  # one sentence per setting: the widget's help
    "variant": "The variant drawn beside the plain LSTM, on the same input, with weights from the same seed.",
    "H": "Hidden units of every cell. The parameter counts grow with H², the multiply-adds of a step too.",
    "I": "Input features per step: each gate's matrix reads [h_{t−1}, x_t], H + I columns.",
    "seed": "Seeds both models' weights; the same seed gives the variant the plain LSTM's weights wherever "
            "it has the same ones.",
    "t": "The step the diagrams show (1 = the first input).",
    "unit": "The hidden unit the diagrams and the lines show: each cell works unit by unit.",
    "race_seed": "Seeds the race's data and both contenders' weights: the same seed runs the same race.",
}

PRESETS = (  # each sentence's claims: tests/ui/test_variants_lessons.py
    Lesson("Which has fewer parameters at H = 8, I = 1?",
           "The GRU: 248 against the LSTM's 320, 78 %, and 216 multiply-adds a step against 288. It has three "
           "weight blocks where the LSTM has four, and as many bias vectors, four: its candidate keeps two, b_in "
           "and b_hn, on either side of the reset gate. The coupled-gate LSTM has fewer still: 240.",
           VariantsState, {"variant": "gru"}),
    Lesson("Peepholes: the gates read the cell",
           "344 parameters, 320 + 3·8: one peephole weight per unit for each of f, i and o. Built from the "
           "same seed, the peephole LSTM has the plain one's W and b exactly, so every difference in h comes "
           "from the peepholes: on this step input, h_t differs by up to 0.05 (the most over every unit and step).",
           VariantsState, {"variant": "peephole", "gen": "step"}),
    Lesson("Coupled gates: i_t = 1 − f_t",
           "240 parameters, 75 % of the LSTM's 320. On the lines, i_t and f_t mirror each other: their sum is "
           "1 at every step, to 16 digits. With b_f = 1 the cell keeps about 3/4 of its memory and writes only "
           "about 1/4 of the candidate, and here 12 times less of the gradient reaches step 1 than in the "
           "plain LSTM.",
           VariantsState, {"variant": "coupled"}),
    Lesson("Stacked: layer 1 is the plain LSTM",
           "864 parameters: layer 1's 320 and layer 2's 544, whose gates read layer 1's 8 features instead of "
           "1 input. Built from the same seed, layer 1 is the plain LSTM itself: its $h^1_t$ equals the plain "
           "$h_t$ at every step. A step costs 800 multiply-adds against 288.",
           VariantsState, {"variant": "stacked"}),
    Lesson("Bidirectional: step 1 is no step away",
           "Over 40 steps, 5.3 × 10⁻⁴ of the gradient reaches step 1 in the plain LSTM, under the 10⁻³ line, "
           "and 0.71 in the bidirectional one: its backward cell reads $x_1$ last, so its summary "
           "$\\overleftarrow{h}_1$ sits at step 1. Its price: 640 parameters, twice 320.",
           VariantsState, {"variant": "bidirectional", "length": 40, "t": 1}),
    Lesson("A long sine: the GRU fades first",
           "Untrained at seed 0, over 40 steps the GRU keeps less of the gradient than the LSTM: 2.4 × 10⁻⁷ "
           "reaches step 1, against 5.3 × 10⁻⁴. Its update gate z_t sits near 1/2 where the LSTM's f_t "
           "sits near 3/4 (b_f = 1). Training moves both.",
           VariantsState, {"variant": "gru", "length": 40}),
)
