"""The Variants page in a real browser: the variant's cell and, in the second tab, the plain LSTM's are
drawn at full width with live values; the variant picker and the step slider redraw them and write
the link; a variant switch keeps the picker where it was and the race's Train button the same button,
so a click right after a switch starts the race.

What AppTest cannot see: Plotly drawing a chart that starts in a hidden tab, the picker clicked by
hand, and the browser keeping a widget or drawing it anew.
"""
import re

from playwright.sync_api import expect

from browserkit import bar, button, drawn, no_exception, visible_chart
from conftest import wait_rerun

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


TAG_JS = "sel => { document.querySelector(sel).__kept = true; }"
KEPT_JS = "sel => !!document.querySelector(sel)?.__kept"  # the same DOM node: the browser kept it


def test_a_variant_switch_keeps_the_picker_in_place_and_train_the_same_button(open_app, page, idle):
    open_app("/variants")
    picker, train = ".st-key-va_variant", ".st-key-vr_train button"
    for name in ("GRU", "Bidirectional", "Stacked", "Peephole"):  # lessons' sentences come and go
        top = page.locator(picker).bounding_box()["y"]
        for selector in (picker, train):
            page.evaluate(TAG_JS, selector)
        wait_rerun(page, lambda: page.locator(f"{picker} button", has_text=name).click())
        assert page.locator(picker).bounding_box()["y"] == top, name
        assert page.evaluate(KEPT_JS, train), f"{name}: the Train button was drawn anew"
    page.locator(f"{picker} button", has_text="GRU").click()
    button(page, "vr_train").click()  # at once, while the switch still reruns
    expect(bar(page)).to_contain_text(re.compile(r"^step \d+ of 300 — training…$"))
    button(page, "vr_stop").click()
    expect(bar(page)).to_contain_text(re.compile(r"— stopped$"))
    idle(page)
    no_exception(page)
