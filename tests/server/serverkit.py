"""Plain helpers of the server tests: a real Streamlit server on a loopback port, and its students.

The students are benchmarks/student.py's tabs and the server is started by benchmarks/classroom.py's
`serve()`: the benchmark and these tests share one client and one way to start a server. The app
folder served is this repository, or LSTM_EXPLORER_APP_ROOT when set: that is how a test is shown
to catch a bug on an older commit (`git worktree add /tmp/old <commit>`, then
`LSTM_EXPLORER_APP_ROOT=/tmp/old python3 -m pytest tests/server`). pytest puts tests/server on
sys.path (the folder has no __init__.py), so the tests import this as `from serverkit import ...`;
the `server` fixture lives in test_sessions.py.
"""
import asyncio
import os
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from classroom import rss_mb, serve  # noqa: E402, F401 (after the path line; tests take them here)
from student import CONTROL_KINDS, Tab  # noqa: E402, F401

OUTPUT = ROOT / "test-output"
GATHER_TIMEOUT_S = 300  # a safety bound on a whole class; the tests wait for states, not times


def app_root():
    """The app folder to serve: LSTM_EXPLORER_APP_ROOT, else this repository."""
    return Path(os.environ.get("LSTM_EXPLORER_APP_ROOT", ROOT)).resolve()


def page_paths(root):
    """The URL path of each page in the app's views/ folder: '' for Home (the default page)."""
    stems = sorted(p.stem for p in (root / "views").glob("*.py"))
    return ["" if stem == "home" else stem for stem in stems]


def start_server(name):
    """serve() the app root with its log in test-output/server-<name>.log."""
    OUTPUT.mkdir(exist_ok=True)
    return serve(app_root(), log_path=OUTPUT / f"server-{name}.log")


def run(coroutine):
    """Run one class of students to the end, within GATHER_TIMEOUT_S (a bound, never a criterion).

    The class gets an event loop of its own in a thread of its own: in a whole-suite run the
    browser tests' Playwright (sync API) keeps an event loop running in the main thread, where
    asyncio.run() refuses to start another."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, asyncio.wait_for(coroutine, GATHER_TIMEOUT_S)).result()


def active_sessions(url):
    """The number of sessions with an open websocket, from the server's /_stcore/metrics."""
    with urllib.request.urlopen(f"{url}/_stcore/metrics?families=active_sessions", timeout=10) as r:
        text = r.read().decode()
    return sum(int(float(line.split()[-1])) for line in text.splitlines()
               if line.startswith("active_sessions") and not line.startswith("#"))


def log_problems(log_path):
    """The lines of a server log that report a problem: a traceback or an error."""
    return [line for line in Path(log_path).read_text().splitlines()
            if "Traceback" in line or "Error" in line]


def problem_counts(interactions):
    """{"page: exception or failure": count} over a class's interactions, for a failure message."""
    counts = {}
    for i in interactions:
        for text in [*i.exceptions, *([i.failure] if i.failure else [])]:
            key = f"{i.page or '(no page)'} {i.action}: {text[:160]}"
            counts[key] = counts.get(key, 0) + 1
    return counts
