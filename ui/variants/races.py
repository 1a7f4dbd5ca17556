"""The Variants page's training race: the chosen variant against the plain LSTM, on a task where they differ.

`panel(variant, seed, large)` draws what the race tests, Train and Stop, the live progress, both
models' loss and accuracy, one result line per model (steps to the threshold, final accuracy, CPU
time per step, weights) and, once the race is over, the verdict computed from those numbers
(ui/variants/race_words.py). The engine is lstm_core.races; the run is a ui/training/runner job, shared
by every session that starts the same race (ui/common/shared_runs.py). A rerun with no new item
builds no chart: the session keeps the chart dicts and words it drew last.
"""
import dataclasses

import streamlit as st

from lstm_core import races
from ui.common import shared_runs
from ui.common.render import show
from ui.common.words import sentence
from ui.training import runner as R
from ui.training.panels import keep_charts_drawn, step_header
from ui.variants import race_figures as G
from ui.variants import race_words as W

RUN = "variants"  # the runner's job (runner.RUN_KEYS)
LIVE_CHARTS = ("vr_loss", "vr_acc")  # the charts a running fragment redraws
DRAWN_KEY = "vr_drawn"  # (run, what was drawn, {chart key: dict}, result lines, verdict) drawn last


@dataclasses.dataclass(frozen=True, eq=False)
class Job:
    """What a race was started with: its config, and whether this server had already run it."""

    config: races.RaceConfig
    replayed: bool = False


def panel(variant, seed, large):
    """Draw the race of `variant` (a lstm_core.variants.VARIANTS key) against the plain LSTM, seeded by
    `seed`; a bad variant or seed gets a message and no race."""
    try:
        config = races.race_config(variant, seed)
    except ValueError as err:
        st.error(sentence(err))
        return
    st.markdown(W.what(config))
    run = _leave_other_race(config)
    train_col, stop_col, _ = st.columns([1, 1, 4])
    if train_col.button("Train", key="vr_train", type="primary", icon=":material/play_arrow:", width="stretch"):
        start(config)
        run = R.current(RUN)
    stop_col.button("Stop", key="vr_stop", icon=":material/stop:", width="stretch", on_click=R.stop, args=(RUN,),
                    disabled=run is None or run.status != "running")
    keep_charts_drawn(LIVE_CHARTS)
    R.live(RUN, lambda run: _race(run if _is_for(run, config) else None, config, large))


def start(config):
    """Begin the race `config`, replacing any earlier one; a class starting the same race shares it."""
    key = ("variants_race", config)
    replayed = shared_runs.finished(key)
    race = shared_runs.follow(key, lambda: races.run_race(config))
    R.start(RUN, race, 2 * config.steps, Job(config, replayed))


def _is_for(run, config):
    return run is not None and run.config.config == config


def _leave_other_race(config):
    """The session's race if it is `config`'s; a race of other settings (another variant or seed) is
    stopped, so it does not keep training unseen, and None is returned."""
    run = R.current(RUN)
    if run is None or _is_for(run, config):
        return run
    R.stop(RUN)
    return None


def _race(run, config, large):
    """The race's progress, live charts, result lines and verdict; before a run, the empty charts."""
    specs, lines, verdict = _drawn(run, config, large)
    if run is None:
        st.info(W.PRESS_TRAIN)
    else:
        step_header(run, config.steps, W.REPLAYED)
    for column, key in zip(st.columns(1 if large else 2) * 2, LIVE_CHARTS):
        with column:
            with st.container():  # alone in its block: see ui/training/panels.keep_charts_drawn
                show(specs[key], key=key)
    for line in lines:
        st.markdown(line)
    if verdict:
        st.markdown(verdict)
        st.caption(" ".join(filter(None, (W.sweep(config), W.ONE_SEED))))
    elif run is not None and run.status == "stopped":
        st.caption(W.NEEDS_END)


def _drawn(run, config, large):
    """(chart dicts, result lines, verdict) of the run so far: what this session drew last while the run
    has no new item and the font size is the same, else built anew."""
    drawn = (len(run.items), run.status) if run is not None else config
    kept = st.session_state.get(DRAWN_KEY)
    if kept is None or kept[0] is not run or kept[1] != (drawn, large):
        done = run is not None and run.status == "done"
        kept = (run, (drawn, large), *contents(run.items if run else [], config, large, done=done))
        st.session_state[DRAWN_KEY] = kept
    return kept[2:]


def contents(items, config, large, done):
    """({chart key: dict}, result lines, verdict or "") of a race's `items` at `config`; the verdict only
    for a race run to its end (`done`)."""
    specs = {"vr_loss": G.loss_figure(items, config, large=large),
             "vr_acc": G.accuracy_figure(items, config, levels(config), large=large)}
    table = races.standings(config, items)
    lines = [W.result_line(standing, config) for standing in table.values()]
    verdict = W.verdict(config, *table.values()) if done and len(table) == 2 else ""
    return specs, lines, verdict


def levels(config):
    """The accuracies the chart marks besides the threshold: guessing, or for the bidirectional race the
    best a forward-only model can expect."""
    if config.variant == "bidirectional":
        return {"best one-way<br>(expected)": races.one_way_best(config.T)}
    return {"guessing": races.make_data(config.task, config.T, 1, 0).chance}
