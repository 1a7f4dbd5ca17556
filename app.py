"""LSTM Explorer: the router and the frame (page config, navigation, the shared sidebar)."""
import streamlit as st

from ui import controls

st.set_page_config(page_title="LSTM Explorer", page_icon=":material/memory:", layout="wide")

PAGES = {
    "Learn": [
        st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
        st.Page("pages/inside_cell.py", title="Inside the cell", icon=":material/biotech:"),
        st.Page("pages/through_time.py", title="Through time", icon=":material/movie:"),
    ],
}

page = st.navigation(PAGES)
controls.sidebar()
page.run()
