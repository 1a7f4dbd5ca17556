"""The Writing-text page in a real browser: Train shows the progress, the loss chart and the samples
as the fragment trains in slices, then the generated text and its next-character bars; Stop keeps
what was trained; a seed text the model cannot read says which characters and the last good stays.

What AppTest cannot see: the fragment redrawing the progress bar and the samples, the HTML blocks
the samples and the generated text are drawn in, the text area typed into by hand.
"""
import re

from playwright.sync_api import expect

from browserkit import bar, button, errors, no_exception, training_page, visible_chart

TRAINING_MS = 300_000  # only a hung run fails: these runs take seconds
SMALL = "/text?units=32&steps=100"
LONG = "/text?steps=3000"


def text_page(open_app, path):
    return training_page(open_app, path, "Writing text", "tx_train")


def test_train_shows_progress_and_samples_then_the_generation(open_app, page, idle):
    text_page(open_app, SMALL)
    button(page, "tx_train").click()
    expect(bar(page)).to_contain_text(re.compile(r"^step \d+ of 100 — training…$"))
    expect(visible_chart(page, "tx_loss").locator(".main-svg").first).to_be_visible()
    expect(page.locator(".text-samples .text-step").first).to_contain_text(re.compile(r"^step \d+ · loss"))
    expect(bar(page)).to_contain_text("step 100 of 100 — finished", timeout=TRAINING_MS)
    expect(page.locator(".text-samples .text-step").first).to_contain_text("step 100 · loss")
    expect(page.get_by_role("heading", name="Generate")).to_be_visible()
    expect(page.locator(".text-out .seed").first).to_have_text("The Zen of Python, by Tim Peters\n\nBeauti")
    expect(page.locator(".text-out .at")).to_have_count(1)
    expect(visible_chart(page, "tx_topk").locator(".main-svg").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Character 1 of 200: "))).to_be_visible()
    expect(page.get_by_text("T = 1.5", exact=True)).to_be_visible()  # the side-by-side temperatures
    expect(button(page, "tx_stop")).to_be_disabled()
    idle(page)
    no_exception(page)


def test_stop_keeps_the_steps_trained_and_a_bad_seed_text_says_why(open_app, page, idle):
    text_page(open_app, LONG)
    button(page, "tx_train").click()
    expect(page.locator(".text-samples .text-step").first).to_be_visible(timeout=TRAINING_MS)
    button(page, "tx_stop").click()
    expect(bar(page)).to_contain_text(re.compile(r"^step \d+ of 3000 — stopped$"))
    expect(page.get_by_role("heading", name="Generate")).to_be_visible()
    seed = page.locator(".st-key-tx_seed_text textarea")
    seed.fill("Beautiful ü")
    seed.press("Control+Enter")
    expect(errors(page)).to_have_count(1)
    expect(errors(page)).to_contain_text("'ü'")
    expect(errors(page)).to_contain_text("The last good seed text is kept.")
    expect(seed).to_have_value("The Zen of Python, by Tim Peters\n\nBeauti")
    idle(page)
    no_exception(page)
