"""Streamlit glue for the guided path: its progress in the link, each page's checkpoint box,
the "Next step" link, and Home's list of steps and glossary.

Progress lives in session state and in the link's `path` value (see progress.py), so a reload
keeps it, and the path's own links carry it to the next page (a page switch empties the link).
"""
import importlib
from pathlib import Path

import streamlit as st

from ui.common import present
from ui.common.caching import by_settings
from ui.path import progress as P
from ui.path.steps import BY_KEY, OPTION_COUNTS, STEPS, next_step

ROOT = Path(__file__).resolve().parents[2]
PAGE_DIR = ROOT / "views"
NOTATION = ROOT / "docs" / "notation.md"
PROGRESS_KEY = "path_progress"


def frame():
    """Once per run, before the page: read the link's progress, or put it back after a page switch."""
    if "path" in st.query_params:
        try:
            st.session_state[PROGRESS_KEY] = P.decode(st.query_params["path"], OPTION_COUNTS)
        except ValueError as err:
            st.warning(f"The link's 'path' is not valid ({err}); the guided path's answers so far "
                       "are kept as they were.")
            del st.query_params["path"]
    _write(current())


def current():
    """{step key: committed option} of this session."""
    return st.session_state.get(PROGRESS_KEY, {})


def _write(progress):
    """Keep `progress` (in the path's order) in session state and in the link (no `path` key when
    nothing is answered)."""
    progress = {s.key: progress[s.key] for s in STEPS if s.key in progress}
    st.session_state[PROGRESS_KEY] = progress
    query = {k: v for k, v in st.query_params.to_dict().items() if k != "path"}
    if progress:
        query["path"] = P.encode(progress)
    if query != st.query_params.to_dict():
        st.query_params.from_dict(query)


def _store(step):
    """The page's Store that the step's checkpoint loads its experiment into."""
    module, name = step.store.split(":")
    return getattr(importlib.import_module(module), name)


@by_settings(max_entries=16, max_size="1MiB")
def outcome(key):
    """The engine's numbers of a step's checkpoint (the training lab's trains: cached for all)."""
    return BY_KEY[key].checkpoint.outcome()


def _commit(key):
    """Record the learner's answer, then load the experiment into the page's state."""
    step = BY_KEY[key]
    choice = step.checkpoint.options.index(st.session_state[f"path_{key}_pick"])
    _write({**current(), key: choice})
    _load(key)


def _load(key):
    """Load the step's experiment into its page's state (nothing for a step without one)."""
    step = BY_KEY[key]
    if step.checkpoint.settings is not None:
        store = _store(step)
        store.commit(step.checkpoint.settings(store.current().large))


def _forget(key):
    """Take back the answer to one checkpoint, to try it again."""
    _write({k: v for k, v in current().items() if k != key})


def checkpoint(key):
    """The step's box on its page: the idea, what to do, the question, then what happened."""
    if not present.shows("path"):
        return
    step, number = BY_KEY[key], [s.key for s in STEPS].index(key) + 1
    on_path = key == STEPS[0].key or bool(current())  # elsewhere, a visitor off the path sees it closed
    box = st.expander(f"Guided path, step {number} of {len(STEPS)}: {step.title}", expanded=on_path,
                      icon=":material/route:")
    box.markdown(f"**The idea.** {step.idea}")
    box.markdown(f"**Do:** {step.todo}")
    box.markdown(f"**Checkpoint: predict, then see.** {step.checkpoint.question}")
    answered = current().get(key)
    if answered is None:
        box.radio("Your prediction", step.checkpoint.options, index=None, key=f"path_{key}_pick")
        box.button("Commit my answer", key=f"path_{key}_commit", on_click=_commit, args=(key,),
                   disabled=st.session_state.get(f"path_{key}_pick") is None, type="primary")
    else:
        _reveal(box, step, answered)
    next_link(key, box)


def _reveal(box, step, answered):
    """What the engine says, against what the learner predicted."""
    numbers = outcome(step.key)
    right = step.checkpoint.verdict(numbers)
    verdict = ("**Right.**" if answered == right else
               f"**You predicted:** {step.checkpoint.options[answered]}. **What happens:** "
               f"{step.checkpoint.options[right]}.")
    (box.success if answered == right else box.info)(f"{verdict} {step.checkpoint.reveal(numbers)}")
    again, load = box.columns(2)
    again.button("Answer again", key=f"path_{step.key}_again", on_click=_forget, args=(step.key,),
                 icon=":material/undo:", width="stretch")
    if step.checkpoint.settings is not None:
        load.button("Load the experiment again", key=f"path_{step.key}_load", on_click=_load,
                    args=(step.key,), icon=":material/replay:", width="stretch")


def link_query():
    """What the path's links carry: the progress, and the link's presentation keys."""
    query = {k: st.query_params[k] for k in ("present", "hide") if k in st.query_params}
    if current():
        query["path"] = P.encode(current())
    return query


def next_link(key, where=st):
    """A link to the next step's page, or back to Home's recap after the last one."""
    step = next_step(key)
    if step is None:
        where.page_link(str(PAGE_DIR / STEPS[0].page), label="The end of the path: back to Home for the recap",
                        icon=":material/flag:", query_params=link_query())
    else:
        where.page_link(str(PAGE_DIR / step.page), label=f"Next step → {step.title}",
                        icon=":material/arrow_forward:", query_params=link_query())


def step_list(where=st):
    """Home's list of the path's steps, each a link to its page, answered ones ticked."""
    done = current()
    for number, step in enumerate(STEPS, start=1):
        mark = " ✓" if step.key in done else ""
        where.page_link(str(PAGE_DIR / step.page), label=f"{number}. {step.title}{mark}",
                        query_params=link_query())
    where.caption(f"{len(done)} of {len(STEPS)} checkpoints answered. Your answers are in the "
                  "page's link: bookmark it to come back.")


def glossary_table():
    """The symbol table of docs/notation.md: the app's glossary is that file's table, read from it."""
    lines = NOTATION.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| symbol |"))
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))
    return "\n".join(lines[start:end])
