"""The one function that hands a figure to Streamlit: every chart of every page goes through it.

Keeping this seam in one place lets the server-side cost of drawing (Plotly's validation of a
figure inside st.plotly_chart) be measured and reduced for all pages at once.
"""
import streamlit as st


def is_vega_lite(fig):
    """True for a Vega-Lite spec (an Altair chart's to_dict()), False for a Plotly figure or dict."""
    return isinstance(fig, dict) and "vega-lite" in str(fig.get("$schema", ""))


def show(fig, key, **options):
    """Draw a figure under a stable widget key; returns what Streamlit's chart call returns.

    A Plotly figure (or its dict) goes to st.plotly_chart, `options` with it (config, on_select,
    selection_mode, ...); a Vega-Lite spec to st.vega_lite_chart, without Streamlit's theme so the
    chart keeps the app's one plot style.
    """
    if is_vega_lite(fig):
        return st.vega_lite_chart(spec=fig, key=key, theme=None, width="stretch", **options)
    return st.plotly_chart(fig, key=key, **options)
