"""The Run and Stop buttons of the Trade-offs page's trained sections, drawn one way in every section:
side by side, Stop always there and enabled only while this section's run runs."""
import streamlit as st

from ui.common import present
from ui.training import runner as R


def run_and_stop(which, start, *, run_key, stop_key, label="Run", icon=":material/play_arrow:"):
    """Run (calls start(), which begins runner job `which`) and Stop; Stop is drawn after Run's start, so
    it is enabled in the very rerun that started the run."""
    run_col, stop_col, _ = st.columns([1.4, 1, 3.6])
    if run_col.button(label, key=run_key, type="primary", icon=icon, width="stretch"):
        start()
    run = R.current(which)
    stop_col.button("Stop", key=stop_key, icon=":material/stop:", width="stretch", on_click=R.stop,
                    args=(which,), disabled=run is None or run.status != "running")


def settings(draw):
    """draw() inside the page's "Settings" expander, unless the link hides the settings (presentation)."""
    if present.shows("settings"):
        with st.expander("Settings", expanded=True):
            draw()
