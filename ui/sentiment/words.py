"""The Sentiment page's sentences: the fixed paragraphs, and those built from the engine's numbers.

Pure functions, no Streamlit; the settings' words and the experiments are in lessons.py.
"""
import html

from lstm_core import sentiment as S

CAPTION = ("The notes list sentiment analysis among the LSTM's uses: “remembering key emotional words even if "
           "they appear far apart”. Here a word-level LSTM reads short sentences written for this app, one "
           "word a step, and the head reads its $h_t$ at the last word: positive or negative. Beside it a "
           "bag of words, which counts the words but cannot see their order. Train it, then type a "
           "sentence of your own and watch the prediction change word by word.")
CATEGORY_WORDS = {  # each kind of sentence in the file: what it tests
    "plain": "one opinion word decides",
    "negation": "“not” turns the word after it around",
    "contrast": "the clause after “but” decides",
    "intensifier": "“very”, “a bit” … before the opinion word",
    "far": "the deciding word is far from the end",
    "order": "the same words in the other order mean the opposite",
}
PRESS_TRAIN = ("Press **Train** to train the model on the training sentences. Loss and accuracy are drawn as "
               "it learns; the held-out sentences score what it learnt about sentences it never saw.")
STALE = ("This model was trained with other settings than the ones set now; press **Train** to train "
         "the new ones.")
REPLAYED = ("These exact settings were trained on this server before (by you or a classmate), so the finished "
            "run is shown at once. Change the random seed in the settings for a fresh run.")
TRY_INTRO = ("Type any sentence: it is split into words (and , . ! ?) and read one word a step. A word the "
             "training sentences never used is marked ⟨unk⟩: the model reads it as the unknown word, whose "
             "row it learnt because training reads one word in ten as ⟨unk⟩ (word dropout).")
ORDER_PAIR = ("good , not bad", "bad , not good")  # the quick buttons: the same words in two orders
MASKING = ("A batch holds sentences of different lengths, so the shorter ones are **padded** with ⟨pad⟩ at "
           "the end to the longest. **Masking** makes the pads harmless: at a pad step the cell carries its "
           "$C_t$ and $h_t$ over unchanged, no loss is read there, and the readout reads each sentence at its "
           "own last word, step length − 1 (framed). So each sentence in the batch should give exactly "
           "what it gives alone — the check below runs both.")
BACKWARD = ("A bidirectional LSTM's second direction reads each sentence from its last **real** word back to "
            "its first: the reversal happens within each length, and the pads stay at the end. Its final "
            "state is at the first word (framed), and the head reads it beside the forward direction's.")
UNMASKED = ("**Could the check fail?** The same batch read **without the mask** (every row for all {T} steps, "
            "pads and all, read out at the last step): the state the head reads moves by up to {diff_state:.2f} "
            "and P(positive) by up to {diff_p:.3f}. A pad is a zero input, but the cell still runs on it: "
            "masking is what makes padding harmless.")


def md(text):
    """Words as Markdown shows them as typed: HTML escaped, underscores (word characters) not italics."""
    return html.escape(text, quote=False).replace("_", "\\_")


def plural(n, word):
    """"1 sentence", "408 sentences"."""
    return f"{n:,} {word}" + ("" if n == 1 else "s")



def first_point(step):
    """The live chart's words before its first point."""
    return f"training: the first point comes at step {step}"


def data_title(n):
    """The data expander's label."""
    return f"The sentences: {n:,} short reviews of {len(S.CATEGORIES)} kinds, written for this app"


def split_words(n_train, n_held, vocab_size, seed):
    """How the sentences are split and how many words the model knows."""
    return (f"{plural(n_train + n_held, 'sentence')}: {n_train} train the model, {n_held} (a fifth of each kind "
            f"and label, picked by seed {seed}) are held out to test it. The training sentences use "
            f"{vocab_size - 2} distinct words, the model's vocabulary (with ⟨pad⟩ and ⟨unk⟩: {vocab_size}).")


def data_table(examples, held):
    """A Markdown table: per kind of sentence, what it tests, its positive and negative counts, how many
    are held out, and its first positive and first negative example."""
    rows = ["| kind | what it tests | positive | negative | held out | a positive one | a negative one |",
            "|---|---|---|---|---|---|---|"]
    for cat in S.CATEGORIES:
        mine = [e for e in examples if e.category == cat]
        pos, neg = [e for e in mine if e.label == 1], [e for e in mine if e.label == 0]
        first = [md(f"“{' '.join(group[0].words)}”") if group else "" for group in (pos, neg)]
        n_held = sum(e.category == cat for e in held)
        rows.append(f"| **{cat}** | {CATEGORY_WORDS[cat]} | {len(pos)} | {len(neg)} | {n_held} | {first[0]} | "
                    f"{first[1]} |")
    return "\n".join(rows)


def sentence_html(words, unknown):
    """The sentence as read: one chip per token, an unknown word struck through with ⟨unk⟩ after it."""
    chips = "".join(f'<span class="se-chip se-unk" title="not in the vocabulary: read as ⟨unk⟩">'
                    f'{html.escape(w)} <b>{html.escape(S.UNK_WORD)}</b></span>' if unk
                    else f'<span class="se-chip">{html.escape(w)}</span>' for w, unk in zip(words, unknown))
    return f'<div class="se-chips">{chips}</div>'


CSS = ("<style>.se-chips{display:flex;flex-wrap:wrap;gap:.3rem;margin:.2rem 0 .6rem}"
       ".se-chip{font-family:'Source Code Pro',monospace;font-size:1rem;padding:.1rem .5rem;border:1px solid #bbb;"
       "border-radius:.4rem;background:#f6f6f3}.se-unk{border:2px dashed #CC3311;background:#fff}"
       ".se-unk b{color:#CC3311;font-weight:600}</style>")


def known_words(vocab_words):
    """The note under the sentence box and the HTML of the vocabulary's words as chips, grouped by their
    first letter (`vocab_words`: Vocab.words, ⟨pad⟩ and ⟨unk⟩ first): so a student can type known words."""
    known = [w for w in vocab_words if w not in (S.PAD_WORD, S.UNK_WORD)]
    words = [w for w in known if w[0].isalnum()]
    marks = " ".join(w for w in known if not w[0].isalnum())
    note = (f"The model knows the {len(words)} words of its training sentences"
            + (f" (and the marks {marks})" if marks else "") + "; any other word it reads as ⟨unk⟩.")
    groups = {}
    for w in words:
        groups.setdefault(w[0], []).append(f'<span class="se-chip se-small">{html.escape(w)}</span>')
    rows = "".join(f'<div class="se-known"><b class="se-letter">{html.escape(first)}</b>{"".join(chips)}</div>'
                   for first, chips in groups.items())  # not .se-chips: those are the sentence's own
    return note, CSS + KNOWN_CSS + rows


KNOWN_CSS = ("<style>.se-known{display:flex;flex-wrap:wrap;gap:.25rem;margin:.15rem 0}"
             ".se-small{font-size:.85rem;padding:0 .4rem}.se-letter{min-width:1.2rem;"
             "font-family:'Source Code Pro',monospace}</style>")


def unknown_words(words, unknown):
    """A sentence naming the words the model reads as ⟨unk⟩, or "" when it knows them all."""
    unknown_set = sorted({w for w, u in zip(words, unknown) if u})
    if not unknown_set:
        return ""
    names = ", ".join(f"“{w}”" for w in unknown_set)
    return (f"{plural(len(unknown_set), 'word')} the training sentences never used ({names}): the model reads "
            f"{'it' if len(unknown_set) == 1 else 'them'} as ⟨unk⟩, one row for every word it does not know.")


def verdict(p_lstm, p_bow):
    """The two models' answers for the whole sentence."""
    def side(p):
        """The class a prediction picks."""
        return "positive" if p > 0.5 else "negative"
    return (f"**LSTM:** P(positive) = {p_lstm:.3f}, **{side(p_lstm)}**. **Bag of words:** P(positive) = "
            f"{p_bow:.3f}, {side(p_bow)}.")


def running_words(words, p):
    """The word after which P(positive) fell most and the one after which it rose most (from the word
    before), with both values; "" for a sentence of one word."""
    if len(words) < 2:
        return ""
    step = [b - a for a, b in zip(p[:-1], p[1:])]  # change made by words 2..n
    fall, rise = min(range(len(step)), key=step.__getitem__), max(range(len(step)), key=step.__getitem__)
    parts = []
    for k, what in ((fall, "fell"), (rise, "rose")):
        if (step[k] < 0) == (what == "fell") and step[k] != 0:
            parts.append(f"it {what} most at “{words[k + 1]}” (word {k + 2}: {p[k]:.2f} → {p[k + 1]:.2f})")
    return ("Reading on, " + " and ".join(parts) + ".") if parts else ""


def memory_words(words, dC):
    """The word that moved the cell state most, and by how much."""
    k = max(range(len(dC)), key=lambda t: dC[t])
    return f"“{words[k]}” (word {k + 1}) moved the memory most: ‖ΔC‖ = {dC[k]:.2f}."


def order_pair_words(p_lstm, p_bow):
    """The order pair's two predictions by each model (p_lstm, p_bow: one per sentence of ORDER_PAIR)."""
    a, b = ORDER_PAIR
    same = "the same number twice: the same bag of words" if p_bow[0] == p_bow[1] else "two numbers"
    return (f"The same words in two orders. LSTM: {p_lstm[0]:.3f} for “{a}”, {p_lstm[1]:.3f} for “{b}”. "
            f"Bag of words: {p_bow[0]:.3f} and {p_bow[1]:.3f}, {same}.")


def categories_verdict(lstm, bow):
    """One sentence on the per-category table: overall, and the rows where order matters."""
    parts = [f"On all held-out sentences the LSTM scores {lstm['all']:.0%}, the bag of words {bow['all']:.0%}."]
    for cat in ("negation", "order"):
        if cat in lstm:
            better = "beats" if lstm[cat] > bow[cat] else "does not beat"
            parts.append(f"On **{cat}** the LSTM ({lstm[cat]:.0%}) {better} the bag of words ({bow[cat]:.0%}).")
    return " ".join(parts)


ROUNDING = 1e-12  # differences up to this are float64 rounding (a few units of the last bit of numbers near 1)


def equality_words(max_diff_p, max_diff_state):
    """Whether the padded batch gave each sentence exactly what it gives alone, and if not by how much:
    rounding, or (beyond ROUNDING) a failed check."""
    if max_diff_p == 0.0 and max_diff_state == 0.0:
        return ("**Equal to the last bit:** every sentence's P(positive) and final state in the padded batch "
                "are exactly those of the sentence alone (the largest difference is 0.0).")
    if max(max_diff_p, max_diff_state) > ROUNDING:
        return (f"**Not equal:** the padded batch differs from the sentences alone by up to {max_diff_p:.1e} in "
                f"P(positive) and {max_diff_state:.1e} in the final states, far more than rounding: the pads "
                "reached the states.")
    p = "equal to the last bit" if max_diff_p == 0.0 else f"equal up to {max_diff_p:.1e}"
    return (f"**Equal up to rounding:** P(positive) is {p}, the final states differ by at most "
            f"{max_diff_state:.1e}, a few units of the last bit of a float64: the batch adds the same numbers "
            "in another order. The pads themselves change nothing.")


def exact(p):
    """A probability to 6 significant digits, its every digit (shortest exact decimal) on hover."""
    return f'<span title="{p!r}">{p:.6g}</span>'


def tiny(d):
    """A difference in scientific notation with two digits ("5.6e-17", kept on one line), exactly 0.0
    as "0"."""
    return "0" if d == 0 else f'<span style="white-space:nowrap">{d:.1e}</span>'


def check_table(rows, view):
    """A Markdown table (with HTML: st.markdown(..., unsafe_allow_html=True)), one row per sentence: its
    words, length, P(positive) in the batch and alone (6 significant digits, every digit on hover: two
    equal floats print alike), their difference, and the largest difference of its final state (batch
    against alone)."""
    lines = ["| sentence | words | P(positive) in the batch | alone | difference | final state |",
             "|---|---|---|---|---|---|"]
    for row, n, a, b, d in zip(rows, view["lengths"], view["p_batched"], view["p_alone"], view["state_diff"]):
        lines.append(f"| {md(' '.join(row))} | {n} | {exact(a)} | {exact(b)} | {tiny(abs(a - b))} | {tiny(d)} |")
    return "\n".join(lines)


CHECK_HOVER = ("alone: P(positive) of the sentence run by itself; difference: between the two; final state: "
               "the largest difference of the states the head reads. Hover a probability for every digit of it.")


def unmasked_table(rows, view):
    """A Markdown table, one row per sentence: P(positive) alone, and what the same batch read without
    the mask gives, with how far the state the head reads moved."""
    lines = ["| sentence | P(positive) alone | without the mask | the state read moved by |", "|---|---|---|---|"]
    for row, b, p, d in zip(rows, view["p_alone"], view["p_unmasked"], view["state_unmasked"]):
        lines.append(f"| {md(' '.join(row))} | {b:.3f} | {p:.3f} | {d:.3f} |")
    return "\n".join(lines)


def model_words(step, trained):
    """Which model the padding check runs."""
    if not trained:
        return ("No model is trained yet, so the check runs the untrained model of these settings: masking "
                "must hold for any weights.")
    return f"The check runs the trained model (step {step})."
