"""Sessions on one server are apart: one student's edits never reach another, and tabs that close
give their memory back.

Both tests use the module's server (the `server` fixture) and benchmarks/student.py's tabs.
"""
import asyncio
import hashlib
import time

import pytest

from serverkit import (CONTROL_KINDS, OUTPUT, Tab, active_sessions, app_root, page_paths,
                       problem_counts, rss_mb, run, start_server)

CELL_LINK = "inside_cell?H=3"  # B comes from a shared link: its query string must survive A's edits
EDITS = (("w_fbias", [3.0]), ("w_scale", [2.0]), ("w_fbias", [-2.0]))  # sliders hold lists
WARM_SESSIONS, MEASURED_SESSIONS, BATCH = 20, 100, 25
RSS_GROWTH_MB = 50
SETTLE_POLLS, POLL_S = 300, 0.1  # how long the server may take to drop closed sessions: a bound


@pytest.fixture(scope="module")
def server():
    """(base URL, Popen, log path) of one server shared by this module. (Not in a conftest.py:
    the browser tests import names from theirs as `conftest`, and a second one would shadow it.)"""
    with start_server("sessions") as started:
        yield started


def screen(tab):
    """What the tab shows: a digest of every element that is not a widget (as serialized), every
    widget's value, and the query string. A widget's proto itself may differ between runs with
    the same value (a value set from session state is sent once), so it is read as a value."""
    digest = hashlib.sha256()
    for path in sorted(tab.elements):
        if tab.elements[path].WhichOneof("type") not in CONTROL_KINDS:
            digest.update(repr(path).encode() + _stable(tab.elements[path]).SerializeToString(deterministic=True))
    values = tuple((c.key, repr(c.value)) for c in tab.controls())
    return digest.hexdigest(), values, tab.query_string


def _stable(element):
    """The element without what is new on every run by design: a download button whose file is
    made on click carries a fresh handle (deferred_file_id) each time it is drawn."""
    if element.WhichOneof("type") != "download_button":
        return element
    copy = type(element)()
    copy.CopyFrom(element)
    copy.download_button.ClearField("deferred_file_id")
    return copy


async def edit_beside_a_watcher(url):
    """A edits the cell page's weights while B reruns the same page. The interactions, A's
    (key, value, query string) after each edit, A's screens before and after, B's screens before,
    during and after A's edits, and B's forget bias and H at the end."""
    async with Tab(f"{url}/inside_cell") as a, Tab(f"{url}/{CELL_LINK}") as b:
        opened = await asyncio.gather(a.load(), b.load())
        b_screens = [screen(b)]

        async def edits():
            done = []
            for key, value in EDITS:
                opened.append(await a.change(a.control(key), value))
                done.append((key, a.control(key).value, a.query_string))
            return done

        async def watch():
            for _ in EDITS:
                opened.append(await b.rerun())
                b_screens.append(screen(b))

        a_before = screen(a)
        a_after, _ = await asyncio.gather(edits(), watch())
        opened.append(await b.rerun())  # after every edit of A's
        b_screens.append(screen(b))
        b_values = b.control("w_fbias").value, b.control("sb_H").value
        return opened, a_after, (a_before, screen(a)), b_screens, b_values


def test_an_edit_in_one_session_never_shows_in_another(server):
    url, _, _ = server
    interactions, a_after, a_screens, b_screens, b_values = run(edit_beside_a_watcher(url))
    assert problem_counts(interactions) == {}
    assert [(key, value) for key, value, _ in a_after] == list(EDITS)
    assert len({query for _, _, query in a_after}) == len(EDITS)  # each edit went into A's link
    assert a_screens[0][0] != a_screens[1][0]  # A's numbers moved: a screen shows an edit
    assert b_screens[0][2] == "H=3"
    assert set(b_screens) == {b_screens[0]}  # B's numbers, widgets and link never moved
    assert b_values == ([1.0], [3.0])  # the default forget bias; H from B's link


async def open_and_close(url, count, paths):
    """Open `count` tabs, BATCH at a time, each loading a page in turn; close them. Interactions."""
    done = []
    for first in range(0, count, BATCH):
        async def one(k):
            async with Tab(f"{url}/{paths[k % len(paths)]}") as tab:
                return await tab.load()
        done += await asyncio.gather(*map(one, range(first, min(first + BATCH, count))))
    return done


def settled_rss(url, pid):
    """The server's RSS in MB once it has no session with an open websocket left."""
    for _ in range(SETTLE_POLLS):
        if active_sessions(url) == 0:
            return rss_mb([pid])
        time.sleep(POLL_S)
    raise AssertionError(f"the server still had {active_sessions(url)} sessions open")


def test_a_hundred_sessions_opened_and_closed_give_their_memory_back(server):
    url, proc, _ = server
    paths = page_paths(app_root())
    warm = run(open_and_close(url, WARM_SESSIONS, paths))  # imports and figure caches fill here
    before = settled_rss(url, proc.pid)
    measured = run(open_and_close(url, MEASURED_SESSIONS, paths))
    after = settled_rss(url, proc.pid)
    figure = (f"server RSS after {WARM_SESSIONS} warm-up sessions: {before:.0f} MB; after "
              f"{MEASURED_SESSIONS} more opened and closed: {after:.0f} MB ({after - before:+.0f} MB)")
    print(f"\n{figure}")  # shown with -s or -rP; the file keeps the last run's figure
    (OUTPUT / "server-memory.txt").write_text(figure + "\n")
    assert problem_counts(warm + measured) == {}
    assert after - before < RSS_GROWTH_MB
