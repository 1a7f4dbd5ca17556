"""The Forecasting page in a real browser: training shows its progress and then the results, an
uploaded CSV becomes the series (a bad one says why and the last good series stays), and the
small forecaster lands on Inside the cell through the browser's navigation.

What AppTest cannot see: the fragment that trains in slices redrawing the progress bar, the file
going through the browser's uploader, the select boxes picked by hand, the page switch.
"""
import re

import numpy as np
from playwright.sync_api import expect

from browserkit import bar, button, errors, no_exception, read_when, visible_chart
from conftest import wait_idle
from ui.forecast.figures import METHOD_NAMES
from ui.forecast.lessons import PRESETS

TRAINING_MS = 300_000  # only a hung run fails: the default fit takes seconds
GOOD_ROWS = 80  # 64 training and 16 test rows: room for the default windows of 10
SEQUENCE_PRESET = "A real sequence: look_back steps"
assert SEQUENCE_PRESET in {p.name for p in PRESETS}


def alert(page, kind, text):
    """A Streamlit alert of `kind` (Info, Warning, Error) holding `text`."""
    return page.locator(f'[data-testid="stAlertContent{kind}"]', has_text=text)


def selected(page, key):
    """The select box with widget key `key` (a combobox whose input shows the option chosen)."""
    return page.locator(f".st-key-{key} input[role='combobox']")


def pick(page, key, option):
    """Choose `option` in the select box with widget key `key`, then leave the box: the pointer
    moved off the list and the focus taken away, so no later click or rerun picks another option."""
    selected(page, key).click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(page.get_by_role("listbox")).to_have_count(0)
    page.mouse.move(1, 1)
    page.evaluate("document.activeElement.blur()")
    wait_idle(page)
    expect(selected(page, key)).to_have_value(option)


def forecast_page(open_app, path="/forecast"):
    page = open_app(path)
    expect(page.locator("h1").first).to_contain_text("Forecasting")
    expect(button(page, "f_train")).to_be_enabled()
    return page


# The largest value the series chart draws, from Plotly's decoded data; null until it is drawn.
SERIES_MAX_JS = """() => {
  const gd = [...document.querySelectorAll('.st-key-f_series_fig .js-plotly-plot')]
    .find(el => el.getBoundingClientRect().width > 0);
  const ys = (gd?._fullData ?? []).flatMap(trace => Array.from(trace.y ?? []))
    .filter(y => typeof y === 'number');
  return ys.length ? Math.max(...ys) : null;
}"""


def split_caption(page, rows):
    """The caption that says how the series is cut, for a series of `rows` values."""
    return page.locator('[data-testid="stCaptionContainer"]', has_text=re.compile(rf"^{rows:,} values: the first"))


def train_to_the_end(page):
    """Press Train, see it run, and wait for the finished page's results."""
    button(page, "f_train").click()
    expect(bar(page)).to_contain_text("finished", timeout=TRAINING_MS)
    expect(page.get_by_role("heading", name="How good is the forecast?")).to_be_visible()


def columns(rows):
    """Two numeric columns of `rows` values: temp (7..17) and rain (2..5), far apart on a chart."""
    t = np.arange(rows)
    return {"temp": np.round(12 + 5 * np.sin(t / 6), 2), "rain": np.round(3 + np.cos(t / 4) + 0.01 * t, 3)}


def csv(path, rows, *, duplicate=False):
    """Write a small CSV of daily dates and the two numeric columns to `path`."""
    dates = np.datetime64("2021-03-01") + np.arange(rows)
    if duplicate:
        dates[7] = dates[6]
    cols = columns(rows)
    lines = ["day,temp,rain"] + [f"{d},{a},{b}" for d, a, b in zip(dates, cols["temp"], cols["rain"])]
    path.write_text("\n".join(lines) + "\n")
    return path


def upload(page, file):
    """Put `file` into the page's CSV uploader (opening its expander if needed)."""
    box = page.locator('[data-testid="stExpander"]', has_text="Use your own CSV file")
    if not box.get_by_text("A CSV of at most").is_visible():  # the file input itself is always hidden
        box.locator("summary").click()
    box.locator('input[type="file"]').set_input_files(str(file))
    expect(box.get_by_text(file.name)).to_be_visible()  # sent to the server
    return box


def test_train_at_defaults_shows_progress_then_the_results_table(open_app, page, idle):
    forecast_page(open_app)
    expect(alert(page, "Info", "Press Train to fit the model")).to_be_visible()
    button(page, "f_train").click()
    expect(bar(page)).to_contain_text(re.compile(r"^epoch \d+ of 100 — training…$"))
    expect(visible_chart(page, "f_loss").locator(".main-svg").first).to_be_visible()
    expect(bar(page)).to_contain_text("epoch 100 of 100 — finished", timeout=TRAINING_MS)
    expect(page.get_by_role("heading", name="How good is the forecast?")).to_be_visible()
    rows = page.locator('[data-testid="stTable"] table tbody tr th')
    expect(rows).to_have_text([METHOD_NAMES[m] for m in ("lstm", "persistence", "moving_average", "linear_ar")])
    expect(page.get_by_text(re.compile(r"^Best on the test windows: "))).to_be_visible()
    expect(button(page, "f_stop")).to_be_disabled()
    idle(page)
    no_exception(page)


def test_an_uploaded_csv_with_its_columns_picked_becomes_the_series(open_app, page, idle, tmp_path):
    forecast_page(open_app)
    expect(split_caption(page, 123)).to_be_visible()  # Apple's monthly closes
    assert read_when(page, SERIES_MAX_JS) > 100
    upload(page, csv(tmp_path / "garden.csv", GOOD_ROWS))
    expect(selected(page, "f_up_date")).to_have_value("day")
    expect(selected(page, "f_up_value")).to_have_value("temp")  # the first numeric column
    pick(page, "f_up_value", "rain")
    button(page, "f_up_use").click()
    expect(selected(page, "f_series")).to_have_value("Your own CSV file")
    expect(split_caption(page, GOOD_ROWS)).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]series=upload"))
    want = columns(GOOD_ROWS)["rain"].max()  # the column picked, not the first numeric one
    assert read_when(page, f"() => {{ const m = ({SERIES_MAX_JS})(); return m !== null && m < 100 ? m : null; }}") == want
    expect(errors(page)).to_have_count(0)
    idle(page)
    no_exception(page)


def test_bad_files_each_say_why_and_the_last_good_series_stays(open_app, page, idle, tmp_path):
    forecast_page(open_app)
    upload(page, csv(tmp_path / "good.csv", GOOD_ROWS))
    expect(selected(page, "f_up_date")).to_have_value("day")  # the server has read the file: its rerun is over
    button(page, "f_up_use").click()
    expect(split_caption(page, GOOD_ROWS)).to_be_visible()
    binary = tmp_path / "photo.csv"
    binary.write_bytes(bytes(range(256)) * 8)
    words = tmp_path / "words.csv"
    words.write_text("day,name\n" + "".join(f"2021-01-{d:02d},plant {d}\n" for d in range(1, 29)))
    bad = [(binary, "binary file, not a CSV", False), (words, "no numeric column", False),
           (csv(tmp_path / "short.csv", 30), "Only 30 rows with values", True),
           (csv(tmp_path / "twice.csv", GOOD_ROWS, duplicate=True), "appears 2 times", True)]
    for file, message, read_fine in bad:
        upload(page, file)
        if read_fine:  # the file reads; its columns are refused when used
            idle(page)  # the upload's rerun has drawn this file's column pickers: Use reads this file
            button(page, "f_up_use").click()
        expect(errors(page)).to_have_count(1)
        expect(errors(page)).to_contain_text(message)
        expect(errors(page)).to_contain_text("The last good series is kept.")
        expect(selected(page, "f_series")).to_have_value("Your own CSV file")
        expect(split_caption(page, GOOD_ROWS)).to_be_visible()
    idle(page)
    no_exception(page)


def test_the_look_back_steps_preset_trains_and_opens_in_inside_the_cell(open_app, page, idle):
    forecast_page(open_app)
    pick(page, "f_preset", SEQUENCE_PRESET)
    expect(alert(page, "Info", SEQUENCE_PRESET)).to_be_visible()
    expect(split_caption(page, 1461)).to_be_visible()  # Seattle's daily maxima
    train_to_the_end(page)
    expect(alert(page, "Info", SEQUENCE_PRESET)).to_be_visible()  # what was trained: the preset
    page.get_by_role("button", name="Open it in Inside the cell").click()
    expect(page).to_have_url(re.compile(r"/inside_cell(\?|$)"))
    expect(page.locator("h1").first).to_contain_text("Inside the cell")
    expect(alert(page, "Info", "first LSTM layer of the forecaster")).to_be_visible()
    expect(page.get_by_role("slider", name="Hidden units H")).to_have_value("4")
    expect(visible_chart(page, "cell_diagram").locator(".main-svg").first).to_be_visible()
    idle(page)
    no_exception(page)
