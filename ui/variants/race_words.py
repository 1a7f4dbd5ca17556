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
SWEEPS = {  # the races whose edge is near a seed's noise, seed by seed: (who reached the threshold first,
    # who ended more accurate: lstm_core.races.Outcome.learned and .accuracy; whether the claim held)
    "peephole": (("variant", "variant", True), ("both", "same", False), ("both", "variant", True),
                 ("variant", "same", True), ("variant", "same", True)),
    "stacked": (("variant", "same", True), ("variant", "variant", True), ("plain", "plain", False),
                ("variant", "variant", True), ("variant", "variant", True)),
}
LEARNED = {"variant": "the {V} learned first", "plain": "the {P} learned first",
           "both": "both learned about as soon", "neither": "neither learned"}
ENDED = {"variant": "the {V} ended more accurate", "plain": "the {P} ended more accurate",
         "same": "both ended about as accurate"}

PRESS_TRAIN = "Press **Train** to race both models on the same data, side by side: it takes seconds, not minutes."
REPLAYED = "This race ran on this server before, so it is replayed (the times per step are from that run)."
NEEDS_END = "Stopped before the end: the verdict needs the whole race. Press **Train** to run it again."
ONE_SEED = ("One seed is one draw of data and weights: try another race seed before trusting a gap of a "
            "few dozen steps.")


def what(config):
    """What `config`'s race tests, then the sizes of its two models (sizes)."""
    task = WHAT[config.variant].format(T=config.T, T_1=config.T - 1, gaps=config.T - 1, H=config.hidden_size)
    return f"{task} {sizes(config)}"


def sizes(config):
    """The race's model sizes and what its weights count, so they can be set beside the section above:
    "Both read I = 2 inputs a step, with H = 8 units a cell and a head of 2 outputs; ..."."""
    data = races.make_data(config.task, config.T, 1, 0)
    plain, variant = races.contenders(config.variant)
    heads = [races.head_weights(config, who) for who in (plain, variant)]
    head = (f"{heads[0]} weights each" if heads[0] == heads[1] else
            f"{heads[0]} weights for the {name(plain.key)}, {heads[1]} for the {name(variant.key)}")
    inputs = f"{data.input_size} input{'s' if data.input_size > 1 else ''}"
    return (f"Both read I = {inputs} a step, with H = {config.hidden_size} units a cell and a head of "
            f"{data.n_out} outputs. The weights and multiply-adds below count the cells only, as the section "
            f"above does, so it shows the same numbers at I = {data.input_size} (the heads add {head}).")


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
        return f"{_one_way(config, plain)} The bidirectional LSTM ended at {_percent(variant.final_acc)}, " \
               f"with {_weights(plain, variant)}."
    if config.variant == "coupled":
        return f"{ending} {learning} The coupled-gate LSTM has {_weights(plain, variant)}."
    return f"{learning} {ending} The {name(variant.who)} has {_weights(plain, variant)}; {_step_time(plain, variant)}."


def _points(value):
    return f"{100 * value:.1f} points"


def _one_way(config, plain):
    """The sentences of the best a forward model can do and where the LSTM ended against it, within or
    beyond the sampling spread of a score on the race's validation sequences (races.one_way_spread)."""
    rule, spread = races.one_way_rule(config), races.one_way_spread(config)
    gap = plain.final_acc - rule
    side = f"{_points(abs(gap))} {'above' if gap > 0 else 'below'} it"
    if abs(gap) <= spread:
        where = (f"{side}, within that spread: as good as the best forward rule, and only the luck of the "
                 "sample can put a forward model above it")
    elif gap < 0:
        where = f"{side}, more than that spread: short of the best forward rule"
    else:
        where = f"{side}, more than that spread: a forward model should not get there but by a rare draw"
    return (f"A forward-only model can at best expect {_percent(races.one_way_best(config.T))} (computed from "
            f"the marker's chance). On these {config.n_val} held-out sequences that best rule scores "
            f"{_percent(rule)}, and a score on {config.n_val} sequences moves by about ±{_points(spread)} from "
            f"one draw of them to another (two standard errors). The LSTM ended at "
            f"{_percent(plain.final_acc)}, {where}.")


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
    """How the race went over SWEEP_SEEDS at its defaults, for the races in SWEEPS (every race counted,
    the held and the others, each with why); else ""."""
    if config.variant not in SWEEPS:
        return ""
    races_run, seeds = SWEEPS[config.variant], list(SWEEP_SEEDS)
    held = [race for race in races_run if race[2]]
    text = (f"Over race seeds {seeds[0]} to {seeds[-1]} the claim held in {len(held)} of the {len(races_run)} "
            f"races: {_counted(config, held)}." if held else
            f"Over race seeds {seeds[0]} to {seeds[-1]} the claim held in none of the {len(races_run)} races.")
    others = [race for race in races_run if not race[2]]
    if held and others:
        text += f" It did not hold in the other {len(others)}: {_counted(config, others)}."
    elif others:
        text = text[:-1] + f": {_counted(config, others)}."
    return text


def _counted(config, races_run):
    """ "in 3 the peephole LSTM learned first, in 1 both learned about as soon and ..." (the likeliest first)."""
    counts = {}
    for learned, ended, _ in races_run:
        how = _how(config, learned, ended)
        counts[how] = counts.get(how, 0) + 1
    if len(counts) == 1:  # one reason for all of them
        return next(iter(counts)) if len(races_run) == 1 else f"in all {len(races_run)} {next(iter(counts))}"
    return ", ".join(f"in {n} {how}" for how, n in sorted(counts.items(), key=lambda kv: -kv[1]))


def _how(config, learned, ended):
    """Why one race went as it did: who learned first, and who ended more accurate unless that says
    nothing new (the one who learned first ended as or more accurate)."""
    plain, variant = (name(who.key) for who in races.contenders(config.variant))
    said = LEARNED[learned]
    if not (learned in ("variant", "plain") and ended in (learned, "same")):
        said += " and " + ENDED[ended].replace("both ", "")
    return said.format(V=variant, P=plain)
