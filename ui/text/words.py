"""The Writing-text page's sentences: the fixed paragraphs, and those built from the engine's numbers.

Pure functions, no Streamlit; the settings' words and the experiments are in lessons.py.
"""
import html

from lstm_core import text as T
from ui.common.words import sentence

CAPTION = ("A character-level LSTM reads text one character a step and learns to predict the next one. "
           "The page opens on the char-rnn way: each character an input of its own (one-hot), the next "
           "character predicted at every step, 128 units. The notes' second Keras program (windows of 40 "
           "characters, each one integer feature divided by the vocabulary size, `LSTM(256)` → "
           "`Dense(softmax)`, Adam, batch 64) is the preset *The seed's recipe*. Both run in the app's NumPy "
           "engine, live: watch the loss fall and words emerge in the samples, then write from your own seed "
           "at any temperature.")
PRESS_TRAIN = ("Press **Train** to train the model on the corpus. The loss falls as it learns, and a fresh "
               "sample is printed every few steps; generation opens when it has finished (or when you stop it).")
STALE = ("This model was trained with other settings or another corpus than the ones set now; press **Train** "
         "to train the new ones.")
LOADED = ("Generating with the loaded model **{name}**{after}; its units are read on the corpus shown above.")
LOADED_AFTER = ", loaded after the last run"  # said only when there was a run
REPLAYED = ("These exact settings were trained on this server before (by you or a classmate), so the finished "
            "run is shown at once. Change the random seed under *The recipe* for a fresh run.")
SIDE_BY_SIDE = (0.2, 0.5, 1.0, 1.5)  # the temperatures of "the same seed at several temperatures"
OWN_LIMITS = (f"A UTF-8 text of at most {T.MAX_CHARS:,} characters with at most {T.MAX_VOCAB} distinct "
              "characters, long enough for two windows (training and held out).")
TEMPERATURE = ("**Temperature** $T$ divides the model's scores (logits) $z$ before the softmax: "
               r"$p_k = e^{z_k / T} / \sum_j e^{z_j / T}$. Below 1 it piles the probability on the likeliest "
               "characters ($T \\to 0$ is greedy); $T = 1$ is the model's own distribution; above 1 it spreads "
               "the probability over the unlikely ones.")


def plural(n, word):
    """"1 character", "856 characters"."""
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def corpus_words(text, cfg):
    """The corpus's size, split and how many windows or chunks an epoch gives."""
    n_train, n_test = T.split(len(text), cfg.holdout)
    per_epoch = T.samples_per_epoch(n_train, cfg)
    unit = "window" if cfg.target == "last" else "chunk"
    how = (f"windows of {cfg.window} at every start, each predicting the character after it"
           if cfg.target == "last" else f"non-overlapping chunks of {cfg.window}, predicting at every step")
    return (f"{plural(len(text), 'character')}, {len(set(text))} distinct: the first {n_train:,} train, "
            f"the last {n_test:,} ({cfg.holdout:.0%}) are held out. One epoch is "
            f"{plural(per_epoch, unit)} ({how}), {plural(-(-per_epoch // cfg.batch_size), 'Adam step')} "
            f"at batch {cfg.batch_size}.")


def chips(chars):
    """The vocabulary as HTML chips, one per character (space, newline, tab named)."""
    named = {" ", "\n", "\t"}
    spans = "".join(f'<span class="text-chip">{html.escape(T.show_char(ch) if ch in named else ch)}</span>'
                    for ch in chars)
    return f'<div class="text-chips">{spans}</div>'


TEXT_CSS = ("<style>.text-chips{display:flex;flex-wrap:wrap;gap:.25rem;margin:.2rem 0 .6rem}"
            ".text-chip{font-family:'Source Code Pro',monospace;font-size:.9rem;padding:.05rem .45rem;"
            "border:1px solid #ccc;border-radius:.4rem;background:#f6f6f3;white-space:pre}"
            ".text-out{font-family:'Source Code Pro',monospace;font-size:.95rem;white-space:pre-wrap;"
            "line-height:1.5;padding:.6rem .8rem;border:1px solid #ddd;border-radius:.5rem;background:#fafaf7;"
            "margin:0 0 .5rem}.text-out .seed{color:#777}.text-out .at{background:#0077BB;color:white;"
            "border-radius:.15rem;outline:2px solid #0077BB}.text-samples summary{cursor:pointer;margin:.2rem 0 .4rem}"
            ".text-step{font-size:.95rem;color:#555;margin:.1rem 0}</style>")


def first_lines(text, n=6):
    """The corpus's first n lines."""
    return "\n".join(text.splitlines()[:n])


def samples_title(length, temperature):
    """The heading of the samples printed while training."""
    return (f"**Samples while training** (newest first: {length} characters at T = {temperature:g} from the "
            "corpus's first window)")


def first_loss(step):
    """The live chart's words before its first point."""
    return f"training: the first loss comes at step {step}"



def samples_html(items):
    """Every sample of the run, newest first, each under its step and loss, in monospace: the newest
    in full, the earlier ones folded under one line that opens them (no box cuts a sample off)."""
    blocks = [f'<div class="text-step">step {it["step"]} · loss {it["loss"]:.2f} nats/char</div>'
              f'<div class="text-out">{html.escape(it["sample"])}</div>' for it in reversed(items)]
    n = len(items) - 1  # earlier samples
    words = "1 earlier sample" if n == 1 else f"{n} earlier samples, newest first"
    earlier = f'<details><summary>{words}</summary>{"".join(blocks[1:])}</details>' if n > 0 else ""
    return f'<div class="text-samples">{"".join(blocks[:1])}{earlier}</div>'


def generated_html(seed_text, text):
    """The seed (grey) and a generated text, in monospace."""
    return f'<div class="text-out"><span class="seed">{html.escape(seed_text)}</span>{html.escape(text)}</div>'


def generation_html(generation, cursor):
    """A Generation's first row after its seed (grey), the character at `cursor` marked, each character's
    hover giving the probability it was drawn with."""
    temperature, spans = generation.temperatures[0], []
    for k, (ch, i) in enumerate(zip(generation.texts[0], generation.ids[0])):
        title = html.escape(f"character {k + 1}: {T.show_char(ch)}, p = {generation.probs[0, k, i]:.3f} "
                            f"at T = {temperature:g}")
        mark = ' class="at"' if k == cursor else ""
        shown = "⏎" + ch if ch == "\n" and k == cursor else ch
        spans.append(f'<span{mark} title="{title}">{html.escape(shown)}</span>')
    return (f'<div class="text-out"><span class="seed">{html.escape(generation.seed_text)}</span>'
            f'{"".join(spans)}</div>')


def cursor_words(generation, cursor, vocab):
    """What happened at the cursor: the character drawn and its probability."""
    ch = generation.texts[0][cursor]
    p = generation.probs[0, cursor, vocab.chars.index(ch)]
    how = "the most likely" if generation.greedy else "drawn"
    return (f"Character {cursor + 1} of {len(generation.texts[0])}: {T.show_char(ch)}, {how} with probability "
            f"{p:.3f} at T = {generation.temperatures[0]:g}.")


def bad_seed(err, default):
    """Why a seed text was refused, and what is used instead."""
    return f"{sentence(err)} The last good seed text is used: {default!r}."


