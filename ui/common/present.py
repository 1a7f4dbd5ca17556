"""Presentation mode and hidable control groups, read from any page's link (Streamlit glue).

`present=1` shows a page for a projector: large fonts (charts and text), the sidebar and the
editing controls hidden, the preset and step controls kept. `hide=` names the control groups
students do not see (TensorFlow Playground's pattern): on a normal page it hides just those, in
presentation mode it replaces the default set (`hide=none` keeps every group). A value a link
cannot mean gets a message, is dropped from the link, and the default view is kept.
"""
import dataclasses
from urllib.parse import urlencode

import streamlit as st

from ui.common.store import LARGE_KEY, page_query, show_link_error

GROUPS = {  # the name in a link -> what it hides, in words
    "sidebar": "the sidebar: navigation, font size, and the cell pages' model size and seed",
    "presets": "the preset lessons",
    "steps": "the time-step and unit controls",
    "model": "the model settings of the gradients page (scale, b_f, size, seed, biases, clipping) and of the variants page (sizes, seed, input)",
    "input": "the input editor",
    "weights": "the weights and biases",
    "files": "save and load",
    "settings": "the training settings",
    "path": "the guided path's checkpoint",
}
PRESENT_HIDES = frozenset({"sidebar", "model", "input", "weights", "files", "settings", "path"})
NONE = "none"  # hide=none: no group hidden
VIEW_KEY = "present_view"  # this run's View, in session state
LARGE_CSS = """<style>
html { font-size: 20px; }  /* Streamlit sizes its text and widgets in rem: one root size scales them */
.stMarkdown p, .stMarkdown li, .stMarkdown td, .stMarkdown th { font-size: 1.05rem; }
.katex { font-size: 1.25em; }
</style>"""

PRESENT_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }  /* a projector's height is precious */
</style>"""


@dataclasses.dataclass(frozen=True)
class View:
    """How the page is shown: presentation mode or not, and the control groups it hides."""

    present: bool = False
    hidden: frozenset = frozenset()


def parse(query):
    """(View, [(key, message), ...]) from a link's query dict; a bad value keeps its default."""
    errors = []
    present = query.get("present", "0")
    if present not in ("0", "1"):
        errors.append(("present", f"The link's 'present' must be 1 (presentation mode) or 0, not "
                                  f"'{str(present)[:40]}'; the page is shown as usual."))
        present = "0"
    hidden = PRESENT_HIDES if present == "1" else frozenset()
    if "hide" in query:
        names = [n.strip().lower() for n in str(query["hide"]).split(",") if n.strip()]
        unknown = [n for n in names if n not in GROUPS and n != NONE]
        if unknown or (NONE in names and len(names) > 1):
            what = f"'{unknown[0][:40]}' is not a control group" if unknown else "'none' stands alone"
            errors.append(("hide", f"The link's 'hide' is not valid ({what}; groups: "
                                   f"{', '.join(GROUPS)}, or none); the default controls are shown."))
        else:
            hidden = frozenset(n for n in names if n != NONE)
    return View(present=present == "1", hidden=hidden), errors


def frame():
    """Once per run, before the page: read the view, report and drop bad values, set the fonts."""
    view, errors = parse(st.query_params.to_dict())
    for key, message in errors:
        st.warning(message)
        del st.query_params[key]
    st.session_state[VIEW_KEY] = view
    if view.present:
        st.session_state[LARGE_KEY] = True
    if large_fonts():
        st.html(LARGE_CSS)
    if view.present:
        st.html(PRESENT_CSS)


def current():
    """This run's View (the default view before `frame` has run)."""
    return st.session_state.get(VIEW_KEY, View())


def shows(group):
    """True unless the link hides this control group."""
    return group not in current().hidden


def large_fonts():
    """Whether this run shows large fonts: presentation mode, the link's `large`, or the shared toggle."""
    if current().present:
        return True
    if "large" in st.query_params:
        return st.query_params["large"] == "1"
    return bool(st.session_state.get(LARGE_KEY))


def sidebar(draw):
    """Draw a page's sidebar with `draw()` unless the link hides it; a link's error shows either way."""
    if shows("sidebar"):
        draw()
    else:
        show_link_error()


def share_query(query, present, hidden):
    """The query of a shared view: the page's settings (no path progress), `present`, `hide`."""
    shared = {k: v for k, v in query.items() if k not in ("present", "hide", "path")}
    hidden = frozenset(hidden)
    if present:
        shared["present"] = "1"
    if hidden != (PRESENT_HIDES if present else frozenset()):
        shared["hide"] = ",".join(g for g in GROUPS if g in hidden) or NONE
    return shared


def share_panel(url_path):
    """The sidebar's "Share this view" panel: pick the mode and hidden groups, copy the link."""
    if not shows("sidebar"):
        return
    with st.sidebar.expander("Share this view", icon=":material/share:"):
        present = st.toggle("Presentation mode (large fonts, editing hidden)", value=True,
                            key="share_present")
        hidden = st.multiselect("Hide from students", list(GROUPS), key="share_hide",
                                default=[g for g in GROUPS if g in PRESENT_HIDES],
                                help="; ".join(f"**{g}**: {words}" for g, words in GROUPS.items()))
        query = share_query(page_query(), present, hidden)
        base = st.context.url or f"/{url_path}"
        st.code(base + ("?" + urlencode(query) if query else ""), language=None, wrap_lines=True)
        st.caption("Copy the link (the icon at its right) and open it on the projector.")
