"""The Trade-offs page's pure parts: its state and what it asks the engine, the training lab's link, the
sentences built from numbers and the figures (built and checked by Plotly, without a server)."""
import dataclasses
import math

import plotly.graph_objects as go
import pytest

from lstm_core import costs, lab
from lstm_core import tradeoffs as X
from ui.common.palette import MUTED, cell_color
from ui.common import link
from ui.tradeoffs import figures as G
from ui.tradeoffs import state as TS
from ui.tradeoffs import words as W
from ui.tradeoffs.controls import from_link
from ui.tradeoffs.lessons import EXPERIMENT_NAMES
from ui.tradeoffs.state import TradeoffsState
from ui.training import state as training_state
from ui.training.figures import train_val_curves


def test_the_state_carries_helper_ds_fields_as_fields_d_md_lists_them():
    text = open("ui/tradeoffs/fields_d.md").read()
    for name in ("k", "st_steps", "st_seed", "ctx", "ctx_delay", "ctx_H", "ctx_seed"):
        assert f"    {name}:" in text and name in TradeoffsState.__dataclass_fields__


def test_a_link_round_trips_every_experiments_settings():
    state = TradeoffsState(experiment="lr", cost_H=64, fit_n=128, fit_dropout=0.25, lr_optimizer="sgd", lr_clip=2.5,
                           k=5, ctx="items")
    assert TS.from_query(link.to_query(state)) == state
    assert link.to_query(TradeoffsState()) == {}


def test_the_engines_settings_follow_the_state():
    state = TradeoffsState(cost_H=16, cost_B=4, fit_n=16, fit_patience=3, lr_clip=0.0, lr_optimizer="sgd")
    assert TS.timing_request(state) == TS.TimingRequest(hidden_size=16, batch_size=4)
    fit = TS.fit_config(state)
    assert (fit.n_train, fit.batch_size, fit.patience, fit.task, fit.kinds) == (16, 16, 3, "parity", ("lstm",))
    assert TS.fit_config(TradeoffsState()).patience is None
    cfg, lrs = TS.sweep_config(state)
    assert cfg.clip is None and cfg.optimizer == "sgd" and lrs == (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def test_a_link_the_engine_refuses_raises_a_readable_reason():
    with pytest.raises(ValueError, match="fit_n"):
        TS.from_query({"fit_n": "4"})
    with pytest.raises(ValueError, match="experiment"):
        TS.from_query({"experiment": "speed"})


@pytest.mark.parametrize("state", [TradeoffsState(), TradeoffsState(fit_n=8, fit_dropout=0.5, fit_decay=0.02,
                                                                      fit_patience=4, fit_steps=100, fit_seed=7),
                                   TradeoffsState(fit_decay=0.0005)])
def test_the_training_labs_link_opens_the_same_run_there(state):
    query = dict(part.split("=") for part in TS.training_link(state).split("?")[1].split("&"))
    assert training_state.config(training_state.from_query(query)) == TS.fit_config(state)


def _item(kind, T, seconds, projection):
    return {"kind": kind, "T": T, "seconds": seconds, "per_step": seconds / T, "projection": projection,
            "fraction": projection / seconds}


ITEMS = [_item("rnn_tanh", 10, 1e-4, 1e-5), _item("gru", 10, 6e-4, 2e-5), _item("lstm", 10, 4e-4, 3e-5),
         _item("rnn_tanh", 100, 1e-3, 1e-4), _item("gru", 100, 6e-3, 2e-4), _item("lstm", 100, 4e-3, 4e-4)]
KINDS = TS.COST_KINDS


def test_the_cost_words_give_the_longest_runs_numbers_and_compare_the_gru_with_the_lstm():
    text = W.cost_words(ITEMS, KINDS, 32, 8, 5)
    assert "at T = 100, one step took 10\u00a0µs (tanh RNN), 60\u00a0µs (GRU) and 40\u00a0µs (LSTM)" in text
    assert "took 1\u00a0ms (tanh RNN), 6\u00a0ms (GRU) and 4\u00a0ms (LSTM)" in text
    assert "10\u00a0% (tanh RNN), 3\u00a0% (GRU) and 10\u00a0% (LSTM)" in text
    assert "yet here it took 1.5 times as long: the notes' \"often computationally more efficient\" does not " \
        "hold" in text
    share = costs.step_multiply_adds("gru", 2, 32) / costs.step_multiply_adds("lstm", 2, 32)
    assert f"{100 * share:.0f}\u00a0% of an LSTM step's multiply-adds" in text and share == 0.75


def test_a_faster_gru_is_worded_as_faster_and_one_as_fast_as_the_same():
    assert "here took 50\u00a0% of its time: the notes' \"often computationally more efficient\" holds" in \
        W.gru_against_lstm(1.0, 2.0, 2, 32)
    for gru_step in (0.95, 1.05):  # within W.SAME of the LSTM's: neither faster nor slower
        text = W.gru_against_lstm(gru_step, 1.0, 2, 32)
        assert "yet here it took about as long" in text and "does not show in this measurement" in text


def _lab_item(step, val_loss, train_acc=1.0, val_acc=0.5):
    return {"kind": "lstm", "step": step, "loss": 0.1, "val_loss": val_loss, "val_acc": val_acc, "train_acc": train_acc}


def test_the_fit_words_say_how_far_the_validation_loss_ended_above_its_lowest():
    history = [_lab_item(10, 0.8), {**_lab_item(15, None), "val_acc": None}, _lab_item(20, 2.0, 0.9, 0.55)]
    assert W.fit_words(history) == ("Step 20: training accuracy 90\u00a0%, validation accuracy 55\u00a0%; "
                                    "validation loss 2, "
                                    "2.5 times its lowest (0.8 at step 10).")
    assert W.fit_words(history[:1]).endswith("validation loss 0.8, its lowest so far.")
    assert W.fit_words([_lab_item(10, 0.80), _lab_item(20, 0.81)]).endswith("about its lowest (0.8 at step 10).")
    assert W.fit_words([]) == ""


def test_the_stopped_words_name_the_model_kept_with_early_stopping_on_or_off():
    assert W.stopped_words(600, 600, 30, None) == (
        "Early stopping is off: the training ran all 600 steps, and the lab then keeps the model of step 30, the "
        "one of lowest validation loss (the star), as it does with early stopping on.")
    assert W.stopped_words(600, 600, 30, 5).startswith("Early stopping did not end the training: it ran all 600")
    assert W.stopped_words(80, 600, 30, 5).startswith("Early stopping ended the training at step 80 of 600")


def test_the_learned_words_count_the_rates_and_name_divergence():
    items = [{"kind": "lstm", "lr": 0.1, "val_acc": 0.95, "diverged": False},
             {"kind": "lstm", "lr": 1.0, "val_acc": 0.5, "diverged": True},
             {"kind": "rnn_tanh", "lr": 0.1, "val_acc": 0.5, "diverged": False}]
    text = W.learned_words(items, ("rnn_tanh", "lstm"), (0.1, 1.0), 200)
    assert text == ("Validation accuracy of 90\u00a0% or more after 200 steps: the tanh RNN at none and the LSTM "
                    "at 1 of "
                    "the 2 (0.1). Some models diverged (loss NaN or infinite) at 1.")


def _valid(fig):
    """The figure's dict after Plotly's own validation."""
    spec = fig.to_dict() if isinstance(fig, go.Figure) else fig
    return go.Figure(spec).to_dict()


@pytest.mark.parametrize("large", [False, True])
def test_the_multiply_adds_bars_are_the_engines_counts(large):
    spec = _valid(G.multiply_adds_figure(KINDS, 2, 32, large=large))
    inputs, recurrent = spec["data"]
    assert [a + b for a, b in zip(inputs["y"], recurrent["y"])] == [costs.step_multiply_adds(k, 2, 32) for k in KINDS]
    assert [a["text"] for a in spec["layout"]["annotations"]] == ["1,088 · input part 6 %", "3,264 · input part 6 %",
                                                                 "4,352 · input part 6 %"]


@pytest.mark.parametrize("per_step", [False, True])
def test_the_timing_charts_draw_one_line_per_kind_or_a_prompt(per_step):
    spec = _valid(G.timing_figure(ITEMS, KINDS, (10, 100), per_step=per_step))
    lines = {t["name"]: t for t in spec["data"]}
    assert list(lines) == ["tanh RNN", "GRU", "LSTM"]
    scale = 1e6 if per_step else 1e3
    assert list(lines["LSTM"]["y"]) == pytest.approx([scale * 4e-5, scale * 4e-5] if per_step else [0.4, 4.0])
    empty = _valid(G.timing_figure([], KINDS, (10, 100), per_step=per_step))
    assert not empty["data"] and "press Measure" in empty["layout"]["annotations"][0]["text"]


def test_the_split_chart_stacks_the_projection_under_the_recurrence_at_the_longest_t():
    spec = _valid(G.split_figure(ITEMS, KINDS))
    at_once, rest = spec["data"]
    assert list(at_once["y"]) == pytest.approx([0.1, 0.2, 0.4]) and list(rest["y"]) == pytest.approx([0.9, 5.8, 3.6])
    assert spec["layout"]["title"]["text"] == "Where the time of T = 100 steps goes"
    assert [a["text"] for a in spec["layout"]["annotations"]] == ["10 % at once", "3 % at once", "10 % at once"]
    assert not _valid(G.split_figure([], KINDS))["data"]


def test_the_lr_chart_draws_each_kinds_losses_and_a_diverged_model_as_a_cross_at_the_top():
    items = [{"kind": "lstm", "lr": 0.1, "val_loss": 0.01, "val_acc": 1.0, "diverged": False},
             {"kind": "lstm", "lr": 1.0, "val_loss": math.inf, "val_acc": 0.5, "diverged": True}]
    spec = _valid(G.lr_figure(items, ("lstm",), (0.1, 1.0), level=0.9, large=True))
    line, key, crosses, chance, *fill = spec["data"]
    assert [t["meta"] for t in fill] == ["fill", "fill"]
    assert key["meta"] == "key" and key["name"] == "LSTM" and key["legendgroup"] == line["legendgroup"]
    assert chance["meta"] == "guess" and chance["y"] == [math.log(2)] * 2
    assert list(line["x"]) == [0.1, 1.0] and line["y"][0] == 0.01 and line["y"][1] is None
    assert crosses["marker"]["symbol"] == "x" and list(crosses["x"]) == [1.0]
    top = spec["layout"]["yaxis"]["range"][1]
    assert math.log10(crosses["y"][0]) < top
    empty = _valid(G.lr_figure([], ("lstm",), (0.1, 1.0), level=0.9))
    assert any("press Run the sweep" in a["text"] for a in empty["layout"]["annotations"])
    assert {t.get("meta") for t in empty["data"]} == {"guess"}  # no filled/hollow key before any point


def test_the_lr_chart_fills_the_marker_of_a_model_that_learned_and_leaves_the_others_hollow():
    lstm = cell_color("lstm")
    items = [{"kind": "lstm", "lr": lr, "val_loss": 0.6, "val_acc": acc, "diverged": False}
             for lr, acc in ((0.01, 0.95), (0.1, 0.9), (1.0, 0.6))]  # 0.6: under ln 2 and yet learned
    spec = _valid(G.lr_figure(items, ("lstm",), (0.01, 0.1, 1.0), level=0.9))
    line = spec["data"][0]
    assert list(line["marker"]["color"]) == [lstm, lstm, "white"] and line["marker"]["line"]["color"] == lstm
    assert spec["data"][1]["marker"]["color"] == lstm and line["showlegend"] is False  # the legend's LSTM: filled
    assert list(line["customdata"]) == ["accuracy 95\u00a0%", "accuracy 90\u00a0%", "accuracy 60\u00a0%"]
    key = [t for t in spec["data"] if t.get("meta") == "fill"]
    assert [t["name"] for t in key] == ["filled: learned (90\u00a0% or more right)", "hollow: under 90\u00a0% right"]
    assert [t["marker"]["color"] for t in key] == [MUTED, "white"]
    learned = [i["lr"] for i, c in zip(items, line["marker"]["color"]) if c != "white"]
    assert tuple(learned) == X.learned(items, "lstm", W.LEARNED)  # the chart fills what the words count


@pytest.mark.parametrize("field, value", [("fit_decay", 0.0005), ("fit_decay", 0.1), ("fit_dropout", 0.35),
                                          ("lr_clip", 2.5)])
def test_a_float_setting_on_its_step_runs_as_its_box_shows_it(field, value):
    state = TS.check(TradeoffsState(**{field: value}))
    fmt = {"fit_decay": "%.4f", "lr_clip": "%.1f", "fit_dropout": "%.2f"}[field]  # the widgets' formats
    assert float(fmt % getattr(state, field)) == value


@pytest.mark.parametrize("field, value", [("fit_decay", 0.00025), ("fit_dropout", 0.33), ("lr_clip", 0.25)])
def test_a_float_setting_off_its_step_is_refused_with_its_step(field, value):
    with pytest.raises(ValueError, match=f"'{field}' = {value:g} is not a multiple of"):
        TS.check(TradeoffsState(**{field: value}))
    with pytest.raises(ValueError, match=field):
        TS.from_query({field: str(value)})


def test_an_unknown_experiment_in_a_link_is_named_with_the_pickers_buttons():
    with pytest.raises(ValueError) as err:
        from_link({"experiment": "zzz"})
    text = str(err.value)
    assert "'experiment' = 'zzz'" in text and "'short_term'" not in text
    assert all(f"{name} (experiment={key})" in text for key, name in EXPERIMENT_NAMES.items())
    assert from_link({"experiment": "lr"}) == TradeoffsState(experiment="lr")


def test_the_time_per_step_is_worded_from_the_measurement_level_or_not():
    level = W.per_step_words(ITEMS, KINDS)  # ITEMS: the same time per step at T = 10 and 100
    assert level == ("Time per step from T = 10 to T = 100: 10\u00a0µs to 10\u00a0µs (tanh RNN), 60\u00a0µs to 60\u00a0µs "
                     "(GRU) and 40\u00a0µs to 40\u00a0µs (LSTM). A step does the same multiply-adds at every T, and "
                     "each time per step stayed within 10\u00a0% of level.")
    assert level in W.cost_words(ITEMS, KINDS, 32, 8, 5)
    rising = ITEMS[:4] + [_item("gru", 100, 8e-3, 2e-4), _item("lstm", 100, 4.2e-3, 4e-4)]  # GRU +33 %, LSTM +5 %
    assert W.per_step_words(rising, KINDS).endswith("yet the time per step of the GRU rose by 33\u00a0%: a step's "
                                                    "time is not only its multiply-adds.")  # the LSTM's +5 %: unsaid
    falling = ITEMS[:3] + [_item("rnn_tanh", 100, 8e-4, 1e-4), _item("gru", 100, 6e-3, 2e-4),
                           _item("lstm", 100, 3e-3, 4e-4)]  # tanh RNN −20 %, LSTM −25 %
    assert "yet the time per step of the tanh RNN fell by 20\u00a0% and of the LSTM fell by 25\u00a0%: a" in \
        W.per_step_words(falling, KINDS)


def test_the_time_per_step_chart_promises_no_flat_line():
    subtitle = G.timing_figure(ITEMS, KINDS, (10, 100), per_step=True).layout.title.subtitle.text
    assert "flat" not in subtitle and "same multiply-adds at every T" in subtitle


def test_with_early_stopping_off_the_lab_still_keeps_the_lowest_validation_loss_the_star_marks():
    cfg = TS.fit_config(TradeoffsState(experiment="overfit"))  # the defaults: patience 0, 600 steps
    items = list(lab.run_lab(cfg))
    history, done = [i for i in items if not i.get("done")], next(i for i in items if i.get("done"))
    evaluated = [i for i in history if i["val_loss"] is not None]
    best = min(evaluated, key=lambda i: i["val_loss"])
    assert cfg.patience is None and max(i["step"] for i in history) == 600
    assert done["best_step"] == best["step"] == 30 and done["val_loss"] == best["val_loss"]
    spec = _valid(train_val_curves({"lstm": history}, "lstm", steps=cfg.steps))
    star = next(t for t in spec["data"] if t.get("meta") == "best")
    assert list(star["x"]) == [30] and "the model kept" in spec["layout"]["annotations"][-1]["text"]
    lo, hi = spec["layout"]["yaxis"]["range"]
    step = spec["layout"]["yaxis"]["dtick"]  # ticks at powers of ten `step` apart, 10^0 among them
    ticks = [k for k in range(-20, 21) if k % step == 0 and lo <= k <= hi]
    losses = [math.log10(v) for i in history for v in (i["loss"], i["val_loss"]) if v]
    assert max(ticks) >= max(losses) and max(losses) > 0.6  # a validation loss of 4.3, a "10" tick above it
    assert min(ticks) <= min(losses)
