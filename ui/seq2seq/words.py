"""The Sequence-to-sequence page's sentences: the fixed paragraphs, and those built from the engine's numbers.

Pure functions, no Streamlit; the settings' words and the experiments are in lessons.py.
"""
from lstm_core import seq2seq as S
from ui.common.words import sentence

CAPTION = ("The notes' recipe for sequence-to-sequence learning: \"encoding the input sequence into a "
           "fixed-size vector and then decoding it into the output sequence\". Here on digit strings: an "
           "encoder LSTM reads the digits one a step and hands only its final state $(h_T, C_T)$ to a decoder "
           "LSTM, which writes the answer one token at a time. Train it live, then see how accuracy falls for "
           "inputs longer than the ones it trained on, and type your own digits.")
PRESS_TRAIN = ("Press **Train** to train the encoder and decoder together. The loss falls as it learns; the "
               "chart of accuracy against input length fills in every few steps, and *Try it* opens when "
               "training has finished (or when you stop it).")
STALE = ("This model was trained with other settings than the ones set now ({changed}); press **Train** to "
         "train the new ones. *Try it* uses the trained model.")
SETTING_NAMES = {"task": "task", "min_len": "shortest training length", "max_len": "longest training length",
                 "units": "units H", "reverse_input": "input reversed", "lr": "learning rate",
                 "batch_size": "batch size", "steps": "Adam steps", "seed": "random seed"}  # Seq2SeqConfig's
REPLAYED = ("These exact settings were trained on this server before (by you or a classmate), so the finished "
            "run is shown at once. Change the random seed for a fresh run.")
BOTTLENECK = ("**The bottleneck.** However long the input, the decoder receives the same $2H$ numbers, and it "
              "has only trained on the lengths shaded in the chart: past them the accuracy falls. "
              "With a smaller $H$ (the experiment *A small vector*) it falls sooner, inside the training lengths. "
              "Attention (Bahdanau et al., 2014) later changed this: at every output step the decoder looks back "
              "at every encoder state $h_1 \\ldots h_T$, weighted by how relevant each one is, instead of at one "
              "vector. This page does not build it.")
TEACHER_FORCING = ("**Teacher forcing.** In training the decoder is fed the *right* previous token, so every "
                   "position learns from a correct history and all positions of a batch train at once. At "
                   "inference there is no right answer to feed: it reads its own previous output, and one "
                   "wrong token is read by every later step. The model was never *exposed* to its own "
                   "mistakes in training (exposure bias), so after one it can go further astray than the "
                   "teacher-forced row suggests.")
TRY_IT = ("Type digits for the model to read; it writes its answer by greedy decoding (the most likely "
          "token at each step, fed back as the next input). Try one longer than any it trained on ({longer} "
          "digits, say) and see where teacher forcing and its own outputs part.")
MARKS = ("**▶** START: the decoder's first input, in place of a previous token · **■** END: the decoder "
         "writes it when the answer is done")
HELD_COUNT = 256  # the engine's fixed accuracy set: inputs of the training lengths mixed (seq2seq._run's `held`)
TASK_NAMES = {"reverse": "reverse: 123 → 321", "sort": "sort: 312 → 123", "add": "add: 12+34 → 46"}


def stale(trained, now):
    """STALE, naming each setting of the model's Seq2SeqConfig `trained` that differs from `now`'s (a guided
    path checkpoint, for one, loads the page's defaults: a run of another seed is then stale)."""
    def shown(value):
        return ("on" if value else "off") if isinstance(value, bool) else f"{value:g}" if isinstance(value, float) \
            else str(value)
    changed = [f"{name} {shown(getattr(trained, field))}, now {shown(getattr(now, field))}"
               for field, name in SETTING_NAMES.items() if getattr(trained, field) != getattr(now, field)]
    return STALE.format(changed="; ".join(changed) or "none of the page's own")



def length_axis(task):
    """The accuracy-against-length chart's x axis title: what a length n counts."""
    return "digits per number n" if task == "add" else "input length n (digits)"


def scores_words(item, lengths):
    """The newest item's accuracy at the training lengths, in words, and why the length chart's bars (other
    test inputs) need not agree with it."""
    lo, hi = lengths
    span = f"length {lo}" if lo == hi else f"lengths {lo}–{hi}"
    return (f"Step {item['step']}: {item['accuracy']:.0%} of answers exactly right on a fixed set of "
            f"{HELD_COUNT} inputs of the training {span} mixed ({item['token_accuracy']:.0%} of the output "
            f"tokens), loss {item['loss']:.3f} nats per token. The bars below test {S.EVAL_COUNT} other inputs "
            "of each length, so at a training length a bar can differ from this by a few points.")


def verdict(text, written, right, correct):
    """The input, what the model wrote (up to its END), and whether that is the whole right answer
    (`correct`), as one line of Markdown."""
    mark = ":blue[**✓ right**]" if correct else f":red[**✗ wrong**]: the right answer is `{right}`"
    return f"#### `{text}` → `{written or '(nothing)'}` &nbsp; {mark}"


def bad_text(err, fallback):
    """Why a (linked or kept) input cannot be read by this model, and what is used instead."""
    return f"{sentence(err)} Showing the example {fallback!r} instead."


def read_order(task, text, reversed_input):
    """What the encoder reads, in words, for the diagram's caption."""
    tokens = len(text)
    how = "from its last token to its first (the input reversed)" if reversed_input else "from first to last"
    what = "digits and the +" if task == "add" else "digits"
    return f"The encoder read {tokens} tokens ({what}) {how}; the decoder started from its final $(h_T, C_T)$."


def tokens(ids):
    """Token ids as the page writes them."""
    return [S.show_token(i) for i in ids]
