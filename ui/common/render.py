"""The one function that hands a figure to Streamlit: every chart of every page goes through it.

Keeping this seam in one place lets the server-side cost of drawing be measured and reduced for
all pages at once. The cost that mattered was Plotly validating a figure a second time: pages
cache their figures as dicts (`go.Figure.to_dict()`, validated when the figure was built), and
`st.plotly_chart` re-validates any dict by rebuilding a `go.Figure` from it, which took longer
than building the chart in the first place. A `go.Figure` it is handed counts as valid, and it
only asks it for its dict, so a cached dict goes in as a `Validated` figure. The dicts of
`ui/common/plain.py` are never validated on the server at all: their tests hand each to
`go.Figure` and check that it comes back unchanged.
"""
import plotly.graph_objects as go
import streamlit as st


class Validated(go.Figure):
    """A figure dict that Plotly has already validated (the `to_dict()` of a built go.Figure).

    It stands in for the figure it came from where only the dict is read (`to_dict()`, which is
    what st.plotly_chart does with a figure before writing its JSON), and holds the dict as it is:
    no copy, no second validation. It deliberately skips go.Figure's constructor.
    """

    def __init__(self, spec):  # noqa: D107 (no super().__init__: that would validate again)
        self._spec = spec

    def to_dict(self):
        """The figure's dict, as validated when it was built."""
        return self._spec


def is_vega_lite(fig):
    """True for a Vega-Lite spec (an Altair chart's to_dict()), False for a Plotly figure or dict."""
    return isinstance(fig, dict) and "vega-lite" in str(fig.get("$schema", ""))


def show(fig, key, **options):
    """Draw a figure under a stable widget key; returns what Streamlit's chart call returns.

    A Plotly figure goes to st.plotly_chart as it is, a Plotly dict (always the `to_dict()` of a
    figure built with go objects: nothing else is validated) as a `Validated` figure, `options`
    with either (config, on_select, selection_mode, ...); a Vega-Lite spec goes to
    st.vega_lite_chart. Neither gets Streamlit's theme, so every chart keeps the app's one plot style:
    Streamlit's Plotly theme drew axis numbers and titles smaller than the figure's font (15 and
    17.5 px against 20 px at projector size).
    """
    if is_vega_lite(fig):
        return st.vega_lite_chart(spec=fig, key=key, theme=None, width="stretch", **options)
    if isinstance(fig, dict):
        fig = Validated(fig)
    return st.plotly_chart(fig, key=key, theme=None, **options)
