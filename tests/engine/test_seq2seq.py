"""The encoder–decoder: its data, exact gradients, padding, decoding, and what training shows."""
import dataclasses
from pathlib import Path

import numpy as np
import pytest

from lstm_core import seq2seq as S
from tests.engine.fdcheck import numeric_grad


def test_answers_are_the_tasks_outputs():
    assert S.answer("reverse", "1234") == "4321"
    assert S.answer("sort", "3141") == "1134"
    assert S.answer("add", "12+345") == "357"
    assert S.answer("add", "99+1") == "100"


@pytest.mark.parametrize("task, text, words", [
    ("reverse", "", "type some digits"),
    ("reverse", "12a4", "'a' cannot"),
    ("sort", "12+3", "no +"),
    ("add", "12+", "two numbers joined by one +"),
    ("add", "1+2+3", "two numbers"),
    ("add", "1x+2", "'x' cannot"),
    ("reverse", "1" * (S.MAX_TEST_LEN + 1), f"at most {S.MAX_TEST_LEN} digits"),
])
def test_typed_inputs_that_do_not_fit_say_why(task, text, words):
    with pytest.raises(ValueError, match=words):
        S.encode_digits(text, task)


def test_typed_inputs_become_ids_and_spaces_are_ignored():
    assert S.encode_digits(" 12 + 3", "add").tolist() == [1, 2, S.PLUS, 3]
    assert S.decode([4, 2, S.END, 7]) == "42"
    assert "".join(S.show_token(t) for t in (S.START, 0, S.PLUS, S.END)) == "▶0+■"


def test_examples_are_seeded_padded_and_right():
    a, b = S.examples("add", [1, 2, 3], 50, seed=4), S.examples("add", [1, 2, 3], 50, seed=4)
    assert a.texts_in == b.texts_in
    for j, (text, out) in enumerate(zip(a.texts_in, a.texts_out)):
        assert out == S.answer("add", text)
        n = S.length_of("add", text)
        assert 1 <= n <= 3 and all(len(p) == n for p in text.split("+"))
        assert S.decode(a.tgt[:a.tgt_len[j], j]) == out and a.tgt[a.tgt_len[j] - 1, j] == S.END
        assert a.src_len[j] == len(text) and not a.src[a.src_len[j]:, j].any()


def test_a_bad_config_is_refused_with_its_reason():
    with pytest.raises(ValueError, match="shortest training length"):
        S.validate(S.Seq2SeqConfig(min_len=5, max_len=3))
    with pytest.raises(ValueError, match="task must be one of"):
        S.validate(S.Seq2SeqConfig(task="copy"))


@pytest.mark.parametrize("reverse_input", [False, True])
def test_the_gradient_of_the_whole_encoder_decoder_is_exact(reverse_input):
    model = S.build(S.Seq2SeqConfig(units=3, seed=5), dtype=np.float64)
    batch = S.batch_of("add", ["12+34", "5+7", "999+1"])  # inputs of three lengths: padded
    loss, grads = S.loss_and_grads(model, batch, reverse_input)
    arrays = model.arrays()
    for key, a in arrays.items():
        work = a.copy()
        num = numeric_grad(lambda: S.loss_and_grads(
            model.replace_arrays({**arrays, key: work}), batch, reverse_input)[0], work)
        np.testing.assert_allclose(grads[key], num, rtol=1e-5, atol=1e-8, err_msg=key)


def test_the_fixed_size_vector_of_a_padded_batch_is_each_input_alone():
    model = S.build(S.Seq2SeqConfig(units=6, seed=2), dtype=np.float64)
    batch = S.batch_of("reverse", ["1", "123456", "42"])
    for rev in (False, True):
        h, c = S.encode(model, batch.src, batch.src_len, rev)
        for j, text in enumerate(batch.texts_in):
            one = S.batch_of("reverse", [text])
            h1, c1 = S.encode(model, one.src, one.src_len, rev)
            np.testing.assert_allclose(h[j], h1[0], rtol=0, atol=1e-15)
            np.testing.assert_allclose(c[j], c1[0], rtol=0, atol=1e-15)


def test_reversed_input_reads_each_input_backwards_within_its_length():
    batch = S.batch_of("reverse", ["123", "45"])
    assert S.encoder_inputs(batch.src, batch.src_len, True).T.tolist() == [[3, 2, 1], [5, 4, 0]]


def test_greedy_decoding_feeds_back_its_own_argmax():
    """Greedy's first position is the teacher-forced one (both read START from the same state);
    each later one is what the decoder says after reading its own previous output."""
    model = S.build(S.Seq2SeqConfig(units=5, seed=1), dtype=np.float64)
    batch = S.batch_of("sort", ["321", "90"])
    dec = S.greedy(model, batch.src, batch.src_len)
    forced = S.teacher_forced(model, batch)
    np.testing.assert_allclose(dec.probs[0], S.softmax(forced[0]), atol=1e-12)
    fed = dataclasses.replace(batch, tgt=dec.ids.T[:3], tgt_len=np.array([3, 3]))
    np.testing.assert_allclose(dec.probs[:3], S.softmax(S.teacher_forced(model, fed)), atol=1e-12)


@pytest.mark.parametrize("task", S.TASKS)
@pytest.mark.parametrize("reverse_input", [False, True])
def test_hits_decoded_longest_first_are_greedy_decodings_numbers(task, reverse_input):
    """hits runs each step only for the inputs and answers that long yet: the same tokens as greedy's
    whole padded batch, in the page's float32."""
    model = S.build(S.Seq2SeqConfig(task=task, units=6, seed=3))
    batch = S.examples(task, [1, 2, 3, 5], 120, seed=2)
    dec = S.greedy(model, batch.src, batch.src_len, reverse_input, max_out=batch.tgt.shape[0])
    right = ((dec.ids == batch.tgt.T) & S.target_mask(batch).T.astype(bool)).sum(axis=1)
    exact, per_example = S.hits(model, batch, reverse_input)
    assert right.sum() > 0  # an untrained model still writes some tokens right where they stand
    np.testing.assert_array_equal(per_example, right)
    np.testing.assert_array_equal(exact, right == batch.tgt_len)


def test_a_batch_ignores_spaces_and_refuses_what_its_task_cannot_read():
    batch = S.batch_of("add", ["1 2+3", "4+56"])
    assert batch.texts_in == ("12+3", "4+56") and batch.texts_out == ("15", "60")
    assert batch.src.T.tolist() == [[1, 2, S.PLUS, 3], [4, S.PLUS, 5, 6]] and batch.src_len.tolist() == [4, 4]
    assert batch.tgt.T.tolist() == [[1, 5, S.END], [6, 0, S.END]] and batch.tgt_len.tolist() == [3, 3]
    with pytest.raises(ValueError, match="no \\+"):
        S.batch_of("reverse", ["12", "1+2"])


@pytest.fixture(scope="module")
def trained():
    """The default run: reverse, trained on 1..6 digits (about 4 s here)."""
    config = S.Seq2SeqConfig()
    return config, S.fit(config)


def test_the_default_run_learns_to_reverse_its_training_lengths(trained):
    config, (model, item) = trained
    assert item["loss"] < 0.1
    assert item["accuracy"] > 0.9  # whole answers right, greedy, at lengths 1..6
    assert all(item["by_length"][n][0] > 0.9 for n in range(1, 6))


def test_accuracy_falls_beyond_the_training_lengths(trained):
    config, (model, item) = trained
    by = item["by_length"]
    assert by[6][0] > 0.9 and by[9][0] < 0.25  # three digits longer than trained: rarely right
    assert all(by[n][0] < 0.05 for n in range(10, S.MAX_TEST_LEN + 1))
    tokens = [by[n][1] for n in range(6, S.MAX_TEST_LEN + 1)]
    assert all(a > b for a, b in zip(tokens, tokens[2:]))  # per-token accuracy keeps falling
    assert by == S.accuracy_by_length(model, config)  # the item's numbers are the function's


GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "seq2seq_golden.npz"


@pytest.mark.parametrize("order, reverse_input", [("plain", False), ("reversed", True)])
def test_loss_gradients_and_greedy_decoding_match_torch(order, reverse_input):
    """tests/fixtures/make_seq2seq_golden.py ran the same model in torch: a packed nn.LSTM encoder
    whose (h_n, c_n) start an nn.LSTM decoder, an nn.Linear head, cross-entropy over the answers."""
    gold = np.load(GOLDEN)
    model = S.build(S.Seq2SeqConfig(units=4, seed=11), dtype=np.float64)
    batch = S.batch_of("add", ["12+345", "7+8", "99+99"])
    loss, grads = S.loss_and_grads(model, batch, reverse_input)
    assert loss == pytest.approx(float(gold[f"{order}_loss"]), rel=1e-12)
    for key, g in grads.items():
        np.testing.assert_allclose(g, gold[f"{order}_grad_{key}"], rtol=1e-9, atol=1e-12, err_msg=key)
    dec = S.greedy(model, batch.src, batch.src_len, reverse_input, max_out=batch.tgt.shape[0])
    np.testing.assert_allclose(dec.probs, gold[f"{order}_greedy_probs"], rtol=1e-9, atol=1e-12)
