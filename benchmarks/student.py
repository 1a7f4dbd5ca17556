"""One simulated student: a browser tab that speaks Streamlit's websocket protocol, without a browser.

    import asyncio
    from student import Tab

    async def lesson():
        async with Tab("http://127.0.0.1:8501/inside_cell?H=3") as tab:
            await tab.load()                      # the link's page, as a browser's first rerun
            for page in tab.pages:                # the pages the `navigation` message lists
                await tab.visit(page)
                await tab.change()                # the page's first control, one step on
    asyncio.run(lesson())

What a browser does and this tab does too: it connects to `/_stcore/stream` with the subprotocol
`streamlit` and the app's address as Origin, and sends `BackMsg.rerun_script` (a `ClientState`):
first with the link's query string and page name, then with the `page_script_hash` of a page from
the navigation (the query string cleared, as a page switch clears it), or with the current values of
every widget on the page and one of them changed. It keeps the query string the server sets
(`page_info_changed`) and sends it back on the next rerun, keeps cacheable messages by hash and
lists those hashes in `cached_message_hashes`, so that the server may answer with a `ref_hash`.
What it does not: fetch the page's HTML and JavaScript, draw anything, send the browser context.

Every rerun is one `Interaction`: the time from sending it to its `script_finished` (every delta
comes before that message), the exception elements the run drew (the page's red "This app has
encountered an error" box) and what went wrong on the wire, if anything. The websocket client is
the `websockets` package, a dependency of Streamlit itself: Streamlit 1.67 serves on uvicorn and
no longer installs tornado.
"""
import asyncio
import dataclasses
import time
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

RERUN_TIMEOUT_S = 120.0  # a safety bound on one rerun, far above any page's time on a busy box
CONNECT_TIMEOUT_S = 60.0
DONE = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)
CONTROL_KINDS = ("slider", "number_input", "selectbox", "radio", "checkbox", "button_group",
                 "multiselect", "button")  # the widgets a tab can read and set


@dataclasses.dataclass(frozen=True)
class Page:
    """One entry of the app's navigation: its title, script hash and URL path ('' for the default)."""
    name: str
    script_hash: str
    url_pathname: str


@dataclasses.dataclass(frozen=True)
class Control:
    """A widget as the tab sees it in the deltas: its id, element kind, label and current value.

    `value` is what the browser would send back for it (a list for sliders and multi-selects);
    `options` the choices of a select box, radio, segmented control or multiselect; `low`,
    `high`, `step` the range of a slider or number input (None when it has no bound).
    """
    id: str
    kind: str
    label: str
    value: object
    options: tuple = ()
    low: float | None = None
    high: float | None = None
    step: float | None = None
    integer: bool = False

    @property
    def key(self):
        """The `key=` the page gave the widget: the tail of its id ('$$ID-<hash>-<key>')."""
        return self.id.split("-", 2)[-1]


@dataclasses.dataclass(frozen=True)
class Interaction:
    """One rerun: on which page, what the student did, how long it took and what went wrong."""
    page: str
    action: str  # "open" (the tab's first rerun), "visit" (a page switch) or "change" (a widget)
    seconds: float
    exceptions: tuple = ()  # the first line of each exception element the run drew
    failure: str | None = None  # a timeout, a closed socket, a page not found, a cache miss


def widget_state(control, value):
    """The `WidgetState` a browser sends for `control` holding `value`."""
    state = WidgetState(id=control.id)
    if control.kind == "slider":
        state.double_array_value.data.extend(value)
    elif control.kind == "number_input":
        setattr(state, "int_value" if control.integer else "double_value", value)
    elif control.kind == "checkbox":
        state.bool_value = value
    elif control.kind in ("selectbox", "radio"):
        state.string_value = value
    elif control.kind in ("button_group", "multiselect"):
        state.string_array_value.data.extend(value)
    else:  # a button: a trigger, true for this one run
        state.trigger_value = True
    return state


def next_value(control):
    """A value one step from the current one: a step up (down at the top of the range), the next
    option, a flipped toggle, one more choice of a multiselect (one less when all are chosen)."""
    value, kind = control.value, control.kind
    if kind == "slider":
        return [_step(control, value[0]), *value[1:]]
    if kind == "number_input":
        return _step(control, value)
    if kind == "checkbox":
        return not value
    if kind in ("selectbox", "radio"):
        return _next_option(control.options, value)
    if kind == "button_group":
        return [_next_option(control.options, value[0] if value else None)]
    if kind == "multiselect":
        missing = [o for o in control.options if o not in value]
        return [*value, missing[0]] if missing else list(value[:-1])
    return True  # a button: pressed


def _step(control, x):
    """x one step up, or one step down when up would pass the top of the range."""
    up = x + control.step
    moved = up if control.high is None or up <= control.high else x - control.step
    return int(moved) if control.integer else round(moved, 10)  # no 0.30000000000000004


def _next_option(options, current):
    """The option after `current`, cyclically (the first one when `current` is none of them)."""
    k = options.index(current) + 1 if current in options else 0
    return options[k % len(options)]


def read_control(kind, element):
    """The Control of a widget element of `kind` (one of CONTROL_KINDS)."""
    w = getattr(element, kind)
    common = dict(id=w.id, kind=kind, label=w.label)
    if kind in ("slider", "number_input"):
        return Control(**common, **_range(kind, w))
    if kind in ("selectbox", "radio", "button_group", "multiselect"):
        options = tuple(o.content for o in w.options) if kind == "button_group" else tuple(w.options)
        return Control(**common, value=_chosen(kind, w, options), options=options)
    if kind == "checkbox":
        return Control(**common, value=w.value if w.set_value else w.default)
    return Control(**common, value=False)  # a button


def _range(kind, w):
    """A slider's or number input's value, bounds, step and integer flag, as Control fields.

    A widget whose value was set from session state says so with set_value; else its value is
    its default. A slider's value is a list (two values for a range slider)."""
    value = w.value if w.set_value else w.default
    integer = w.data_type == w.DataType.INT
    if kind == "slider":
        return dict(value=list(value), low=w.min, high=w.max, step=w.step, integer=integer)
    return dict(value=int(value) if integer else value, step=w.step, integer=integer,
                low=w.min if w.has_min else None, high=w.max if w.has_max else None)


def _chosen(kind, w, options):
    """What a select box or radio (one option) or a segmented control or multiselect (a list)
    holds: the option texts set from session state, else the default indices' options."""
    if kind in ("selectbox", "radio"):
        return w.raw_value if w.HasField("raw_value") else options[w.default] if options else ""
    return list(w.raw_values) if w.set_value else [options[i] for i in w.default]


def exception_line(e):
    """The first line of an Exception proto (an element's or a compile error's): type, message."""
    return f"{e.type}: {e.message}".splitlines()[0]


class Tab:
    """One browser tab on the app at `url` (a link: base URL, page path and query string)."""

    def __init__(self, url, timeout_s=RERUN_TIMEOUT_S):
        parts = urlsplit(url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.stream = f"ws://{parts.netloc}/_stcore/stream"
        self.link_page = parts.path.strip("/")
        self.query_string = parts.query  # the address bar's query: the server may change it
        self.timeout_s = timeout_s
        self.pages = []  # Page per navigation entry, in the app's order
        self.page_hash = ""  # the script hash of the page on screen
        self.elements = {}  # delta path -> Element of the last finished run
        self._cache = {}  # hash -> cacheable ForwardMsg, as the browser's message cache
        self._ws = None
        self._dead = None  # why the socket is gone, once it is

    async def __aenter__(self):
        await self.connect()
        return self

    async def __aexit__(self, *exc):
        await self.close()

    async def connect(self):
        """Open the websocket as a browser does; no rerun yet (the server waits for one)."""
        self._ws = await connect(self.stream, origin=self.origin, subprotocols=["streamlit"],
                                 open_timeout=CONNECT_TIMEOUT_S, ping_interval=None,
                                 max_size=None, proxy=None)

    async def close(self):
        """Close the websocket: the server ends the session."""
        if self._ws is not None:
            await self._ws.close()

    @property
    def page(self):
        """The title of the page on screen ('' before the navigation arrived)."""
        return next((p.name for p in self.pages if p.script_hash == self.page_hash), "")

    def controls(self, area="all"):
        """The widgets of the page on screen, in the order they are drawn: main area first,
        then the sidebar (area "main" or "sidebar" for one of them)."""
        roots = {"all": (0, 1), "main": (0,), "sidebar": (1,)}[area]
        found = []
        for path in sorted(p for p in self.elements if p[0] in roots):
            kind = self.elements[path].WhichOneof("type")
            if kind in CONTROL_KINDS:
                found.append(read_control(kind, self.elements[path]))
        return found

    def control(self, key):
        """The control the page drew with `key=key` (KeyError when the page has none)."""
        found = [c for c in self.controls() if c.key == key]
        if not found:
            raise KeyError(f"no widget with key {key!r} on {self.page!r}")
        return found[0]

    async def load(self):
        """The first rerun of a tab opened on its link: page by name, the link's query string."""
        return await self._rerun("open", page_name=self.link_page)

    async def visit(self, page):
        """Switch to `page` (a Page) as the navigation menu does; the query string is cleared."""
        if page.script_hash != self.page_hash:
            self.query_string = ""
        return await self._rerun("visit", page_hash=page.script_hash)

    async def change(self, control=None, value=None):
        """Set `control` (default: the page's first control that is not a button) to `value`
        (default: next_value), sending every widget's current value as the browser does."""
        if control is None:
            control = next((c for c in self.controls() if c.kind != "button"), None)
            if control is None:
                return await self.rerun()
        value = next_value(control) if value is None else value
        states = [widget_state(c, value if c.id == control.id else c.value)
                  for c in self.controls() if c.kind != "button" or c.id == control.id]
        return await self._rerun("change", page_hash=self.page_hash, widgets=states)

    async def rerun(self):
        """Rerun the page on screen with its widgets as they are (the 'R' key)."""
        states = [widget_state(c, c.value) for c in self.controls() if c.kind != "button"]
        return await self._rerun("change", page_hash=self.page_hash, widgets=states)

    async def _rerun(self, action, page_hash="", page_name="", widgets=()):
        """Send one rerun_script and read the replies until its script_finished."""
        if self._dead:
            return Interaction(self.page, action, 0.0, failure=self._dead)
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string, state.page_script_hash, state.page_name = (
            self.query_string, page_hash, page_name)
        state.widget_states.widgets.extend(widgets)
        state.cached_message_hashes.extend(self._cache)
        start = time.perf_counter()
        try:
            await self._ws.send(msg.SerializeToString())
            exceptions, failure = await asyncio.wait_for(self._settle(), self.timeout_s)
        except (TimeoutError, OSError, WebSocketException) as err:
            self._dead = f"{type(err).__name__}: {err}"[:200]  # the tab is unusable from here
            exceptions, failure = (), self._dead
        return Interaction(self.page, action, time.perf_counter() - start, exceptions, failure)

    async def _settle(self):
        """(exception lines, failure) of the run chain that ends in a finished script."""
        elements, exceptions, failure = {}, [], None
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await self._ws.recv())
            kind = fm.WhichOneof("type")
            if kind == "ref_hash":
                if fm.ref_hash not in self._cache:
                    failure = failure or f"cache miss: {fm.ref_hash}"
                    continue
                metadata = fm.metadata
                fm = self._cache[fm.ref_hash]
                fm.metadata.CopyFrom(metadata)
                kind = fm.WhichOneof("type")
            if fm.metadata.cacheable:
                self._cache[fm.hash] = fm
            if kind == "new_session":
                elements = {}  # a new run: the browser marks what it had stale
                self.page_hash = fm.new_session.page_script_hash
            elif kind == "navigation":
                self.pages = [Page(p.page_name, p.page_script_hash, p.url_pathname)
                              for p in fm.navigation.app_pages]
                self.page_hash = fm.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = fm.page_info_changed.query_string
            elif kind == "page_not_found":
                failure = failure or f"page not found: {fm.page_not_found.page_name!r}"
            elif kind == "session_event" and fm.session_event.HasField("script_compilation_exception"):
                exceptions.append(exception_line(fm.session_event.script_compilation_exception))
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                path = tuple(fm.metadata.delta_path)
                elements[path] = fm.delta.new_element
                if fm.delta.new_element.WhichOneof("type") == "exception":
                    exceptions.append(exception_line(fm.delta.new_element.exception))
            elif kind == "script_finished" and fm.script_finished in DONE:
                self.elements = elements
                return tuple(exceptions), failure
