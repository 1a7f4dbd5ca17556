"""The Variants page's words: each variant's name, colour and what it changes, and the sentences
that say what the numbers mean. Every number in a sentence is filled in from the engine."""
from lstm_core.variants import PLAIN, SHAPES
from ui.common.palette import model_color

NAMES = {PLAIN: "plain LSTM", "peephole": "peephole LSTM", "coupled": "coupled-gate LSTM", "gru": "GRU",
         "stacked": "stacked LSTM (2 layers)", "bidirectional": "bidirectional LSTM"}
SHORT = {"peephole": "Peephole", "coupled": "Coupled gates", "gru": "GRU", "stacked": "Stacked",
         "bidirectional": "Bidirectional"}  # the variant picker's labels
COLORS = {variant: model_color(s.kind, num_layers=s.num_layers, bidirectional=s.bidirectional)
          for variant, s in SHAPES.items()}  # each model's colour on every page

CAPTION = ("Five variants of the LSTM from our notes and the Keras examples, each beside the plain LSTM on the "
           "same input: what its equations change, its cell with live values, what it costs, its gates and states "
           "over time, how much of the gradient reaches step 1, and a short training race.")

WHAT = {  # one sentence per variant: what it changes, and why anyone would (Markdown with $math$)
    "peephole": r"The gates also see the cell state: $f_t$ and $i_t$ read $C_{t-1}$, $o_t$ reads $C_t$, through "
                r"one weight per unit each (Gers & Schmidhuber, 2000). Meant for timing: the gates can read how "
                r"full the memory is.",
    "coupled": r"One gate decides both what to forget and what to write: $i_t = 1 - f_t$, so the cell state is "
               r"a running blend of old memory and candidate. A quarter fewer weights (Greff et al., 2017).",
    "gru": r"No separate cell state: $h_t$ is the memory. An update gate $z_t$ blends the old $h_{t-1}$ with a "
           r"candidate $n_t$ (coupled, like the coupled-gate LSTM's $i_t = 1 - f_t$), and a reset gate $r_t$ "
           r"decides how much of $h_{t-1}$ the candidate sees (Cho et al., 2014). Three weight blocks instead of "
           r"four.",
    "stacked": r"Two LSTM layers: layer 1 reads $x_t$, layer 2 reads layer 1's $h^1_t$ as its input. Each step "
               r"goes through both cells, so the model can build features of features.",
    "bidirectional": r"Two LSTMs over the same input: one reads $x_1 \ldots x_T$, the other $x_T \ldots x_1$, and "
                     r"each step's output joins both, $[\overrightarrow{h}_t, \overleftarrow{h}_t]$. Every output "
                     r"sees the whole sequence, the future too.",
}

SAME_WEIGHTS = {  # what the two models share, built from the same seed (asserted in test_variants_engine)
    "peephole": r"Built from the same seed, it has the plain LSTM's $W$ and $b$ exactly, plus the peepholes.",
    "coupled": r"Built from the same seed, it has the plain LSTM's $W_f$, $W_c$, $W_o$ and their biases; it has "
               r"no $W_i$.",
    "gru": r"Built from the same seed, its $W_r$, $W_z$, $W_n$ are the plain LSTM's $W_f$, $W_i$, $W_c$ number for "
           r"number (the same random draws), used for other gates; its biases are its own.",
    "stacked": r"Built from the same seed, its layer 1 IS the plain LSTM: the same weights, so the same $h^1_t$.",
    "bidirectional": r"Built from the same seed, its forward cell IS the plain LSTM: the same weights, so "
                     r"$\overrightarrow{h}_t$ is the plain $h_t$.",
}

REACH = {  # what "reaching step 1" means for each variant (Markdown with $math$)
    "one": r"The loss sits on the last step, $\lVert\partial L/\partial h_T\rVert = 1$, and is sent back exactly "
           r"through time (the gradients page's flow): the line is $\lVert\partial L/\partial h_t\rVert$ at "
           r"each step $t$.",
    "stacked": r"The loss sits on layer 2's last output $h^2_T$ (size 1) and is sent back exactly; the line is "
               r"what reaches layer 1's $h^1_t$, the place the plain LSTM's line measures.",
    "bidirectional": r"The loss sits on what each direction ends with, $[\overrightarrow{h}_T, \overleftarrow{h}_1]$ "
                     r"(size 1 together): the backward cell reads $x_1$ last, so step 1 is where it ends, no steps "
                     r"away. The line is $\lVert\partial L/\partial[\overrightarrow{h}_t, \overleftarrow{h}_t]\rVert$. "
                     r"(torch's `output[-1]` holds $\overleftarrow{h}$ after reading $x_T$ only: a loss there would "
                     r"reach step 1 through the forward cell alone.)",
}

TIME_NOTE = {  # the over-time chart's subtitle after "gates above, states below": what its dashes and colours are
    "gru": "; the GRU's z, r, n in the colours of the LSTM's f, i, C̃",
    "stacked": "; solid: layer 1 (the plain LSTM itself), dashed with open dots: layer 2",
    "bidirectional": "; solid: the forward cell (the plain LSTM itself), "
                     "dashed with open dots: the backward cell",
}

MULTIPLY_ADDS = ("Each gate's weight block multiplies [h_{t−1}, x_t]: H·(H+I) multiply-adds a block, one step of "
                 "one cell; a peephole adds H. The steps of a sequence run one after another, each waiting for "
                 "h_{t−1}.")

GRU_FORMS = (r"The engine computes torch's form (`torch.nn.GRU`, Keras with `reset_after=True`): the reset "
             r"gate scales $W_{nh} h_{t-1} + b_{hn}$ after the matrix product. Cho et al. (2014) wrote it before "
             r"the product, on $h_{t-1}$ itself: the two are different functions, and this is the one torch and "
             "cuDNN run, because its h part can be computed for all three gates in one product.")


def name(variant):
    """The variant's name on screen."""
    return NAMES[variant]


def heading(variant):
    """The variant's section heading: "Peephole LSTM against the plain LSTM"."""
    name = NAMES[variant]
    return f"{name[0].upper()}{name[1:]} against the plain LSTM"


def reach_sentence(plain, variant, reach_plain, reach_variant, T):
    """One sentence comparing what reaches step 1, with both numbers and their ratio."""
    if T == 1:
        return "With one step, step 1 is the last step: nothing has to travel back."
    ratio = reach_variant / reach_plain if reach_plain > 0 else float("inf")
    how = ("about as much as" if 0.8 <= ratio <= 1.25 else f"{ratio:.3g} times as much as" if ratio > 1
           else f"{1 / ratio:.3g} times less than")
    return (f"Over T = {T} steps, {_sci(reach_variant)} of the gradient reaches step 1 in the {NAMES[variant]}, "
            f"{how} in the {NAMES[plain]} ({_sci(reach_plain)}).")


def _sci(x):
    """A gradient size as the page writes it: 3 significant digits."""
    return f"{x:.3g}"

