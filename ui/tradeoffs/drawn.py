"""The charts this session drew last, kept with what they were drawn from, so a rerun that changes nothing
builds none (a Plotly figure costs several ms to build and validate; the page's reruns aim at 40 ms).

Like the Sequence-to-sequence page's live charts: the figure dicts are kept in the session, keyed by
what they show (a run, how many of its items, the font size), never shared with another session.
"""
import streamlit as st

KEY = "tradeoffs_drawn"  # {chart key: (token, figure dict)}


def spec(chart, token, build):
    """The dict of chart `chart`: the one kept if it was drawn from `token`, else build().to_dict(), kept."""
    kept = st.session_state.setdefault(KEY, {})
    if chart not in kept or kept[chart][0] != token:
        kept[chart] = (token, build().to_dict())
    return kept[chart][1]
