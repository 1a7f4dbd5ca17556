"""The Sentiment page's sentences say what the numbers say: the data table's counts are the file's, the
equality check says "equal to the last bit" only for 0.0 and otherwise names the size, unknown words are
named and marked, the padding tables print floats exactly, and the state reads links as it should."""
import numpy as np
import pytest

from lstm_core import sentiment as S
from ui.common.link import to_query
from ui.sentiment import state as SS
from ui.sentiment import words as W


def test_the_data_table_counts_every_sentence_of_the_file_by_kind_and_label():
    examples, (train, held) = SS.examples(), SS.split(0)
    table = W.data_table(examples, held)
    rows = table.splitlines()[2:]
    assert len(rows) == len(S.CATEGORIES)
    total = 0
    for cat, row in zip(S.CATEGORIES, rows):
        cells = [c.strip() for c in row.strip("|").split("|")]
        pos = sum(e.category == cat and e.label == 1 for e in examples)
        neg = sum(e.category == cat and e.label == 0 for e in examples)
        n_held = sum(e.category == cat for e in held)
        assert cells[0] == f"**{cat}**" and cells[2:5] == [str(pos), str(neg), str(n_held)]
        first_pos = next(e for e in examples if e.category == cat and e.label == 1)
        assert cells[5] == f"“{' '.join(first_pos.words)}”"
        total += pos + neg
    assert total == len(examples) == len(train) + len(held)
    assert W.split_words(len(train), len(held), 154, 0).startswith(f"{len(examples)} sentences: {len(train)} train")


def test_equal_to_the_last_bit_only_when_every_difference_is_zero():
    assert W.equality_words(0.0, 0.0).startswith("**Equal to the last bit:**")
    some = W.equality_words(0.0, 2.2e-16)
    assert some.startswith("**Equal up to rounding:**") and "2.2e-16" in some and "last bit" in some
    assert "1.1e-16" in W.equality_words(1.1e-16, 4.4e-16)
    failed = W.equality_words(0.03, 0.8)  # what an unmasked batch gives: the check says so
    assert failed.startswith("**Not equal:**") and "3.0e-02" in failed and "8.0e-01" in failed


def test_the_check_table_prints_six_digits_and_every_digit_on_hover():
    rows = (("not", "bad"), ("good",))
    view = dict(lengths=[2, 1], p_batched=[0.1 + 0.2, 0.5], p_alone=[0.3, 0.5], p_unmasked=[0.25, 0.5],
                state_unmasked=[0.8, 0.0], state_diff=[2.2e-16, 0.0])
    table = W.check_table(rows, view)
    assert ('| not bad | 2 | <span title="0.30000000000000004">0.3</span> | <span title="0.3">0.3</span> | '
            f'{W.tiny(5.6e-17)} | {W.tiny(2.2e-16)} |') in table  # one bit apart: alike to 6 digits, all on hover
    assert '| good | 1 | <span title="0.5">0.5</span> | <span title="0.5">0.5</span> | 0 | 0 |' in table
    assert W.tiny(5.6e-17) == '<span style="white-space:nowrap">5.6e-17</span>' and W.tiny(0.0) == "0"
    assert W.exact(2.0345696531123898e-05) == '<span title="2.0345696531123898e-05">2.03457e-05</span>'
    assert W.exact(0.48379477676968996).endswith(">0.483795</span>")
    assert "| not bad | 0.300 | 0.250 | 0.800 |" in W.unmasked_table(rows, view)


def test_the_known_words_are_counted_and_listed_by_first_letter():
    note, chips = W.known_words((S.PAD_WORD, S.UNK_WORD, "!", ",", "acting", "awful", "bad"))
    assert note.startswith("The model knows the 3 words of its training sentences (and the marks ! ,)")
    assert chips.count('class="se-chip se-small"') == 3 and S.PAD_WORD not in chips and S.UNK_WORD not in chips
    assert chips.count('<div class="se-known">') == 2 and 'class="se-chips"' not in chips  # a line a letter
    assert ('<b class="se-letter">a</b><span class="se-chip se-small">acting</span>'
            '<span class="se-chip se-small">awful</span></div>') in chips
    vocab = S.Vocab.from_examples(SS.split(0)[0])
    real = W.known_words(vocab.words)
    assert f"knows the {sum(w[0].isalnum() for w in vocab.words[2:])} words" in real[0]
    assert ">good<" in real[1] and ">loved<" not in real[1]  # "I LOVED it" reads loved as ⟨unk⟩


def test_unknown_words_are_named_and_marked():
    words, unknown = ["the", "zorbly", "film", "zorbly"], [False, True, False, True]
    assert "(“zorbly”)" in W.unknown_words(words, unknown) and W.unknown_words(["good"], [False]) == ""
    chips = W.sentence_html(words, unknown)
    assert chips.count('class="se-chip se-unk"') == 2 and chips.count(f"<b>{S.UNK_WORD}</b>") == 2
    assert '<span class="se-chip">&lt;b&gt;</span>' in W.sentence_html(["<b>"], [False])  # typed text escaped
    assert W.md("a_b <i>") == "a\\_b &lt;i&gt;"  # Markdown tables show the words as typed


def test_the_running_and_memory_sentences_name_the_words_that_moved_most():
    words = ["the", "plot", "was", "not", "good", "but", "great"]
    p = [0.5, 0.6, 0.55, 0.1, 0.02, 0.1, 0.97]
    assert W.running_words(words, p) == ("Reading on, it fell most at “not” (word 4: 0.55 → 0.10) and it rose most "
                                         "at “great” (word 7: 0.10 → 0.97).")
    assert W.running_words(["a", "b"], [0.2, 0.9]) == "Reading on, it rose most at “b” (word 2: 0.20 → 0.90)."
    assert W.running_words(["good"], [0.9]) == "" and W.running_words(["a", "a"], [0.5, 0.5]) == ""
    assert W.memory_words(words, [1, 2, 1, 4.25, 2, 1, 3]) == "“not” (word 4) moved the memory most: ‖ΔC‖ = 4.25."


def test_the_verdicts_follow_the_numbers():
    assert W.verdict(0.91, 0.3) == ("**LSTM:** P(positive) = 0.910, **positive**. **Bag of words:** "
                                    "P(positive) = 0.300, negative.")
    assert "the same number twice" in W.order_pair_words([0.99, 0.01], [0.42, 0.42])
    assert "the same number twice" not in W.order_pair_words([0.99, 0.01], [0.42, 0.43])
    lstm, bow = {"all": 0.9, "negation": 0.8, "order": 1.0}, {"all": 0.5, "negation": 0.9, "order": 0.5}
    said = W.categories_verdict(lstm, bow)
    assert "**negation** the LSTM (80%) does not beat the bag of words (90%)" in said
    assert "**order** the LSTM (100%) beats the bag of words (50%)" in said


def test_a_state_travels_in_a_link_and_a_bad_link_sentence_or_preset_is_refused():
    state = SS.SentimentState(units=4, bidirectional=1, sentence="not bad")
    assert SS.from_query(to_query(state)) == state
    for query, part in [({"sentence": "x" * 301}, "characters"), ({"sentence": ". ,"}, "no word"),
                        ({"preset": "noise"}, "preset"), ({"units": "65"}, "'units'")]:
        with pytest.raises(ValueError, match=part):
            SS.from_query(query, ["An LSTM against a bag of words"])
    own = SS.SentimentState(units=4, preset=SS.OWN)  # "(your own settings)" travels in a link too
    assert SS.from_query(to_query(own)) == own
    assert SS.sentence_of(SS.SentimentState()) == SS.DEFAULT_SENTENCE
    assert SS.report_every(400) == 10 and SS.report_every(10) == 5
    assert np.isclose(SS.config(state).lr, 0.01)
