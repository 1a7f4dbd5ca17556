"""The Sequence-to-sequence page in a real browser: Train at the defaults shows the progress, the live loss
and the accuracy against input length as the fragment trains in slices, then *Try it* with its charts;
Stop keeps what was trained; an input the model cannot read says why and the last good stays.

What AppTest cannot see: the fragment redrawing the progress bar and the charts, the bars Plotly draws,
the text box typed into by hand.
"""
import re

from playwright.sync_api import expect

from browserkit import bar, button, drawn, errors, no_exception, training_page, visible_chart

TRAINING_MS = 300_000  # only a hung run fails: the default run takes seconds
LONG = "/seq2seq?steps=5000"
TRY_CHARTS = ("s2s_pipeline_fig", "s2s_vector_fig", "s2s_decoder_fig", "s2s_forcing_fig")


def seq2seq_page(open_app, path):
    return training_page(open_app, path, "Sequence to sequence", "s2s_train")


def test_train_at_the_defaults_shows_progress_and_accuracy_against_length_then_try_it(open_app, page, idle):
    seq2seq_page(open_app, "/seq2seq")
    expect(drawn(page, "s2s_len")).to_be_visible()  # before training, empty
    button(page, "s2s_train").click()
    expect(bar(page)).to_contain_text(re.compile(r"^step \d+ of 600 — training…$"))
    expect(drawn(page, "s2s_loss")).to_be_visible()
    expect(visible_chart(page, "s2s_len").locator(".bars .point").first).to_be_attached()  # the first bars
    expect(bar(page)).to_contain_text("step 600 of 600 — finished", timeout=TRAINING_MS)
    expect(visible_chart(page, "s2s_len").locator(".bars .point")).to_have_count(12)
    expect(visible_chart(page, "s2s_len").locator(".gtitle")).to_contain_text("Accuracy against input length")
    expect(page.get_by_role("heading", name="Try it")).to_be_visible()
    expect(page.locator(".st-key-s2s_text input")).to_have_value("271828")
    expect(page.get_by_role("heading", name=re.compile(r"^271828 → "))).to_be_visible()
    for key in TRY_CHARTS:
        expect(drawn(page, key)).to_be_visible()
    expect(button(page, "s2s_stop")).to_be_disabled()
    idle(page)
    no_exception(page)


def test_stop_keeps_the_steps_trained_and_an_unreadable_input_says_why(open_app, page, idle):
    seq2seq_page(open_app, LONG)
    button(page, "s2s_train").click()
    expect(bar(page)).to_contain_text(re.compile(r"^step [1-9]\d* of 5000 — training…$"), timeout=TRAINING_MS)
    button(page, "s2s_stop").click()
    expect(bar(page)).to_contain_text(re.compile(r"^step \d+ of 5000 — stopped$"))
    expect(page.get_by_role("heading", name="Try it")).to_be_visible()
    box = page.locator(".st-key-s2s_text input")
    box.fill("12a")
    box.press("Enter")
    expect(errors(page)).to_have_count(1)
    expect(errors(page)).to_contain_text("'a' cannot")
    expect(errors(page)).to_contain_text("The last good input is kept.")
    expect(box).to_have_value("271828")
    box.fill("4 3 2 1")
    box.press("Enter")
    expect(page.get_by_role("heading", name=re.compile(r"^4321 → "))).to_be_visible()
    expect(errors(page)).to_have_count(0)
    idle(page)
    no_exception(page)
