"""The training lab in a real browser: training runs live, Stop stops it, the LSTM wins and travels.

What AppTest cannot see: the fragment that trains in slices redraws the progress bar and the
charts while the page stays usable, the results table is drawn on a canvas, and the trained LSTM
lands on another page through the browser's navigation. Screens are 1280 px wide, a laptop's.
"""
import re

from playwright.sync_api import expect

from browserkit import SLOW_MS, no_exception, visible_chart
from ui.training import state as TS

LAPTOP = {"width": 1280, "height": 1000}
STOP_MS = 5_000  # Stop acts within a slice of training: 0.2-0.6 s measured on two idle cores
DEFAULT_RUN_MS = 60_000  # the default experiment, 3 models × 300 steps, must finish within a minute
LONG_LINK = "/training?steps=2000"  # 6000 steps: still running long after the test has looked
LAB_H = 3  # not the lab's default (4) nor the cell pages' (2)
QUICK_LINK = f"/training?steps=30&T=10&n_train=256&H={LAB_H}"  # about a second of training
REACH_JS = """([key]) => Math.max(0, ...[...document.querySelectorAll(`.st-key-${key} .scatterlayer`)]
    .map(layer => layer.getBoundingClientRect().width))"""  # a fragment rerun can leave a 0 × 0 copy
PROGRESS = re.compile(r"^(\d+) of (\d+) steps — (training…|stopped|finished)$")


def button(page, key):
    return page.locator(f'.st-key-{key} button')


def bar(page):
    return page.locator('[data-testid="stProgress"]').filter(visible=True)


def progress(page):
    """(steps done, steps planned, status word) as the progress bar's text says them."""
    text = bar(page).inner_text().strip()
    match = PROGRESS.match(text)
    assert match, f"unexpected progress text {text!r}"
    return int(match[1]), int(match[2]), match[3]


def reach(page, key):
    """How far right (px) the chart's curves reach: it only grows while training, unlike the number
    of markers (a curve drops its markers once it has more than a few dozen points)."""
    return page.evaluate(REACH_JS, [key])


def grows(page, key, px):
    """Wait until the chart's curves reach further right than `px`."""
    page.wait_for_function(f"([key, px]) => ({REACH_JS})([key]) > px", arg=[key, px], timeout=SLOW_MS)


def x_ticks(page, key):
    """The chart's x tick labels, as drawn."""
    return visible_chart(page, key).locator(".xtick text").all_text_contents()


def results(page):
    """The results table as {model: {column: text}}, read from its HTML rows."""
    table = page.locator('[data-testid="stTable"] table')
    expect(table.locator("tbody tr").first).to_be_attached(timeout=SLOW_MS)
    header = [h.strip() for h in table.locator("thead th").all_text_contents()]
    rows = [[c.strip() for c in row.locator("th, td").all_text_contents()]
            for row in table.locator("tbody tr").all()]
    return {row[0]: dict(zip(["model"] + header[1:], row)) for row in rows}


def cut_off_titles(page):
    """The chart titles and subtitles that run past their chart's right edge."""
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
        .filter(chart => chart.getBoundingClientRect().width > 0)
        .flatMap(chart => {
            const width = chart.querySelector('.main-svg').getBoundingClientRect().width;
            return [...chart.querySelectorAll('.gtitle, .gtitle-subtitle')]
                .filter(t => t.getBBox().x + t.getBBox().width > width)
                .map(t => t.textContent);
        })""")


def percent(text):
    return float(text.rstrip("%")) / 100


def lab(open_app, page, path="/training"):
    """Load a training-lab link at laptop width and wait for its Train button."""
    page.set_viewport_size(LAPTOP)
    open_app(path)
    expect(button(page, "t_train")).to_be_enabled(timeout=SLOW_MS)
    return page


def train_to_the_end(page, idle, timeout_ms=DEFAULT_RUN_MS):
    """Press Train and wait for the finished page: its last chart drawn and the app settled."""
    button(page, "t_train").click()
    expect(bar(page)).to_contain_text("finished", timeout=timeout_ms)
    # the closing rerun redraws the page from the top: under load "finished" shows before the charts
    expect(visible_chart(page, "t_trainval").locator(".main-svg").first).to_be_visible(timeout=SLOW_MS)
    idle(page)


def test_the_lab_loads_ready_to_train_with_no_exception(open_app, page):
    lab(open_app, page)
    expect(page.locator("h1").first).to_contain_text("Training lab")
    expect(page.get_by_role("slider", name="Delay T (sequence length)")).to_have_value(str(TS.TrainState().T))
    expect(button(page, "t_stop")).to_be_disabled()
    expect(page.locator('[data-testid="stAlertContentInfo"]', has_text="Press Train")).to_be_visible()
    no_exception(page)


def test_training_runs_live_and_stop_freezes_the_step_count(open_app, page, screenshots, idle):
    lab(open_app, page, LONG_LINK)
    button(page, "t_train").click()
    expect(bar(page)).to_contain_text(re.compile(r"[1-9]\d* of"), timeout=SLOW_MS)
    expect(visible_chart(page, "t_loss").locator(".xtick text").first).to_be_visible(timeout=SLOW_MS)
    done, planned, status = progress(page)
    assert (planned, status) == (2000 * 3, "training…")
    reached, ticks = reach(page, "t_loss"), x_ticks(page, "t_loss")
    expect(bar(page)).not_to_have_text(re.compile(rf"^{done} of"), timeout=SLOW_MS)
    assert progress(page)[0] > done, "the progress bar advances"
    grows(page, "t_loss", reached)  # the loss curves gain points
    assert x_ticks(page, "t_loss") == ticks, "the x axis stays still"
    assert ticks[-1] == "2000", "the x axis spans the whole budget from the start"
    race = page.locator('[data-testid="stHorizontalBlock"]').filter(has=visible_chart(page, "t_loss"))
    race.screenshot(path=str(screenshots / "training_while_running.png"))

    expect(button(page, "t_stop")).to_be_enabled()  # the page answers while it trains
    button(page, "t_stop").click()
    expect(bar(page)).to_contain_text("stopped", timeout=STOP_MS)
    stopped = progress(page)
    idle(page)  # no script running and no training fragment scheduled: nothing can add steps
    assert progress(page) == stopped and stopped[0] < stopped[1], "Stop freezes the step count"
    expect(button(page, "t_stop")).to_be_disabled()
    no_exception(page)


def test_the_default_experiment_finishes_within_a_minute_and_only_the_lstm_remembers(open_app, page, idle):
    lab(open_app, page)
    lesson = page.locator('[data-testid="stAlertContentInfo"]', has_text="LSTM remembers, RNN forgets")
    expect(lesson).to_be_visible()
    train_to_the_end(page, idle)
    assert progress(page) == (900, 900, "finished")
    table = results(page)
    assert percent(table["LSTM"]["validation accuracy"]) >= 0.95, table
    assert percent(table["tanh RNN"]["validation accuracy"]) < 0.70, table
    no_exception(page)


def test_the_trained_lstm_opens_in_inside_the_cell_with_the_labs_hidden_size(open_app, page, idle):
    lab(open_app, page, QUICK_LINK)
    train_to_the_end(page, idle)
    page.get_by_role("button", name="Open the trained LSTM in Inside the cell").click()
    expect(page).to_have_url(re.compile(r"/inside_cell(\?|$)"), timeout=SLOW_MS)
    expect(page.locator("h1").first).to_contain_text("Inside the cell", timeout=SLOW_MS)
    expect(page.get_by_role("slider", name="Hidden units H")).to_have_value(str(LAB_H))
    expect(visible_chart(page, "cell_diagram").locator(".main-svg").first).to_be_visible(timeout=SLOW_MS)
    idle(page)
    no_exception(page)


def test_with_large_fonts_the_charts_stack_and_no_title_is_cut_off(open_app, page, idle):
    lab(open_app, page, QUICK_LINK + "&large=1")
    train_to_the_end(page, idle)
    loss, accuracy = (visible_chart(page, key).bounding_box() for key in ("t_loss", "t_acc"))
    assert accuracy["y"] >= loss["y"] + loss["height"], "one above the other"
    assert cut_off_titles(page) == []
    no_exception(page)


def test_side_by_side_at_laptop_width_no_title_is_cut_off(open_app, page, idle):
    lab(open_app, page, QUICK_LINK)
    train_to_the_end(page, idle)
    assert cut_off_titles(page) == []
