"""The Writing-text page's state and the pure parts of its glue: the default state is the engine's
default recipe, every preset travels in a link and back, the corpus's words are the engine's numbers,
uploads are read or refused with the reason, and the default seed text is the corpus's first window."""
import dataclasses

import numpy as np
import pytest

from lstm_core import text as T
from ui.common import link
from ui.text import controls as C
from ui.text import panels as P
from ui.text import words as W
from ui.text.corpora import CORPORA, zen
from ui.text.lessons import PRESETS, WHY
from ui.text.state import TextState, config, from_query


def test_the_default_state_is_the_engines_default_recipe():
    assert config(TextState()) == T.TextConfig()


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_every_preset_travels_in_a_link_and_fits_its_corpus(preset):
    state = preset.state()
    assert from_query(link.to_query(state)) == state
    assert C._from_link(link.to_query(state)) == state
    T.check_corpus(CORPORA[state.corpus][1](), config(state))


def test_a_preset_sets_only_the_recipe_and_keeps_the_generation():
    kept = dataclasses.replace(TextState(), temperature=1.2, length=300, seed_text="Now", unit=7)
    recipe = PRESETS[1].state()
    applied = dataclasses.replace(kept, preset=recipe.preset, **C._recipe(recipe))
    assert C._recipe(applied) == C._recipe(recipe)
    assert (applied.temperature, applied.length, applied.seed_text, applied.unit) == (1.2, 300, "Now", 7)


def test_every_setting_of_the_recipe_has_its_why():
    assert set(C.RECIPE) - {"corpus"} <= set(WHY) and "corpus" in WHY


def test_the_corpus_words_are_the_engines_split_and_epoch():
    words = W.corpus_words(zen(), T.TextConfig())
    assert words.startswith("856 characters, 45 distinct: the first 771 train, the last 85 (10%) are held out.")
    assert "19 chunks" in words and "1 Adam step at batch 32" in words
    last = W.corpus_words(zen(), T.TextConfig(target="last", batch_size=64))
    assert "731 windows" in last and "12 Adam steps at batch 64" in last


def test_the_vocabulary_chips_name_the_invisible_characters_and_escape_the_rest():
    html = W.chips(" \n<a")
    assert html.count('class="text-chip"') == 4
    assert ">space<" in html and ">newline<" in html and "&lt;" in html


@pytest.mark.parametrize("raw, words", [
    (b"x" * (C.MAX_BYTES + 1), "200,001 bytes; at most 200,000"),
    (b"abc\x00def", "binary file"),
    (b"caf\xe9 au lait", "not UTF-8 text (byte 0xe9 at position 3)"),
])
def test_an_upload_that_is_not_text_is_refused_with_the_reason(raw, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        C.read_upload(raw)


def test_an_upload_of_utf8_text_is_read_without_its_byte_order_mark():
    assert C.read_upload("\ufeffcafé\n".encode("utf-8")) == "café\n"


def test_the_default_seed_is_the_corpus_start_in_the_models_vocabulary():
    vocab = T.vocabulary(zen())
    assert P.default_seed(zen(), vocab, 40) == zen()[:40]
    small = T.Vocab("ab ")
    assert P.default_seed("a-b c", small, 3) == "ab "  # characters the model never saw are left out
    assert P.default_seed("xyz", small, 2) == "ab"  # none known: the vocabulary's own first characters


def test_a_corpus_digest_tells_texts_apart():
    assert P.digest("abc") == P.digest("abc") != P.digest("abd")


def test_generated_text_marks_the_cursor_shows_a_newline_there_and_hovers_each_probability():
    vocab = T.Vocab("\nab")
    gen = T.Generation(seed_text="s<", temperatures=(0.5,), greedy=False, ids=np.array([[1, 0, 2]]),
                       probs=np.array([[[0.1, 0.8, 0.1], [0.6, 0.2, 0.2], [0.3, 0.3, 0.4]]]),
                       texts=(vocab.decode([1, 0, 2]),))
    shown = W.generation_html(gen, 1)
    assert shown.startswith('<div class="text-out"><span class="seed">s&lt;</span><span title="character 1: ')
    assert '<span class="at" title="character 2: newline, p = 0.600 at T = 0.5">⏎\n</span>' in shown
    assert "&#x27;b&#x27;, p = 0.400" in shown and shown.count("<span") == 4
    assert W.generated_html("", "a<b") == '<div class="text-out"><span class="seed"></span>a&lt;b</div>'
