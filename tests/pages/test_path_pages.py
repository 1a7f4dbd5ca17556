"""The guided path under AppTest: predict, commit, reveal on every page; the answers in the link
survive a reload and ride the path's own links; a bad `path` value says why."""
import dataclasses

import pytest

from ui.path import checkpoints as C
from ui.path.panel import outcome
from ui.path.steps import STEPS

from pagekit import assert_clean
from viewkit import link_value, open_link

HOME = "views/home.py"
PAGE_STATE = {"cell": "cell_state", "time": "cell_state", "grad": "grad_state", "train": "train_state",
              "text": "text_state"}


def _right(step):
    """The option the engine's numbers make true."""
    return step.checkpoint.verdict(outcome(step.key))


def _answer(at, step, choice):
    """Pick an option of the step's checkpoint and commit it."""
    at.radio(key=f"path_{step.key}_pick").set_value(step.checkpoint.options[choice]).run()
    at.button(key=f"path_{step.key}_commit").click().run()
    assert_clean(at)
    return at


def _page_link(at, label_start):
    """(page, query string) of the page link whose label starts with `label_start`."""
    link = next(p.proto for p in at.get("page_link") if p.proto.label.startswith(label_start))
    return link.page, link.query_string


def test_home_reveals_nothing_until_the_learner_commits():
    at = open_link(HOME)
    assert_clean(at)
    assert not at.success and not at.info and "path" not in at.query_params
    assert at.button(key="path_rnn_commit").disabled, "nothing to commit before a pick"


@pytest.mark.parametrize("step", STEPS, ids=[s.key for s in STEPS])
def test_each_pages_checkpoint_commits_loads_its_experiment_and_reveals_the_engines_numbers(step):
    at = open_link("views/" + step.page)
    right = _right(step)
    _answer(at, step, right)
    assert link_value(at, "path") == f"{step.key}.{right}"
    shown = at.success[0].value
    assert shown.startswith("**Right.**") and step.checkpoint.reveal(outcome(step.key)) in shown
    if step.key in PAGE_STATE:
        state = at.session_state[PAGE_STATE[step.key]]
        want = step.checkpoint.settings(state.large)
        assert state == dataclasses.replace(want, **{f: getattr(state, f) for f in ("source",)
                                                     if hasattr(state, f)})


def test_a_wrong_prediction_is_told_what_happens_and_can_answer_again():
    at = open_link(HOME)
    _answer(at, STEPS[0], 0)
    assert not at.success and C.RNN.options[_right(STEPS[0])] in at.info[0].value
    at.button(key="path_rnn_again").click().run()
    assert_clean(at)
    assert "path" not in at.query_params and not at.info and at.radio(key="path_rnn_pick")


def test_progress_survives_a_reload_of_the_same_link_and_rides_the_next_step_link():
    at = open_link(HOME)
    _answer(at, STEPS[0], 1)
    query = {"path": link_value(at, "path")}
    again = open_link(HOME, query)  # a new session: a reload of the same address
    assert_clean(again)
    assert again.success and not again.radio, "the answer came back from the link"
    assert _page_link(again, "Next step") == ("inside_cell", "path=rnn.1")
    cell = open_link("views/inside_cell.py", {**query, "present": "1", "hide": "weights"})
    cell.button(key="step_fwd").click().run()  # a page commit keeps the path and the view keys
    assert_clean(cell)
    kept = [link_value(cell, key) for key in ("path", "present", "hide")]
    assert kept == ["rnn.1", "1", "weights"]
    assert link_value(cell, "t") == "1"


def test_last_step_leads_back_to_homes_recap_and_home_lists_every_step_ticked():
    answers = ",".join(f"{s.key}.{_right(s)}" for s in STEPS)
    at = open_link(f"views/{STEPS[-1].page}", {"path": answers})
    assert_clean(at)
    assert _page_link(at, "The end of the path")[0] == ""
    home = open_link(HOME, {"path": answers})
    labels = [p.proto.label for p in home.get("page_link") if p.proto.label[0].isdigit()]
    assert len(labels) == len(STEPS) and all(label.endswith("✓") for label in labels)
    assert any("Recap" in m.value for m in home.markdown)


@pytest.mark.parametrize("value", ["cell.9", "nope", "rnn.1,rnn.2", "😀", "x" * 300])
def test_a_bad_path_value_says_why_and_keeps_the_page_working(value):
    at = open_link(HOME, {"path": value})
    assert_clean(at)
    assert any("'path' is not valid" in w.value for w in at.warning)
    assert "path" not in at.query_params and at.radio(key="path_rnn_pick")


def test_a_reloaded_answer_can_load_its_experiment_into_the_page_again():
    at = open_link("views/training.py", {"path": "train.1"})
    assert at.session_state["train_state"] != C.train_state(), "a bare link holds the lab's defaults"
    at.button(key="path_train_load").click().run()
    assert_clean(at)
    assert at.session_state["train_state"] == C.train_state() and link_value(at, "path") == "train.1"
