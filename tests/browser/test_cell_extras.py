"""More of the cell pages in a real browser: weights files in and out, clicking the line chart,
and the projector fonts.

These need the frontend: the file uploader and the download button move bytes through the
browser, a click on a Plotly point reaches Streamlit only as a Plotly selection event, and font
sizes are what the SVG ends up with.
"""
import json
import re
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest
from playwright.sync_api import expect

from browserkit import chart, gate_text, no_exception, read_when, sigmoid
from ui.cell import state as S

B_F = np.array([2.0, -1.0, 0.5])  # unit 1 forgets little, unit 2 much: easy to spot
# The diagram's title and forget-gate label font sizes in px, once both are drawn
FONTS_JS = """() => {
  const diagram = document.querySelector('.st-key-cell_diagram [data-testid="stPlotlyChart"]');
  const title = diagram?.querySelector('.gtitle');
  const label = [...(diagram?.querySelectorAll('g.annotation') ?? [])]
    .find(a => a.textContent.startsWith('forget'))?.querySelector('text');
  const px = el => parseFloat(getComputedStyle(el).fontSize);
  return title && label ? {title: px(title), label: px(label)} : null;
}"""
# The zoom chart's x axes as [first, last] time step, from Vega's own ARIA labels
AXES_JS = """() => [...document.querySelectorAll(
    '[data-testid="stVegaLiteChart"] [aria-roledescription="axis"][aria-label^="X-axis"]')]
  .map(axis => axis.getAttribute('aria-label').match(/values from (\\d+) to (\\d+)/))
  .map(match => match && [+match[1], +match[2]])"""
POINT_JS = """(chart, [k, i]) => {
  const gd = chart.querySelector('.js-plotly-plot'), trace = gd._fullData[k], point = gd.calcdata[k][i];
  const xa = gd._fullLayout[trace.xaxis.replace('x', 'xaxis')];
  const ya = gd._fullLayout[trace.yaxis.replace('y', 'yaxis')];
  const box = gd.getBoundingClientRect();
  return {x: box.left + xa._offset + xa.c2p(point.x), y: box.top + ya._offset + ya.c2p(point.y)};
}"""


def uploaded_params():
    """H=3, I=2 weights whose forget gate ignores its input (W_f = 0): f = σ(b_f) at every step."""
    return S.seeded_params(3, 2, 0, 1.0, 1.0).replace(W_f=np.zeros((3, 5)), b_f=B_F)


def same_weights(a, b):
    """True when two LSTMParams hold exactly the same numbers."""
    return np.array_equal(S.flatten_params(a), S.flatten_params(b))


def forget_label(page):
    """The forget gate's box on the diagram, e.g. 'forget0.731'."""
    return gate_text(page, "forget")


def link_state(page):
    """The CellState the address bar describes."""
    return S.from_query(dict(parse_qsl(urlsplit(page.url).query)))


def upload(page, text):
    """Open 'Save or load the weights' and put `text` into its file uploader as a .json file."""
    expander = page.locator('[data-testid="stExpander"]', has_text="Save or load the weights")
    expander.locator("summary").click()
    expander.locator('input[type="file"]').set_input_files(
        files=[{"name": "weights.json", "mimeType": "application/json", "buffer": text.encode()}])
    expect(expander.get_by_text("weights.json")).to_be_visible()  # sent to the server
    return expander


def show_lines_view(page, idle):
    """Switch Through time to 'Lines and heatmaps'; return its line chart, drawn, the app idle."""
    page.get_by_role("radio", name="Lines and heatmaps").click()
    lines = chart(page, "state_lines")
    expect(lines.locator(".main-svg").first).to_be_visible()  # drawn by the rerun the click started
    idle(page)  # which has finished: the points are where they will stay
    lines.scroll_into_view_if_needed()
    return lines


def click_point(plot, trace, index):
    """Click point `index` of Plotly trace number `trace`, where the chart `plot` draws it (read
    after the rerun that drew it has finished: see show_lines_view)."""
    xy = plot.evaluate(POINT_JS, [trace, index])
    plot.page.mouse.move(xy["x"], xy["y"])  # hover first, as a hand does: Plotly picks the point
    plot.page.mouse.click(xy["x"], xy["y"])


def test_uploading_a_weights_file_puts_its_sizes_and_numbers_on_the_page(open_app):
    page = open_app("/inside_cell")
    expect(forget_label(page)).to_have_text(f"forget{sigmoid(1.0):.3f}")
    upload(page, S.params_to_json(uploaded_params()))
    expect(forget_label(page)).to_have_text(f"forget{sigmoid(B_F[0]):.3f}")
    expect(page.get_by_role("slider", name="Hidden units H")).to_have_value("3")
    expect(page.get_by_role("slider", name="Input features I")).to_have_value("2")
    assert same_weights(link_state(page).params(), uploaded_params()), "the link carries the upload"
    page.get_by_role("slider", name="Time step t").focus()
    page.keyboard.press("End")  # a later step: W_f = 0, so f is still σ(b_f)
    expect(forget_label(page)).to_have_text(f"forget{sigmoid(B_F[0]):.3f}")
    no_exception(page)


WRONG_SHAPE = json.loads(S.params_to_json(uploaded_params())) | {"b_f": [1.0, 2.0]}
NAN_STRING = json.loads(S.params_to_json(uploaded_params())) | {"b_f": ["NaN", 1.0, 2.0]}
WITHOUT_W_I = {k: v for k, v in json.loads(S.params_to_json(uploaded_params())).items() if k != "W_i"}


@pytest.mark.parametrize("text", [
    pytest.param("W_f = [[0.1, 0.2]]", id="not-json"),
    pytest.param(json.dumps(NAN_STRING), id="nan-string"),
    pytest.param(json.dumps(WRONG_SHAPE), id="wrong-shape"),
    pytest.param(json.dumps(WITHOUT_W_I), id="missing-W_i"),
    pytest.param("{}", id="empty-object"),
    pytest.param(json.dumps({**json.loads(S.params_to_json(uploaded_params())), "b_i": [500.0] * 3}),
                 id="weight-beyond-100"),
])
def test_a_malformed_weights_file_shows_an_error_and_keeps_the_weights(open_app, idle, text):
    page = open_app("/inside_cell?forget_bias=2.5")  # not the defaults: 'kept' is not 'reset'
    kept = f"forget{sigmoid(2.5):.3f}"
    expect(forget_label(page)).to_have_text(kept)
    link = page.url
    upload(page, text)
    outcome = page.locator('[data-testid="stAlertContentError"], [data-testid="stException"]')
    expect(outcome.first).to_be_visible()  # drawn by the one rerun the upload started
    idle(page)  # which has finished: nothing more can change the page or the link
    assert page.locator('[data-testid="stException"]').count() == 0, "a traceback, not a message"
    expect(outcome).to_contain_text("could not be loaded")
    expect(forget_label(page)).to_have_text(kept)
    assert page.url == link, "the link still holds the previous weights"


def test_the_downloaded_weights_file_reads_back_to_the_weights_on_the_page(open_app, idle):
    page = open_app("/inside_cell?H=3&I=2&seed=7")
    weights = page.locator('[data-testid="stExpander"]', has_text="Weights and biases")
    weights.locator("summary").click()
    weights.get_by_role("slider", name="Forget-gate bias b_f").focus()
    page.keyboard.press("End")  # a live edit, after the page was opened
    expect(page).to_have_url(re.compile("forget_bias=6"))
    idle(page)
    page.locator('[data-testid="stExpander"]', has_text="Save or load the weights").locator("summary").click()
    with page.expect_download() as started:
        page.get_by_role("button", name="Download weights (JSON)").click()
    download = started.value
    assert download.suggested_filename == "lstm_weights.json"
    params = S.params_from_json(open(download.path(), encoding="utf-8").read())
    assert same_weights(params, link_state(page).params())
    assert (params.hidden_size, params.input_size) == (3, 2)
    np.testing.assert_array_equal(params.b_f, [6.0, 6.0, 6.0])
    no_exception(page)


def test_clicking_an_input_point_on_the_line_chart_moves_the_step_there(open_app, idle):
    page = open_app("/through_time")
    lines = show_lines_view(page, idle)
    step = page.get_by_role("slider", name="Time step t")
    expect(step).to_have_value("1")
    click_point(lines, 0, 9)  # trace 0 is x_t with markers; point 9 is time step 10
    expect(step).to_have_value("10")
    expect(page).to_have_url(re.compile(r"[?&]t=9(&|$)"))  # the link holds the step (0-based)
    idle(page)
    click_point(lines, 0, 3)  # on the chart that the rerun redrew
    expect(step).to_have_value("4")
    no_exception(page)


def test_clicking_the_cell_state_line_moves_the_step_there(open_app, idle):
    page = open_app("/through_time")
    lines = show_lines_view(page, idle)
    click_point(lines, 1, 16)  # trace 1 is C_t of unit 1; point 16 is time step 17
    expect(page.get_by_role("slider", name="Time step t")).to_have_value("17")


def test_large_fonts_toggle_enlarges_the_diagram_text_and_survives_in_the_link(open_app, idle):
    page = open_app("/inside_cell")
    small = read_when(page, FONTS_JS)
    page.locator('[data-testid="stSidebar"]').get_by_text("Large fonts for projectors").click()
    large = read_when(page, f"""small => (fonts => fonts && fonts.title > small.title
                                 && fonts.label > small.label && fonts)(({FONTS_JS})())""", small)
    expect(page).to_have_url(re.compile(r"[?&]large=1(&|$)"))
    page.goto(page.url)  # the shared link, opened again: a new session
    idle(page)
    expect(page.get_by_role("switch", name="Large fonts for projectors")).to_be_checked()
    assert read_when(page, FONTS_JS) == large
    no_exception(page)


def test_dragging_across_the_input_zooms_the_gate_and_state_charts_to_those_steps(open_app):
    page = open_app("/through_time")
    page.get_by_role("radio", name="Zoom into steps").click()
    zoom = page.locator('[data-testid="stVegaLiteChart"]')
    x_axes = zoom.locator('[aria-roledescription="axis"][aria-label^="X-axis"]')
    expect(x_axes).to_have_count(3)  # the input strip, the gates, the states
    for k in range(3):
        expect(x_axes.nth(k)).to_have_attribute("aria-label", re.compile(r"values from 1 to 24$"))
    zoom.scroll_into_view_if_needed()
    box = zoom.bounding_box()
    y = box["y"] + box["height"] * 0.17  # inside the input strip
    page.mouse.move(box["x"] + box["width"] * 0.3, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.55, y, steps=8)
    page.mouse.up()
    # both charts below zoom in, the browser alone redrawing them: the three axes read together
    strip, gates, states = read_when(page, f"""() => (axes => axes.length === 3 && axes.every(Boolean)
        && axes[1][0] > 1 && axes[2][0] > 1 && axes)(({AXES_JS})())""")
    assert 1 < gates[0] < gates[1] < 24 and states == gates
    assert strip == [1, 24], "the input strip keeps every step"
    no_exception(page)


# Every pair of the diagram's labels whose boxes overlap, each label on a pointwise-operation
# marker or a colour key, and each gate name that leaves its box, as drawn (the first chart with gate boxes)
COLLISIONS_JS = """() => {
  const gd = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')]
    .find(g => (g.layout.shapes || []).some(s => s.name === 'gate-f'));
  const labels = gd && [...gd.querySelectorAll('g.annotation')];
  if (!labels || labels.length !== gd.layout.annotations.length) return null;
  const box = el => el.getBoundingClientRect();
  const named = labels.map(g => ({name: gd.layout.annotations[+g.dataset.index].name,
                                  r: box(g.querySelector('rect.bg')), text: box(g.querySelector('text'))}));
  const hit = (a, b) => Math.min(a.right, b.right) > Math.max(a.left, b.left) + 1
                        && Math.min(a.bottom, b.bottom) > Math.max(a.top, b.top) + 1;
  const out = [];
  named.forEach((a, i) => named.slice(i + 1).forEach(b => { if (hit(a.r, b.r)) out.push(a.name + ' / ' + b.name); }));
  const ops = [...gd.querySelectorAll('.scatterlayer .trace')][1].querySelectorAll('.point');
  ops.forEach(p => named.forEach(a => { if (hit(a.r, box(p))) out.push(a.name + ' on an operation'); }));
  gd.querySelectorAll('.colorbar').forEach(c => named.forEach(a => { if (hit(a.r, box(c))) out.push(a.name + ' on a colour key'); }));
  gd.layout.shapes.forEach((s, k) => {
    if (!s.name.startsWith('gate-')) return;
    const shape = box(gd.querySelector(`.shapelayer path[data-index="${k}"]`));
    const text = named.find(a => a.name === s.name).text;
    if (text.left < shape.left || text.right > shape.right) out.push(s.name + ' leaves its box');
  });
  return out;
}"""
# [scroll width, visible width] of every weight table: equal when no column is cut off
TABLE_WIDTHS_JS = """() => (widths => widths.length === 4 ? widths : null)([...document.querySelectorAll(
    '[data-testid="stExpander"] [data-testid="stDataFrame"] .dvn-scroller')].map(s => [s.scrollWidth, s.clientWidth]))"""


@pytest.mark.parametrize("link", [
    "/inside_cell?large=1&H=1", "/inside_cell?large=1&H=2", "/inside_cell?large=1&H=3&I=2",
    "/inside_cell?large=1&H=4&I=3", "/inside_cell?preset=Counter&large=1", "/inside_cell?H=4&I=3",
    "/through_time?large=1&H=4&I=3&gen=random walk&t=6"])
def test_no_label_of_the_cell_diagram_collides_at_projector_sizes(open_app, link):
    page = open_app(link)
    assert read_when(page, COLLISIONS_JS) == []
    no_exception(page)


def test_the_weight_tables_of_the_widest_cell_show_every_column_at_projector_size(open_app):
    page = open_app("/inside_cell?H=4&I=3&large=1")
    page.locator('[data-testid="stExpander"]', has_text="Weights and biases").locator("summary").click()
    widths = read_when(page, TABLE_WIDTHS_JS)
    assert all(scroll <= visible for scroll, visible in widths), widths
    no_exception(page)
