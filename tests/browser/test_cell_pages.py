"""The cell pages in a real browser: they load, the animation plays, edits redraw, links restore.

What AppTest cannot see: the frontend. Plotly draws the diagram's numbers as SVG text, the
animation runs client-side, and the link in the address bar is what a teacher shares.
"""
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

from browserkit import diagram_title, gate_text, no_exception, read_when, sigmoid
from lstm_core import lstm_forward
from ui.cell.equations import num
from ui.cell.state import from_query


def _model(link):
    """The (params, xs) a cell-page link describes."""
    cell = from_query(dict(parse_qsl(urlsplit(link).query)))
    return cell.params(), cell.sequence()

PAGES = [("/", "LSTM Explorer"), ("/inside_cell", "Inside the cell"), ("/through_time", "Through time")]
SHARED_LINK = "/inside_cell?H=3&t=4&unit=2&gen=square&length=30"
LONG_ANIMATION = "/through_time?length=100&t=9"  # 91 frames of 700 ms from step 10: it cannot end before Pause


# The animation (the chart with Play and Pause), and whether Plotly has stopped animating, with no
# frame queued and no animation loop scheduled, so that nothing can advance.
CONVEYOR_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')]
    .find(gd => gd.querySelector('.updatemenu-button'))"""
STOPPED_JS = f"""() => {{
  const gd = ({CONVEYOR_JS})(), t = gd._transitionData || {{}};
  return (t._frameQueue || []).length === 0 && t._animationRaf == null
    ? {{shown: gd.layout.sliders[0].active, frames: t._frames.length}} : null;
}}"""
NO_ANIMATION_JS = "el => el.getAnimations({subtree: true}).length === 0"


def expand(page, label):
    """Open the expander titled `label`; return it once it has finished animating open."""
    expander = page.locator('[data-testid="stExpander"]').filter(  # by its title: another's text may say it
        has=page.locator("summary", has_text=label))
    expander.locator("summary").click()
    expect(expander.locator("details")).to_have_attribute("open", "")
    page.wait_for_function(NO_ANIMATION_JS, arg=expander.element_handle())
    return expander


@pytest.mark.parametrize("path, title", PAGES)
def test_page_loads_with_its_title_and_charts_and_no_exception(open_app, path, title):
    page = open_app(path)
    no_exception(page)
    expect(page.locator("h1").first).to_contain_text(title)
    expect(page.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible()


def test_play_runs_the_cell_diagram_from_the_cursor_in_the_browser_and_pause_stops_it(open_app):
    page = open_app(LONG_ANIMATION)
    trace = lstm_forward(*_model(LONG_ANIMATION))
    conveyor = page.locator('[data-testid="stPlotlyChart"]').filter(
        has=page.locator(".updatemenu-button"))
    step = conveyor.locator("text.slider-label", has_text="animation at time step t =")
    forget = conveyor.locator("g.annotation", has_text="forget").first
    expect(step).to_have_text("animation at time step t = 10")  # the page's cursor, t = 10
    expect(forget).to_have_text(f"forget{num(trace.f[9, 0])}")
    conveyor.locator(".updatemenu-button", has_text="Play").click()
    expect(step).to_have_text(re.compile(r"time step t = (1[2-9]|[2-9]\d)$"))
    conveyor.locator(".updatemenu-button", has_text="Pause").click()
    stopped = read_when(page, STOPPED_JS)
    assert 11 <= stopped["shown"] < stopped["frames"] - 1, "paused after it advanced, before its end"
    shown = stopped["shown"]  # frame k is step k + 1 (one frame per step)
    expect(step).to_have_text(f"animation at time step t = {shown + 1}")  # the label shows that frame
    expect(forget).to_have_text(f"forget{num(trace.f[shown, 0])}")  # and the diagram that step's engine value
    expect(conveyor.locator(".gtitle")).to_have_text(f"Inside the cell — step {shown + 1} of 100, unit 1")
    expect(page.get_by_role("slider", name="Time step t")).to_have_value("10")  # the page's cursor stays
    no_exception(page)


def test_forget_bias_slider_moves_the_forget_gate_number_on_the_diagram(open_app):
    page = open_app("/inside_cell")
    forget = gate_text(page, "forget")
    # step 1 of the default sine: x_1 = 0 and h_0 = 0, so the forget gate is exactly σ(b_f)
    expect(gate_text(page, "= [")).to_have_text(re.compile(r"^x\W*t\W* = \[0\.000\]$"))
    expect(forget).to_have_text(f"forget{sigmoid(1.0):.3f}")
    slider = expand(page, "Weights and biases").get_by_role("slider", name="Forget-gate bias b_f")
    slider.focus()
    page.keyboard.press("ArrowRight")  # one step of 0.5
    expect(forget).to_have_text(f"forget{sigmoid(1.5):.3f}")
    slider.focus()
    page.keyboard.press("End")
    expect(forget).to_have_text(f"forget{sigmoid(6.0):.3f}")
    expect(page).to_have_url(re.compile(r"[?&]forget_bias=6(\.0)?(&|$)"))  # the link carries the bias
    no_exception(page)


def test_typing_into_the_weight_table_changes_the_diagram(open_app, idle):
    page = open_app("/inside_cell")
    forget = gate_text(page, "forget")
    table = expand(page, "Weights and biases").locator('[data-testid="stDataFrame"]').first
    expect(table).to_be_visible()  # the tables are drawn by the rerun that opening the expander asks for
    idle(page)
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    # the grid is a canvas: the last column is 'bias', the first row under the header is unit 1
    page.mouse.dblclick(box["x"] + box["width"] - 20, box["y"] + 35 + 17)
    cell_editor = page.locator("input.gdg-input")  # the grid's overlay editor
    expect(cell_editor).to_have_value("1")
    cell_editor.fill("3")
    cell_editor.press("Enter")
    expect(forget).to_have_text(f"forget{sigmoid(3.0):.3f}")  # x_1 = h_0 = 0: f = σ(b_f)
    expect(page).to_have_url(re.compile(r"[?&]weights="))  # edited weights travel in the link
    no_exception(page)


def test_shared_link_restores_the_step_the_unit_and_the_sizes(open_app):
    page = open_app(SHARED_LINK)
    expect(page.get_by_role("slider", name="Time step t")).to_have_value("5")
    expect(page.get_by_role("slider", name="Hidden units H")).to_have_value("3")
    expect(diagram_title(page)).to_have_text("Inside the cell — step 5 of 30, unit 3")
    expect(page.get_by_text("The equations at step 5, unit 3")).to_be_visible()
    no_exception(page)


def test_broken_link_shows_a_warning_and_the_defaults(open_app):
    page = open_app("/inside_cell?H=banana")
    warning = page.locator('[data-testid="stAlertContentWarning"]')
    expect(warning).to_contain_text("The link could not be opened")
    expect(warning).to_contain_text("'H'")
    expect(diagram_title(page)).to_have_text("Inside the cell — step 1 of 24, unit 1")
    no_exception(page)


def test_bad_typed_sequence_shows_an_error_and_keeps_the_last_good_input(open_app, idle):
    page = open_app("/inside_cell")
    editor = expand(page, "Input sequence")
    editor.get_by_text("Type numbers").click()
    expect(editor.get_by_label("Sequence")).to_be_visible()  # drawn by the rerun the click started
    idle(page)  # which has finished
    editor.get_by_label("Sequence").fill("1, two, 3")
    editor.get_by_role("button", name="Use this sequence").click()
    expect(page.locator('[data-testid="stAlertContentError"]')).to_contain_text(
        "The last good sequence is still in use.")
    expect(diagram_title(page)).to_have_text("Inside the cell — step 1 of 24, unit 1")
    no_exception(page)


def test_first_visitor_of_a_shared_link_after_a_server_start_sees_no_page_not_found(
        page, fresh_app_url, idle):
    page.goto(fresh_app_url + SHARED_LINK)
    idle(page)
    expect(diagram_title(page)).to_have_text("Inside the cell — step 5 of 30, unit 3")
    expect(page.get_by_role("dialog")).to_have_count(0)
