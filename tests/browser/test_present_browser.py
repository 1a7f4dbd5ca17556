"""Teacher mode and the guided path in a real browser: what AppTest cannot see is the CSS (the text
really grows, the sidebar is really gone) and the address bar the path's links leave behind.
One server for the module; Playwright's retrying expect, no sleeps; a screenshot per page."""
import re

import pytest
from playwright.sync_api import expect

from browserkit import no_exception
from conftest import full_page_screenshot

from ui.path.steps import STEPS

CHART = '[data-testid="stPlotlyChart"] .main-svg'
PAGES = [("/", "LSTM Explorer", CHART), ("/inside_cell", "Inside the cell", CHART),
         ("/through_time", "Through time", CHART), ("/gradients", "Vanishing & exploding gradients", CHART),
         ("/training", "Training lab", 'button:has-text("Train")')]  # path, title, what the view keeps
TEXT_SIZE_JS = """() => parseFloat(getComputedStyle(
    document.querySelector('[data-testid="stMain"] [data-testid="stMarkdownContainer"] p')).fontSize)"""


@pytest.mark.parametrize("path, title, kept", PAGES)
def test_present_mode_grows_the_text_hides_the_sidebar_and_keeps_the_charts(open_app, screenshots,
                                                                            path, title, kept):
    normal = open_app(path).evaluate(TEXT_SIZE_JS)
    page = open_app(f"{path}?present=1")
    no_exception(page)
    expect(page.locator("h1").first).to_contain_text(title)
    expect(page.locator('[data-testid="stSidebar"]')).to_have_count(0)
    expect(page.locator(kept).first).to_be_visible()
    assert page.evaluate(TEXT_SIZE_JS) >= 1.2 * normal
    name = path.strip("/") or "home"
    full_page_screenshot(page, screenshots / f"present_{name}.png")


def test_the_paths_next_step_link_carries_the_answers_to_the_next_page(open_app):
    page = open_app("/")
    page.get_by_text("Some of it: between").click()
    page.get_by_role("button", name="Commit my answer").click()
    expect(page.locator('[data-testid="stAlert"]', has_text="Right.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"path=rnn\.1"))
    page.get_by_role("link", name=re.compile("Next step")).click()
    expect(page).to_have_url(re.compile(r"/inside_cell\?path=rnn\.1$"))
    expect(page.locator("h1").first).to_contain_text("Inside the cell")
    page.reload()
    expect(page.get_by_text(f"Guided path, step 2 of {len(STEPS)}")).to_be_visible()
    no_exception(page)
