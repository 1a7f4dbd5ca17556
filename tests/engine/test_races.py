"""The Variants page's training races (lstm_core/races.py): every verdict the page prints at the defaults,
the tasks' labels, the best a forward-only model can do.

The five default races run once for the module (~14 s of CPU in all). No test here reads a clock: the
verdicts rest on seeded counts, and each race's CPU time is measured in benchmarks/variant_races.py.
"""
import dataclasses

import numpy as np
import pytest

from lstm_core import races as R
from lstm_core.costs import model_param_count, step_multiply_adds
from lstm_core.model import Model
from lstm_core.variants import VARIANTS


@pytest.fixture(scope="module")
def defaults():
    """{variant: (config, items)} of every default race at seed 0."""
    configs = {variant: R.race_config(variant, 0) for variant in VARIANTS}
    return {variant: (config, list(R.run_race(config))) for variant, config in configs.items()}


def _table(defaults, variant):
    config, items = defaults[variant]
    plain, variant_standing = R.standings(config, items).values()
    return config, plain, variant_standing


def test_every_variant_of_the_page_has_a_race_against_the_plain_lstm():
    assert set(R.DEFAULTS) == set(VARIANTS) == set(R.VARIANT_CONTENDER)
    for variant in VARIANTS:
        plain, other = R.contenders(variant)
        assert plain == R.PLAIN and other != plain


@pytest.mark.parametrize("variant", VARIANTS)
def test_each_default_race_runs_both_models_for_all_its_steps(defaults, variant):
    config, items = defaults[variant]
    assert len(items) == 2 * config.steps


def test_peepholes_learn_the_timing_task_first_and_end_more_accurate(defaults):
    config, plain, peep = _table(defaults, "peephole")
    assert R.outcome(plain, peep).learned == "variant" and R.outcome(plain, peep).accuracy == "variant"
    assert peep.reached < plain.reached - R.TIE_STEPS and peep.final_acc > plain.final_acc + R.TIE_POINTS
    assert R.claim_holds(config, plain, peep)
    assert (peep.weights, plain.weights) == (344, 320)  # I = 1, H = 8: the notes' 3·H peephole weights more


def test_the_coupled_gate_ends_as_accurate_with_a_quarter_fewer_weights_but_learns_later(defaults):
    config, plain, coupled = _table(defaults, "coupled")
    result = R.outcome(plain, coupled)
    assert result.accuracy == "same" and coupled.final_acc >= 0.99 and plain.final_acc >= 0.99
    assert result.learned == "plain"  # the verdict says the LSTM learned first
    assert coupled.weights == 0.75 * plain.weights == 264  # I = 2, H = 8
    assert R.claim_holds(config, plain, coupled)
    assert R.judgement(result) == "plain_sooner"


def test_the_gru_does_fewer_multiply_adds_a_step_but_more_in_all_to_learn(defaults):
    """The verdict rests on counts: 240 multiply-adds a step against 320, 272 weights against 352 (I = 2,
    H = 8), but 90 % at step 70 against 30, so 70·240 > 30·320: more work to learn. No clock is read."""
    config, lstm, gru = _table(defaults, "gru")
    assert (gru.multiply_adds, lstm.multiply_adds) == (240, 320) and (gru.weights, lstm.weights) == (272, 352)
    assert (gru.reached, lstm.reached) == (70, 30)
    assert R.work_to_learn(config, gru) == 70 * 32 * 50 * 240 > R.work_to_learn(config, lstm) == 30 * 32 * 50 * 320
    result = R.outcome(lstm, gru)
    assert result.learned == "plain" and result.accuracy == "same"
    assert not R.claim_holds(config, lstm, gru)
    assert not R.claim_holds(config, lstm, dataclasses.replace(gru, ms_per_step=lstm.ms_per_step / 10))


def test_the_clock_is_reported_by_outcome_with_a_tie_but_no_verdict_reads_it():
    plain = R.Standing("lstm", 300, 30, 1.0, 3.0, 352, 320)
    for ms, side in ((2.0, "variant"), (4.0, "plain"), (3.1, "same"), (2.9, "same")):
        assert R.outcome(plain, dataclasses.replace(plain, who="gru", ms_per_step=ms)).faster_step == side
    for variant in VARIANTS:
        config = R.race_config(variant)
        other = dataclasses.replace(plain, who=R.VARIANT_CONTENDER[variant].key, reached=100, multiply_adds=240)
        verdicts = {R.claim_holds(config, plain, dataclasses.replace(other, ms_per_step=ms)) for ms in (0.1, 30.0)}
        assert len(verdicts) == 1, variant


def test_work_to_learn_is_none_until_the_threshold_and_the_gru_claim_follows_it():
    config = R.race_config("gru")
    lstm = R.Standing("lstm", 300, None, 0.6, 3.0, 352, 320)
    gru = R.Standing("gru", 300, None, 0.6, 3.0, 272, 240)
    assert R.work_to_learn(config, lstm) is None
    assert R.claim_holds(config, lstm, gru)  # neither learned: a step's work decides, 240 < 320
    assert R.claim_holds(config, lstm, dataclasses.replace(gru, reached=290))  # only the GRU learned
    assert not R.claim_holds(config, dataclasses.replace(lstm, reached=290), gru)  # only the LSTM did


def test_the_bidirectional_lstm_learns_what_no_forward_model_can(defaults):
    config, lstm, bi = _table(defaults, "bidirectional")
    bound, spread = R.one_way_rule(config), R.one_way_spread(config)
    assert abs(lstm.final_acc - bound) <= spread  # the forward LSTM ends at the one-way rule, within its spread:
    # the page says "within that spread: as good as the best forward rule" (73.1 % against 73.0 %, ±1.1 points)
    assert bi.final_acc >= 0.99 and bi.reached is not None and lstm.reached is None
    assert R.claim_holds(config, lstm, bi)
    assert bi.weights == 2 * lstm.weights == 640


def test_two_layers_learn_parity_sooner_than_one(defaults):
    config, one, two = _table(defaults, "stacked")
    assert two.reached < one.reached - R.TIE_STEPS  # 230 against 680
    assert two.final_acc >= 0.99
    assert R.outcome(one, two).learned == "variant" and R.claim_holds(config, one, two)
    assert (two.weights, one.weights) == (864, 320)


def test_the_best_one_way_rule_scores_what_the_closed_form_expects():
    config = dataclasses.replace(R.race_config("bidirectional"), n_val=20_000)
    assert R.one_way_rule(config) == pytest.approx(R.one_way_best(config.T), abs=0.004)


def test_the_one_way_spread_is_how_far_the_rules_score_moves_between_draws_of_the_validation_set():
    """Two standard errors from one draw's per-sequence scores against the spread of 60 draws' scores."""
    config = R.race_config("bidirectional")  # 1024 sequences
    scores = [R.one_way_rule(dataclasses.replace(config, seed=seed)) for seed in range(60)]
    assert R.one_way_spread(config) == pytest.approx(2 * np.std(scores, ddof=1), rel=0.3)
    naive = 2 * np.sqrt(0.73 * 0.27 / (config.n_val * config.T))  # as if the 20 480 answers were independent
    assert R.one_way_spread(config) > 1.5 * naive  # they are not: a marker makes a run of "yes" labels


def test_the_heads_left_out_of_the_weights_are_the_models_head_arrays():
    for variant in VARIANTS:
        config = R.race_config(variant)
        data = R.make_data(config.task, config.T, 1, 0)
        for who in R.contenders(variant):
            model = Model.init(who.kind, data.input_size, 8, data.n_out, num_layers=who.num_layers,
                               bidirectional=who.bidirectional)
            cells = model_param_count(who.kind, data.input_size, 8, num_layers=who.num_layers,
                                      bidirectional=who.bidirectional)
            assert R.head_weights(config, who) == sum(a.size for a in model.arrays().values()) - cells > 0


def test_no_other_forward_rule_beats_the_one_way_rule_on_a_large_sample():
    """Any rule of (this step's input, the step) — the past is independent of the future — does no better:
    the likelier answer at each (step, input) is the one_way rule's."""
    data = R.make_data("later", 20, 20_000, seed=5)
    seen = data.xs[:, :, 0] > 0  # (T, n)
    for t in range(20):
        for mark in (False, True):
            labels = data.target[t][seen[t] == mark]
            if labels.size:
                likely = 1 - (1 - R.LATER_P) ** (20 - t - 1) > 0.5
                rule = True if mark else likely
                assert np.mean(labels == rule) >= np.mean(labels != rule) - 0.02


def test_the_interval_task_labels_the_steps_between_its_two_spikes():
    data = R.make_data("interval", 12, 500, seed=3)
    spikes = [np.flatnonzero(data.xs[:, k, 0]) for k in range(500)]
    assert all(len(s) == 2 for s in spikes)
    assert [s[1] - s[0] - 1 for s in spikes] == data.target.tolist()
    assert set(data.target.tolist()) == set(range(11)) and data.n_out == 11


def test_the_later_task_labels_each_step_by_a_marker_at_it_or_after_it():
    data = R.make_data("later", 20, 300, seed=4)
    marks = data.xs[:, :, 0] > 0
    for t in range(20):
        assert (data.target[t] == marks[t:].any(axis=0)).all()


def test_the_later_tasks_chance_is_what_a_guesser_blind_to_the_input_scores():
    data = R.make_data("later", 20, 20_000, seed=6)
    majority = data.target.mean(axis=1, keepdims=True) > 0.5  # (T, 1): each step's likelier label
    assert data.chance == pytest.approx(np.mean(data.target == majority), abs=0.004)
    assert data.chance < R.one_way_best(20)  # seeing the past helps a little: a marker now answers "yes"


def test_sign_parity_is_the_parity_of_the_plus_ones():
    data = R.make_data("sign_parity", 5, 400, seed=2)
    assert set(np.unique(data.xs)) == {-1.0, 1.0}
    assert ((data.xs[:, :, 0] > 0).sum(axis=0) % 2 == data.target).all()


def test_a_race_is_a_pure_function_of_its_config():
    config = dataclasses.replace(R.race_config("stacked", 7), steps=4, eval_every=2)
    first, second = list(R.run_race(config)), list(R.run_race(config))
    untimed = [[{k: v for k, v in item.items() if k != "ms"} for item in items] for items in (first, second)]
    assert untimed[0] == untimed[1]
    assert [(i["who"], i["step"]) for i in first] == [(w, s) for s in range(1, 5) for w in ("lstm", "lstm_stacked")]
    assert all(i["ms"] > 0 for i in first)


def test_both_contenders_start_from_the_same_weights_where_their_cells_match():
    """The stacked LSTM's first layer and the bidirectional LSTM's forward cell are the plain LSTM's."""
    plain = Model.init("lstm", 1, 8, 2, seed=3, forget_bias=3.0)
    for who in (R.VARIANT_CONTENDER["stacked"], R.VARIANT_CONTENDER["bidirectional"]):
        other = Model.init(who.kind, 1, 8, 2, num_layers=who.num_layers, bidirectional=who.bidirectional,
                           seed=3, forget_bias=3.0)
        for name, array in plain.layers[0].fwd.arrays().items():
            assert np.array_equal(array, other.layers[0].fwd.arrays()[name])


def test_weights_and_multiply_adds_count_every_layer_and_direction():
    for variant in VARIANTS:
        who = R.VARIANT_CONTENDER[variant]
        model = Model.init(who.kind, 1, 8, num_layers=who.num_layers, bidirectional=who.bidirectional)
        assert sum(a.size for a in model.arrays().values()) == model_param_count(
            who.kind, 1, 8, num_layers=who.num_layers, bidirectional=who.bidirectional)
    assert R.multiply_adds(R.VARIANT_CONTENDER["stacked"], 1, 8) == 8 * 9 * 4 + 8 * 16 * 4 == 800
    assert R.multiply_adds(R.VARIANT_CONTENDER["bidirectional"], 1, 8) == 2 * step_multiply_adds("lstm", 1, 8)


def test_standings_mid_race_count_only_what_has_run():
    config = dataclasses.replace(R.race_config("gru"), steps=12, eval_every=5)
    items = list(R.run_race(config))[:11]  # lstm through step 6, gru through step 5
    table = R.standings(config, items)
    assert table["lstm"].steps == 6 and table["gru"].steps == 5
    assert table["gru"].final_acc == items[9]["val_acc"] and table["lstm"].reached in (None, 5)


@pytest.mark.parametrize("variant, seed", [("lstm", 0), ("gru", -1), ("gru", 2**31), ("gru", 1.5), ("gru", True)])
def test_a_bad_variant_or_seed_is_refused_with_a_message(variant, seed):
    with pytest.raises(ValueError, match="variant|seed"):
        R.race_config(variant, seed)


def test_judgement_weighs_the_end_first_then_who_learned_first():
    assert R.judgement(R.Outcome("variant", "variant", "plain")) == "variant"
    assert R.judgement(R.Outcome("plain", "variant", "plain")) == "mixed"
    assert R.judgement(R.Outcome("both", "plain", "plain")) == "plain"
    assert R.judgement(R.Outcome("variant", "same", "plain")) == "variant_sooner"
    assert R.judgement(R.Outcome("neither", "same", "plain")) == "even"
