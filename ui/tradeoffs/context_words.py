"""The words of the short-term and limited-context sections: what each shows, and the verdicts
computed from a run's numbers (lstm_core.context's summaries). Pure: no Streamlit.

Each verdict reads only the numbers it is given, so tests/ui/test_tradeoffs_context.py checks
every sentence against the seeded runs the page shows at its defaults.
"""
import itertools

HOLDS = 0.95  # an accuracy at or above this counts as "recalled" / "right almost always"
LIMITED = 0.8  # an accuracy under this, at some delay, counts as a context limited in time
COIN = 0.15  # an accuracy within this of 50 % counts as about a coin toss

SHORT_TERM_WHAT = ("**Short-term dependencies.** Each step's input xₜ is a random bit and the answer yₜ is how many "
                   "of the last k inputs were 1: nothing older matters. A window model (least squares over the last "
                   "k inputs, solved once) against an LSTM trained step by step on the same sequences.")
SHORT_TERM_CLAIM = ("The notes list \"difficulty learning short-term dependencies\" among the LSTM's disadvantages: "
                    "the run below measures how hard it is here.")
DELAY_WHAT = ("**Limited context in time.** A tanh RNN and an LSTM learn to remember the first bit (shown at "
              "step 1, asked for after the delay) at one short delay only, then are tested at delays up to 500 steps.")
ITEMS_WHAT = ("**Limited context in amount.** With the hidden size H fixed, n bits are shown one per step, then 5 "
              "steps of noise, then all n are asked for at once: one LSTM trained for each n.")
HELP = {  # one sentence per setting: each widget's help
    "k": "The answer at step t is xₜ + … + xₜ₋ₖ₊₁: the window model reads exactly these k inputs; the LSTM "
         "must learn to keep k of them and drop the one before.",
    "st_steps": "Adam steps of the LSTM (32 sequences of 20 steps each); the window model needs none, only its "
                "one least-squares solve over the training sequences.",
    "st_seed": "Seeds the sequences, the LSTM's initial weights and the batch order.",
    "ctx": "Limited in time: does what was learned at one delay hold far beyond it? Limited in amount: how many "
           "items fit in a fixed H?",
    "ctx_delay": "The delay the models are trained at; they are then tested at 10 to 500 steps.",
    "ctx_H": "Units of every LSTM trained, whatever the number of bits n it must hold.",
    "ctx_seed": "Seeds the sequences, the initial weights and the batch order.",
}
CONTEXT_CHOICES = {"delay": "against delay", "items": "against number of items"}
PRESS_RUN = "Press **Run** to train ({what}); it takes a few seconds."


def pct(x):
    """A share as a percentage a reader trusts: whole percents, but never 100 % unless it is all, nor
    0 % unless it is none."""
    if (x < 1 and round(100 * x) == 100) or (x > 0 and round(100 * x) == 0):
        return f"{100 * x:.1f} %"
    return f"{100 * x:.0f} %"


def short_term_verdict(s, k, steps):
    """The short-term run in one or two sentences, from short_term_summary's numbers `s`."""
    window = (f"The window model answers {pct(s['window_acc'])} of the steps right after its one "
              f"least-squares solve")
    if s["lstm_acc"] is None:
        return window + "; the LSTM has not been evaluated yet."
    if s["matched_step"] is not None:
        return (f"{window}; the LSTM matches it first at step {s['matched_step']} of {steps}. The LSTM does learn "
                f"this short-term dependency (k = {k}): the notes' \"difficulty\" shows here only as the "
                "training it needs, against one solve.")
    if s["lstm_acc"] <= s["guess_acc"] + 0.05:
        return (f"{window}; after {s['lstm_steps']} steps the LSTM gets {pct(s['lstm_acc'])}, no better than "
                f"always answering the average count ({pct(s['guess_acc'])}): here it has not learned it.")
    return (f"{window}; after {s['lstm_steps']} steps the LSTM gets {pct(s['lstm_acc'])} (always answering the "
            f"average count gets {pct(s['guess_acc'])}). The LSTM learns this short-term dependency (k = {k}), "
            "but more slowly and less exactly than the window model: that is the notes' \"difficulty\" here.")


def delay_verdict(summary, train_delay):
    """The delay run in two sentences: the LSTM's accuracy far beyond its training delay, then the RNN's."""
    lstm, rnn = summary["lstm"], summary.get("rnn_tanh")
    if lstm["far"] is None:
        return ""
    times = lstm["far"] / train_delay
    if lstm["worst_acc"] >= HOLDS:
        first = (f"Trained at delay {train_delay} only, the LSTM still recalls the bit {pct(lstm['far_acc'])} of the "
                 f"time at delay {lstm['far']} ({times:g} times longer), and {_every(lstm['worst_acc'])} "
                 "delay tested: here its memory is not limited in time. Once it learned to hold the bit, "
                 "it holds it.")
    else:
        T, acc = _worst(lstm["by_delay"])  # the LSTM's worst at any delay, the training one included
        first = (f"Trained at delay {train_delay}, the LSTM recalls {pct(lstm['train_acc'])} there but only "
                 f"{pct(acc)} at delay {T}: what it learned does not carry that far.")
    second = "" if rnn is None else _rnn_words(rnn, train_delay)
    return f"{first} {second}".strip()


def _every(worst):
    """"every answer right at every" or "at least 97 % at every"."""
    return "every answer right at every" if worst == 1 else f"at least {pct(worst)} at every"


def _worst(by_delay):
    """(delay, accuracy) of the lowest accuracy; the shortest such delay."""
    T = min(by_delay, key=lambda d: (by_delay[d], d))
    return T, by_delay[T]


def _rnn_words(rnn, train_delay):
    """A sentence or two on the tanh RNN trained alongside, at the delays beyond its training delay."""
    beyond = {T: acc for T, acc in rnn["by_delay"].items() if T > train_delay}
    if not beyond:
        return ""
    if rnn["train_acc"] >= HOLDS and rnn.get("next_acc") is not None and rnn["next_acc"] <= 1 - HOLDS:
        return _flip_words(rnn, train_delay)
    T, acc = _worst(beyond)
    if acc >= LIMITED:
        return f"The tanh RNN trained beside it holds on too here (at least {pct(acc)} at every longer delay)."
    below = " — worse than a coin toss, so it mostly gives the opposite answer" if acc < 0.4 else ""
    return (f"The tanh RNN trained beside it on the same data gets {pct(rnn['train_acc'])} at delay {train_delay} "
            f"but {pct(acc)} at delay {T}{below}: its context is limited in time.")


def _flip_words(rnn, train_delay):
    """The RNN right at its training delay and wrong one step later: its answer flips sign each step."""
    later = {T: acc for T, acc in rnn["by_delay"].items() if T > train_delay + 1}
    words = (f"The tanh RNN trained beside it is right {pct(rnn['train_acc'])} of the time at delay {train_delay} "
             f"but {pct(rnn['next_acc'])} at {train_delay + 1}, one step later: it did not learn to hold the bit, "
             "but an answer that flips sign every step, which lands right at the delay it was trained at.")
    if not later:
        return words
    (lo, lo_acc), (hi, hi_acc) = _worst(later), max(later.items(), key=lambda d: (d[1], -d[0]))
    far, far_acc = max(later), later[max(later)]
    if lo_acc < 0.5 - COIN:  # some later delays still get the bit, others its opposite
        swing = (f"Further on it is right or wrong by where the flips land: {pct(lo_acc)} at {lo} (under 50 % means "
                 f"it gives the opposite bit), {pct(hi_acc)} at {hi}")
    else:
        swing = f"Further on it gets {pct(lo_acc)} to {pct(hi_acc)}"
    coin = f"about a coin toss ({pct(far_acc)})" if abs(far_acc - 0.5) <= COIN else f"right {pct(far_acc)}"
    return f"{words} {swing}, and at {far} it is {coin}."


def items_verdict(by_n, hidden_size, steps):
    """The items run in one or two sentences, from items_summary's {n: share of bits recalled}."""
    if not by_n:
        return ""
    held = list(itertools.takewhile(lambda n: by_n[n] >= HOLDS, sorted(by_n)))  # every n up to the first miss
    most = max(by_n)
    lead = f"With H = {hidden_size} fixed (each model trained {steps} steps), "
    if held and held[-1] == most:
        return lead + (f"the LSTM recalls at least {pct(min(by_n.values()))} of the bits for every n up to {most}: "
                       "at these numbers of items the fixed-size state is not yet the limit.")
    if held:
        how = "perfectly" if by_n[held[-1]] == 1 else "almost perfectly"
        start = f"the LSTM recalls up to {held[-1]} bits {how} ({pct(by_n[held[-1]])})"
    else:
        start = f"the LSTM recalls {pct(by_n[min(by_n)])} of {min(by_n)} bit(s)"
    return lead + (f"{start}, but only {pct(by_n[most])} of {most} bits (a coin toss gets 50 %): "
                   "a state of fixed size holds a limited number of items.")


# One-click presets for the page's picker (ui/tradeoffs/lessons.py wraps each as a Lesson): (name, sentence,
# the settings it sets). Every number in a sentence: tests/ui/test_tradeoffs_context.py, at the settings.
SHORT_TERM_PRESETS = (
    ("Count the last 3 inputs",
     "The default run, k = 3. The window model is exact after its one least-squares solve; the LSTM gets every "
     "held-out step right too, but only from step 190 of its 300.",
     {"k": 3, "st_steps": 300, "st_seed": 0}),
    ("Only the last input (k = 1)",
     "The answer is the input itself: the LSTM matches the window model by step 60.",
     {"k": 1, "st_steps": 300, "st_seed": 0}),
    ("A wide window (k = 10)",
     "The LSTM must count ten bits and drop the eleventh: after 300 steps it rounds 87 % of the steps to the "
     "right count, where the window model gets 100 % after one solve.",
     {"k": 10, "st_steps": 300, "st_seed": 0}),
    ("A wide window, trained longer",
     "k = 10 with 1000 steps: more training narrows the gap (96 %) but does not close it.",
     {"k": 10, "st_steps": 1000, "st_seed": 0}),
)
CONTEXT_PRESETS = (
    ("Trained at delay 5, tested to 500",
     "The LSTM trained at delay 5 answers every test sequence right at every delay up to 500. The tanh RNN "
     "trained beside it is right every time at 5 and never at 6: its answer flips sign every step, so further "
     "on it is right or wrong by the delay (0.2 % at 10, 94 % at 20), not by memory.",
     {"ctx": "delay", "ctx_delay": 5, "ctx_seed": 0}),
    ("Trained at delay 2",
     "Two steps are enough for the LSTM to learn to hold the bit: it is still right every time at delay 500. "
     "The tanh RNN, right at 2 and almost never at 3, is down to about a coin toss (49 to 54 %) from delay 20 on.",
     {"ctx": "delay", "ctx_delay": 2, "ctx_seed": 0}),
    ("How many bits fit in H = 8?",
     "Up to 4 bits are recalled perfectly, 8 bits at 80 %, 24 bits at only 68 %: the more bits, the smaller the "
     "share recalled (a coin toss gets 50 %).",
     {"ctx": "items", "ctx_H": 8, "ctx_seed": 0}),
    ("A larger state (H = 16)",
     "Twice the units: 8 bits at 92 % (80 % with H = 8), but 24 bits still only at 73 %.",
     {"ctx": "items", "ctx_H": 16, "ctx_seed": 0}),
    ("A tiny state (H = 2)",
     "Two units recall 2 bits perfectly, but only 77 % of 4.",
     {"ctx": "items", "ctx_H": 2, "ctx_seed": 0}),
)


def short_term_progress(items, steps):
    """"LSTM step s of S": where a short-term run is (the window model's solve comes first, as step 0)."""
    step = items[-1]["step"] if items else 0
    return f"window model solved; LSTM step {step} of {steps}" if items else "solving the window model"


def delay_progress(items, config):
    """Where a delay run is: training (the step of each model) or testing (the delay reached)."""
    last = items[-1] if items else None
    if last is None or last["kind"] != "test":
        step = 0 if last is None else last["step"]
        return f"training: step {step} of {config.steps} for each of the {len(config.kinds)} models"
    return f"testing at delay {last['T']} (the longest: {max(config.delays)})"


def items_progress(items, config):
    """Where an items run is: which n's model trains, and its step."""
    if not items:
        return f"model for n = {config.counts[0]} (1 of {len(config.counts)}): step 0 of {config.steps}"
    last = items[-1]
    k = config.counts.index(last["n"]) + 1
    step = config.steps if last["kind"] == "result" else last["step"] - (k - 1) * config.steps
    return f"model for n = {last['n']} ({k} of {len(config.counts)}): step {step} of {config.steps}"
