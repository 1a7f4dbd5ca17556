"""LSTM Explorer: the entry point. For now a welcome page; the router and pages come next."""
import streamlit as st

st.set_page_config(page_title="LSTM Explorer", page_icon="🧠", layout="wide")
st.title("LSTM Explorer")
st.markdown(
    "An interactive lab for **Long Short-Term Memory** networks: edit the weights and the input "
    "sequence, and watch the forget, input and output gates, the cell state and the hidden state "
    "move step by step. The exact NumPy engine behind it (`lstm_core`) is ready; the pages "
    "*Inside the cell*, *Through time*, *Vanishing & exploding gradients* and *Training lab* are "
    "being built."
)
