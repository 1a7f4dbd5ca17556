"""The Variants page's race, without a server: its words follow the engine's numbers in every case, and its
figures draw both models as Plotly validates them (the page skips that validation: ui/common/plain.py).

The verdicts at the defaults are asserted on the engine's own numbers in tests/engine/test_races.py; here
the words are checked on hand-made standings for each branch, and once on a real (short) race.
"""
import dataclasses

import plotly.graph_objects as go
import pytest

from lstm_core import races as R
from lstm_core.variants import VARIANTS
from ui.variants import race_figures as G
from ui.variants import race_words as W
from ui.variants.races import levels


def _valid(spec):
    """The builder's dict as a validated go.Figure, after checking validation gives the dict back unchanged."""
    assert isinstance(spec, dict) and spec["layout"]["template"] == {}
    fig = go.Figure(spec)
    validated = fig.to_dict()
    assert {**validated, "layout": {**validated["layout"], "template": {}}} == spec
    return fig


def _standing(who, reached, final, ms, weights=320, multiply_adds=288):
    return R.Standing(who=who, steps=300, reached=reached, final_acc=final, ms_per_step=ms, weights=weights,
                      multiply_adds=multiply_adds)


@pytest.fixture(scope="module")
def short_race():
    """A 30-step bidirectional race (both models, three evaluations)."""
    config = dataclasses.replace(R.race_config("bidirectional", 1), steps=30, n_val=64)
    return config, list(R.run_race(config))


@pytest.mark.parametrize("variant", VARIANTS)
def test_each_race_says_what_it_tests_with_its_own_settings_then_its_models_sizes(variant):
    config = R.race_config(variant)
    text = W.what(config)
    shown = config.T - 1 if variant in ("coupled", "gru") else config.T  # the memory tasks name the noise steps
    assert text.startswith(W.WHAT[variant][:10]) and str(shown) in text and text.endswith(W.sizes(config))
    assert W.name(R.VARIANT_CONTENDER[variant].key) in {"peephole LSTM", "coupled-gate LSTM", "GRU",
                                                        "2-layer LSTM", "bidirectional LSTM"}


def test_the_race_states_its_models_sizes_and_that_its_weights_are_the_cells_as_in_the_section_above():
    """The GRU race's 272 against 352 weights are the section above's counts at I = 2 (it opens at I = 1:
    248 against 320); the heads, left out of both, are named."""
    gru = R.race_config("gru")
    assert W.sizes(gru) == ("Both read I = 2 inputs a step, with H = 8 units a cell and a head of 2 outputs. The "
                            "weights and multiply-adds below count the cells only, as the section above does, so it "
                            "shows the same numbers at I = 2 (the heads add 18 weights each).")
    assert W.sizes(R.race_config("bidirectional")).endswith(
        "at I = 1 (the heads add 18 weights for the LSTM, 34 for the bidirectional LSTM).")
    peephole = R.race_config("peephole")
    assert "I = 1 input a step" in W.sizes(peephole) and "11 outputs" in W.what(peephole)


def test_a_result_line_gives_steps_to_the_threshold_final_accuracy_time_per_step_and_weights():
    config = R.race_config("peephole")
    line = W.result_line(_standing("lstm_peephole", 330, 0.98828125, 1.7708, weights=344), config)
    assert line == "**peephole LSTM**: 90 % at step 330 · final 98.8 % · 1.77 ms per step · 344 weights"
    missed = W.result_line(_standing("lstm", None, 0.5, 1.0), config)
    assert "not 90 % in 300 steps" in missed and "final 50.0 %" in missed


def test_the_verdict_says_the_claim_holds_when_the_variant_learned_first_and_ended_better():
    config = R.race_config("peephole")
    plain, peep = _standing("lstm", 510, 0.953, 1.3), _standing("lstm_peephole", 330, 0.988, 1.8, 344, 312)
    text = W.verdict(config, plain, peep)
    assert text.startswith("**The claim — peepholes help an LSTM time intervals — holds here.**")
    assert "The peephole LSTM learned first: 90 % at step 330, the LSTM at step 510." in text
    assert "ended more accurate: 98.8 % against 95.3 %" in text and "344 weights against 320 (7.5 % more)" in text


def test_the_verdict_says_so_when_the_claim_does_not_hold():
    config = R.race_config("peephole")
    plain, peep = _standing("lstm", 300, 0.99, 1.3), _standing("lstm_peephole", 500, 0.95, 1.8, 344)
    text = W.verdict(config, plain, peep)
    assert "— does not hold here." in text and "The LSTM learned first" in text
    tie = W.verdict(config, _standing("lstm", 300, 0.99, 1.3), _standing("lstm_peephole", 310, 0.995, 1.8, 344))
    assert "does not hold here" in tie and "Both reached 90 % about as soon (steps 300 and 310)" in tie
    neither = W.verdict(config, _standing("lstm", None, 0.5, 1.3), _standing("lstm_peephole", None, 0.5, 1.8))
    assert "Neither reached 90 % in 600 steps." in neither


def test_the_coupled_verdict_rests_on_the_final_accuracy_and_names_the_weights_saved():
    config = R.race_config("coupled")
    plain, coupled = _standing("lstm", 30, 1.0, 3.0, 352), _standing("lstm_coupled", 80, 1.0, 3.0, 264)
    text = W.verdict(config, plain, coupled)
    assert "— holds here." in text and "Both ended about as accurate: 100.0 % and 100.0 %." in text
    assert "The LSTM learned first: 90 % at step 30, the coupled-gate LSTM at step 80." in text
    assert "264 weights against 352 (25 % fewer)" in text
    worse = W.verdict(config, plain, _standing("lstm_coupled", 80, 0.9, 3.0, 264))
    assert "does not hold here" in worse and "The LSTM ended more accurate: 100.0 % against 90.0 %." in worse


def test_the_gru_verdict_rests_on_the_work_to_learn_counted_not_on_the_clock():
    config = R.race_config("gru")  # B = 32, T = 50
    lstm, gru = _standing("lstm", 30, 1.0, 3.56, 352, 320), _standing("gru", 70, 1.0, 2.0, 272, 240)
    text = W.verdict(config, lstm, gru)
    assert "— does not hold here." in text  # though the GRU's step was faster on the clock
    assert "Per time step the GRU does 240 multiply-adds to the LSTM's 320 (25 % fewer), with 272 weights " \
           "against 352 (22.7 % fewer)." in text
    assert "To reach 90 % the GRU did 26.9 million multiply-adds in all (steps × 32 sequences × 50 time steps " \
           "× a step's), the LSTM 15.4 million." in text  # 70·32·50·240 and 30·32·50·320
    even = W.verdict(config, lstm, dataclasses.replace(gru, reached=40))
    assert "— does not hold here." in even and "the GRU did 15.4 million" in even  # 40·240 = 30·320: not fewer
    sooner = W.verdict(config, lstm, dataclasses.replace(gru, reached=39, ms_per_step=9.0))
    assert "— holds here." in sooner and "the GRU did 15.0 million" in sooner  # though slower on the clock


def test_the_gru_verdict_when_one_or_neither_learned():
    config = R.race_config("gru")
    lstm, gru = _standing("lstm", 30, 1.0, 3.0, 352, 320), _standing("gru", None, 0.6, 3.0, 272, 240)
    only_lstm = W.verdict(config, lstm, gru)
    assert "— does not hold here." in only_lstm
    assert "Only the LSTM learned, after 15.4 million multiply-adds" in only_lstm
    only_gru = W.verdict(config, dataclasses.replace(lstm, reached=None), dataclasses.replace(gru, reached=250))
    assert "— holds here." in only_gru and "Only the GRU learned, after 96.0 million multiply-adds" in only_gru
    neither = W.verdict(config, dataclasses.replace(lstm, reached=None), gru)
    assert "— holds here." in neither and "So only the work of a step can be compared." in neither


@pytest.mark.parametrize(("gru_ms", "said"), [
    (2.0, "the GRU was faster on the clock too"),
    (5.0, "the LSTM was faster on the clock, though it does more multiply-adds"),
    (3.1, "both were about as fast on the clock"),  # within races.TIE_CLOCK (5 %)
])
def test_the_gru_races_measured_time_gets_its_own_sentence_worded_by_the_numbers(gru_ms, said):
    config = R.race_config("gru")
    lstm, gru = _standing("lstm", 30, 1.0, 3.0, 352, 320), _standing("gru", 70, 1.0, gru_ms, 272, 240)
    text = W.verdict(config, lstm, gru)
    assert f"Measured on this server, the GRU's step took {gru_ms:.2f} ms and the LSTM's 3.00 ms: {said} " \
           "(a clock moves with the server's load, so the verdict rests on the counts)." in text
    assert "— does not hold here." in text  # the clock never changes the verdict


def test_the_gru_verdict_at_the_defaults_as_the_page_prints_it():
    """Seed 0's race (~3 s): the counts decide; the clock's sentence follows what was measured."""
    config = R.race_config("gru", 0)
    lstm, gru = R.standings(config, list(R.run_race(config))).values()
    text = W.verdict(config, lstm, gru)
    assert text.startswith("**The claim — the GRU is computationally more efficient — does not hold here.**")
    assert "The LSTM learned first: 90 % at step 30, the GRU at step 70." in text
    assert "the GRU did 26.9 million multiply-adds in all" in text and "the LSTM 15.4 million." in text
    said = {"variant": "the GRU was faster", "plain": "the LSTM was faster", "same": "about as fast"}
    assert said[R.outcome(lstm, gru).faster_step] in text


def test_the_bidirectional_verdict_names_the_one_way_bound_computed_and_on_the_validation_set():
    config = R.race_config("bidirectional")
    bound, spread = R.one_way_rule(config), R.one_way_spread(config)
    lstm, bi = _standing("lstm", None, bound, 1.4), _standing("lstm_bi", 60, 1.0, 2.4, 640)
    text = W.verdict(config, lstm, bi)
    assert "— holds here." in text
    assert f"{R.one_way_best(20):.1%}".replace("%", " %") in text and f"{bound:.1%}".replace("%", " %") in text
    assert f"moves by about ±{100 * spread:.1f} points from one draw of them to another" in text
    beyond = W.verdict(config, dataclasses.replace(lstm, final_acc=bound + 0.05), bi)
    assert "does not hold here" in beyond  # a forward model past the bound would contradict the sentence


@pytest.mark.parametrize(("shift", "said"), [
    (0.001, "0.1 points above it, within that spread: as good as the best forward rule, and only the luck of "
            "the sample can put a forward model above it."),
    (-0.004, "0.4 points below it, within that spread"),
    (-0.05, "5.0 points below it, more than that spread: short of the best forward rule."),
    (0.05, "5.0 points above it, more than that spread: a forward model should not get there but by a rare draw."),
])
def test_the_forward_lstm_against_the_best_rule_is_worded_by_the_sampling_spread(shift, said):
    """Seed 0's sentence: the LSTM 0.1 points above the rule is within the spread (±1.1 points on 1024
    sequences), so the page says it is as good as the best rule, not better."""
    config = R.race_config("bidirectional")
    assert 0.005 < R.one_way_spread(config) < 0.02  # the cases above straddle it
    lstm = _standing("lstm", None, R.one_way_rule(config) + shift, 1.4)
    text = W.verdict(config, lstm, _standing("lstm_bi", 60, 1.0, 2.4, 640))
    assert f"The LSTM ended at {100 * lstm.final_acc:.1f} %, {said}" in text


def test_the_verdict_of_a_real_race_follows_its_numbers(short_race):
    config, items = short_race
    plain, bi = R.standings(config, items).values()
    text = W.verdict(config, plain, bi)
    assert ("— holds here." in text) == R.claim_holds(config, plain, bi)
    assert f"{plain.final_acc:.1%}".replace("%", " %") in text and f"{bi.final_acc:.1%}".replace("%", " %") in text


def test_the_race_figures_draw_both_models_and_the_marked_levels(short_race):
    config, items = short_race
    levels = {"best one-way<br>(expected)": R.one_way_best(config.T)}
    loss = _valid(G.loss_figure(items, config, large=False))
    acc = _valid(G.accuracy_figure(items, config, levels, large=True))
    assert [t.name for t in loss.data] == [t.name for t in acc.data] == ["LSTM", "bidirectional LSTM"]
    assert len(loss.data[0].x) == 30 and list(acc.data[1].x) == [10, 20, 30]
    assert [a.text for a in acc.layout.annotations] == ["90 %<br>(learned)", "best one-way<br>(expected)"]
    assert acc.layout.xaxis.range[1] == pytest.approx(30 * 1.02)
    assert acc.layout.font.size > loss.layout.font.size  # projector fonts
    assert loss.data[0].line.color != loss.data[1].line.color and loss.data[1].line.dash == "dash"


@pytest.mark.parametrize("variant", VARIANTS)
def test_before_a_race_each_figure_is_empty_and_asks_for_train(variant):
    config = R.race_config(variant)
    for spec in (G.loss_figure([], config, large=False), G.accuracy_figure([], config, {}, large=False)):
        fig = _valid(spec)
        assert "press Train to start" in [a.text for a in fig.layout.annotations]
        assert fig.layout.xaxis.range[1] == pytest.approx(config.steps * 1.02)


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_empty_accuracy_charts_prompt_sits_clear_of_every_dotted_line(variant):
    """The prompt stood on the dashed 50 % guessing line; now it is halfway across the widest gap
    between them, at least 20 points from every level (1/11 guessing for the timing task, 72.7 % for the later one)."""
    config = R.race_config(variant)
    fig = _valid(G.accuracy_figure([], config, levels(config), large=True))
    prompt = next(a for a in fig.layout.annotations if a.text == "press Train to start")
    assert prompt.yref == "y"
    assert all(abs(prompt.y - shape.y0) >= 20 for shape in fig.layout.shapes)


@pytest.mark.parametrize("variant", sorted(W.SWEEPS))
def test_each_sweep_line_counts_what_the_races_over_its_seeds_give(variant):
    """The races whose edge is near a seed's noise say how they went over SWEEP_SEEDS: run them (~15 s each)."""
    races_run = []
    for seed in W.SWEEP_SEEDS:
        config = R.race_config(variant, seed)
        plain, other = R.standings(config, list(R.run_race(config))).values()
        result = R.outcome(plain, other)
        races_run.append((result.learned, result.accuracy, R.claim_holds(config, plain, other)))
    assert W.SWEEPS[variant] == tuple(races_run)


def test_the_sweep_lines_account_for_every_race_held_or_not():
    assert W.sweep(R.race_config("peephole")) == (
        "Over race seeds 0 to 4 the claim held in 4 of the 5 races: in 3 the peephole LSTM learned first, in 1 "
        "both learned about as soon and the peephole LSTM ended more accurate. It did not hold in the other 1: "
        "both learned about as soon and ended about as accurate.")
    assert W.sweep(R.race_config("stacked")) == (
        "Over race seeds 0 to 4 the claim held in 4 of the 5 races: in all 4 the 2-layer LSTM learned first. "
        "It did not hold in the other 1: the LSTM learned first.")
    assert W.sweep(R.race_config("gru")) == ""


def test_a_sweep_where_the_claim_never_held_says_so_with_each_reason(monkeypatch):
    monkeypatch.setitem(W.SWEEPS, "stacked", (("plain", "variant", False),) * 2 + (("both", "same", False),) * 3)
    assert W.sweep(R.race_config("stacked")) == (
        "Over race seeds 0 to 4 the claim held in none of the 5 races: in 3 both learned about as soon and ended "
        "about as accurate, in 2 the LSTM learned first and the 2-layer LSTM ended more accurate.")
