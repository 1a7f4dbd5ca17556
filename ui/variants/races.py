"""The Variants page's training race: the chosen variant against the plain LSTM on a task where they differ."""
import streamlit as st

VARIANTS = ("peephole", "coupled", "gru", "stacked", "bidirectional")  # the races there are


def panel(variant, seed, large):
    """Draw the race of `variant` (a VARIANTS key) against the plain LSTM, seeded by `seed`."""
    st.info(f"The {variant} race is being built.")
