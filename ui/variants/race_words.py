"""The words of the Variants page's training race: what each race tests, the result line and the verdict.

Pure functions of the engine's numbers (lstm_core.races: a RaceConfig and its Standings); the verdict
says whether the claim made for the variant (CLAIMS) holds in this race, and the numbers it rests on.
"""
from lstm_core import races
from lstm_core.cells import name as cell_name

NAMES = {**{who.key: cell_name(who.kind) for who in (races.PLAIN, *races.VARIANT_CONTENDER.values())},
         "lstm_bi": "bidirectional LSTM", "lstm_stacked": "2-layer LSTM"}  # each contender's name on screen

WHAT = {  # one sentence per race: the task, and why the variant should differ on it
    "peephole": "A timing task: two spikes, then silence; at the last of {T} steps say how many steps lay "
                "between the spikes (1 to {gaps}). Peepholes let every gate read the cell state C directly.",
    "coupled": "A memory task: a bit at step 1, {T_1} steps of noise, then recall the bit. The coupled-gate "
               "LSTM writes exactly as much as it forgets (i_t = 1 − f_t), with a quarter fewer weights.",
    "gru": "The training lab's memory task for both: a bit at step 1, {T_1} steps of noise, then recall it. "
           "How much work does each step take, and how many steps does each need to learn it?",
    "bidirectional": "At each of {T} steps, say whether a marker comes at this step or later. A forward "
                     "LSTM has not seen the later steps; a bidirectional one also reads the sequence backwards.",
    "stacked": "Parity: is the number of +1s among {T} signs (−1 or +1) odd? One LSTM layer of {H} units "
               "against two, the second reading the first's h_t.",
}

CLAIMS = {  # what is claimed for each variant (by our notes: peepholes, GRU, bidirectional; for the coupled
    # gate and stacking, what they are used for), as the verdict names it
    "peephole": "peepholes help an LSTM time intervals",
    "coupled": "coupling the gates is about as good, with fewer weights",
    "gru": "the GRU is computationally more efficient",
    "bidirectional": "a task that needs the future needs a bidirectional LSTM",
    "stacked": "stacking a second layer helps",
}

SWEEP_SEEDS = range(5)  # the race seeds the sweeps below ran (tests/ui/test_variants_races.py runs them again)
SWEEPS = {  # the races whose edge is near a seed's noise: in how many of those seeds the claim held, and
    # who reached the threshold first (lstm_core.races.Outcome.learned) in how many
    "peephole": {"holds": 4, "learned": {"variant": 3, "both": 2}},
    "stacked": {"holds": 4, "learned": {"variant": 4, "plain": 1}},
}
LEARNED = {"variant": "the {V} learned first in {n}", "plain": "the {P} in {n}", "both": "both about as soon in {n}",
           "neither": "neither in {n}"}

PRESS_TRAIN = "Press **Train** to race both models on the same data, side by side: it takes seconds, not minutes."
REPLAYED = "This race ran on this server before, so it is replayed (the times per step are from that run)."
NEEDS_END = "Stopped before the end: the verdict needs the whole race. Press **Train** to run it again."
ONE_SEED = ("One seed is one draw of data and weights: try another race seed before trusting a gap of a "
            "few dozen steps.")


def what(config):
    """The sentence of what `config`'s race tests."""
    return WHAT[config.variant].format(T=config.T, T_1=config.T - 1, gaps=config.T - 1, H=config.hidden_size)


def name(who):
    """A contender's name on screen: "LSTM", "GRU", "2-layer LSTM", ..."""
    return NAMES[who]


def _percent(value):
    return "—" if value is None else f"{value:.1%}".replace("%", " %")


def _goal(config):
    """The threshold as the page writes it: "90 %"."""
    return f"{config.threshold:.0%}".replace("%", " %")


def _reached(standing, config):
    """ "90 % at step 330" or "not 90 % in 600 steps"."""
    goal = _goal(config)
    if standing.reached is None:
        return f"not {goal} in {standing.steps} steps"
    return f"{goal} at step {standing.reached}"


def result_line(standing, config):
    """One contender's numbers: steps to the threshold, final accuracy, CPU time per step, weights."""
    return (f"**{name(standing.who)}**: {_reached(standing, config)} · final {_percent(standing.final_acc)} · "
            f"{standing.ms_per_step:.2f} ms per step · {standing.weights} weights")


def _learning(plain, variant, config):
    """The sentence of who reached the threshold first."""
    result = races.outcome(plain, variant).learned
    if result == "neither":
        return f"Neither reached {_goal(config)} in {config.steps} steps."
    if result == "both":
        return (f"Both reached {_goal(config)} about as soon (steps {plain.reached} and "
                f"{variant.reached}).")
    first, second = (variant, plain) if result == "variant" else (plain, variant)
    later = (f"the {name(second.who)} at step {second.reached}" if second.reached is not None
             else f"the {name(second.who)} not in {config.steps} steps")
    return f"The {name(first.who)} learned first: {_goal(config)} at step {first.reached}, {later}."


def _ending(plain, variant):
    """The sentence of the final accuracies."""
    if races.outcome(plain, variant).accuracy == "same":
        return f"Both ended about as accurate: {_percent(variant.final_acc)} and {_percent(plain.final_acc)}."
    better, worse = (variant, plain) if variant.final_acc > plain.final_acc else (plain, variant)
    return (f"The {name(better.who)} ended more accurate: {_percent(better.final_acc)} against "
            f"{_percent(worse.final_acc)}.")


def _weights(plain, variant):
    """ "344 weights against 320 (7.5 % more)"."""
    change = 100 * (variant.weights - plain.weights) / plain.weights  # exact for whole and half percents
    percent = f"{abs(change):.1f}".removesuffix(".0")
    return f"{variant.weights} weights against {plain.weights} ({percent} % {'more' if change > 0 else 'fewer'})"


def _step_time(plain, variant):
    """ "6.29 ms per step against 3.56 ms"."""
    return f"{variant.ms_per_step:.2f} ms per step against {plain.ms_per_step:.2f} ms"


def _numbers(config, plain, variant):
    """The sentences behind the verdict, for the race's variant."""
    learning, ending = _learning(plain, variant, config), _ending(plain, variant)
    if config.variant == "gru":
        return f"{_per_step(plain, variant)} {learning} {_work(config, plain, variant)}{_clock(plain, variant)}"
    if config.variant == "bidirectional":
        bound, expected = races.one_way_rule(config), races.one_way_best(config.T)
        return (f"A forward-only model can at best expect {_percent(expected)} (computed from the marker's "
                f"chance; that best rule scores {_percent(bound)} on these validation sequences). The LSTM "
                f"ended at {_percent(plain.final_acc)}, the bidirectional LSTM at {_percent(variant.final_acc)}, "
                f"with {_weights(plain, variant)}.")
    if config.variant == "coupled":
        return f"{ending} {learning} The coupled-gate LSTM has {_weights(plain, variant)}."
    return f"{learning} {ending} The {name(variant.who)} has {_weights(plain, variant)}; {_step_time(plain, variant)}."


def _per_step(plain, variant):
    """ "Per time step the GRU does 240 multiply-adds to the LSTM's 320 (25 % fewer), with 272 weights ..." """
    change = 100 * (plain.multiply_adds - variant.multiply_adds) / plain.multiply_adds
    return (f"Per time step the {name(variant.who)} does {variant.multiply_adds} multiply-adds to the "
            f"{name(plain.who)}'s {plain.multiply_adds} ({change:.0f} % fewer), with {_weights(plain, variant)}.")


def _millions(work):
    return f"{work / 1e6:.1f} million"


def _work(config, plain, variant):
    """The sentence of the work each did to learn (races.work_to_learn), with a space after it; or, when
    neither learned, that only a step's work counts."""
    mine, theirs = races.work_to_learn(config, variant), races.work_to_learn(config, plain)
    if mine is None and theirs is None:
        return "So only the work of a step can be compared. "
    if mine is None or theirs is None:
        learner = plain if mine is None else variant
        return (f"Only the {name(learner.who)} learned, after "
                f"{_millions(races.work_to_learn(config, learner))} multiply-adds in all. ")
    return (f"To reach {_goal(config)} the {name(variant.who)} did {_millions(mine)} multiply-adds in all "
            f"(steps × {config.batch_size} sequences × {config.T} time steps × a step's), the "
            f"{name(plain.who)} {_millions(theirs)}. ")


def _clock(plain, variant):
    """The sentence of the measured CPU time per step, its wording following the measured numbers."""
    faster = races.outcome(plain, variant).faster_step
    said = {"variant": f"the {name(variant.who)} was faster on the clock too",
            "plain": f"the {name(plain.who)} was faster on the clock, though it does more multiply-adds",
            "same": "both were about as fast on the clock"}[faster]
    return (f"Measured on this server, the {name(variant.who)}'s step took {variant.ms_per_step:.2f} ms and the "
            f"{name(plain.who)}'s {plain.ms_per_step:.2f} ms: {said} (a clock moves with the server's load, "
            "so the verdict rests on the counts).")


def verdict(config, plain, variant):
    """Whether the variant's claim (CLAIMS) holds in this race, and the numbers it rests on."""
    holds = races.claim_holds(config, plain, variant)
    head = "holds here" if holds else "does not hold here"
    return f"**The claim — {CLAIMS[config.variant]} — {head}.** {_numbers(config, plain, variant)}"


def sweep(config):
    """How the race went over SWEEP_SEEDS at its defaults, for the races in SWEEPS; else ""."""
    if config.variant not in SWEEPS:
        return ""
    counts, seeds = SWEEPS[config.variant], list(SWEEP_SEEDS)
    plain, variant = (name(who.key) for who in races.contenders(config.variant))
    learned = ", ".join(LEARNED[side].format(V=variant, P=plain, n=n) for side, n in counts["learned"].items())
    return (f"Over race seeds {seeds[0]} to {seeds[-1]} the claim held in {counts['holds']} of the {len(seeds)} "
            f"races: {learned}.")
