"""The readout explainer on a page (Streamlit glue): the drawing of the three readouts, and under
each its use and the app's pages that use it, inside one expander."""
import streamlit as st

from ui.common.caching import by_settings
from ui.common.render import show
from ui.readout import words as W
from ui.readout.figures import panel_width, readout_figure


@by_settings(max_entries=16, max_size="4MiB")
def figure(highlight, large):
    """The drawing as a plain dict, built once per highlight and font size for every session."""
    return readout_figure(highlight, bool(large)).to_dict()


def explainer(highlight, large, *, expanded=False):
    """"How the output is read out" in an expander, the page's own readout (`highlight`, a
    words.READOUTS key, or None on a page that uses none) marked; `large` for projector fonts."""
    with st.expander(W.EXPANDER, expanded=expanded, icon=":material/output:"):
        show(figure(highlight, int(bool(large))), key=f"readout_{highlight}", config={"displayModeBar": False})
        columns = st.columns([panel_width(r) for r in W.READOUTS])
        for column, readout in zip(columns, W.READOUTS):
            column.markdown(W.column_markdown(readout, highlight))
        st.markdown(W.BIDIRECTIONAL)
        st.caption(W.SHAPES_KEY)
