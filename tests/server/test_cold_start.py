"""A class opens the link at once on a server that has just started: nobody gets the error page.

The bug this guards against: on a cold server, 20 of 30 students got Streamlit's exception page
on Home, `AttributeError: partially initialized module 'pandas' has no attribute 'Series'` in
Plotly's validators, because the first reruns of many sessions import the same modules at the
same time on their own threads. Here the students are the server's first visitors and send their
first rerun together (a barrier), each to a page of its own, then visit every page.
"""
import asyncio

from serverkit import Tab, app_root, log_problems, page_paths, problem_counts, run, start_server

SESSIONS = 24  # the bug showed with >= 20 students at once


async def first_visit_class(url, paths):
    """Every interaction of SESSIONS tabs: tab k opens paths[k % len(paths)], all at once, then
    visits every other page of the navigation."""
    start = asyncio.Barrier(SESSIONS)

    async def student(k):
        async with Tab(f"{url}/{paths[k % len(paths)]}") as tab:
            await start.wait()
            done = [await tab.load()]
            for page in [p for p in tab.pages if p.script_hash != tab.page_hash]:
                done.append(await tab.visit(page))
            return done

    return [i for done in await asyncio.gather(*map(student, range(SESSIONS))) for i in done]


def test_a_class_opening_a_cold_server_at_once_sees_no_exception():
    paths = page_paths(app_root())
    with start_server("cold-start") as (url, _, log_path):
        interactions = run(first_visit_class(url, paths))
    logged = log_problems(log_path)
    problems = problem_counts(interactions)
    assert not problems, f"{problems}; the server logged {len(logged)} lines like {logged[-1:]}"
    assert len(interactions) == SESSIONS * len(paths)  # every tab saw every page
    assert not logged, f"{len(logged)} lines in {log_path}, like {logged[-1:]}"
