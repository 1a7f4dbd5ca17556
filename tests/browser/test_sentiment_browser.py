"""The Sentiment page in a real browser: Train at the defaults shows the progress and the live training
chart as the fragment trains in slices, then the per-category results and the running prediction over
the words of the default sentence; Stop keeps what was trained; an empty sentence says why and keeps the
last good one, an unknown word is marked ⟨unk⟩.

What AppTest cannot see: the fragment redrawing the progress bar and the chart, the Plotly charts drawn,
the HTML chips of the sentence, the text box typed into by hand.
"""
import re

from playwright.sync_api import expect

from browserkit import bar, button, drawn, errors, no_exception, training_page

TRAINING_MS = 300_000  # only a hung run fails: the default run takes seconds
LONG = "/sentiment?steps=2000"


def sentiment_page(open_app, path):
    return training_page(open_app, path, "Sentiment", "se_train")


def test_train_at_the_defaults_shows_progress_then_the_results_and_the_running_prediction(open_app, page, idle):
    sentiment_page(open_app, "/sentiment")
    expect(drawn(page, "se_pad_grid")).to_be_visible()  # the padding check runs before any training
    button(page, "se_train").click()
    expect(bar(page)).to_contain_text(re.compile(r"^step \d+ of 400 — training…$"))
    expect(drawn(page, "se_training")).to_be_visible()
    expect(bar(page)).to_contain_text("step 400 of 400 — finished", timeout=TRAINING_MS)
    expect(drawn(page, "se_categories")).to_be_visible()
    expect(page.get_by_role("heading", name="Try a sentence")).to_be_visible()
    expect(page.locator(".se-chips .se-chip")).to_have_count(11)  # the default sentence's 11 tokens
    page.get_by_text("The words the model knows").click()  # the vocabulary, to pick known words from
    expect(page.locator(".se-known .se-chip").filter(has_text=re.compile("^wonderful$"))).to_be_visible()
    expect(drawn(page, "se_running")).to_be_visible()
    expect(page.locator(".st-key-se_running .gtitle")).to_have_text("The prediction after each word")
    expect(page.locator(".st-key-se_running .xtick")).to_have_count(11)  # one tick per word
    expect(drawn(page, "se_gates")).to_be_visible()
    expect(page.get_by_text("The check runs the trained model (step 400).")).to_be_visible()
    expect(button(page, "se_stop")).to_be_disabled()
    idle(page)
    no_exception(page)


def test_stop_keeps_what_was_trained_and_typed_sentences_say_what_they_hold(open_app, page, idle):
    sentiment_page(open_app, LONG)
    button(page, "se_train").click()
    expect(bar(page)).to_contain_text(re.compile(r"^step \d+ of 2000 — training…$"))
    button(page, "se_stop").click()
    expect(bar(page)).to_contain_text(re.compile(r"^step \d+ of 2000 — stopped$"))
    expect(page.get_by_role("heading", name="Try a sentence")).to_be_visible()
    box = page.locator(".st-key-se_sentence input")
    box.fill("the film was zorbly good")
    box.press("Enter")
    expect(page.locator(".se-chips .se-unk")).to_have_count(1)
    expect(page.locator(".se-chips .se-unk")).to_contain_text("zorbly")
    box.fill("")
    box.press("Enter")
    expect(errors(page)).to_have_count(1)
    expect(errors(page)).to_contain_text("The sentence is empty")
    expect(errors(page)).to_contain_text("The last good sentence is kept.")
    expect(box).to_have_value("the film was zorbly good")
    idle(page)
    no_exception(page)
