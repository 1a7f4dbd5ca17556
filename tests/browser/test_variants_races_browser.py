"""The Variants page's training race in a real browser: Train at the defaults shows the progress and both
models' live curves as the fragment trains in slices, then the result lines and the verdict; Stop keeps
what ran.

What AppTest cannot see: the fragment redrawing the progress bar and the charts as the race runs.
"""
import re

from playwright.sync_api import expect

from browserkit import bar, button, drawn, no_exception, training_page

TRAINING_MS = 120_000  # only a hung race fails: the default runs in ~5 to 16 s here


def test_the_bidirectional_race_runs_at_the_defaults_with_progress_to_its_verdict(open_app, page, idle):
    training_page(open_app, "/variants?variant=bidirectional", "Variants", "vr_train")
    expect(drawn(page, "vr_acc")).to_be_visible()  # before training, empty
    button(page, "vr_train").click()
    expect(bar(page)).to_contain_text(re.compile(r"^step \d+ of 300 — training…$"))
    expect(drawn(page, "vr_loss")).to_be_visible()
    expect(bar(page)).to_contain_text("step 300 of 300 — finished", timeout=TRAINING_MS)
    expect(page.get_by_text(re.compile(r"^bidirectional LSTM: 90 % at step \d+"))).to_be_visible()
    expect(page.get_by_text("— holds here.")).to_be_visible()
    expect(button(page, "vr_stop")).to_be_disabled()
    idle(page)
    no_exception(page)


def test_stop_keeps_the_race_so_far_without_a_verdict(open_app, page, idle):
    training_page(open_app, "/variants?variant=stacked", "Variants", "vr_train")
    button(page, "vr_train").click()
    expect(bar(page)).to_contain_text(re.compile(r"^step [1-9]\d* of 800 — training…$"), timeout=TRAINING_MS)
    button(page, "vr_stop").click()
    expect(bar(page)).to_contain_text(re.compile(r"^step \d+ of 800 — stopped$"))
    expect(page.get_by_text(re.compile("the verdict needs the whole race"))).to_be_visible()
    expect(page.get_by_text("The claim —")).to_have_count(0)
    idle(page)
    no_exception(page)
