"""The Sentiment page's "Sequences of different lengths" section (Streamlit glue): the typed sentence and
three shorter ones as one padded batch, drawn as a grid; the live equality check, each sentence in the
batch against the same sentence alone (lstm_core.sentiment.padding_check on the batch shown); what the
same batch gives without the mask; and the backward direction's reading order.

The check, its figures and its sentences are cached across sessions by the model's digest (computed once
per trained run) and the batch's words: a rerun that changes nothing runs no model and builds nothing.
"""
import numpy as np
import streamlit as st

from lstm_core import sentiment as S
from ui.common.caching import by_settings
from ui.common.render import show
from ui.sentiment import padding_figures as F
from ui.sentiment import state as SS
from ui.sentiment import words as W

OTHERS = ("not bad", "the film was good", "good , although we watched it at home")  # the batch's other rows


def batch_words(sentence):
    """The batch's rows: the typed sentence's words, then OTHERS' (each a tuple of words)."""
    return tuple(tuple(S.tokenize(text)) for text in (sentence,) + OTHERS)


def grid_words(rows, T):
    """(T, B) the word at each step of each row, ⟨pad⟩ past its end."""
    return np.array([[row[t] if t < len(row) else S.PAD_WORD for row in rows] for t in range(T)], dtype=object)


def unmasked(model, ids):
    """The padded batch's trace read WITHOUT its lengths: every row for all T steps, pads included, read
    out at the last step (what forgetting the mask gives); `.p_positive` (B,), `.features` (B, D)."""
    T, B = ids.shape
    return S.forward(model, ids, np.full(B, T))


def state_differences(model, ids, lengths, batched):
    """Per sentence, the largest |difference| between its final state in the padded batch (`batched`, the
    batch's forward trace) and alone: the features the head reads and the forward C at step length − 1."""
    out = []
    for b, n in enumerate(lengths):
        alone = S.forward(model, ids[:n, b:b + 1], np.array([n]))
        c_alone, c_batched = alone.lstm.layers[0][0].c[n - 1, 0], batched.lstm.layers[0][0].c[n - 1, b]
        out.append(float(max(np.abs(alone.features[0] - batched.features[b]).max(),
                             np.abs(c_alone - c_batched).max())))
    return out


@by_settings(max_entries=128, max_size="8MiB")
def check_numbers(key, rows, _trained):
    """The check's numbers for `rows` (tuples of words), the batch's mask and backward order, and the
    section's sentences: once per model and batch, at any font size; `key` (the model's digest) stands
    for `_trained`."""
    model, vocab = _trained.model, _trained.vocab
    check = S.padding_check(model, [vocab.encode(row)[0] for row in rows])
    wrong = unmasked(model, check.ids)
    masked = S.forward(model, check.ids, check.lengths)  # the features the check compared
    numbers = dict(p_batched=check.p_batched.tolist(), p_alone=check.p_alone.tolist(),
                   p_unmasked=wrong.p_positive.tolist(), lengths=check.lengths.tolist(), T=check.ids.shape[0],
                   state_unmasked=np.abs(wrong.features - masked.features).max(axis=1).tolist(),
                   state_diff=state_differences(model, check.ids, check.lengths, masked),
                   max_diff_p=check.max_diff_p, max_diff_state=check.max_diff_state, mask=check.mask,
                   order=check.order)
    return dict(numbers, words=_words(rows, numbers))


@by_settings(max_entries=128, max_size="32MiB")
def check_view(key, rows, large, _trained):
    """check_numbers with both grids' dicts at this font size."""
    view = check_numbers(key, rows, _trained)
    words, mask, lengths = grid_words(rows, view["T"]), view["mask"], np.array(view["lengths"])
    forward = F.grid_figure(words, mask, lengths - 1, large=large, title="A padded batch",
                            subtitle="rows: sentences; columns: time steps; framed: the step the readout reads "
                                     "(length − 1)")
    backward = F.grid_figure(words, mask, np.zeros_like(lengths), large=large, numbers=view["order"] + 1,
                             title="The backward direction's reading order",
                             subtitle="← k: the backward step that reads the word; it ends at the first word "
                                      "(framed), the pads stay where they are")
    return dict(view, forward=forward, backward=backward)


def _words(rows, view):
    """The section's sentences from the check's numbers: the table, the verdict, the unmasked batch's."""
    diff_p = max(abs(a - b) for a, b in zip(view["p_unmasked"], view["p_alone"]))
    return (W.check_table(rows, view), W.equality_words(view["max_diff_p"], view["max_diff_state"]),
            W.UNMASKED.format(T=view["T"], diff_state=max(view["state_unmasked"]), diff_p=diff_p),
            W.unmasked_table(rows, view))


def section(trained, state, large):
    """The whole "Padding and masking" section for `trained` (a Trained, possibly untrained)."""
    st.subheader("Sequences of different lengths")
    with st.expander("Padding and masking", expanded=True):
        st.markdown(W.MASKING)
        rows = batch_words(SS.sentence_of(state))
        view = check_view(trained.digest, rows, large, trained)
        show(view["forward"], key="se_pad_grid")
        st.caption(W.model_words(trained.step, trained.step > 0))
        table, verdict, unmasked_words, unmasked_table = view["words"]
        st.markdown(table, unsafe_allow_html=True)  # the words escaped (words.md), each number's digits on hover
        st.caption(W.CHECK_HOVER)
        st.markdown(verdict)
        st.markdown(unmasked_words)
        st.markdown(unmasked_table)
        st.markdown(W.BACKWARD)
        show(view["backward"], key="se_pad_order")
