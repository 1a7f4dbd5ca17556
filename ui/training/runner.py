"""Live training in a page without blocking it: the engine's generator advanced in short slices.

A `Run` keeps the engine's generator and what it has produced so far. A fragment that reruns
every half second advances it for a fraction of a second and redraws only itself, so the page
stays responsive and Stop takes effect at once. The generator is the one thing in session state
that is not plain data: it is the training loop itself, and it lives only as long as the session.

Stop's rerun starts on a new thread while the fragment's may still be inside the generator
(Streamlit stops a script only at its next `st` call), so each step and Stop take the run's
lock: after Stop, no step lands, and two threads never advance one generator.
"""
import dataclasses
import threading
import time

import streamlit as st

RUN_KEYS = {"lab": "lab_run", "sweep": "sweep_run", "forecast": "forecast_run",
            "text": "text_run", "seq2seq": "seq2seq_run", "sentiment": "sentiment_run",
            "tradeoffs_fit": "tradeoffs_fit_run", "tradeoffs_lr": "tradeoffs_lr_run"}  # the jobs pages run
RUN_KEYS["short_term"] = "short_term_run"  # Trade-offs: the window model against the LSTM
RUN_KEYS["context"] = "context_run"  # Trade-offs: limited context, by delay or by number of items
RUN_KEYS["variants"] = "variants_race_run"  # Variants: a variant racing the plain LSTM
SLICE_SECONDS = 0.35  # training time per fragment rerun
TICK_SECONDS = 0.5  # how often a running fragment reruns


@dataclasses.dataclass
class Run:
    """One training job: its generator, its results so far, and where it is."""

    generator: object
    total: int  # items the generator will yield at most, for the progress bar
    config: object
    status: str = "running"  # running, stopped, done, failed
    count: int = 0  # steps (or trainings) done so far
    items: list = dataclasses.field(default_factory=list)  # every yielded dict, without models
    models: dict = dataclasses.field(default_factory=dict)  # kind -> the model kept (the item's best_step)
    error: str = ""
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock, repr=False, compare=False)


def start(which, generator, total, config):
    """Begin a job, replacing any earlier one of the same kind."""
    st.session_state[RUN_KEYS[which]] = Run(generator=generator, total=total, config=config)


def current(which):
    return st.session_state.get(RUN_KEYS[which])


def stop(which):
    """Stop a running job; what it produced so far is kept."""
    run = current(which)
    if run is not None:
        with run.lock:
            if run.status == "running":
                run.status = "stopped"


def advance(run, seconds=SLICE_SECONDS):
    """Pull items from the generator for about `seconds`; marks the run done or failed."""
    deadline = time.perf_counter() + seconds
    while run.status == "running" and time.perf_counter() < deadline:
        with run.lock:
            if run.status == "running":
                _step(run)


def _step(run):
    """Take one item from the generator into the run (the caller holds the run's lock)."""
    try:
        item = next(run.generator)
    except StopIteration:
        run.status = "done"
    except (ValueError, FloatingPointError) as err:
        run.status, run.error = "failed", str(err)
    else:
        if item.get("model") is not None and item.get("best_step") == item["step"]:
            run.models[item["kind"]] = item["model"]  # the lab's best so far: lowest val_loss
        run.items.append({k: v for k, v in item.items() if k != "model"})
        run.count += not item.get("done", False)  # a model's closing summary is not a step


def live(which, draw):
    """Draw `draw(run)` in a fragment that keeps training while the run is running."""
    run = current(which)
    running = run is not None and run.status == "running"

    @st.fragment(run_every=TICK_SECONDS if running else None)
    def panel():
        run = current(which)
        draw(run)  # first: charts drawn before training are never shown greyed out as stale
        if run is not None and run.status == "running":
            advance(run)
            if run.status != "running":
                st.rerun()  # the whole page: its buttons and results change

    panel()
