"""The Variants page's training race in AppTest: Train runs a race to its verdict with progress, Stop keeps
what ran and holds the verdict back, a bad seed gets a message, another variant stops the old race; and
the race at the defaults on the Variants page itself.

The panel is tested alone (AppTest.from_function) where the rest of the page does not matter.
"""
from streamlit.testing.v1 import AppTest

from pagekit import assert_clean, errors, open_page, run_of, train_to_the_end

RUN_KEY = "variants_race_run"


def _race_app(variant, seed):
    """The race panel alone; session_state["variant"] overrides `variant` (a student picking another)."""
    import streamlit as st

    from ui.variants.races import panel

    panel(st.session_state.get("variant", variant), seed, False)


def _panel(variant="bidirectional", seed=0):
    return AppTest.from_function(_race_app, args=(variant, seed), default_timeout=60).run()


def _texts(at):
    return [m.value for m in at.markdown] + [c.value for c in at.caption]


def test_train_runs_the_race_to_its_verdict_with_progress_and_a_line_per_model():
    at = _panel()
    assert any("Press **Train**" in i.value for i in at.info)
    run = train_to_the_end(at, "vr_train", RUN_KEY)
    assert run.status == "done" and run.count == 600
    texts = _texts(at)
    assert any(t.startswith("**LSTM**: not 90 % in 300 steps") for t in texts)
    assert any(t.startswith("**bidirectional LSTM**: 90 % at step") for t in texts)
    assert any("a task that needs the future needs a bidirectional LSTM — holds here." in t for t in texts)
    assert any("within that spread: as good as the best forward rule" in t for t in texts)  # seed 0: 73.1 % vs 73.0 %
    assert any("Both read I = 1 input a step, with H = 8 units a cell and a head of 2 outputs." in t for t in texts)
    assert not at.info and at.button(key="vr_stop").disabled
    assert_clean(at)


def test_stop_keeps_the_steps_so_far_and_holds_the_verdict_back():
    at = _panel("stacked", 3)
    at.button(key="vr_train").click().run()
    at.button(key="vr_stop").click().run()
    run = run_of(at, RUN_KEY)
    assert run.status == "stopped" and 0 < run.count < 1600
    texts = _texts(at)
    assert any("the verdict needs the whole race" in t for t in texts)
    assert not any("The claim —" in t for t in texts)
    assert_clean(at)


def test_a_bad_seed_gets_a_message_and_no_race():
    at = _panel("gru", -3)
    assert errors(at) == ["The race's seed must be a whole number from 0 to 2147483647, got -3."]
    assert not [b for b in at.button if b.key == "vr_train"]
    assert_clean(at)


def test_picking_another_variant_stops_the_old_race_and_offers_the_new_one():
    at = _panel("stacked", 0)
    at.button(key="vr_train").click().run()
    at.session_state["variant"] = "gru"
    at.run()
    assert run_of(at, RUN_KEY).status == "stopped"
    assert any("Press **Train**" in i.value for i in at.info)
    assert any("The training lab's memory task" in t for t in _texts(at))
    assert_clean(at)


def test_the_variants_page_races_its_variant_at_the_defaults():
    at = open_page("views/variants.py", {"variant": "bidirectional"})
    assert_clean(at)
    run = train_to_the_end(at, "vr_train", RUN_KEY)
    assert run.status == "done" and run.config.config.variant == "bidirectional"
    assert any("— holds here." in t for t in _texts(at))
    assert_clean(at)
