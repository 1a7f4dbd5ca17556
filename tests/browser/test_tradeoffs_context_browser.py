"""The Trade-offs page's short-term and limited-context runs in a real browser: Run at the defaults shows
the progress while the fragment trains in slices, then the charts and the verdict; Stop keeps what ran.

What AppTest cannot see: the fragment redrawing the progress bar, the lines Plotly draws.
"""
import re

from playwright.sync_api import expect

from browserkit import bar, button, drawn, no_exception, training_page, visible_chart

RUN_MS = 300_000  # only a hung run fails: the default runs take seconds


def test_the_short_term_run_at_the_defaults_draws_both_models_and_its_verdict(open_app, page, idle):
    training_page(open_app, "/tradeoffs?experiment=short_term", "Trade-offs", "vd_st_run")
    expect(drawn(page, "vd_st_acc")).to_be_visible()  # before the run, empty
    button(page, "vd_st_run").click()
    expect(bar(page)).to_contain_text(re.compile(r"LSTM step \d+ of 300 — (training…|finished)$"))
    expect(bar(page)).to_contain_text("LSTM step 300 of 300 — finished", timeout=RUN_MS)
    expect(visible_chart(page, "vd_st_acc").locator(".scatterlayer .trace")).to_have_count(3)
    expect(page.get_by_text("the LSTM matches it first at step 190 of 300")).to_be_visible()
    idle(page)
    no_exception(page)


def test_the_delay_run_then_a_stopped_items_run(open_app, page, idle):
    training_page(open_app, "/tradeoffs?experiment=context", "Trade-offs", "vd_ctx_run")
    button(page, "vd_ctx_run").click()
    expect(bar(page)).to_contain_text("testing at delay 500 (the longest: 500) — finished", timeout=RUN_MS)
    expect(page.get_by_text("here its memory is not limited in time")).to_be_visible()
    page.locator(".st-key-vd_ctx button", has_text="against number of items").click()
    idle(page)
    button(page, "vd_ctx_run").click()
    expect(button(page, "vd_ctx_stop")).to_be_enabled()  # drawn disabled before the run, as every Stop
    button(page, "vd_ctx_stop").click()
    expect(bar(page)).to_contain_text(re.compile(r"model for n = \d+ \(\d of 6\): step \d+ of 600 — stopped$"))
    idle(page)
    no_exception(page)
