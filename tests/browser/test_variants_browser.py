"""The Variants page in a real browser: the variant's cell and, in the second tab, the plain LSTM's are
drawn at full width with live values; the variant picker and the step slider redraw them and write
the link.

What AppTest cannot see: Plotly drawing a chart that starts in a hidden tab, and the picker clicked
by hand.
"""
import re

from playwright.sync_api import expect

from browserkit import drawn, no_exception, visible_chart

TITLE = ".gtitle"


def test_both_cells_are_drawn_wide_with_live_values_and_the_picker_redraws(open_app, page, idle):
    open_app("/variants")
    expect(page.locator("h1").first).to_contain_text("Variants")
    expect(visible_chart(page, "va_cell_variant").locator(TITLE)).to_contain_text("peephole LSTM — step 24 of 24")
    page.get_by_role("tab", name="plain LSTM").click()
    plain = visible_chart(page, "va_cell_plain")
    expect(plain.locator(TITLE)).to_contain_text("plain LSTM — step 24 of 24")
    width = drawn(page, "va_cell_plain").bounding_box()["width"]
    assert width > 800, width  # drawn at the tab's width, not as a hidden 0-wide chart
    forget = plain.locator("g.annotation", has_text="forget").first
    expect(forget).to_contain_text(re.compile(r"forget0\.\d{3}"))
    page.locator(".st-key-va_variant button", has_text="GRU").click()
    cell = visible_chart(page, "va_cell_variant").locator(TITLE)
    expect(cell).to_contain_text("GRU — step 24 of 24", timeout=20_000)
    expect(page).to_have_url(re.compile(r"variant=gru"))
    page.get_by_role("slider", name="Step shown t").focus()
    page.keyboard.press("ArrowLeft")
    expect(cell).to_contain_text("GRU — step 23 of 24", timeout=20_000)
    expect(page).to_have_url(re.compile(r"t=23"))
    idle(page)
    no_exception(page)
