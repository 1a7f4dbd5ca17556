"""The one cache of the app: pure functions of a page's settings, shared by every session.

A class moving the same slider to the same value computes each answer once. `st.cache_data`
hands each session its own copy (a session can never change another's numbers), and every cache
is bounded both in entries and in bytes, so a class trying many settings cannot grow the server
without limit. Nothing is kept in `st.cache_resource`.
"""
import streamlit as st


def by_settings(max_entries, max_size):
    """Decorator: cache a pure function of a page's settings, at most `max_entries` results and
    `max_size` bytes (e.g. "32MiB") in all."""
    return st.cache_data(max_entries=max_entries, max_size=max_size, show_spinner=False)
