"""A class opens the app at once: N simulated students on one server, latency per page, server CPU and RSS.

    python3 benchmarks/classroom.py --sessions 30 --think 3 --cold   # a fresh server, all at once
    python3 benchmarks/classroom.py --sessions 30 --think 0          # back to back, warmed server
    python3 benchmarks/classroom.py --sessions 100 --think 5 --changes 2
    python3 benchmarks/classroom.py --url http://127.0.0.1:8501 --pids 1234,1235  # a running server
    python3 benchmarks/classroom.py --link '/gradients?length=500'  # one page, from one link

Each student is a `student.Tab` (benchmarks/student.py: Streamlit's websocket protocol, no
browser). All of them connect, then send their first rerun at the same instant; each opens the
default page, then visits every other page of the navigation, and on each page makes `--changes`
changes, cycling through the page's controls (a slider one step, the next option, a toggle
flipped), waiting `--think` seconds (±50 %, seeded) before each visit and change. Latency is
one rerun: sent → `script_finished`, every delta received.

Without `--url` the script starts `streamlit run app.py` on a free loopback port: with `--cold`
the students are the server's first visitors; without it one tab visits every page first, so
that imports and caches are warm. With `--url` the server is already running (HAProxy in front
of workers, say): `--pids` names the processes to measure, else the one listening on the port,
or, when that is no Streamlit process (a proxy), the Streamlit processes that share its parent
(deploy/classroom.sh starts both). Server CPU is utime + stime from /proc/<pid>/stat over the
run, summed over the pids; RSS is VmRSS from /proc/<pid>/status. This is a load generator: it
only ever talks to this machine (loopback addresses).
Prints Markdown tables.
"""
import argparse
import asyncio
import contextlib
import ipaddress
import os
import platform
import random
import re
import resource
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from student import Interaction, Tab  # noqa: E402 (after the path line, so the script runs from anywhere)

ROOT = Path(__file__).resolve().parents[1]
SERVER_START_S = 120  # a cold start imports streamlit, numpy, plotly and pandas on a busy box
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SAMPLE_S = 0.5  # how often the server's RSS is sampled for its peak


def free_port():
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url):
    """True when the server's health endpoint answers 'ok'."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
            return reply.read().decode() == "ok"
    except OSError:
        return False


@contextlib.contextmanager
def serve(root=ROOT, log_path=None, flags=()):
    """Run `streamlit run app.py` from the app folder `root` on a free loopback port.

    Yields (base URL, Popen, log path); the server's output goes to `log_path`, where "{port}"
    stands for the port (default: a file under /tmp named by the port). Stops the server
    afterwards, by its pid.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = Path(str(log_path or "/tmp/streamlit-classroom-{port}.log").format(port=port))
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
           "--server.port", str(port), "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *flags]
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=root, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + SERVER_START_S
            while not healthy(url):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start in {SERVER_START_S} s: {log_path}")
                time.sleep(0.2)
            yield url, proc, log_path
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def cpu_seconds(pids):
    """utime + stime of the processes `pids`, in seconds (fields 14 and 15 of /proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # the fields after "pid (comm)" start at 3
    return total / CLOCK_TICKS


def rss_mb(pids):
    """The resident memory of the processes `pids`, summed, in MB (VmRSS of /proc/<pid>/status)."""
    total_kb = 0
    for pid in pids:
        match = re.search(r"^VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.MULTILINE)
        total_kb += int(match.group(1))
    return total_kb / 1024


def cmdline(pid):
    """A process's command line as one string ('' when it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def listener_pid(port):
    """The pid of the process listening on TCP `port` (IPv4 or IPv6), or None."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # LISTEN
                inodes.add(f"socket:[{fields[9]}]")
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        with contextlib.suppress(OSError):
            if any(os.readlink(fd) in inodes for fd in fd_dir.iterdir()):
                return int(fd_dir.parent.name)
    return None


def server_pids(url):
    """The Streamlit processes behind `url`: the listener, or the listener's Streamlit siblings."""
    pid = listener_pid(urlsplit(url).port or 80)
    if pid is None:
        sys.exit(f"nothing listens on {url}'s port that this user can see: pass --pids")
    if "streamlit" in cmdline(pid):
        return [pid]
    parent = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
    siblings = [int(p.parent.name) for p in Path("/proc").glob("[0-9]*/stat")
                if cmdline(p.parent.name).count("streamlit")
                and p.read_text().rsplit(")", 1)[1].split()[1] == parent]
    if not siblings:
        sys.exit(f"{url} is served by pid {pid} ({cmdline(pid)[:60]}), no Streamlit: pass --pids")
    return sorted(siblings)


def loopback(url):
    """True when `url`'s host is this machine: localhost or a loopback address."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    with contextlib.suppress(ValueError):
        return ipaddress.ip_address(host).is_loopback
    return False


async def think(rng, seconds):
    """Pause like a student reading the page: `seconds` ± 50 % (nothing at 0)."""
    if seconds > 0:
        await asyncio.sleep(seconds * rng.uniform(0.5, 1.5))


async def work_page(tab, args, rng):
    """`args.changes` changes on the page on screen, cycling through its controls."""
    done = []
    for k in range(args.changes):
        controls = [c for c in tab.controls() if c.kind != "button"]
        if not controls:
            break
        await think(rng, args.think)
        done.append(await tab.change(controls[k % len(controls)]))
    return done


async def student(number, url, args, start):
    """One student's lesson: open the default page, then every other page; change controls.

    The student connects, then waits at the `start` barrier with the whole class."""
    rng = random.Random(args.seed * 1000 + number)
    tab = Tab(url + (args.link or ""), timeout_s=args.timeout)
    try:
        await tab.connect()
    except Exception as err:  # a refused or broken connection is a result, not a crash
        await start.wait()
        return [Interaction("(connect)", "open", 0.0, failure=f"{type(err).__name__}: {err}"[:200])]
    try:
        await start.wait()
        done = [await tab.load()]
        done += await work_page(tab, args, rng)
        others = [] if args.link else [p for p in tab.pages if p.script_hash != tab.page_hash]
        for page in others:
            await think(rng, args.think)
            done.append(await tab.visit(page))
            done += await work_page(tab, args, rng)
        return done
    finally:
        with contextlib.suppress(Exception):
            await tab.close()


async def sample_peak(pids, peak, stop):
    """Keep peak[0] at the highest RSS of `pids` seen every SAMPLE_S until `stop` is set."""
    while not stop.is_set():
        with contextlib.suppress(OSError):
            peak[0] = max(peak[0], rss_mb(pids))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), SAMPLE_S)


async def run_class(url, args, pids):
    """Every student's interactions (one list), the wall seconds, and the server's numbers."""
    start = asyncio.Barrier(args.sessions + 1)  # every student, and this task
    before_cpu, before_rss = cpu_seconds(pids), rss_mb(pids)
    peak, stop = [before_rss], asyncio.Event()
    sampler = asyncio.create_task(sample_peak(pids, peak, stop))
    tasks = [asyncio.create_task(student(k, url, args, start)) for k in range(args.sessions)]
    await start.wait()
    began = time.perf_counter()
    results = await asyncio.gather(*tasks)
    wall = time.perf_counter() - began
    stop.set()
    await sampler
    server = {"cpu": cpu_seconds(pids) - before_cpu, "rss_before": before_rss,
              "rss_peak": peak[0], "rss_after": rss_mb(pids)}
    return [i for done in results for i in done], wall, server


async def warm_up(url, timeout):
    """One tab over every page: imports and caches are warm before the class arrives."""
    async with Tab(url, timeout_s=timeout) as tab:
        await tab.load()
        for page in tab.pages:
            await tab.visit(page)


def percentile(values, q):
    """The q-th percentile (0..100) by nearest rank: a value that was measured."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, -(-q * len(ordered) // 100) - 1))]


def latency_table(interactions, page_order):
    """Markdown rows per (page, action): count, p50/p95/max ms, exceptions, failures."""
    groups = {}
    for i in interactions:
        groups.setdefault((i.page, i.action), []).append(i)
    rank = {name: k for k, name in enumerate(page_order)}
    actions = {"open": 0, "visit": 1, "change": 2}
    lines = ["| page | action | interactions | p50 ms | p95 ms | max ms | exceptions | failures |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    keys = sorted(groups, key=lambda k: (rank.get(k[0], len(rank)), actions[k[1]]))
    for page, action in keys + [("**all**", "")]:
        group = groups.get((page, action), interactions)
        ms = [1e3 * i.seconds for i in group if i.failure is None] or [0.0]
        lines.append(f"| {page} | {action} | {len(group)} | {percentile(ms, 50):.0f} | "
                     f"{percentile(ms, 95):.0f} | {max(ms):.0f} | "
                     f"{sum(bool(i.exceptions) for i in group)} | "
                     f"{sum(i.failure is not None for i in group)} |")
    return "\n".join(lines)


def problems(interactions, limit=8):
    """Markdown bullets: the distinct exception and failure messages, most frequent first."""
    counts = Counter(f"exception on {i.page}: {line}" for i in interactions for line in i.exceptions)
    counts.update(f"failure on {i.page}: {i.failure}" for i in interactions if i.failure)
    return "\n".join(f"- {n} × {text[:300]}" for text, n in counts.most_common(limit))


def log_summary(log_path, limit=5):
    """Markdown bullets: the server log's tracebacks, and its distinct error lines with counts.

    The app redacts exception messages on the page (client.showErrorDetails), so the log is
    where a student's red box says what it was."""
    text = Path(log_path).read_text()
    errors = Counter(line.strip() for line in text.splitlines() if "Error" in line)
    lines = [f"- server log {log_path}: {text.count('Traceback')} tracebacks"]
    return "\n".join(lines + [f"  - {n} × {line[:300]}" for line, n in errors.most_common(limit)])


def server_table(server, pids, count, wall):
    """Markdown: the server's CPU over the run, per interaction, and its RSS before/peak/after."""
    per = 1e3 * server["cpu"] / max(count, 1)
    return ("| server pids | CPU s | interactions | CPU ms / interaction | interactions / s | "
            "RSS before MB | RSS peak MB | RSS after MB |\n"
            "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
            f"| {', '.join(map(str, pids))} | {server['cpu']:.1f} | {count} | {per:.0f} | "
            f"{count / max(wall, 1e-9):.1f} | {server['rss_before']:.0f} | "
            f"{server['rss_peak']:.0f} | {server['rss_after']:.0f} |")


def header(args, url, mode):
    """Markdown bullets: the machine, its load, the versions, the server and the class."""
    import streamlit
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    return "\n".join([
        (f"- machine: {platform.machine()}, nproc {os.cpu_count()}, Python "
         f"{platform.python_version()}, streamlit {streamlit.__version__}"),
        f"- load average before the run: {load} (other work on the machine skews the times)",
        f"- server: {url} ({mode})",
        (f"- class: {args.sessions} students, think {args.think} s, {args.changes} changes a page, "
         f"all starting at once; command: `python3 {' '.join(sys.argv)}`")])


def report(args, url, mode, pids, log_path=None):
    """Run the class against `url` and print the Markdown report."""
    print(header(args, url, mode), end="\n\n", flush=True)
    interactions, wall, server = asyncio.run(run_class(url, args, pids))
    order = list(dict.fromkeys(i.page for i in interactions))  # student 0's: the navigation's
    print(latency_table(interactions, order), end="\n\n")
    print(server_table(server, pids, len(interactions), wall), end="\n\n")
    client_cpu = resource.getrusage(resource.RUSAGE_SELF)
    print(f"- wall time of the class: {wall:.1f} s; this client's own CPU: "
          f"{client_cpu.ru_utime + client_cpu.ru_stime:.1f} s (it shares the cores)")
    if log_path is not None:
        print(log_summary(log_path))
    listed = problems(interactions)
    print(listed or "- no exceptions, no failures")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30, help="students (default 30)")
    parser.add_argument("--think", type=float, default=3.0,
                        help="seconds before each visit and change, ±50%% (0 = back to back)")
    parser.add_argument("--changes", type=int, default=3, help="changes on each page (default 3)")
    parser.add_argument("--url", help="an already running server (loopback only)")
    parser.add_argument("--pids", help="comma-separated server pids to measure, with --url")
    parser.add_argument("--cold", action="store_true",
                        help="start a fresh server: the students are its first visitors")
    parser.add_argument("--root", default=str(ROOT), help="the app folder to serve (default: ours)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds one rerun may take")
    parser.add_argument("--link", help="every student opens this page and link (e.g. "
                        "'/gradients?length=500') and stays on it: one page's cost")
    parser.add_argument("--seed", type=int, default=0, help="seeds the think times")
    return parser.parse_args()


def main():
    args = parse_args()
    if args.url:
        if not loopback(args.url):
            sys.exit(f"{args.url}: this benchmark only loads servers on this machine (loopback)")
        pids = [int(p) for p in args.pids.split(",")] if args.pids else server_pids(args.url)
        report(args, args.url.rstrip("/"), "already running", pids)
        return
    with serve(args.root) as (url, proc, log_path):
        if not args.cold:
            asyncio.run(warm_up(url, args.timeout))
        mode = "cold: the students are its first visitors" if args.cold else \
            "warmed by one tab over every page"
        report(args, url, f"started here from {args.root}, {mode}", [proc.pid], log_path)


if __name__ == "__main__":
    main()
