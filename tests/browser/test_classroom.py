"""A class behind HAProxy: deploy/classroom.sh with two workers, in a real browser.

Two students on one address land on two workers (the sticky cookie, not the address, decides).
Killing a student's worker costs that student a reconnect: Streamlit's frontend pings
/_stcore/health until HAProxy, breaking the dead worker's cookie, answers from the other worker,
then opens its websocket there. The page keeps what it drew (the same link, the same number) and
does not rerun by itself (Streamlit 1.67 reruns on a reconnect only a page that was running);
Streamlit's R runs it in the new session from the link alone, because every view's state is in
the URL, and the next change works there. SIGTERM to the script leaves none of its processes
behind.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browserkit import SLOW_MS, no_exception
from conftest import OUTPUT, ROOT, VIEWPORT, _healthy, _missing
from ui.gradients import state as G
from ui.gradients.figures import sci

WORKERS = 2
START_S = 120  # the script's own start-up limit; it exits on its own if a worker cannot start
STOP_S = 30  # the script gives each child 10 s to stop on SIGTERM before SIGKILL
LINK = "/gradients?scale=2.5&length=50"  # not the page's defaults: the number depends on the link
STUDENT_LINK = re.compile(r"/gradients\?scale=2\.5&length=50$")
LINE = re.compile(r"^classroom: (?:worker )?(?P<name>w\d+|haproxy) pid (?P<pid>\d+) port (?P<port>\d+)")

# Streamlit's frontend writes its websocket's state on the app root (CONNECTED, PINGING_SERVER,
# CONNECTING, ...) and its script's state (running, notRunning). This observer keeps every change,
# in order, in one attribute that `expect` can read: a reconnect cannot pass unseen.
RECORD_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const log = () => app.dataset.log = (app.dataset.log ?? '') + ' '
      + app.getAttribute('data-test-connection-state') + '/' + app.getAttribute('data-test-script-state');
  log();
  new MutationObserver(log).observe(app, {attributes: true,
      attributeFilter: ['data-test-connection-state', 'data-test-script-state']});
}"""
# From the connected page: the socket dropped, the frontend pinged and connected again ...
RECONNECTED = r"^ CONNECTED/notRunning( (PINGING_SERVER|CONNECTING)/notRunning)+ CONNECTED/notRunning"
# ... and then the page ran again, in the new session.
RERAN = r"( CONNECTED/\w+)* CONNECTED/running( CONNECTED/\w+)* CONNECTED/notRunning$"
NEVER_DROPPED = re.compile(r"^ CONNECTED/notRunning$")


def _haproxy_installed():
    return shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists()


def _free_port_run(n):
    """A port P such that P .. P+n all look free: the proxy's and its workers'."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + n <= 65535 and all(_port_free(first + i) for i in range(n + 1)):
            return first
    raise RuntimeError("no run of free ports found")


def _port_free(port):
    with socket.socket() as probe:
        try:
            probe.bind(("0.0.0.0", port))
        except OSError:
            return False
        return True


def _start_time(pid):
    """The kernel's start time of a process (so a reused pid is not mistaken for it), or None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (FileNotFoundError, ProcessLookupError):
        return None


def _descendants(pid):
    """{pid: start time} of every process below `pid`."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        parents[int(stat.parent.name)] = (int(fields[1]), fields[19])
    found, todo = {}, [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, started) in parents.items():
            if ppid == parent and child not in found:
                found[child] = started
                todo.append(child)
    return found


class Classroom:
    """deploy/classroom.sh running: its process, its children by name, the proxy's URL."""

    def __init__(self):
        self.port = _free_port_run(WORKERS)
        self.url = f"http://127.0.0.1:{self.port}"
        OUTPUT.mkdir(exist_ok=True)
        self.log_path = OUTPUT / f"classroom-{self.port}.log"
        with open(self.log_path, "w") as log:  # the script keeps its own copy of the file
            self.proc = subprocess.Popen(
                ["bash", "deploy/classroom.sh", "--workers", str(WORKERS), "--port", str(self.port)],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                env={**os.environ, "TMPDIR": str(OUTPUT)})  # its run folder, logs and all
        self.children = self._wait_ready()  # name -> (pid, port)

    def _wait_ready(self):
        """Until the script says ready; its lines name every child, with pid and port."""
        deadline = time.monotonic() + START_S
        while "classroom: ready" not in self.log_path.read_text():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"classroom.sh did not get ready; see {self.log_path}")
            time.sleep(0.2)
        lines = self.log_path.read_text().splitlines()
        found = [LINE.match(line) for line in lines]
        return {m["name"]: (int(m["pid"]), int(m["port"])) for m in found if m}

    def stop(self):
        """SIGTERM, as Ctrl-C's neighbour; the whole group gets SIGKILL if the script hangs."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_S)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


@pytest.fixture
def classroom(browser):
    if not _haproxy_installed():
        _missing("Debian's haproxy is not installed (apt-get install haproxy)")
    room = Classroom()
    try:
        yield room
    finally:
        room.stop()


def tanh_metric(page):
    """The tanh RNN's gradient at step 1, as the gradients page's metric shows it."""
    metric = page.locator('[data-testid="stMetric"]').filter(
        has=page.get_by_text("tanh RNN", exact=True))
    return metric.locator('[data-testid="stMetricValue"]')


def app_root(page):
    return page.get_by_test_id("stApp")


@pytest.fixture
def student(browser, classroom):
    """student(): a student's own browser (own cookies) on the link, connected and drawn."""
    contexts = []

    def arrive():
        contexts.append(browser.new_context(viewport=VIEWPORT))
        page = contexts[-1].new_page()
        page.goto(classroom.url + LINK)
        expect(app_root(page)).to_have_attribute("data-test-connection-state", "CONNECTED")
        expect(tanh_metric(page)).to_be_visible(timeout=SLOW_MS)
        expect(app_root(page)).to_have_attribute("data-test-script-state", "notRunning")
        return page
    yield arrive
    for context in contexts:
        context.close()


def worker_of(page):
    """The worker HAProxy's sticky cookie sends this student to."""
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return cookies.get("SERVERID")


def shows_the_link(page, number):
    expect(page).to_have_url(STUDENT_LINK)
    expect(tanh_metric(page)).to_have_text(number)
    no_exception(page)


def test_killing_a_students_worker_costs_only_a_reconnect_to_the_other_with_the_same_view(
        classroom, student, screenshots):
    workers = {name for name in classroom.children if name != "haproxy"}
    assert len(workers) == WORKERS, f"classroom.sh names {WORKERS} workers; see {classroom.log_path}"
    assert _healthy(classroom.url), "HAProxy answers /_stcore/health"
    for name in workers:
        assert _healthy(f"http://127.0.0.1:{classroom.children[name][1]}"), f"{name} is healthy"
    number = sci(G.status(G.GradState(scale=2.5, length=50).flows()["rnn_tanh"])[1])
    assert number != sci(G.status(G.GradState().flows()["rnn_tanh"])[1]), "the link matters"

    first, second = student(), student()
    doomed, other = worker_of(first), worker_of(second)
    assert {doomed, other} == workers, "two students from one address land on the two workers"
    for page in (first, second):
        shows_the_link(page, number)
        page.evaluate(RECORD_JS)

    os.kill(classroom.children[doomed][0], signal.SIGKILL)

    expect(app_root(first)).to_have_attribute("data-log", re.compile(RECONNECTED + "$"),
                                              timeout=SLOW_MS)
    shows_the_link(first, number)  # what the page drew stays: it does not rerun by itself
    assert worker_of(first) == other, "the redispatched student now carries the live worker's cookie"
    expect(app_root(second)).to_have_attribute("data-log", NEVER_DROPPED)
    shows_the_link(second, number)
    # Streamlit's R: the page runs in a new session on the other worker, from the link alone
    first.keyboard.press("r")
    expect(app_root(first)).to_have_attribute("data-log", re.compile(RECONNECTED + RERAN))
    shows_the_link(first, number)
    # and the new session is live: a change redraws the page there, keeping the link's length
    first.get_by_role("slider", name="Recurrent weight scale").focus()
    first.keyboard.press("Home")  # the slider's lowest scale, 0.1
    lowest = G.GradState(scale=0.1, length=50)
    expect(tanh_metric(first)).to_have_text(sci(G.status(lowest.flows()["rnn_tanh"])[1]),
                                            timeout=SLOW_MS)
    expect(first).to_have_url(re.compile(r"/gradients\?(?=.*\bscale=0\.1(&|$))(?=.*\blength=50(&|$))"))
    expect(app_root(first)).to_have_attribute("data-test-connection-state", "CONNECTED")
    no_exception(first)
    assert worker_of(first) == other
    first.screenshot(path=str(screenshots / "classroom_reconnected.png"))

    started = _descendants(classroom.proc.pid)
    survivors = {pid for name, (pid, _) in classroom.children.items() if name != doomed}
    assert survivors <= set(started), "the other worker and HAProxy run under classroom.sh"
    classroom.stop()
    assert classroom.proc.returncode == 128 + signal.SIGTERM, "classroom.sh stopped on SIGTERM"
    left = {pid for pid, when in started.items() if _start_time(pid) == when}
    assert not left, f"classroom.sh left processes behind: {left}"
