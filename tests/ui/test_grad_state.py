"""The gradients page's state: link round trips, validation, and presets that make their point."""
import dataclasses

import numpy as np
import pytest

from lstm_core import flow as F
from ui.gradients import state as G
from ui.common import link
from ui.gradients import lessons
from ui.gradients.figures import sci


def test_default_link_is_empty_and_edits_round_trip():
    assert link.to_query(G.GradState()) == {}
    s = dataclasses.replace(G.GradState(), H=5, scale=2.5, clip=1.5, biases=0, gen="spike", length=80)
    assert G.from_query(link.to_query(s)) == s
    typed = G.with_sequence(G.GradState(), np.array([[0.5], [-1.0], [2.0]]))
    assert G.from_query(link.to_query(typed)) == typed
    np.testing.assert_array_equal(typed.sequence()[:, 0], [0.5, -1.0, 2.0])


@pytest.mark.parametrize("query", [{"H": "0"}, {"H": "33"}, {"scale": "0"}, {"scale": "11"},
                                   {"scale": "nan"}, {"forget_bias": "9"}, {"clip": "-1"},
                                   {"biases": "2"}, {"gen": "noise"}, {"length": "501"},
                                   {"seed": "-3"}, {"xs": ",".join(["1"] * 501)}, {"H": "x"},
                                   {"scale": "0.05"}, {"gen": "typed"}, {"preset": "nope"},
                                   {"xs": "1,2", "gen": "typed"}, {"clip": "1e309"}, {"H": "٣"}])
def test_bad_links_are_rejected_with_a_reason(query):
    with pytest.raises(ValueError, match="link"):
        G.from_query(query)


def _first(state):
    return {k: G.status(f) for k, f in state.flows().items()}


def _lesson(name):
    """A lesson, its sentence and its exact flows."""
    lesson = lessons.BY_NAME[name]
    return lesson.lesson, lesson.state().flows()


def _says(sentence, *words):
    for w in words:
        assert w in sentence, f"{w!r} is not what the sentence says: {sentence}"


def _gains(flow):
    return F.rnn_step_factors(flow.params, flow.trace)


def test_the_sigmoid_lesson_vanishes_within_10_steps_while_tanh_survives():
    sentence, flows = _lesson("Sigmoid RNN vanishes within 10 steps")
    sig, tanh = G.status(flows["rnn_sigmoid"]), G.status(flows["rnn_tanh"])
    assert len(flows["rnn_tanh"].dh_norm) == 10 and (sig[0], tanh[0]) == ("vanished", "survived")
    _says(sentence, f"{sci(sig[1])} of it reaches step 1", f"tanh RNN keeps {sci(tanh[1])}")
    slope, gain = _gains(flows["rnn_sigmoid"])
    assert slope.max() <= 0.25 and np.all(np.abs(gain - 0.25) < 0.01)  # "at most about 0.25"
    slope, gain = _gains(flows["rnn_tanh"])
    assert slope.max() > 0.999 and np.all(np.abs(gain - 1) < 0.08)  # "reaches 1", "about 1"


def test_the_tanh_lesson_falls_straight_and_slower_but_vanishes_too():
    sentence, flows = _lesson("tanh RNN vanishes more slowly")
    for kind, name in (("rnn_tanh", "tanh RNN"), ("rnn_sigmoid", "sigmoid RNN")):
        flow = flows[kind]
        _says(sentence, f"×{G.per_step(flow):.2f} for the {name}", sci(G.status(flow)[1]))
        assert G.status(flow)[0] == "vanished"
        logs = np.log10(flow.dh_norm)
        t = np.arange(len(logs))
        residual = logs - np.polyval(np.polyfit(t, logs, 1), t)
        assert np.abs(residual).max() < 0.02 * (logs.max() - logs.min())  # a straight line on the log axis
    assert G.per_step(flows["rnn_tanh"]) > 3 * G.per_step(flows["rnn_sigmoid"])
    assert _gains(flows["rnn_tanh"])[0].max() > 0.999 and _gains(flows["rnn_sigmoid"])[0].max() <= 0.25
    _says(sentence, f"over {len(flows['lstm'].dh_norm) - 1} steps back")


def test_the_lstm_at_forget_bias_1_beats_the_rnns_by_orders_yet_vanishes_over_50_steps():
    sentence, flows = _lesson("LSTM at b_f = 1: far better than an RNN, still vanishing at 50 steps")
    m, (word, value) = G.memory(flows["lstm"]), G.status(flows["lstm"])
    assert m.steps_back == 49 and word == "vanished" and m.kept < F.VANISHED
    assert abs(m.mean_f - 1 / (1 + np.exp(-1))) < 0.01 and f"{m.mean_f:.2f}" == "0.73"
    _says(sentence, f"half-life of {m.half_life:.1f} steps", f"are {m.half_lives:.0f} half-lives",
          f"∏ f = {sci(m.kept)}", f"What reaches step 1, {sci(value)}")
    ratio = value / G.status(flows["rnn_tanh"])[1]
    assert 10 ** 9.5 <= ratio < 10 ** 10.5  # "10¹⁰ times the tanh RNN's"


def test_the_lstm_at_forget_bias_4_survives_100_steps_and_at_3_too_but_not_at_1():
    sentence, flows = _lesson("LSTM at b_f = 4: the gradient survives 100 steps")
    m, (word, value) = G.memory(flows["lstm"]), G.status(flows["lstm"])
    assert m.steps_back == 99 and word == "survived" and m.kept > F.VANISHED
    assert f"{m.mean_f:.2f}" == "0.98" and abs(m.mean_f - 1 / (1 + np.exp(-4))) < 0.01
    _says(sentence, f"half-life of {m.half_life:.0f} steps", f"∏ f = {sci(m.kept)}", f"{sci(value)} of the")
    assert all(G.status(flows[k])[0] == "vanished" for k in ("rnn_sigmoid", "rnn_tanh", "gru"))
    state = lessons.BY_NAME["LSTM at b_f = 4: the gradient survives 100 steps"].state()
    three = dataclasses.replace(state, forget_bias=3.0).flows()["lstm"]
    m3 = G.memory(three)
    assert G.status(three)[0] == "survived" and f"{m3.mean_f:.2f}" == "0.95"
    _says(sentence, f"half-life {m3.half_life:.0f} steps")
    assert G.status(dataclasses.replace(state, forget_bias=1.0).flows()["lstm"])[0] == "vanished"


@pytest.mark.parametrize("forget_bias, length, word", [(1.0, 50, "vanished"), (1.0, 100, "vanished"),
                                                       (3.0, 50, "survived"), (3.0, 100, "survived"),
                                                       (3.5, 100, "survived"), (4.0, 50, "survived"),
                                                       (4.0, 100, "survived")])
def test_the_notes_forget_bias_story_holds_at_the_page_defaults(forget_bias, length, word):
    """assets/gradients.md: b_f = 1 vanishes over 50 steps, though orders of magnitude above the RNNs;
    b_f = 3 to 4 survives 50 to 100 steps; and the word agrees with the cell path's own ∏ f."""
    flows = dataclasses.replace(G.GradState(), forget_bias=forget_bias, length=length).flows()
    m = G.memory(flows["lstm"])
    assert G.status(flows["lstm"])[0] == word and (m.kept < F.VANISHED) == (word == "vanished")
    assert G.status(flows["lstm"])[1] > 1e3 * max(G.status(flows[k])[1] for k in ("rnn_sigmoid", "rnn_tanh"))
    if forget_bias >= 3:
        assert 0.95 <= m.mean_f <= 0.985 and 14 <= m.half_life <= 39
    log_kept = np.log(m.kept)  # "∏ f, about f̄ⁿ"
    assert abs(log_kept - m.steps_back * np.log(m.mean_f)) <= 0.1 * abs(log_kept) + 0.05


def test_the_explosion_lesson_counts_steps_back_and_explains_the_slower_lstm():
    sentence, flows = _lesson("Large recurrent weights explode")
    tanh, lstm = flows["rnn_tanh"], flows["lstm"]
    back = {k: G.steps_back(f, F.last_step_above(f.dh_norm)) for k, f in flows.items() if k != "rnn_sigmoid"}
    assert all(G.status(flows[k])[0] == "exploded" for k in back)
    assert back["rnn_tanh"] < back["lstm"]  # the LSTM explodes later, counted from the loss
    _says(sentence, f"×{G.per_step(tanh):.2f}, so it passes 10⁶ only {back['rnn_tanh']} steps back from the "
                    f"loss at step {len(tanh.dh_norm)}", f"later, {back['lstm']} steps back",
          f"growing ×{G.per_step(lstm):.2f} per step")
    H = lstm.params.hidden_size
    np.testing.assert_array_equal(lstm.trace.c, 0)  # C = 0, and so i_t = o_t = 0.5, f_t = σ(1)
    np.testing.assert_allclose([lstm.trace.i, lstm.trace.o], 0.5)
    assert f"{lstm.trace.f.mean():.2f}" == "0.73"
    growth = 0.25 * np.abs(np.linalg.eigvals(lstm.params.W_c[:, :H])).max() + lstm.trace.f.mean()
    assert G.per_step(lstm) == pytest.approx(growth, rel=0.02)  # h path 0.25·W_c plus the cell path's f
    assert np.all(_gains(tanh)[1] > 1)  # "the gains per step above 1"


@pytest.mark.parametrize("scale, gen, seed", [(3.0, "zeros", 0), (4.0, "zeros", 3), (6.0, "zeros", 2),
                                              (10.0, "zeros", 1), (10.0, "spike", 0)])
def test_with_large_weights_the_lstm_explodes_more_slowly_than_the_tanh_rnn(scale, gen, seed):
    """assets/gradients.md: where the tanh RNN explodes, the LSTM passes 10⁶ more steps back, or never."""
    flows = dataclasses.replace(G.GradState(), scale=scale, gen=gen, biases=0, seed=seed, length=200).flows()
    lstm, tanh = (F.last_step_above(flows[k].dh_norm) for k in ("lstm", "rnn_tanh"))
    assert tanh is not None and (lstm is None or lstm < tanh)


def test_clipping_caps_the_update_and_changes_no_per_step_gradient():
    sentence, flows = _lesson("Clipping caps the update, not the gradient")
    state = lessons.BY_NAME["Clipping caps the update, not the gradient"].state()
    unclipped = dataclasses.replace(state, clip=0.0).flows()
    for kind, flow in flows.items():
        np.testing.assert_array_equal(flow.dh_norm, unclipped[kind].dh_norm)
        assert G.status(flow) == G.status(unclipped[kind])
    raw, clipped = F.clipped_update(flows["rnn_tanh"], state.max_norm())
    assert clipped == pytest.approx(0.1 * state.max_norm()) and G.status(flows["rnn_tanh"])[0] == "exploded"
    _says(sentence, f"clipped at {state.max_norm():g}", f"by {0.1 * state.max_norm():g} instead of {sci(raw)}")
    assert state.view == "clipping"


def test_each_lesson_opens_a_view_and_old_lesson_names_open_todays():
    assert {p.state().view for p in lessons.GRAD_PRESETS} <= set(G.VIEWS)
    for old, new in lessons.OLD_NAMES.items():
        assert old not in lessons.BY_NAME and G.from_query({"preset": old, "large": "1"}) == \
            lessons.BY_NAME[new].state(1)


def test_the_words_follow_the_engines_thresholds():
    flow = G.GradState(length=2).flows()["rnn_tanh"]
    for first, word in ((0.99 * F.VANISHED, "vanished"), (F.VANISHED, "survived"), (F.EXPLODED, "survived"),
                        (1.01 * F.EXPLODED, "exploded"), (np.inf, "overflowed")):
        fake = dataclasses.replace(flow, dh_norm=np.array([first, 1.0]))
        assert G.status(fake)[0] == word
    assert F.VANISHED == pytest.approx(2.0 ** -10, rel=0.03)  # ten half-lives, as flow.py says


def test_memory_is_the_factor_charts_product_and_the_half_life_of_the_mean_gate():
    flow = G.GradState(length=30).flows()["lstm"]
    m = G.memory(flow)
    np.testing.assert_allclose(m.kept, np.prod(flow.trace.f[1:], axis=0).mean(), rtol=1e-12)
    assert m.half_life == F.half_life(flow.trace.f.mean()) and m.steps_back == 29
    assert 0.5 ** m.half_lives == pytest.approx(m.mean_f ** 29, rel=1e-9)


def test_status_uses_the_cell_path_for_the_lstm():
    s = dataclasses.replace(G.GradState(), forget_bias=6.0, length=50)
    flow = s.flows()["lstm"]
    word, value = G.status(flow)
    assert value == max(flow.dh_norm[0], flow.dc_norm[0])


@pytest.mark.parametrize("gen", ["sine", "spike", "square"])
def test_where_the_cell_path_keeps_more_than_the_vanished_share_yet_the_lstm_vanished_tanh_is_flat(gen):
    """The page's reason when ∏ f is above the vanished line but the LSTM's word is 'vanished': little
    of the loss enters the cell path, ‖∂L/∂C_T‖ small, because C_T is so large that tanh(C_T) is flat."""
    for forget_bias in (0.0, 1.0, 2.0, 3.0, 4.0, 6.0):
        for length in (10, 30, 60, 100, 200):
            state = dataclasses.replace(G.GradState(), gen=gen, forget_bias=forget_bias, length=length)
            flow = state.flows()["lstm"]
            if G.memory(flow).kept >= F.VANISHED and G.status(flow)[0] == "vanished":
                assert flow.dc_norm[-1] < 1e-2 and np.abs(flow.trace.c[-1]).max() > 10, state
                assert np.mean(1 - np.tanh(flow.trace.c[-1]) ** 2) < 1e-3, state


def test_where_the_cell_path_alone_vanishes_the_gates_bring_back_more():
    """The page's reason when ∏ f is under the vanished line but the LSTM's word is not."""
    flow = dataclasses.replace(G.GradState(), length=40).flows()["lstm"]
    kept, (word, value) = G.memory(flow).kept, G.status(flow)
    assert kept < F.VANISHED and word == "survived" and value > 100 * kept


def test_the_forget_bias_controls_help_numbers():
    """ui/gradients/controls.py: b_f = 1 gives f ≈ 0.73 and about 2 steps; b_f = 4, 0.98 and about 38."""
    for b_f, f, steps in ((1.0, "0.73", 2), (4.0, "0.98", 38)):
        sigma = 1 / (1 + np.exp(-b_f))
        assert f"{sigma:.2f}" == f and round(F.half_life(sigma)) == steps
        mean_f = G.memory(dataclasses.replace(G.GradState(), forget_bias=b_f).flows()["lstm"]).mean_f
        assert abs(mean_f - sigma) < 0.01  # f_t ≈ σ(b_f) on the page's default input
