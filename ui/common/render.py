"""The one function that hands a figure to Streamlit: every chart of every page goes through it.

Keeping this seam in one place lets the server-side cost of drawing (Plotly's validation of a
figure inside st.plotly_chart) be measured and reduced for all pages at once.
"""
import streamlit as st


def show(fig, key, **options):
    """Draw a Plotly figure (or its dict) under a stable widget key; `options` go to st.plotly_chart
    (config, on_select, selection_mode, ...). Returns what st.plotly_chart returns."""
    return st.plotly_chart(fig, key=key, **options)
