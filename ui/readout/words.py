"""The sentences of the shared explainer "How the output is read out": the three readouts' names,
shapes, when each is the one to use, and which of the app's pages use it (tests/ui/test_readout.py
checks each page's readout on its engine).

Pure data, no Streamlit. Shapes are written batch first, as Keras and PyTorch's batch_first
write them; the app's engine keeps time first, (T, B, I).
"""

READOUTS = ("many_to_one", "many_to_many", "encoder_decoder")  # the explainer's order, left to right
EXPANDER = "How the output is read out: many to one, many to many, encoder–decoder"
TITLE = "Where the answer is read"
SUBTITLE = ("Rounded boxes: LSTM steps, handing on <span style='color:{c}'><b>C</b></span> and "
            "<span style='color:{h}'><b>h</b></span> · y: what the head reads")
NAMES = {"many_to_one": "Many to one", "many_to_many": "Many to many", "encoder_decoder": "Encoder–decoder"}
SHAPES = {"many_to_one": "(B, T, I) → (B, O)",
          "many_to_many": "(B, T, I) → (B, T, O)",
          "encoder_decoder": "(B, T_in) → (B, T_out, V)"}
HERE = "this page"  # the mark on the page's own readout
WHEN = {
    "many_to_one": "One answer per sequence (a class, a score, the next value), read from $h_T$ at the last step.",
    "many_to_many": "One answer per step, in step with the input, read from $h_t$ at every step.",
    "encoder_decoder": "An output sequence of its own length, not in step with the input: one LSTM "
                       "reads, a second one writes.",
}
PAGES = {  # (page, how it uses the readout); tests/ui/test_readout.py checks each on its engine
    "many_to_one": (
        ("Training lab", "every task, at step T"),
        ("Forecasting", "a window → the next value"),
        ("Writing text", "“the character after each window”"),
        ("Sentiment", "at the last real word"),
    ),
    "many_to_many": (
        ("Writing text", "its default, “the next character at every step”, with a loss at every step"),
    ),
    "encoder_decoder": (
        ("Sequence to sequence", "the decoder gets only $(h_T, C_T)$, starts from ▶ (START), is fed its own "
                                 "last output and stops at ■ (END)"),
    ),
}
SHAPES_KEY = ("Shapes: $B$ sequences in a batch, $T$ steps, $I$ input features, $O$ outputs; $T_\\text{in}$ input "
              "tokens, $T_\\text{out}$ output positions, each a distribution over the $V$ tokens. Batch first, as "
              "Keras and PyTorch's `batch_first=True` write them; the app's engine keeps time first, "
              "$(T, B, I)$.")
BIDIRECTIONAL = ("**Bidirectional.** A bidirectional layer runs a second LSTM from the last step back to the "
                 "first, and the readout reads both directions side by side ($2H$ features): many to many "
                 r"reads $[\overrightarrow{h}_t, \overleftarrow{h}_t]$ at every step; many to one reads each "
                 "direction's final state, the forward $h$ at the last real step and the backward $h$ at "
                 "step 1, which has read the whole sequence backwards (PyTorch's `h_n`). The Sentiment page's "
                 "bidirectional option reads exactly that.")


def pages_markdown(readout):
    """The app's pages using `readout`, as one line of Markdown: each page in bold, how in brackets."""
    return " · ".join(f"**{page}** ({how})" for page, how in PAGES[readout])


def column_markdown(readout, highlight=None):
    """What stands under one diagram: the page's own mark, when to use it, and the pages using it."""
    mark = f":blue-badge[{HERE}] " if readout == highlight else ""
    return f"{mark}**{NAMES[readout]}.** {WHEN[readout]}\n\n*In this app:* {pages_markdown(readout)}."
