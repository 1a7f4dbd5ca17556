"""LSTM Explorer: the router and the frame (page config, navigation, the link's view and path
keys, large fonts, the "Share this view" panel); each page draws its own sidebar."""
from pathlib import Path

import streamlit as st

import ui.common.process  # noqa: F401  (once per server process: see its docstring)
from ui.common import present
from ui.path import panel as path

PAGE_DIR = Path(__file__).resolve().parent / "views"  # absolute: the router works from any cwd

st.set_page_config(page_title="LSTM Explorer", page_icon=":material/memory:", layout="wide")

PAGES = {
    "Learn": [
        st.Page(PAGE_DIR / "home.py", title="Home", icon=":material/home:", default=True),
        st.Page(PAGE_DIR / "inside_cell.py", title="Inside the cell", icon=":material/biotech:"),
        st.Page(PAGE_DIR / "through_time.py", title="Through time", icon=":material/movie:"),
    ],
    "Experiment": [
        st.Page(PAGE_DIR / "gradients.py", title="Vanishing & exploding gradients",
                icon=":material/trending_down:"),
        st.Page(PAGE_DIR / "training.py", title="Training lab", icon=":material/model_training:"),
    ],
    "Apply": [
        st.Page(PAGE_DIR / "forecast.py", title="Forecasting", icon=":material/show_chart:"),
        st.Page(PAGE_DIR / "text.py", title="Writing text", icon=":material/edit_note:", url_path="text"),
        st.Page(PAGE_DIR / "seq2seq.py", title="Sequence to sequence", icon=":material/swap_horiz:",
                url_path="seq2seq"),
        st.Page(PAGE_DIR / "sentiment.py", title="Sentiment", icon=":material/sentiment_satisfied:",
                url_path="sentiment"),
    ],
    "Compare": [
        st.Page(PAGE_DIR / "variants.py", title="Variants", icon=":material/call_split:", url_path="variants"),
        st.Page(PAGE_DIR / "tradeoffs.py", title="Trade-offs", icon=":material/balance:", url_path="tradeoffs"),
    ],
}

present.frame()
path.frame()
page = st.navigation(PAGES, position="sidebar" if present.shows("sidebar") else "hidden")
page.run()
present.share_panel(page.url_path)
