"""The Trade-offs page's computational-cost section: what one step costs, and the engine's own time
against T, measured on the server when asked.

Streamlit glue over the engine (lstm_core.tradeoffs) and this package's figures and words. The
measurement runs in the session that asks for it (a few seconds, with a progress bar) and is kept in
the session with the settings it measured; it is never cached across sessions: a time is what this
server took when asked, not a number to replay. The figures are cached for the class (by_settings): the
multiply-adds one by its sizes, the measured ones by the measurement's numbers, so a rerun builds none.
"""
import streamlit as st

from lstm_core import tradeoffs as X
from ui.common.caching import by_settings
from ui.common.render import show
from ui.tradeoffs import figures as G
from ui.tradeoffs import state as TS
from ui.tradeoffs import words as W
from ui.tradeoffs.lessons import MEASURE, SEQUENTIAL
from ui.training.panels import progress_bar

RESULT_KEY = "tradeoffs_timings"  # (TimingRequest, items) of this session's last measurement


@by_settings(max_entries=64, max_size="8MiB")
def multiply_adds_spec(kinds, input_size, hidden_size, large):
    """The multiply-adds figure's dict (cached: it depends only on its arguments)."""
    return G.multiply_adds_figure(kinds, input_size, hidden_size, large=large).to_dict()


@by_settings(max_entries=256, max_size="16MiB")
def measured_specs(items, kinds, lengths, large):
    """The three measured charts' dicts (time per sequence, per step, the split) for these items (a tuple):
    a rerun that changes nothing builds none."""
    items = list(items)
    return (G.timing_figure(items, kinds, lengths, per_step=False, large=large).to_dict(),
            G.timing_figure(items, kinds, lengths, per_step=True, large=large).to_dict(),
            G.split_figure(items, kinds, large=large).to_dict())


def measure(request):
    """Time every kind at every length of `request`, drawing progress; the items, in order."""
    bar, items = st.empty(), []
    total = len(request.kinds) * len(request.lengths)
    for item in X.timings(request.kinds, request.lengths, hidden_size=request.hidden_size,
                          input_size=request.input_size, batch_size=request.batch_size, repeats=request.repeats):
        items.append(item)
        with bar.container():
            progress_bar(len(items), total, f"measured {len(items)} of {total} passes")
    bar.empty()
    return items


def kept(request):
    """(items, request measured) of this session's last measurement, or ([], None) before any."""
    last = st.session_state.get(RESULT_KEY)
    return ([], None) if last is None else (last[1], last[0])


def panel(state, large):
    """The multiply-adds of a step, why the steps cannot run in parallel, Measure, and the measured charts."""
    request = TS.timing_request(state)
    show(multiply_adds_spec(request.kinds, request.input_size, request.hidden_size, large), key="vt_mults")
    st.markdown(SEQUENTIAL)
    st.caption(MEASURE.format(repeats=request.repeats, lengths=", ".join(map(str, request.lengths))))
    if st.button("Measure", key="vt_measure", type="primary", icon=":material/timer:"):
        st.session_state[RESULT_KEY] = (request, measure(request))
    items, measured = kept(request)
    if measured is not None and measured != request:
        st.caption(f"Measured at H = {measured.hidden_size}, B = {measured.batch_size}; press **Measure** to time "
                   f"H = {request.hidden_size}, B = {request.batch_size}.")
    shown = measured or request
    per_sequence, per_step, split = measured_specs(tuple(items), shown.kinds, shown.lengths, large)
    columns = st.columns(1 if large else 2)
    with columns[0]:
        show(per_sequence, key="vt_time_seq")
    with columns[-1]:
        show(per_step, key="vt_time_step")
    show(split, key="vt_time_split")
    if items:
        st.markdown(W.cost_words(items, shown.kinds, shown.hidden_size, shown.batch_size, shown.repeats,
                                 shown.input_size))
