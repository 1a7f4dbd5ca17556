"""Models in and code out in a real browser: a Keras file uploaded on Inside the cell puts its
weights on the page and in the link, and the NumPy script the page hands over prints the h_t
the diagram shows."""
import pathlib
import re
import subprocess
import sys
from urllib.parse import parse_qsl, urlsplit

import numpy as np
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from browserkit import PLOTLY_CHART, no_exception
from lstm_core import weights_file
from ui.cell import state as S

FIXTURES = pathlib.Path(__file__).parents[1] / "fixtures"
KERAS_FILE = FIXTURES / "keras_lstm.weights.h5"  # one LSTM layer, H = 3, I = 2


def link_state(page):
    """The CellState the address bar describes."""
    return S.from_query(dict(parse_qsl(urlsplit(page.url).query)))


def diagram_h(page):
    """h_t of the shown unit as the diagram writes it ('h\u200bt\u200b = −0.123' -> -0.123: Plotly
    puts zero-width spaces around a subscript)."""
    texts = [t.replace("\u200b", "") for t in page.locator(f"{PLOTLY_CHART} g.annotation").all_text_contents()]
    badge = next(t for t in texts if re.match(r"^ht = ", t))
    return float(badge.split("=")[1].strip().replace("−", "-"))


def _download(page, button, idle, tries=3):
    """The download a click on `button` starts. A click that lands while the page is rerunning
    hits a download URL the rerun has just replaced and starts nothing (seen once on a busy CI
    machine), so after an idle page it clicks again, at most `tries` times."""
    for attempt in range(tries):
        idle(page)
        expect(button).to_be_enabled()
        try:
            with page.expect_download(timeout=20_000) as started:
                button.click()
            return started.value
        except PlaywrightTimeoutError:
            if attempt == tries - 1:
                raise


def test_a_keras_file_loads_in_the_browser_and_the_numpy_script_prints_the_diagrams_h(open_app, idle, tmp_path):
    page = open_app("/inside_cell?t=4")
    box = page.locator('[data-testid="stExpander"]', has_text="Save or load the weights")
    box.locator("summary").click()
    box.locator('input[type="file"]').set_input_files(str(KERAS_FILE))
    expect(box.get_by_text("Showing lstm (H = 3, I = 2)")).to_be_visible()
    idle(page)
    no_exception(page)
    want = weights_file.read_layers(KERAS_FILE.name, KERAS_FILE.read_bytes()).layers[0].params
    shown = link_state(page)
    assert (shown.H, shown.I, shown.t) == (3, 2, 4)
    assert np.array_equal(S.flatten_params(shown.params()), S.flatten_params(want))

    download = _download(page, box.get_by_role("button", name="NumPy script"), idle)
    script = tmp_path / download.suggested_filename
    download.save_as(script)
    assert script.name == "lstm_cell_numpy.py"
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    step5 = next(line for line in done.stdout.splitlines() if line.startswith("t=5 "))
    h_unit1 = float(step5.split("h_t = [")[1].split(",")[0])
    assert h_unit1 == diagram_h(page)  # the same 3 decimals
