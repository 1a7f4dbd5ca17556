"""The training lab in a real browser: training runs live, Stop stops it, the LSTM wins and travels.

What AppTest cannot see: the fragment that trains in slices redraws the progress bar and the
charts while the page stays usable, the results table is drawn on a canvas, and the trained LSTM
lands on another page through the browser's navigation. Screens are 1280 px wide, a laptop's.
"""
import re

import pytest
from playwright.sync_api import expect

from browserkit import bar, button, no_exception, read_when, visible_chart
from conftest import wait_rerun
from ui.training import state as TS

LAPTOP = {"width": 1280, "height": 1000}
TRAINING_MS = 300_000  # only a hung run fails: how long training takes is in benchmarks/browser.py
LONG_LINK = "/training?steps=2000"  # 3 models × 2000 steps: still running long after the test has looked
LAB_H = 3  # not the lab's default (4) nor the cell pages' (2)
QUICK_LINK = f"/training?steps=30&T=10&n_train=256&H={LAB_H}"  # about a second of training
# What the page shows at one instant: the progress bar's step (per model), budget and word, and how
# many steps the loss chart draws for the model furthest on (its "raw" lines have a point per
# step). Null while either is missing. A fragment rerun can leave an empty 0 × 0 copy of an
# element: only what has a size counts.
SHOWN_JS = """() => {
  const sized = el => el.getBoundingClientRect().width > 0;
  const bars = [...document.querySelectorAll('[data-testid="stProgress"]')].filter(sized);
  const words = bars.length === 1 && bars[0].innerText.trim()
    .match(/^step (\\d+) of (\\d+) for (?:the model|each of the \\d+ models) — (training…|stopped|finished)$/);
  const gd = [...document.querySelectorAll('.st-key-t_loss .js-plotly-plot')].find(sized);
  const raw = (gd?._fullData ?? []).filter(trace => String(trace.meta).startsWith('raw '));
  return words && raw.length ? {done: +words[1], planned: +words[2], status: words[3],
                                charted: Math.max(...raw.map(trace => trace._length))} : null;
}"""
TICKS_JS = """() => {
  const gd = [...document.querySelectorAll('.st-key-t_loss .js-plotly-plot')]
    .find(el => el.getBoundingClientRect().width > 0);
  const ticks = [...(gd?.querySelectorAll('.xtick text') ?? [])].map(tick => tick.textContent);
  return ticks.length ? ticks : null;
}"""

# Watches the live charts from before Train is pressed: records each chart's drawn copies (by their
# Plotly defs id: a new id is a new copy, mounted by a redraw) and every DOM change after which a
# drawn earlier copy existed but no drawn copy was shown (the chart had blinked out).
WATCH_JS = """() => {
  window.blanks = []; window.copies = {t_loss: new Set(), t_acc: new Set()};
  const drawn = el => !!el.querySelector('.main-svg');
  const shown = el => el.getBoundingClientRect().width > 0 && getComputedStyle(el).display !== 'none';
  new MutationObserver(() => {
    for (const key of Object.keys(window.copies)) {
      const copies = [...document.querySelectorAll('.st-key-' + key)];
      copies.forEach(el => { const id = el.querySelector('defs')?.id; if (id) window.copies[key].add(id); });
      if (copies.some(el => el.dataset.retained && drawn(el)) && !copies.some(el => shown(el) && drawn(el)))
        window.blanks.push(key);
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true});
  return true;
}"""


def shown(page, until="true"):
    """What the page shows (see SHOWN_JS) as a dict, read once the JS condition `until` on it, `s`,
    holds: the bar and the chart are read together, never one of them half redrawn."""
    return read_when(page, f"() => {{ const s = ({SHOWN_JS})(); return s && ({until}) ? s : null; }}")


def results(page):
    """The results table as {model: {column: text}}, read from its HTML rows."""
    table = page.locator('[data-testid="stTable"] table')
    expect(table.locator("tbody tr").first).to_be_attached()
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
    expect(button(page, "t_train")).to_be_enabled()
    return page


def train_to_the_end(page, idle):
    """Press Train and wait for the finished page: its last chart drawn and the app settled."""
    button(page, "t_train").click()
    expect(bar(page)).to_contain_text("finished", timeout=TRAINING_MS)
    # the closing rerun redraws the page from the top: under load "finished" shows before the charts
    expect(visible_chart(page, "t_trainval").locator(".main-svg").first).to_be_visible()
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
    first = shown(page, "s.status === 'training…' && s.done > 0")
    assert first["planned"] == 2000  # each model's budget, not their sum
    ticks = read_when(page, TICKS_JS)
    assert ticks[-1] == "2000", "the x axis spans the whole budget from the start"
    shown(page, f"s.done > {first['done']} && s.charted > {first['charted']}")  # bar and curves advance
    expect(visible_chart(page, "t_loss").locator(".xtick text")).to_have_text(ticks)  # the axis stays still
    race = page.locator('[data-testid="stHorizontalBlock"]').filter(has=visible_chart(page, "t_loss"))
    race.screenshot(path=str(screenshots / "training_while_running.png"))

    expect(button(page, "t_stop")).to_be_enabled()  # the page answers while it trains
    button(page, "t_stop").click()
    stopped = shown(page, "s.status === 'stopped' && s.charted === s.done")["done"]
    assert 0 < stopped < 2000
    expect(button(page, "t_stop")).to_be_disabled()  # drawn by the rerun that Stop started
    idle(page)  # which has finished: Streamlit's R key reruns only an idle app
    # a whole rerun would train on if the run were still going; the key goes to the page (the Stop
    # button, disabled under the focus, would swallow it)
    page.evaluate("document.activeElement.blur()")
    wait_rerun(page, lambda: page.keyboard.press("r"))
    assert shown(page) == {"done": stopped, "planned": 2000, "status": "stopped", "charted": stopped}
    no_exception(page)


def test_while_training_a_redrawn_chart_shows_its_last_drawing_until_the_new_one_is_drawn(open_app, page):
    lab(open_app, page, LONG_LINK)
    page.evaluate(WATCH_JS)
    button(page, "t_train").click()
    # each chart redrawn as a new copy several times (waited for by count, not by steps: a faster
    # engine trains more steps a slice, so 60 steps no longer mean three redraws)
    page.wait_for_function("() => Math.min(...Object.values(window.copies).map(ids => ids.size)) >= 3")
    shown(page, "s.status === 'training…'")  # still training: the redraws were the live ones
    assert page.evaluate("() => window.blanks") == []
    button(page, "t_stop").click()
    expect(bar(page)).to_contain_text("stopped")

def test_the_default_experiment_finishes_and_only_the_lstm_remembers(open_app, page, idle):
    lab(open_app, page)
    lesson = page.locator('[data-testid="stAlertContentInfo"]', has_text="LSTM remembers, RNN forgets")
    expect(lesson).to_be_visible()
    train_to_the_end(page, idle)
    assert shown(page) == {"done": 300, "planned": 300, "status": "finished", "charted": 300}
    table = results(page)
    assert percent(table["LSTM"]["validation accuracy"]) >= 0.95, table
    assert percent(table["tanh RNN"]["validation accuracy"]) < 0.70, table
    no_exception(page)


def test_the_trained_lstm_opens_in_inside_the_cell_with_the_labs_hidden_size(open_app, page, idle):
    lab(open_app, page, QUICK_LINK)
    train_to_the_end(page, idle)
    page.get_by_role("button", name="Open the trained LSTM in Inside the cell").click()
    expect(page).to_have_url(re.compile(r"/inside_cell(\?|$)"))
    expect(page.locator("h1").first).to_contain_text("Inside the cell")
    expect(page.get_by_role("slider", name="Hidden units H")).to_have_value(str(LAB_H))
    expect(visible_chart(page, "cell_diagram").locator(".main-svg").first).to_be_visible()
    idle(page)
    no_exception(page)


def test_with_large_fonts_the_charts_stack_and_no_title_is_cut_off(open_app, page, idle):
    lab(open_app, page, QUICK_LINK + "&large=1")
    train_to_the_end(page, idle)
    loss, accuracy = (visible_chart(page, key).bounding_box() for key in ("t_loss", "t_acc"))
    assert accuracy["y"] >= loss["y"] + loss["height"], "one above the other"
    assert cut_off_titles(page) == []
    no_exception(page)


@pytest.mark.parametrize("task", ["remember_first", "sine"])  # sine: the accuracy named within ±0.1
def test_side_by_side_at_laptop_width_no_title_is_cut_off(open_app, page, idle, task):
    lab(open_app, page, f"{QUICK_LINK}&task={task}")
    train_to_the_end(page, idle)
    assert cut_off_titles(page) == []
