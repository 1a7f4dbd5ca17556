"""The Trade-offs page's sentences built from the engine's numbers (pure functions, no Streamlit).

The fixed sentences (what each experiment shows, the settings' help, the presets) are in lessons.py.
"""
from lstm_core import costs
from lstm_core import tradeoffs as X
from lstm_core.cells import name as cell_name

LEARNED = 0.9  # the validation accuracy that counts as "learned" in the learning-rate sweep
SAME = 0.1  # two measured times within 10 % of each other are worded as the same


def _list(parts):
    """"a", "a and b", "a, b and c"."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


NBSP = "\u00a0"  # between a number and its unit, so a line never starts with the unit


def _us(seconds):
    return f"{1e6 * seconds:.3g}{NBSP}µs"


def _ms(seconds):
    return f"{1e3 * seconds:.3g}{NBSP}ms"


def _pct(share):
    """A share in whole percent, written as the page's presets write it: "90 %"."""
    return f"{100 * share:.0f}{NBSP}%"


def cost_words(items, kinds, hidden_size, batch_size, repeats, input_size=2):
    """What the measurement shows, in numbers: each kind's time per step and per sequence at the longest
    T, the share of the input projection, and how the GRU's time compares with the LSTM's against what
    their multiply-adds predict."""
    longest = max(i["T"] for i in items)
    at = {i["kind"]: i for i in items if i["T"] == longest}
    shown = [k for k in kinds if k in at]
    steps = _list([f"{_us(at[k]['per_step'])} ({cell_name(k)})" for k in shown])
    passes = _list([f"{_ms(at[k]['seconds'])} ({cell_name(k)})" for k in shown])
    shares = _list([f"{_pct(at[k]['fraction'])} ({cell_name(k)})" for k in shown])
    text = (f"Measured here with H = {hidden_size}, a batch of {batch_size} sequences (the median CPU time of "
            f"{repeats} runs): at T = {longest}, one step took {steps}; the whole pass of {longest} steps took "
            f"{passes}. "
            f"The input projection of all {longest} steps at once was {shares} of that time; the rest is "
            "the loop that cannot start step t before step t − 1 is done.")
    text += " " + per_step_words(items, shown)
    if "gru" in at and "lstm" in at:
        text += " " + gru_against_lstm(at["gru"]["per_step"], at["lstm"]["per_step"], input_size, hidden_size)
    return text


def per_step_words(items, kinds):
    """How each kind's measured time per step went from the shortest T to the longest: the same work per
    step at every T, so a level line is what the multiply-adds predict; the words say whether it was."""
    short, long = min(i["T"] for i in items), max(i["T"] for i in items)
    step = {(i["kind"], i["T"]): i["per_step"] for i in items}
    pairs = [(k, step[k, short], step[k, long]) for k in kinds if (k, short) in step and (k, long) in step]
    went = _list([f"{_us(a)} to {_us(b)} ({cell_name(k)})" for k, a, b in pairs])
    moved = [f"of the {cell_name(k)} {'rose' if b > a else 'fell'} by {_pct(abs(b / a - 1))}" for k, a, b in pairs
             if abs(b / a - 1) > SAME]
    text = (f"Time per step from T = {short} to T = {long}: {went}. A step does the same multiply-adds at "
            "every T")
    if not moved:
        return text + f", and each time per step stayed within {_pct(SAME)} of level."
    return text + f", yet the time per step {_list(moved)}: a step's time is not only its multiply-adds."


def gru_against_lstm(gru_step, lstm_step, input_size, hidden_size):
    """The notes call the GRU "often computationally more efficient": what this measurement says of it.
    Within SAME of each other the two times count as the same: a median of a few runs varies that much."""
    work = costs.step_multiply_adds("gru", input_size, hidden_size) / costs.step_multiply_adds(
        "lstm", input_size, hidden_size)
    ratio, lead = gru_step / lstm_step, f"A GRU step does {_pct(work)} of an LSTM step's multiply-adds"
    if ratio < 1 - SAME:
        return (f"{lead} and here took {_pct(ratio)} of its time: the notes' \"often computationally more efficient\" "
                "holds in this measurement.")
    why = (" A step's time is not only its multiply-adds: the gates' elementwise work and every NumPy call cost "
           "too.")
    if ratio <= 1 + SAME:
        return (f"{lead}, yet here it took about as long ({_pct(ratio)} of its time): the notes' \"often "
                "computationally more efficient\" does not show in this measurement." + why)
    return (f"{lead}, yet here it took {ratio:.2g} times as long: the notes' \"often computationally more "
            "efficient\" does not hold for this engine at these sizes." + why)


def fit_words(history):
    """One model's lab history (run_lab items without the done item) in numbers: its accuracies at the
    last evaluated step and how far its validation loss ended above its lowest."""
    evaluated = [i for i in history if i["val_loss"] is not None and not i.get("done")]
    if not evaluated:
        return ""
    last = evaluated[-1]
    best = min(evaluated, key=lambda i: i["val_loss"])
    text = (f"Step {last['step']}: training accuracy {_pct(last['train_acc'])}, validation accuracy "
            f"{_pct(last['val_acc'])}; validation loss {last['val_loss']:.3g}")
    if best["step"] == last["step"]:
        return text + ", its lowest so far."
    ratio = last["val_loss"] / best["val_loss"]
    if ratio < 1.05:
        return text + f", about its lowest ({best['val_loss']:.3g} at step {best['step']})."
    return text + (f", {ratio:.2g} times its lowest ({best['val_loss']:.3g} at "
                   f"step {best['step']}).")


def stopped_words(steps_run, steps, kept, patience):
    """Which model the finished run keeps (the chart's star): the lab keeps the one of lowest validation
    loss whether early stopping is on or off; and, if early stopping is on, whether it ended the run."""
    model = f"the model of step {kept}, the one of lowest validation loss (the star)"
    if steps_run < steps:
        return f"Early stopping ended the training at step {steps_run} of {steps} and kept {model}."
    if not patience:
        return (f"Early stopping is off: the training ran all {steps} steps, and the lab then keeps {model}, "
                "as it does with early stopping on.")
    return (f"Early stopping did not end the training: it ran all {steps} steps, and the lab then keeps "
            f"{model}.")


def learned_words(items, kinds, lrs, steps):
    """Where each kind learned: at how many of the rates its validation accuracy reached LEARNED."""
    parts = []
    for kind in kinds:
        good = X.learned(items, kind, LEARNED)
        where = "at none" if not good else f"at {len(good)} of the {len(lrs)} ({', '.join(f'{lr:g}' for lr in good)})"
        parts.append(f"the {cell_name(kind)} {where}")
    gone = sorted({f"{i['lr']:g}" for i in items if i["diverged"]}, key=float)
    text = f"Validation accuracy of {_pct(LEARNED)} or more after {steps} steps: {_list(parts)}."
    return text + (f" Some models diverged (loss NaN or infinite) at {', '.join(gone)}." if gone else "")
