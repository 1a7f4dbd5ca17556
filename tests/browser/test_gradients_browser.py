"""The gradients page in a real browser: it loads, the backward pass plays, the controls redraw.

What AppTest cannot see: the animation runs client-side in Plotly, the slider is moved with the
keyboard as a reader would, the link in the address bar follows the controls, and every view of
the segmented control ends up drawn as SVG.
"""
import re
from urllib.parse import urlencode

import numpy as np
import pytest
from playwright.sync_api import expect

from browserkit import chart, no_exception, read_when
from ui.common.link import bounds, to_query
from ui.gradients import state as G
from ui.gradients.figures import sci
from ui.gradients.lessons import BY_NAME

CELLS = {"rnn_sigmoid": "sigmoid RNN", "rnn_tanh": "tanh RNN", "lstm": "LSTM", "gru": "GRU"}
EXPLODING_LINK = "/gradients?gen=zeros&length=500&scale=10&biases=0"
VIEWS = [("Per-unit heatmaps", "g_heatmaps", "Where the gradient lives"),
         ("Why: the factors", "g_factors", "Why it happens"),
         ("Clipping", "g_clipping", "What clipping does")]
# The step the backward-pass animation shows (its slider label "step t = N"), or null
STEP_JS = """() => {
  const label = [...document.querySelectorAll('.st-key-g_animation text.slider-label')]
    .find(text => text.textContent.startsWith('step t ='));
  return label ? parseInt(label.textContent.split('=')[1]) : null;
}"""


def metric_value(page, name):
    """The value shown by the metric labelled exactly `name`, e.g. the tanh RNN's '1.83 × 10⁻²⁷'."""
    metric = page.locator('[data-testid="stMetric"]').filter(
        has=page.get_by_text(name, exact=True))
    return metric.locator('[data-testid="stMetricValue"]')


def shown_size(value):
    """A gradient size as the page's metric writes it: as the charts do, e.g. 3.12 × 10⁻⁷, or ∞."""
    return sci(value) if np.isfinite(value) else "∞"


def drawn(page, key):
    """The chart's first SVG layer: visible once Plotly has drawn it."""
    return chart(page, key).locator(".main-svg").first


@pytest.fixture
def gradients(open_app, idle):
    """gradients(path): load a gradients-page link and wait until its metrics and chart are drawn."""
    def go(path="/gradients"):
        page = open_app(path)
        # what the script draws, then the app idle: its run has finished
        for name in CELLS.values():
            expect(metric_value(page, name)).to_be_visible()
        expect(drawn(page, "g_norms")).to_be_visible()
        idle(page)
        return page
    return go


def test_page_loads_with_the_four_cells_metrics_and_no_exception(gradients):
    page = gradients()
    expect(page.locator("h1").first).to_contain_text("Vanishing & exploding gradients")
    flows = G.GradState().flows()
    for kind, name in CELLS.items():
        expect(metric_value(page, name)).to_have_text(shown_size(G.status(flows[kind])[1]))
    expect(drawn(page, "g_animation")).to_be_visible()
    no_exception(page)


def test_play_runs_the_backward_pass_from_step_T_down(gradients):
    page = gradients()
    animation = chart(page, "g_animation")
    step = animation.locator("text.slider-label", has_text="step t =")
    expect(step).to_have_text("step t = 100")
    animation.locator(".updatemenu-button", has_text="Play").click()
    earlier = read_when(page, f"() => (t => t < 100 && t)(({STEP_JS})())")  # it left step T
    page.wait_for_function(f"earlier => (t => t !== null && t < earlier)(({STEP_JS})())",
                           arg=earlier)  # and goes on down
    animation.locator(".updatemenu-button", has_text="Pause").click()
    no_exception(page)


def test_scale_slider_changes_the_tanh_rnn_metric_and_the_link(gradients):
    page = gradients()
    tanh = metric_value(page, "tanh RNN")
    before = tanh.text_content()
    slider = page.get_by_role("slider", name="Recurrent weight scale")
    slider.focus()
    page.keyboard.press("End")
    expected = G.status(G.GradState(scale=bounds(G.GradState, "scale")[1]).flows()["rnn_tanh"])[1]
    expect(tanh).to_have_text(shown_size(expected))
    assert shown_size(expected) != before, "the largest scale must change the tanh RNN's gradient"
    expect(page).to_have_url(re.compile(r"[?&]scale=10(\.0)?(&|$)"))
    no_exception(page)


def test_exploding_link_warns_of_overflow_instead_of_an_exception(gradients):
    page = gradients(EXPLODING_LINK)
    warnings = page.locator('[data-testid="stAlertContentWarning"]')
    expect(warnings.filter(has_text="exploded").filter(has_text="overflowed").first).to_be_visible()
    expect(metric_value(page, "tanh RNN")).to_have_text(shown_size(float("inf")))
    expect(page.get_by_role("slider", name="Recurrent weight scale")).to_have_value("10")
    no_exception(page)


def test_each_view_of_the_switch_draws_its_chart(gradients, idle):
    page = gradients()
    for label, key, title in VIEWS:
        page.get_by_role("radio", name=label).click()
        expect(drawn(page, key)).to_be_visible()
        expect(chart(page, key).locator(".gtitle")).to_contain_text(title)
        expect(chart(page, "g_animation")).to_have_count(0)
        idle(page)
        no_exception(page)


def test_the_clipping_lessons_link_opens_the_clipping_view_with_one_note_and_no_warnings(gradients):
    lesson = BY_NAME["Clipping caps the update, not the gradient"]
    page = gradients("/gradients?" + urlencode(to_query(lesson.state())))
    expect(drawn(page, "g_clipping")).to_be_visible()
    expect(page.get_by_role("radio", name="Clipping")).to_be_checked()
    expect(page.locator('[data-testid="stAlertContentInfo"]').filter(
        has_text="it does not stop the explosion")).to_be_visible()
    expect(page.locator('[data-testid="stAlertContentWarning"]')).to_have_count(0)
    no_exception(page)
