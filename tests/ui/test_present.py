"""Presentation mode's link keys without a server: what `present` and `hide` mean, the messages
for values a link cannot mean, and the link the "Share this view" panel builds."""
import pytest

from ui.common import link
from ui.common.present import GROUPS, PRESENT_HIDES, View, parse, share_query
from ui.cell.state import from_query


def test_no_keys_is_the_normal_page():
    assert parse({}) == (View(), [])


def test_present_hides_the_editing_groups_and_keeps_presets_and_steps():
    view, errors = parse({"present": "1"})
    assert not errors and view.present and view.hidden == PRESENT_HIDES
    assert {"presets", "steps"}.isdisjoint(view.hidden) and {"weights", "input", "sidebar"} <= view.hidden


@pytest.mark.parametrize("query, hidden", [
    ({"hide": "weights,input"}, {"weights", "input"}),
    ({"hide": " Weights , steps,"}, {"weights", "steps"}),
    ({"present": "1", "hide": "presets"}, {"presets"}),
    ({"present": "1", "hide": "none"}, set()),
    ({"present": "0", "hide": "none"}, set())])
def test_hide_names_the_groups_hidden_and_replaces_presentations_default(query, hidden):
    view, errors = parse(query)
    assert not errors and view.hidden == frozenset(hidden)


@pytest.mark.parametrize("query, key, words", [
    ({"present": "yes"}, "present", "must be 1"), ({"present": "😀"}, "present", "must be 1"),
    ({"present": ""}, "present", "must be 1"), ({"hide": "weights,bogus"}, "hide", "'bogus' is not"),
    ({"hide": "none,weights"}, "hide", "'none' stands alone"),
    ({"present": "1", "hide": "x" * 500}, "hide", "not a control group")])
def test_bad_values_give_a_message_and_keep_the_default_view(query, key, words):
    view, errors = parse(query)
    assert [k for k, _ in errors] == [key] and words in errors[0][1]
    assert len(errors[0][1]) < 300
    default, _ = parse({k: v for k, v in query.items() if k != key})
    assert view == default


def test_view_keys_pass_every_pages_link_parser():
    assert set(link.VIEW_KEYS) <= set(link.RESERVED)
    state = from_query({"H": "3", "present": "1", "hide": "weights", "path": "rnn.1"})
    assert state == from_query({"H": "3"}) and state.H == 3
    with pytest.raises(ValueError, match="not a setting"):
        from_query({"presentation": "1"})


@pytest.mark.parametrize("present, hidden, extra", [
    (True, PRESENT_HIDES, {"present": "1"}),
    (True, {"weights"}, {"present": "1", "hide": "weights"}),
    (True, set(), {"present": "1", "hide": "none"}),
    (False, set(), {}),
    (False, {"input", "weights"}, {"hide": "input,weights"})])
def test_share_query_keeps_the_pages_settings_and_writes_only_what_differs(present, hidden, extra):
    page = {"H": "3", "t": "4", "path": "rnn.1", "present": "1", "hide": "steps"}
    shared = share_query(page, present, hidden)
    assert shared == {"H": "3", "t": "4", **extra}
    assert parse(shared)[0] == View(present=present, hidden=frozenset(hidden)), "the link means what was picked"


def test_every_group_is_described_in_words():
    assert all(len(words) > 10 for words in GROUPS.values()) and PRESENT_HIDES <= set(GROUPS)
