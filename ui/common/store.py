"""One page family's state in session state, mirrored in the link (Streamlit glue).

The state object is the single source of truth. Widgets are re-seeded from it before they are
drawn, and their callbacks turn a change into a new state with pure functions, so the state
survives a page switch and travels in the URL. The projector toggle (`large`) is shared: a
family whose link does not say otherwise follows the last value chosen anywhere (or presentation
mode's). A commit keeps the link's view keys (link.VIEW_KEYS: `present`, `hide`, `path`), which
belong to no page's state.
"""
import dataclasses

import streamlit as st

from ui.common import link
from ui.common.words import sentence

LARGE_KEY = "large_fonts"
SHOWN_KEY = "shown_store"  # the key of the Store the page on screen read last
_STORES = {}  # every Store by its key (module-level and fixed after import: no session's data)


class Store:
    """Holds one frozen state dataclass under `key`; `parse` reads a link, `to_query` writes one."""

    def __init__(self, key, default, parse, to_query, on_commit=None):
        self.key, self.default, self.parse, self.to_query = key, default, parse, to_query
        self.on_commit = on_commit  # called with (old, new) before a new state is stored
        _STORES[key] = self

    def current(self):
        """This session's state: from a shared link on first load, else the defaults."""
        if self.key not in st.session_state:
            query = st.query_params.to_dict()
            try:
                state = self.parse(_single_values(query))
            except ValueError as err:
                state = self.default()
                st.session_state["link_error"] = f"The link could not be opened ({err}); showing the defaults."
            if "large" in query:  # a link that says `large` sets the shared choice for the pages it leads to
                st.session_state.setdefault(LARGE_KEY, bool(state.large))
            st.session_state[self.key] = state
        st.session_state[SHOWN_KEY] = self.key
        return self._follow_large(st.session_state[self.key])

    def _follow_large(self, state):
        """The state with the shared projector choice, unless this page's link says `large` itself."""
        shared = st.session_state.get(LARGE_KEY)
        if shared is not None and "large" not in st.query_params and bool(state.large) != shared:
            state = dataclasses.replace(state, large=int(shared))
            st.session_state[self.key] = state
        return state

    def commit(self, state):
        """Store a new state and write it to the link."""
        if self.on_commit is not None:
            state = self.on_commit(st.session_state.get(self.key), state)
        st.session_state[self.key] = state
        st.session_state[LARGE_KEY] = bool(state.large)
        st.query_params.from_dict({**self.to_query(state), **_view_keys()})

    def bind(self, widget, key, value, update, **kwargs):
        """Draw `widget` showing `value`; on change, commit update(current state, new value)."""
        st.session_state[key] = value

        def on_change():
            self.commit(update(self.current(), st.session_state[key]))

        return widget(key=key, on_change=on_change, **kwargs)

    def preset_picker(self, lessons, current, apply, *, key, label, custom="(your own settings)", own=None):
        """A select box of one-click lessons, and the sentence of the one in use.

        `current` names the lesson the state is (or ""), `apply(state, lesson)` gives its state.
        `own(state)` gives the state of picking `custom` (default: the state as it is). A page whose
        settings may equal a lesson's marks the state there (e.g. preset="own") and names no lesson
        for it in `current`; without that, picking `custom` would leave the lesson's state, and
        nothing would happen.
        """
        by_name = {lesson.name: lesson for lesson in lessons}
        own = own or (lambda s: s)
        self.bind(st.selectbox, key, current if current in by_name else custom,
                  lambda s, name: apply(s, by_name[name]) if name in by_name else own(s),
                  label=label, options=[custom] + list(by_name))
        if current in by_name:
            stop = "" if current.endswith(("?", "!", ".")) else "."
            st.info(f"**{current}{stop}** {by_name[current].lesson}")

    def large_toggle(self):
        """The projector toggle, in the sidebar."""
        with st.sidebar:
            st.markdown("### Display")
            self.bind(st.toggle, "sb_large", bool(self.current().large),
                      lambda s, v: dataclasses.replace(s, large=int(v)),
                      label="Large fonts for projectors")


def page_query():
    """The link of the view on screen: its page's non-default settings and the link's view keys.

    Built from the state, not the address bar, which a page switch empties until the next commit.
    """
    store = _STORES.get(st.session_state.get(SHOWN_KEY))
    query = {} if store is None else store.to_query(store.current())
    return {**query, **_view_keys()}


def _view_keys():
    """The link's present, hide and path values, which every commit keeps."""
    return {k: st.query_params[k] for k in link.VIEW_KEYS if k in st.query_params}


def _single_values(query):
    """The link's query as str -> str, or ValueError if it gives a key twice (to_dict keeps the last)."""
    for key in query:
        if len(st.query_params.get_all(key)) > 1:
            raise ValueError(f"the link gives '{str(key)[:40]}' more than once")
    return query


def show_link_error():
    """Show, once, why a shared link could not be opened."""
    if "link_error" in st.session_state:
        st.warning(st.session_state.pop("link_error"))


def checked_update(field, cast, check, error_key, **also):
    """An update for Store.bind that sets `field` to cast(value) (and the fields `also`), unless
    check(new state) raises ValueError: then the old state stays and the reason waits under
    `error_key` as a sentence, for the page to show."""
    def update(s, value):
        new = dataclasses.replace(s, **{field: cast(value)}, **also)
        try:
            check(new)
        except ValueError as err:
            st.session_state[error_key] = f"{sentence(err)} The last good setting is kept."
            return s
        return new
    return update

