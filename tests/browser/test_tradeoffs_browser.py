"""The Trade-offs page in a real browser: Measure draws the engine's times against T and the words under them;
the learning-rate sweep at the defaults shows its progress as the fragment trains and ends with every rate
drawn; the experiment picker switches sections and writes the link.

What AppTest cannot see: the fragment redrawing the progress bar and the chart, the lines Plotly draws, the
picker clicked by hand.
"""
import re

from playwright.sync_api import expect

from browserkit import bar, button, drawn, no_exception, training_page, visible_chart

TRAINING_MS = 300_000  # only a hung run fails: the default sweep takes seconds on an idle machine


def test_measure_draws_the_times_against_t_and_says_what_they_show(open_app, page, idle):
    page = open_app("/tradeoffs")
    expect(page.locator("h1").first).to_contain_text("Trade-offs")
    expect(drawn(page, "vt_mults")).to_be_visible()
    button(page, "vt_measure").click()
    expect(page.get_by_text(re.compile(r"^Measured here with H = 32"))).to_be_visible(timeout=60_000)
    for key in ("vt_time_seq", "vt_time_step", "vt_time_split"):
        expect(drawn(page, key)).to_be_visible()
    expect(visible_chart(page, "vt_time_seq").locator(".scatterlayer .trace")).to_have_count(3)
    idle(page)
    no_exception(page)


def test_the_sweep_at_the_defaults_trains_with_progress_and_draws_every_rate(open_app, page, idle):
    page = training_page(open_app, "/tradeoffs?experiment=lr", "Trade-offs", "vt_lr_run")
    button(page, "vt_lr_run").click()
    expect(bar(page)).to_contain_text(re.compile(r"^\d+ of 27 trainings — training…$"))
    expect(bar(page)).to_contain_text("27 of 27 trainings — finished", timeout=TRAINING_MS)
    lines = visible_chart(page, "vt_lr_curve").locator(".scatterlayer .trace")
    expect(lines.first.locator(".point")).to_have_count(9)
    expect(page.get_by_text(re.compile(r"^Validation accuracy of 90\s% or more after 150 steps"))).to_be_visible()
    page.locator(".st-key-vt_experiment").get_by_text("Overfitting on small data").click()
    expect(page).to_have_url(re.compile(r"experiment=overfit"))
    expect(button(page, "vt_fit_train")).to_be_enabled()
    idle(page)
    no_exception(page)
